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
])
def test_a_plainly_named_topic_gets_its_answer_not_a_handover(tmp_path, message, intent):
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=str(tmp_path / "replay.sqlite3"), policy="first"))
    turn = bot.reply("s", message)
    served = turn.candidates[turn.chosen]
    assert served.source == "retrieval" and served.meta.get("intent") == intent, (message, turn.text)
