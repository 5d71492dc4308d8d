"""Who looks after a public matter: the roads, the council (round 25).

A message about a public matter (the fact `public_matter`, bot/dialogue/named_outright.py: traffic lights, a council's
library, an election) is off topic for a shop, and round 24's and 25's raters rated the bare "I'm here for Northwind
Threads questions only" 2-3 on a road's traffic lights: "the traffic lights are the council's; neither says where to
turn". The answer off_topic.public_matter says who to turn to ({public_who}, filled by `who_to_ask`). Only where that
is plain: the first version also sent a church's matter to the church and politics to an elected representative, and
the one church message rated 2 ("why did they remove the crosses" was about a brand, not the church), while "what's
your position on the election?" asks ours; those, and chit-chat, keep the friendly reply.
"""
from __future__ import annotations

import re

# a road's or the council's matter, and the sentence that says who looks after it
_THE_COUNCILS = re.compile(
    r"\b(?:traffic lights?|roundabouts?|road ?works|pot ?holes?|council|parking tickets?|bins?|street ?lights?)\b",
    re.IGNORECASE)
THE_COUNCIL_TEXT = ("Roads, traffic lights, parking and bins are your local council's to sort out, and its website has "
                    "a form to report them.")


def who_to_ask(message: str) -> str | None:
    """The sentence that says who looks after this public matter, or None (politics, a church, the weather)."""
    return THE_COUNCIL_TEXT if _THE_COUNCILS.search(message) else None
