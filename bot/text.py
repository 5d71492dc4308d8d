"""Customer text hygiene: validation of what comes in (PII masking lives in bot.pii, re-exported here)."""
from __future__ import annotations

import unicodedata

from bot.pii import mask_pii  # noqa: F401  (callers import it from here too)

MAX_MESSAGE_CHARS = 4000
# Phones type "didn’t" and "it’s"; every pattern that reads a message (bot/dialogue) spells "didn't" and "it's".
_CURLY_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


class InvalidMessage(ValueError):
    """A customer message the bot cannot take; the text is safe to show to the customer."""


def clean_message(text: object) -> str:
    """Strip control characters and surrounding space, straighten curly apostrophes; reject empty or over-long
    messages."""
    if not isinstance(text, str):
        raise InvalidMessage("Please type your question as text.")
    # Keep newlines and tabs; drop other control / format characters (NUL, escape sequences, zero-width).
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    kept = kept.strip().translate(_CURLY_APOSTROPHES)
    if not kept:
        raise InvalidMessage("Your message was empty. Please type your question and I'll help right away.")
    if len(kept) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(
            f"Your message is {len(kept):,} characters long; I can read up to {MAX_MESSAGE_CHARS:,}. "
            "Please shorten it or split it into a few messages."
        )
    return kept
