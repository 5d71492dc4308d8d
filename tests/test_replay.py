import sqlite3

import pytest

from bot.candidate import Candidate, Turn
from bot.storage.replay_buffer import FeedbackError, ReplayBuffer, StorageError


def make_turn(turn_id="t1", session="s1", texts=("Hello!", "Hi, how can I help?")):
    candidates = [Candidate(text, "retrieval", 0.9 - 0.1 * i, propensity=0.5) for i, text in enumerate(texts)]
    return Turn(turn_id, session, candidates[1].text, 1, candidates, intent="greeting", policy_version="softmax(T=0.05)",
                latency_ms={"drafting": 5.0, "selection": 0.1, "storage": 0.0, "total": 5.1})


def counts(path):
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("sessions", "turns", "candidates", "feedback", "feedback_events")}
    finally:
        con.close()


def test_turn_is_stored_with_all_candidates_in_wal_mode(tmp_path):
    path = tmp_path / "r.sqlite3"
    replay = ReplayBuffer(path)
    replay.log_turn(make_turn(), "hello there", [], turn_index=0, slots={"order_id": "12345"})
    assert counts(path) == {"sessions": 1, "turns": 1, "candidates": 2, "feedback": 0, "feedback_events": 0}
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = con.execute("SELECT idx, text, source, score, propensity FROM candidates ORDER BY idx").fetchall()
    assert rows == [(0, "Hello!", "retrieval", 0.9, 0.5), (1, "Hi, how can I help?", "retrieval", 0.8, 0.5)]
    turn = con.execute("SELECT chosen, propensity, reply_text, policy_version, user_text FROM turns").fetchone()
    assert turn == (1, 0.5, "Hi, how can I help?", "softmax(T=0.05)", "hello there")


def test_pii_is_masked_before_storage(tmp_path):
    path = tmp_path / "r.sqlite3"
    replay = ReplayBuffer(path)
    turn = make_turn(texts=("We'll email bob@example.com", "ok"))
    replay.log_turn(turn, "I'm bob@example.com, card 4111 1111 1111 1111", [("customer", "call +44 20 7946 0958")], 0)
    raw = path.read_bytes() + (tmp_path / "r.sqlite3-wal").read_bytes()
    for secret in (b"bob@example.com", b"4111 1111 1111 1111", b"7946 0958"):
        assert secret not in raw
    con = sqlite3.connect(path)
    assert con.execute("SELECT user_text, context FROM turns").fetchone() == (
        "I'm [email], card [card]", '[["customer", "call [phone]"]]')


def test_revote_replaces_the_vote_and_keeps_every_event(tmp_path):
    path = tmp_path / "r.sqlite3"
    replay = ReplayBuffer(path)
    replay.log_turn(make_turn(), "hi", [], 0)
    replay.add_feedback("t1", 1)
    replay.add_feedback("t1", -1, reason="too_long", comment="way too long")
    con = sqlite3.connect(path)
    assert con.execute("SELECT turn_id, thumb, reason, comment FROM feedback").fetchall() == [("t1", -1, "too_long", "way too long")]
    assert con.execute("SELECT thumb, reason FROM feedback_events ORDER BY event_id").fetchall() == [(1, None), (-1, "too_long")]


@pytest.mark.parametrize("kwargs, message", [
    (dict(turn_id="nope", thumb=1), "unknown turn_id"),
    (dict(turn_id="t1", thumb=0), "thumb must be"),
    (dict(turn_id="t1", thumb=True), "thumb must be"),
    (dict(turn_id="t1", thumb=-1, reason="ugly"), "unknown reason"),
])
def test_bad_feedback_raises_clearly_and_writes_nothing(tmp_path, kwargs, message):
    path = tmp_path / "r.sqlite3"
    replay = ReplayBuffer(path)
    replay.log_turn(make_turn(), "hi", [], 0)
    before = counts(path)
    with pytest.raises(FeedbackError, match=message):
        replay.add_feedback(**kwargs)
    assert counts(path) == before


@pytest.mark.parametrize("csat, resolved, message", [
    (0, True, "csat"), (6, True, "csat"), (3.5, True, "csat"), (4, "yes", "resolved"),
])
def test_bad_end_of_session_raises_and_writes_nothing(tmp_path, csat, resolved, message):
    replay = ReplayBuffer(tmp_path / "r.sqlite3")
    replay.log_turn(make_turn(), "hi", [], 0)
    with pytest.raises(FeedbackError, match=message):
        replay.end_session("s1", csat, resolved)
    assert replay.query("SELECT csat, resolved, ended_at FROM sessions") == [{"csat": None, "resolved": None, "ended_at": None}]


def test_end_session_of_unknown_session_is_refused(tmp_path):
    replay = ReplayBuffer(tmp_path / "r.sqlite3")
    with pytest.raises(FeedbackError, match="unknown session_id"):
        replay.end_session("ghost", 4, True)


def test_duplicate_turn_id_rolls_back_the_whole_turn(tmp_path):
    path = tmp_path / "r.sqlite3"
    replay = ReplayBuffer(path)
    replay.log_turn(make_turn(), "hi", [], 0)
    with pytest.raises(StorageError, match="UNIQUE constraint failed"):  # every failed write is a StorageError
        replay.log_turn(make_turn(texts=("a", "b", "c")), "again", [], 1)
    assert counts(path)["candidates"] == 2  # none of the second turn's three candidates were kept


def test_export_to_dataset(tmp_path):
    replay = ReplayBuffer(tmp_path / "r.sqlite3")
    replay.log_turn(make_turn(), "hi", [], 0)
    replay.add_feedback("t1", -1, reason="rude")
    replay.end_session("s1", 2, False)
    ds = replay.to_dataset()
    assert len(ds) == 1
    row = ds[0]
    assert row["candidates"] == ["Hello!", "Hi, how can I help?"] and row["chosen"] == 1
    assert (row["thumb"], row["thumb_reason"], row["csat"], row["resolved"]) == (-1, "rude", 2, 0)
    assert row["propensities"] == [0.5, 0.5]
