"""`rlcs bench misfires`: do the reading rules fire where they should, and stay quiet where they should not?

Each line of the file (default tests/data/misfire_hunts.jsonl) is a first message written by a helper who saw neither
the code nor real_dev, with what the served reply's template must be or must not be:

    {"id": "h4-1", "hunt": 4, "situation": "other_order", "message": "...", "expect": ["off_topic.other_company_order"]}
    {"id": "h4-13", "hunt": 4, "situation": "other_order", "message": "...", "never": ["off_topic.other_company_order"]}

A row with "expect" is a hit when the served template is one of them; a row with "never" (a near miss that shares the
situation's words) is a false alarm when it is one of them. A list that many rows share is named once, in the lists
file beside the hunts (misfire_hunts.lists.json: {"name": [templates]}), and a row's "@name" stands for its templates:
{"expect": ["@expect-h36-goods"]}. (Round 25: the repeated lists were two thirds of a 2 MB file.) Each message opens a new conversation with the default
bot and the policy `first` (the drafter's best answer), so the figure is about reading, not sampling.
The hunts are documented in docs/reply-quality.md (rounds 13-15): hunts 4-6 were mended on, hunt 7 was held out until
round 14's rules were final, hunt 8 (round 15) was run once on its rules' first version, then mended on, hunt 9
was held out until round 15's rules were final; hunt 10 (round 16) was run once on its rules' first version, then
mended on, hunt 11 was held out until those rules were final, and hunt 12 was run once on the round's later rules,
then mended on; hunt 13 (round 17) was run once on its rules' first version, then mended on, and hunt 14 (the same
situations by another writer) was held out until hunt 13's rules were written, run once, then mended on, as was hunt
15 (a third writer) after the rules mended on both; hunt 16 (round 17's second batch) was run once, then mended on,
and hunt 17 held out until those rules were written, run once, then mended on. Round 18: hunt 18 (messages about
another company) was mended on from the start, hunts 19 and 20 were each held out until the rules before them, run
once, then mended on; hunt 21 (how to send it back, a scam check, a smashed parcel, parcels missing) was held out until
its rules were written. Round 19: hunt 22 (other languages, and English with foreign words) and hunt 23 (hunt 18's
situations by a fourth writer) were each held out until their rules were written, run once, then mended on. Round
20: hunt 24 was mended on, hunt 25 held out until its rules. Round 21: hunts 26 and 27 (an extra paid for and not done,
what a return costs, a store's facilities) were run once on the rules' first version, written before either was seen,
then mended on; hunt 28 was held out until those rules were final. Round 22: hunt 29 (a store visit gone wrong, money
at a store's till, an order to collect that wasn't there) was mended on, hunt 30 held out until its rules; hunt 31
(chasing an unanswered contact) was run once on rules written before it was seen, then mended on. Round 23: hunt 32
(a chase that names its matter) was run once on the rules' first version, then mended on; hunt 33 (the same by another
writer) was held out until then, run once, then mended on; hunts 34 and 35 (needing it fast) the same way.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path

from training.results import write_result

REPO = Path(__file__).resolve().parents[2]
HUNT_FILE = REPO / "tests" / "data" / "misfire_hunts.jsonl"


def lists_file(path: Path) -> Path:
    """The named template lists beside a hunts file: misfire_hunts.jsonl -> misfire_hunts.lists.json."""
    return Path(path).with_suffix(".lists.json")


def read_rows(path: Path) -> list[dict]:
    """The hunt rows, each "@name" in their lists replaced by the named list's templates."""
    named = json.loads(lists_file(path).read_text(encoding="utf-8")) if lists_file(path).is_file() else {}
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get("message"), str) or ("expect" in row) == ("never" in row):
            raise ValueError(f"{path}:{number}: expected a message and one of 'expect' or 'never'")
        kind = "expect" if "expect" in row else "never"
        unknown = [t for t in row[kind] if t.startswith("@") and t[1:] not in named]
        if unknown:
            raise ValueError(f"{path}:{number}: no list named {unknown[0][1:]!r} in {lists_file(path).name}")
        row[kind] = [template for t in row[kind] for template in (named[t[1:]] if t.startswith("@") else [t])]
        rows.append(row)
    return rows


