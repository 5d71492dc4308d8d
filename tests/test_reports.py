"""What the operator console reads: conversations with feedback, a conversation with its candidates,
escalations, and the figures by day, intent and policy version."""
from bot.candidate import Candidate, Turn
from bot.storage import reports
from bot.storage.replay_buffer import ReplayBuffer


def _turn(replay, session, n, intent, version, meta=None, user="where is my order?"):
    cands = [Candidate("reply a", "retrieval", 0.9, 0.75, meta=meta or {}), Candidate("reply b", "retrieval", 0.5, 0.25)]
    turn = Turn(f"{session}-{n}", session, "reply a", 0, cands, intent=intent, policy_version=version,
                latency_ms={"total": 1.0})
    replay.log_turn(turn, user, [], turn_index=n)
    return turn.turn_id


def test_conversations_figures_and_escalations(tmp_path):
    replay = ReplayBuffer(tmp_path / "replay.sqlite3")
    a0, a1 = _turn(replay, "a", 0, "track_order", "v1"), _turn(replay, "a", 1, "return", "v1")
    b0 = _turn(replay, "b", 0, "track_order", "v2", meta={"handover": "customer_asked"}, user="a person please")
    replay.add_feedback(a0, 1)
    replay.add_feedback(a1, -1, "too_long")
    replay.add_feedback(b0, -1)
    replay.end_session("a", csat=4, resolved=True)
    replay.end_session("b", csat=2, resolved=False)

    listed = {c["session_id"]: c for c in reports.conversations(replay)}
    assert (listed["a"]["turns"], listed["a"]["ups"], listed["a"]["downs"], listed["a"]["csat"]) == (2, 1, 1, 4)
    assert [c["session_id"] for c in reports.conversations(replay, only="escalated")] == ["b"]
    turns = reports.conversation(replay, "a")
    assert [(t["thumb"], t["reason"], len(t["candidates"])) for t in turns] == [(1, None, 2), (-1, "too_long", 2)]
    assert turns[0]["candidates"][0]["propensity"] == 0.75
    assert [(e["session_id"], e["reason"]) for e in reports.escalations(replay)] == [("b", "customer_asked")]

    (day,) = reports.daily_figures(replay)
    assert (day["conversations"], day["turns"], day["downs"], day["thumbs_down_rate"]) == (2, 3, 2, 0.667)
    assert (day["rated"], day["csat"], day["resolved_share"]) == (2, 3.0, 0.5)
    by_intent = {r["intent"]: r for r in reports.figures_by(replay, "intent")}
    assert by_intent["track_order"]["turns"] == 2 and by_intent["track_order"]["csat"] == 3.0  # a and b, once each
    by_policy = {r["policy_version"]: r for r in reports.figures_by(replay, "policy_version")}
    assert (by_policy["v1"]["thumbs_down_rate"], by_policy["v1"]["csat"], by_policy["v2"]["resolved_share"]) == \
        (0.5, 4.0, 0.0)
    assert reports.conversations(replay, only="suggestions") == []
    _turn(replay, "c", 0, reports.FEEDBACK_INTENT, "v2", user="please bring back the linen shirts")
    assert [c["session_id"] for c in reports.conversations(replay, only="suggestions")] == ["c"]  # "noted for the team"
