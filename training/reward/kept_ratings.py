"""Side-by-side ratings kept in the repository without a customer's words: data/ratings/*.jsonl.

    python -m training.reward.kept_ratings keep --db runs/rating-r27.sqlite3 --session side1-r27 \
        --output data/ratings/side1-r27.jsonl
        # per message: its id, and each reply's template with every rater's score; no message or reply text
    python -m training.reward.kept_ratings pairs --kept data/ratings/side1-r27.jsonl --output side1-pairs.jsonl
        # each message found again by its id (real_dev in ../shared/data, the hunts in tests/data), drafted again
        # by today's bot, each rated template's reply taken from today's drafts: pairs as `side_by_side pairs`
        # gives them, ready for `python -m training.reward.read_pairs --also-read ""`

Why (round 27): the side-by-side sessions that taught the reward model (rounds 20, 21, 27) lived in runs/, which a
new machine doesn't have; rounds 20-21's were lost with it. real_dev's text may not be copied into this repository,
but its message ids and our own templates' names may. A template whose wording changed since is drafted in today's
words, as the rater did not see it: reported, and the pairs are to be read with that in mind.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

MIN_MARGIN = 0.5  # as side_by_side pairs: a smaller gap in mean rating says nothing about which reply is better


def keep(db: str, session: str) -> list[dict]:
    """One row per rated item: {"id", "replies": [{"template", "scores": {rater: score}}]}, in session order."""
    from bot.storage.replay_buffer import ReplayBuffer

    rows = ReplayBuffer(db).query(
        "SELECT i.item_id, i.external_id, c.idx, c.source, s.rater_id, s.score FROM rating_items i "
        "JOIN rating_candidates c ON c.item_id = i.item_id "
        "JOIN rating_scores s ON s.item_id = c.item_id AND s.idx = c.idx "
        "WHERE i.session_id = ? ORDER BY i.position, c.idx, s.rater_id", (session,))
    if not rows:
        raise ValueError(f"no ratings in session {session!r} of {db}")
    items: dict[str, dict] = {}
    for r in rows:
        if not r["external_id"]:
            raise ValueError(f"item {r['item_id']} has no message id: only sessions made from messages with ids "
                             "(side_by_side make) can be kept")
        item = items.setdefault(r["item_id"], {"id": r["external_id"], "replies": {}})
        reply = item["replies"].setdefault(r["idx"], {"template": r["source"], "scores": {}})
        reply["scores"][r["rater_id"]] = r["score"]
    return [{"id": i["id"], "replies": [i["replies"][k] for k in sorted(i["replies"])]} for i in items.values()]


def messages_by_id(shared_data: str | None = None) -> dict[str, str]:
    """Every message a kept row may name: real_dev's (when ../shared/data has it) and the hunts'."""
    from training.intents.bench_misfires import HUNT_FILE, read_rows
    from training.shared_data import real_dev_file

    found = {r["id"]: r["message"] for r in read_rows(HUNT_FILE)}
    path = real_dev_file(shared_data)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found[row["id"]] = row["message"]
    return found


def pairs(kept: list[dict], messages: dict[str, str], min_margin: float = MIN_MARGIN) -> tuple[list[dict], dict]:
    """Preference pairs of today's drafts, and counts of what could not be rebuilt."""
    from tqdm import tqdm

    from bot.selection.reward_model import as_context
    from training.export import preferences
    from training.reward.drafts import first_message_drafts, scratch_bot

    out, missing = [], {"messages": 0, "templates": 0}
    with scratch_bot() as bot:
        for row in tqdm(kept, desc="drafting again"):
            message = messages.get(row["id"])
            if message is None:
                missing["messages"] += 1
                continue
            _, drafts = first_message_drafts(bot, message)
            text_of = {}
            for draft in drafts:  # the drafter's best-ranked reply of each template, as side_by_side shows it
                text_of.setdefault(draft.template_name, draft.text)
            replies = [(r["template"], sum(r["scores"].values()) / len(r["scores"])) for r in row["replies"]]
            missing["templates"] += sum(template not in text_of for template, _ in replies)
            drafted = [(template, mean) for template, mean in replies if template in text_of]
            for hi, lo, gap in preferences(drafted, min_margin):
                out.append({"context": as_context(message), "chosen": text_of[hi], "rejected": text_of[lo],
                            "margin": round(gap, 4), "origin": "kept-rating", "id": row["id"],
                            "chosen_template": hi, "rejected_template": lo})
    return out, missing


def main(argv: list[str] | None = None) -> int:
    from training.results import write_jsonl

    parser = argparse.ArgumentParser(prog="python -m training.reward.kept_ratings", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    keep_step = steps.add_parser("keep", help="a rated side-by-side session as ids, templates and scores")
    keep_step.add_argument("--db", required=True, help="rating database (SQLite file)")
    keep_step.add_argument("--session", required=True, help="the rated side-by-side session")
    keep_step.add_argument("--output", required=True, help="JSONL to write (e.g. data/ratings/SESSION.jsonl)")
    pairs_step = steps.add_parser("pairs", help="preference pairs from kept ratings, drafted again today")
    pairs_step.add_argument("--kept", required=True, help="JSONL written by `keep`")
    pairs_step.add_argument("--output", required=True, help="JSONL of pairs to write")
    pairs_step.add_argument("--min-margin", type=float, default=MIN_MARGIN,
                            help="keep pairs whose mean ratings differ by more than this (%(default)s)")
    pairs_step.add_argument("--shared-data", default=None, help="reference data folder (default: ../shared/data)")
    args = parser.parse_args(argv)
    try:
        if args.step == "keep":
            if not Path(args.db).exists():
                parser.error(f"no rating database at {args.db}")
            rows = keep(args.db, args.session)
            write_jsonl(args.output, rows)  # written whole: a crash leaves no half-written file
            print(f"kept {len(rows)} rated messages of session {args.session!r} in {args.output}")
            return 0
        kept = [json.loads(line) for line in Path(args.kept).read_text(encoding="utf-8").splitlines() if line.strip()]
        found, missing = pairs(kept, messages_by_id(args.shared_data), args.min_margin)
    except (OSError, ValueError, KeyError) as err:
        parser.error(str(err))
    write_jsonl(args.output, found)
    print(f"wrote {len(found)} pairs from {len(kept)} kept messages to {args.output}; not found: "
          f"{missing['messages']} messages, {missing['templates']} rated templates not drafted today")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
