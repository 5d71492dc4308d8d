"""Money or a carrier of another country: a shop abroad, not ours (round 25).

Our store sells and delivers in its "store_countries" only (the US and Canada), yet real first messages to shop
support accounts come from everywhere: "£80 a year for next-day delivery", "old £1 coins not taken", "it was 650
rupees two days ago", "5p bags". Round 24's raters marked our answers to them down ("GBP, likely another shop; answers
as if ours", 2-3), while the store visit with pounds (store_abroad, round 24) that was told "our stores are all in the
US and Canada" rated 5. The fact `paid_abroad` reads the signs no customer of ours writes: an amount in pounds,
pence, euros, rupees or Australian dollars, or a carrier that delivers only elsewhere (Royal Mail, Evri). It lifts the off-topic topic; its
answer (off_topic.abroad) names the sign ({abroad_sign}, filled by `sign_of`), says where we sell, and still asks for
the order number in case it is ours after all. Not when the message names us, asks whether we ship there or take that
money (the shipping and payment answers say), or another not-ours fact already says whose it is (their answers name
the company or the kind of thing).
"""
from __future__ import annotations

import re

# the sign -> its words. A price ("£80", "5p", "€35", "Rs. 250", "650 rupees"); not "5 pounds", a weight in the US.
SIGNS = {
    # ("5p bags", "for 10p", "a tenner", not "size 8P", "480p" or a pickup at "4p-6p")
    "an amount in pounds": r"£ ?\d|\d ?£|\b\d+(?:\.\d\d)? ?(?:quid|pence|gbp)\b|\bgbp ?\d|"
                           r"\b(?:for|costs?|charged?|pay|paid|from|to|only|just|extra|was|is|now|and|my) \d{1,2}p\b(?![-–])|"
                           r"\b\d{1,2}p (?:coins?|bags?|each|charge|per|a (?:bag|go|piece))\b|\b(?:tenner|fiver)s?\b",
    "an amount in euros": r"€ ?\d|\d ?€|\b\d+(?:[.,]\d\d)? ?(?:euros?|eur)\b|\beur ?\d",
    "an amount in rupees": r"₹ ?\d|\b\d[\d,]* ?(?:rupees?|rs|inr)\b|\b(?:rs\.?|inr) ?\d",
    "an amount in Australian dollars": r"\ba\$ ?\d|\baud ?\$? ?\d|\d ?aud\b",
    "an Australia Post delivery": r"\baustralia post\b",
    "a Royal Mail delivery": r"royal ?mail(?! (?:\w+ )?(?:hoodie|tee|t-shirt|shirt|graphic|print|jumper|sweatshirt|mug))|parcelforce",
    "an Evri (Hermes) delivery": r"\bevri\b|\bhermes (?:driver|courier|parcel|depot|delivery|tracking|have|has|lost|left|said|says)",
    "a Yodel delivery": r"\byodel\b",
    "an Indian courier": r"\b(?:delhivery|blue ?dart|ekart|dtdc|xpressbees|ecom express)\b",
    "a DPD delivery": r"\bdpd\b",
    "an An Post delivery": r"\ban post\b",
}
_ANY_SIGN = re.compile("|".join(f"(?:{words})" for words in SIGNS.values()), re.IGNORECASE)
# "@NorthwindThreads you took £25 for the rug removal": they say it's us, so it is
_NAMES_US = re.compile(r"northwind", re.IGNORECASE)  # "Northwind", "@NorthwindThreads"
# "do you ship to Ireland?", "can I pay in euros?", "will it come by Royal Mail?": a question about what we do, which
# the shipping and payment answers take
_ASKS_WHAT_WE_DO = re.compile(
    r"\b(?:do|does|can|could|will|would) (?:you|u|ya|y'?all|i|we)\b[^.!?\n]{0,40}?\b(?:ship|deliver|send|post)\w*\b"
    r"[^.!?\n]{0,30}?\b(?:to|in|by)\b[^.!?\n]{0,30}\?|"
    r"\b(?:pay|paying|accept|take|prices?|charge)\b[^.!?\n]{0,20}?\b(?:in|with) (?:pounds|euros|rupees|sterling|gbp|eur)\b|"
    r"\bwhich (?:courier|carrier)\b", re.IGNORECASE)

FACTS = {"paid_abroad": _ANY_SIGN}
# the facts that say a shop abroad's (store_abroad, a visit there, is bot/dialogue/shop_matters.py's)
FACTS_OF_A_SHOP_ABROAD = {"paid_abroad", "store_abroad"}


def unless(text: str, other_facts: set[str]) -> bool:
    """The sign is no reason to answer "not ours": it names us, asks what we do, or another fact says whose it is."""
    return bool(_NAMES_US.search(text) or _ASKS_WHAT_WE_DO.search(text)) or bool(other_facts)


def sign_of(message: str) -> str:
    """What in the message says it is from abroad, for the answer: "an amount in pounds", "a Royal Mail delivery"."""
    for sign, words in SIGNS.items():
        if re.search(words, message, re.IGNORECASE):
            return sign
    return "that"
