"""A complaint about a visit to one of our stores: the staff, the queue, the till, opening hours.

Customers write about their visit the way they write about a parcel, and the intent model read "till woman just
ignored him" as a delivery complaint or asked "is it about how your parcel was delivered?". Shops' own agents ask
which store and when, and pass it to that store (real_dev's agent replies do so). A message that names a store
visit and something gone wrong is a complaint (the tracker lifts it), and the complaint answer built on a store
visit (`"needs": ["said:in_store_visit"]`, bot/dialogue/facts.py) asks which store and when.
"""
from __future__ import annotations

import re

from bot.dialogue import case_report
from bot.dialogue.facts import FACTS

COMPLAINT_INTENT = "complaint"
# What went wrong on a visit (the staff, the queue, the lifts, "to be told the cafe was closing", "refused"):
# not sarcasm.py's signs of an order gone wrong. Round 15's raters rated the in-store complaint answer 4 where a
# handover to a person got 3 (a cafe closed early, in four sessions).
_VISIT_WENT_WRONG = re.compile(
    r"\b(?:rude|ignored|ignoring|disgrace\w*|ridiculous|terrible|awful|appalling|shocking|unacceptable|disappoint\w*|"
    r"annoy\w*|fuming|useless|no one|nobody|not one|closed|shut|queue\w*|waited|waiting|broken|not working|dirty|"
    r"filthy|never|worst|poor|bad|upset|angry|complain\w*|isn'?t working|doesn'?t work|out of order|"
    r"closing|turned away|no staff|refus\w*|disgusting|gross|humiliat\w*|embarrass\w*|locked|followed me|"
    r"(?:to be|was|were) told|"
    # round 22 (hunts 29-30): followed round, opened late or closed before its hours, the money refused, a mess
    r"followed|before anyone|(?:opened|open) (?:\w+ ){0,3}late|(?:wasn'?t|didn'?t|did not|never) open|"
    r"(?:closes?|shuts?) (?:early|before)|shutters? (?:was |were |already |half )*down|roped off|cordoned off|"
    r"came all the way|(?:came|drove|went) (?:all the way )?(?:over|there|in) for nothing|"
    r"why did (?:\w+ ){0,4}(?:close|shut)|drove (?:\d+|an hour|half an hour)|"
    r"mess|state of|overflowing|walked off|rolled (?:his|her|their) eyes|"
    r"(?:wouldn'?t|won'?t|would not|will not|don'?t|doesn'?t|didn'?t|do not|does not|did not) (?:\w+ ){0,2}"
    r"(?:take|accept)|"
    r"not (?:taking|accepting))\b|[😡😠😤🙄😒👎🤢🤮]",
    re.IGNORECASE)

_WE_ARRIVED = re.compile(r"\b(?:arrived|got there|turned up) (?:at|in)\b", re.IGNORECASE)  # the customer, not a parcel


def complaint_about_a_visit(message: str) -> bool:
    """Does the message name a visit to a store and something that went wrong there (and no order of theirs in
    trouble: "two things still to come, and one not in the store" is about the order; "I got a coffee there" is not)?"""
    return bool(FACTS["in_store_visit"].search(message)) and bool(_VISIT_WENT_WRONG.search(message)) and \
        not (case_report.reports_a_case(message) and case_report.order_trouble(_WE_ARRIVED.sub(" ", message))) and \
        not FACTS["not_our_range"].search(message)  # "a PS4 offer in store... told it's not genuine": not our goods
