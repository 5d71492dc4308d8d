"""The shop's own matters (bot/dialogue/shop_matters.py) are read where a customer says them, and not from the same
words meaning something else: each case here pairs a message with its near miss."""
from __future__ import annotations

import pytest

from bot.dialogue.facts import facts_in


@pytest.mark.parametrize("fact, said, not_said", [
    ("stock_alert", "can you let me know when the sage towels are back in stock?", "are the sage towels in stock?"),
    ("stock_alert_missed", "signed up for the restock email for the cord jacket, never got it",
     "how do I sign up for restock emails?"),
    ("competition", "when are the giveaway winners announced?", "your competition sells this jumper cheaper"),
    ("asks_to_enter", "is the prize draw open to Canada?", "did I win the prize draw?"),
    ("store_online_price", "why is the cardigan $59 on your website but $79 in the Toronto store?",
     "the online store has it cheaper than Amazon"),
    ("returned_to_sender", "tracking says returned to sender, I never sent anything back",
     "my return is on its way back to you, when will I get the refund?"),
    ("tracking_stuck", "tracking hasn't moved in 6 days, stuck at the depot", "tracking says out for delivery today"),
    ("split_delivery", "got 2 parcels out of 3, the one with the duvet is missing",
     "my order came in 3 separate boxes, everything's here, just a lot of cardboard"),
    ("business_request", "our school is fundraising, would you donate a raffle prize?",
     "can I donate my old clothes at your store?"),
    ("safety_concern", "the toddler hoodie has drawstrings, isn't that a strangulation risk?",
     "the driver was dangerous, he drove over my lawn"),
])
def test_a_shop_matter_is_read_and_its_near_miss_is_not(fact, said, not_said):
    assert fact in facts_in(said), said
    assert fact not in facts_in(not_said), not_said


def test_a_message_to_check_is_a_scam_question_not_a_prize_or_a_stuck_parcel():
    # "you won, pay the shipping": whatever it names, what the customer needs is the scam advice
    assert "competition" not in facts_in("a DM says I won your giveaway and just need to pay shipping, is that you?")
    assert "tracking_stuck" not in facts_in("a text says my order is held at customs and I need to pay £2.99, is this real?")


def test_a_choking_hazard_is_a_worry_not_someone_hurt():
    said = facts_in("the teething rings have beads that come loose, a choking hazard for babies")
    assert "safety_concern" in said and "someone_hurt" not in said
    assert "someone_hurt" in facts_in("my son choked on a bead from the teething ring")
    assert "someone_hurt" not in facts_in("the towels are bleeding blue dye in the wash")


@pytest.mark.parametrize("fact, said, not_said", [
    ("store_hours", "is the Fremont shop open on Sundays?", "your opening hours say 9 but I turned up at 9:15 and it was locked"),
    ("careers", "are you hiring for the holidays? how do I apply", "great job on the delivery, thanks!"),
    ("sale_dates", "when does the boxing day sale start?", "these lamps get so hot they shouldn't be on sale"),
    ("gift_wrap", "can you gift wrap it and add a note from me?", "the wrap dress arrived in bubble wrap, love it"),
    ("loyalty_points", "why didn't I get my loyalty points for my last order?", "which pickup points do you use?"),
    ("product_compatibility", "will the saucepans work on an induction hob?", "how do I wash the saucepans?"),
])
def test_the_second_batch_is_read_and_its_near_miss_is_not(fact, said, not_said):
    assert fact in facts_in(said), said
    assert fact not in facts_in(not_said), not_said


def test_a_compatibility_question_gets_the_answer_for_its_kind_of_product(tmp_path):
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=str(tmp_path / "replay.sqlite3"), policy="first"))
    for n, (message, template) in enumerate([
            ("Will the copper-bottom saucepan work on an induction hob?", "product_question.compatibility_cookware"),
            ("What bulb does the table lamp take, E26 or E12?", "product_question.compatibility_lamp"),
            ("Will your queen duvet cover fit a 90x90 inch duvet?", "product_question.compatibility_bedding"),
            ("Do you sell a replacement shade that fits the brass floor lamp?", "product_question.compatibility_part")]):
        turn = bot.reply(f"fit-{n}", message)
        assert turn.candidates[turn.chosen].meta.get("template") == template, (message, turn.text)
