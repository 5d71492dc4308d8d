"""`rlcs backup --db runs/replay.sqlite3 OUTPUT`: a consistent copy of the (live) replay database.

The logic is bot/storage/backup.py (SQLite's online backup API); this module only wires the command.
"""
from __future__ import annotations

import argparse


def run(args) -> int:
    from bot.storage.backup import backup
    from bot.storage.engine import is_postgres

    if is_postgres(args.db):
        raise ValueError("rlcs backup copies a SQLite file; back a PostgreSQL database up with pg_dump "
                         "(e.g. pg_dump -Fc -f replay.dump DBNAME)")
    result = backup(args.db, args.output)
    counts = ", ".join(f"{result[k]} {k}" for k in ("sessions", "turns", "feedback_events") if k in result)
    print(f"rlcs: backed up {args.db} to {result['output']} ({result['bytes']:,} bytes; {counts})")
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "backup", help="copy the replay database safely, even while the bot is serving",
        description="Copy the replay database with SQLite's online backup API: a consistent snapshot, taken while "
                    "the bot keeps writing. Never copy the -wal / -shm files by hand. Restore by stopping the bot "
                    "and putting the copy in place of the database file.")
    parser.add_argument("--db", default="runs/replay.sqlite3", help="the replay database to copy (default: %(default)s)")
    parser.add_argument("output", metavar="OUTPUT", help="the new file to write (an existing file is not overwritten)")
    parser.set_defaults(func=run)
    return parser
