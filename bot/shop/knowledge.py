"""The store's knowledge base: facts, intents with example messages, policy passages, answer templates."""
from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from bot.dialogue.facts import FACTS
from bot.shop.product_questions import ASKED

NEEDS = {"order", "no_order", "unknown_order", "product", "no_product"}


@dataclass
class AnswerTemplate:
    id: str
    intent: str
    text: str
    needs: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)  # facts this reply asks for (bot/dialogue/facts.py)
    # The order statuses this answer fits (empty = any): "reply 'yes, cancel'" is for an order still processing,
    # "it can no longer be cancelled" for one on its way. Offered only when the customer's order has one of them.
    statuses: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)  # the product facts this answer states (bot/shop/product_questions)

    @property
    def slots(self) -> set[str]:
        return {name.rstrip("?") for _, name, _, _ in string.Formatter().parse(self.text) if name}


@dataclass
class Intent:
    id: str
    topic: str
    description: str
    examples: list[str]
    passage: str
    answers: list[AnswerTemplate]
    handover: bool = False  # a person must take over (fraud, security): the bot only makes it safe
    phrase: str = ""  # how a reply names this issue in passing ("a double charge"); "" = never named
    # Words that name this topic outright ("membership"): a message using one is about it, whatever the intent model
    # makes of the rest ("I'd like to cancel my membership" is no order cancellation). Store names in {slots}.
    keywords: list[str] = field(default_factory=list)
    # One-sentence next steps for this intent's answers' optional {what_helps?} slot, most particular first: the first
    # whose facts the customer stated is used (bot/dialogue/elsewhere.py)
    tips: list[AnswerTemplate] = field(default_factory=list)


class KnowledgeBaseError(ValueError):
    pass


@dataclass
class KnowledgeBase:
    store: dict
    status_phrases: dict
    intents: list[Intent]

    @property
    def answers(self) -> list[AnswerTemplate]:
        return [a for intent in self.intents for a in intent.answers]

    @property
    def public_details(self) -> tuple[str, ...]:
        """The store's published contact details (its support and security emails and phone numbers): our own
        replies give them, and they are no customer's personal data, so masking leaves them alone."""
        return tuple(str(value) for key, value in self.store.items()
                     if key.endswith(("_email", "_phone")) and isinstance(value, str) and value)

    def intent(self, intent_id: str) -> Intent:
        for intent in self.intents:
            if intent.id == intent_id:
                return intent
        raise KeyError(intent_id)

    @classmethod
    def load(cls, store_dir: str | Path) -> "KnowledgeBase":
        path = Path(store_dir) / "knowledge_base.json"
        if not path.exists():
            raise KnowledgeBaseError(f"knowledge base not found: {path}")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise KnowledgeBaseError(f"{path}: invalid JSON at line {err.lineno}: {err.msg}") from None
        intents = []
        for i, item in enumerate(raw.get("intents", [])):
            where = f"{path}: intents[{i}]"
            for key in ("id", "examples", "answers"):
                if key not in item:
                    raise KnowledgeBaseError(f"{where} has no '{key}'")
            answers = [_answer(f"{where}.answers[{j}]", f"{item['id']}.{j}", item["id"], a, raw)
                       for j, a in enumerate(item["answers"])]
            tips = [_answer(f"{where}.tips[{j}]", f"{item['id']}.tip{j}", item["id"], tip, raw)
                    for j, tip in enumerate(item.get("tips", []))]
            for j, tip in enumerate(tips):
                if not all(need.startswith("said:") for need in tip.needs):
                    raise KnowledgeBaseError(f"{where}.tips[{j}]: a tip needs only said:<fact> (what the customer told us)")
            intents.append(Intent(item["id"], item.get("topic", ""), item.get("description", ""),
                                  list(item["examples"]), item.get("passage", ""), answers,
                                  bool(item.get("handover", False)), str(item.get("phrase") or ""),
                                  [str(k).format(**raw.get("store", {})) for k in item.get("keywords", [])], tips))
        if not intents:
            raise KnowledgeBaseError(f"{path}: no intents")
        words = raw.get("store", {}).get("unsure_handover_words", 1)  # optional; its default is handover.TOLD_WORDS
        if isinstance(words, bool) or not isinstance(words, int) or words < 1:
            raise KnowledgeBaseError(f"{path}: store.unsure_handover_words must be a whole number of at least 1 "
                                     f"(got {words!r})")
        below = raw.get("store", {}).get("told_handover_below")  # optional; its default is handover.TOLD_HANDOVER_BELOW
        if below is not None and (isinstance(below, bool) or not isinstance(below, (int, float)) or not 0 <= below <= 1):
            raise KnowledgeBaseError(f"{path}: store.told_handover_below must be a number from 0 to 1 (got {below!r})")
        return cls(raw.get("store", {}), raw.get("status_phrases", {}), intents)


def _answer(where: str, default_id: str, intent_id: str, a: dict, raw: dict) -> AnswerTemplate:
    """One answer template (or tip) of an intent, its needs, asks, statuses and about checked against what exists."""
    needs = a.get("needs", [])
    unknown = [n for n in needs if n not in NEEDS and not (n.startswith("said:") and n[5:] in FACTS)]
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown needs {sorted(unknown)} (known: "
                                 f"{', '.join(sorted(NEEDS))}, or said:<fact> for a fact of facts.py)")
    asks = a.get("asks", [])
    if not set(asks) <= set(FACTS):
        raise KnowledgeBaseError(f"{where}: unknown asks {sorted(set(asks) - set(FACTS))}")
    statuses = a.get("statuses", [])
    unknown = set(statuses) - set(raw.get("status_phrases", {}))
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown statuses {sorted(unknown)} (known: the keys of status_phrases)")
    if statuses and "order" not in needs:
        raise KnowledgeBaseError(f"{where}: 'statuses' needs \"needs\": [\"order\"]")
    about = a.get("about", [])
    if not set(about) <= set(ASKED):
        raise KnowledgeBaseError(f"{where}: unknown about {sorted(set(about) - set(ASKED))} (known: {', '.join(ASKED)})")
    if "text" not in a:
        raise KnowledgeBaseError(f"{where} has no 'text'")
    return AnswerTemplate(a.get("id", default_id), intent_id, a["text"], needs, asks, statuses, about)


# "{store_name}" must be filled; "{what_helps?}" may be empty (a tip that fits, or none: bot/dialogue/elsewhere.py)
_SLOT = re.compile(r"\{(\w+)(\?)?\}")
_OPTIONAL_SLOT = re.compile(r"\{\w+\?\}")



def needs_met(needs: list[str], conditions: dict[str, bool], said: set[str]) -> bool:
    """Whether an answer's `needs` hold: each named condition ("order", "no_product", ...) is true, and each
    "said:<fact>" is among the facts the customer stated (bot/dialogue/facts.py)."""
    return all(need[5:] in said if need.startswith("said:") else conditions[need] for need in needs)


def without_optional_slots(text: str) -> str:
    """The template as it reads when its optional {slot?}s are empty."""
    return _OPTIONAL_SLOT.sub("", text)


def fill_slots(text: str, values: dict) -> str | None:
    """Fill every {slot}; None if any slot has no (non-empty) value, so the template is not offered. An optional
    {slot?} with no value is left out."""
    missing = False

    def sub(match: re.Match) -> str:
        nonlocal missing
        value = values.get(match.group(1))
        if value is None or value == "":
            missing = match.group(2) is None or missing
            return ""
        return str(value)

    filled = _SLOT.sub(sub, text)
    return None if missing else filled
