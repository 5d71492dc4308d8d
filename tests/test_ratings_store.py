"""The rating store on a real SQLite file: assignment, blindness, exact rows, and bad input storing nothing."""
from __future__ import annotations

import json
import sqlite3

import pytest

from bot.candidate import Candidate, Turn
from bot.ratings.store import RatingError, RatingStore, load_items_jsonl
from bot.storage.replay_buffer import ReplayBuffer


def _items(n=3, k=3):
    return [{"id": f"q{i}", "context": [["customer", f"question {i}"]],
             "candidates": [{"text": f"reply {i}.{j}", "source": f"s{j}"} for j in range(k)]} for i in range(n)]


@pytest.fixture
def store(tmp_path):
    return RatingStore(tmp_path / "replay.sqlite3")


def _table(store, sql):
    return [tuple(r) for r in store.replay.connection().execute(sql).fetchall()]


def _rate(store, rater, item, values_by_idx, reasons_by_idx=None, comment=None):
    """Submit values given per candidate idx, translating to the rater's display order via the texts."""
    order = [int(text.split(".")[1]) for text in item.replies]  # "reply <item>.<idx>"
    reasons = [list((reasons_by_idx or {}).get(i, [])) for i in order]
    return store.submit(rater, item.item_id, scores=[values_by_idx[i] for i in order], reasons=reasons,
                        comment=comment)


def test_two_raters_three_items_exact_rows(store):
    store.create_session("pilot", _items(), overlap=2)
    opinions = {"ann": [5, 3, 1], "bob": [4, 4, 2]}
    for rater, values in opinions.items():
        for position in (1, 2, 3):
            item = store.next_item("pilot", rater)
            assert (item.position, item.total) == (position, 3)
            assert "s0" not in repr(item.__dict__)  # the rater's view carries no source
            _rate(store, rater, item, dict(enumerate(values)), {2: ["wrong_info"]},
                  comment="hm" if position == 2 else None)
        assert store.next_item("pilot", rater) is None
        assert store.progress("pilot", rater) == (3, 3)
    assert _table(store, "SELECT item_id, rater_id, idx, score, rank, reasons FROM rating_scores "
                         "ORDER BY item_id, rater_id, idx") == [
        (f"pilot:{n}", r, j, opinions[r][j], None, '["wrong_info"]' if j == 2 else "[]")
        for n in (1, 2, 3) for r in ("ann", "bob") for j in range(3)]
    assert _table(store, "SELECT item_id, rater_id, comment, submitted_at > assigned_at FROM rating_assignments "
                         "ORDER BY item_id, rater_id") == [
        (f"pilot:{n}", r, "hm" if n == 2 else None, 1) for n in (1, 2, 3) for r in ("ann", "bob")]
    assert store.sessions()[0] | {"created_at": 0} == {
        "session_id": "pilot", "mode": "score", "overlap": 2, "quota": None, "source": "jsonl", "created_at": 0,
        "closed_at": None, "items": 3, "submissions": 6, "raters": 2, "complete": 3}
    # Only one's own work comes back to a rater.
    mine = store.my_ratings("pilot", "ann")
    assert len(mine) == 3 and all("4" not in row["judgement"] for row in mine)


def test_overlap_no_repeats_and_quota(store):
    store.create_session("s", _items(n=4), overlap=2)
    seen: dict[str, list[str]] = {}
    for _ in range(10):  # three raters interleaved until nobody gets anything
        for rater in ("a", "b", "c"):
            item = store.next_item("s", rater)
            if item:
                assert item.item_id not in seen.setdefault(rater, [])
                seen[rater].append(item.item_id)
                _rate(store, rater, item, {0: 3, 1: 3, 2: 3})
    per_item = _table(store, "SELECT item_id, COUNT(DISTINCT rater_id), COUNT(*) FROM rating_assignments "
                             "GROUP BY item_id")
    assert per_item == [(f"s:{n}", 2, 2) for n in (1, 2, 3, 4)]  # every item exactly `overlap` raters
    store.create_session("q", _items(n=4, k=2), overlap=3, quota=2)
    assert store.progress("q", "a") == (0, 2)
    for _ in range(2):
        _rate(store, "a", store.next_item("q", "a"), {0: 4, 1: 2}, {1: ["too_long"]})
    assert store.next_item("q", "a") is None


