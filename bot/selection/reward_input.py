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


def tagged_reply(template: str, text: str) -> str:
    """The reply with its template's name in front ("[handover.unsure] ...", "[track_order.status] ...")."""
    return f"[{template}] {text}"
