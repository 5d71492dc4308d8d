"""Numbers and other per-customer values in messages; models should read the words around them."""
from __future__ import annotations

import re

from bot.pii import EMAIL

ANY_NUMBER = re.compile(r"\d{4,}")
# Proof that an order is the customer's, given in the same message as the question ("how do I return order 10005,
# my email is jo@example.com"): an email address or a postcode, with the words that introduce it.
_PROOF = re.compile(r"(?:[,;.]\s*|\s+and\s+|\s*\(?)(?:(?:my|the|our)\s+)?(?:e-?mail(?:\s+address)?|zip(?:\s*code)?|"
                    r"post(?:al)?\s*code)(?:\s+(?:is|was|it's|on the order))?[\s:=]*"
                    r"(?:" + EMAIL.pattern + r"|\d{5}(?:-\d{4})?|[A-Za-z]\d[A-Za-z][\s-]?\d[A-Za-z]\d)\)?", re.IGNORECASE)


# A reference to an order by its 5-digit number ("order #10005", "my order number is 10005", "10005"; not an
# amount): the topic is in the other words. Read as "my order", a number no longer pulls a message towards tracking
# (most of the examples that carry one ask where an order is): "how do I return order 10005" was read as tracking.
_ORDER_REFERENCE = re.compile(r"(?:\b(?:my\s+)?(?:order|ord)\s*(?:number|no\.?|num)?\s*(?:is|was|:)?\s*)?#?(?<![\d$€£.,])\b\d{5}\b"
                              r"(?![.,]?\d)(?!\s*(?:dollars|usd|eur|euros?|pounds|gbp|%))", re.IGNORECASE)


def normalise_numbers(text: str) -> str:
    """Order numbers differ per customer; one placeholder lets similarity look at the words instead."""
    return ANY_NUMBER.sub("12345", text)


def without_proof(message: str) -> str:
    """The message without the order's proof: email addresses, and postcodes with the words that give them."""
    return re.sub(r"\s+", " ", EMAIL.sub(" ", _PROOF.sub("", message))).strip(" ,;")


# Links, @-mentions and the "#" of a hashtag carry no topic: "this order never came ... https://t.co/Xy12Ab34Cd"
# was read at 0.40 for a missing parcel, 0.55 without the link (round 14). The hashtag's words stay: "#badapple".
_NO_TOPIC = re.compile(r"\bhttps?://\S+|\bwww\.\S+|@\[handle\]|(?<!\w)@\w+|#(?=[A-Za-z])", re.IGNORECASE)


def intent_text(message: str) -> str:
    """What the message asks, for the encoder: an order's number read as "my order", the order's proof (an email or a
    postcode, and the words that give it) left out. The proof is read elsewhere (order_access); left in, "my email
    is ..." pulls the message towards the account and email intents, and a clear return question got a clarifying
    one. Links and @-mentions are left out too (_NO_TOPIC)."""
    words = without_proof(message)
    words = re.sub(r"\s+", " ", _NO_TOPIC.sub(" ", words)).strip() or words
    if not re.search(r"[A-Za-z]{2}", words):  # nothing but the proof (or a number): keep what they wrote
        return normalise_numbers(message)
    return normalise_numbers(re.sub(r"\s+", " ", _ORDER_REFERENCE.sub(" my order ", words)).strip())
