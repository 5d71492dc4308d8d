"""DialogueTracker: reads each customer message into the DialogueState (slots, order, intent)."""
from __future__ import annotations

import re

import numpy as np

from bot.encoder import Encoder
from bot.knowledge import KnowledgeBase
from bot.orders import OrderBook
from bot.state import DialogueState

# "order 12345", "order #12345", "#12345", "order number is 12345"; else a lone 5-10 digit number.
_ORDER_REF = re.compile(r"(?:order|purchase|ord|#)\D{0,15}?(\d{4,12})\b", re.IGNORECASE)
_LONE_NUMBER = re.compile(r"(?<![\d.,$€£])\b(\d{5,10})\b(?![.,]\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_DATE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}"
    r"|today|yesterday|tomorrow|last week|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.IGNORECASE,
)

# How much of the previous turns' intent evidence carries into this one: "it's 12345" keeps the topic.
INTENT_CARRY = 0.5


def extract_order_id(text: str) -> str | None:
    match = _ORDER_REF.search(text) or _LONE_NUMBER.search(text)
    return match.group(1) if match else None


class DialogueTracker:
    def __init__(self, kb: KnowledgeBase, orders: OrderBook, encoder: Encoder, cache_dir: str):
        self.kb, self.orders, self.encoder = kb, orders, encoder
        examples, owners = [], []
        for i, intent in enumerate(kb.intents):
            examples += intent.examples
            owners += [i] * len(intent.examples)
        self.example_vectors = encoder.encode_cached(examples, cache_dir)
        self.example_intent = np.array(owners)

    def intent_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Per intent: the best cosine similarity of the message to any of its examples."""
        sims = self.example_vectors @ query_vector
        scores = np.full(len(self.kb.intents), -1.0)
        np.maximum.at(scores, self.example_intent, sims)
        return scores

    def update(self, state: DialogueState, message: str) -> None:
        state.history.append(("customer", message))
        state.cache = {}

        order_id = extract_order_id(message)
        if order_id:
            state.slots["order_id"] = order_id
            state.order = self.orders.get(order_id)
        for name, pattern in (("email", _EMAIL), ("date", _DATE)):
            found = pattern.search(message)
            if found:
                state.slots[name] = found.group(0)

        query = self.encoder.encode([message])[0]
        state.cache["query_vector"] = query
        scores = self.intent_scores(query)
        if state.intent_memory is not None:
            scores = scores + INTENT_CARRY * np.maximum(np.asarray(state.intent_memory), 0)
            scores = scores / (1 + INTENT_CARRY)
        state.intent_memory = scores.tolist()
        best = int(np.argmax(scores))
        state.intent, state.intent_score = self.kb.intents[best].id, float(scores[best])
        state.cache["intent_scores"] = scores
