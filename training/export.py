"""`rlcs export`: the replay buffer and rating sessions as training data.

    --format turns    every logged turn with all its candidates (ReplayBuffer.to_dataset)
    --format reward   RewardTrainer pairs {"context", "chosen", "rejected", "margin"}:
                      from rating sessions (per item, every two replies whose mean rating differs;
                      margin = the rating gap), plus thumbs-up vs thumbs-down replies given in the
                      same context (margin 1)
    --format kto      KTOTrainer rows {"prompt", "completion", "label"} from thumbs
                      (--include-ratings adds rated replies: mean score >= 4 good, <= 2 bad)

`--output` ending in .jsonl writes JSON lines; anything else is a `datasets.Dataset.save_to_disk`
folder. `context` / `prompt` is the conversation as "Customer: ..." / "Agent: ..." lines (the format
bot/dialogue/state.py and the reward model use), ending with the customer message the reply answers.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
from collections import defaultdict
from pathlib import Path
from bot.dialogue.transcript import transcript
from bot.storage.engine import default_db

FORMATS = ("turns", "reward", "kto")
THUMB_MARGIN = 1.0  # a thumbs-up vs thumbs-down pair counts as the smallest whole rating gap


def format_context(messages) -> str:
    """[(role, text), ...] -> "Customer: ...\nAgent: ..." lines, as the bot shows a dialogue to its models."""
    return transcript(messages)


def _turn_context(turn: dict) -> str:
    return format_context([tuple(m) for m in turn["context"]] + [("customer", turn["user_text"])])


def _open_replay(db: str | Path):
    from bot.storage.engine import is_postgres
    from bot.storage.replay_buffer import ReplayBuffer

    if not is_postgres(str(db)) and not Path(db).is_file():
        raise FileNotFoundError(f"no replay buffer at {db} (serve some turns first, or pass --db)")
    return ReplayBuffer(db)


def rated_means(replay, session_id: str | None = None, min_raters: int = 1) -> list[dict]:
    """Per rated item: its context and each candidate's mean value over the raters who judged it."""
    from bot.ratings.store import RatingStore

    items: dict[str, dict] = {}
    for r in RatingStore(replay).rating_rows(session_id):
        item = items.setdefault(r["item_id"], {"item_id": r["item_id"], "session_id": r["session_id"],
                                               "mode": r["mode"], "context": format_context(r["context"]),
                                               "turns": r["context"], "candidates": {}, "raters": set()})
        cand = item["candidates"].setdefault(r["idx"], {"text": r["text"], "source": r["source"], "values": []})
        cand["values"].append(r["value"])
        item["raters"].add(r["rater_id"])
    out = []
    for item in items.values():
        if len(item["raters"]) < min_raters:
            continue
        for cand in item["candidates"].values():
            cand["mean"] = sum(cand["values"]) / len(cand["values"])
        out.append(item)
    return out


def preferences(means: list[tuple], min_margin: float = 0.0):
    """(better, worse, gap) for every two (thing, mean rating) whose means differ by more than min_margin: a tie, or a
    gap too close to call, says nothing about which is better."""
    for k, (a, mean_a) in enumerate(means):
        for b, mean_b in means[k + 1:]:
            gap = mean_a - mean_b
            if abs(gap) > min_margin:
                yield (a, b, gap) if gap > 0 else (b, a, -gap)


def reward_pairs(replay, session_id: str | None = None, min_margin: float = 0.0, min_raters: int = 1,
                 include_thumbs: bool = True) -> list[dict]:
    """Chosen/rejected pairs with a margin, from ratings and (optionally) thumbs in the same context."""
    pairs = []
    for item in rated_means(replay, session_id, min_raters):
        cands = [cand for _, cand in sorted(item["candidates"].items())]
        for hi, lo, gap in preferences([(c, c["mean"]) for c in cands], min_margin):
            pairs.append({"context": item["context"], "chosen": hi["text"], "rejected": lo["text"],
                          "margin": round(gap, 4), "origin": "rating", "session_id": item["session_id"],
                          "item_id": item["item_id"], "raters": len(item["raters"]),
                          "chosen_source": hi["source"], "rejected_source": lo["source"]})
    if include_thumbs:
        by_context: dict[str, dict[int, list]] = defaultdict(lambda: {1: [], -1: []})
        for turn in replay.logged_turns():
            if turn["thumb"] in (1, -1):
                by_context[_turn_context(turn)][turn["thumb"]].append(turn)
        for context, votes in by_context.items():
            for up in votes[1]:
                for down in votes[-1]:
                    if up["reply_text"] == down["reply_text"]:
                        continue  # the same reply liked once and disliked once: no preference
                    pairs.append({"context": context, "chosen": up["reply_text"], "rejected": down["reply_text"],
                                  "margin": THUMB_MARGIN, "origin": "thumbs", "session_id": None,
                                  "item_id": f"{up['turn_id']}>{down['turn_id']}", "raters": 1,
                                  "chosen_source": None, "rejected_source": None})
    return pairs


