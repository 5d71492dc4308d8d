"""PII masking: a corpus of what must go (personal data) and what must stay (what the conversation needs).

Each case: (text, pieces that must not survive masking, pieces that must survive it). The counting test
prints masked / missed / over-masked over the whole corpus and requires 0 missed and 0 over-masked.
"""
from __future__ import annotations

import re

import pytest

from bot.pii import find_pii, mask_pii

# -- personal data: every listed piece must be gone after masking -------------------------------------
MUST_MASK = [
    # cards, any separators, Luhn-valid or not
    ("card 4242 4242 4242 4242 please", ["4242 4242 4242 4242"], ["card", "please"]),
    ("my card is 4242-4242-4242-4242", ["4242-4242-4242-4242"], ["my card is"]),
    ("4242.4242.4242.4242 is the card", ["4242.4242.4242.4242"], ["is the card"]),
    ("card number 4242424242424242", ["4242424242424242"], []),
    ("visa 4111 1111 1111 1112 (typo)", ["4111 1111 1111 1112"], ["(typo)"]),  # fails Luhn: still a card
    ("it's 5555/5555/5555/4444", ["5555/5555/5555/4444"], []),
    ("amex 3782 822463 10005", ["3782 822463 10005"], ["amex"]),
    ("card 4242 - 4242 - 4242 - 4242 exp soon", ["4242 - 4242 - 4242 - 4242"], ["exp soon"]),
    ("number 6011_1111_1111_1117", ["6011_1111_1111_1117"], []),
    ("1234567890123456 was charged twice", ["1234567890123456"], ["charged twice"]),
    # IBAN
    ("refund to DE89 3704 0044 0532 0130 00 please", ["DE89 3704 0044 0532 0130 00"], ["please"]),
    ("my IBAN is GB29NWBK60161331926819", ["GB29NWBK60161331926819"], ["my IBAN is"]),
    ("iban: FR14 2004 1010 0505 0001 3M02 606", ["FR14 2004 1010 0505 0001 3M02 606"], ["iban:"]),
    ("NL91-ABNA-0417-1643-00 is my account", ["NL91-ABNA-0417-1643-00"], ["is my account"]),
    # SSN-like and other ID numbers
    ("SSN 123-45-6789", ["123-45-6789"], ["SSN"]),
    ("my social is 078 05 1120", ["078 05 1120"], []),
    ("social security number: 219099999", ["219099999"], []),
    ("SIN 046 454 286 for the tax form", ["046 454 286"], ["for the tax form"]),
    ("passport number X1234567", ["X1234567"], ["passport number"]),
    ("NI number QQ 12 34 56 C", ["QQ 12 34 56 C"], []),
    # secrets typed in the chat: the value goes, the words stay
    ("my cvv is 123", ["123"], ["my cvv is"]),
    ("CVC: 4821", ["4821"], ["CVC"]),
    ("the security code on the back is 907", ["907"], ["security code"]),
    ("pin 4821", ["4821"], ["pin"]),
    ("my PIN number is 0000 lol", ["0000"], ["lol"]),
    ("my password is hunter2", ["hunter2"], ["my password is"]),
    ("password: P@ssw0rd!", ["P@ssw0rd!"], ["password"]),
    ("my password hunter2 doesn't work", ["hunter2"], ["doesn't work"]),
    ('password is "correct horse battery"', ["correct horse battery"], []),
    ("pwd=Tr0ub4dor&3", ["Tr0ub4dor&3"], []),
    ("the one-time code is 583920", ["583920"], []),
    ("card expiry 09/27 and cvv 321", ["09/27", "321"], ["expiry", "cvv"]),
    # phones
    ("call me on +1 (415) 555-0199", ["+1 (415) 555-0199", "415", "0199"], ["call me on"]),
    ("+44 20 7946 0958 is my number", ["20 7946 0958"], ["is my number"]),
    ("0044 20 7946 0958", ["7946 0958"], []),
    ("my mobile: 07911 123456", ["07911 123456"], ["my mobile"]),
    ("phone (415) 555-0199 after 5pm", ["555-0199"], ["after 5pm"]),
    ("415.555.0199", ["415.555.0199"], []),
    ("4155550199", ["4155550199"], []),
    ("reach me at 555-0199", ["555-0199"], ["reach me at"]),
    ("my number is 555 0199", ["555 0199"], []),
    ("call 5550199 anytime", ["5550199"], ["anytime"]),
    ("tel +49 30 12345678", ["12345678"], ["tel"]),
    ("+33 1 23 45 67 89", ["23 45 67 89"], []),
    ("01 23 45 67 89 is our landline", ["23 45 67 89"], ["landline"]),
    # street addresses
    ("send it to 123 Main Street please", ["123 Main Street"], ["please"]),
    ("I live at 45 Elm St., Apt 4B", ["45 Elm St", "4B"], ["I live at"]),
    ("221B Baker Street, London", ["221B Baker Street"], []),
    ("new address: 350 5th Avenue, New York, NY 10118", ["350 5th Avenue", "10118"], ["new address"]),
    ("ship to 12 maple street instead", ["12 maple street"], ["instead"]),
    ("1600 Pennsylvania Ave NW", ["1600 Pennsylvania Ave"], []),
    ("it went to 77 Old Mill Road, Springfield, IL 62704 by mistake", ["77 Old Mill Road", "62704"], ["by mistake"]),
    # postcodes
    ("my postcode is K1A 0B1", ["K1A 0B1"], []),
    ("zip code 94110", ["94110"], ["zip code"]),
    ("postcode SW1A 1AA", ["SW1A 1AA"], []),
    # emails
    ("I'm jane.doe+shop@gmail.com", ["jane.doe+shop@gmail.com"], ["I'm"]),
    ("email me at J.Smith@Example.co.uk!", ["J.Smith@Example.co.uk"], ["!"]),
    ("it's jane (at) gmail (dot) com", ["jane (at) gmail (dot) com"], []),
    ("contact: o'neil_99@mail-host.org.", ["@mail-host.org"], ["contact:"]),
    # personal data next to what must stay
    ("order 10023, call me at 415-555-0199", ["415-555-0199"], ["order 10023"]),
    ("paid order 10031 with 4242 4242 4242 4242 on 2026-03-02", ["4242 4242 4242 4242"], ["order 10031", "2026-03-02"]),
    ("tracking JD1214195949772998, my cell 07700 900123", ["07700 900123"], ["JD1214195949772998"]),
    ("order 10012 goes to 9 Birch Crescent, Toronto, ON M4B 2R6", ["9 Birch Crescent", "M4B 2R6"], ["order 10012"]),
]

