"""Which delivery company brings it (round 26, bot/dialogue/carriers.py): a carrier chosen or dropped gets the honest
answer (we send each parcel with whichever carrier serves the address best), and a carrier that let them down is ours
to put right; a parcel on its way or a return keeps its own answer."""
from __future__ import annotations

import pytest

from bot.dialogue.facts import facts_in


@pytest.mark.parametrize("message, wish, let_down", [
    ("can I pick which carrier brings my parcel? I'd much rather have FedEx", True, False),
    ("who delivers the express orders, UPS or DHL?", True, False),
    ("could my order go via USPS instead? I only have a PO box", True, False),
    ("please stop using UPS for my address, they've lost two parcels this year", True, True),
    ("DHL left my rug out in the rain again, can you use someone else next time?", True, True),
    ("is there a way to choose the courier at checkout", True, False),
    # near misses: the parcel's or the return's own answers, and a scam check
    ("my FedEx tracking hasn't moved since Monday, where is my order?", False, False),
    ("UPS says delivered but there's nothing at my door", False, False),
    ("which courier do I drop my return off with?", False, False),
    ("got a text saying USPS is holding my parcel until I pay $1.99, is that really you?", False, False),
    ("usps left a notice so I have to pick up my parcel at the post office, can you hold it instead?", False, False),
])
def test_a_carrier_wished_for_is_read_and_its_failings_beside_it(message, wish, let_down):
    found = facts_in(message)
    assert ("carrier_wish" in found) == wish, found
    assert ("carrier_let_down" in found) == let_down, found


def test_a_carrier_question_gets_the_carrier_answer_and_a_let_down_the_put_right(first_bot):
    """Round 25 answered these with the countries we ship to or a handover (hunt 43: 0 of 60)."""
    choose = first_bot.reply("carriers-choose", "can you send my order with fedex instead of usps please?")
    assert choose.candidates[choose.chosen].template_name == "shipping_options.carrier_choice", choose.text
    assert "can't be chosen at checkout" in choose.text
    let_down = first_bot.reply("carriers-stop", "NO MORE FEDEX PLEASE. BOXES ALWAYS CRUSHED.")
    assert let_down.candidates[let_down.chosen].template_name == "shipping_options.carrier_let_down", let_down.text
    assert "ours to put right" in let_down.text
    tracking = first_bot.reply("carriers-tracking", "where is my order? the fedex tracking hasn't updated since tuesday")
    assert not tracking.candidates[tracking.chosen].template_name.startswith("shipping_options.carrier"), tracking.text