def kto_rows(replay, include_ratings: bool = False, session_id: str | None = None) -> list[dict]:
    """Unpaired desirable / undesirable replies: every thumbed turn (and optionally clear ratings)."""
    rows = [{"prompt": _turn_context(t), "completion": t["reply_text"], "label": t["thumb"] == 1,
             "origin": "thumbs", "id": t["turn_id"]} for t in replay.logged_turns() if t["thumb"] in (1, -1)]
    if include_ratings:
        for item in rated_means(replay, session_id):
            if item["mode"] != "score":
                continue
            for idx, cand in sorted(item["candidates"].items()):
                if cand["mean"] >= 4 or cand["mean"] <= 2:
                    rows.append({"prompt": item["context"], "completion": cand["text"], "label": cand["mean"] >= 4,
                                 "origin": "rating", "id": f"{item['item_id']}/{idx}"})
    return rows


def write_rows(rows: list[dict], output: str | Path) -> Path:
    """JSONL when the name ends in .jsonl (written to a temp file, then renamed), else a Dataset folder."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix == ".jsonl":
        tmp = output.with_name(output.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, output)
    else:
        from datasets import Dataset

        Dataset.from_list(rows).save_to_disk(str(output))
    return output


def export(db: str | Path, fmt: str, output: str | Path | None = None, session_id: str | None = None,
           min_margin: float = 0.0, min_raters: int = 1, include_thumbs: bool = True,
           include_ratings: bool = False) -> tuple[Path, int, dict]:
    """Write one export; returns (path, rows, counts by origin)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    replay = _open_replay(db)
    output = Path(output) if output else Path("runs/export") / {"turns": "turns", "reward": "reward.jsonl",
                                                               "kto": "kto.jsonl"}[fmt]
    if fmt == "turns":
        dataset = replay.to_dataset()
        if len(dataset) == 0:
            raise ValueError(f"{db} holds no logged turns yet")
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix == ".jsonl":
            dataset.to_json(str(output), lines=True)
        else:
            dataset.save_to_disk(str(output))
        return output, len(dataset), {"turns": len(dataset)}
    if fmt == "reward":
        rows = reward_pairs(replay, session_id, min_margin, min_raters, include_thumbs)
        empty = "no reward pairs: no rating session has items with differing ratings" + (
            ", and no context has both a thumbs-up and a thumbs-down reply" if include_thumbs else "")
    else:
        rows = kto_rows(replay, include_ratings, session_id)
        empty = "no KTO rows: no turn has a thumbs-up or thumbs-down" + (
            " and no rated reply has a clear mean score" if include_ratings else "")
    if not rows:
        raise ValueError(f"{empty} in {db}")
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["origin"]] += 1
    return write_rows(rows, output), len(rows), dict(counts)


def run(args) -> int:
    path, n, counts = export(args.db, args.format, args.output, args.session, args.min_margin, args.min_raters,
                             not args.no_thumbs, args.include_ratings)
    detail = ", ".join(f"{v} from {k}" for k, v in counts.items())
    digest = ""
    if path.is_file():
        digest = f", sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}"
    print(f"rlcs: wrote {n} {args.format} rows ({detail}) to {path}{digest}")
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export", help="export logged turns, reward pairs or KTO rows for training",
        description="Export the replay buffer as training data: logged turns (a datasets.Dataset), "
                    "RewardTrainer pairs from rating sessions and thumbs (--format reward), "
                    "or KTO rows from thumbs (--format kto).")
    parser.add_argument("--db", default=default_db(), help="replay database: a SQLite file or a postgresql:// URL "
                        "(default: $RLCS_DB or %(default)s)")
    parser.add_argument("--format", choices=FORMATS, default="turns", help="what to export (default: %(default)s)")
    parser.add_argument("--output", default=None,
                        help="file ending in .jsonl for JSON lines, else a Dataset folder "
                             "(default: runs/export/turns, runs/export/reward.jsonl or runs/export/kto.jsonl)")
    parser.add_argument("--session", default=None, help="only this rating session (reward, kto --include-ratings)")
    parser.add_argument("--min-margin", type=float, default=0.0,
                        help="reward: keep pairs whose mean rating gap is larger than this (default: %(default)s)")
    parser.add_argument("--min-raters", type=int, default=1,
                        help="reward: only items judged by at least this many raters (default: %(default)s)")
    parser.add_argument("--no-thumbs", action="store_true", help="reward: leave out thumbs-up vs thumbs-down pairs")
    parser.add_argument("--include-ratings", action="store_true",
                        help="kto: also rated replies (mean score >= 4 desirable, <= 2 undesirable)")
    parser.set_defaults(func=run)
    return parser
