"""`rlcs accounts`: operator and rater logins, kept (hashed) next to the replay buffer.

    rlcs accounts add alice --role rater            # asks for the password twice (or reads one line of stdin)
    RLCS_ACCOUNT_PASSWORD=... rlcs accounts add bob --role operator
    rlcs accounts add alice --role rater --replace  # a new password (her open sessions end)
    rlcs accounts list
    rlcs accounts remove alice

Passwords never go on the command line (they would be visible in `ps` and the shell history).
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
import time

from bot.storage.accounts import MIN_PASSWORD, ROLES, AccountError, Accounts

PASSWORD_ENV = "RLCS_ACCOUNT_PASSWORD"


def read_password(name: str) -> str:
    """From RLCS_ACCOUNT_PASSWORD, else the terminal (twice), else one line of stdin."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        first = getpass.getpass(f"password for {name} (at least {MIN_PASSWORD} characters): ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ; nothing was changed")
        return first
    line = sys.stdin.readline()
    if not line:
        raise ValueError(f"no password: give it on stdin or in {PASSWORD_ENV}")
    return line.rstrip("\r\n")


def run(args) -> int:
    from bot.storage.replay_buffer import ReplayBuffer

    accounts = Accounts(ReplayBuffer(args.db))  # the replay buffer first: a bad --db fails in one line
    try:
        if args.action == "add":
            accounts.add(args.name, args.role, read_password(args.name), replace=args.replace)
            print(f"rlcs: account {args.name!r} ({args.role}) {'updated' if args.replace else 'created'} in {args.db}")
        elif args.action == "remove":
            accounts.remove(args.name)
            print(f"rlcs: account {args.name!r} removed")
        else:
            for a in accounts.list():
                print(f"{a['name']}\t{a['role']}\tcreated {time.strftime('%Y-%m-%d %H:%M', time.localtime(a['created_at']))}")
    except AccountError as err:
        raise ValueError(str(err)) from None
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("accounts", help="add, list or remove operator and rater logins",
                                   description="Operator and rater accounts (passwords stored as salted scrypt hashes "
                                               "in the replay buffer's SQLite file).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="create an account (password from stdin or RLCS_ACCOUNT_PASSWORD)",
                             description=f"Create an account. The password (at least {MIN_PASSWORD} characters) is "
                                         f"read from {PASSWORD_ENV}, else asked for on the terminal, else read as "
                                         "one line of stdin; never from the command line.")
    add.add_argument("name", help="account name (a rater's name is her rater id)")
    add.add_argument("--role", choices=ROLES, required=True, help="operator (console) or rater (rating view)")
    add.add_argument("--replace", action="store_true", help="set a new password / role for an existing account")
    remove = actions.add_parser("remove", help="remove an account (its sessions end)")
    remove.add_argument("name")
    listing = actions.add_parser("list", help="list the accounts (names and roles)")
    for p in (add, remove, listing):
        from bot.storage.engine import default_db

        p.add_argument("--db", default=default_db(), help="replay database: a SQLite file or a postgresql:// URL (default: $RLCS_DB or %(default)s)")
    parser.set_defaults(func=run)
    return parser
