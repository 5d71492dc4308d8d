"""A message that names nothing a shop does with a customer (round 24): no order, delivery, account, payment, goods,
store, size, fault or booking, no fact of a shop's matter, not spoken to us, no demand that someone answer.

"a new limit on what each of us may spend, £60!?", "does anyone know if the bridge on the A38 is still shut?", "Arsenal
bottled it again": such messages are meant for another company or are no request at all. The intent model is unsure
of them and they tell a story, so round 23 handed them to a person (bot/dialogue/handover.py), and raters rated that
2 ("hands it to staff without saying so"). This reply says what we are, that another company's matter is theirs, and
invites more if it's ours; it is a question of ours (source "clarify"), not a colleague's queue.
"""
from __future__ import annotations

import re

from bot.candidate import Candidate
from bot.dialogue.state import DialogueState

# (the first version kept the handover and said "I can't tell whether it's about us": ab1-r24's raters rated it +0.13
# over the plain handover and asked for a short friendly reply instead; this one, ab2-r24: +0.98)
TEXT = ("Thanks for your message! I'm the {store_name} assistant, here for our orders, deliveries, returns and products "
        "(clothing, shoes, accessories and home goods), so if this is about another company, they're the ones who can "
        "help. If it is about {store_name}, tell me a little more, like what you ordered or your order number, and I'll "
        "take it from there.")
TEMPLATE = "clarify.not_a_shop_matter"  # its name in logs and misfire hunts
# ...with a word of sympathy first for someone having a hard time ("money troubles", "my landlord")
HARD_TIME_TEXT = "I'm sorry you're going through that. "
_HARD_TIME = re.compile(r"\b(?:struggl\w*|can'?t afford|money troubles?|depress\w*|cry(?:ing)?|stressed|rent|landlord|"
                        r"bills|lost my job|passed away|grief|sick (?:to death )?of (?:having|being))\b", re.IGNORECASE)
# What a shop does with a customer: any of it in the message, and it may be ours
_ABOUT_A_SHOP_MATTER = re.compile(
    r"\b(?:orders?|ordered|parcels?|packages?|deliver\w*|ship\w*|tracking|courier|arriv\w*|refund\w*|returns?|returned|"
    r"exchange\w*|collect\w*|colect\w*|pick(?:ing)? (?:it |them )?up|account|log ?in|logged|sign ?in|password|site|"
    r"website|app|checkout|basket|cart|e-?mails?|emailed|dm'?e?d?|"
    r"messaged|call\w*|phone\w*|rang|card|charged?|payment|paid|pay|bought|purchased?|gift|vouchers?|codes?|size|fit|"
    r"colou?r|stock|sale|price|discount|members?(?:hip)?|subscription|northwind|jacket|coat|dress|shirt|shoes|boots|"
    r"towels?|bedding|duvet|sheets?|throw|lamp|mug|items?|products?|stores?|shops?|branch(?:es)?|sizes?|staff|"
    r"employees?|assistants?|cashiers?|opening|open|closed|guarantee|warranty|broke|broken|stopped working|booking|book|"
    r"appointment|fitting|sell|made|lids?|jars?|bin|slip|present|covers?|lift|accessible|"
    # ...nor a demand for someone to act ("someone needs to answer me NOW", "sort it out"; ab2-r24 preferred a person)
    r"someone|somebody|anybody|answer me|reply|respond\w*|sort (?:it|this) out|"
    # ...nor one that speaks to us ("useless the lot of you", "what's your rule about ..."): ours until it says otherwise
    r"you|your|yours|u|ur|y'?all|yous)\b", re.IGNORECASE)
# ...nor a fact of a shop's matter (goods of ours named, a stock question, a fault): only a rant at a service may stand
_NO_SHOP_FACT = {"service_complaint"}


def applies(message: str, said: set[str]) -> bool:
    """Nothing of a shop's matter in the words, and no fact of one read (bot/dialogue/facts.py) but a rant's."""
    return not _ABOUT_A_SHOP_MATTER.search(message) and said <= _NO_SHOP_FACT


def reply(state: DialogueState, store: dict) -> Candidate:
    text = TEXT.format(store_name=store.get("store_name", "our store"))
    if _HARD_TIME.search(state.last_message):
        text = HARD_TIME_TEXT + text
    return Candidate(text, "clarify", 1.0, meta={"intent": state.intent, "confidence": state.intent_score,
                                                "template": TEMPLATE})
