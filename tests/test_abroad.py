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
    ("what's the point of a £60 delivery pass when every date gets moved", "an amount in pounds",
     "what's the point of a $60 delivery pass when every date gets moved"),
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
    ("the tracking says my parcel hasn't left the Leeds depot since Tuesday", "Leeds (in the UK)",
     "the tracking says my parcel hasn't left the Denver depot since Tuesday"),
    ("I'm in the UK and my order still hasn't come", "the UK",
     "I'm in Ohio and my order still hasn't come"),
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
    "do you carry the wrap dress in 8P? the petite section only shows 6P and 10P",  # a petite size, not pence
    "my grandma in Glasgow loves your lamps, do you ship internationally or should I send it myself?",
    "I live in London, Ontario and my order is late",  # a Canadian London: no place abroad
    "my cousin from Leeds loved the throw I gave her",  # where someone is from is no shop's place
])
def test_no_paid_abroad_where_another_reading_is_right(message):
    assert "paid_abroad" not in facts_in(message), message


def test_a_visit_paid_in_pounds_is_a_store_abroad():
    # (store_abroad's own words are a store and pounds; a self-checkout is a visit too)
    assert "store_abroad" in facts_in("the self checkout refused my old £1 coins, still legal tender")
    # ...but a store of ours named in a British word is ours (ab3-r25's raters: "it called Calgary another shop's")
    assert "store_abroad" not in facts_in("does the Calgary store have its own car park?")
    assert not facts_in("parcel left the Leeds depot, I'm in London, Ontario") & {"paid_abroad", "store_abroad"}


def test_a_complaint_about_a_visit_abroad_keeps_its_complaint_and_a_question_about_a_store_there_does_not(bot):
    visit = bot.reply("abroad-visit", "the self checkout wouldn't take my £2 coin and nobody came to help")
    assert visit.candidates[visit.chosen].meta.get("template") == "complaint.in_store_abroad", visit.text
    question = bot.reply("abroad-question", "is the Glasgow store open on boxing day?")
    assert question.candidates[question.chosen].meta.get("template") == "off_topic.store_abroad", question.text
    assert "sorry about your visit" not in question.text  # no visit was told (ab1-r25's raters: 2-3 for it)


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("abroad") / "replay.sqlite3"), policy="first"))


@pytest.mark.parametrize("message", [
    # before round 25: a colleague's queue, our own price-change answer, our double-charge answer
    "paying £75 for the yearly delivery pass and still every parcel turns up a day late",
    "the price was 700 rupees on Monday and 1900 today, why are you ripping people off",
    "you've charged me twice for the same order, that's £86 I can't afford",
])
def test_a_shop_abroad_gets_the_answer_that_says_where_we_sell(bot, message):
    turn = bot.reply(f"abroad-{hash(message)}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == "off_topic.abroad", turn.text
    assert "points to a shop outside the US and Canada" in turn.text
    assert "send me the order number" in turn.text
