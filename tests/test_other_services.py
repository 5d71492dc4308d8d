"""Another kind of company's service, told by its own words (round 24, bot/dialogue/other_services.py): read where a
customer writes about it and not from its near miss, and answered by naming the kind of company to ask."""
from __future__ import annotations

import pytest

from bot import Bot, BotConfig
from bot.dialogue.facts import facts_in
from bot.dialogue.other_services import kind_of_service

# (a message about another company's service, the kind named, its near miss about an order with us)
CASES = [
    ("my sim says no service since this morning even though I topped up", "your mobile network or broadband provider",
     "the sweater I topped up my order with never came"),
    ("why was I charged an overdraft fee for being a pound over for one day?", "your bank or card provider",
     "why was I charged twice for the towels?"),
    ("train cancelled again, how do I claim delay repay?", "the airline, rail company or hotel",
     "my order is late, the courier blamed the train strike"),
    ("the rider ate half my takeaway and the app says delivered", "the restaurant or food delivery app",
     "the app says delivered but the lamp isn't here"),
    ("the show keeps buffering every minute and now there are ads on the basic plan", "the streaming service",
     "the throw I ordered keeps showing as processing"),
    ("can someone check the meter reading, the electric bill doubled", "your energy or water supplier",
     "the lamp's bulb keeps flickering, can someone check it"),
    ("the garage kept my car four days and the warning light is still on", "the garage or your insurer",
     "the garment bag for my suit came with a broken zip"),
    ("how long does a passport renewal take at the moment?", "the post office or government office",
     "is the leather passport holder back in stock?"),
    ("no appointments with a GP for three weeks, this is ridiculous", "your doctor's, dentist's or vet's practice",
     "no jackets in my size for three weeks, this is ridiculous"),
]


@pytest.mark.parametrize("said, kind, not_said", CASES)
def test_another_kind_of_service_is_read_and_named_and_its_near_miss_is_not(said, kind, not_said):
    assert "other_service" in facts_in(said), said
    assert kind_of_service(said) == kind
    assert "other_service" not in facts_in(not_said), not_said


def test_a_job_application_is_no_passport_application():
    assert "careers" not in facts_in("my driving licence application has said in progress for 11 weeks")
    assert "careers" in facts_in("my application for the stockroom job has said in review for 11 weeks")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("services") / "replay.sqlite3"), policy="first"))


@pytest.mark.parametrize("message, named", [
    # before round 24: a handover, our invoice steps, our double-charge answer
    ("flight delayed 5 hours and now cancelled, I want a full refund not a voucher", "the airline, rail company or hotel"),
    ("Hello, I need a bank statement for the last 6 months for a visa, how do I download it?",
     "your bank or card provider"),
    ("my water bill says three people live here, it's just me, please refund the overcharge",
     "your energy or water supplier"),
])
def test_another_kind_of_service_gets_the_answer_that_names_who_to_ask(bot, message, named):
    turn = bot.reply(f"services-{hash(message)}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == "off_topic.other_service", turn.text
    assert f"That sounds like one for {named}, not Northwind Threads" in turn.text
