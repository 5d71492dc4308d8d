"""`rlcs rate`: serve the rating app alone (Rate + Dashboard tabs), no model needed.

    rlcs rate --items items.jsonl --session pilot --overlap 2 --admin-password s3cret
    rlcs rate --from-replay 30 --session week-47          # items from logged turns

Access: raters open the page, choose the session and type their rater id. The Dashboard tab (create
and close sessions, all raters, agreement, scores, export) unlocks with the admin password
(--admin-password or env RLCS_ADMIN_PASSWORD). With --rater-password (or env RLCS_RATER_PASSWORD)
the app puts Gradio's login page in front: raters sign in with their rater id as user name and the
shared rater password (the Rate tab then uses the login name, so nobody can rate as someone else),
and the admin signs in as "admin" with the admin password.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path


def make_auth(admin_password: str | None, rater_password: str | None):
    """Gradio `auth` callable: 'admin' + admin password, or any valid rater id + the rater password."""
    import hmac

    from bot.ratings.store import _ID

    def auth(username: str, password: str) -> bool:
        same = lambda a, b: hmac.compare_digest(str(a).encode(), str(b).encode())  # noqa: E731
        if username == "admin":
            return bool(admin_password) and same(password, admin_password)
        return bool(rater_password) and bool(_ID.match(username or "")) and same(password, rater_password)

    return auth


def build_rating_app(bot_or_store, admin_password: str | None = None):
    import gradio as gr

    from ui.dashboard import build_dashboard_tab
    from ui.rate import build_rate_tab

    with gr.Blocks(title="rlcs · rating sessions") as app:
        gr.Markdown("## Northwind Threads · reply rating")
        with gr.Tab("Rate", elem_id="tab-rate"):
            build_rate_tab(bot_or_store, admin_password=admin_password)
        with gr.Tab("Dashboard", elem_id="tab-dashboard"):
            build_dashboard_tab(bot_or_store, admin_password=admin_password)
    return app


def run(args) -> int:
    from bot.ratings.store import RatingStore

    admin_password = args.admin_password or os.environ.get("RLCS_ADMIN_PASSWORD")
    rater_password = args.rater_password or os.environ.get("RLCS_RATER_PASSWORD")
    if args.items and args.from_replay:
        raise ValueError("give --items or --from-replay, not both")
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
    app = build_rating_app(store, admin_password)
    auth = make_auth(admin_password, rater_password) if rater_password else None
    print(f"rlcs: rating on http://{args.host}:{args.port} (replay buffer: {args.db}; admin "
          f"{'on' if admin_password else 'off: no --admin-password'})", flush=True)
    app.queue(default_concurrency_limit=8).launch(server_name=args.host, server_port=args.port, auth=auth,
                                                  show_error=False, quiet=True, footer_links=[],
                                                  allowed_paths=[str(Path(args.db).resolve().parent)])  # result plots
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "rate", help="serve blind side-by-side rating sessions (and the admin dashboard) in the browser",
        description="Serve the rating app alone: raters score or rank candidate replies blind; the admin "
                    "creates sessions, sees agreement and Bradley-Terry scores, and exports training data.")
    parser.add_argument("--db", default="runs/replay.sqlite3", help="SQLite replay buffer (default: %(default)s)")
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
    parser.add_argument("--admin-password", default=None, help="unlocks the Dashboard (or env RLCS_ADMIN_PASSWORD)")
    parser.add_argument("--rater-password", default=None,
                        help="put a login page in front: raters log in with their id and this password "
                             "(or env RLCS_RATER_PASSWORD)")
    parser.set_defaults(func=run)
    return parser
