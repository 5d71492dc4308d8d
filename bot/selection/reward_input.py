"""What a tracker-reading reward model sees: the conversation plus what the tracker read, and each reply with its
template's name.

Round 19's reward model scored (conversation, reply) text alone. Trained on helpers' messages it learned their
writing, and on real messages it picked replies on another topic (rated 2.06 against rank 1's 3.96 where the
picks differed). A model whose input carries the tracker's reading can learn when a reply's topic agrees with it,
and, from rated pairs, when a reply of the right topic is still the weaker one:

    Customer: where is my refund? it's been two weeks
    Read: refund_status 0.93, refund_policy 0.02 | facts: parcel_late
    [SEP] [refund_status.timing] Refunds go back to the original payment method: ...

A model trained on such inputs says so in its card (`"encoding": {"reads_tracker": true}`); the bot then builds its
inputs here, and training builds them with the same functions (training/reward/read_pairs.py).

A model that also reads the drafter's rank (`"reads_rank": true`, round 21) sees each reply as `[#2 refund_status.
timing] ...`: where the drafter put it among this message's drafts (`#-`: a reply today's drafter does not draft
for the message). Why: rated side by side, rank 1 was the best reply for 109 of 113 real messages, so a judge that
cannot see the rank has to be right about nearly every swap it makes; one that sees it can learn from the ratings how
much the rank is worth, and leave rank 1 only when the reply's words and the reading say so.
"""
from __future__ import annotations

import numpy as np

TOP_INTENTS = 2  # the tracker's first two guesses: the second tells the model how sure the first is


def read_line(intent_ids: list[str], intent_scores: np.ndarray | None, facts: set[str]) -> str:
    """"Read: <intent> <p>, <intent> <p> | facts: a, b" for the latest customer message."""
    guesses = []
    if intent_scores is not None and len(intent_scores):
        for i in np.argsort(intent_scores)[::-1][:TOP_INTENTS]:
            guesses.append(f"{intent_ids[int(i)]} {float(intent_scores[int(i)]):.2f}")
    return f"Read: {', '.join(guesses) or 'nothing'} | facts: {', '.join(sorted(facts)) or 'none'}"


def reward_context(state, intent_ids: list[str]) -> str:
    """The conversation so far and, on its last line, what the tracker read from the latest message (its intent
    scores and the message's facts, both from this turn's state.cache)."""
    read = read_line(intent_ids, state.cache.get("intent_scores"), state.cache.get("facts", set()))
    return f"{state.context_text()}\n{read}"


NOT_DRAFTED = 0  # the rank of a reply that today's drafter does not draft for the message


def tagged_reply(template: str, text: str, rank: int | None = None) -> str:
    """The reply with its template's name in front ("[handover.unsure] ...", "[track_order.status] ..."), and for a
    rank-reading model its rank among the drafts first ("[#1 track_order.status] ...", "[#- praise.short] ...")."""
    if rank is None:
        return f"[{template}] {text}"
    return f"[#{rank if rank != NOT_DRAFTED else '-'} {template}] {text}"
