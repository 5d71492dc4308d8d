"""NTCIR-14 STC-3 (../shared/data/stc3/train_data_en.json): real helpdesk dialogues, 19 satisfaction
ratings S in -2..2 per dialogue.

One dialogue is one (context, reply) example: reply = the helpdesk's last turn, context = the turns
before it (customer reactions after that reply are left out: the bot never sees them when it scores a
reply). Its satisfaction is the mean S of the 19 annotators. 10% of dialogues (by a hash of their id)
are held out; pairs join two dialogues whose mean S differs by at least 0.5, margin = the difference.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot.dialogue.transcript import transcript
from training.reward.pairs import pair, split_of


@dataclass
class Dialogue:
    id: str
    context: str
    reply: str
    satisfaction: float  # mean S over the annotators, -2..2
    split: str


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def load(path: str | Path) -> list[Dialogue]:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}:{err.lineno}: not valid JSON ({err.msg})") from None
    if not isinstance(data, list):
        raise ValueError(f"{path}:1: expected a JSON list of dialogues")
    out = []
    for n, d in enumerate(data):
        where = f"{path}:{_line_of(text, json.dumps(d.get('id'))) if isinstance(d, dict) and 'id' in d else '?'}"
        if not isinstance(d, dict) or not {"id", "turns", "annotations"} <= d.keys():
            raise ValueError(f"{where}: dialogue #{n} needs 'id', 'turns' and 'annotations'")
        try:
            scores = [a["quality"]["S"] for a in d["annotations"]]
            turns = [(t["sender"], " ".join(u.strip() for u in t["utterances"] if u.strip())) for t in d["turns"]]
        except (KeyError, TypeError) as err:
            raise ValueError(f"{where}: dialogue {d['id']} is malformed (missing {err})") from None
        if not scores or any(not isinstance(s, int) or not -2 <= s <= 2 for s in scores):
            raise ValueError(f"{where}: dialogue {d['id']} has satisfaction scores outside -2..2: {scores}")
        last = max((i for i, (sender, _) in enumerate(turns) if sender == "helpdesk"), default=None)
        if last is None or not turns[last][1]:
            continue  # the helpdesk never answered in words: no reply to score
        context = transcript([(s, t) for s, t in turns[:last] if t])
        out.append(Dialogue(str(d["id"]), context, turns[last][1], sum(scores) / len(scores), split_of(f"stc3:{d['id']}")))
    return out


def make_pairs(dialogues: list[Dialogue], seed: int = 0, partners: int = 3, min_gap: float = 0.5) -> list[dict]:
    import numpy as np

    rng = np.random.default_rng(seed)
    s = np.array([d.satisfaction for d in dialogues])
    out = []
    for i, a in enumerate(dialogues):
        far = np.flatnonzero(np.abs(s - a.satisfaction) >= min_gap)
        for j in rng.choice(far, size=min(partners, len(far)), replace=False) if len(far) else []:
            b = dialogues[j]
            hi, lo = (a, b) if a.satisfaction > b.satisfaction else (b, a)
            out.append(pair("stc3", hi.context, hi.reply, lo.context, lo.reply, margin=hi.satisfaction - lo.satisfaction))
    return out


def pairs(path: str | Path, split_name: str = "train", seed: int = 0) -> list[dict]:
    return make_pairs([d for d in load(path) if d.split == split_name], seed=seed)
