"""The shop's own matters (bot/dialogue/shop_matters.py) are read where a customer says them, and not from the same
words meaning something else: each case here pairs a message with its near miss."""
from __future__ import annotations

import pytest

from bot.dialogue.facts import facts_in


# (fact, a message that says it, its near miss), by the round that wrote them: all checked by the last test
ROUND_17_FIRST_BATCH = [
    ("stock_alert", "can you let me know when the sage towels are back in stock?", "are the sage towels in stock?"),
    ("stock_alert_missed", "signed up for the restock email for the cord jacket, never got it",
     "how do I sign up for restock emails?"),
    ("competition", "when are the giveaway winners announced?", "your competition sells this jumper cheaper"),
    ("asks_to_enter", "is the prize draw open to Canada?", "did I win the prize draw?"),
    ("store_online_price", "why is the cardigan $59 on your website but $79 in the Toronto store?",
     "the online store has it cheaper than Amazon"),
    ("returned_to_sender", "tracking says returned to sender, I never sent anything back",
     "my return is on its way back to you, when will I get the refund?"),
    ("tracking_stuck", "tracking hasn't moved in 6 days, stuck at the depot", "tracking says out for delivery today"),
    ("split_delivery", "got 2 parcels out of 3, the one with the duvet is missing",
     "my order came in 3 separate boxes, everything's here, just a lot of cardboard"),
    ("business_request", "our school is fundraising, would you donate a raffle prize?",
     "can I donate my old clothes at your store?"),
    ("safety_concern", "the toddler hoodie has drawstrings, isn't that a strangulation risk?",
     "the driver was dangerous, he drove over my lawn"),
]


def test_a_message_to_check_is_a_scam_question_not_a_prize_or_a_stuck_parcel():
    # "you won, pay the shipping": whatever it names, what the customer needs is the scam advice
    assert "competition" not in facts_in("a DM says I won your giveaway and just need to pay shipping, is that you?")
    assert "tracking_stuck" not in facts_in("a text says my order is held at customs and I need to pay £2.99, is this real?")


def test_a_choking_hazard_is_a_worry_not_someone_hurt():
    said = facts_in("the teething rings have beads that come loose, a choking hazard for babies")
    assert "safety_concern" in said and "someone_hurt" not in said
    assert "someone_hurt" in facts_in("my son choked on a bead from the teething ring")
    assert "someone_hurt" not in facts_in("the towels are bleeding blue dye in the wash")


ROUND_17_SECOND_BATCH = [
    ("store_hours", "is the Fremont shop open on Sundays?", "your opening hours say 9 but I turned up at 9:15 and it was locked"),
    ("careers", "are you hiring for the holidays? how do I apply", "great job on the delivery, thanks!"),
    ("sale_dates", "when does the boxing day sale start?", "these lamps get so hot they shouldn't be on sale"),
    ("gift_wrap", "can you gift wrap it and add a note from me?", "the wrap dress arrived in bubble wrap, love it"),
    ("loyalty_points", "why didn't I get my loyalty points for my last order?", "which pickup points do you use?"),
    ("product_compatibility", "will the saucepans work on an induction hob?", "how do I wash the saucepans?"),
]


def test_a_compatibility_question_gets_the_answer_for_its_kind_of_product(tmp_path):
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=str(tmp_path / "replay.sqlite3"), policy="first"))
    for n, (message, template) in enumerate([
            ("Will the copper-bottom saucepan work on an induction hob?", "product_question.compatibility_cookware"),
            ("What bulb does the table lamp take, E26 or E12?", "product_question.compatibility_lamp"),
            ("Will your queen duvet cover fit a 90x90 inch duvet?", "product_question.compatibility_bedding"),
            ("Do you sell a replacement shade that fits the brass floor lamp?", "product_question.compatibility_part")]):
        turn = bot.reply(f"fit-{n}", message)
        assert turn.candidates[turn.chosen].meta.get("template") == template, (message, turn.text)


ROUND_21 = [
    # round 21: an extra paid for and not done; what sending it back costs; a store's facilities
    ("paid_service", "we paid $60 for assembly and they just left the boxes in the hall",
     "do you offer assembly on the bookcase? how much is it?"),
    ("paid_service", "paid for gift wrap and it came in a plain brown box", "can you gift wrap it for me?"),
    ("paid_service", "paid £8 for the 7-9pm slot and it came at lunchtime when nobody was in",
     "my gift card had £20 on it and now it shows nothing"),  # a gift card is no paid extra
    ("return_cost", "why was $5.95 taken off my refund?", "when will my refund come through?"),
    ("return_cost", "do I have to pay to send it back if it arrived broken?", "how do I send it back?"),
    ("return_cost", "is there a restocking fee on rugs?", "when are you restocking the linen rugs?"),
    ("store_facilities", "is there parking at the Denver store?", "the courier left my parcel in the car park"),
    ("store_facilities", "do you have baby changing in the Bristol branch?", "what time does the Bristol branch close?"),
    ("store_facilities", "are dogs allowed in your Denver store?", "no trolleys at the Denver store again, carried it all"),
]


