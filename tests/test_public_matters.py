"""Who looks after a public matter (round 25, bot/dialogue/public_matters.py): a road is the council's; politics, a
church or chit-chat keep the friendly reply."""
from __future__ import annotations

import pytest

from bot import Bot, BotConfig
from bot.dialogue.public_matters import who_to_ask


@pytest.mark.parametrize("message, who", [
    ("someone needs to fix the lights at the junction by the retail park, the traffic lights are always out", "council"),
    ("the council still hasn't fixed the pothole outside number 12", "council"),
    ("why has the chapel on the corner put up a sign about opening times?", None),
    ("what's your position on the election?", None),  # asks ours
    ("lovely weather today isn't it", None),
])
def test_who_looks_after_a_public_matter(message, who):
    found = who_to_ask(message)
    assert (found is None) if who is None else (who in found), found


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("public") / "replay.sqlite3"), policy="first"))


def test_a_public_matter_is_told_who_to_turn_to_and_chit_chat_keeps_the_friendly_reply(bot):
    """Round 24's and 25's raters rated the bare "I'm here for Northwind Threads questions only" 2-3 on a road's traffic
    lights: "neither says where to turn"."""
    roads = bot.reply("public-roads", "the new traffic lights at the big roundabout have the whole town queuing, sort it")
    assert roads.candidates[roads.chosen].meta.get("template") == "off_topic.public_matter", roads.text
    assert "your local council" in roads.text
    weather = bot.reply("public-weather", "what's the weather going to be like this weekend?")
    assert weather.candidates[weather.chosen].meta.get("template") != "off_topic.public_matter", weather.text
    later = bot.reply("public-roads", "and why did the chapel on the corner take its cross down?")
    assert later.candidates[later.chosen].meta.get("template") != "off_topic.public_matter", later.text
