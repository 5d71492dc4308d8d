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
    r"\bdelay(?:ed)?\b|\blost\b|\bwrong\b|\bnothing\b|\bwaiting\b|\bfor nothing\b|\bmouldy\b|\bmoldy\b|\brotten\b|"
    r"\bstale\b|\bout of date\b|\bbest before\b|\buse by\b|\bexpired\b|\bonly to find\b|[🙃🙄😒😤😡😠😔😞😩😕🤔👎🤢🤮😷]",
    re.IGNORECASE)
# Words of thanks or praise; a message without any is no praise, whatever the intent model reads in it.
_KIND = re.compile(
    r"\b(?:thanks?|thank you|thx|ty|cheers|bye|goodbye|great|love|loved|loving|amazing|brilliant|excellent|awesome|"
    r"fantastic|wonderful|best|happy|pleased|impressed|kudos|shout ?out|well done|perfect|superb|lovely|good|nice|helpful|"
    r"appreciated?|glad|sweet|cool|star|legends?|hero|rocks?|delighted|quick|fast|smooth|ok|okay|k|sorted|"
    r"all good|that'?s all|that'?s it|no worries|nothing else|np|done)\b|[👍❤💜💙💚🧡💛😍🙌👏😊🙂🥰⭐👌]",
    re.IGNORECASE)


def complaint_dressed_as_praise(message: str) -> bool:
    """Does the message say something went wrong (so praise words in it are sarcasm, or thanks in advance)?"""
    return bool(_WENT_WRONG.search(message))


def not_praise(message: str) -> bool:
    """Is a message the intent model read as praise or thanks no praise at all: something went wrong in it, or it
    has no word of thanks or praise?"""
    return complaint_dressed_as_praise(message) or not _KIND.search(message)
