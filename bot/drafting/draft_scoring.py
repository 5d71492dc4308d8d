"""Shared by the local and the remote generative drafter: drop near-duplicate drafts, score the rest.

Scores are on the retrieval drafter's scale (the same INTENT_WEIGHT), so the selection policy can
compare generated and retrieved candidates.
"""
from __future__ import annotations

import re

from bot.dialogue.state import DialogueState
from bot.drafting.retrieval import INTENT_WEIGHT
from bot.shop.knowledge import KnowledgeBase

NEAR_DUPLICATE = 0.8  # word-set Jaccard at or above this: the same reply in other words, keep the first


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower()))


def dedupe(texts: list[str], threshold: float = NEAR_DUPLICATE) -> list[str]:
    """Drop empty texts, exact duplicates and near-duplicates (word-set Jaccard >= threshold), keeping order."""
    kept: list[tuple[str, frozenset]] = []
    for text in texts:
        words = _words(text)
        if not words:
            continue
        if any(len(words & w) / len(words | w) >= threshold for _, w in kept):
            continue
        kept.append((text, words))
    return [t for t, _ in kept]


def generative_scores(state: DialogueState, kb: KnowledgeBase, texts: list[str], encoder) -> list[float]:
    """INTENT_WEIGHT * evidence for the detected intent + the rest * cosine(reply, customer message)."""
    if encoder is None or not texts:
        return [0.0] * len(texts)
    query = state.cache.get("query_vector")
    if query is None:
        query = state.cache["query_vector"] = encoder.encode([state.last_message])[0]
    intent_score = float(state.intent_score) if state.intent else 0.0
    similarity = encoder.encode(texts) @ query
    return [INTENT_WEIGHT * intent_score + (1 - INTENT_WEIGHT) * float(s) for s in similarity]
