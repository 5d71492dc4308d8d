"""What isn't ours, said by the thing or the service alone (round 24, bot/dialogue/not_ours.py): goods whose name says
they aren't ours wherever they stand, a service our stores don't have, another company's contest, a Prime member's
purchase, a job after applying (bot/dialogue/shop_matters.py), and a message in another language that names another
company (bot/dialogue/handover.py). Each is read where a customer says it and not from its near miss."""
from __future__ import annotations

import pytest

from bot import Bot, BotConfig
from bot.dialogue.facts import facts_in
from bot.dialogue.not_ours import other_company_name

# (fact, a message that says it, its near miss)
CASES = [
    ("not_our_range", "the SNES Mini came back in stock twice this week and no alert reached me",
     "the linen shirt was back in stock today and I never got an alert"),
    ("not_our_range", "the deluxe edition came without the season pass code", "the duvet came without its cover"),
    ("not_our_range", "the couriers left the bed and mattress at the front door", "the mattress topper came rolled up"),
    ("not_our_range", "googled for a PS4 and your site came up with an offer", "does the rug fit under a 6 seater table"),
    ("not_our_service", "no pharmacist at the counter again, waited an hour", "the assistant at the till was lovely"),
    ("not_our_service", "can I move my eye test to Saturday?", "can I move my click and collect to Saturday?"),
    ("not_our_service", "pump 4 took my card twice for one fill up", "your website took my card twice for one order"),
    ("not_our_service", "charged twice for tickets to the match", "charged twice for the towels"),
    ("other_contest", "when are the winners of the phone giveaway announced?",
     "when are the winners of the throw giveaway announced?"),
    ("other_contest", "#WinAConsole entered 3 times, did I win?", "entered your gift card giveaway, did I win?"),
    ("groceries", "look at this portion #toomuchrice #wheresthecurry", "spot the mistake #tablelinen #tablesetting"),
    ("careers", "went to the job fair at the Toronto store, when will I hear back?",
     "went to the Toronto store, when will my order be ready?"),
    ("careers", "my background check is taking weeks and I can't start", "the check on my refund is taking weeks"),
    ("other_company_order", "as a Prime member I sent back a lamp, why was I charged postage?",
     "I'm a Northwind Plus member, I returned a lamp and had to pay shipping"),
]


@pytest.mark.parametrize("fact, said, not_said", CASES)
def test_what_isnt_ours_is_read_and_its_near_miss_is_not(fact, said, not_said):
    assert fact in facts_in(said), said
    assert fact not in facts_in(not_said), not_said


def test_a_prime_members_purchase_names_amazon():
    assert other_company_name("as a Prime member I bought a lamp and sent it back", seller_first=True) == "Amazon"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("named") / "replay.sqlite3"), policy="first"))


@pytest.mark.parametrize("message, template", [
    # before round 24: a handover, a restock answer, our in-store complaint, the membership of "another company"
    ("seems you had Switch stock in this morning and it was gone by nine??", "off_topic.not_our_range*"),
    ("no optician AGAIN for my appointment, second time this month", "off_topic.not_our_service"),
    ("when will the results be out? hoping to win the new phone #quiz", "off_topic.other_contest"),
    ("my offer letter names the Calgary store but I put in for Edmonton", "off_topic.careers_applied"),
    ("are you hiring for the holidays at the Yorkdale store?", "off_topic.careers"),
    ("As a Prime member I bought a lamp, it was faulty, I sent it back and was charged postage. Why?",
     "off_topic.other_company_order"),
    # ours stays ours
    ("when are the winners of your spring throw giveaway announced?", "promo_code.competition"),
])
def test_what_isnt_ours_gets_the_answer_that_says_so(bot, message, template):
    turn = bot.reply(f"named-{hash(message)}", message)
    served = str(turn.candidates[turn.chosen].meta.get("template"))
    assert served.startswith(template[:-1]) if template.endswith("*") else served == template, turn.text
    if template == "off_topic.other_company_order":
        assert "with Amazon" in turn.text, turn.text


def test_another_language_naming_a_company_says_whose_it_is(bot):
    turn = bot.reply("named-de-amazon", "Mein Amazon Konto zeigt den Rabatt nicht an, was soll ich jetzt tun?")
    served = turn.candidates[turn.chosen]
    assert served.source == "handover" and served.meta.get("handover") == "other_language"
    assert "Das scheint Amazon zu betreffen" in turn.text and "about Amazon rather than Northwind Threads" in turn.text
    plain = bot.reply("named-de-plain", "Meine Bestellung ist noch nicht angekommen, bitte helfen Sie mir")
    assert "Amazon" not in plain.text and "Ein Kollege von Northwind Threads" in plain.text