def test_another_companys_fee_or_a_late_parcel_keeps_its_own_reading():
    # another shop's return fee is theirs; a paid-for day that hasn't come is the late express parcel's; a moved date
    # has its own answer; "taking old stock off the shelves" is no removal of an old sofa
    assert "return_cost" not in facts_in("Argos charged me a £6 return fee for a kettle")
    assert "paid_service" not in facts_in("paid for Saturday delivery and it still isn't here, where is it?")
    assert "paid_service" not in facts_in("paid for a timed slot and you've moved my delivery to next week")
    assert "paid_service" not in facts_in("staff were taking old stock off the shelves and I paid £5 more, not happy")


def test_rounds_21_and_22s_answers_are_served(tmp_path):
    """Each new fact gets its own answer; a complaint about a store visit that names its facilities stays a complaint;
    an order to collect that a store didn't have is the collection's; a store's till charging twice is the store's; a
    chase with no matter named is the wait's."""
    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=str(tmp_path / "replay.sqlite3"), policy="first"))
    for n, (message, template) in enumerate([
            ("we paid for the two-person delivery to carry the mirror upstairs and one driver left it at the door",
             "delivery_complaint.paid_service"),
            ("why was the return label fee taken off my refund? nobody said returns cost anything",
             "refund_policy.return_cost"),
            ("is there parent and child parking at your Denver store?", "store_pickup.facilities"),
            # asked, and a complaint about the visit: the complaint's answer, not the stores' policies
            ("the fitting rooms at your Denver store were filthy and the staff were rude, why is nobody cleaning them?",
             "complaint.in_store_named"),
            # round 22: a small station store, turned away before its posted hours; a collection gone wrong; a till
            ("went to the express at the station at 7.30, sign says open til 8 and the shutters were down",
             "complaint.in_store"),
            ("got the email that my click and collect was ready, drove to the Denver store and they couldn't find it",
             "store_pickup.went_wrong"),
            ("charged twice at the Calgary store: the terminal said declined, so I paid again and both went through",
             "double_charged.in_store"),
            ("why do you hire people who roll their eyes at customers? the lad at your Denver store was so rude",
             "complaint.in_store_named"),
            # a chase that names no matter is sorry for the wait (and, round 26, says a DM can't be seen from here); one
            # that names it gets the matter's answer
            ("check your DMs please, messaged you yesterday and still nothing", "complaint.sent_elsewhere_waiting"),
            ("I have emailed you four times about my refund and no one has replied", "refund_status.ask_id_warm")]):
        turn = bot.reply(f"r21-{n}", message)
        assert turn.candidates[turn.chosen].meta.get("template") == template, (message, turn.text)


# Round 22: an order to collect at a store gone wrong (not a courier collecting a return, not a store's stock
# question); a small "express" store is a store visit, not a paid-for express delivery
ROUND_22 = [
    ("collect_trouble", "the email said my order was ready to collect but the store told me to come back tomorrow",
     "the courier never turned up to collect the duvet I'm sending back"),
    ("collect_trouble", "collection desk at the Bath store was shut with a note saying back soon, waited 30 min",
     "can I collect my order from the Bath store instead of having it delivered?"),
    ("in_store_visit", "the express in Brackley wouldn't take my coins", "I paid for express in December, where is it"),
    ("paid_for_speed", "paid £6 for express shipping and it still hasn't come",
     "went to the express at the station and it was already shut"),
    # a desk is furniture we don't sell, a store's desk is not; "have" names a thing as well as "any"
    ("not_our_range", "my new desk arrived with a wobbly leg", "waited at the collection desk for 20 minutes"),
    ("not_our_range", "do you have cat carriers?", "do you have the linen shirt in blue?"),
    # a contact that went unanswered, not one mentioned in passing
    ("waited_for_answer", "DMed you 3 days ago and still nothing",
     "I emailed you the photo of the damage like you asked"),
    ("waited_for_answer", "sent the contact form on monday, anyone there??", "can I send the receipt by email?"),
]


@pytest.mark.parametrize("fact, said, not_said", ROUND_17_FIRST_BATCH + ROUND_17_SECOND_BATCH + ROUND_21 + ROUND_22)
def test_a_shop_matter_is_read_and_its_near_miss_is_not(fact, said, not_said):
    assert fact in facts_in(said), said
    assert fact not in facts_in(not_said), not_said
