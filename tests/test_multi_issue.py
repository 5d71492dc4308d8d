"""Several issues in one message (bot/dialogue/issues.py): the reply names the other one, and "yes" takes it up."""
from __future__ import annotations

import pytest

from bot.candidate import Candidate
from bot.dialogue import issues
from bot.dialogue.issues import clauses, clauses_to_read
from bot.shop.knowledge import KnowledgeBase
from bot.shop.paths import STORE_DIR
import needs  # tests/needs.py: skips when the shared reference data is missing

TWO_ISSUES = "Hi, where is my order 10023? Also, can I get an invoice for it?"  # track_order + invoice_request
# Signalled ("also", "too"), yet one request: a clause leans to another intent, below the threshold.
ONE_ISSUE = ["Where is my order 10023? I also got no shipping email for it.",
             "I'd like to return these jeans. They're too long and too tight as well."]


@pytest.mark.parametrize("text, expected", [
    ("my parcel arrived damaged, and also I was charged twice for it",
     ["my parcel arrived damaged", "I was charged twice for it"]),
    ("my parcel arrived damaged and I was also charged twice",
     ["my parcel arrived damaged", "I was also charged twice"]),
    ("Where is my order? Also, can I get an invoice?", ["Where is my order?", "Also, can I get an invoice?"]),
    ("the code doesn't work; my parcel is late", ["the code doesn't work", "my parcel is late"]),
    ("the code doesn't work\n\nmy parcel is late", ["the code doesn't work", "my parcel is late"]),
    ("the code doesn't work, plus my parcel is late", ["the code doesn't work", "my parcel is late"]),
    ("refund please. another thing: how do I unsubscribe", ["refund please", "how do I unsubscribe"]),
    ("cancel my Northwind Plus membership and refund me", ["cancel my Northwind Plus membership and refund me"]),
    ("the jumper was $4.99 and it shrank", ["the jumper was $4.99 and it shrank"]),
])
def test_a_message_is_cut_where_a_new_point_starts(text, expected):
    assert [c.text for c in clauses(text)] == expected


def test_a_second_point_needs_the_customers_signal():
    assert [c.signalled for c in clauses("Where is my order? Also, can I get an invoice?")] == [False, True]
    assert [c.signalled for c in clauses("refund please. another thing: how do I unsubscribe")] == [False, True]
    assert [c.signalled for c in clauses("The code fails. My account is locked as well")] == [False, True]
    assert [c.signalled for c in clauses("I ordered a lamp. It came broken. What now?")] == [False, False, False]


def test_only_signalled_messages_of_two_real_clauses_are_read():
    assert len(clauses_to_read("Where is my order? Also, can I get an invoice?")) == 2
    assert clauses_to_read("I ordered a lamp last week. It came broken. What can you do?") == []  # one story
    assert clauses_to_read("Hi. Also, where is my order 10023?") == []  # "Hi" is not a point of its own
    assert clauses_to_read("Also, where is my order? It was due on Monday.") == []  # "also" adds to an earlier message
    assert clauses_to_read("where is my order") == []


def test_a_two_issue_message_gets_a_reply_that_names_the_other_issue(make_bot):
    bot = make_bot(policy="first")
    turn = bot.reply("two", TWO_ISSUES)
    state = bot._session("two")[0]
    other = state.slots["other_issue"]
    assert {turn.intent, other} == {"track_order", "invoice_request"}
    sentence = issues.mention(bot.kb, other)
    assert sentence and bot.kb.intent(other).phrase in sentence
    assert turn.text.endswith(sentence)
    assert len(turn.candidates) > 1 and all(c.text.endswith(sentence) for c in turn.candidates)  # the guard kept them
    assert not any(ch.isdigit() for ch in sentence)


def test_a_one_issue_message_gets_no_such_sentence(make_bot):
    bot = make_bot(policy="first")
    for session, text in enumerate(["where is my order 10023?", *ONE_ISSUE]):
        session = f"one-{session}"
        assert text == "where is my order 10023?" or clauses_to_read(text)  # read, and still not flagged
        turn = bot.reply(session, text)
        assert "other_issue" not in bot._session(session)[0].slots
        assert not any(issues.MENTION_START in c.text for c in turn.candidates)


@pytest.mark.parametrize("follow_up", ["yes", "ok please", "what about the other thing?"])
def test_the_next_turn_takes_up_the_other_issue(make_bot, follow_up):
    bot = make_bot(policy="first")
    first = bot.reply("s", TWO_ISSUES)
    other = bot._session("s")[0].slots["other_issue"]
    assert first.intent != other
    turn = bot.reply("s", follow_up)
    assert turn.intent == other
    assert "other_issue" not in bot._session("s")[0].slots
    assert issues.MENTION_START not in turn.text
    assert all(c.meta.get("intent") == other for c in turn.candidates[:2])  # its own answers lead


