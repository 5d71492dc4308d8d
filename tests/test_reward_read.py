"""A reward model that reads what the tracker read (bot/selection/reward_input.py, training/reward/read_pairs.py):
pairs converted with today's reading and template names, trained with --reads-tracker, fed the same at serving."""
import json

import pytest

from bot.dialogue.facts import facts_in
from bot.dialogue.state import DialogueState
from bot.selection.reward_input import NOT_DRAFTED, read_line, reward_context, tagged_reply
from bot.selection.reward_model import RewardModel
from training.reward.read_pairs import PairReader, shape


def test_read_line_names_the_first_two_guesses_and_the_facts():
    import numpy as np

    line = read_line(["track_order", "refund_status", "praise"], np.array([0.1, 0.85, 0.05]),
                     facts_in("my refund still hasn't come, it's been two weeks"))
    assert line.startswith("Read: refund_status 0.85, track_order 0.10 | facts: ")
    assert "refund_awaited" in line
    assert read_line(["a"], None, facts_in("hello")) == "Read: nothing | facts: none"
    assert tagged_reply("handover.unsure", "A colleague will reply.") == "[handover.unsure] A colleague will reply."
    assert tagged_reply("track_order.status", "It's on its way.", 2) == "[#2 track_order.status] It's on its way."
    assert tagged_reply("praise.short", "Thanks!", NOT_DRAFTED) == "[#- praise.short] Thanks!"


def test_read_pairs_name_templates_by_draft_pattern_or_shape_and_leave_out_what_they_cannot(make_bot):
    bot = make_bot(policy="first")
    reader = PairReader(bot)
    # (a message any retrained intent model reads surely: "my order 10003 hasn't arrived, it's a week late" sat near the
    # unsure bar, and a model trained on a GPU read it 0.45 sure and drafted one handover; round 26)
    message = "how do I return a jacket that doesn't fit?"
    context, drafted = reader.read(message)
    assert context.startswith(f"Customer: {message}\nRead: ")
    first, second = list(drafted)[:2]
    pair = {"context": f"Customer: {message}", "chosen": second, "rejected": first, "margin": 1.0}
    converted, outcome = reader.convert(pair)
    assert outcome == "kept" and converted["context"] == context
    assert converted["chosen"] == tagged_reply(drafted[second], second)
    assert converted["rejected"] == tagged_reply(drafted[first], first)
    # a template's wording with other slot values is still that template (the knowledge base's patterns)
    refund = "Refunds go back to the original payment method: cards take 5-7 business days"
    named = [a.id for a in bot.kb.answers if a.text.startswith(refund[:40])]
    if named:
        text = next(a.text for a in bot.kb.answers if a.id == named[0])
        assert reader.template_of(text, {}, None) == named[0]
    # another company's name does not change a draft's shape
    other = "my Amazon order is 3 days late and tracking hasn't moved"
    _, drafts = reader.read(other)
    amazon = next(t for t, name in drafts.items() if name == "off_topic.other_company_order")
    assert reader.template_of(amazon.replace("Amazon", "Etsy"), {}, None) == "off_topic.other_company_order"
    assert shape(amazon) == shape(amazon.replace("Amazon", "Etsy"))
    # left out, and why
    assert reader.convert({**pair, "chosen": "Our pizza menu has many toppings."}) == \
        (None, "a reply's template not found")
    assert reader.convert({**pair, "context": f"Customer: hi\nAgent: hello\nCustomer: {message}"}) == \
        (None, "not one customer message")
    # a hunt pair keeps the templates it names
    kept, _ = reader.convert({**pair, "chosen_template": "x.y", "rejected_template": "z.w"})
    assert kept["chosen"].startswith("[x.y] ") and kept["rejected"].startswith("[z.w] ")
    # --ranks: each reply's place among today's drafts (its template's first), "#-" for one not drafted today
    ranked = PairReader(bot, ranks=True)
    converted, _ = ranked.convert(pair)
    places = {}
    for place, name in enumerate(drafted.values(), 1):
        places.setdefault(name, place)
    assert converted["chosen"] == tagged_reply(drafted[second], second, places[drafted[second]])
    assert converted["rejected"] == tagged_reply(drafted[first], first, 1)
    kept, _ = ranked.convert({**pair, "chosen_template": "x.y"})
    assert kept["chosen"].startswith("[#- x.y] ")


