"""What our answers offer to do, and the customer's go-ahead.

Some answers offer an action: "reply 'yes, cancel' and I'll take care of it", "just reply 'label'", "Would you like
me to send it now?". A "yes, cancel it" must lead somewhere, not to the same answer again. The bot cannot change
orders itself, so a go-ahead becomes a request that a person carries out: the reply says what was asked and when
to expect it, and the conversation is escalated with the reason "action:<name>" in the same transaction as the
turn (`rlcs escalations`, the operator console), as every handover is. Where the order's status rules the action
out (cancelling an order that has shipped), the customer gets the reason instead of a promise.

    OFFERS          the phrase in our previous reply that offers an action -> the action
    DETAIL_OFFERS   offers that wait for details, not a yes ("send me the full new address and I'll update it",
                    "tell me what you'd like to change", "which size or color would you like?", "tell me which
                    item didn't arrive", "the date and amount of each charge", "reply here and we'll open a
                    claim", "you choose a free replacement or a refund") -> the action, and a test of whether a
                    message gives those details
    reply_to_offer  the reply to a short go-ahead ("yes", "yes cancel it", "label", "please send it") or to the
                    details asked for, or None; a go-ahead must say yes ("ok thanks" is politeness). An order
                    whose status rules the action out (shipped: no cancelling, no address change; already back:
                    no return label) gets the reason instead

    details_given_before   details given before we asked ("swap the jeans for a 32 waist, order ..."): the
                    answer that would ask for them is replaced by the action itself

Our previous reply is read from the conversation's history, so a go-ahead still works after a restart.
"""
from __future__ import annotations

import re

from bot.candidate import Candidate
from bot.dialogue.issues import YES_WORDS, short_reply_to
from bot.dialogue.order_access import CA_POSTCODE
from bot.dialogue.state import DialogueState
from bot.dialogue.tracker import STATE_ZIP, STREET

OFFERS = [  # phrases of the knowledge base's templates (cancel_order, return_item, invoice_request, exchange_item)
    ("reply 'yes, cancel'", "cancel_order"),
    ("I can cancel it now: just confirm", "cancel_order"),
    ("just reply 'label'", "return_label"),
    ("Would you like me to send it now?", "send_invoice"),
    ("Would you like me to start that return for you?", "start_return"),
    ("or find out what a charge was for?", "cancel_membership"),  # "Would you like to cancel Northwind Plus, or ..."
    ("any time under Account > Membership > Cancel membership", "cancel_membership"),
]
# Sizes and colours a customer names ("size M", "in grey"); a lone S, M or L (not the s of "it's")
_SIZES = "xxs|xs|xl|xxl|small|medium|large"
_SIZES_COLOURS = _SIZES + "|black|white|blue|red|green|grey|gray|navy|beige|pink|brown|sage|cream|olive"
_SIZE_LETTER = r"(?<![\w'’])[sml](?![\w'’])"
_CHANGE = re.compile(r"\b(?:size|colou?r|quantity|" + _SIZES_COLOURS + r"|instead)\b|" + _SIZE_LETTER,
                     re.IGNORECASE)  # "from M to L", "S"
# The dates or amounts of two charges: "March 12 and March 13", "both $76.00", "12/03"
_CHARGE_DETAILS = re.compile(r"\$\s?\d|\b\d+\.\d{2}\b|\b\d{1,2}/\d{1,2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
                             r"dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|"
                             r"jul|aug|sep|oct|nov|dec)|\b(?:yesterday|today|last week|\w+day)\b", re.IGNORECASE)
# Details that name what is wanted, not just its kind ("size M", "in grey", "a 32 waist"; not "change the size")
_CONCRETE_CHANGE = re.compile(r"\b(?:" + _SIZES_COLOURS + r"|bigger|smaller)\b|\b\d{2}\s*(?:waist|length|inseam)\b|"
                              r"\bsize\s+(?:\d{1,2}|up|down|[sml])\b|\b(?:in|from|to|for) (?:an? )?[sml]\b", re.IGNORECASE)
_NOT_DETAILS = set("yes yeah yep ok okay sure thanks thank you no nope hello hi hey please what why how".split())


