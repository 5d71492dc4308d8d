"""The grounding check (bot/drafting/grounding.py, wired into Guard.violation): every amount, policy figure, date,
order or tracking number and email in a generated reply must come from the store (settings + knowledge base), the
order this customer proved, or the customer's own messages. Real knowledge base, real order book, real states."""
from __future__ import annotations

import csv

import pytest

from bot.candidate import Candidate
from bot.dialogue.state import DialogueState
from bot.drafting.grounding import claims
from bot.drafting.guard import Guard
from bot.shop.knowledge import KnowledgeBase, fill_slots
from bot.shop.orders import OrderBook
from bot.shop.paths import STORE_DIR

with open(STORE_DIR / "orders.csv", newline="", encoding="utf-8") as f:
    ORDERS = {r["order_id"]: r for r in csv.DictReader(f)}
ORDER = next(r for r in ORDERS.values() if r["tracking_number"] and r["ship_date"])
NOT_ON_FILE = next(str(n) for n in range(54321, 60000) if str(n) not in ORDERS)


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load(STORE_DIR)


@pytest.fixture(scope="module")
def guard(kb, tmp_path_factory):
    orders = OrderBook(STORE_DIR / "orders.csv", tmp_path_factory.mktemp("grounding") / "orders.sqlite3")
    return Guard(kb.store, orders, kb=kb)  # as bot/bot.py builds it


def state_of(*customer: str, order: dict | None = None) -> DialogueState:
    state = DialogueState("g", order=order)
    for text in customer:
        state.history += [("customer", text), ("bot", "Thanks, let me check.")]
    return state


def reason(guard, text, state=None, source="generative"):
    return guard.violation(Candidate(text, source), state or state_of("hi"))


def test_the_store_facts_this_suite_relies_on(kb):
    assert kb.store["return_window_days"] == 30 and kb.store["exchange_window_days"] == 45
    assert "$30" not in str(kb.store) and "60" not in str(kb.store)


def test_a_day_limit_does_not_license_the_same_number_as_an_amount(guard):
    # bug (a): the 30-day return window used to let "$30" through
    assert reason(guard, "The return fee for this item is $30.") == "invented_amount"
    assert reason(guard, "You can return it within 30 days of delivery.") is None
    assert reason(guard, "Returns are free on our 30-day policy.") is None


def test_policy_figures_must_be_store_figures_with_the_same_unit(guard):
    assert reason(guard, "You can return it within 60 days of delivery.") == "ungrounded"
    assert reason(guard, "You can return it within 30 weeks of delivery.") == "ungrounded"
    assert reason(guard, "Card refunds take 5-7 business days to appear.") is None
    assert reason(guard, "Card refunds take 5 to 9 business days to appear.") == "ungrounded"
    assert reason(guard, "Members get 20% off everything.") == "ungrounded"


def test_the_customers_own_amount_can_be_repeated_back(guard):
    # bug (b): the customer's own figure used to be dropped as invented
    state = state_of("I was charged $42.10 twice for one order!")
    assert reason(guard, "I'm sorry you were charged $42.10 twice; our payments team will look into it.", state) is None
    assert reason(guard, "You were charged 42.10 dollars, I see.", state_of("they took 42.10 from my card")) is None
    assert reason(guard, "I'm sorry you were charged $42.50 twice.", state) == "invented_amount"


def test_the_proven_orders_details_are_sayable_and_only_they(guard):
    proven = state_of(f"where is order {ORDER['order_id']}?", ORDER["email"], order=ORDER)
    ok = (f"Order {ORDER['order_id']} came to ${float(ORDER['total']):.2f}, shipped on {ORDER['ship_date']} "
          f"and its tracking number is {ORDER['tracking_number']}.")
    assert reason(guard, ok, proven) is None
    assert reason(guard, f"Your order total was ${ORDER['total']}.", state_of("hi")) == "invented_amount"
    assert reason(guard, f"Your order total was ${float(ORDER['total']) + 10:.2f}.", proven) == "invented_amount"


def test_dates_are_grounded_by_the_same_date_in_any_common_spelling(guard):
    proven = state_of(f"order {ORDER['order_id']}", ORDER["email"], order=ORDER)
    year, month, day = (int(x) for x in ORDER["ship_date"].split("-"))
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    for said in (f"{months[month - 1]} {day}", f"{months[month - 1][:3]} {day}, {year}", f"{day} {months[month - 1]}",
                 f"{month}/{day}/{year}", ORDER["ship_date"]):
        assert reason(guard, f"It shipped on {said}.", proven) is None, said
    other_day = 1 if day != 1 else 2
    assert reason(guard, f"It shipped on {months[month - 1]} {other_day}.", proven) == "ungrounded"
    assert reason(guard, f"It will arrive on {months[month - 1]} {other_day}, {year}.", state_of("hi")) == "ungrounded"
    assert reason(guard, f"You ordered on {months[month - 1]} {other_day}.", state_of(f"I ordered on {other_day} {months[month - 1]}")) is None


def test_invented_order_and_tracking_numbers_are_dropped(guard):
    assert reason(guard, f"Your order {NOT_ON_FILE} is on its way.") == "ungrounded"
    assert reason(guard, "Your tracking number is 1Z999AA10123456784.") == "ungrounded"
    assert reason(guard, "Please quote reference #88231 when you call.") == "ungrounded"
    # the customer's own (unproven, not on file) number may be repeated
    assert reason(guard, f"I couldn't find order {NOT_ON_FILE}; could you check it?", state_of(f"where is order {NOT_ON_FILE}")) is None


def test_knowledge_base_passages_ground_their_figures(kb):
    text = "A new tracking number can take up to 24 hours to show its first scan."
    assert "24 hours" in kb.intent("track_order").passage and "24" not in str(kb.store)
    assert Guard(kb.store, kb=kb).violation(Candidate(text, "generative"), state_of("hi")) is None
    assert Guard(kb.store).violation(Candidate(text, "generative"), state_of("hi")) == "ungrounded"


def test_reviewed_retrieval_templates_are_exempt(guard, kb):
    filled = [t for t in (fill_slots(a.text, kb.store) for a in kb.answers) if t and any(c.isdigit() for c in t)]
    assert filled
    for text in filled:
        assert reason(guard, text, source="retrieval") is None, text
    assert reason(guard, "Returns are accepted for 60 days and cost $30.", source="retrieval") is None
    assert reason(guard, "Returns are accepted for 60 days and cost $30.", source="remote") == "invented_amount"


def test_text_without_figures_and_vague_words_are_no_claims(guard):
    for text in ("I'm sorry about that. Let me connect you with our support team.",
                 "It can take a few days, sometimes a couple of weeks, to arrive.",
                 "We're here 24/7 online; what's your 5-digit order number?"):
        assert claims(text) == [], text
        assert reason(guard, text) is None, text


def test_the_bot_grounds_in_its_knowledge_base(make_bot):
    bot = make_bot()
    assert bot.guard.violation(Candidate("A new tracking number can take up to 24 hours to show its first scan.",
                                         "generative")) is None
    assert bot.guard.violation(Candidate("A new tracking number can take up to 36 hours to show its first scan.",
                                         "generative")) == "ungrounded"