# -- what the conversation needs: nothing here may change --------------------------------------------
MUST_SURVIVE = [
    "Where is my order 10023?",
    "order #10007 hasn't arrived",
    "it's 10041",
    "Order 10001 (Chunky Knit Throw Blanket) is out for delivery with DHL and due to arrive on 2026-03-16 "
    "(tracking JD1214195949772998).",
    "It shipped on 2026-03-03 with FedEx (tracking 682950555932) and the carrier's new estimated delivery date is "
    "2026-03-17.",
    "You can also follow the package directly on the USPS website with tracking number 9400161354272117172081.",
    "UPS tracking number 1Z7UCF456UW4WPUURB",
    "my tracking number is 456647824563 and it says delivered",
    "tracking 9400 1613 5427 2117 1720 81",
    "Fully refunded: $174.00 went back to your Visa ending 1881.",
    "It cost $1,299.00 and shipping was 6.95",
    "placed on 03/12/2026 and due 12.03.2026",
    "I ordered 3 pairs, size 32x34, quantity 2",
    "model WM-2200X, SKU 4402-118",
    "item number 100234567",
    "between 10:30 and 14:00 tomorrow",
    "Orders of $75 or more ship free; express is $14.95 and takes 1-2 business days.",
    "I bought 2 of the 10 inch skillets on 2026-03-13",
    "order 10023 is on the way",
    "Returns within 30 days; processing takes 3 business days.",
    "the 2 boxes are on their way to me",
]


def counts() -> tuple[int, int, int, int, list[str]]:
    """(masked, missed, over_masked, cases, problems) over the whole corpus."""
    masked = missed = over = 0
    problems = []
    for text, secrets, kept in MUST_MASK:
        out = mask_pii(text)
        for piece in secrets:
            if piece in out:
                missed += 1
                problems.append(f"missed {piece!r}: {out!r}")
            else:
                masked += 1
        for piece in kept:
            if piece not in out:
                over += 1
                problems.append(f"over-masked {piece!r}: {out!r}")
    for text in MUST_SURVIVE:
        out = mask_pii(text)
        if out != text:
            over += 1
            problems.append(f"over-masked: {text!r} -> {out!r}")
    return masked, missed, over, len(MUST_MASK) + len(MUST_SURVIVE), problems


