"""The clarifying question for an opening message we cannot read with confidence, naming our best guess.

A generic menu ("is it about an order, a payment, your account, or a product?") tells a customer who wrote
three specific sentences that nobody read them. So the question names what we think it is about, from the
intents' "phrase" in the knowledge base, and keeps the menu for when the guess is wrong:

    guesses     the most probable intent, and the runner-up when its probability is at least
                SECOND_GUESS_SHARE of the first's; an intent without a phrase (complaint, praise, off_topic,
                greeting...) is no topic to offer, so a top guess without one means the generic question
    confirmed   after the question, a bare "yes" / "that's right" makes a single guess the intent, and "the
                first" / "the second one" picks one of two (the tracker calls `confirmed_guess`); a bare yes
                to two guesses gets "which one?" (`which_one`, asked once), and otherwise the customer's own
                words decide, helped by the intents carried over from the first message
    denied      a bare "no" / "neither" to a guess: we have not understood twice, so a person takes over
                (handover.decide calls `denied_guess`)

The guesses are kept in state.slots["guesses"] while the question is open. Measured in docs/reply-quality.md,
"Round 6: clarifying questions that name a guess".
"""
from __future__ import annotations

import re

import numpy as np

from bot.dialogue.issues import YES_WORDS, short_reply_to
from bot.dialogue.state import DialogueState

CLARIFY_TEXT = ("I want to get this right. Is it about an order (where it is, a return or refund, something missing or "
                "broken), a payment, your account, or one of our products? A few words on what happened will help me "
                "answer properly.")
GUESS_START = "I want to get this right: is it about "
GUESS_TEXT = (GUESS_START + "{guesses}? If it's something else, a few words on what happened "
              "(an order, a payment, your account or one of our products) will help me answer properly.")
# "I need help!!" and nothing else: no topic to guess, so the menu, without "to get this right" (nothing was said yet).
HELP_TEXT = ("Of course. What is it about: an order (where it is, a return or refund, something missing or broken), a "
             "payment, your account, or one of our products? A few words on what happened will help me answer properly.")
_ONLY_ASKS_FOR_HELP = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hiya|please|pls|plz|urgent|guys|there)\W+)*"
    r"(?:i\s+(?:really\s+|urgently\s+)?need|need|(?:can|could)\s+(?:someone|somebody|anyone|you))?\s*"
    r"(?:some\s+|your\s+)?(?:help|assistance)(?:\W+(?:please|pls|plz|asap|me|now|urgently|here))*[\W_]*$",
    re.IGNORECASE)
# A link or picture and little else ("thoughts?? https://t.co/..."): we can't open it, so say so and ask what it is
# about (round 24's raters rated a guess at it 3: "assumes a bare link is a phishing check"). Not when the words beside
# it say enough (more than LINK_WORDS of them).
LINK_TEXT = ("I can't open links or pictures from here, so I can't see what this one shows. Could you tell me in a few "
             "words what it's about? If it's about an order, the order number helps too.")
LINK_WORDS = 4
_LINK = re.compile(r"https?://\S+|www\.\S+|\bpic\.twitter\.com/\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\[?\w+\]?")
WHICH_START = "Sorry, which one is it: "
WHICH_TEXT = WHICH_START + "{guesses}? Or tell me in a few words what happened."
SECOND_GUESS_SHARE = 0.5  # name the runner-up too when it is at least half as probable as the top guess
_CONFIRM = set("right correct exactly that's thats it is yes".split()) | YES_WORDS
_DENY = set("no nope nah not neither wrong none".split())
_DENY_FILLER = set("of them those that it is its it's sorry".split())  # "no, not that", "none of them"
_PICK = {"first": 0, "1st": 0, "former": 0, "second": 1, "2nd": 1, "latter": 1}
_PICK_FILLER = set("the one it's its it is yes yeah option please".split())
_WORDS = re.compile(r"[a-z0-9']+", re.IGNORECASE)


def is_question(text: str) -> bool:
    """Is this reply of ours a clarifying question (generic or naming a guess)?"""
    return text in (CLARIFY_TEXT, HELP_TEXT, LINK_TEXT) or text.startswith((GUESS_START, WHICH_START))


def mostly_a_link(message: str) -> bool:
    """A link and at most LINK_WORDS words beside it ("thoughts?? https://t.co/x", "look @[handle] https://...")."""
    if not _LINK.search(message):
        return False
    return len(_WORDS.findall(_HANDLE.sub(" ", _LINK.sub(" ", message)))) <= LINK_WORDS


def only_asks_for_help(message: str) -> bool:
    """ "I need help!!", "can someone help me please": a plea with no topic in it."""
    return bool(_ONLY_ASKS_FOR_HELP.match(message))


def guesses(state: DialogueState, kb) -> list[str]:
    """The intent ids to name (0, 1 or 2), most probable first."""
    scores = state.cache.get("intent_scores")
    if scores is None:
        return []
    scores = np.asarray(scores)
    order, intents = np.argsort(-scores), kb.intents
    if not len(order) or not intents[order[0]].phrase:
        return []
    named = [intents[order[0]].id]
    if len(order) > 1 and intents[order[1]].phrase and scores[order[1]] >= SECOND_GUESS_SHARE * scores[order[0]]:
        named.append(intents[order[1]].id)
    return named


def question(state: DialogueState, kb) -> str:
    """The clarifying question for this turn; records the guesses so that the answer can pick one."""
    named = guesses(state, kb)
    state.slots.pop("guesses", None)
    if mostly_a_link(state.last_message):  # nothing to guess from: we can't see what it shows
        return LINK_TEXT
    if not named:
        return CLARIFY_TEXT
    state.slots["guesses"] = named
    return GUESS_TEXT.format(guesses=_named(named, kb))


def _named(named: list[str], kb) -> str:
    return ", or ".join(kb.intent(i).phrase for i in named)


def which_one(state: DialogueState, kb) -> str | None:
    """ "Which one?" when the customer said a bare yes to two guesses (`confirmed_guess` kept them open), else None.
    Asked once: a bare yes to "which one?" is not understood twice, and a person takes over."""
    named = state.slots.get("guesses") or []
    if len(named) < 2 or not short_reply_to(state, _words(state.last_message), GUESS_START, _CONFIRM):
        return None
    return WHICH_TEXT.format(guesses=_named(named, kb))


def _reply_to_question(state: DialogueState, words: list[str], allowed: set[str]) -> bool:
    return any(short_reply_to(state, words, marker, allowed) for marker in (GUESS_START, WHICH_START))


def _words(message: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(message)]


def denied_guess(state: DialogueState, message: str) -> bool:
    words = _words(message)
    return bool(set(words) & _DENY) and _reply_to_question(state, words, _DENY | _DENY_FILLER)


def confirmed_guess(state: DialogueState, message: str) -> str | None:
    """The guessed intent this message confirms ("yes" to one guess, "the second one" of two), else None.
    A bare yes to two guesses confirms neither and keeps them open for `which_one`."""
    named = state.slots.pop("guesses", None)
    if not named:
        return None
    words = _words(message)
    if short_reply_to(state, words, GUESS_START, _CONFIRM):
        if len(named) == 1:
            return named[0]
        state.slots["guesses"] = named
    if _reply_to_question(state, words, _PICK_FILLER | set(_PICK)):
        picks = {_PICK[w] for w in words if w in _PICK}
        if len(picks) == 1 and max(picks) < len(named):
            state.slots.pop("guesses", None)
            return named[picks.pop()]
    return None