def test_labelled_messages_expect_an_answer_of_their_intent(make_bot, tmp_path):
    """hunt_pairs --labelled: the store's labelled messages become "expect" rows over their intent's answers."""
    from training.reward.hunt_pairs import build, labelled_rows

    bot = make_bot(policy="first")
    path = tmp_path / "labelled.jsonl"
    path.write_text(json.dumps({"text": "has my parcel shipped yet? I ordered last week", "intent": "track_order"}) + "\n")
    rows = labelled_rows(path, bot.kb)
    assert rows[0]["expect"] == [a.id for a in bot.kb.intent("track_order").answers]
    pairs = build(bot, rows, per_message=2, progress=False)
    assert pairs and all(p["chosen_template"].startswith("track_order.") for p in pairs)
    assert all(not p["rejected_template"].startswith("track_order.") for p in pairs)
    path.write_text(json.dumps({"text": "hi", "intent": "no_such_intent"}) + "\n")
    with pytest.raises(ValueError, match="no_such_intent"):
        labelled_rows(path, bot.kb)


@pytest.fixture(scope="module")
def reading_model(tiny_base, tmp_path_factory):
    """A tiny tracker-reading reward model trained on converted pairs: the late parcel's answers above the rest."""
    from training.reward.train import RewardTrainConfig, train

    tmp = tmp_path_factory.mktemp("reading")
    base = tiny_base
    pairs = tmp / "pairs.jsonl"
    rows = []
    for n in range(40):
        rows.append({"context": f"Customer: parcel {n} is late\nRead: delivery_delayed 0.9{n % 10}, track_order 0.05 "
                                "| facts: parcel_late",
                     "chosen": tagged_reply("delivery_delayed.ask_id", "Sorry it's late. What's the order number?"),
                     "rejected": tagged_reply("praise.short", "Thanks, that's so kind!"), "margin": 2.0})
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(ValueError, match="--reads-tracker"):  # other sources have no reading in them
        train(RewardTrainConfig(model_name_or_path=base, output_dir=str(tmp / "no"), mix="seed=1,ratings=1",
                                ratings_file=str(pairs), reads_tracker=True, skip_eval=True))
    with pytest.raises(ValueError, match="--reads-rank needs --reads-tracker"):
        train(RewardTrainConfig(model_name_or_path=base, output_dir=str(tmp / "no"), mix="ratings=1",
                                ratings_file=str(pairs), reads_rank=True, skip_eval=True))
    out = tmp / "model"
    card = train(RewardTrainConfig(model_name_or_path=base, output_dir=str(out), max_steps=16,
                                   per_device_train_batch_size=8, learning_rate=5e-3, freeze_layers=-1,
                                   mix="ratings=1", ratings_file=str(pairs), reads_tracker=True, skip_eval=True,
                                   logging_steps=8))
    assert card["encoding"]["reads_tracker"] is True
    return out


def test_bot_feeds_a_reading_model_the_reading_and_the_template_names(reading_model, make_bot):
    model = RewardModel.load(reading_model)
    assert model.reads_tracker
    bot = make_bot(reward_model=str(reading_model))
    turn = bot.reply("s1", "my parcel is a week late, order 10003")
    state = DialogueState("again")
    bot.tracker.update(state, "my parcel is a week late, order 10003")
    context = reward_context(state, bot.tracker.intent_ids)
    assert "\nRead: " in context
    expected = model.score([(context, tagged_reply(c.template_name, c.text)) for c in turn.candidates])
    assert [c.reward for c in turn.candidates] == pytest.approx(expected, abs=1e-4)
    plain = model.score([("Customer: my parcel is a week late, order 10003", c.text) for c in turn.candidates])
    assert plain != pytest.approx(expected, abs=1e-4)  # the reading and the names change what it sees


