"""`rlcs escalations`: the conversations the bot handed over to a person, newest first."""
from __future__ import annotations

import argparse
import json
import time


def run(args) -> int:
    from pathlib import Path

    from bot.storage.escalations import escalations
    from bot.storage.replay_buffer import ReplayBuffer

    from bot.storage.engine import is_postgres

    if not is_postgres(args.db) and not Path(args.db).is_file():
        raise FileNotFoundError(f"no replay buffer at {args.db}")
    rows = escalations(ReplayBuffer(args.db))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no escalated conversations")
        return 0
    for row in rows:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["escalated_at"]))
        order = f"order {row['order_id']}" if row.get("order_id") else ""
        print(f"{when}  {row['session_id']}  {row['reason']:<22s} {order:<12s} {row['message'][:70]!r}")
    print(f"{len(rows)} escalated conversation(s)")
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("escalations", help="list conversations handed over to a person",
                                   description=__doc__)
    from bot.storage.engine import default_db

    parser.add_argument("--db", default=default_db(), help="replay database: a SQLite file or a postgresql:// URL (default: $RLCS_DB or %(default)s)")
    parser.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    parser.set_defaults(func=run)
    return parser
