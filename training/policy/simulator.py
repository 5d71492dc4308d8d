"""Simulated customers whose goals, words and satisfaction come from labels, not from the bot's eyes.

A simulated customer is one labelled conversation from the pool `data/simulator/customer_messages.jsonl`
(our own writing, never indexed by the bot; `train` split for training, `test` for evaluation, split by
conversation):

    goal        the conversation's intent label, and an order of theirs when the intent is about orders (the
                order number their messages give, else one drawn from the store's orders)
    words       the conversation's messages in order: the opening, then, each time a reply misses, the next
                one; once those run out, a patient customer rephrases once with the opening of another
                conversation of the same intent and split; asked for the order number they give it, asked to
                prove the order they give the order's email (the bot's order access, bot/dialogue/order_access.py)
    type        terse, plain or patient (how many words of reply they bear), picked from the opening's tags
                (a very short message: probably terse), and angry or not (the angry / sarcastic tags)
    satisfaction  of each reply: training/policy/rubric.py, from the reply's template labels in the knowledge
                base and what the customer has said so far; a word count of its own for length

The customer thumbs a share of turns (+1 with probability = satisfaction), is resolved by an "answer" with
probability = its satisfaction, ends at a handover, and leaves a CSAT 1-5 from the conversation's
satisfaction. This file and the rubric import nothing of the bot (no encoder, embeddings, features, tracker
or drafter): tests/test_simulator_independence.py checks it. The bot's side of the conversation (the
candidates it drafts and the policy's features of them) is training/policy/env.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from training.policy import rubric

POOL = Path(__file__).resolve().parents[2] / "data" / "simulator" / "customer_messages.jsonl"
SPLITS = ("train", "test", "all")
GIVE_ID = ["it's {id}", "order {id}", "{id}", "the order number is {id}", "sure, it's order #{id}"]
GIVE_PROOF = "the email on the order is {email}"  # when the bot asks to prove the order (bot/dialogue/order_access.py)
NO_ORDER = "it's not about an order. "
REPHRASE = ["that's not what I asked. ", "no, ", "hmm, not really. ", "I mean: "]
TYPE_ODDS = {  # the opening's tags -> odds of terse / plain / patient
    "very_short": (0.7, 0.2, 0.1),
    "long_or_polite": (0.1, 0.3, 0.6),
    "other": (0.3, 0.45, 0.25),
}
STICKY_TAGS = {"out_of_scope", "angry", "sarcastic"}  # hold for the whole conversation


@dataclass
class Customer:
    intent: str
    messages: list[str]  # what they still have to say, in order (their pool conversation)
    tags: list[set] = field(default_factory=list)  # the pool tags of each message in `messages`
    type: str = "plain"
    tolerance: int = rubric.TYPES["plain"]
    order_id: str | None = None  # their order (None: the question is not about an order)
    angry: bool = False
    patience: int = 1  # rephrasings borrowed from other conversations once their own messages run out
    rephrasings: list[str] = field(default_factory=list)
    conversation: str = ""
    said_order: bool = False  # they told the bot their order number
    proved: bool = False  # they gave the order's email when asked for proof
    last_tags: set = field(default_factory=set)  # tags of their latest message
    sticky: set = field(default_factory=set)  # tags that hold for the conversation

    def situation(self) -> rubric.Situation:
        return rubric.Situation(self.intent, frozenset(self.last_tags | self.sticky), self.order_id is not None,
                                self.order_id, self.said_order, self.proved, self.tolerance, self.angry)


@lru_cache(maxsize=4)
def load_pool(path: str = str(POOL)) -> tuple[dict, ...]:
    """The pool's conversations: {"conversation", "intent", "split", "messages": [text], "tags": [set]}."""
    conversations: dict[str, dict] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        conv = conversations.setdefault(row["conversation"], {"conversation": row["conversation"], "intent": row["intent"],
                                                              "split": row["split"], "messages": [], "tags": []})
        if row["intent"] != conv["intent"] or row["split"] != conv["split"]:
            raise ValueError(f"{path}:{number}: conversation {row['conversation']} changes its intent or split")
        conv["messages"].append(row["text"])
        conv["tags"].append(frozenset(row.get("tags", [])))
    return tuple(conversations.values())


def csat_from_satisfaction(value: float, rng: np.random.Generator) -> int:
    return int(np.clip(np.rint(1 + 4 * value + rng.normal(0, 0.35)), 1, 5))


