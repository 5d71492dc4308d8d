"""What the customer sent us somewhere else (round 26, bot/dialogue/other_channels.py): a DM, an email, a form or a post
that this chat can't open. The reply says so and asks for it here; a message that tells its matter beside the pointer
gets that matter's answer."""
from __future__ import annotations

import pytest

from bot.dialogue.facts import facts_in


@pytest.mark.parametrize("message, sent_elsewhere", [
    ("check your DMs please", True),
    ("I emailed your support team on Monday and haven't had a response yet, can you confirm you got it?", True),
    ("filled out the contact form on your website, can someone look at it", True),
    ("I commented on your latest Instagram post, please see there", True),
    ("could someone DM me? it's private", True),
    ("dm'd you about my order, pls respond", True),  # an order named alone: its trouble is in the DM
    # near misses: the matter is told here, or it's about our emails
    ("I messaged before about my refund, order 48213, where is it? It's been 3 weeks", False),
    ("I emailed last week with no answer: the jacket I got is the wrong size, can I swap it?", False),
    ("how do I unsubscribe from your marketing emails?", False),
    ("someone DMed me pretending to be you and asked for my card number", False),
    ("the password reset email never arrives", False),
])
def test_a_message_sent_elsewhere_is_read_unless_its_matter_is_told(message, sent_elsewhere):
    assert ("sent_elsewhere" in facts_in(message)) == sent_elsewhere, facts_in(message)


def test_a_pointer_elsewhere_is_told_we_cant_see_it_and_asked_here(first_bot):
    """Round 25 handed most of hunt 44's messages over unsure, or said "sorry you had to wait so long" to someone who had
    only asked us to look at a DM."""
    look = first_bot.reply("elsewhere-look", "Hi! I've sent you a private message with the details, could you take a look?")
    assert look.candidates[look.chosen].template_name == "complaint.sent_elsewhere", look.text
    assert "can't see DMs" in look.text and "never card details" in look.text
    waiting = first_bot.reply("elsewhere-wait", "sent an email to support 3 days ago and still no reply")
    assert waiting.candidates[waiting.chosen].template_name == "complaint.sent_elsewhere_waiting", waiting.text
    told = first_bot.reply("elsewhere-told", "I emailed you about my refund for order 48213 and nothing, where is it?")
    assert not told.candidates[told.chosen].template_name.startswith("complaint.sent_elsewhere"), told.text
