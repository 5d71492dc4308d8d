"""Verified order access: an order number alone shows nothing of the order; its email or postcode, given in
the same conversation, does. Real Bot, real SQLite files, the shipped demo store."""
from __future__ import annotations

import csv
import re
import shutil

import pytest

from bot import Bot, BotConfig
from bot.candidate import Candidate
from bot.dialogue import order_access
from bot.dialogue.state import DialogueState
from bot.explain import explain_rows
from bot.shop.orders import OrderBook
from bot.shop.paths import STORE_DIR

with open(STORE_DIR / "orders.csv", newline="", encoding="utf-8") as f:
    ORDERS = {r["order_id"]: r for r in csv.DictReader(f)}
# Orders with a parcel on its way or delivered: their answers show the tracking number (a returned or refunded
# order's answers do not offer tracking).
PARCELS = [r for r in ORDERS.values() if r["status"] in {"shipped", "out_for_delivery", "delayed", "delivered"}]
SHIPPED = next(r for r in PARCELS if r["tracking_number"] and "ending" in r["payment_method"])
ZIP_ORDER = next(r for r in PARCELS if r["postcode"].isdigit() and r["tracking_number"])
CA_ORDER = next(r for r in PARCELS if not r["postcode"].isdigit() and r["tracking_number"])


@pytest.fixture(scope="module")
def bot(tmp_path_factory, cache_dir):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("access") / "r.sqlite3"), cache_dir=cache_dir,
                         policy="first", seed=0))


def secrets_of(order: dict) -> list[str]:
    """What an unproven customer must never see: item, total, dates, tracking, card digits, contact, name, postcode."""
    values = [order["item"], order["total"], order["tracking_number"], order["order_date"], order["ship_date"],
              order["delivery_date"], order["email"], order["customer_name"], order["postcode"]]
    values += re.findall(r"ending (\d{4})", order["payment_method"])
    return [v for v in values if v]


def shown(turn) -> str:
    """Everything the turn puts in front of anyone: every candidate, the reply, the 'why this reply' rows."""
    rows = " ".join(str(cell) for row in explain_rows(turn) for cell in row)
    return " ".join([turn.text, *(c.text for c in turn.candidates), rows])


def assert_nothing_of(order: dict, turn) -> None:
    text = shown(turn)
    leaked = [v for v in secrets_of(order) if v in text]
    assert not leaked, (leaked, turn.text)


def assert_details(order: dict, turn) -> None:
    assert order["order_id"] in turn.text and order["tracking_number"] in shown(turn), turn.text


@pytest.mark.parametrize("message", [
    "Where is my order {id}?", "I want to return order {id}", "cancel order #{id} please",
    "I was charged twice for order {id}", "can I get the invoice for order number {id}", "{id}",
])
def test_order_number_alone_shows_nothing_and_asks_for_proof(bot, message):
    order = SHIPPED
    turn = bot.reply(f"alone-{message}", message.format(id=order["order_id"]))
    assert_nothing_of(order, turn)
    stored = bot.replay.query("SELECT text FROM candidates WHERE turn_id = ?", (turn.turn_id,))
    assert not [v for v in secrets_of(order) for r in stored if v in r["text"]]
    chosen = turn.candidates[turn.chosen]
    if chosen.source == "retrieval" and message != "{id}":  # (unless the bot asks what it is about first)
        assert chosen.meta["template"].startswith(order_access.TEMPLATE_PREFIX)
        assert "email" in turn.text and "postcode" in turn.text


def test_wrong_email_or_postcode_still_shows_nothing(bot):
    order = SHIPPED
    bot.reply("wrong", f"where is my order {order['order_id']}?")
    turn = bot.reply("wrong", "it's someone.else@example.com")
    assert_nothing_of(order, turn)
    assert "doesn't match" in turn.text
    turn = bot.reply("wrong", "my zip code is 55555")
    assert_nothing_of(order, turn)