def test_corpus_counts_no_missed_no_over_masked():
    masked, missed, over, cases, problems = counts()
    print(f"\nPII corpus: {cases} cases, masked {masked}, missed {missed}, over-masked {over}")
    assert cases >= 60 and len(MUST_SURVIVE) >= 15
    assert (missed, over) == (0, 0), "\n".join(problems)


@pytest.mark.parametrize("text, secrets, kept", MUST_MASK)
def test_personal_data_is_masked(text, secrets, kept):
    out = mask_pii(text)
    assert not [p for p in secrets if p in out], out
    assert all(p in out for p in kept), out


@pytest.mark.parametrize("text", MUST_SURVIVE)
def test_what_the_conversation_needs_survives(text):
    assert mask_pii(text) == text


def test_placeholders_name_the_kind():
    assert mask_pii("I'm jane@example.com, call +1 (415) 555-0199, card 4242 4242 4242 4242, order 12345 cost $59.90") \
        == "I'm [email], call [phone], card [card], order 12345 cost $59.90"
    assert mask_pii("my cvv is 123 and my password is hunter2.") == "my cvv is [secret] and my password is [secret]."
    assert mask_pii("DE89 3704 0044 0532 0130 00") == "[iban]"
    assert mask_pii("SSN 123-45-6789") == "SSN [id]"
    assert mask_pii("ship to 123 Main Street") == "ship to [address]"
    assert [s.kind for s in find_pii("pin 4821, 555-0199")] == ["secret", "phone"]


def test_ordinary_sentences_about_passwords_keep_their_words():
    for text in ["I forgot my password", "my password is not working", "reset my password please",
                 "the password reset link expired", "What's the PIN for the gift card?"]:
        assert mask_pii(text) == text


def test_bot_candidates_keep_order_and_tracking_numbers_in_the_replay_buffer(make_bot):
    """Every order's tracking number and order number survive masking of the bot's own replies."""
    import csv

    from bot.shop.paths import STORE_DIR

    with open(STORE_DIR / "orders.csv", newline="", encoding="utf-8") as f:
        orders = list(csv.DictReader(f))
    for order in orders:
        text = (f"Order {order['order_id']} ({order['item']}) shipped on {order['ship_date']} with {order['carrier']} "
                f"(tracking {order['tracking_number']}); ${order['total']} on your {order['payment_method']}.")
        assert mask_pii(text) == text, order["order_id"]

    bot = make_bot(policy="first")
    order = next(o for o in orders if o["tracking_number"] and o["carrier"] == "FedEx")
    bot.reply("s1", f"where is order {order['order_id']}? my email is {order['email']}")
    stored = [r["text"] for r in bot.replay.query("SELECT text FROM candidates")]
    assert any(order["tracking_number"] in t for t in stored)
    assert not any(re.search(r"\[(phone|card)\]", t) for t in stored)
    user_text = bot.replay.query("SELECT user_text FROM turns")[0]["user_text"]
    assert order["email"] not in user_text and "[email]" in user_text and order["order_id"] in user_text


def test_our_own_phone_and_email_stay_in_stored_replies_a_customers_do_not(make_bot):
    """Raters of real messages saw "You can reach our team at [phone] or [email]": the store's published contact
    details were masked as if they were a customer's. They are no one's personal data; a customer's still are."""
    bot = make_bot(policy="first")
    phone, email = bot.kb.store["support_phone"], bot.kb.store["support_email"]
    assert phone in bot.kb.public_details and email in bot.kb.public_details
    text = f"You can reach our team at {phone} or {email}. Jo's number is +1-555-0199, jo@example.com."
    assert mask_pii(text, bot.kb.public_details) == (f"You can reach our team at {phone} or {email}. "
                                                     "Jo's number is [phone], [email].")
    turn = bot.reply("contact", "what's your phone number? mine is 415 555 0123")
    assert phone in turn.text
    stored = bot.replay.query("SELECT reply_text, user_text FROM turns WHERE session_id='contact'")[0]
    assert phone in stored["reply_text"] and "0123" not in stored["user_text"]

    from bot.ratings.store import RatingStore

    session = RatingStore(bot.replay).create_session("contact-r", [{"context": [["customer", "phone?"]],
                                                                      "candidates": [turn.text, "Call +1-555-0199."]}])
    texts = [r["text"] for r in bot.replay.query("SELECT text FROM rating_candidates WHERE item_id LIKE ?",
                                                 (f"{session}:%",))]
    assert turn.text in texts and "Call [phone]." in texts
