"""Several issues in one message: finding a second, different request, so the reply can say it heard it.

"Where is my order? Also, can I get an invoice for it?" is two requests; the tracker reads one intent per
message, so without this one of them was silently ignored.

    clauses       the message cut at sentence ends, line breaks, ';' and the words customers use to start
                  another point ("and also", "another thing", ", plus", "by the way", ...)
    signalled     only a message where the customer marks a later clause as another point ("also", "too",
                  "as well", "another thing", ...) is read further: a story told in several sentences
                  ("I ordered a lamp. It came broken. What now?") is one issue
    classified    each clause by the tracker's own intent scores (intent model + nearest examples), in one
                  encoder call; cached in state.cache["clauses"]
    other issue   a clause whose best intent is not the turn's intent, is a request we answer (`answerable`),
                  has probability >= OTHER_ISSUE_ABOVE, and sits on the other side of the signal from the
                  turn's intent: state.slots["other_issue"] = its intent id
    first         the turn's intent, except that a security case the store hands over (fraud) goes first
    mentioned     every drafted answer of that turn ends with one sentence naming it (the intent's
                  "phrase" in the knowledge base): "You also mentioned a double charge: ..."
    taken up      while it is pending, "yes" / "ok" right after that sentence, or "what about the other
                  thing" at any time, makes it the turn's intent (the tracker calls `takes_up`)

A second order number in the message (the tracker's `other_order_ids`: "order 10024 and 10023, where are they?")
is heard the same way: the answers about the first end with OTHER_ORDER, which says how to ask about the other.

One other issue is kept (the most probable); a third is not tracked. Clarifying and handover turns are
left as they are: they do not answer anything yet. Measured in docs/reply-quality.md (`rlcs bench issues`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.candidate import Candidate
from bot.dialogue import not_ours
from bot.dialogue.numbers import normalise_numbers
from bot.dialogue.state import DialogueState

OTHER_ISSUE_ABOVE = 0.50  # a clause's intent probability needed to call it a second request (docs/reply-quality.md)
MIN_CLAUSE_WORDS = 3  # "thanks", "hi there", "order 10023": too short to be a request of their own

# Conversation moves rather than requests: the store files them under topic "general" (greeting,
# goodbye_thanks, praise, complaint, off_topic, human_agent). "Also, thanks!" is not a second issue.
NOT_A_REQUEST_TOPIC = "general"

# Where a point ends: sentence ends, line breaks, ';', and the words customers use to start another point
# (dropped with the cut). "plus" only after a comma, since "Northwind Plus" is a product.
_CUT = re.compile(
    r"(?<=[.!?])\s+|\s*[\n;]+\s*"
    r"|[\s,]*\b(?:and also|another thing|another question|one more thing|on another note|on top of that|"
    r"separately|apart from that|besides that|as well as that|by the way|btw|oh and|p\.?s\.?)\b[\s,:-]*"
    r"|,\s*(?:plus|also)\b[\s,:-]*",
    re.IGNORECASE,
)
# "... damaged and I was also charged twice": the second point starts at the last "and" / comma before "also".
_BEFORE_ALSO = re.compile(r"^(.*\S)(?:\s*,\s*|\s+and\s+)(.*\balso\b.*)$", re.IGNORECASE)
# A clause that says it is another point: "Also, ...", "I was also ...", "Plus ...", "... too", "... as well".
_SIGNAL = re.compile(r"\balso\b|^plus\b|\b(?:too|as well)\W*$", re.IGNORECASE)
_WORDS = re.compile(r"[a-z']+", re.IGNORECASE)
_STRIP = " ,.-:"

MENTION = "You also mentioned {phrase}: I'll help with that as soon as this is sorted, just say when."
MENTION_START = "You also mentioned "
# A second order number in the same message: one order at a time, and the customer is told how to go on.
OTHER_ORDER = "You also mentioned order {order_id}: once we're done with this one, write 'order {order_id}' and I'll look at it."
# Taking it up: a bare yes right after we named it, or a pointer to "the other thing" at any time.
YES_WORDS = set("yes yeah yep yup ok okay sure please go ahead now next sorted great alright fine cool and so let's "
                "lets do it that".split())
_OTHER_THING = re.compile(r"\b(?:other|second)\s+(?:thing|issue|question|problem|matter)\b", re.IGNORECASE)


@dataclass
class Clause:
    text: str
    signalled: bool  # the customer marked it as another point ("also", "another thing", "plus", ...)


def clauses(text: str) -> list[Clause]:
    """The message's points, in order; empty pieces dropped."""
    found = []
    start, signalled = 0, False
    for cut in [*_CUT.finditer(text), None]:
        piece = text[start: cut.start() if cut else len(text)].strip(_STRIP)
        match = _BEFORE_ALSO.match(piece)
        for part, marked in [(match.group(1), signalled), (match.group(2), True)] if match else [(piece, signalled)]:
            part = part.strip(_STRIP)
            if part:
                found.append(Clause(part, marked or bool(_SIGNAL.search(part))))
        if cut is not None:
            start, signalled = cut.end(), bool(_WORDS.search(cut.group()))  # "another thing:" signals, ". " does not
    return found