def test_a_rank_reading_model_is_fed_each_candidates_place_among_the_drafts(reading_model, make_bot, tmp_path):
    """A card that says reads_rank: the bot puts "#1", "#2", ... (the drafter's order) in front of each template name."""
    import shutil

    ranked = tmp_path / "ranked"
    shutil.copytree(reading_model, ranked)
    card = json.loads((ranked / "reward_card.json").read_text())
    card["encoding"]["reads_rank"] = True  # as `--reads-rank` writes it; the weights are the same
    (ranked / "reward_card.json").write_text(json.dumps(card))
    model = RewardModel.load(ranked)
    assert model.reads_rank and not RewardModel.load(reading_model).reads_rank
    bot = make_bot(reward_model=str(ranked))
    message = "my parcel is a week late, order 10003"
    turn = bot.reply("r1", message)
    state = DialogueState("again")
    bot.tracker.update(state, message)
    context = reward_context(state, bot.tracker.intent_ids)
    fed = [(context, tagged_reply(c.template_name, c.text, rank)) for rank, c in enumerate(turn.candidates, 1)]
    assert fed[0][1].startswith("[#1 ") and len(fed) > 1
    assert [c.reward for c in turn.candidates] == pytest.approx(model.score(fed), abs=1e-4)


def test_bench_misfires_serves_best_of_n_by_a_reward_model(reading_model, make_bot, tmp_path):
    """`rlcs bench misfires --reward-model DIR`: the hunts scored with the model's picks instead of rank 1."""
    from ui.cli import main as rlcs

    messages = ["my parcel is a week late, order 10003", "thank you so much, the towels are lovely"]
    bot = make_bot(reward_model=str(reading_model), policy="best_of_n")
    picks = [bot.reply(f"p{n}", m) for n, m in enumerate(messages)]
    picked = [t.candidates[t.chosen].template_name for t in picks]
    rows = tmp_path / "hunt.jsonl"
    rows.write_text("".join(json.dumps({"id": f"x{n}", "hunt": 99, "situation": "s", "message": m, "expect": [p]}) + "\n"
                            for n, (m, p) in enumerate(zip(messages, picked))))
    out = tmp_path / "misfires.json"
    assert rlcs(["bench", "misfires", "--messages", str(rows), "--reward-model", str(reading_model),
                 "--scratch-db", str(tmp_path / "scratch.sqlite3"), "--output", str(out)]) == 0
    assert json.loads(out.read_text())["groups"]["hunt 99"]["hits"] == 2


def test_side_by_side_session_rates_drafts_of_several_topics_and_gives_pairs_that_name_them(tmp_path, make_bot):
    """training/reward/side_by_side.py: rank 1 and the best drafts of other intents, rated blind; the pairs name
    their templates (the candidates' sources), so read_pairs keeps them without guessing."""
    from bot.ratings.store import RatingStore
    from training.reward import side_by_side

    messages = tmp_path / "messages.jsonl"
    messages.write_text("".join(json.dumps({"id": f"m{n}", "message": m}) + "\n" for n, m in enumerate(
        ["my parcel is a week late and nobody has told me anything", "can I pay with paypal?"])))
    db = str(tmp_path / "rating.sqlite3")
    assert side_by_side.main(["make", "--messages", str(messages), "--db", db, "--session", "side"]) == 0
    store = RatingStore(db)
    rows = store.replay.query("SELECT item_id, idx, text, source FROM rating_candidates ORDER BY item_id, idx")
    by_item = {}
    for r in rows:
        by_item.setdefault(r["item_id"], []).append(r)
    bot = make_bot(policy="first")
    for item in by_item.values():
        assert 2 <= len(item) <= side_by_side.CANDIDATES
        assert all("." in r["source"] or r["source"] in ("clarify",) for r in item)  # template names, not "served"
    first = by_item["side:1"]
    state = DialogueState("again")
    bot.tracker.update(state, "my parcel is a week late and nobody has told me anything")
    assert first[0]["text"] == bot.draft(state)[0][0].text  # rank 1 comes first
    intents = [r["source"].split(".")[0] for r in first]
    assert len(set(intents[:2])) == 2  # another topic's best draft next
    for rater in ("ann", "bob"):  # rank 1 rated 5, the rest 2
        while (item := store.next_item("side", rater)) is not None:
            ranked_first = by_item[item.item_id][0]["text"]
            values = [5 if text == ranked_first else 2 for text in item.replies]
            store.submit(rater, item.item_id, scores=values, reasons=[[] if v > 2 else ["didnt_understand"]
                                                                      for v in values])
    out = tmp_path / "side.jsonl"
    assert side_by_side.main(["pairs", "--db", db, "--session", "side", "--output", str(out)]) == 0
    found = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(found) == sum(len(item) - 1 for item in by_item.values())
    assert all(p["chosen_template"] == by_item[p["item_id"]][0]["source"] and p["margin"] == 3 for p in found)
    converted, outcome = PairReader(bot).convert(found[0])
    assert outcome == "kept" and converted["chosen"].startswith(f"[{found[0]['chosen_template']}] ")


