"""The chat server serves sessions in parallel (issue 15): a real `rlcs serve`, driven over HTTP as its page does.

Timing throughput on a shared 2-core machine is noisy, so the test makes the server's work wait without using
CPU: it holds the replay database's write lock, so that 16 customers' turns block in their storage stage, and
checks that another customer is still answered at once. A server that runs one chat event at a time (Gradio's
queue with its default concurrency_limit=1, or any limit up to 16), or a lock around the chat handlers, makes
that customer wait for the lock to be released instead.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from browser import rlcs_server

from training.serving.chat_client import ChatError, ChatServer

BLOCKED = 16
WAIT_S = 8.0  # answered in well under a second when the server is not serialised


def test_a_blocked_turn_does_not_hold_up_other_customers(tmp_path):
    db = tmp_path / "replay.sqlite3"
    with rlcs_server(["serve", "--db", str(db), "--policy", "first"], tmp_path / "serve.log") as url:
        server = ChatServer(url)
        first = server.session()
        assert first.send("hello")  # the bot is warm and the database exists

        holder = sqlite3.connect(db, timeout=30, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock: every turn now waits in its storage stage
        replies: dict[int, str] = {}
        errors: list[BaseException] = []

        def customer(i: int) -> None:
            try:
                replies[i] = server.session().send("Where is my order 10003?")
            except BaseException as err:  # noqa: BLE001 - reported below
                errors.append(err)

        threads = [threading.Thread(target=customer, args=(i,)) for i in range(BLOCKED)]
        try:
            for t in threads:
                t.start()
            time.sleep(2.0)  # all 16 reach the server and block on the lock
            assert not replies and not errors, "a turn was stored although the database was locked"

            other = ChatServer(url, timeout=WAIT_S).session()
            started = time.perf_counter()
            try:
                with pytest.raises(ChatError) as refused:  # an empty message: answered without touching the database
                    other.send("   ")
            except TimeoutError:
                pytest.fail(f"another customer got no answer within {WAIT_S:.0f} s behind {BLOCKED} blocked turns: "
                            "the chat server runs one event at a time")
            waited = time.perf_counter() - started
            assert "empty" in other.notice, refused.value
            assert waited < WAIT_S, f"another customer waited {waited:.1f} s behind {BLOCKED} blocked turns"
            assert not replies, "the blocked turns finished first: the test proved nothing"
        finally:
            holder.execute("ROLLBACK")
            holder.close()
            for t in threads:
                t.join(timeout=60)
        assert not errors, errors[:1]
        assert len(replies) == BLOCKED and all(replies.values())  # released, every blocked turn is answered
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM turns").fetchone()[0]
    assert stored == BLOCKED + 1
