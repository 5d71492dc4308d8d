"""Needing it fast (bot/dialogue/delivery_speed.py): a date to meet, today, or a placed order to speed up, each read
where a customer says it and not from a parcel already late; the bot answers it without asking for the date again."""
from __future__ import annotations

import pytest

from bot import Bot, BotConfig
from bot.dialogue.facts import facts_in

# (fact, a message that says it, its near miss)
CASES = [
    ("needs_it_by", "can I get the linen shirt by Saturday? it's for a wedding",
     "the shirt was due Saturday and never came"),
    ("needs_it_by", "what's the latest I can order for Christmas delivery?", "what are your Christmas opening hours?"),
    ("needs_it_by", "if I order the throw tonight will express make it in time for her birthday on the 12th?",
     "how much is express delivery?"),
    ("same_day", "do you do same day delivery?", "my parcel says delivered today but nothing came"),
    ("same_day", "need a black tie by tonight, can you deliver today?", "the tie I ordered arrived today, thanks"),
    ("speed_up", "I ordered with standard, can I upgrade to express?", "is express worth it over standard?"),
    ("speed_up", "can you rush my order? it's for a party", "my order is still not here, it was due last week"),
]


@pytest.mark.parametrize("fact, said, not_said", CASES)
def test_a_need_for_speed_is_read_and_its_near_miss_is_not(fact, said, not_said):
    assert fact in facts_in(said), said
    assert fact not in facts_in(not_said), not_said


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("speed") / "replay.sqlite3"), policy="first"))


@pytest.mark.parametrize("message, template", [
    # before round 23: "Where is it going, and what date do you need it by?" to a date already given
    ("I need a dress for a wedding on Saturday, will express get here in time?", "shipping_options.by_date"),
    ("do you deliver same day? need a scarf for tonight", "shipping_options.same_day"),
    ("I ordered a coat yesterday on standard, can I change it to express?", "shipping_options.speed_up"),
    # an order number we can't find: said so, and what switching takes
    ("can order 99999 come quicker? need it by Friday", "shipping_options.speed_up_unknown"),
    # a parcel already late keeps the late parcel's answer
    ("it was supposed to arrive by Friday for the wedding and it still hasn't come", "!shipping_options.by_date"),
])
def test_a_need_for_speed_gets_its_answer(bot, message, template):
    turn = bot.reply(f"speed-{hash(message)}", message)
    served = turn.candidates[turn.chosen].meta.get("template")
    if template.startswith("!"):
        assert not str(served).startswith("shipping_options."), (served, turn.text)
    else:
        assert served == template, turn.text
    assert "what date do you need it by" not in turn.text.lower()