def _names_something(text: str) -> bool:
    """Which item is missing: any words beyond a yes, a no, thanks or a greeting."""
    return bool(set(_WORDS.findall(text.lower())) - _NOT_DETAILS)


_STILL_MISSING = re.compile(r"\b(?:still|claim|nothing|not (?:here|there|arrived|come)|hasn'?t|didn'?t|never|missing|"
                            r"no sign|checked)\b", re.IGNORECASE)


# Which remedy for a damaged or wrong item: "I'd prefer a refund please", "a replacement", "just send a new one"
_CHOICE = re.compile(r"\b(?:refund|money back|replace(?:ment)?|new one|another one|send (?:me )?another)\b",
                     re.IGNORECASE)
_WANTS_REFUND = re.compile(r"\brefund|\bmoney back\b", re.IGNORECASE)


def _gives_address(text: str) -> bool:
    """A postal address in a message: a street, a state and ZIP, or a Canadian postcode."""
    return bool(STREET.search(text) or STATE_ZIP.search(text) or CA_POSTCODE.search(text))


DETAIL_OFFERS = [  # phrases of the address, change_order, package_not_received and damaged_or_wrong_item templates
    ("send me the full new address", "change_address", _gives_address),
    ("reply with the complete new address", "change_address", _gives_address),
    ("tell me what you'd like to change (size, color or quantity)", "change_order", _CHANGE.search),
    ("What would you like to change?", "change_order", _CHANGE.search),
    ("Which size or color would you like? I'll check stock", "exchange_item", _CHANGE.search),
    ("tell me which item didn't arrive", "send_missing_item", _names_something),
    ("Could you tell me the date and amount of each charge", "duplicate_charge", _CHARGE_DETAILS.search),
    ("send me the dates and we'll refund the duplicate", "duplicate_charge", _CHARGE_DETAILS.search),
    ("reply here and we'll open a claim", "carrier_claim", _STILL_MISSING.search),
    ("tell me and we'll file a claim", "carrier_claim", _STILL_MISSING.search),
    ("you choose a free replacement or a refund", "damage_claim", _CHOICE.search),
    ("we'll send a replacement at no cost, or a full refund if you'd rather", "damage_claim", _CHOICE.search),
]
# Details a customer may give before we ask; the answer that would ask for them does the action instead.
_GIVEN_UP_FRONT = {"exchange_item": _CONCRETE_CHANGE.search, "change_order": _CONCRETE_CHANGE.search,
                   "duplicate_charge": _CHARGE_DETAILS.search}
NEEDS_ORDER = {"cancel_order", "return_label", "send_invoice", "change_address", "change_order", "carrier_claim",
               "exchange_item", "send_missing_item", "duplicate_charge", "damage_claim"}
