"""Our own seed pairs (data/store/seed_pairs.jsonl): a good reply vs a rude, off-topic or
policy-breaking one, written by us for the demo store. 20% of pairs (by hash) are held out."""
from __future__ import annotations

from pathlib import Path

from bot.selection.reward_model import as_context
from training.reward.pairs import pair, split_of
from training.reward.sources.jsonl import read_pairs

TEST_FRACTION = 0.2


def pairs(path: str | Path, split_name: str = "train", seed: int = 0) -> list[dict]:
    out = []
    for r in read_pairs(path):
        if split_of(f"seed:{r['context']}|{r['chosen']}|{r['rejected']}", TEST_FRACTION) == split_name:
            context = as_context(r["context"])
            out.append(pair("seed", context, r["chosen"], context, r["rejected"], margin=r["margin"]))
    return out