def test_side_by_side_replies_show_our_own_email_as_the_customer_would_see_it(tmp_path, make_bot):
    """Rounds 20-27's sessions masked the store's own email in replies as a customer's ("email [email] with the
    details"); raters now see it, as in `rlcs eval replies`."""
    from bot.ratings.store import RatingStore
    from training.reward import side_by_side

    messages = tmp_path / "messages.jsonl"
    messages.write_text(json.dumps({"id": "c", "message": "worst company ever, I want to make a formal complaint "
                                                           "about how I was treated"}) + "\n")
    db = str(tmp_path / "rating.sqlite3")
    assert side_by_side.main(["make", "--messages", str(messages), "--db", db, "--session", "side"]) == 0
    texts = [r["text"] for r in RatingStore(db).replay.query("SELECT text FROM rating_candidates")]
    ours = make_bot(policy="first").kb.public_details
    assert any(detail in text for text in texts for detail in ours) and not any("[email]" in t for t in texts)


def test_best_of_n_keeps_rank_one_unless_another_draft_leads_by_more_than_the_margin():
    import numpy as np

    from bot.selection.policies import best_of_n_probabilities

    rewards = np.array([1.0, 1.4, 0.2])
    assert best_of_n_probabilities(rewards).argmax() == 1  # plain best-of-N: any lead
    assert best_of_n_probabilities(rewards, margin=0.3).argmax() == 1
    assert best_of_n_probabilities(rewards, margin=0.5).argmax() == 0  # not sure enough to overrule the drafter
    assert best_of_n_probabilities(np.array([np.nan, 0.1, 0.3]), margin=5).argmax() == 2  # rank 1 unscored
    assert best_of_n_probabilities(np.array([np.nan, np.nan])).argmax() == 0


