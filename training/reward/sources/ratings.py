"""Rated candidates from rating sessions (`rlcs export --format reward`): JSONL rows
{"context", "chosen", "rejected", "margin"}, paired by rating gap (margin = gap). 10% held out by hash.

The export also carries thumbs-up vs thumbs-down pairs (origin "thumbs"). When the replay source is in
the same mix it already pairs those thumbs, so `skip_thumbs` drops them here: each thumb counts once."""
from __future__ import annotations

from pathlib import Path

from bot.selection.reward_model import as_context
from training.reward.pairs import pair, split_of
from training.reward.sources.jsonl import read_pairs


def pairs(path: str | Path, split_name: str = "train", seed: int = 0, skip_thumbs: bool = False) -> list[dict]:
    out = []
    for r in read_pairs(path):
        if skip_thumbs and r["extra"].get("origin") == "thumbs":
            continue
        if split_of(f"ratings:{r['context']}|{r['chosen']}|{r['rejected']}") == split_name:
            context = as_context(r["context"])
            out.append(pair("ratings", context, r["chosen"], context, r["rejected"], margin=r["margin"]))
    return out
