"""Real-style rewrites of a clean example message, so the intent model meets how customers write.

Each rewrite keeps the request and changes only the surface: typos, no punctuation or capitals,
anger and urgency, a greeting or a brand handle in front, two messages run together. Deterministic
for a given seed, so a trained model's card can name exactly what it saw.
"""
from __future__ import annotations

import random
import re

_OPENERS = ["hi", "hello", "hey there", "good morning", "@NorthwindHelp", "hi team", "excuse me", "um hello",
            "I need help.", "quick question -", "so", "ok so"]
_CLOSERS = ["thanks", "thx", "please help", "asap!!", "this is ridiculous", "not happy", "??", "!!!",
            "please reply", "cheers", "I'm really annoyed", "been waiting ages", "help me out here"]
_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def typo(text: str, rng: random.Random, rate: float = 0.06) -> str:
    """Swap, drop or double a few letters inside words of four letters or more."""
    def mangle(match: re.Match) -> str:
        word = match.group(0)
        if rng.random() > rate * len(word) / 4:
            return word
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if kind == 1:
            return word[:i] + word[i + 1:]
        if kind == 2:
            return word[:i] + word[i] + word[i:]
        return word[:i] + rng.choice(_KEYBOARD) + word[i + 1:]
    return re.sub(r"[A-Za-z]{4,}", mangle, text)


def flat(text: str) -> str:
    """lower case, no punctuation: how many people type on a phone."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s#@']", " ", text.lower())).strip()


def angry(text: str, rng: random.Random) -> str:
    body = text.upper() if rng.random() < 0.3 else text
    return f"{body} {rng.choice(_CLOSERS)}"


def framed(text: str, rng: random.Random) -> str:
    return f"{rng.choice(_OPENERS)} {text[:1].lower() + text[1:]}"


def run_on(text: str, other: str, rng: random.Random) -> str:
    """Two of the customer's sentences with the request first: the request keeps its label."""
    joiner = rng.choice([" and also ", ". ", " ... ", ", "])
    return text.rstrip(".!? ") + joiner + other[:1].lower() + other[1:]


def augment(examples: list[str], n_per_example: int, seed: int = 0, fillers: list[str] | None = None) -> list[str]:
    """`n_per_example` rewrites of each example (same order: all rewrites of example 0 first, ...).
    fillers: sentences that carry no request ("I ordered on Monday.") for run-on rewrites."""
    rng = random.Random(seed)
    fillers = fillers or ["I ordered last week.", "I've been a customer for years.", "this is my second message",
                          "my daughter uses the account too", "I'm on my phone"]
    out = []
    for text in examples:
        for _ in range(n_per_example):
            kind = rng.randrange(5)
            if kind == 0:
                new = typo(text, rng)
            elif kind == 1:
                new = flat(text)
            elif kind == 2:
                new = angry(text, rng)
            elif kind == 3:
                new = framed(typo(text, rng, 0.03), rng)
            else:
                new = run_on(text, rng.choice(fillers), rng)
            out.append(new)
    return out
