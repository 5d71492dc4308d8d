"""Who looks after a public matter: a road, a church, a law (round 25).

A message about a public matter (the fact `public_matter`, bot/dialogue/named_outright.py: traffic lights, a church's
crosses, an election) is off topic for a shop, and round 24's and 25's raters rated the bare "I'm here for Northwind
Threads questions only" 2-3 on it: "the traffic lights are the council's; neither says where to turn". The answer
off_topic.public_matter says who to turn to, by the matter's kind ({public_who}, filled by `who_to_ask`); chit-chat about
the weather or the football has no one to send it to, and keeps the friendly reply.
"""
from __future__ import annotations

import re

# the kind's words -> who to ask, as a sentence of the answer
WHO = {
    r"traffic lights?|roundabouts?|road ?works|pot ?holes?|council|parking tickets?|bins?|street ?lights?":
        "Roads, traffic lights, parking and bins are your local council's to sort out, and its website has a form to "
        "report them.",
    r"church(?:es)?|chapel|mosque|synagogue|cathedral|vicar|priest":
        "That one is best taken up with the church or place of worship itself.",
    r"government|parliament|politic\w*|election|brexit|prime minister|president|petition|refugees?|immigra\w*":
        "That one is best taken up with your elected representative or the government office concerned.",
}


def who_to_ask(message: str) -> str | None:
    """The sentence that says who looks after this public matter, or None (chit-chat: the weather, the football)."""
    for words, who in WHO.items():
        if re.search(rf"\b(?:{words})\b", message, re.IGNORECASE):
            return who
    return None
