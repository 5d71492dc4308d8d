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
# What went wrong on a visit (the staff, the queue, the lifts): not sarcasm.py's signs of an order gone wrong
_VISIT_WENT_WRONG = re.compile(
    r"\b(?:rude|ignored|ignoring|disgrace\w*|ridiculous|terrible|awful|appalling|shocking|unacceptable|disappoint\w*|"
    r"annoy\w*|fuming|useless|no one|nobody|not one|closed|shut|queue\w*|waited|waiting|broken|not working|dirty|"
    r"filthy|never|worst|poor|bad|upset|angry|complain\w*|isn'?t working|doesn'?t work|out of order|"
    r"closing|turned away|no staff)\b|[😡😠😤🙄😒👎]",
    re.IGNORECASE)


def complaint_about_a_visit(message: str) -> bool:
    """Does the message name a visit to a store and something that went wrong there (and no order of theirs:
    "still waiting for 2 items, one missing in store" is about the order)?"""
    return bool(FACTS["in_store_visit"].search(message)) and bool(_VISIT_WENT_WRONG.search(message)) and \
        not case_report.reports_a_case(message)