class Simulator:
    """Customers and their satisfaction, for one knowledge base's labels and one split of the pool."""

    def __init__(self, kb, orders: list[dict], split: str = "train", pool: str | Path = POOL):
        if split not in SPLITS:
            raise ValueError("split must be train, test or all")
        self.kb, self.split = kb, split
        self.order_ids = [str(o["order_id"]) for o in orders]
        self.order_emails = {str(o["order_id"]): str(o.get("email", "")) for o in orders}
        self.templates = {t.id: t for t in kb.answers}  # labels: each template's intent and `needs`
        self.order_intents = {i.id for i in kb.intents if any("order" in a.needs for a in i.answers)}
        known = {i.id for i in kb.intents}
        self.conversations = [c for c in load_pool(str(pool)) if split == "all" or c["split"] == split]
        unknown = sorted({c["intent"] for c in self.conversations} - known)
        if unknown:
            raise ValueError(f"{pool}: intents not in the knowledge base: {', '.join(unknown)}")
        if not self.conversations:
            raise ValueError(f"{pool}: no conversations in split {split!r}")
        self.openings: dict[str, list[str]] = {}
        for c in self.conversations:
            self.openings.setdefault(c["intent"], []).append(c["messages"][0])

    @classmethod
    def for_bot(cls, bot, split: str = "train", pool: str | Path = POOL) -> "Simulator":
        """The bot's store labels (knowledge base, orders); nothing of its models."""
        return cls(bot.kb, bot.orders.all(), split, pool)

    # -- customers ---------------------------------------------------------------------------------
    def sample_customer(self, rng: np.random.Generator, conversation: int | None = None) -> Customer:
        """A customer from a random conversation of the split (or the given index into it, for evaluation)."""
        index = int(rng.integers(len(self.conversations))) if conversation is None else conversation % len(self.conversations)
        conv = self.conversations[index]
        tags = conv["tags"][0]
        odds = TYPE_ODDS["very_short" if "very_short" in tags else
                         "long_or_polite" if tags & {"long", "polite"} else "other"]
        kind = str(rng.choice(list(rubric.TYPES), p=odds))
        tolerance = int(rubric.TYPES[kind] * rng.uniform(0.8, 1.25))
        sticky = set().union(*conv["tags"]) & STICKY_TAGS
        angry = bool(sticky & {"angry", "sarcastic"})
        named = [o for o in self.order_ids if any(o in text for text in conv["messages"])]
        order_id = named[0] if named else (str(rng.choice(self.order_ids)) if conv["intent"] in self.order_intents
                                           and self.order_ids else None)
        others = [t for t in self.openings[conv["intent"]] if t != conv["messages"][0]]
        rephrasings = [self._own_order(str(t), order_id) for t in rng.permutation(others)] if others else []
        return Customer(conv["intent"], list(conv["messages"]), [set(t) for t in conv["tags"]], kind, tolerance,
                        order_id, angry, 0 if angry else 1, rephrasings, conv["conversation"], sticky=sticky)

    def _own_order(self, text: str, order_id: str | None) -> str:
        """A borrowed message speaks of the customer's own order, not the other conversation's."""
        for other in self.order_ids:
            if other in text:
                text = text.replace(other, order_id) if order_id else text
        return text

    def _say(self, customer: Customer, text: str, tags: set) -> str:
        customer.last_tags = set(tags)
        if customer.order_id and customer.order_id in text:
            customer.said_order = True
        return text

    def opening(self, customer: Customer, rng: np.random.Generator | None = None) -> str:
        tags = customer.tags.pop(0) if customer.tags else set()
        return self._say(customer, customer.messages.pop(0), tags)

    # -- satisfaction ----------------------------------------------------------------------------
    def reply_labels(self, candidate) -> rubric.Reply:
        """What the customer knows of a reply: its text and the labels of its template (from the knowledge base)."""
        meta = getattr(candidate, "meta", None) or {}
        template_id = meta.get("template")
        template = self.templates.get(template_id or "")
        intent = template.intent if template else meta.get("intent") if str(template_id or "").startswith(
            rubric.PROOF_PREFIX) else None
        return rubric.Reply(candidate.text, str(getattr(candidate, "source", "")), template_id, intent,
                            tuple(template.needs) if template else (),
                            meta.get("handover") if not template else None)

    def judge(self, customer: Customer, candidate) -> tuple[float, str]:
        """Satisfaction in 0..1 and the kind of step the reply took (rubric.judge)."""
        value, kind, _ = rubric.judge(customer.situation(), self.reply_labels(candidate))
        return value, kind

    def satisfaction(self, customer: Customer, candidate) -> float:
        return self.judge(customer, candidate)[0]

    def follow_up(self, customer: Customer, kind: str, rng: np.random.Generator) -> str | None:
        """The customer's next message after a reply that did not resolve, or None when they give up."""
        if kind == "prove" and customer.order_id:
            customer.proved = True
            return self._say(customer, GIVE_PROOF.format(email=self.order_emails.get(customer.order_id, "")), set())
        if kind == "ask" and customer.order_id:
            text = GIVE_ID[int(rng.integers(len(GIVE_ID)))].format(id=customer.order_id)
            return self._say(customer, text, {"gives_order_number", "very_short"})
        prefix = NO_ORDER if kind == "ask" else ""
        if customer.messages:
            tags = customer.tags.pop(0) if customer.tags else set()
            return self._say(customer, prefix + customer.messages.pop(0), tags)
        if customer.patience <= 0 or not customer.rephrasings:
            return None
        customer.patience -= 1
        text = prefix or REPHRASE[int(rng.integers(len(REPHRASE)))]
        return self._say(customer, text + customer.rephrasings.pop(0), set())

    @staticmethod
    def conversation_satisfaction(resolved: bool, sats: list[float]) -> float:
        """The conversation's satisfaction: resolution, how each reply landed, and how long it took."""
        return float(np.clip(0.55 * resolved + 0.45 * float(np.mean(sats)) - 0.05 * (len(sats) - 1), 0.0, 1.0))