def test_resume_same_item_same_order_and_no_content_twice(store):
    store.create_session("one", _items(n=1))
    first = store.next_item("one", "ann")
    again = store.next_item("one", "ann")
    assert (again.item_id, again.replies) == (first.item_id, first.replies)
    _rate(store, "ann", first, {0: 5, 1: 4, 2: 3})
    store.create_session("copy", _items(n=1))  # the same content in a later session: not shown to ann again
    assert store.next_item("copy", "ann") is None
    assert store.next_item("copy", "bob") is not None


def _snapshot(store):
    return (_table(store, "SELECT * FROM rating_scores"),
            _table(store, "SELECT item_id, rater_id, submitted_at, comment FROM rating_assignments"))


def test_bad_input_gives_a_clear_error_and_stores_nothing(store):
    store.create_session("pilot", _items(n=2))
    item = store.next_item("pilot", "ann")
    _rate(store, "bob", store.next_item("pilot", "bob"), {0: 5, 1: 4, 2: 3})
    store.next_item("pilot", "bob")  # bob holds item 2 now
    before = _snapshot(store)
    ok = dict(scores=[3, 3, 3], reasons=[[], [], []])
    cases = [
        (dict(ok, scores=[3, 6, 3]), "reply B: a score must be a whole number from 1 to 5, got 6"),
        (dict(ok, scores=[0, 3, 3]), "reply A: a score must be a whole number from 1 to 5, got 0"),
        (dict(ok, scores=[3, "4", 3]), "got '4'"),
        (dict(ok, scores=[3, 2.5, 3]), "got 2.5"),
        (dict(ok, scores=[True, 3, 3]), "got True"),
        (dict(ok, scores=[3, 3, None]), "reply C has no score yet"),
        (dict(ok, scores=[3, 3]), "give a score for each of the 3 replies"),
        (dict(ok, scores=[1, 3, 3]), "reply A scored 1: pick at least one reason"),
        (dict(ok, reasons=[["bogus"], [], []]), "unknown reason 'bogus'"),
        (dict(ok, ranks=[1, 2, 3]), "this session asks for scores only"),
        (dict(ok, comment="x" * 2001), "the limit is 2000"),
    ]
    for kwargs, message in cases:
        with pytest.raises(RatingError, match=message.replace("(", r"\(").replace(")", r"\)")):
            store.submit("ann", item.item_id, **kwargs)
    with pytest.raises(RatingError, match="unknown item 'pilot:99'"):
        store.submit("ann", "pilot:99", **ok)
    with pytest.raises(RatingError, match="item 'pilot:2' was not given to rater 'ann'"):
        store.submit("ann", "pilot:2", **ok)
    with pytest.raises(RatingError, match="already submitted item 'pilot:1'"):
        store.submit("bob", "pilot:1", **ok)
    with pytest.raises(RatingError, match="rater id must be"):
        store.submit("ann smith", item.item_id, **ok)
    with pytest.raises(RatingError, match="unknown rating session 'nope'"):
        store.next_item("nope", "ann")
    assert _snapshot(store) == before
    store.submit("ann", item.item_id, **ok)
    with pytest.raises(RatingError, match="already submitted"):  # double submission
        store.submit("ann", item.item_id, **ok)
    assert len(_snapshot(store)[0]) == len(before[0]) + 3
    store.close_session("pilot")
    before = _snapshot(store)
    with pytest.raises(RatingError, match="'pilot' is closed"):
        store.submit("bob", "pilot:2", **ok)
    assert store.next_item("pilot", "cat") is None and _snapshot(store) == before


def test_rank_mode(store):
    store.create_session("r", _items(n=1, k=3), mode="rank")
    item = store.next_item("r", "ann")
    with pytest.raises(RatingError, match="each of 1 to 3 exactly once"):
        store.submit("ann", item.item_id, ranks=[1, 1, 2])
    with pytest.raises(RatingError, match="from 1 to 3, got 4"):
        store.submit("ann", item.item_id, ranks=[1, 2, 4])
    rank_of_idx = {0: 1, 1: 3, 2: 2}
    idx = [int(t.split(".")[1]) for t in item.replies]
    store.submit("ann", item.item_id, ranks=[rank_of_idx[i] for i in idx])
    rows = store.rating_rows("r")
    assert [(r["idx"], r["rank"], r["score"], r["value"]) for r in rows] == [(0, 1, None, 3), (1, 3, None, 1),
                                                                            (2, 2, None, 2)]


