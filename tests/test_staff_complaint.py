"""A complaint about how our own support staff treated the customer (round 26, bot/dialogue/staff_complaint.py): a real
handover to a customer care lead, with its reason, that asks for what finds the call or chat."""
from __future__ import annotations

import pytest

from bot.dialogue.facts import facts_in
from bot.storage.escalations import escalations


@pytest.mark.parametrize("message, staff", [
    ("your phone rep hung up on me mid sentence", True),
    ("the chat agent closed the chat on me while I was still typing", True),
    ("I want to complain about an agent called Priya, she was so rude to me on the phone", True),
    ("every reply from your email support is the same copy-paste paragraph, does anyone read these?", True),
    ("TRANSFERRED FIVE TIMES and then the last one hung up", True),
    # near misses: a store's people, a driver, praise, a wait alone, a job, and the service's failings beside a matter
    ("the cashier at your Oakville store was so rude to me today", False),
    ("the UPS driver swore at me when I asked him to wait", False),
    ("Priya on your chat was amazing, sorted my refund in 5 minutes!", False),
    ("I've been on hold for 50 minutes, is anyone actually there?", False),
    ("are you hiring for your call centre? I have 3 years of customer service experience", False),
    ("my air fryer died after 6 weeks, rang customer services twice and got cut off both times", False),
])
def test_a_complaint_about_our_support_staff_is_read(message, staff):
    assert ("staff_complaint" in facts_in(message)) == staff, facts_in(message)


def test_a_staff_complaint_is_handed_to_a_lead_with_its_reason(first_bot):
    """Round 25 gave 48 of hunt 45's 60 such messages the plain "I'd rather a person read it than guess"."""
    turn = first_bot.reply("staff-1", "the woman I spoke to on your phone line was incredibly rude and sighed at me")
    chosen = turn.candidates[turn.chosen]
    assert chosen.meta.get("handover") == "staff_complaint", turn.text
    assert "customer care lead" in turn.text and "how you contacted us" in turn.text
    assert [e["reason"] for e in escalations(first_bot.replay) if e["session_id"] == "staff-1"] == ["staff_complaint"]
    given = first_bot.reply("staff-2", "your chat agent was rude to me about order 10023 and then left the chat")
    assert "order number to hand" in given.text and "how you contacted us" not in given.text
