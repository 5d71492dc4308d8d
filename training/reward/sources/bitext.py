"""Bitext (../shared/data/bitext/*.csv): one right answer per customer request, 27 intents.

It teaches relevance: the gold answer to a request must beat HARD negatives, answers of OTHER intents
retrieved as the most similar (the answers to the other-intent requests MiniLM finds closest to this
request: what a drafter matching the message against known requests would wrongly offer). 10% of rows (by hash) are held out; their negatives come from held-out rows only.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from training.reward.pairs import pair, split_of

REQUIRED = ("instruction", "intent", "response")


@dataclass
class Row:
    line: int
    request: str
    intent: str
    answer: str
    split: str


def load(path: str | Path) -> list[Row]:
    path = Path(path)
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}:1: header lacks column(s) {', '.join(missing)}")
        start = reader.line_num + 1
        for record in reader:
            if None in record or any(record.get(c) is None for c in REQUIRED):
                raise ValueError(f"{path}:{start}: wrong number of fields")
            request, intent, answer = (record[c].strip() for c in REQUIRED)
            if not (request and intent and answer):
                raise ValueError(f"{path}:{start}: empty {', '.join(c for c in REQUIRED if not record[c].strip())}")
            rows.append(Row(start, request, intent, answer, split_of(f"bitext:{start}:{request}")))
            start = reader.line_num + 1
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def hard_negatives(rows: list[Row], k: int = 3, cache_dir: str = "runs/cache") -> list[list[int]]:
    """For each row, k rows of OTHER intents whose requests MiniLM finds most similar to its request.

    Their answers are the hard negatives: what a drafter that matches the message against known
    requests (as our tracker does) would offer by mistake. Requests are short, so this is fast.
    """
    import numpy as np

    from bot.encoder import Encoder

    vectors = Encoder.shared().encode_cached([r.request for r in rows], cache_dir)
    intents = np.array([r.intent for r in rows])
    out = []
    for start in range(0, len(rows), 512):
        sims = vectors[start : start + 512] @ vectors.T
        for row, s in zip(rows[start : start + 512], sims):
            s[intents == row.intent] = -np.inf
            picked, seen = [], set()
            for j in np.argsort(-s):
                if not np.isfinite(s[j]) or len(picked) == k:
                    break
                if rows[j].answer not in seen:  # k different answers
                    picked.append(int(j))
                    seen.add(rows[j].answer)
            out.append(picked)
    return out


def pairs(path: str | Path, split_name: str = "train", seed: int = 0, k: int = 3, cache_dir: str = "runs/cache") -> list[dict]:
    rows = [r for r in load(path) if r.split == split_name]
    out = []
    for row, negatives in zip(rows, hard_negatives(rows, k, cache_dir)):
        context = f"Customer: {row.request}"
        for j in negatives:
            out.append(pair("bitext", context, row.answer, context, rows[j].answer))
    return out
