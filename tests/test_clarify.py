"""The clarifying question names our best guess, keeps the menu for when it is wrong, and a bare yes takes it."""
from __future__ import annotations

import numpy as np
import pytest

from bot import Bot, BotConfig
from bot.dialogue import clarify, handover, not_a_shop_matter
from bot.dialogue.state import DialogueState
import needs  # tests/needs.py

pytestmark = needs.bitext_intent_model  # every test here pins the shipped model's confidence


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("c") / "replay.sqlite3"), policy="first"))


def _state_with(bot, probabilities: dict[str, float]) -> DialogueState:
    ids = [i.id for i in bot.kb.intents]
    scores = np.full(len(ids), 0.001)
    for intent_id, p in probabilities.items():
        scores[ids.index(intent_id)] = p
    state = DialogueState("s")
    state.cache["intent_scores"] = scores
    return state


def test_the_guesses_follow_the_probabilities(bot):
    assert clarify.guesses(_state_with(bot, {"promo_code": 0.25, "gift_cards": 0.20}), bot.kb) == ["promo_code", "gift_cards"]
    assert clarify.guesses(_state_with(bot, {"promo_code": 0.25, "gift_cards": 0.10}), bot.kb) == ["promo_code"]
    # A complaint is no topic to offer: the generic question, not "is it about None?"
    assert clarify.guesses(_state_with(bot, {"complaint": 0.25, "gift_cards": 0.20}), bot.kb) == []
    assert clarify.question(_state_with(bot, {"complaint": 0.25}), bot.kb) == clarify.CLARIFY_TEXT


def test_an_unsure_short_opening_names_the_guess_and_keeps_the_menu(bot):
    turn = bot.reply("guess-1", "its broke and late")
    served = turn.candidates[turn.chosen]
    assert served.source == "clarify" and served.meta["confidence"] < handover.CLARIFY_BELOW
    assert turn.text.startswith(clarify.GUESS_START) and bot.kb.intent(turn.intent).phrase in turn.text
    assert "something else" in turn.text  # the way out when the guess is wrong


def test_a_bare_yes_confirms_a_single_guess(bot):
    first = bot.reply("guess-2", "its broke and late")
    assert first.candidates[first.chosen].source == "clarify"
    guessed = first.intent
    second = bot.reply("guess-2", "yes that's right")
    assert second.intent == guessed and second.candidates[second.chosen].source == "retrieval"
    assert second.candidates[second.chosen].meta["intent"] == guessed


def test_no_after_the_guess_is_not_taken_as_yes(bot):
    first = bot.reply("guess-3", "its broke and late")
    assert first.candidates[first.chosen].source == "clarify"
    second = bot.reply("guess-3", "no")
    assert second.candidates[second.chosen].source == "handover"  # not understood twice: a person takes over
    assert "colleague" in second.text


def test_the_second_of_two_guesses_can_be_picked(bot):
    state = _state_with(bot, {"promo_code": 0.25, "gift_cards": 0.20})
    state.history = [("customer", "the thing with the code"), ("bot", clarify.question(state, bot.kb)), ("customer", "")]
    assert state.slots["guesses"] == ["promo_code", "gift_cards"]
    assert clarify.confirmed_guess(state, "the second one") == "gift_cards"
    state.slots["guesses"] = ["promo_code", "gift_cards"]
    assert clarify.confirmed_guess(state, "yes") is None  # yes to "A, or B?" picks neither


def test_that_s_it_confirms_and_none_of_them_denies(bot):
    state = _state_with(bot, {"promo_code": 0.25})
    state.history = [("customer", "the thing with the code"), ("bot", clarify.question(state, bot.kb)), ("customer", "")]
    assert not clarify.denied_guess(state, "that's it") and clarify.confirmed_guess(state, "that's it") == "promo_code"
    assert clarify.denied_guess(state, "none of them") and clarify.denied_guess(state, "no, not that")


def test_a_bare_yes_to_two_guesses_asks_which_one_once(bot):
    state = _state_with(bot, {"promo_code": 0.25, "gift_cards": 0.20})
    asked = clarify.question(state, bot.kb)
    state.history = [("customer", "the thing with the code"), ("bot", asked), ("customer", "yes")]
    assert clarify.confirmed_guess(state, "yes") is None and state.slots["guesses"] == ["promo_code", "gift_cards"]
    which = handover.decide(state, bot.kb)
    assert which.source == "clarify" and which.text.startswith(clarify.WHICH_START)
    assert all(bot.kb.intent(i).phrase in which.text for i in ("promo_code", "gift_cards"))
    assert clarify.is_question(which.text)
    # "the second one" to "which one?" picks; "no" to it is a denial like "no" to the first question.
    state.history += [("bot", which.text), ("customer", "the second one")]
    assert clarify.confirmed_guess(state, "the second one") == "gift_cards" and "guesses" not in state.slots
    state.slots["guesses"] = ["promo_code", "gift_cards"]
    state.history[-1] = ("customer", "no")
    assert clarify.denied_guess(state, "no")
    # A bare yes again: asked once only, so no second "which one?".
    state.history[-1] = ("customer", "yes")
    assert clarify.confirmed_guess(state, "yes") is None and clarify.which_one(state, bot.kb) is None


