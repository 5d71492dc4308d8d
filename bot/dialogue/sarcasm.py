"""Praise that is a complaint: "great, ANOTHER week of waiting, thanks a lot 🙃", "2 weeks and still no candles.
Fantastic job guys".

The intent model reads the praise words and answers "You've made our day!". When the best intent is praise or
thanks and the message also says something went wrong (still, again, another week, never, broken, missing, late,
mouldy, out of date, a frowning emoji...), the tracker sets those intents aside and the next best one (a late
delivery, a complaint) is answered. So it does when the message has no kind word at all: "grapes bought on
Saturday from the Lincoln store... 🤔😔" was read as praise (found by blind raters of real messages).
"""
from __future__ import annotations

import re

PRAISE_INTENTS = ("praise", "goodbye_thanks")
_WENT_WRONG = re.compile(
    r"\bstill\b|\bagain\b|\banother (?:week|day|month)|\bnever\b|\bno sign\b|\bnot (?:arrived|here|come|working)\b|"
    r"\b(?:hasn'?t|haven'?t|didn'?t|doesn'?t|won'?t|isn'?t)\b|\bbroken\b|\bsmashed\b|\bdamaged\b|\bmissing\b|\blate\b|"
    r"\bdelay(?:ed)?\b|\blost\b|\blosing\b|\bwrong\b|\bnothing\b|\bwaiting\b|\bfor nothing\b|\bmouldy\b|\bmoldy\b|\brotten\b|"
    r"\bstale\b|\bout of date\b|\bbest before\b|\buse by\b|\bexpired\b|\bonly to find\b|\bstain\w*|\bripped\b|"
    r"\btorn\b|\bhole in\b|\bcovered in\b|\bsomeone else'?s\b|\bdirty\b|\bdisgust\w*|[🙃🙄😒😤😡😠😔😞😩😕🤔👎🤢🤮😷]",
    re.IGNORECASE)
# Hearts and cheers: warm whatever the words (a "💕" compliment was asked "is it about an order?", round 12)
_HEARTS_AND_CHEERS = "❤💜💙💚🧡💛💕💖💗😍🙌👏🥰"
# Words of thanks or praise; a message without any is no praise, whatever the intent model reads in it.
_KIND = re.compile(
    r"\b(?:thanks?|thank you|thx|ty|cheers|bye|goodbye|great|love|loved|loving|amazing|brilliant|excellent|awesome|"
    r"fantastic|wonderful|best|happy|pleased|impressed|kudos|shout ?out|well done|perfect|superb|lovely|good|nice|helpful|"
    r"appreciated?|glad|sweet|cool|star|legends?|hero|rocks?|delighted|quick|fast|smooth|ok|okay|k|sorted|"
    r"all good|that'?s all|that'?s it|no worries|nothing else|np|done)\b|[👍😊🙂⭐👌" + _HEARTS_AND_CHEERS + "]",
    re.IGNORECASE)


# A request beside the thanks: "sent you a DM, need some help quickly please. Thanks." is thanks in advance,
# and "Glad I could help!" to it was rated 1 by blind raters (round 11).
_ASKS = re.compile(
    r"\b(?:need|needs|could (?:really )?use|asap|urgent\w*|can you|could you|would you|will you|pls|please help|"
    r"help me|is there|are there|do you|how (?:do|can|long)|when (?:will|can|is|are)|where (?:is|are))\b",
    re.IGNORECASE)


def complaint_dressed_as_praise(message: str) -> bool:
    """Does the message say something went wrong (so praise words in it are sarcasm, or thanks in advance)?"""
    return bool(_WENT_WRONG.search(message))


def not_praise(message: str) -> bool:
    """Is a message the intent model read as praise or thanks no praise at all: something went wrong in it, it asks
    for something, or it has no word of thanks or praise?"""
    return complaint_dressed_as_praise(message) or bool(_ASKS.search(message)) or not _KIND.search(message)


# Warm words (not "ok", "good" or "quick", which neutral messages use too): praise in them is meant.
_WARM = re.compile(r"\b(?:thanks?|thank you|great|amazing|brilliant|excellent|awesome|fantastic|wonderful|love|loved|"
                   r"superb|lovely|kudos|well done|impressed|helpful|appreciated?|legends?)\b|[" + _HEARTS_AND_CHEERS + "]",
                   re.IGNORECASE)


def sincere_praise(message: str) -> bool:
    """Warm words, nothing gone wrong and nothing asked: thanks to return even when the intent model is unsure
    ("you sorted my problem in minutes, thanks" was handed to a person at 0.22; round 11)."""
    return bool(_WARM.search(message)) and not not_praise(message)
