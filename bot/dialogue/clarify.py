"""The clarifying question for an opening message we cannot read with confidence, naming our best guess.

A generic menu ("is it about an order, a payment, your account, or a product?") tells a customer who wrote
three specific sentences that nobody read them. So the question names what we think it is about, from the
intents' "phrase" in the knowledge base, and keeps the menu for when the guess is wrong:

    guesses     the most probable intent, and the runner-up when its probability is at least
                SECOND_GUESS_SHARE of the first's; an intent without a phrase (complaint, praise, off_topic,
                greeting...) is no topic to offer, so a top guess without one means the generic question
    confirmed   after a question naming one guess, a bare "yes" / "that's right" makes it the intent: the
                tracker calls `confirmed_guess` (with two guesses a bare yes says nothing; the customer's
                own words decide, helped by the intents carried over from the first message)
    denied      a bare "no" / "neither" to a guess: we have not understood twice, so a person takes over
                (handover.decide calls `denied_guess`)

The guess is kept in state.slots["guess"] while the question is open. Measured in docs/reply-quality.md,
"Clarifying questions that name a guess".
"""
from __future__ import annotations

import re

import numpy as np

from bot.dialogue.issues import YES_WORDS
from bot.dialogue.state import DialogueState

CLARIFY_TEXT = ("I want to get this right. Is it about an order (where it is, a return or refund, something missing or "
                "broken), a payment, your account, or one of our products? A few words on what happened will help me "
                "answer properly.")
GUESS_START = "I want to get this right: is it about "
GUESS_TEXT = (GUESS_START + "{guesses}? If it's something else, a few words on what happened "
              "(an order, a payment, your account or one of our products) will help me answer properly.")
SECOND_GUESS_SHARE = 0.5  # name the runner-up too when it is at least half as probable as the top guess
_CONFIRM = set("right correct exactly that's thats it is yes".split()) | YES_WORDS
_DENY = set("no nope nah not it that's thats neither wrong none of them those".split())
_WORDS = re.compile(r"[a-z']+", re.IGNORECASE)


def is_question(text: str) -> bool:
    """Is this reply of ours a clarifying question (generic or naming a guess)?"""
    return text == CLARIFY_TEXT or text.startswith(GUESS_START)


def guesses(state: DialogueState, kb) -> list[str]:
    """The intent ids to name (0, 1 or 2), most probable first."""
    scores = state.cache.get("intent_scores")
    if scores is None:
        return []
    scores = np.asarray(scores)
    first, second = np.argsort(-scores)[:2]
    intents = kb.intents
    if not intents[first].phrase:
        return []
    named = [intents[first].id]
    if intents[second].phrase and scores[second] >= SECOND_GUESS_SHARE * scores[first]:
        named.append(intents[second].id)
    return named


def question(state: DialogueState, kb) -> str:
    """The clarifying question for this turn; records a single guess so that "yes" can confirm it."""
    named = guesses(state, kb)
    state.slots.pop("guess", None)
    if not named:
        return CLARIFY_TEXT
    if len(named) == 1:
        state.slots["guess"] = named[0]
    return GUESS_TEXT.format(guesses=", or ".join(kb.intent(i).phrase for i in named))


def _bare_answer(state: DialogueState, message: str, words_allowed: set[str], opening: str) -> bool:
    """Is `message` a short answer made only of `words_allowed`, right after our question starting `opening`?"""
    previous = state.history[-2] if len(state.history) >= 2 else ("", "")
    if previous[0] != "bot" or not previous[1].startswith(opening):
        return False
    words = [w.lower() for w in _WORDS.findall(message)]
    return bool(words) and len(words) <= 6 and all(w in words_allowed for w in words)


def denied_guess(state: DialogueState, message: str) -> bool:
    return _bare_answer(state, message, _DENY, GUESS_START)


def confirmed_guess(state: DialogueState, message: str) -> str | None:
    """The guessed intent when this message is a bare yes to the question naming it, else None."""
    guess = state.slots.pop("guess", None)
    return guess if guess is not None and _bare_answer(state, message, _CONFIRM, GUESS_START) else None
