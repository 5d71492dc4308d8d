"""`rlcs rate --terminal` (ui/rate_terminal.py): a rater logs in with her own account and rates a real session in a
real SQLite file through the same RatingStore as the browser app; bad input is asked again, a wrong password writes
nothing, and "q" leaves the open item for next time."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.ratings.store import RatingStore
from bot.storage.accounts import Accounts

ITEMS = [{"id": "one", "context": "my scarf arrived with a hole in it",
          "candidates": ["Sorry! Send a photo and I'll replace it.", "Our opening hours are 9 to 9."]},
         {"id": "two", "context": "do you ship to Canada?",
          "candidates": ["Yes, standard and express.", "Please reset your password."]}]


@pytest.fixture()
def session(tmp_path):
    db = tmp_path / "replay.sqlite3"
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps(i) for i in ITEMS) + "\n", encoding="utf-8")
    RatingStore(db).create_session_from_jsonl(items, "pilot", overlap=2)
    Accounts(db).add("alice", "rater", "alice-password")
    return db


def rate(db, typed: str, password: str = "alice-password"):
    env = dict(os.environ, RLCS_ACCOUNT_PASSWORD=password)
    return subprocess.run([sys.executable, "-m", "ui.cli", "rate", "--terminal", "--db", str(db), "--session", "pilot",
                           "--rater", "alice"], input=typed, capture_output=True, text=True, env=env, timeout=120)


def test_a_rater_rates_in_the_terminal_and_bad_input_is_asked_again(session):
    # item 1: a score out of range, then good scores; a low score needs a known reason; no comment; then q
    first = rate(session, "9 9\n4 2\nsmelly\nnot_helpful\n\nq\n")
    assert first.returncode == 0, first.stderr
    assert "Please give 2 whole numbers from 1 to 5" in first.stdout and "Please name at least one of" in first.stdout
    assert "Saved (1 of 2)" in first.stdout and "Item 2 of 2 waits for you" in first.stdout
    rows = RatingStore(session).my_ratings("pilot", "alice")
    assert len(rows) == 1
    # the next run starts with the item left open, and ends when nothing is left
    second = rate(session, "5 1\ndidnt_understand\nclear\n")
    assert second.returncode == 0, second.stderr
    assert "=== item 2 of 2" in second.stdout and "Nothing left for you in 'pilot': 2 of 2 rated" in second.stdout
    assert len(RatingStore(session).my_ratings("pilot", "alice")) == 2
    assert "Traceback" not in first.stderr + second.stderr


def test_a_wrong_password_rates_nothing(session):
    result = rate(session, "4 4\n\n", password="not-her-password")
    assert result.returncode != 0
    assert "wrong name or password for 'alice'" in result.stderr and "Traceback" not in result.stderr
    assert RatingStore(session).my_ratings("pilot", "alice") == []
