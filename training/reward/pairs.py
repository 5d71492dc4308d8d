"""One preference pair, and a stable train/test split: what every reward-data source builds with."""
from __future__ import annotations

import hashlib


def split_of(key: str, test_fraction: float = 0.1) -> str:
    """A stable train/test assignment from a hash of the item's key (same answer on every machine)."""
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if bucket < test_fraction else "train"


def pair(source: str, chosen_context: str, chosen: str, rejected_context: str, rejected: str,
         margin: float = 0.0, weight: float = 1.0) -> dict:
    return {"source": source, "chosen_context": chosen_context, "chosen": chosen,
            "rejected_context": rejected_context, "rejected": rejected, "margin": float(margin), "weight": float(weight)}
