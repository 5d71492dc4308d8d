"""Money or a carrier of another country (round 25, bot/dialogue/abroad.py): read where a customer of a shop abroad
writes, not where one of ours weighs a throw in pounds or asks whether we ship there, and answered by saying where we
sell and still asking for the order number in case it is ours."""
from __future__ import annotations

import pytest

from bot import Bot, BotConfig
from bot.dialogue.abroad import sign_of
from bot.dialogue.facts import facts_in

# (a message from a shop abroad's customer, the sign named, its near miss from a customer of ours)
CASES = [
    ("why do I pay £60 a year for next day delivery if you keep moving the date", "an amount in pounds",
     "why do I pay $60 a year for next day delivery if you keep moving the date"),
    ("the carrier bags went up from 5p to 10p, more plastic not less", "an amount in pounds",
     "the 1080p photos on the product page don't match the colour of the throw"),
    ("charged 35 euros for a delivery that never came", "an amount in euros",
     "charged 35 dollars for a delivery that never came, can I pay in euros next time?"),
    ("it said Rs. 650 two days back and now it is 2000, why??", "an amount in rupees",
     "it said 650 two days back and now it is 2000, why??"),
    ("my parcel has sat at the evri depot for six days", "an Evri (Hermes) delivery",
     "my parcel has sat at the depot for six days"),
    ("royal mail say they tried to deliver but nobody knocked", "a Royal Mail delivery",
     "the courier says they tried to deliver but nobody knocked"),
]


@pytest.mark.parametrize("said, sign, not_said", CASES)
def test_money_or_a_carrier_of_another_country_is_read_and_named_and_its_near_miss_is_not(said, sign, not_said):
    assert "paid_abroad" in facts_in(said), said
    assert sign_of(said) == sign
    assert "paid_abroad" not in facts_in(not_said), not_said


@pytest.mark.parametrize("message", [
    "do you deliver to the UK? it's a gift for my sister in London",  # what we do: the shipping answer says
    "can I pay in euros?",
    "@NorthwindThreads you took £25 for the rug removal and the driver just left it",  # they say it's us
    "my Amazon order was £40 and it never came",  # whose it is, named: its own answer
    "the store in the high street charged me 50p for a bag",  # a store visit: the store abroad's answer
    "this 5 pound weighted blanket is so heavy, is there a lighter one?",  # a weight, not money
])
def test_no_paid_abroad_where_another_reading_is_right(message):
    assert "paid_abroad" not in facts_in(message), message


def test_a_visit_paid_in_pounds_is_a_store_abroad():
    # (store_abroad's own words are a store and pounds; a self-checkout is a visit too)
    assert "store_abroad" in facts_in("the self checkout refused my old £1 coins, still legal tender")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("abroad") / "replay.sqlite3"), policy="first"))


@pytest.mark.parametrize("message", [
    # before round 25: a colleague's queue, our own price-change answer, our double-charge answer
    "remind me why I pay £80 a year for next day delivery when you move the date every time",
    "the price was 700 rupees on Monday and 1900 today, why are you ripping people off",
    "you've charged me twice for the same order, that's £86 I can't afford",
])
def test_a_shop_abroad_gets_the_answer_that_says_where_we_sell(bot, message):
    turn = bot.reply(f"abroad-{hash(message)}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == "off_topic.abroad", turn.text
    assert "points to a shop outside the US and Canada" in turn.text
    assert "send me the order number" in turn.text
