"""Praise that is a complaint: "great, ANOTHER week of waiting, thanks a lot 🙃", "2 weeks and still no candles.
Fantastic job guys".

The intent model reads the praise words and answers "You've made our day!". When the best intent is praise or
thanks and the message also says something went wrong (still, again, another week, never, broken, missing, late...),
the tracker sets those intents aside and the next best one (a late delivery, a complaint) is answered.
"""
from __future__ import annotations

import re

PRAISE_INTENTS = ("praise", "goodbye_thanks")
_WENT_WRONG = re.compile(
    r"\bstill\b|\bagain\b|\banother (?:week|day|month)|\bnever\b|\bno sign\b|\bnot (?:arrived|here|come|working)\b|"
    r"\b(?:hasn'?t|haven'?t|didn'?t|doesn'?t|won'?t|isn'?t)\b|\bbroken\b|\bsmashed\b|\bdamaged\b|\bmissing\b|\blate\b|"
    r"\bdelay(?:ed)?\b|\blost\b|\bwrong\b|\bnothing\b|\bwaiting\b|\bfor nothing\b|[🙃🙄😒😤😡]",
    re.IGNORECASE)


def complaint_dressed_as_praise(message: str) -> bool:
    """Does the message say something went wrong (so praise words in it are sarcasm, or thanks in advance)?"""
    return bool(_WENT_WRONG.search(message))
