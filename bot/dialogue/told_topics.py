"""Topics the customer's own words decide, whatever the intent model reads (round 11, docs/reply-quality.md).

Each rule starts from a fact (bot/dialogue/facts.py) or a named thing in the message, and was found in blind
ratings of real messages or in a misfire hunt:

    a fact names the topic       mouldy food, someone hurt, an empty box, a locker's code: the tracker lifts the
                                 topic above the model's best guess (`lifted_by_facts`); feedback ("please bring
                                 back ..."), a shelf label's price and another company's gift card do so when
                                 nothing else named the topic (round 12)
    a code that is no promo code a gift card's or a parcel locker's code: the promo-code topic is set aside
                                 (`set_aside`, which the tracker's praise, greeting and account rules use too)
    another company's membership "end my Prime membership": what read as our membership is off topic for us
                                 (off_topic.other_membership says it belongs to them)
    another company's system     "locked out of my Amazon account", "my Echo Dot won't connect", "my Prime promo
                                 code": what read as our account, website, codes, membership or a charge on our
                                 account is off topic for us too (off_topic.other_company_system; round 13)
"""
from __future__ import annotations

import re

import numpy as np

from bot.dialogue import not_ours

# fact -> the topic it names. Poor goods are a damaged item whatever "bag" or "delivered" makes the model read;
# someone hurt by what we sold gets the faulty item's safety answer however unsure the model is (safety first,
# never a handover queue or a guess); an empty box is a missing item; a locker's code is about a parcel that is
# there but out of reach; an item that came used is a wrong item; money taken for a cancelled order is a refund
# owed (round 13); money taken for nothing they bought or a gift card's balance spent by someone else is the security
# team's, a fake confirmation email is a scam, a return never collected is a return, and a gift receipt is a receipt
# (round 16). Another shop's order, a marketplace, another shop named, food and kinds of things we don't sell are
# not ours (bot/dialogue/not_ours.py, round 14); they come last, so that mouldy bread's poor quality yields to its
# being food: the last topic lifted is the one answered.
FACT_TOPICS = {"safety_concern": "feedback",  # round 17 (bot/dialogue/shop_matters.py): before someone hurt, who comes first
               "quality_problem": "damaged_or_wrong_item", "someone_hurt": "defective_item",
               "empty_box": "missing_item", "locker_code": "package_not_received",
               "arrived_used": "damaged_or_wrong_item", "charged_after_cancel": "refund_status",
               "charged_for_unbought": "unauthorized_charge", "gift_receipt": "invoice_request",
               "gift_card_drained": "unauthorized_charge", "suspicious_message": "scam_concern",
               "return_not_collected": "return_status", "store_payment": "payment_methods",
               # round 17 (shop_matters.py): a stock alert, a store's price against the website's, a parcel sent back
               # to us, tracking that stopped, an order split over parcels, a competition, a charity's or a business's
               # request, a job, a store's hours, a sale's dates, gift wrap, points
               "stock_alert": "product_question", "store_online_price": "price_adjustment",
               "returned_to_sender": "package_not_received", "tracking_stuck": "delivery_delayed",
               "split_delivery": "missing_item", "competition": "promo_code",  # a prize "not come, nothing since" is a prize
               "business_request": "off_topic", "careers": "off_topic", "store_hours": "store_pickup",
               "sale_dates": "promo_code", "gift_wrap": "shipping_options", "loyalty_points": "membership_subscription",
               # round 18 (bot/dialogue/named_outright.py): how to send it back, is this a scam, it came damaged
               # round 20: a delivery date moved is late; things that keep breaking are a fault (a damaged
               # arrival, after it, wins)
               "date_moved": "delivery_delayed", "repeat_faults": "defective_item",
               "asks_how_to_return": "return_item", "asks_if_scam": "scam_concern", "arrived_damaged": "damaged_or_wrong_item",
               "marketplace_trade": "off_topic", "other_company_order": "off_topic", "other_shop_named": "off_topic",
               "groceries": "off_topic", "not_our_range": "off_topic", "public_matter": "off_topic",
               # round 24: a service our stores don't have (a pharmacy, a café, fuel), another company's contest
               "not_our_service": "off_topic", "other_contest": "off_topic", "other_service": "off_topic",
               "late_express": "delivery_delayed",  # "where is my order?? I paid for next day" is late (round 15)
               # round 21 (shop_matters.py), after the rest: who pays to send back a cracked mirror is the return's
               # cost, a store's lifts and toilets asked about are the store's, an extra paid for and not done (a timed
               # slot missed too) is the fee's to refund ("paid £20 for a gift box and it came battered")
               "return_cost": "refund_policy", "store_facilities": "store_pickup", "paid_service": "delivery_complaint",
               # round 22: an order to collect that a store didn't have ready is the collection's, whatever else it says
               "collect_trouble": "store_pickup",
               # round 26, after a damaged arrival or a paid-for speed ("FedEx crushed my last two orders, stop using
               # them", "USPS takes 9 days though you say fast shipping"): a carrier chosen or dropped (carriers.py); a DM
               # or email sent elsewhere, its matter untold (other_channels.py); how our support staff treated them
               # (staff_complaint.py: a handover, handover.py)
               "carrier_wish": "shipping_options", "sent_elsewhere": "complaint", "staff_complaint": "complaint",
               # round 25, last of all (bot/dialogue/abroad.py): money, a carrier or a place of another country says
               # it's another shop's, whatever else the message is about ("a £3.95 restocking fee", "is the Glasgow store
               # open on Sunday?"); a complaint about a visit there keeps the complaint's topic (the tracker)
               "paid_abroad": "off_topic", "store_abroad": "off_topic"}