IN_TRANSIT = {"shipped", "out_for_delivery", "delivered", "delayed"}  # a claim with the carrier needs a parcel
DONE_TEXT = {
    "cancel_order": "Thanks, I've asked our team to cancel order {order_id}. You'll get an email at the address on "
                    "the order once it's done, within a day ({support_hours}), and the payment hold is "
                    "released within {authorization_release_days} after that.",
    "return_label": "Thanks, I've asked our team to email a prepaid return label for order {order_id} to the address "
                    "on the order. It will be with you within a day ({support_hours}).",
    "send_invoice": "Thanks, I've asked our team to email the invoice for order {order_id} to the address on the "
                    "order. It will be with you within a day ({support_hours}).",
    "cancel_membership": "Thanks, I've asked our team to cancel your {membership_name} membership. You'll get an email "
                         "confirming it within a day ({support_hours}). Your benefits carry on until the end of the "
                         "year you've paid for, and a renewal charged in the last {membership_refund_days} days is "
                         "refunded if you haven't used member free shipping since.",
    "start_return": "Thanks, I've asked our team to start that return for store credit. They'll email you the "
                    "details and a free return label within a day ({support_hours}).",
    "change_address": "Thanks, I've asked our team to send order {order_id} to the new address you gave. You'll get "
                      "an email confirming it within a day ({support_hours}), before the order ships.",
    "change_order": "Thanks, I've asked our team to make that change ({wanted}) to order {order_id}. You'll get an "
                    "email confirming it, and any price difference, within a day ({support_hours}).",
    "exchange_item": "Thanks, I've asked our team to exchange {item} from order {order_id} for the size or color you "
                     "gave ({wanted}). They'll check stock and email you a free prepaid return label within a day "
                     "({support_hours}); the new one ships as soon as the carrier scans your return.",
    "send_missing_item": "Thanks, I've asked our team to send what's missing from order {order_id} at no cost (or to "
                         "refund it, if you'd rather: just say so). They'll email you within a day "
                         "({support_hours}).",
    "duplicate_charge": "Thanks, I've passed those charges on order {order_id} to our billing team. If one is a true "
                        "duplicate, they'll refund it to your {payment_method} and email you within a day "
                        "({support_hours}); a pending hold drops off by itself within {authorization_release_days}.",
    "damage_claim": "Thanks, I've asked our team to set up {remedy} for {item} from order {order_id}. Please email a "
                    "photo of it to {support_email} with the order number in the subject; they'll confirm within a day "
                    "({support_hours}), with a prepaid label if we need the item back.",
    "carrier_claim": "I'm sorry it still hasn't turned up. I've asked our team to open a claim with {carrier} for order "
                     "{order_id}; they'll email you within a day ({support_hours}) about a replacement or "
                     "a refund.",
}
TOO_LATE_TO_CHANGE_TEXT = ("Order {order_id} has already left our warehouse ({status}), so it can't be changed any "
                           "more. {carrier} may be able to redirect it: look it up with tracking number "
                           "{tracking_number} on their website. Once it arrives you can exchange it for free within "
                           "{exchange_window_days} days of delivery.")
TOO_LATE_TO_CHANGE_ITEM_TEXT = ("Order {order_id} has already left our warehouse ({status}), so it can't be changed "
                                "any more. Once it arrives you can exchange {item} for free within "
                                "{exchange_window_days} days of delivery: just tell me the size or color you'd like.")
DELIVERED_ADDRESS_TEXT = ("Order {order_id} has already been delivered, so there's no delivery left to redirect. For a "
                          "new order, you can enter the new address at checkout.")
TOO_LATE_FOR = {"change_address": TOO_LATE_TO_CHANGE_TEXT, "change_order": TOO_LATE_TO_CHANGE_ITEM_TEXT}
SIZE_NOT_OFFERED_TEXT = ("We sell the {item} in {sizes}, so there's no \"{wanted}\" to swap to. Which of those would "
                         "you like instead? Then I'll set up the exchange.")
# Letter sizes a customer asks for, and the ones a product is sold in (its catalogue `sizes`: "XS, S, M, L and XL")
_LETTER_SIZE = re.compile(r"\b(?:" + _SIZES + r")\b|" + _SIZE_LETTER, re.IGNORECASE)
_LETTER_SIZES_SOLD = re.compile(r"\b(?:XXS|XS|S|M|L|XL|XXL)\b")
ALREADY_CANCELLED_TEXT = ("Order {order_id} is already cancelled: it never shipped, and the payment hold was "
                          "released. There's nothing more you need to do.")
SHIPPED_TEXT = ("Order {order_id} has already left our warehouse ({status}), so it can't be cancelled any more. Once "
                "it arrives you can return it within {return_window_days} days of delivery for a full refund.")
CANCELLABLE = {"processing"}
NOT_RETURNABLE_TEXT = {
    "returned": "Order {order_id} is already back with us, so it needs no label: the refund to your {payment_method} is "
                "being processed.",
    "refunded": "Order {order_id} has already been returned and refunded, so there's nothing left to send back.",
    "cancelled": "Order {order_id} was cancelled before it shipped, so there's nothing to send back.",
}
ACTION_INTENT = {"cancel_order": "cancel_order", "return_label": "return_item", "send_invoice": "invoice_request",
                 "start_return": "exchange_item", "change_address": "change_shipping_address",
                 "change_order": "change_order", "carrier_claim": "package_not_received",
                 "exchange_item": "exchange_item", "send_missing_item": "missing_item",
                 "duplicate_charge": "double_charged", "cancel_membership": "membership_subscription",
                 "damage_claim": "damaged_or_wrong_item"}
