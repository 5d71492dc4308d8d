"""The guard's rules for generated text: promises the store forbids, invented amounts, leftover placeholders,
rudeness."""
from __future__ import annotations

import pytest

from bot.candidate import Candidate
from bot.drafting.guard import Guard
from bot.dialogue.state import DialogueState

STORE = {"store_name": "Northwind Threads", "support_email": "support@northwind-threads.example",
         "free_shipping_threshold": "$75", "return_label_fee": "$5.95", "return_window_days": 30,
         "refund_days": "5-7 business days"}  # generated figures must be store facts (bot/drafting/grounding.py)
ORDER = {"order_id": "10001", "total": "74.95", "status": "returned", "email": "amara@example.com"}


def reason(text, source="generative", order=None):
    state = DialogueState("s", order=order)
    return Guard(STORE).violation(Candidate(text, source), state)


@pytest.mark.parametrize("text, expected", [
    ("I've issued a refund of $20 to your card.", "forbidden_promise"),
    ("We'll send you a free replacement right away.", "forbidden_promise"),
    ("Your refund has been processed and is on its way.", "forbidden_promise"),  # no order on record
    ("Please reply with your full card number so I can check.", "asks_secret"),
    ("What is your account password?", "asks_secret"),
    ("You will get $15 back for the trouble.", "invented_amount"),
    ("Shipping is free on orders over 80 dollars.", "invented_amount"),
    ("Your order {{Order Number}} is on its way.", "placeholder"),
    ("Order {order_id} has shipped.", "placeholder"),
    ("   ", "empty"),
    ("That's a stupid question, read the FAQ.", "rude"),
    ("Shut up and wait for the email.", "rude"),
    ("Damn, the courier lost it again.", "rude"),
    ("Honestly that is not my problem.", "rude"),
    # allowed: store facts, policy talk without a promise, never-ask warnings
    ("Shipping is free on orders over $75, and a return label costs $5.95.", None),
    ("Refunds go back to the original payment method within 5-7 business days of the return arriving.", None),
    ("We will never ask for your password or card number.", None),
    ("I can check that for you. What's your 5-digit order number?", None),
    # whole words only: these contain a rude word's letters but are fine
    ("Let me assess the damage on the class of items you returned to Scunthorpe.", None),
    ("Our team will pass your message on; dickens novels ship from the UK warehouse.", None),
])
def test_generated_text_rules(text, expected):
    assert reason(text) == expected


def test_order_record_makes_its_amount_and_refund_status_sayable():
    text = "Your refund of $74.95 has been processed back to your card."
    assert reason(text) == "forbidden_promise"
    assert reason(text, order=ORDER) is None
    assert reason("You'll get $80 back.", order=ORDER) == "invented_amount"


def test_reviewed_retrieval_templates_are_not_held_to_the_generated_text_rules():
    assert reason("Refunds are issued within 5-7 business days; a label costs $5.95.", source="retrieval") is None
    assert reason("Your order {{Order Number}} is on its way.", source="retrieval") is None
    assert reason("Your order {{Order Number}} is on its way.", source="remote") == "placeholder"
