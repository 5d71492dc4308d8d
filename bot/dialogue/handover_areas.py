"""A handover that says what it understood: the area of the trouble, what the person will do, and the detail they need.

Round 14's raters rated the plain told-story handover ("I'd rather a person read it than guess at an answer") 3 on
61 of 62 real_dev messages, and said why: "a generic hand-over with no engagement on the missing parcels", "where
asking for the order and the fault would move things on". A warmer wording of the same text changed nothing
(`ab3-r14`). What they missed was the matter named and a step that moves it on.

These messages are handed over because the intent model is unsure which of our intents they are; it is often sure of
the area all the same: the probabilities of one area's intents (the knowledge base's "topic": shipping, payment, ...),
summed. At AREA_SURE or more the handover names the area, says what the person will do with it, and asks for the
one detail they will need (never for one the customer gave). Only for a message that reports trouble with the
customer's own order, parcel or money (bot/dialogue/case_report.py): "I'm sorry about the trouble with the item" to
"is the camel coat coming back?" was rated 1. Otherwise, and for anything that happened in one of our stores (the
in_store_visit fact), the plain text stays: a wrong area named is rated below the plain text.

Blind A/Bs against the plain text (docs/reply-quality.md, "Round 15"), before this condition: real_dev +0.39 [-0.08,
+0.77] (13, `ab5-r15`), the misfire hunts' messages -0.02 [-0.44, +0.38] (32, `ab6-r15`); of those 45, the 18 that
report a case rated +0.53 over the plain text and the other 27 -0.19. The condition was chosen on those ratings, so
that +0.53 is not yet measured on unseen messages.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.dialogue import case_report

# On real_dev (round 15), the handed-over messages whose surest area summed to 0.5 or more had that area among the
# ones our topic labels accept for 11 of 14 (0.4-0.5: 5 of 7; below 0.4: 7 of 13); docs/reply-quality.md, "Round 15".
AREA_SURE = 0.5


@dataclass(frozen=True)
class Area:
    sorry: str  # the matter, named
    person_will: str  # what the colleague will do with it
    detail: str  # the detail they will need, after the order number where that is asked for
    about_an_order: bool  # the order number helps: asked for unless the customer gave it


AREAS = {
    "shipping": Area("I'm sorry about the trouble with your delivery.", "look into it with our delivery team", "", True),
    "orders": Area("I'm sorry about the trouble with your order.", "look into it", "", True),
    "returns": Area("I'm sorry about the trouble with your return.", "look into where it stands", "", True),
    "refunds": Area("I'm sorry you're still waiting on your money.", "check where your refund stands", "", True),
    "payment": Area("I'm sorry about the trouble with the payment.", "check the payment",
                    " So they can find it, add the date and the amount as your statement shows them (never your card "
                    "number).", False),
    "account": Area("I'm sorry about the trouble with your account.", "look into it",
                    " Add the email address on your account (never your password) so they can find it.", False),
    "products": Area("I'm sorry about the trouble with the item.", "look into it",
                     " A photo helps if something's wrong with it.", True),
    "promotions": Area("Thanks for asking about the offer.", "check it",
                       " Add the offer or code and where you saw it, so they can look it up.", False),
    "website": Area("I'm sorry our website is giving you trouble.", "look into it with our web team",
                    " Add what the page says, and whether you're on the app or in a browser.", False),
    "scam": Area("Thanks for checking with us first.", "check whether it really came from us",
                 " Meanwhile, please don't click its links or reply with a password or card details.", False),
}
TEXT = ("{sorry} I've passed your message to a colleague at {store_name}, who will {person_will} and reply here or by "
        "email within a day ({support_hours}).{detail}")
# Where an intent's area is not its knowledge-base topic: a scam and a charge nobody made sit under "account" there.
AREA_OF_INTENT = {"scam_concern": "scam", "unauthorized_charge": "payment"}
ASK_ORDER = " Add your order number here so they can look it up straight away."
HAVE_ORDER = " They'll have your order number to hand."


def area_of(state, kb) -> str | None:
    """The area the message is surely about, or None."""
    if state.intent_memory is None or "in_store_visit" in state.slots.get("said", ()):
        # (a till's cashback or a store's prices are no online refund or payment: round 15's raters rated those 2)
        return None
    if not case_report.reports_a_case(state.last_message):
        return None  # "sorry about the trouble with the item" to "is the coat coming back?" was rated 1 (ab6-r15)
    by_area: dict[str, float] = {}
    for intent, probability in zip(kb.intents, np.asarray(state.intent_memory, dtype=float)):
        area = AREA_OF_INTENT.get(intent.id, intent.topic)
        by_area[area] = by_area.get(area, 0.0) + float(probability)
    surest = max(by_area, key=by_area.get)
    return surest if surest in AREAS and by_area[surest] >= AREA_SURE else None


def template(area: str, state) -> str:
    """The handover text for a message about this area, with {store_name} and {support_hours} left for handover.py."""
    chosen = AREAS[area]
    detail = chosen.detail
    if chosen.about_an_order:
        detail = (HAVE_ORDER if "order_id" in state.slots else ASK_ORDER) + detail
    return TEXT.replace("{sorry}", chosen.sorry).replace("{person_will}", chosen.person_will).replace("{detail}", detail)