@pytest.mark.parametrize("proof", ["email", "zip", "postcode"])
def test_the_right_email_or_postcode_shows_the_details(bot, proof):
    order = {"email": SHIPPED, "zip": ZIP_ORDER, "postcode": CA_ORDER}[proof]
    session = f"right-{proof}"
    first = bot.reply(session, f"where is my order {order['order_id']}?")
    assert_nothing_of(order, first)
    assert first.candidates[first.chosen].meta["template"].startswith(order_access.TEMPLATE_PREFIX)
    answer = {"email": f"sure, it's {order['email'].upper()}", "zip": order["postcode"],
              "postcode": f"postcode {order['postcode'].lower()}"}[proof]
    turn = bot.reply(session, answer)
    assert turn.intent == "track_order"  # the proof answers our question: the topic stays
    assert_details(order, turn)
    later = bot.reply(session, "when will it arrive?")  # proven once for the conversation
    assert order["order_id"] in later.text and order["tracking_number"] in shown(later)


def test_proof_given_before_the_order_number_counts(bot):
    order = SHIPPED
    bot.reply("before", f"hi, my email is {order['email']}")
    assert_details(order, bot.reply("before", f"where is order {order['order_id']}?"))


def test_another_session_cannot_ride_on_a_proof(bot):
    order = SHIPPED
    bot.reply("owner", f"where is my order {order['order_id']}? my email is {order['email']}")
    assert order["tracking_number"] in shown(bot.reply("owner", "and the tracking?"))
    assert_nothing_of(order, bot.reply("stranger", f"where is my order {order['order_id']}?"))
    assert_nothing_of(order, bot.reply("stranger", "yes, that one"))


def test_a_proof_covers_its_own_order_only(bot):
    mine = SHIPPED
    other = next(r for r in ORDERS.values() if r["email"] != mine["email"] and r["tracking_number"])
    bot.reply("two", f"order {mine['order_id']}, email {mine['email']}")
    turn = bot.reply("two", f"and where is order {other['order_id']}?")
    assert_nothing_of(other, turn)
    assert mine["tracking_number"] not in shown(turn)  # we talk about the order named now


def test_proof_for_one_order_is_no_wrong_answer_for_the_next(bot):
    mine = SHIPPED
    other = next(r for r in ORDERS.values() if r["email"] != mine["email"] and r["tracking_number"])
    bot.reply("next", f"where is order {mine['order_id']}?")
    for wrong in ["a@example.com", "b@example.com"]:  # two wrong tries, then the right one
        bot.reply("next", wrong)
    assert_details(mine, bot.reply("next", mine["email"]))
    # Three emails were given for the first order; none of them is an answer about the second.
    turn = bot.reply("next", f"and where is order {other['order_id']}?")
    assert_nothing_of(other, turn)
    assert "doesn't match" not in turn.text and "can't confirm" not in turn.text
    assert turn.candidates[turn.chosen].meta["template"] in {t for t, _ in order_access.ASK_TEXTS}
    assert_details(other, bot.reply("next", other["email"]))


def test_the_same_wrong_answer_twice_is_said_twice_and_counted_once(bot):
    order = SHIPPED
    bot.reply("twice", f"where is my order {order['order_id']}?")
    for _ in range(3):
        assert "doesn't match" in bot.reply("twice", "a@example.com").text
    assert_details(order, bot.reply("twice", order["email"]))  # one wrong answer so far, not three


def test_a_zip_in_a_new_address_is_not_an_order_number(bot):
    order = SHIPPED
    bot.reply("move", f"order {order['order_id']}, email {order['email']}")
    turn = bot.reply("move", "can you send it to my new address: 400 Main Street, Portland OR 97204")
    assert "order 97204" not in shown(turn).lower() and "couldn't locate" not in turn.text
    assert_details(order, bot.reply("move", "and where is it now?"))  # the proven order is still the one


@pytest.mark.parametrize("order", [ZIP_ORDER, CA_ORDER])
def test_an_order_number_beside_its_postcode_is_the_order(bot, order):
    turn = bot.reply(f"beside-{order['order_id']}", f"status of {order['order_id']} my zip is {order['postcode']}")
    assert_details(order, turn)


def test_an_email_first_then_the_number_shows_the_order(bot):
    first = bot.reply("email-first", SHIPPED["email"])
    assert first.candidates[first.chosen].source == "clarify"
    turn = bot.reply("email-first", SHIPPED["order_id"])
    assert turn.candidates[turn.chosen].source != "handover"
    assert_details(SHIPPED, turn)


