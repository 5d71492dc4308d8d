"""`rlcs rate --terminal`: rate a session's items in a terminal, one at a time, with no browser.

    rlcs rate --terminal --session real-dev-r24 --rater alice          # password: RLCS_ACCOUNT_PASSWORD or asked

For raters on a remote machine or a screen reader, and for scripted raters: the same RatingStore as the browser
app (bot/ratings/store.py), so the same blind order of replies per rater, the same checks and the same one-transaction
submission. The rater logs in with her own account (`rlcs accounts add NAME --role rater`); each item shows the
conversation and the replies as A, B, ...; she types a score 1-5 per reply, a reason for each low score, and an
optional comment. A submission that fails its checks is said in one line and the same item comes back; "q" stops,
and the item left open comes back first next time.
"""
from __future__ import annotations

import getpass
import os
import sys

from bot.ratings.store import LOW_SCORE, RatingError, RatingStore
from bot.storage.replay_buffer import REASONS

QUIT = "q"


class Quit(Exception):
    """The rater typed q."""


def rate(store: RatingStore, session_id: str, rater_id: str, read=input, write=print) -> int:
    """Items until none is left for this rater or she quits; the number she submitted."""
    submitted = 0
    while True:
        item = store.next_item(session_id, rater_id)
        if item is None:
            done, total = store.progress(session_id, rater_id)
            write(f"Nothing left for you in {session_id!r}: {done} of {total} rated. Thank you!")
            return submitted
        if item.mode != "score":
            write(f"{session_id!r} ranks its replies; rank them in the browser app (`rlcs rate`).")
            return submitted
        _show(item, write)
        try:
            scores = _ask_scores(len(item.replies), read, write)
            reasons = [_ask_reasons(chr(65 + k), read, write) if score <= LOW_SCORE and item.require_reasons else []
                       for k, score in enumerate(scores)]
            comment = read("comment (optional, Enter to skip): ").strip() or None
        except (Quit, EOFError):
            write(f"Stopped; {submitted} submitted this time. Item {item.position} of {item.total} waits for you.")
            return submitted
        try:
            store.submit(rater_id, item.item_id, scores=scores, reasons=reasons, comment=comment)
        except RatingError as error:
            write(f"Not saved: {error}. The item comes back.")
            continue
        submitted += 1
        write(f"Saved ({item.position} of {item.total}).\n")


def _show(item, write) -> None:
    write(f"=== item {item.position} of {item.total}")
    for role, text in item.context:
        write(f"{'CUSTOMER' if role == 'customer' else role.upper()}: {text}")
    for k, reply in enumerate(item.replies):
        write(f"--- reply {chr(65 + k)}: {reply}")


def _ask_scores(n: int, read, write) -> list[int]:
    labels = " ".join(chr(65 + k) for k in range(n))
    while True:
        answer = read(f"scores for {labels}, 1-5 each, space-separated ({QUIT} quits): ").strip().lower()
        if answer == QUIT:
            raise Quit
        parts = answer.replace(",", " ").split()
        if len(parts) == n and all(p in "12345" and len(p) == 1 for p in parts):
            return [int(p) for p in parts]
        write(f"Please give {n} whole numbers from 1 to 5, e.g. {' '.join(['4'] * n)}.")


def _ask_reasons(label: str, read, write) -> list[str]:
    while True:
        answer = read(f"why is {label} low? one or more of {', '.join(REASONS)} ({QUIT} quits): ").strip().lower()
        if answer == QUIT:
            raise Quit
        reasons = [r for r in answer.replace(",", " ").split() if r]
        if reasons and all(r in REASONS for r in reasons):
            return reasons
        write(f"Please name at least one of: {', '.join(REASONS)}.")


def run(args) -> int:
    """Log the rater in with her own account, then rate (ui/rate_app.py hands --terminal here)."""
    from bot.storage.accounts import Accounts
    from ui.accounts import PASSWORD_ENV

    if not args.session or not args.rater:
        raise ValueError("--terminal needs --session and --rater (your account name)")
    store = RatingStore(args.db)
    if args.session not in {s["session_id"] for s in store.sessions()}:
        raise ValueError(f"no rating session {args.session!r} in {args.db}")
    password = os.environ.get(PASSWORD_ENV) or (getpass.getpass(f"password for {args.rater}: ") if sys.stdin.isatty()
                                                else sys.stdin.readline().rstrip("\r\n"))
    account = Accounts(store.replay).authenticate(args.rater, password, ip="terminal")
    if account is None or account.role not in ("rater", "operator"):
        raise ValueError(f"wrong name or password for {args.rater!r} (or no rater account)")
    rate(store, args.session, account.name)
    return 0