def clauses_to_read(text: str) -> list[Clause]:
    """The clauses long enough to be a request of their own, when there are two or more and the customer
    signalled another point after the first; else [] (nothing to read: a story told in several sentences,
    "I ordered a lamp. It came broken. What now?", is one issue)."""
    found = [c for c in clauses(text) if len(_WORDS.findall(c.text)) >= MIN_CLAUSE_WORDS]
    if found:
        found[0].signalled = False  # "Also, ..." at the start adds to an earlier message, not to this one
    return found if len(found) >= 2 and any(c.signalled for c in found) else []


def answerable(intent) -> bool:
    """A request we answer, not a conversation move (greeting, thanks, praise, complaint, off-topic, "a person")."""
    return intent.topic != NOT_A_REQUEST_TOPIC


def find_other_issue(tracker, state: DialogueState, message: str) -> str | None:
    """Read the message's clauses with the tracker's intent scores; remember and return a second request:
    the most probable clause intent that qualifies, where the customer's signal ("also ...") separates
    the two (the other issue is in a signalled clause, or the turn's intent is).
    A message with nothing to read costs nothing; otherwise one encoder call for all its clauses."""
    found = clauses_to_read(message)
    state.cache["clauses"] = []  # (clause, signalled, best intent, its probability): for the bench and tests
    if not found or state.intent == not_ours.NOT_OURS_INTENT:
        # (a sofa we don't sell "arrived with a snapped leg, also the wrong colour": "I can't help with that one"
        # and then "you also mentioned a damaged item" contradict each other; round 16's raters rated it 2)
        return None
    kb = tracker.kb
    texts = [normalise_numbers(c.text) for c in found]
    vectors = tracker.encoder.encode(texts)
    read = []  # (clause, its best intent, that intent's probability, all its intent scores)
    for clause, text, vector in zip(found, texts, vectors):
        scores = tracker.intent_scores(vector, text)
        top = int(np.argmax(scores))
        read.append((clause, kb.intents[top], float(scores[top]), scores))
        state.cache["clauses"].append((clause.text, clause.signalled, kb.intents[top].id, float(scores[top])))
    main_signalled = any(c.signalled and intent.id == state.intent for c, intent, _, _ in read)
    best, best_p, best_scores = None, 0.0, None
    for clause, intent, p, scores in read:
        if (intent.id != state.intent and answerable(intent) and p >= OTHER_ISSUE_ABOVE and p > best_p
                and (clause.signalled or main_signalled)):
            best, best_p, best_scores = intent, p, scores
    if best is None:
        return None
    if best.handover and not kb.intent(state.intent).handover:
        # A security case (fraud, a stranger in the account) comes first: it becomes this turn's intent, so a
        # person takes over now (bot/dialogue/handover.py), and the customer's other request waits instead.
        waiting = state.intent
        state.intent, state.intent_score = best.id, best_p
        state.intent_memory, state.cache["intent_scores"] = best_scores.tolist(), best_scores
        best = kb.intent(waiting)
        if not answerable(best):
            return None
    state.slots["other_issue"] = best.id
    state.cache["other_issue"] = best.id  # found in this message: this turn's answers mention it
    return best.id


def takes_up(state: DialogueState, message: str) -> str | None:
    """The pending other issue when this message asks for it, else None."""
    pending = state.slots.get("other_issue")
    if not pending:
        return None
    if _OTHER_THING.search(message):
        return pending
    if short_reply_to(state, [w.lower() for w in _WORDS.findall(message)], MENTION_START, YES_WORDS):
        return pending
    return None


def short_reply_to(state: DialogueState, words: list[str], marker: str, allowed: set[str]) -> bool:
    """Is the newest message (its `words`) a short reply made only of `allowed` words, right after our reply
    containing `marker`? ("ok" to "You also mentioned ...", "the second one" to a clarifying question)"""
    previous = state.history[-2] if len(state.history) >= 2 else ("", "")
    return previous[0] == "bot" and marker in previous[1] and 0 < len(words) <= 6 and all(w in allowed for w in words)


def mention(kb, intent_id: str) -> str | None:
    """The sentence naming the other issue; None when the store gave the intent no phrase."""
    try:
        phrase = kb.intent(intent_id).phrase
    except KeyError:
        return None
    return MENTION.format(phrase=phrase) if phrase else None


def add_mention(state: DialogueState, kb, candidates: list[Candidate]) -> list[Candidate]:
    """Every answer of a turn that found another issue ends with the sentence naming it; the same for a second order
    number in the message."""
    other = state.cache.get("other_issue")
    sentence = mention(kb, other) if other else None
    other_order = state.cache.get("other_order")
    if other_order and other_order != state.slots.get("order_id"):
        sentence = " ".join(filter(None, [sentence, OTHER_ORDER.format(order_id=other_order)]))
    if sentence is None:
        return candidates
    for c in candidates:
        c.text = f"{c.text.rstrip()} {sentence}"
        if other:
            c.meta["other_issue"] = other
    return candidates
