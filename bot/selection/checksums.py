"""Weights hashes in a checkpoint's card: written at save time, checked at load time.

A card records `weights_sha256`: for a one-file checkpoint the hex digest of model.safetensors (the learned
policies' card.json), or {file name: hex digest} for every *.safetensors file (the reward model's card).
A file that does not match is refused with a message naming it: a flipped bit in the weights otherwise
loads silently and serves a subtly different model. A card without hashes (saved before they were recorded)
loads with a warning.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

WEIGHTS = "model.safetensors"


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weights_sha256(folder: str | Path) -> dict[str, str]:
    """{file name: sha256} of every *.safetensors file in folder."""
    return {p.name: sha256_file(p) for p in sorted(Path(folder).glob("*.safetensors"))}


def verify_weights(folder: str | Path, recorded, card_name: str, error: type[Exception] = ValueError) -> None:
    """Check the weights in folder against the hashes its card recorded; raise `error` naming a file that
    does not match or is missing. `recorded` is the card's weights_sha256 (a digest, a dict, or None)."""
    folder = Path(folder)
    if not recorded:
        print(f"rlcs: warning: {folder / card_name} records no weights hash (saved before hashes were recorded); "
              f"its weights are loaded unverified", file=sys.stderr)
        return
    if isinstance(recorded, str):
        recorded = {WEIGHTS: recorded}
    unrecorded = sorted({p.name for p in folder.glob("*.safetensors")} - set(recorded))
    if unrecorded:
        raise error(f"{folder / unrecorded[0]} is not among the weights recorded in {folder / card_name}")
    for name, expected in recorded.items():
        file = folder / name
        if not file.is_file():
            raise error(f"{file} is missing (recorded in {folder / card_name})")
        if sha256_file(file) != expected:
            raise error(f"{file} does not match the sha256 recorded in {folder / card_name}: the weights are "
                        f"corrupt or were changed after saving; restore or retrain the checkpoint")
