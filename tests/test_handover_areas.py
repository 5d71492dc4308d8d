"""A handover names the area it is sure of (a delivery, a payment), what the person will do, and the detail they need."""
from __future__ import annotations

import numpy as np
import pytest

from bot import Bot, BotConfig
from bot.dialogue import handover, handover_areas
from bot.dialogue.state import DialogueState
from bot.shop.knowledge import KnowledgeBase
from bot.shop.paths import STORE_DIR
import needs  # tests/needs.py

KB = KnowledgeBase.load(STORE_DIR)
STORE = KB.store


def state_with(probabilities: dict[str, float], said=(), order_id=None,
               message="my parcel still hasn't come and the tracking makes no sense") -> DialogueState:
    ids = [i.id for i in KB.intents]
    rest = (1.0 - sum(probabilities.values())) / (len(ids) - len(probabilities))
    scores = np.array([probabilities.get(i, rest) for i in ids])
    state = DialogueState("s", history=[("customer", message)], intent_memory=scores.tolist())
    state.slots["said"] = list(said)
    if order_id:
        state.slots["order_id"] = order_id
    return state


def area_text(area: str, state: DialogueState, store: dict) -> str:
    """The reply as handover.py serves it: the area's text with the store's name and hours filled in."""
    return handover._handover(handover_areas.template(area, state), "unsure", store).text


def test_an_area_sure_in_sum_is_named_though_no_intent_is():
    # three delivery intents at 0.2 each: no one of them is sure, the delivery area is (0.6)
    state = state_with({"package_not_received": 0.2, "delivery_delayed": 0.2, "delivery_complaint": 0.2})
    assert handover_areas.area_of(state, KB) == "shipping"


def test_an_area_below_the_bar_is_not_named():
    state = state_with({"package_not_received": 0.2, "delivery_delayed": 0.2, "complaint": 0.2})
    assert handover_areas.area_of(state, KB) is None  # 0.4 (and whatever the rest spreads there) < AREA_SURE


def test_a_question_that_reports_no_trouble_is_not_named():
    state = state_with({"product_question": 0.3, "sizing_help": 0.3}, message="is the long camel coat coming back in a 10?")
    assert handover_areas.area_of(state, KB) is None  # "sorry about the trouble with the item" was rated 1


def test_what_happened_in_a_store_is_not_named_as_an_online_area():
    state = state_with({"refund_status": 0.4, "refund_policy": 0.3}, said=["in_store_visit"])
    assert handover_areas.area_of(state, KB) is None


def test_a_scam_is_its_own_area_not_the_account():
    state = state_with({"scam_concern": 0.6}, message="I got an email about my order asking me to confirm my card, is it you?")
    assert handover_areas.area_of(state, KB) == "scam"
    assert "don't click its links" in area_text("scam", state, STORE)


def test_the_order_number_is_asked_for_unless_given():
    asked = area_text("shipping", state_with({}), STORE)
    given = area_text("shipping", state_with({}, order_id="10023"), STORE)
    assert asked.startswith("I'm sorry about the trouble with your delivery.") and "Add your order number" in asked
    assert "order number to hand" in given and "Add your order number" not in given
    assert STORE["store_name"] in asked and "()" not in asked
    assert "order number" not in area_text("account", state_with({}), STORE)  # the account's email instead


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("h") / "replay.sqlite3"), policy="first"))


@needs.bitext_intent_model
@pytest.mark.parametrize("message, has_number", [
    # (a parcel "going back to the sender" has its own answer since round 17: package_not_received.returned)
    ("the courier site now says there's an exception on my parcel and I have no idea why??", False),
    ("the courier site now says there's an exception on my parcel and I have no idea why?? order 10023", True),
])
def test_an_unsure_delivery_story_is_handed_over_as_a_delivery(bot, message, has_number):
    turn = bot.reply(f"s-{has_number}", message)
    assert turn.candidates[turn.chosen].source == "handover"
    assert turn.text.startswith("I'm sorry about the trouble with your delivery.")
    assert ("order number to hand" in turn.text) == has_number and ("Add your order number" in turn.text) != has_number
    assert turn.candidates[turn.chosen].meta["area"] == "shipping"


@needs.bitext_intent_model
def test_an_unsure_story_of_no_sure_area_keeps_the_plain_handover(bot):
    turn = bot.reply("s-plain", "I keep getting logged out every time I go to pay and it won't let me finish at all")
    assert turn.candidates[turn.chosen].source == "handover"
    assert turn.text.startswith(handover.TOLD_TEXT.split(",")[0]) and "area" not in turn.candidates[turn.chosen].meta