def test_a_yes_takes_it_up_only_right_after_we_named_it(make_bot):
    bot = make_bot(policy="first")
    bot.reply("later", TWO_ISSUES)
    other = bot._session("later")[0].slots["other_issue"]
    bot.reply("later", "it's 10023")  # this reply does not name the other issue again
    assert bot.reply("later", "yes").intent != other
    assert bot._session("later")[0].slots["other_issue"] == other  # still waiting
    assert bot.reply("later", "and the other question?").intent == other


@needs.bitext_intent_model
def test_a_security_case_comes_first_and_the_other_request_waits(make_bot):
    bot = make_bot(policy="first")
    turn = bot.reply("fraud", "There's an order on my account I didn't place, someone is using my card. "
                              "Also, how do I unsubscribe from your emails?")
    assert turn.intent == "unauthorized_charge"  # the whole message alone reads as the unsubscribe request
    assert all(c.meta.get("handover") == "intent:unauthorized_charge" for c in turn.candidates)
    assert not any(issues.MENTION_START in c.text for c in turn.candidates)  # a handover reply stays as it is
    assert bot._session("fraud")[0].slots["other_issue"] == "newsletter_unsubscribe"


def test_the_other_issue_survives_a_restart(make_bot):
    make_bot(policy="first").reply("r", TWO_ISSUES)
    restarted = make_bot(policy="first")  # the same replay database: the conversation is read again
    other = restarted._session("r")[0].slots["other_issue"]
    assert restarted.reply("r", "yes").intent == other


def test_an_intent_without_a_phrase_is_not_named():
    kb = KnowledgeBase.load(STORE_DIR)
    assert issues.mention(kb, "double_charged")
    kb.intent("double_charged").phrase = ""
    assert issues.mention(kb, "double_charged") is None
    assert issues.mention(kb, "no_such_intent") is None
    assert issues.mention(kb, "greeting") is None  # conversation moves have no phrase in the store


def test_conversation_moves_are_not_second_issues():
    kb = KnowledgeBase.load(STORE_DIR)
    moves = {i.id for i in kb.intents if not issues.answerable(i)}
    # feedback (round 12) too: "also, you should stock petite sizes" asks nothing to be done for this customer
    assert moves == {"greeting", "goodbye_thanks", "praise", "complaint", "feedback", "off_topic", "human_agent"}
    assert all(kb.intent(i).phrase for i in {i.id for i in kb.intents} - moves)  # every request can be named


def test_add_mention_leaves_a_turn_without_another_issue_alone():
    from bot.dialogue.state import DialogueState

    kb = KnowledgeBase.load(STORE_DIR)
    state = DialogueState("x")
    candidates = [Candidate("Here is the answer.", "retrieval")]
    assert issues.add_mention(state, kb, candidates)[0].text == "Here is the answer."
    state.cache["other_issue"] = "double_charged"
    assert issues.add_mention(state, kb, candidates)[0].text.endswith(issues.mention(kb, "double_charged"))


def test_a_second_order_number_is_heard_not_dropped(tmp_path):
    """"order A and B, where are they": the bot takes one order at a time and says how to go on with the other,
    without showing anything of B before B is proven."""
    import csv

    from bot import Bot, BotConfig

    with open(STORE_DIR / "orders.csv", newline="", encoding="utf-8") as f:
        first, second = [r for r in csv.DictReader(f) if r["status"] == "shipped"][:2]
    bot = Bot(BotConfig(db_path=str(tmp_path / "replay.sqlite3"), policy="first"))
    turn = bot.reply("two", f"order {first['order_id']} and {second['order_id']} where are they")
    assert f"write 'order {second['order_id']}'" in turn.text
    assert second["tracking_number"] not in turn.text and second["email"] not in turn.text
    assert bot.reply("two", first["email"]).text.count(first["tracking_number"]) >= 1
    follow = bot.reply("two", f"order {second['order_id']}")
    assert second["order_id"] in follow.text and second["tracking_number"] not in follow.text  # asks for its proof
    assert second["tracking_number"] in bot.reply("two", second["email"]).text


def test_a_postcode_beside_the_order_number_is_no_second_order():
    from bot.dialogue.tracker import other_order_ids

    assert other_order_ids("my zip is 26730 and order is 10013", "10013") == []
    assert other_order_ids("order 10013 (postcode 26730)", "10013") == []
    assert other_order_ids("orders #10013 and #10017", "10013") == ["10017"]


def test_a_lone_number_not_on_file_beside_the_order_is_no_second_order():
    from bot.dialogue.tracker import other_order_ids

    on_file = {"10013", "10017"}.__contains__
    assert other_order_ids("order 10024, can I still change it? 46791", "10024", on_file) == []
    assert other_order_ids("order 10024 and 10017", "10024", on_file) == ["10017"]