def test_items_from_jsonl_with_clear_errors(tmp_path, store):
    good = tmp_path / "items.jsonl"
    good.write_text(json.dumps({"id": "x", "context": [{"role": "user", "content": "mail me at a@b.com"},
                                                        {"role": "assistant", "content": "Sure."}],
                                "candidates": ["one", {"text": "two", "source": "gen", "policy_version": "v2"}]})
                    + "\n\n" + json.dumps({"context": "hi", "candidates": ["a", "b"]}) + "\n")
    items = load_items_jsonl(good)
    assert items[0]["context"] == [["customer", "mail me at [email]"], ["bot", "Sure."]]  # PII masked on the way in
    assert items[0]["candidates"][1] == {"text": "two", "source": "gen", "policy_version": "v2", "chosen": None,
                                         "score": None}
    assert store.create_session_from_jsonl(good) == "items"
    bad_lines = {
        "{not json": "line 1: not valid JSON",
        json.dumps({"context": "hi", "candidates": ["only one"]}): "line 1: 'candidates' must be a list of 2 to 8",
        json.dumps({"context": [["robot", "x"]], "candidates": ["a", "b"]}): "context message 1 needs a role",
        json.dumps({"context": "hi", "candidates": ["a", "a"]}): "candidate 2 repeats",
        json.dumps({"context": [], "candidates": ["a", "b"]}): "'context' must be the conversation so far",
    }
    for line, message in bad_lines.items():
        bad = tmp_path / "bad.jsonl"
        bad.write_text(line + "\n")
        with pytest.raises(RatingError, match=message):
            load_items_jsonl(bad)
    with pytest.raises(FileNotFoundError):
        load_items_jsonl(tmp_path / "missing.jsonl")
    with pytest.raises(RatingError, match="already exists"):
        store.create_session_from_jsonl(good)
    with pytest.raises(RatingError, match="overlap .* must be a whole number >= 2"):
        store.create_session("o", _items(), overlap=1)


def _log(replay, turn_id, texts, chosen=0, version="v1", user="where is my order?"):
    cands = [Candidate(text=t, source="retrieval" if i % 2 == 0 else "generative", score=1.0 - 0.1 * i, propensity=0.25)
             for i, t in enumerate(texts)]
    turn = Turn(turn_id=turn_id, session_id=f"s-{turn_id}", text=texts[chosen], chosen=chosen, candidates=cands,
                intent="track_order", policy_version=version, latency_ms={"total": 1.0})
    replay.log_turn(turn, user, [("customer", "hello"), ("bot", "hi!")], turn_index=1)


def test_items_from_the_replay_buffer(tmp_path):
    replay = ReplayBuffer(tmp_path / "replay.sqlite3")
    _log(replay, "t1", ["a", "b", "b", "c", "d", "e"], chosen=3, version="v7")
    _log(replay, "t2", ["same", "same"])  # one distinct reply: nothing to compare
    _log(replay, "t3", ["x", "y"], version="v8")
    store = RatingStore(replay)  # same file as the replay buffer
    assert sqlite3.connect(tmp_path / "replay.sqlite3").execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('turns', 'rating_items')").fetchone() == (2,)
    sid = store.create_session_from_replay("week", n_items=10, max_candidates=4)
    rows = _table(store, "SELECT i.turn_id, i.context, c.idx, c.text, c.source, c.policy_version, c.chosen "
                         "FROM rating_items i JOIN rating_candidates c USING (item_id) ORDER BY i.turn_id, c.idx")
    context = json.dumps([["customer", "hello"], ["bot", "hi!"], ["customer", "where is my order?"]])
    assert rows == [  # the served reply first, then the best-scored distinct alternatives
        ("t1", context, 0, "c", "generative", "v7", 1), ("t1", context, 1, "a", "retrieval", None, 0),
        ("t1", context, 2, "b", "generative", None, 0), ("t1", context, 3, "d", "retrieval", None, 0),
        ("t3", context, 0, "x", "retrieval", "v8", 1), ("t3", context, 1, "y", "generative", None, 0)]
    assert sid == "week"
    with pytest.raises(RatingError, match="not already in a rating session"):  # rated turns are not offered again
        store.create_session_from_replay("again")


def test_login_check_for_raters_and_operators(tmp_path):
    # One account per person now (no shared rater password): tests/test_accounts.py has the rest.
    from bot.storage.accounts import Accounts

    accounts = Accounts(tmp_path / "replay.sqlite3")
    accounts.add("cy", "rater", "rater-password")
    accounts.add("admin", "operator", "admin-password")
    assert accounts.authenticate("admin", "admin-password").role == "operator"
    assert accounts.authenticate("cy", "rater-password").role == "rater"
    assert not accounts.authenticate("admin", "rater-password") and not accounts.authenticate("cy", "admin-password")