def test_an_unsure_opening_that_tells_what_happened_goes_to_a_person(bot):
    """Eight words or more that we cannot read: a person reads them, rather than a menu question asking the customer
    to say it again. The conversation is escalated with its reason, and the reply asks for the order number."""
    from bot.storage.escalations import escalations

    turn = bot.reply("told-1", "my frend is going to colect for me, is that ok")
    served = turn.candidates[turn.chosen]
    assert served.source == "handover" and served.meta["handover"] == "unsure" and served.meta["confidence"] < handover.CLARIFY_BELOW
    assert not clarify.is_question(turn.text) and handover.ADD_ORDER_TEXT in turn.text
    assert turn.text.endswith(handover.PHONE_TEXT.format(support_phone=bot.kb.store["support_phone"]))  # if it can't wait
    assert [e["reason"] for e in escalations(bot.replay) if e["session_id"] == "told-1"] == ["unsure"]


def test_an_unsure_opening_with_nothing_a_shop_does_says_what_we_are_and_asks_for_more(bot):
    """Round 24: nothing in it about an order, a delivery, an account or goods ("a limit on what I can spend?"): many
    such messages are meant for another company or are no request, so the reply says what we are and that another
    company's matter is theirs, and asks for more if it's ours, without a colleague's queue (ab1-r24)."""
    from bot.storage.escalations import escalations

    turn = bot.reply("told-elsewhere", "why is there suddenly a limit on how much each person can spend, $60 max?? disgusting")
    served = turn.candidates[turn.chosen]
    assert served.source == "clarify" and served.template_name == not_a_shop_matter.TEMPLATE, turn.text
    assert turn.text.startswith(not_a_shop_matter.TEXT.split("{")[0]) and "another company" in turn.text
    assert not [e for e in escalations(bot.replay) if e["session_id"] == "told-elsewhere"]
    hard = bot.reply("told-hard", "honestly so stressed, the landlord is putting the rent up again and I can't cope")
    assert hard.text.startswith(not_a_shop_matter.HARD_TIME_TEXT), hard.text
    ours = bot.reply("told-ours", "the parcel people keep leaving notes but I am in all day, what is going on")
    assert "another company" not in ours.text, ours.text


def test_the_phone_line_is_not_offered_to_someone_the_phone_failed(bot):
    turn = bot.reply("told-phone", "rang your number twice today about the thing I mentioned and the line kept cutting out")
    assert turn.candidates[turn.chosen].source == "handover" and bot.kb.store["support_phone"] not in turn.text


def test_a_told_opening_below_even_odds_goes_to_a_person_unless_the_store_says_lower(bot, tmp_path):
    """Round 12: answers to told openings at 0.37-0.49 rated 2.45 in blind ratings of real messages, a handover 3
    (handover.TOLD_HANDOVER_BELOW). A store with few staff sets `told_handover_below` lower and answers them; a
    value that is no probability is refused when the knowledge base loads."""
    import copy
    import json

    from bot.shop.knowledge import KnowledgeBase, KnowledgeBaseError
    from bot.shop.paths import STORE_DIR

    state = bot._session("below-even")[0]
    bot.tracker.update(state, "emails back and forth for a week now, awful service honestly")
    assert handover.CLARIFY_BELOW <= state.intent_score < handover.TOLD_HANDOVER_BELOW, state.intent_score
    assert handover.decide(state, bot.kb).meta["handover"] == "unsure"
    few_staff = copy.copy(bot.kb)
    few_staff.store = {**bot.kb.store, "told_handover_below": handover.CLARIFY_BELOW}
    assert handover.decide(state, few_staff) is None  # drafted answers, as before round 12
    short = bot._session("below-even-short")[0]
    # short: a question only below CLARIFY_BELOW ("no answers to my emails" was this example until round 26 read it as
    # a message sent elsewhere, at even odds)
    bot.tracker.update(short, "so fed up with this")
    assert handover.CLARIFY_BELOW <= short.intent_score < handover.TOLD_HANDOVER_BELOW, short.intent_score
    assert handover.decide(short, bot.kb) is None
    raw = json.loads((STORE_DIR / "knowledge_base.json").read_text())
    raw["store"]["told_handover_below"] = 49
    (tmp_path / "knowledge_base.json").write_text(json.dumps(raw))
    with pytest.raises(KnowledgeBaseError, match="told_handover_below"):
        KnowledgeBase.load(tmp_path)


