"""Guard: drops candidate replies the store must never send, whoever drafted them.

Rules (each returns a reason code, stored with the turn so raters and trainers can see why):
- empty:             nothing to say
- forbidden_promise: promises money, refunds or free items the agent cannot grant from chat
- asks_secret:       asks for a password, a full card number, a CVV or a PIN
- leaks_data:        shows personal data (bot/pii.py: an email, phone, card, IBAN, ID, address) that is not
                     the store's or this customer's proven order's, or data of an order this customer has not
                     proven: another order's number, contact, name or tracking number, or the item, dates,
                     total or card of the order still waiting for proof (bot/dialogue/order_access.py)
Generated text (any source but our reviewed retrieval templates) is also checked for:
- forbidden_promise: says a refund or credit is issued/processed when no order is on record
- placeholder:       an unfilled template slot ({{Order Number}}, {order_id}) learned from training data
- rude:              profanity, or an insult aimed at the customer ("that's a stupid question", "shut up")
and, once no rule above fired, for facts no source backs (bot/drafting/grounding.py: the store's settings and
knowledge base, the order this customer proved, the product in view, the customer's own messages):
- invented_amount:   a money amount no source states as an amount ("$30" is not licensed by a 30-day limit)
- ungrounded:        any other checkable fact no source states with the same kind and value: a day/week/hour
                     count, a percentage, a date, a time, an order or tracking number, an email
"""
from __future__ import annotations

import re

from bot import pii
from bot.candidate import Candidate
from bot.drafting import grounding
from bot.dialogue import order_access
from bot.dialogue.state import DialogueState

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
# Asking for it in this chat. ("Enter the PIN at checkout" directs to the site; that is fine.)
_ASKING = re.compile(r"\b(?:send|give|tell|share|provide|type|confirm|need|what is|what's|reply with)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:never|won't|not|don't|do not|no|without)\b", re.IGNORECASE)
_REFUND_DONE = re.compile(
    r"\b(?:refund|credit|reimbursement|compensation|money)\b(?:[^.!?]|\.\d){0,40}?\b(?:has been|have been|was|is being|will be|is now)\s+"
    r"(?:issued|processed|approved|sent|credited|initiated|refunded|returned|paid)\b",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"\{\{[^{}]{1,60}\}\}|\{[a-z_]{2,40}\}")
# Whole words only, so "assess", "Scunthorpe" or "class" never match.
_PROFANITY = re.compile(r"\b(?:f+u+c+k\w*|shit\w*|bullshit|damn(?:ed|it)?|crap(?:py)?|bitch\w*|bastards?|"
                        r"ass(?:hole)?s?|dick(?:head)?s?|piss(?:ed)?|wtf)\b", re.IGNORECASE)
_INSULT = re.compile(r"\b(?:shut up|stupid|idiot\w*|dumb|moron\w*|pathetic|clueless|are you blind|"
                     r"can't you read|learn to read|your (?:own )?(?:stupid )?fault|not my problem|deal with it)\b",
                     re.IGNORECASE)


class Guard:
    def __init__(self, store: dict | None = None, orders=None, kb=None):
        """`orders`: the OrderBook, so replies can be checked against every order on file (None: not checked).
        `kb`: the KnowledgeBase whose reviewed texts (passages, answer templates) ground generated facts, as the
        store settings do; without it only the settings do."""
        self.orders, self._index, self._index_version = orders, None, None
        store = store if store is not None else (kb.store if kb is not None else {})
        self.allowed_emails = {str(v).lower() for v in store.values() if isinstance(v, str) and "@" in v}
        reviewed = [] if kb is None else [i.passage for i in kb.intents] + [a.text for a in kb.answers]
        self.store_facts = grounding.record_facts(store) | grounding.text_facts(reviewed)  # once, not per turn
        self.store_numbers = {re.sub(r"\D", "", str(v)) for v in store.values()} - {""}  # the store's own phone

    def order_index(self) -> order_access.OrderIndex | None:
        """Every order's identifying values, rebuilt when the order table was reloaded."""
        if self.orders is None:
            return None
        version = getattr(self.orders, "version", None)
        if self._index is None or version != self._index_version:
            self._index, self._index_version = order_access.OrderIndex(self.orders.all()), version
        return self._index

    def violation(self, candidate: Candidate, state: DialogueState | None = None) -> str | None:
        text = candidate.text.strip()
        if not text:
            return "empty"
        order = (state.order if state is not None else None) or {}  # this customer's own data may be shown
        # Templates we wrote are reviewed policy; generated text is checked for promises.
        if candidate.source != "retrieval":
            if _PROMISE.search(text) or _FREE.search(text):
                return "forbidden_promise"
            if not order and _REFUND_DONE.search(text):
                return "forbidden_promise"
            if _PLACEHOLDER.search(text):
                return "placeholder"
            if _PROFANITY.search(text) or _INSULT.search(text):
                return "rude"
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if _SECRET.search(sentence) and _ASKING.search(sentence) and not _NEGATED.search(sentence):
                return "asks_secret"
        allowed_emails = self.allowed_emails | {str(order.get("email", "")).lower()}
        if any(email.lower() not in allowed_emails for email in pii.EMAIL.findall(text)):
            return "leaks_data"
        own_numbers = self.store_numbers | {re.sub(r"\D", "", str(v)) for v in order.values()}
        for span in pii.find_pii(text):
            if span.kind != "email" and re.sub(r"\D", "", span.text(text)) not in own_numbers:
                return "leaks_data"
        if order_access.leaks_order(text, state, self.order_index()):
            return "leaks_data"
        if candidate.source != "retrieval":
            return self.ungrounded(text, state)
        return None

    def ungrounded(self, text: str, state: DialogueState | None = None) -> str | None:
        """"invented_amount" or "ungrounded" if `text` states a fact no source backs (bot/drafting/grounding.py)."""
        claims = grounding.ungrounded(text, self.store_facts, grounding.conversation_facts(state))
        if not claims:
            return None
        return "invented_amount" if any(c.kind == "amount" for c in claims) else "ungrounded"

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
