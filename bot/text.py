"""Customer text hygiene: validation of what comes in, PII masking before anything is stored."""
from __future__ import annotations

import re
import unicodedata

MAX_MESSAGE_CHARS = 4000


class InvalidMessage(ValueError):
    """A customer message the bot cannot take; the text is safe to show to the customer."""


def clean_message(text: object) -> str:
    """Strip control characters and surrounding space; reject empty or over-long messages."""
    if not isinstance(text, str):
        raise InvalidMessage("Please type your question as text.")
    # Keep newlines and tabs; drop other control / format characters (NUL, escape sequences, zero-width).
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    kept = kept.strip()
    if not kept:
        raise InvalidMessage("Your message was empty. Please type your question and I'll help right away.")
    if len(kept) > MAX_MESSAGE_CHARS:
        raise InvalidMessage(
            f"Your message is {len(kept):,} characters long; I can read up to {MAX_MESSAGE_CHARS:,}. "
            "Please shorten it or split it into a few messages."
        )
    return kept


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# 13-19 digits, optionally grouped by spaces or dashes: a payment card if it passes the Luhn check.
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
# Phone numbers: optional +country, at least 10 digits in total with common separators.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{8,}\d(?![\w])")


def _luhn_ok(digits: str) -> bool:
    total, double = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if double:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
        double = not double
    return total % 10 == 0


def mask_pii(text: str) -> str:
    """Replace emails, payment card numbers and phone numbers with placeholders."""
    text = _EMAIL.sub("[email]", text)

    def card(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group())
        return "[card]" if _luhn_ok(digits) else match.group()

    text = _CARD.sub(card, text)

    def phone(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group())
        return "[phone]" if 10 <= len(digits) <= 15 else match.group()

    return _PHONE.sub(phone, text)
