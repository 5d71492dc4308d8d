"""`rlcs rate`: the rating app alone, no model needed.

    rlcs accounts add alice --role rater               # one account per rater (password from stdin)
    RLCS_ADMIN_PASSWORD=... rlcs rate --items items.jsonl --session pilot --overlap 2
    rlcs rate --from-replay 30 --session week-47       # items from logged turns
    rlcs rate --terminal --session week-47 --rater alice   # rate in this terminal, no browser (ui/rate_terminal.py)

Raters log in at / with their own account (the rater id is the account name: nobody can rate as someone
else, and each sees only her own ratings). Operators log in at /operator for the console: rating-session
admin (create and close sessions, all raters, agreement, scores, export), conversations and figures.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def run(args) -> int:
    if args.terminal:  # one rater at a time in this terminal, no server (ui/rate_terminal.py)
        from ui.rate_terminal import run as rate_in_terminal

        return rate_in_terminal(args)
    from ui.web import FrontDoor, Page, blocked_paths, prepare_accounts, serve

    if args.items and args.from_replay:
        raise ValueError("give --items or --from-replay, not both")
    accounts = prepare_accounts(args.db, args)  # a bad password fails here, before the slow imports

    from bot.ratings.store import RatingStore
    from ui.app import build_rater_app
    from ui.console import build_console

    store = RatingStore(args.db)
    options = {"overlap": args.overlap, "mode": args.mode, "quota": args.quota,
               "require_reasons": not args.no_required_reasons}
    if args.items or args.from_replay:

        session = args.session or (Path(args.items).stem if args.items else None)
        existing = {s["session_id"] for s in store.sessions()}
        if session and session in existing:  # restarting the server must not duplicate the session
            print(f"rlcs: rating session {session!r} already exists; serving it as it is", flush=True)
        elif args.items:
            sid = store.create_session_from_jsonl(args.items, session, **options)
            print(f"rlcs: created rating session {sid!r} from {args.items}", flush=True)
        else:
            sid = store.create_session_from_replay(args.session, n_items=args.from_replay,
                                                   max_candidates=args.max_candidates, seed=args.seed, **options)
            print(f"rlcs: created rating session {sid!r} from {args.from_replay} logged turns", flush=True)
    pages = [Page("/", build_rater_app(store), ("rater", "operator"), "rating"),
             Page("/operator", build_console(store), ("operator",), "operator console")]
    app = FrontDoor(accounts, args.port, pages, blocked_paths(args.db)).build()
    base = f"http://{args.host}:{args.port}"
    print(f"rlcs: rating on {base}/ (raters, login) and {base}/operator/ (operator console, login); "
          f"replay buffer: {store.replay.engine.location}", flush=True)
    serve(app, args.host, args.port)
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    from ui.web import add_login_arguments

    parser = subparsers.add_parser(
        "rate", help="serve blind side-by-side rating sessions (and the admin dashboard) in the browser",
        description="Serve the rating app alone: raters (own accounts, `rlcs accounts add NAME --role rater`) "
                    "score or rank candidate replies blind at /; operators create sessions, see agreement and "
                    "Bradley-Terry scores, and export training data in the console at /operator.")
    from bot.storage.engine import default_db

    parser.add_argument("--db", default=default_db(), help="replay database: a SQLite file or a postgresql:// URL (default: $RLCS_DB or %(default)s)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=int, default=7861, help="port (default: %(default)s)")
    parser.add_argument("--items", default=None, help="JSONL of items to rate: creates a session at start")
    parser.add_argument("--from-replay", type=int, default=None, metavar="N",
                        help="create a session from N logged turns (those not rated before)")
    parser.add_argument("--session", default=None, help="id of the session --items / --from-replay create "
                                                        "(kept if it exists already)")
    parser.add_argument("--overlap", type=int, default=2, help="raters per item, at least 2 (default: %(default)s)")
    parser.add_argument("--mode", choices=("score", "rank"), default="score",
                        help="raters score each reply 1-5, or rank them (default: %(default)s)")
    parser.add_argument("--quota", type=int, default=None, help="most items one rater gets (default: no limit)")
    parser.add_argument("--max-candidates", type=int, default=4, help="replies per item from the replay buffer "
                                                                      "(default: %(default)s)")
    parser.add_argument("--no-required-reasons", action="store_true",
                        help="do not require reasons for scores of 2 or less")
    parser.add_argument("--seed", type=int, default=0, help="seed for sampling logged turns (default: %(default)s)")
    parser.add_argument("--terminal", action="store_true",
                        help="rate --session's items here in the terminal as --rater (your account; password from "
                             "RLCS_ACCOUNT_PASSWORD or asked), instead of serving the browser app")
    parser.add_argument("--rater", default=None, help="with --terminal: your rater account's name")
    add_login_arguments(parser)
    parser.set_defaults(func=run)
    return parser
