"""Escalated conversations: those where the bot handed over to a person, read from the replay buffer.

A handover is a served candidate whose meta carries {"handover": reason} (bot/dialogue/handover.py),
so the escalation is stored in the same transaction as the turn that made it, and a crash can never
leave one without the other. Reasons: other_language, customer_asked, unsure, intent:<id>, and action:<name>
for a go-ahead to an action an answer offered (bot/dialogue/actions.py).
"""
from __future__ import annotations

import json


def escalations(replay, since: float | None = None) -> list[dict]:
    """One row per escalated conversation, newest first: session, when, why, the order in question (if any),
    the message that led to it, and the conversation's rating if it has one."""
    after, params = ("AND t.created_at >= ?", (since,)) if since is not None else ("", ())
    rows = replay.query(
        f"""SELECT t.session_id, t.turn_id, t.created_at, t.user_text, t.intent, t.slots, c.meta, s.csat, s.resolved
           FROM turns t JOIN candidates c ON c.turn_id = t.turn_id AND c.idx = t.chosen
           JOIN sessions s ON s.session_id = t.session_id
           WHERE c.meta LIKE '%"handover"%' {after}
           ORDER BY t.created_at DESC, t.turn_id""", params)
    seen, out = set(), []
    for row in rows:
        if row["session_id"] in seen:
            continue
        seen.add(row["session_id"])
        reason = json.loads(row["meta"] or "{}").get("handover")
        # The order in question, so that an operator can act on "yes cancel it" (reason action:cancel_order).
        order_id = json.loads(row["slots"] or "{}").get("order_id")
        out.append({"session_id": row["session_id"], "turn_id": row["turn_id"], "escalated_at": row["created_at"],
                    "reason": reason, "order_id": order_id, "message": row["user_text"], "intent": row["intent"],
                    "csat": row["csat"], "resolved": row["resolved"]})
    return out
