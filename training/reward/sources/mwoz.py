"""USS MultiWOZ (../shared/data/uss/MWOZ.txt): per-turn satisfaction 1-5 from 3-6 annotators.

Each rated USER line scores the system reply just before it (annotators rated "before the user's
sentence"), so one rated line is one (context, reply) example: reply = the latest SYSTEM line,
context = everything before that reply. A dialogue's first line (nothing said yet) and its OVERALL
line (the whole dialogue) have no reply to judge: context = all lines so far, reply = "".

Labels and splits follow the USS code (sunnweiwei/user-satisfaction-simulation, baselines/train_sat.py):
every USER line, the `OVERALL` line included, is one item in file order; its label is the majority
rating (ties go to the lower rating); the items are cut into 10 contiguous folds of len//10. We test on
fold 0, fit the score-to-class cut points on fold 1, and train on the dialogues that touch neither.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.dialogue.transcript import transcript
from training.reward.pairs import pair

TEST_FOLD, DEV_FOLD = 0, 1


@dataclass
class Item:
    dialogue: int
    line: int  # 1-based line in the file, for messages
    context: str
    reply: str  # "" for a dialogue's first line: no system reply was rated yet
    ratings: list[int]
    label: int  # majority rating 1-5, ties to the lower (as USS)
    mean: float
    overall: bool
    fold: int = -1


def majority(ratings: list[int]) -> int:
    counts = Counter(ratings)
    return min(counts, key=lambda r: (-counts[r], r))


def _format(lines: list[tuple[str, str]]) -> str:
    return transcript(lines)


def load(path: str | Path) -> list[Item]:
    path = Path(path)
    items: list[Item] = []
    history: list[tuple[str, str]] = []
    dialogue, new_dialogue = -1, True
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():  # a blank line ends a dialogue
                history, new_dialogue = [], True
                continue
            if new_dialogue:
                dialogue, new_dialogue = dialogue + 1, False
            fields = line.split("\t")
            if len(fields) != 4:
                raise ValueError(f"{path}:{lineno}: expected 4 tab-separated fields (role, text, action, ratings), "
                                 f"got {len(fields)}")
            role, text, _, score = fields
            if role not in ("USER", "SYSTEM"):
                raise ValueError(f"{path}:{lineno}: role must be USER or SYSTEM, got {role!r}")
            if role == "USER":
                try:
                    ratings = [int(s) for s in score.split(",")]
                except ValueError:
                    raise ValueError(f"{path}:{lineno}: ratings must be comma-separated integers, got {score!r}") from None
                if not ratings or any(not 1 <= r <= 5 for r in ratings):
                    raise ValueError(f"{path}:{lineno}: ratings must be 1-5, got {score!r}")
                overall = text.strip() == "OVERALL"
                last_system = max((i for i, (r, _) in enumerate(history) if r == "SYSTEM"), default=None)
                if overall or last_system is None:  # the whole dialogue so far, no reply to judge
                    context, reply = _format(history), ""
                else:
                    context, reply = _format(history[:last_system]), history[last_system][1]
                items.append(Item(dialogue, lineno, context, reply, ratings, majority(ratings),
                                  sum(ratings) / len(ratings), overall))
            history.append((role, text.strip()))
    if not items:
        raise ValueError(f"{path}: no rated USER lines found")
    size = len(items) // 10
    for i, item in enumerate(items):
        item.fold = i // size if size else 0  # the remainder past 10 folds (fold 10) is never tested, as in USS
    return items


def split(items: list[Item], name: str) -> list[Item]:
    """'test' = fold 0, 'dev' = fold 1 (threshold fitting), 'train' = dialogues touching neither."""
    if name == "test":
        return [i for i in items if i.fold == TEST_FOLD]
    if name == "dev":
        return [i for i in items if i.fold == DEV_FOLD]
    held = {i.dialogue for i in items if i.fold in (TEST_FOLD, DEV_FOLD)}
    return [i for i in items if i.dialogue not in held]


def make_pairs(items: list[Item], seed: int = 0, partners: int = 3, min_gap: float = 0.25) -> list[dict]:
    """Pair every turn whose label is not the usual 3 with `partners` turns of other labels.

    Most turns are rated 3, so random pairs would mostly tie; anchoring on the rarer 1-2 and 4-5 turns
    gives pairs that carry signal. The better-rated (by mean) reply is chosen; margin = the gap in means.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    usable = items  # first and OVERALL lines too: they are scored (and tested) like every other line
    by_label: dict[int, list[Item]] = {}
    for item in usable:
        by_label.setdefault(item.label, []).append(item)
    common = by_label.get(3, [])
    out = []
    for a in usable:
        if a.label == 3:
            continue
        others = [i for label, group in by_label.items() if label not in (3, a.label) for i in group]
        pool = [(common, partners - 1), (others, 1)] if common else [(others, partners)]
        for candidates, k in pool:
            for j in rng.choice(len(candidates), size=min(k, len(candidates)), replace=False) if candidates else []:
                b = candidates[j]
                gap = a.mean - b.mean
                if abs(gap) < min_gap:
                    continue
                hi, lo = (a, b) if gap > 0 else (b, a)
                out.append(pair("mwoz", hi.context, hi.reply, lo.context, lo.reply, margin=abs(gap)))
    return out


def pairs(path: str | Path, split_name: str = "train", seed: int = 0) -> list[dict]:
    return make_pairs(split(load(path), split_name), seed=seed)
