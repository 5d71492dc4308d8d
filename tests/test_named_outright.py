"""A topic named outright is answered though the intent model is unsure (bot/dialogue/named_outright.py): each fact
beside its near miss, and the answer the message gets instead of a handover."""
from __future__ import annotations

import pytest

from bot.dialogue.facts import facts_in


@pytest.mark.parametrize("fact, said, not_said", [
    ("asks_how_to_return", "how do I post things back to you? there was no invoice in the box",
     "how do I get my money back for the cancelled order?"),
    ("asks_how_to_return", "where do I post the return to?", "I posted it back last week, where's my refund?"),
    ("asks_if_scam", "can you check whether an email I got is spam?", "your emails keep going to my spam folder"),
    ("asks_if_scam", "is this text a scam? it says my parcel is held", "is this jumper machine washable?"),
    ("arrived_damaged", "the wine glasses are all smashed, you can hear it without opening the box",
     "smashing service, thank you!"),
    ("arrived_damaged", "the lamp arrived with the shade dented", "the lamp stopped working after three months"),
    # round 20
    ("date_moved", "you've moved my delivery to next week without asking", "can I move my delivery to next week?"),
    ("date_moved", "my evening slot has been rescheduled again", "I've just moved house, can I update my address?"),
    ("date_moved", "the estimated delivery just jumped by five days", "what's the estimated delivery to Ontario?"),
    ("repeat_faults", "every single thing I order from you arrives broken",
     "everything I ordered arrived safely, thanks"),
    ("repeat_faults", "that's the third kettle that doesn't work out of the box", "my first kettle from you, love it"),
    ("repeat_faults", "my last three orders have all had something damaged in them",
     "my last three orders came quickly and well packed"),
    ("public_matter", "why has the old cross come down off the village chapel? madness",
     "need a dress for a church wedding in June, anything in blue?"),
    ("public_matter", "what do you lot think of the election results", "my parcel is late because of the weather"),
])
def test_a_plainly_named_topic_is_read_and_its_near_miss_is_not(fact, said, not_said):
    assert fact in facts_in(said), said
    assert fact not in facts_in(not_said), not_said


def test_more_parcels_expected_than_came_is_a_split_order():
    assert "split_delivery" in facts_in("was expecting 3 parcels today but only 1 arrived")
    assert "split_delivery" not in facts_in("expected 4 packages yesterday and all 4 showed up, thanks")


@pytest.mark.parametrize("message, intent", [
    ("can you check whether an email I got is spam? Thanks", "scam_concern"),
    ("no need to open the box, you can hear that our new glasses are completely smashed!!", "damaged_or_wrong_item"),
    ("Hmm, was expecting 3 parcels today but only 1 arrived. Not happy.", "missing_item"),
    ("why does everything I buy from you turn up broken?", "defective_item"),  # round 20
    ("my delivery has been moved to the 21st and I need the towels for guests on the 18th", "delivery_delayed"),
    ("why has the old cross come down off the village chapel? madness", "off_topic"),  # not "noted for the team"
])
def test_a_plainly_named_topic_gets_its_answer_not_a_handover(tmp_path, message, intent):
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=str(tmp_path / "replay.sqlite3"), policy="first"))
    turn = bot.reply("s", message)
    served = turn.candidates[turn.chosen]
    assert served.source == "retrieval" and served.meta.get("intent") == intent, (message, turn.text)


def test_a_date_moved_after_paying_for_speed_gets_the_fee_answer_and_is_no_cancellation():
    """Round 20: a faster service paid for (a yearly delivery pass, a timed slot) and a date moved is a late parcel
    whose fee is refunded (facts.late_express); "cancelled and rebooked" is a date moved, not an order cancelled."""
    said = facts_in("I pay for the yearly delivery pass and you've moved my delivery to next week")
    assert {"late_express", "date_moved"} <= said
    assert "late_express" in facts_in("paid for the 6-9pm slot and it's been changed to the morning")
    assert "late_express" not in facts_in("can I switch to the evening slot please?")
    rebooked = facts_in("got an email saying my slot's been cancelled and rebooked for next week")
    assert "date_moved" in rebooked and "cancelled_by_us" not in rebooked
    assert "cancelled_by_us" in facts_in("you cancelled my order for no reason")


def test_a_hospital_is_someone_hurt_only_when_someone_went_there():
    assert "someone_hurt" in facts_in("the lamp sparked and my son ended up in hospital")
    assert "someone_hurt" not in facts_in("why did you say nothing about the hospital closures?")
    assert "someone_hurt" not in facts_in("what should I pack in my hospital bag? need pyjamas")


@pytest.mark.parametrize("message", [
    "you've moved my delivery to next week and nobody asked me",
    "I paid for next day delivery and now the app says the date changed to the 22nd",  # not the express fee's answer
])
def test_a_moved_date_gets_its_own_answer(tmp_path, message):
    """Round 20's raters rated the late-express answer ("refund the $14.95 express fee") 2 for a moved slot or a
    delivery pass: a moved date gets an answer about the new date, and a faster delivery's charge if one was paid."""
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=str(tmp_path / "replay.sqlite3"), policy="first"))
    turn = bot.reply("s", message)
    assert turn.candidates[turn.chosen].template_name == "delivery_delayed.date_moved", turn.text
