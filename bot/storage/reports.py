"""What the operator console reads from the replay buffer: conversations with their feedback, one
conversation turn by turn (with every candidate), escalations, and the live figures (CSAT, resolved
share, thumbs-down rate by day, by intent and by policy version). Reads only; nothing here writes.
"""
from __future__ import annotations

import json
import time

from bot.storage.replay_buffer import ReplayBuffer


# The store's intent for feedback and suggestions about the range, stores and app (the demo store's; a store without
# it lists none). The bot tells those customers it has noted their feedback for the team: this is where it is read.
FEEDBACK_INTENT = "feedback"


def conversations(replay: ReplayBuffer, limit: int = 200, only: str = "all") -> list[dict]:
    """The latest conversations, newest first. only: all | thumbs_down | unrated | ended | escalated | suggestions
    (a customer gave feedback or a suggestion)."""
    if only == "escalated":
        return _only(replay, {e["session_id"] for e in escalations(replay)}, limit)
    # suggestions: in the query itself, not every conversation loaded and filtered here
    picked = "WHERE s.session_id IN (SELECT session_id FROM turns WHERE intent = ?) " if only == "suggestions" else ""
    having = {"all": "", "suggestions": "", "thumbs_down": "HAVING SUM(CASE WHEN f.thumb = -1 THEN 1 ELSE 0 END) > 0",
              "unrated": "HAVING s.ended_at IS NULL", "ended": "HAVING s.ended_at IS NOT NULL"}[only]
    return replay.query(
        "SELECT s.session_id, s.created_at, s.ended_at, s.csat, s.resolved, s.comment, COUNT(t.turn_id) AS turns, "
        "COALESCE(SUM(CASE WHEN f.thumb = 1 THEN 1 ELSE 0 END), 0) AS ups, COALESCE(SUM(CASE WHEN f.thumb = -1 THEN 1 ELSE 0 END), 0) AS downs, "
        "(SELECT user_text FROM turns WHERE session_id = s.session_id ORDER BY turn_index DESC LIMIT 1) AS last_message "
        "FROM sessions s LEFT JOIN turns t USING (session_id) LEFT JOIN feedback f USING (turn_id) "
        f"{picked}GROUP BY s.session_id {having} ORDER BY s.created_at DESC LIMIT ?",
        ((FEEDBACK_INTENT,) if picked else ()) + (int(limit),))


def _only(replay: ReplayBuffer, sessions: set[str], limit: int) -> list[dict]:
    """The latest of these conversations, newest first."""
    return [c for c in conversations(replay, limit=100_000) if c["session_id"] in sessions][:limit]


def conversation(replay: ReplayBuffer, session_id: str) -> list[dict]:
    """One conversation's turns, oldest first, each with its feedback and all its candidates."""
    turns = replay.query(
        "SELECT t.turn_id, t.turn_index, t.created_at, t.user_text, t.reply_text, t.intent, t.chosen, t.propensity, "
        "t.policy_version, t.latency_ms, t.dropped, f.thumb, f.reason, f.comment AS feedback_comment "
        "FROM turns t LEFT JOIN feedback f USING (turn_id) WHERE t.session_id = ? ORDER BY t.turn_index",
        (session_id,))
    for turn in turns:
        turn["dropped"] = json.loads(turn["dropped"])
        turn["candidates"] = replay.query("SELECT idx, text, source, score, propensity, reward FROM candidates "
                                          "WHERE turn_id = ? ORDER BY idx", (turn["turn_id"],))
    return turns


def escalations(replay: ReplayBuffer) -> list[dict]:
    """Escalated conversations, newest first (bot/storage/escalations.py)."""
    from bot.storage.escalations import escalations as listing

    return listing(replay)


def _rate(part, whole):
    return round(part / whole, 3) if whole else None


def _day(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(timestamp))


def daily_figures(replay: ReplayBuffer, days: int = 60) -> list[dict]:
    """Per day (local time): conversations, turns, thumbs, thumbs-down rate, CSAT and resolved share of
    the conversations rated that day."""
    # Days are grouped here, in local time, so that both engines (SQLite, PostgreSQL) agree on them.
    by_day: dict[str, dict] = {}
    sessions_by_day: dict[str, set] = {}
    for row in replay.query("SELECT t.created_at, t.session_id, f.thumb FROM turns t LEFT JOIN feedback f USING (turn_id)"):
        day = _day(row["created_at"])
        entry = by_day.setdefault(day, {"day": day, "conversations": 0, "turns": 0, "ups": 0, "downs": 0,
                                        "rated": 0, "csat": None, "resolved_share": None})
        sessions_by_day.setdefault(day, set()).add(row["session_id"])
        entry["turns"] += 1
        entry["ups"] += row["thumb"] == 1
        entry["downs"] += row["thumb"] == -1
    for day, sessions in sessions_by_day.items():
        by_day[day]["conversations"] = len(sessions)
    rated: dict[str, list] = {}
    for row in replay.query("SELECT ended_at, csat, resolved FROM sessions WHERE ended_at IS NOT NULL"):
        rated.setdefault(_day(row["ended_at"]), []).append(row)
    for day, rows in rated.items():
        entry = by_day.setdefault(day, {"day": day, "conversations": 0, "turns": 0, "ups": 0, "downs": 0})
        csat = [r["csat"] for r in rows if r["csat"] is not None]
        resolved = [r["resolved"] for r in rows if r["resolved"] is not None]
        entry.update(rated=len(rows), csat=round(sum(csat) / len(csat), 2) if csat else None,
                     resolved_share=round(sum(resolved) / len(resolved), 3) if resolved else None)
    rows = [by_day[d] for d in sorted(by_day)][-days:]
    for r in rows:
        r["thumbs_down_rate"] = _rate(r["downs"], r["ups"] + r["downs"])
    return rows


def figures_by(replay: ReplayBuffer, key: str) -> list[dict]:
    """Per intent or per policy version: turns, thumbs-down rate, and the mean CSAT / resolved share of
    the rated conversations with at least one such turn (each conversation counted once)."""
    if key not in ("intent", "policy_version"):
        raise ValueError("key must be 'intent' or 'policy_version'")
    rows = replay.query(
        f"SELECT COALESCE(t.{key}, '?') AS {key}, COUNT(*) AS turns, COALESCE(SUM(CASE WHEN f.thumb = 1 THEN 1 ELSE 0 END), 0) AS ups, "
        "COALESCE(SUM(CASE WHEN f.thumb = -1 THEN 1 ELSE 0 END), 0) AS downs FROM turns t LEFT JOIN feedback f USING (turn_id) "
        "GROUP BY 1 ORDER BY turns DESC")
    outcome = {r["k"]: r for r in replay.query(
        "SELECT k, COUNT(*) AS rated, AVG(csat) AS csat, AVG(resolved) AS resolved FROM (SELECT DISTINCT "
        f"COALESCE(t.{key}, '?') AS k, s.session_id, s.csat, s.resolved FROM turns t JOIN sessions s "
        "USING (session_id) WHERE s.ended_at IS NOT NULL) AS rated GROUP BY k")}
    for r in rows:
        o = outcome.get(r[key], {})
        r["thumbs_down_rate"] = _rate(r["downs"], r["ups"] + r["downs"])
        r["rated"] = o.get("rated", 0)
        r["csat"] = None if o.get("csat") is None else round(o["csat"], 2)
        r["resolved_share"] = None if o.get("resolved") is None else round(o["resolved"], 3)
    return rows
