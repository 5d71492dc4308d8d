"""Does a message report something that happened to the customer's own purchase, or ask how things work?

"My parcel was due yesterday and still hasn't come" is a case: the reply that moves it forward asks for the
order number and says what we'll do with it. "How long does delivery take?" is a question about how things work:
the policy answers it. Both read as the same intent. In three blind rating rounds of real first messages (rounds
4, 6 and 8, six raters), replies of the right intent that asked for the order rated 3.3-3.5 against 2.7-3.0 for
those that recited the policy, and within most intents the same held (late delivery, damaged, missing item).

The retrieval drafter gives a case's order-asking answers (`"needs": ["no_order"]`) a small bonus
(bot/drafting/retrieval.py, CASE_BONUS): it reorders the answers of one intent, not the intents.
"""
from __future__ import annotations

import re

# "the box was smashed", "box came crushed": the parcel came damaged (named_outright.arrived_damaged reads it too)
BOX_DAMAGED = r"\bbox (?:was |is |came )?(?:smash\w*|crushed|bashed|battered)\b"
_OWN_PURCHASE = (r"(?:order|orders|parcel|parcels|package|packages|delivery|deliveries|item|items|purchase|shipment|"
                 r"stuff|refund|return)")
_CASE = re.compile(
    r"\b(?:my|our)\s+(?:\w+\s+){0,2}?" + _OWN_PURCHASE + r"\b"  # "my order", "my prime delivery", "our new sofa order"
    r"|\b(?:i|we|i've|we've|i have|we have|i'd|just)\s+(?:just\s+|already\s+)?(?:ordered|bought|purchased|received|"
    r"got|paid(?! no attention)|returned|placed|been charged|was charged|were charged)\b"
    r"|\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|never|still not|not yet|still hasn'?t)\s+"
    r"(?:yet\s+)?(?:arrived|come|came|turned up|shown up|showed up|been delivered|delivered|received|got|get)\b"
    r"|\byou\s+(?:sent|delivered|charged|cancelled|canceled|lost|promised)\b"
    r"|\b(?:arrived|came|turned up|was|were|is|are)\s+(?:\w+\s+)?(?:damaged|broken|smashed|cracked|late|wrong|open|opened|"
    r"ripped|torn|crushed|dented|stained|mouldy|moldy|rotten|faulty)\b"
    r"|\b(?:expected|expecting|waiting (?:for|on))\s+(?:\w+\s+){0,3}?" + _OWN_PURCHASE + r"\b"  # "expected 4 packages"
    r"|\b(?:missed|failed) deliver\w*|\bdelivery (?:failed|attempt)|\btracking (?:says|shows|said|number)\b"
    r"|" + BOX_DAMAGED,
    re.IGNORECASE)


def reports_a_case(message: str) -> bool:
    """Something happened to the customer's own order, parcel or money (not a question about how things work)."""
    return bool(_CASE.search(message))


# Two narrower vocabularies of an order's trouble, each tuned to the rule that reads it (bot/dialogue/facts.py,
# bot/dialogue/not_ours.py):
# An order or what came in it: another company's device or account beside these is an order's trouble, which we answer
ORDER_TROUBLE = re.compile(r"\b(?:orders?|ordered|arrived|delivered|deliver(?:y|ies)|parcels?|packages?|refunds?|"
                           r"returns?|returned|damaged|broken|cracked|smashed|faulty|defective|missing|"
                           r"(?:never|not|didn'?t|did not|hasn'?t|has not|haven'?t|have not) (?:yet )?(?:got|get|"
                           r"received|come|came|arrived|turned up))\b"
                           # (not "haven't received a response": the chase's words, bot/dialogue/chasing.py)
                           r"(?! (?:a |an |any )?(?:reply|replies|response|answer|call ?back|word)\b)", re.IGNORECASE)
# "my parcel is late and I never got a confirmation email either": the parcel is the question
PARCEL_TROUBLE = re.compile(
    r"\b(?:parcel|package|order|delivery|item)s?\b[^.!?\n]{0,20}\b(?:late|delayed|overdue|hasn'?t (?:arrived|come)|"
    r"not (?:arrived|here)|never (?:arrived|came)|damaged|broken)\b|\b(?:late|delayed|overdue) (?:parcel|package|order|"
    r"delivery)\b", re.IGNORECASE)


def order_trouble(message: str) -> bool:
    """Words of an order's trouble anywhere in the message: "my Echo Dot arrived cracked" is ours to answer."""
    return bool(ORDER_TROUBLE.search(message))


def parcel_trouble(message: str) -> bool:
    """A late, missing or damaged parcel: it comes before a missing email or their membership."""
    return bool(PARCEL_TROUBLE.search(message))