def test_a_wrong_answer_is_always_told_as_wrong(bot):
    bot.reply("told", f"where is my order {SHIPPED['order_id']}?")
    turn = bot.reply("told", "nobody@example.com")
    proof = [c for c in turn.candidates if c.meta.get("template", "").startswith(order_access.TEMPLATE_PREFIX)]
    assert proof and all(c.meta["template"] == order_access.MISMATCH_TEXT[0] for c in proof)


def test_after_three_wrong_answers_even_the_right_one_is_refused(bot):
    order = SHIPPED
    bot.reply("guess", f"where is my order {order['order_id']}?")
    for wrong in ["a@example.com", "b@example.com", "c@example.com"]:
        bot.reply("guess", wrong)
    turn = bot.reply("guess", order["email"])
    assert_nothing_of(order, turn)
    assert "support@" in turn.text


def test_a_lone_number_while_waiting_is_the_postcode_unless_it_names_another_order(bot):
    order, other = ZIP_ORDER, next(r for r in ORDERS.values() if r["order_id"] != ZIP_ORDER["order_id"])
    bot.reply("lone", f"where is my order {order['order_id']}?")
    turn = bot.reply("lone", other["order_id"])  # another order on file: that is the order in question now
    assert other["order_id"] in turn.text
    assert_nothing_of(other, turn)


def test_guard_drops_candidates_with_another_orders_or_an_unproven_orders_data(bot):
    mine, other = SHIPPED, next(r for r in ORDERS.values() if r["email"] != SHIPPED["email"] and r["tracking_number"])
    proven = DialogueState("g", slots={"order_id": mine["order_id"]}, order=mine)

    def reason(text, state):
        return bot.guard.violation(Candidate(text, "generative"), state)

    assert reason(f"Order {mine['order_id']} ships with tracking {mine['tracking_number']}.", proven) is None
    assert reason(f"Order {other['order_id']} is on its way.", proven) == "leaks_data"
    assert reason(f"Your tracking number is {other['tracking_number']}.", proven) == "leaks_data"
    assert reason(f"We emailed {other['email']} about it.", proven) == "leaks_data"
    # an order waiting for proof: its number may be said, nothing else
    waiting = DialogueState("w", slots={"order_id": mine["order_id"]})
    waiting.access.pending = mine
    assert reason(f"I can help with order {mine['order_id']}.", waiting) is None
    assert reason(f"Order {mine['order_id']} ({mine['item']}) is on its way.", waiting) == "leaks_data"
    assert reason(f"It shipped on {mine['ship_date']}.", waiting) == "leaks_data"
    assert bot.guard.violation(Candidate(f"Tracking {mine['tracking_number']}.", "retrieval"), waiting) == "leaks_data"


def test_changed_orders_csv_is_reloaded(tmp_path):
    csv_path, db = tmp_path / "orders.csv", tmp_path / "cache" / "orders.sqlite3"
    shutil.copy(STORE_DIR / "orders.csv", csv_path)
    book = OrderBook(csv_path, db)
    assert book.get("10001")["postcode"] == ORDERS["10001"]["postcode"]
    text = csv_path.read_text(encoding="utf-8").replace(ORDERS["10001"]["postcode"], "K2P 1L4", 1)
    csv_path.write_text(text, encoding="utf-8")
    # the file's size or time tells a running book to look; the content hash decides
    assert book.get("10001")["postcode"] == "K2P 1L4"  # a running book sees it on the next lookup
    assert OrderBook(csv_path, db).get("10001")["postcode"] == "K2P 1L4"  # and a new one at start
    # a cache built from other contents (an older CSV without postcodes) is rebuilt
    old = tmp_path / "old.csv"
    old.write_text("order_id,item\n10001,Mug\n", encoding="utf-8")
    OrderBook(old, db)
    assert "postcode" in OrderBook(csv_path, db).get("10001")


def test_a_bare_postcode_beside_the_named_order_proves_it(bot):
    """"order N ... can I still change it? 46791": the lone 5-digit number that is no order on file is the postcode."""
    order = ZIP_ORDER
    turn = bot.reply("bare-zip", f"order {order['order_id']}, can I still change it? {order['postcode']}")
    assert order["item"] in shown(turn) and "write 'order" not in turn.text
