"""What our answers offer to do, and the customer's go-ahead.

Some answers offer an action: "reply 'yes, cancel' and I'll take care of it", "just reply 'label'", "Would you like
me to send it now?". A "yes, cancel it" must lead somewhere, not to the same answer again. The bot cannot change
orders itself, so a go-ahead becomes a request that a person carries out: the reply says what was asked and when
to expect it, and the conversation is escalated with the reason "action:<name>" in the same transaction as the
turn (`rlcs escalations`, the operator console), as every handover is. Where the order's status rules the action
out (cancelling an order that has shipped), the customer gets the reason instead of a promise.

    OFFERS      the phrase in our previous reply that offers an action -> the action
    go_ahead    the reply to a short go-ahead ("yes", "yes cancel it", "label", "please send it"), or None;
                it must say yes ("ok thanks" is politeness); a return label for an order already back, refunded
                or cancelled gets the reason, as cancelling a shipped order does

Our previous reply is read from the conversation's history, so a go-ahead still works after a restart.
"""
from __future__ import annotations

import re

from bot.candidate import Candidate
from bot.dialogue.issues import YES_WORDS, short_reply_to
from bot.dialogue.state import DialogueState

OFFERS = [  # phrases of the knowledge base's templates (cancel_order, return_item, invoice_request, exchange_item)
    ("reply 'yes, cancel'", "cancel_order"),
    ("I can cancel it now: just confirm", "cancel_order"),
    ("just reply 'label'", "return_label"),
    ("Would you like me to send it now?", "send_invoice"),
    ("Would you like me to start that return for you?", "start_return"),
]
NEEDS_ORDER = {"cancel_order", "return_label", "send_invoice"}
DONE_TEXT = {
    "cancel_order": "Thanks, I've asked our team to cancel order {order_id}. You'll get an email at the address on "
                    "the order once it's done, within one business day ({support_hours}), and the payment hold is "
                    "released within {authorization_release_days} after that.",
    "return_label": "Thanks, I've asked our team to email a prepaid return label for order {order_id} to the address "
                    "on the order. It will be with you within one business day ({support_hours}).",
    "send_invoice": "Thanks, I've asked our team to email the invoice for order {order_id} to the address on the "
                    "order. It will be with you within one business day ({support_hours}).",
    "start_return": "Thanks, I've asked our team to start that return for store credit. They'll email you the "
                    "details and a free return label within one business day ({support_hours}).",
}
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
                 "start_return": "exchange_item"}
# A go-ahead must say yes: "ok thanks" or "cool" after "reply 'yes, cancel'" is politeness, not an instruction.
_EXPLICIT = set("yes yeah yep yup sure please confirm confirmed do go cancel label send start".split())
_GO_AHEAD = YES_WORDS | _EXPLICIT | set("it ahead the return invoice email me now thanks thank you".split())
_WORDS = re.compile(r"[a-z']+")


def offered(state: DialogueState) -> str | None:
    """The action our previous reply offered, if any."""
    previous = state.history[-2] if len(state.history) >= 2 else ("", "")
    if previous[0] != "bot":
        return None
    return next((action for phrase, action in OFFERS if phrase in previous[1]), None)


def go_ahead(state: DialogueState, store: dict) -> Candidate | None:
    """The reply to a go-ahead for the action our previous reply offered; None if this message is something else."""
    action = offered(state)
    if action is None:
        return None
    words = _WORDS.findall(state.last_message.lower())
    if not set(words) & _EXPLICIT:
        return None
    if not any(short_reply_to(state, words, phrase, _GO_AHEAD) for phrase, a in OFFERS if a == action):
        return None
    order = state.order
    if action in NEEDS_ORDER and order is None:
        return None  # the offer needs a proven order; the usual drafts (asking for proof) answer
    values = {**store, **(order or {})}
    values.setdefault("support_hours", "")
    state.intent = ACTION_INTENT[action]  # the turn is about the action, not about "yes please"
    if action == "cancel_order" and order["status"] not in CANCELLABLE:
        values["status"] = order["status"].replace("_", " ")
        text = (ALREADY_CANCELLED_TEXT if order["status"] == "cancelled" else SHIPPED_TEXT).format(**values)
        return Candidate(text, "action", 1.0, meta={"template": "action.not_cancellable", "intent": state.intent})
    if action == "return_label" and order["status"] in NOT_RETURNABLE_TEXT:
        text = NOT_RETURNABLE_TEXT[order["status"]].format(**values)
        return Candidate(text, "action", 1.0, meta={"template": "action.not_returnable", "intent": state.intent})
    text = DONE_TEXT[action].format(**values).replace(" ()", "")
    return Candidate(text, "handover", 1.0, meta={"handover": f"action:{action}", "template": f"action.{action}",
                                                  "intent": state.intent})
