"""Side-by-side rating sessions that teach the reward model: each message with the drafter's rank 1 and its best
drafts of other topics, rated blind in our rating app, then turned into preference pairs that name their templates.

    python -m training.reward.side_by_side make --messages FILE --db runs/rating.sqlite3 --session side1
        # each message: rank 1 and the best drafts of up to 3 other intents (then other templates), as the rules
        # draft them; a message with a single draft (a language handover) is left out
    rlcs rate --db runs/rating.sqlite3                # raters score every reply 1-5, not knowing which is rank 1
    python -m training.reward.side_by_side pairs --db runs/rating.sqlite3 --session side1 --output side.jsonl
        # every two replies of an item whose mean ratings differ by more than --min-margin, better one chosen
    python -m training.reward.read_pairs --pairs side.jsonl --also-read "" --output side-read.jsonl

Why (round 20): the reward model's pairs were mostly the rules' own choices (the hunts' expected templates, the
store's labelled messages) and A/Bs of the served reply against one other; where best-of-N differed from rank 1 on
real messages it picked a reply of another topic. Real messages rated with replies of several topics side by side
say which topic's answer fits, and by how much. Each candidate's source is its template's name (raters see only the
text), so the pairs carry it and read_pairs needs no guessing.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.results import write_jsonl
from training.reward.drafts import first_message_drafts, scratch_bot

CANDIDATES = 4  # rank 1 and three others: what a rater compares at a glance


def side_by_side_candidates(candidates: list, n: int = CANDIDATES) -> list:
    """Rank 1, then the best-ranked draft of each other intent, then other templates, up to n, no text twice."""
    chosen = candidates[:1]
    intents = {c.meta.get("intent") for c in chosen}
    for other_intent_first in (True, False):
        for c in candidates[1:]:
            if len(chosen) == n:
                return chosen
            if c.text in {x.text for x in chosen} or (other_intent_first and c.meta.get("intent") in intents):
                continue
            chosen.append(c)
            intents.add(c.meta.get("intent"))
    return chosen


def make(args) -> int:
    from tqdm import tqdm

    from bot.ratings.store import RatingStore

    rows = [json.loads(line) for line in Path(args.messages).read_text(encoding="utf-8").splitlines() if line.strip()]
    items, single = [], 0
    with scratch_bot() as bot:
        public = bot.kb.public_details
        for row in tqdm(rows, desc="drafting"):
            _, drafts = first_message_drafts(bot, row["message"])
            shown = side_by_side_candidates(drafts, args.per_message)
            if len(shown) < 2:
                single += 1
                continue
            items.append({"id": row.get("id"), "context": [["customer", row["message"]]],
                          "candidates": [{"text": c.text, "source": c.template_name} for c in shown]})
    store = RatingStore(args.db)
    # raters see our own phone and email as a customer would (rounds 20-27's sessions masked them as [email])
    store.replay.public_details = public
    session = store.create_session(args.session, items, overlap=args.overlap, source="side-by-side drafts")
    print(f"rating session {session!r}: {len(items)} messages, {sum(len(i['candidates']) for i in items)} replies; "
          f"{single} left out (a single draft); {args.overlap} raters per item")
    return 0


def pairs(args) -> int:
    from bot.storage.replay_buffer import ReplayBuffer
    from training.export import reward_pairs

    found = reward_pairs(ReplayBuffer(args.db), args.session, min_margin=args.min_margin, min_raters=2,
                         include_thumbs=False)
    for pair in found:  # the sources are the templates' names (see make)
        pair["chosen_template"], pair["rejected_template"] = pair["chosen_source"], pair["rejected_source"]
    out = write_jsonl(args.output, found)  # written whole: a crash leaves no half-written file
    print(f"wrote {len(found)} pairs from session {args.session!r} to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.reward.side_by_side", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    make_step = steps.add_parser("make", help="make a side-by-side rating session from messages")
    make_step.add_argument("--messages", required=True, help="JSONL of {id, message}")
    make_step.add_argument("--db", required=True, help="rating database (SQLite file)")
    make_step.add_argument("--session", required=True, help="new rating session id")
    make_step.add_argument("--per-message", type=int, default=CANDIDATES, help="replies per message, 2-8 (4)")
    make_step.add_argument("--overlap", type=int, default=2, help="raters per item (2)")
    make_step.set_defaults(func=make)
    pairs_step = steps.add_parser("pairs", help="preference pairs from a rated side-by-side session")
    pairs_step.add_argument("--db", required=True, help="rating database (SQLite file)")
    pairs_step.add_argument("--session", required=True, help="the side-by-side session")
    pairs_step.add_argument("--min-margin", type=float, default=0.5,
                            help="keep pairs whose mean ratings differ by more than this (0.5)")
    pairs_step.add_argument("--output", required=True, help="JSONL of pairs to write")
    pairs_step.set_defaults(func=pairs)
    args = parser.parse_args(argv)
    if args.step == "make" and not 2 <= args.per_message <= 8:
        parser.error("--per-message must be between 2 and 8")
    if not Path(args.db).exists() and args.step == "pairs":
        parser.error(f"no rating database at {args.db}")
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
