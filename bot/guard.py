"""Guard: drops candidate replies the store must never send, whoever drafted them.

Rules (each returns a reason code, stored with the turn so raters and trainers can see why):
- empty:             nothing to say
- forbidden_promise: promises money, refunds or free items the agent cannot grant from chat
- asks_secret:       asks for a password, a full card number, a CVV or a PIN
- leaks_data:        shows an email, phone or card number that is not the store's or this customer's
"""
from __future__ import annotations

import re

from bot.candidate import Candidate
from bot.state import DialogueState

_PROMISE = re.compile(
    r"\b(i(?:'ve| have)|we(?:'ve| have)|i will|i'll|we will|we'll)\s+(?:already\s+|just\s+|now\s+)?"
    r"(?:issued|refunded|credited|sent|processed|approved|waived|give|giving|send|refund|credit|issue|approve)\b"
    r"[^.!?]*?(?:\$\s?\d|\d+\s?(?:dollars|usd|eur)|refund|credit|free|gift card|compensation|money back)",
    re.IGNORECASE,
)
_FREE = re.compile(r"\b(?:for free|free of charge|free (?:item|replacement|upgrade|gift|product)|no charge at all)\b", re.IGNORECASE)
_SECRET = re.compile(
    r"\b(?:(?:your|the|account)\s+password|passcode|pin(?: code| number)?\b|cvv|cvc|security code|"
    r"(?:full|entire|complete|whole)\s+(?:credit |debit )?card(?: number)?|card number)",
    re.IGNORECASE,
)
_ASKING = re.compile(r"\b(?:send|give|tell|share|provide|type|enter|confirm|need|what is|what's|reply with)\b", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_LONG_NUMBER = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")


class Guard:
    def __init__(self, store: dict | None = None):
        store = store or {}
        self.allowed_emails = {str(v).lower() for v in store.values() if isinstance(v, str) and "@" in v}

    def violation(self, candidate: Candidate, state: DialogueState | None = None) -> str | None:
        text = candidate.text.strip()
        if not text:
            return "empty"
        # Templates we wrote are reviewed policy; generated text is checked for promises.
        if candidate.source != "retrieval" and (_PROMISE.search(text) or _FREE.search(text)):
            return "forbidden_promise"
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if _SECRET.search(sentence) and _ASKING.search(sentence) and not re.search(r"\bnever\b|\bwon't\b|\bnot\b", sentence, re.IGNORECASE):
                return "asks_secret"
        allowed = set(self.allowed_emails)
        if state is not None and state.order and state.order.get("email"):
            allowed.add(state.order["email"].lower())
        if any(email.lower() not in allowed for email in _EMAIL.findall(text)):
            return "leaks_data"
        own_numbers = {re.sub(r"\D", "", str(v)) for v in (state.order or {}).values()} if state else set()
        if any(re.sub(r"\D", "", n) not in own_numbers for n in _LONG_NUMBER.findall(text)):
            return "leaks_data"
        return None

    def filter(self, candidates: list[Candidate], state: DialogueState | None = None) -> tuple[list[Candidate], list[tuple[Candidate, str]]]:
        """Split candidates into (kept, dropped-with-reason)."""
        kept, dropped = [], []
        for candidate in candidates:
            reason = self.violation(candidate, state)
            if reason:
                dropped.append((candidate, reason))
            else:
                kept.append(candidate)
        return kept, dropped
