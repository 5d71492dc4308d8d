"""Bitext's requests answered by OUR store (../shared/data/bitext, intents mapped by training/bitext_intents.py).

Many more ways of asking than our own labelled messages: each request of a Bitext intent with a clear
counterpart in our store is a message labelled with our intent, and becomes pairs exactly as in
`store.py` (our template of that intent over the templates of other intents the drafter ranks next).
The split is the intent model's (the same hash of Bitext's line and request), so the reward model is
never tested on a request the intent model trained on; at most PER_INTENT requests per Bitext intent.
"""
from __future__ import annotations

import random
from pathlib import Path

from training.reward.sources import store
from training.reward.sources.bitext import load

PER_INTENT = 150


def pairs(path: str | Path, split_name: str = "train", seed: int = 0, bot=None) -> list[dict]:
    from training.bitext_intents import BITEXT_TO_OURS

    by_intent: dict[str, list[tuple[str, str]]] = {}
    for row in load(path):
        if row.intent in BITEXT_TO_OURS and row.split == split_name:
            by_intent.setdefault(row.intent, []).append((row.request, BITEXT_TO_OURS[row.intent]))
    rng = random.Random(seed)
    messages = [m for rows in by_intent.values() for m in rng.sample(rows, min(PER_INTENT, len(rows)))]
    return store.pairs_for(messages, "bitext_store", seed, bot)