def test_a_margin_chosen_on_rated_messages_is_written_to_the_card_and_served(reading_model, make_bot, tmp_path):
    """training/reward/choose_margin.py: on a rated side-by-side session, the margin with the largest gain over rank 1;
    `--write` puts it in the card, and best_of_n serves with it (BotConfig.reward_margin overrides it)."""
    import shutil

    from bot.ratings.store import RatingStore
    from training.reward import choose_margin, side_by_side

    model = tmp_path / "model"
    shutil.copytree(reading_model, model)
    messages = tmp_path / "messages.jsonl"
    texts = ["thank you so much, the towels are lovely", "can I pay with paypal?"]
    messages.write_text("".join(json.dumps({"id": f"m{n}", "message": m}) + "\n" for n, m in enumerate(texts)))
    db = str(tmp_path / "rating.sqlite3")
    assert side_by_side.main(["make", "--messages", str(messages), "--db", db, "--session", "side"]) == 0
    store = RatingStore(db)
    for rater in ("ann", "bob"):  # rank 1 rated 4 and every other reply 2: any swap loses
        while (item := store.next_item("side", rater)) is not None:
            first = store.replay.query("SELECT text FROM rating_candidates WHERE item_id=? AND idx=0",
                                       (item.item_id,))[0]["text"]
            store.submit(rater, item.item_id, scores=[4 if t == first else 2 for t in item.replies],
                         reasons=[[] if t == first else ["not_helpful"] for t in item.replies])
    items = choose_margin.rated_items(db, "side")
    assert [i["message"] for i in items] == texts and all(max(i["means"].values()) == 4 for i in items)
    out = tmp_path / "margin.json"
    assert choose_margin.main(["--reward-model", str(model), "--db", db, "--session", "side", "--write",
                               "--output", str(out)]) == 0
    result = json.loads(out.read_text())
    plain, chosen = result["plain_best_of_n"], result["chosen"]
    assert plain["margin"] == 0 and plain["total_gain"] == -2 * plain["swaps"]  # each swap: 2 below rank 1
    assert chosen["swaps"] == 0 and chosen["total_gain"] == 0  # so the chosen margin overrules nothing
    card = json.loads((model / "reward_card.json").read_text())
    assert card["best_of_n_margin"] == chosen["margin"] and card["best_of_n_margin_chosen_on"]["session"] == "side"
    served = make_bot(reward_model=str(model), policy="best_of_n")
    assert served.current_policy().margin == chosen["margin"]
    plain_bot = make_bot(reward_model=str(model), policy="best_of_n", reward_margin=0.0)
    assert all(served.reply(f"a{n}", t).chosen == 0 for n, t in enumerate(texts))
    assert sum(plain_bot.reply(f"b{n}", t).chosen != 0 for n, t in enumerate(texts)) == plain["swaps"]


def test_kept_ratings_hold_no_message_text_and_give_back_the_sessions_pairs(tmp_path):
    """training/reward/kept_ratings.py: a rated side-by-side session kept as message ids, template names and scores
    (a committable file: no customer's words), and the same pairs rebuilt from it by drafting again."""
    from bot.ratings.store import RatingStore
    from training.intents.bench_misfires import HUNT_FILE, read_rows
    from training.reward import kept_ratings, side_by_side

    rows = [r for r in read_rows(HUNT_FILE) if r["id"] in ("h4-1", "h43-1")]
    messages = tmp_path / "messages.jsonl"
    messages.write_text("".join(json.dumps({"id": r["id"], "message": r["message"]}) + "\n" for r in rows))
    db = str(tmp_path / "rating.sqlite3")
    assert side_by_side.main(["make", "--messages", str(messages), "--db", db, "--session", "side"]) == 0
    store = RatingStore(db)
    for rater, low in (("ann", 2), ("bob", 1)):  # rank 1 rated 5, the rest low
        while (item := store.next_item("side", rater)) is not None:
            first = store.replay.query("SELECT text FROM rating_candidates WHERE item_id=? AND idx=0",
                                       (item.item_id,))[0]["text"]
            store.submit(rater, item.item_id, scores=[5 if t == first else low for t in item.replies],
                         reasons=[[] if t == first else ["not_helpful"] for t in item.replies])
    kept = tmp_path / "kept.jsonl"
    assert kept_ratings.main(["keep", "--db", db, "--session", "side", "--output", str(kept)]) == 0
    text = kept.read_text()
    assert all(r["message"][:30] not in text for r in rows) and '"h4-1"' in text and '"ann": 5' in text
    assert kept_ratings.main(["pairs", "--kept", str(kept), "--output", str(tmp_path / "again.jsonl")]) == 0
    assert side_by_side.main(["pairs", "--db", db, "--session", "side", "--output", str(tmp_path / "side.jsonl")]) == 0
    again, side = ([json.loads(line) for line in (tmp_path / name).read_text().splitlines()]
                   for name in ("again.jsonl", "side.jsonl"))
    assert again and {(p["chosen"], p["rejected"], p["margin"]) for p in again} == \
        {(p["chosen"], p["rejected"], p["margin"]) for p in side}
    with pytest.raises(SystemExit):  # a session that isn't there: one line, no traceback
        kept_ratings.main(["keep", "--db", db, "--session", "nope", "--output", str(tmp_path / "x.jsonl")])