# A go-ahead must say yes: "ok thanks" or "cool" after "reply 'yes, cancel'" is politeness, not an instruction.
_EXPLICIT = set("yes yeah yep yup sure please confirm confirmed do go cancel label send start".split())
_GO_AHEAD = YES_WORDS | _EXPLICIT | set("it ahead the return invoice email me now thanks thank you my membership "
                                         "subscription".split())
_WORDS = re.compile(r"[a-z']+")
_PLAIN_YES = set("ok okay k alright sure yes yeah yep please".split())  # the whole reply, to an offer that asks
# No to an offer: "no", "no thanks", "no, it's fine I'll keep it", "nah I'm good"
_DECLINE = re.compile(r"^\W*(?:no|nope|nah|no thanks?|no thank you)\b(?:[\s,.!]*(?:thanks?|thank you|it'?s fine|i'?m good|"
                      r"i'?ll keep (?:it|them)|that'?s (?:ok|okay|fine|all)|all good|not now|maybe later))*[\s,.!]*$",
                      re.IGNORECASE)
# The same request again ("S" after the exchange to S was booked): no second request for a person, no repeat
ALREADY_ASKED_TEXT = ("That's already with our team, just as you asked: they'll email you within a day "
                      "({support_hours}). Is there anything else I can help with?")
DECLINED_TEXT = "No problem, I'll leave it as it is. Is there anything else I can help you with?"


def _previous_reply(state: DialogueState) -> str:
    previous = state.history[-2] if len(state.history) >= 2 else ("", "")
    return previous[1] if previous[0] == "bot" else ""


def offered(state: DialogueState) -> str | None:
    """The action our previous reply offered, if any."""
    previous = _previous_reply(state)
    found = [action for phrase, action in OFFERS if phrase in previous]
    found += [action for phrase, action, _ in DETAIL_OFFERS if phrase in previous]
    return found[0] if found else None


def _asked_for(state: DialogueState) -> str | None:
    """The action whose go-ahead or details this message gives, if it is one."""
    message, previous = state.last_message, _previous_reply(state)
    words = _WORDS.findall(message.lower())
    if words and set(words) <= _PLAIN_YES:  # "ok" to "Would you like me to send it now?" is a yes
        for phrase, action in OFFERS:
            if phrase.endswith("?") and phrase in previous:
                return action
    if set(words) & _EXPLICIT:
        for phrase, action in OFFERS:
            if phrase in previous and short_reply_to(state, words, phrase, _GO_AHEAD):
                return action
    for phrase, action, looks_like in DETAIL_OFFERS:
        if phrase in previous and looks_like(message) and len(words) <= 40:
            return action
    return None


def reply_to_offer(state: DialogueState, store: dict, catalogue=None) -> Candidate | None:
    """The reply to a go-ahead for the action our previous reply offered, or to the details it asked for; a "no"
    to it leaves things as they are; None if this message is something else."""
    if offered(state) is not None and _DECLINE.match(state.last_message):
        state.intent = "goodbye_thanks"  # nothing to do: the conversation can end here
        return Candidate(DECLINED_TEXT, "action", 1.0, meta={"template": "action.declined", "intent": state.intent})
    action = _asked_for(state)
    return None if action is None else _carry_out(state, store, action, catalogue)


def details_given_before(state: DialogueState, candidates: list[Candidate], store: dict,
                          catalogue=None) -> Candidate | None:
    """The action itself, when this turn's answers would ask for details the customer already gave ("need to swap
    jeans for a 32 waist, order 10019" -> "Which size or color would you like?"); None otherwise."""
    if state.order is None:
        return None
    said = [text for role, text in state.history if role == "customer"]
    for phrase, action, _ in DETAIL_OFFERS:
        given = _GIVEN_UP_FRONT.get(action)
        if given is None or ACTION_INTENT[action] != state.intent or not any(phrase in c.text for c in candidates):
            continue
        if any(given(text) for text in said):
            return _carry_out(state, store, action, catalogue)
    return None