def test_an_unsure_story_read_as_fraud_gets_a_person_not_the_security_script(bot):
    """A store's handover intent (fraud) brings its own script: "change your password now, we've flagged your
    account". Read below even odds from a told story, that script went to a parcel that never came (rated 1, round
    12); now a person reads it. Read with confidence, the script stays (decide leaves it to the intent's drafts)."""
    state = bot._session("fraud-unsure")[0]
    bot.tracker.update(state, "looking at my statement there is a payment for a coat that never turned up")
    state.intent = "unauthorized_charge"
    state.intent_score = (handover.CLARIFY_BELOW + handover.TOLD_HANDOVER_BELOW) / 2
    assert handover.decide(state, bot.kb).meta["handover"] == "unsure"
    state.intent_score = 0.9
    assert handover.decide(state, bot.kb) is None


def test_the_handover_does_not_ask_for_an_order_number_it_was_given(bot):
    turn = bot.reply("told-2", "my frend is going to colect for me, is that ok. Order KX553190")
    assert turn.candidates[turn.chosen].meta.get("handover") == "unsure"
    assert "order number" not in turn.text and turn.text.startswith(handover.TOLD_TEXT.split(",")[0])


def test_a_store_with_few_staff_asks_instead(bot, tmp_path):
    """`unsure_handover_words` in the store's settings: set high, the same long opener gets the question."""
    import copy
    import json

    from bot.shop.knowledge import KnowledgeBase, KnowledgeBaseError
    from bot.shop.paths import STORE_DIR

    state = bot._session("few-staff")[0]
    bot.tracker.update(state, "my frend is going to colect for me, is that ok")
    assert handover.decide(state, bot.kb).source == "handover"
    few_staff = copy.copy(bot.kb)
    few_staff.store = {**bot.kb.store, "unsure_handover_words": 100}
    assert handover.decide(state, few_staff).source == "clarify"
    raw = json.loads((STORE_DIR / "knowledge_base.json").read_text())
    raw["store"]["unsure_handover_words"] = "eight"
    (tmp_path / "knowledge_base.json").write_text(json.dumps(raw))
    with pytest.raises(KnowledgeBaseError, match="unsure_handover_words"):
        KnowledgeBase.load(tmp_path)


def test_meant_thanks_are_returned_even_when_the_model_is_unsure(bot):
    """Round 11: "you sorted my problem in minutes, thanks" was read as praise at 0.22 and handed to a person."""
    state = bot._session("unsure-thanks")[0]
    bot.tracker.update(state, "spoke to Sam on the phone earlier, what a star, thank you so much for all the help")
    assert state.intent in ("praise", "goodbye_thanks")
    state.intent_score = handover.CLARIFY_BELOW / 2  # as unsure as the model was about the real one
    assert handover.decide(state, bot.kb) is None
    state.intent = "complaint"  # as unsure about anything else: a person reads it
    assert handover.decide(state, bot.kb).source == "handover"



def test_a_plea_for_help_with_no_topic_is_asked_what_it_is_about(bot):
    for n, message in enumerate(["I need help!! !", "hi, I need some help", "can someone help me please?"]):
        turn = bot.reply(f"help-{n}", message)
        assert turn.candidates[turn.chosen].source == "clarify" and turn.text == clarify.HELP_TEXT, message
    # A topic is no plea: it is answered (or asked about) as its own.
    turn = bot.reply("help-topic", "i need help with my order 10023, where is it")
    assert turn.text != clarify.HELP_TEXT
    # The plea is a question: a bare "no" to it afterwards is not taken for an answer to something else.
    assert clarify.is_question(clarify.HELP_TEXT)


@pytest.mark.parametrize("message", ["thoughts?? https://t.co/Ab12Cd", "https://t.co/Ab12Cd", "@[handle] seen this?? https://t.co/x"])
def test_a_link_with_little_beside_it_is_asked_about_not_guessed_at(bot, message):
    """Round 25: we can't open a link or a picture, so the reply says so and asks what it's about (round 24's raters
    rated a guess at one, "is it about a suspicious message?", 3)."""
    turn = bot.reply(f"link-{hash(message)}", message)
    assert turn.text == clarify.LINK_TEXT and clarify.is_question(turn.text)
    told = bot.reply("link-told", "my parcel came smashed, the lamp inside is in pieces https://t.co/Ab12Cd")
    assert told.text != clarify.LINK_TEXT

