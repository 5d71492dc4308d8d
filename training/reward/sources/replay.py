"""The replay buffer (runs/replay.sqlite3): served replies with a thumb up vs replies with a thumb down.

A thumbed-up reply is paired with thumbed-down replies, preferably to the same intent. Pairs are
CSAT-weighted: the session's end-of-chat CSAT (1-5, 3 when not given) makes a pair more likely to be
drawn when the liked reply's session ended happier than the disliked one's:
weight = clip(1 + (csat_up - csat_down) / 4, 0.25, 2). 10% of liked turns (by hash) are held out.
"""
from __future__ import annotations

from pathlib import Path

from bot.dialogue.transcript import transcript
from training.reward.pairs import pair, split_of

PARTNERS = 3


def _context(turn: dict) -> str:
    return transcript([tuple(m) for m in turn["context"]] + [("customer", turn["user_text"])])


def pairs(path: str | Path, split_name: str = "train", seed: int = 0) -> list[dict]:
    import sqlite3

    import numpy as np

    from bot.storage.replay_buffer import ReplayBuffer

    try:
        turns = ReplayBuffer(path).logged_turns()
    except sqlite3.DatabaseError as err:
        raise ValueError(f"{path}: not a readable replay buffer ({err})") from None
    up = [t for t in turns if t["thumb"] == 1 and split_of(f"replay:{t['turn_id']}") == split_name]
    down = [t for t in turns if t["thumb"] == -1 and split_of(f"replay:{t['turn_id']}") == split_name]
    rng = np.random.default_rng(seed)
    out = []
    for good in up:
        same = [t for t in down if t["intent"] == good["intent"]]
        pool = same if same else down
        for j in rng.choice(len(pool), size=min(PARTNERS, len(pool)), replace=False) if pool else []:
            bad = pool[j]
            gap = (good["csat"] or 3) - (bad["csat"] or 3)
            out.append(pair("replay", _context(good), good["reply_text"], _context(bad), bad["reply_text"],
                            weight=float(np.clip(1 + gap / 4, 0.25, 2.0))))
    return out