def served_template(bot, row: dict) -> str:
    turn = bot.reply(f"misfire-{row.get('hunt', '')}-{row['id']}", row["message"])
    return turn.candidates[turn.chosen].template_name  # as the hunt rows name it


def _empty_group() -> dict:
    return {"hits": 0, "expected": 0, "false_alarms": 0, "near_misses": 0, "wrong": []}


def score(bot, rows: list[dict]) -> dict:
    """Per hunt and situation: hits of the "expect" rows and false alarms of the "never" rows, with the misses listed."""
    groups: dict[str, dict] = defaultdict(_empty_group)
    for row in rows:
        template = served_template(bot, row)
        for key in (f"hunt {row.get('hunt', '?')}", f"hunt {row.get('hunt', '?')} / {row.get('situation', '?')}"):
            group = groups[key]
            if "expect" in row:
                group["expected"] += 1
                group["hits"] += template in row["expect"]
            else:
                group["near_misses"] += 1
                group["false_alarms"] += template in row["never"]
        if ("expect" in row) != (template in row.get("expect", row.get("never"))):
            groups[f"hunt {row.get('hunt', '?')}"]["wrong"].append({"id": row["id"], "served": template})
    return dict(groups)


def score_rows(rows: list[dict], config: dict, workers: int = 1) -> dict:
    """`score` with a bot made from BotConfig fields `config`; with workers > 1, the rows dealt out to that many
    processes of one torch thread each, every one with its own bot and scratch file (`db_path` + ".1", ...).

    Why: reading the 4,676 hunt messages took 209 s in one process on this 2-core machine and 109 s in two (round
    27): most of a message's time is the rules' Python, which one process runs on one core."""
    if workers <= 1:
        from bot import Bot, BotConfig

        return score(Bot(BotConfig(**config)), rows)
    import multiprocessing

    from concurrent.futures import ProcessPoolExecutor

    parts = [(rows[k::workers], {**config, "db_path": f"{config['db_path']}.{k}"}) for k in range(workers)]
    # spawn, not fork: a forked copy of a process that has run torch can hang in its thread pool
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        scored = list(pool.map(_score_part, parts))
    groups: dict[str, dict] = {}
    for part in scored:
        for name, group in part.items():
            into = groups.setdefault(name, _empty_group())
            for key in ("hits", "expected", "false_alarms", "near_misses"):
                into[key] += group[key]
            into["wrong"] += group["wrong"]
    return groups


def _score_part(part: tuple[list[dict], dict]) -> dict:
    import torch

    torch.set_num_threads(1)  # one core per process
    rows, config = part
    return score_rows(rows, config)


def run(args) -> int:
    rows = read_rows(Path(args.messages))
    scratch = args.scratch_db or str(Path(tempfile.mkdtemp(prefix="rlcs-misfires-")) / "scratch.sqlite3")
    # the rules' first choice; with --reward-model, the candidate that model scores best (best-of-N)
    groups = score_rows(rows, {"db_path": scratch, "policy": "best_of_n" if args.reward_model else "first",
                               "reward_model": args.reward_model}, args.workers)
    for name, group in sorted(groups.items()):
        print(f"{name:40s} hits {group['hits']:3d} of {group['expected']:3d}   "
              f"false alarms {group['false_alarms']:3d} of {group['near_misses']:3d}")
    write_result(args.output, {"messages": str(args.messages), "groups": groups})
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("misfires", help="misfire hunts: the reading rules' hits and false alarms",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", default=str(HUNT_FILE), help="JSONL of hunts (default: %(default)s)")
    parser.add_argument("--scratch-db", default=None, help="scratch file the bot writes (default: a temporary file)")
    parser.add_argument("--output", default="runs/bench/misfires.json", help="JSON result (default: %(default)s)")
    parser.add_argument("--reward-model", default=None, metavar="DIR",
                        help="serve the candidate this reward model scores best instead of rank 1 (best-of-N)")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes reading the messages, one core each (default: %(default)s)")
    parser.set_defaults(func=run)
    return parser