# Weaker facts name a topic only when no keyword or stock question named one first: feedback ("why did you stop
# selling the cord jacket?") is feedback, but "is it back in stock?" beside it is a stock question.
# A shelf label's price is a price question; another company's gift card is a gift-card question; another company's
# device, app or account ("my Echo Dot won't connect") is not ours to fix; a code refused is a code question; an
# email of ours that never comes is a fault of our systems (not "too many emails"); a pre-order waited for is a late
# parcel; an order cancelled by mistake is a cancellation question (round 13).
FALLBACK_FACT_TOPICS = {"suggests_a_change": "feedback", "shelf_price": "price_adjustment",
                        "other_gift_card": "gift_cards", "other_gift_card_trouble": "gift_cards",
                        "other_company_system": "off_topic", "code_not_working": "promo_code",
                        "emails_not_arriving": "website_issue", "preorder_waiting": "delivery_delayed",
                        "cancelled_by_mistake": "cancel_order", "cancelled_by_us": "cancel_order",
                        "gift_card_format": "gift_cards", "price_rose": "price_adjustment",  # round 16
                        "product_compatibility": "product_question",  # round 17: unless a case or keyword named one
                        # round 23 (bot/dialogue/delivery_speed.py): needed by a date, today, or sooner; a fact of a
                        # case after it ("mine's broken") still names its own topic
                        "needs_it_by": "shipping_options", "same_day": "shipping_options",
                        "speed_up": "shipping_options"}
# ...except a care question: "it shrank in the wash, how should I wash it?" keeps the care answers
CARE_INTENT = "product_care"
NOT_A_PROMO_CODE = re.compile(r"\bgift ?cards?\b|\be-?gift\b|\blockers?\b", re.IGNORECASE)
PROMO_INTENT, MEMBERSHIP_INTENT, OFF_TOPIC_INTENT = "promo_code", "membership_subscription", not_ours.NOT_OURS_INTENT
# The topics about our own systems, which another company's account, device, app or membership is not about. A case
# with an order ("my Echo Dot arrived cracked") keeps its topic, unless the order is named as theirs ("my Amazon order
# is late": other_company_order, round 14).
OUR_SYSTEMS_INTENTS = (MEMBERSHIP_INTENT, PROMO_INTENT, "account_access", "website_issue", "unauthorized_charge",
                       "payment_failed", "double_charged")  # "YouTube Premium says payment failed": theirs
THEIR_SYSTEMS = ("other_programme", "other_company_system", "other_company_order", "other_shop_named")


def set_aside(scores: np.ndarray, ids: list[str], intents) -> np.ndarray:
    """The scores with these intents at zero: the message rules them out, whatever the intent model read."""
    return np.where(np.isin(ids, list(intents)), 0.0, scores)


def lifted_by_facts(said: set[str], ids: list[str], best_id: str, named_already: bool) -> list[int]:
    """The intents (indexes into `ids`) that the facts of this message name, in FACT_TOPICS order (after the
    FALLBACK_FACT_TOPICS, unless `named_already`: a keyword or a stock question named the topic)."""
    fallbacks = [] if named_already else [topic for fact, topic in FALLBACK_FACT_TOPICS.items() if fact in said]
    return [ids.index(topic) for topic in fallbacks if topic in ids] + \
        [ids.index(topic) for fact, topic in FACT_TOPICS.items()
         if fact in said and topic in ids and not (fact == "quality_problem" and best_id == CARE_INTENT)]


def after_the_lifts(scores: np.ndarray, ids: list[str], message: str, said: set[str],
                    our_membership: str | None) -> np.ndarray:
    """The scores once the keyword lifts are done ("code isn't working" and "membership" are keywords)."""
    best_id = ids[int(np.argmax(scores))]
    # (a gift card that is a competition's prize leaves the competition's answer in place)
    if best_id == PROMO_INTENT and NOT_A_PROMO_CODE.search(message) and "competition" not in said:
        scores = set_aside(scores, ids, [PROMO_INTENT])
        return scores / scores.sum()  # the card or locker is named outright: its topic keeps the odds promo had
    names_ours = bool(our_membership) and our_membership.lower() in message.lower()
    if best_id in OUR_SYSTEMS_INTENTS + (OFF_TOPIC_INTENT,) and OFF_TOPIC_INTENT in ids and \
            not said.isdisjoint(THEIR_SYSTEMS) and not names_ours:
        scores = scores.copy()  # what we read as a question about our membership, account or site is about theirs
        ours = np.isin(ids, OUR_SYSTEMS_INTENTS)
        scores[ids.index(OFF_TOPIC_INTENT)] += scores[ours].sum()
        scores[ours] = 0.0
    return scores