def _wanted(state: DialogueState) -> str:
    """What the customer asked to change to, in their words ("size L", "in grey", "a 32 waist"), newest first;
    "" when they named no size, colour or fit."""
    for role, text in reversed(state.history):
        if role != "customer":
            continue
        text = re.split(r"\binstead of\b", text, flags=re.IGNORECASE)[0]  # "in grey instead of white" wants grey
        found = list(_CONCRETE_CHANGE.finditer(text)) or list(_LETTER_SIZE.finditer(text))
        if found:
            return found[-1].group(0).strip()  # the last: "from medium to large" wants large
    return ""


def _size_not_offered(wanted: str, order: dict | None, catalogue) -> dict | None:
    """The ordered product, when the customer asks for a letter size ("medium", "L") and it comes in none
    (curtains by the inch, a kettle in one size): booking that exchange would promise what can't be sent."""
    if not wanted or order is None or catalogue is None or not _LETTER_SIZE.search(wanted):
        return None
    product = catalogue.find(str(order.get("item", "")))
    sizes = str((product or {}).get("sizes", ""))
    return product if sizes and not _LETTER_SIZES_SOLD.search(sizes) else None


def _carry_out(state: DialogueState, store: dict, action: str, catalogue=None) -> Candidate | None:
    """A request for a person to do `action` (escalated), or the reason the order's status rules it out."""
    order = state.order
    if action in NEEDS_ORDER and order is None:
        return None  # the offer needs a proven order; the usual drafts (asking for proof) answer
    if action == "carrier_claim" and order["status"] not in IN_TRANSIT:
        return None
    values = {**store, **(order or {})}
    values.setdefault("support_hours", "")
    values["status"] = str(values.get("status", "")).replace("_", " ")
    state.intent = ACTION_INTENT[action]  # the turn is about the action, not about "yes please"
    status = (order or {}).get("status")
    if action == "change_order" and status == "delivered":  # a delivered order changes by an exchange
        action = "exchange_item"
        state.intent = ACTION_INTENT[action]
    reason = None
    if action == "cancel_order" and status not in CANCELLABLE:
        reason = ("not_cancellable", ALREADY_CANCELLED_TEXT if status == "cancelled" else SHIPPED_TEXT)
    elif action == "change_address" and status == "delivered":
        reason = ("too_late", DELIVERED_ADDRESS_TEXT)
    elif action in TOO_LATE_FOR and status not in CANCELLABLE:
        reason = ("too_late", ALREADY_CANCELLED_TEXT if status == "cancelled" else TOO_LATE_FOR[action])
    elif action == "return_label" and status in NOT_RETURNABLE_TEXT:
        reason = ("not_returnable", NOT_RETURNABLE_TEXT[status])
    if action == "damage_claim":  # the remedy they chose, in the words of our offer
        refund = _WANTS_REFUND.search(state.last_message)
        values["remedy"] = f"a full refund to your {values.get('payment_method') or 'original payment method'}" \
            if refund else "a free replacement"
        values["wanted"] = "refund" if refund else "replacement"
    if action in ("exchange_item", "change_order"):
        values["wanted"] = _wanted(state)
        product = _size_not_offered(values["wanted"], order, catalogue)
        if reason is None and product is not None:
            values["sizes"] = product["sizes"]
            reason = ("size_not_offered", SIZE_NOT_OFFERED_TEXT)
    if reason is not None:
        return Candidate(reason[1].format(**values), "action", 1.0,
                         meta={"template": f"action.{reason[0]}", "intent": state.intent})
    request = f"{action}:{(order or {}).get('order_id', '')}:{_plain(values.get('wanted', ''))}"
    requested = state.slots.setdefault("requested", [])
    if request in requested:  # "S" again after the exchange to S was booked: no second request for a person
        return Candidate(ALREADY_ASKED_TEXT.format(**values).replace(" ()", ""), "action", 1.0,
                         meta={"template": "action.already_asked", "intent": state.intent})
    requested.append(request)
    text = DONE_TEXT[action].format(**values).replace(" ()", "")
    return Candidate(text, "handover", 1.0, meta={"handover": f"action:{action}", "template": f"action.{action}",
                                                  "intent": state.intent})


def _plain(wanted: str) -> str:
    """ "size S", "to S", "in a small" -> "s"/"small": the same request however it is worded."""
    return re.sub(r"\b(?:size|in|to|from|for|a|an)\b|\s+", "", wanted.lower())
