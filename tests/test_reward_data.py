"""Reward-model data builders: real files in tmp_path, errors that name the file and the line."""
import json
from pathlib import Path

import pytest

from training.reward.data import DataPaths, build_mixture, parse_mix, split_of
from training.reward.sources import bitext, mwoz, ratings, seed, stc3
from training.shared_data import shared_data_dir

SHARED = shared_data_dir()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_mwoz_parses_turns_majority_and_reply(tmp_path):
    f = write(tmp_path / "MWOZ.txt", "\nUSER\thi, a cheap hotel please\tHotel-Inform\t3,3,2\n"
                                      "SYSTEM\tnone found\tHotel-NoOffer\t\n"
                                      "USER\tthat is bad\t\t2,2,3,3\n"
                                      "USER\tOVERALL\t\t2,3,3\n\n"
                                      "USER\tbook a train\t\t4,4,5\n")
    items = mwoz.load(f)
    assert [i.label for i in items] == [3, 2, 3, 4]  # majority; a 2-2 tie goes to the lower rating
    assert items[0].reply == "" and items[1].reply == "none found"
    assert items[1].context == "Customer: hi, a cheap hotel please"
    assert items[2].overall and items[2].reply == "" and items[2].context.endswith("Customer: that is bad")
    assert items[3].dialogue == 1 and items[3].reply == "" and items[3].context == ""


@pytest.mark.parametrize("line, message", [
    ("USER\tno ratings column\n", "expected 4 tab-separated fields"),
    ("USER\tbad\t\t3,x\n", "comma-separated integers"),
    ("USER\tout of range\t\t3,7\n", "ratings must be 1-5"),
    ("BOT\twho\t\t\n", "role must be USER or SYSTEM"),
])
def test_mwoz_errors_name_file_and_line(tmp_path, line, message):
    f = write(tmp_path / "MWOZ.txt", "\nUSER\tfine\t\t3,3\n" + line)
    with pytest.raises(ValueError, match=rf"MWOZ.txt:3: .*{message}"):
        mwoz.load(f)


@pytest.mark.skipif(not (SHARED / "uss" / "MWOZ.txt").exists(), reason="shared USS data not present")
def test_mwoz_splits_follow_uss_folds_without_leaks():
    items = mwoz.load(SHARED / "uss" / "MWOZ.txt")
    assert len(items) == 12553  # 11,553 rated turns + 1,000 OVERALL lines, as the USS code reads them
    test, dev, train = (mwoz.split(items, s) for s in ("test", "dev", "train"))
    assert test == items[:1255] and dev == items[1255:2510]
    assert not {i.dialogue for i in train} & {i.dialogue for i in test + dev}


def test_stc3_mean_satisfaction_and_errors(tmp_path):
    good = [{"id": "d1", "turns": [{"sender": "customer", "utterances": ["my bill is wrong"]},
                                   {"sender": "helpdesk", "utterances": ["Sorry, ", "we fixed it."]},
                                   {"sender": "customer", "utterances": ["thanks"]}],
             "annotations": [{"quality": {"A": 1, "S": s, "E": 0}, "nugget": []} for s in (2, 1, 0)]}]
    dialogues = stc3.load(write(tmp_path / "ok.json", json.dumps(good, indent=2)))
    assert dialogues[0].reply == "Sorry, we fixed it." and dialogues[0].satisfaction == 1.0
    assert dialogues[0].context == "Customer: my bill is wrong"
    bad = json.loads(json.dumps(good))
    bad[0]["annotations"][1]["quality"]["S"] = 5
    path = write(tmp_path / "bad.json", json.dumps(bad, indent=2))
    with pytest.raises(ValueError, match=r"bad.json:3: dialogue d1 has satisfaction scores outside"):
        stc3.load(path)
    with pytest.raises(ValueError, match=r"broken.json:2: not valid JSON"):
        stc3.load(write(tmp_path / "broken.json", "[\n{,]"))


def test_bitext_errors_name_file_and_line(tmp_path):
    with pytest.raises(ValueError, match=r"a.csv:1: header lacks column\(s\) response"):
        bitext.load(write(tmp_path / "a.csv", "instruction,intent\nhi,greet\n"))
    f = write(tmp_path / "b.csv", 'instruction,intent,response\nwhere is it,track_order,"It is on\nits way"\n'
                                  "cancel it,cancel_order,\n")
    with pytest.raises(ValueError, match=r"b.csv:4: empty response"):
        bitext.load(f)


def test_jsonl_sources_errors_and_aliases(tmp_path):
    f = write(tmp_path / "seed.jsonl", '{"context": "where is my order", "chosen": "It ships today.", "rejected": "Whatever."}\n'
                                        '\n{"message": "hi", "good": "Hello! How can I help?", "bad": "What.", "margin": 1}\n')
    rows = seed.pairs(f, "train") + seed.pairs(f, "test")
    assert len(rows) == 2 and {r["chosen_context"] for r in rows} == {"Customer: where is my order", "Customer: hi"}
    for text, message in [('{"context": "x", "chosen": "a"}', "field 'rejected' must be a non-empty string"),
                          ("{not json", "not valid JSON"),
                          ('{"context": "x", "chosen": "a", "rejected": "b", "margin": -1}', "'margin' must be a number >= 0"),
                          ("[1, 2]", "expected a JSON object")]:
        bad = write(tmp_path / "ratings.jsonl", '{"context": "c", "chosen": "a", "rejected": "b", "margin": 2}\n' + text + "\n")
        with pytest.raises(ValueError, match=rf"ratings.jsonl:2: {message}"):
            ratings.pairs(bad, "train")


def test_parse_mix():
    assert parse_mix("mwoz=5, bitext=2") == {"mwoz": 5.0, "bitext": 2.0}
    for text in ("mwoz", "foo=1", "mwoz=x", "mwoz=-1", "mwoz=0"):
        with pytest.raises(ValueError):
            parse_mix(text)


def test_mixture_follows_weights_and_skips_absent_sources(tmp_path):
    lines = [json.dumps({"context": f"question {i}", "chosen": f"good answer {i}", "rejected": f"bad {i}", "margin": 1})
             for i in range(60)]
    seed_file = write(tmp_path / "seed.jsonl", "\n".join(lines[:30]))
    ratings_file = write(tmp_path / "ratings.jsonl", "\n".join(lines[30:]))
    paths = DataPaths(seed_file=str(seed_file), ratings_file=str(ratings_file), replay_db=None)
    messages = []
    data, info = build_mixture({"seed": 1, "ratings": 3, "replay": 1}, 100, paths, seed=0, log=messages.append)
    assert len(data) == 100 and set(data.column_names) >= {"chosen_context", "chosen", "rejected", "margin"}
    assert info["seed"]["used_pairs"] == 25 and info["ratings"]["used_pairs"] == 75  # replay absent: its share is shared
    assert info["ratings"]["sha256"] and len(info["ratings"]["sha256"]) == 64
    with pytest.raises(FileNotFoundError, match="missing.jsonl does not exist"):
        build_mixture({"seed": 1}, 10, DataPaths(seed_file=str(tmp_path / "missing.jsonl")))


def test_replay_pairs_thumbs_up_against_down_with_csat_weight(tmp_path):
    from bot.candidate import Candidate, Turn
    from bot.storage.replay_buffer import ReplayBuffer
    from training.reward.sources import replay

    db = tmp_path / "replay.sqlite3"
    buffer = ReplayBuffer(db)
    for i in range(40):
        good = i % 2 == 0
        turn = Turn(f"t{i}", f"s{i}", "Your order ships today." if good else "No idea.", 0,
                    [Candidate("Your order ships today." if good else "No idea.", "retrieval", 0.5, 1.0)], intent="track_order")
        buffer.log_turn(turn, "where is my order?", [], 0)
        buffer.add_feedback(f"t{i}", 1 if good else -1)
        buffer.end_session(f"s{i}", 5 if good else 1, resolved=good)
    rows = replay.pairs(db, "train") + replay.pairs(db, "test")
    assert rows and all(r["chosen"] == "Your order ships today." and r["rejected"] == "No idea." for r in rows)
    assert all(r["weight"] == 2.0 for r in rows)  # CSAT 5 vs 1: the strongest weight
    assert rows[0]["chosen_context"] == "Customer: where is my order?"


def test_split_is_stable():
    assert split_of("abc") == split_of("abc")
    share = sum(split_of(f"k{i}") == "test" for i in range(2000)) / 2000
    assert 0.07 < share < 0.13


def test_thumbs_count_once_when_replay_and_ratings_are_mixed(tmp_path):
    """`rlcs export --format reward` also writes thumbs pairs; with the replay source in the mix they come
    from the replay buffer only, without it they still come from the export."""
    from bot.candidate import Candidate, Turn
    from bot.storage.replay_buffer import ReplayBuffer

    db = tmp_path / "replay.sqlite3"
    buffer = ReplayBuffer(db)
    for i in range(4):
        reply = "Your order ships today." if i % 2 == 0 else "No idea."
        buffer.log_turn(Turn(f"t{i}", f"s{i}", reply, 0, [Candidate(reply, "retrieval", 0.5, 1.0)], intent="track_order"),
                        "where is my order?", [], 0)
        buffer.add_feedback(f"t{i}", 1 if i % 2 == 0 else -1)
    rated = [{"context": f"question {i}", "chosen": f"good {i}", "rejected": f"bad {i}", "margin": 2, "origin": "rating"}
             for i in range(40)]
    thumbs = [{"context": f"question {i}", "chosen": f"liked {i}", "rejected": f"disliked {i}", "margin": 1,
               "origin": "thumbs"} for i in range(40)]
    export = write(tmp_path / "export.jsonl", "\n".join(json.dumps(r) for r in rated + thumbs))
    alone = ratings.pairs(export, "train") + ratings.pairs(export, "test")
    assert len(alone) == 80
    with_replay = DataPaths(ratings_file=str(export), replay_db=str(db))
    data, _ = build_mixture({"ratings": 1, "replay": 1}, 400, with_replay, seed=0)
    assert not any(c.startswith("liked") for c in data["chosen"])  # the export's thumbs are left to `replay`
    assert any(c == "Your order ships today." for c in data["chosen"])
    data, _ = build_mixture({"ratings": 1}, 400, DataPaths(ratings_file=str(export)), seed=0)
    assert any(c.startswith("liked") for c in data["chosen"])  # no replay source: the export's thumbs are used


def test_store_pairs_put_the_labelled_intents_reply_above_other_intents(tmp_path, make_bot):
    from bot.dialogue.state import DialogueState
    from training.reward.sources import store

    bot = make_bot()
    messages = tmp_path / "messages.jsonl"
    rows = [("where is my parcel, it has not arrived", "package_not_received"), ("how do I use a promo code", "promo_code"),
            ("my card was charged twice for one order", "double_charged"), ("can I pay with paypal", "payment_methods")]
    messages.write_text("\n".join(json.dumps({"text": t, "intent": i}) for t, i in rows) + "\n")
    built = store.pairs(messages, "train", bot=bot) + store.pairs(messages, "test", bot=bot)
    assert built and {p["source"] for p in built} == {"store"}
    for text, intent in rows:
        state = DialogueState("t")
        bot.tracker.update(state, text)
        ranked = bot.retrieval.draft(state, len(bot.kb.answers))
        gold = {c.text for c in ranked if c.meta["intent"] == intent}
        mine = [p for p in built if p["chosen_context"] == f"Customer: {text}"]
        assert mine and len(mine) % store.NEGATIVES == 0, text  # 3 negatives (twice if a rewrite came out the same)
        assert all(p["chosen"] in gold and p["rejected"] not in gold for p in mine)
    # a train / test message never lands in both splits; a broken line names the file and line
    assert not {p["chosen_context"] for p in store.pairs(messages, "train", bot=bot)} & \
        {p["chosen_context"] for p in store.pairs(messages, "test", bot=bot)}
    messages.write_text('{"text": "hi"}\n')
    with pytest.raises(ValueError, match="messages.jsonl:1"):
        store.pairs(messages, "train", bot=bot)


def test_bitext_store_pairs_answer_bitext_requests_with_our_mapped_intent(tmp_path, make_bot):
    import csv

    from bot.dialogue.state import DialogueState
    from training.reward.sources import bitext_store

    path = tmp_path / "bitext.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["instruction", "intent", "response"])
        for n in range(40):
            writer.writerow([f"i want to cancel my order number {n}", "cancel_order", "theirs"])
            writer.writerow([f"how do I place order {n}", "place_order", "theirs"])  # no clear counterpart: unused
    bot = make_bot()
    built = bitext_store.pairs(path, "train", bot=bot) + bitext_store.pairs(path, "test", bot=bot)
    assert built and {p["source"] for p in built} == {"bitext_store"}
    assert not any("place order" in p["chosen_context"] for p in built)
    state = DialogueState("t")
    bot.tracker.update(state, "i want to cancel my order number 7")
    ours = {c.text for c in bot.retrieval.draft(state, len(bot.kb.answers)) if c.meta["intent"] == "cancel_order"}
    mine = [p for p in built if p["chosen_context"] == "Customer: i want to cancel my order number 7"]
    assert mine and all(p["chosen"] in ours and p["rejected"] not in ours and p["chosen"] != "theirs" for p in mine)


def test_hunt_pairs_put_the_expected_draft_above_the_others_and_train_as_ratings(tmp_path, make_bot):
    """training/reward/hunt_pairs.py: a hunt's "expect" row gives its fitting draft over the others; a "never" row the
    best allowed draft over the ones it names; the file reads as the ratings source."""
    from training.reward import hunt_pairs

    from bot.dialogue.state import DialogueState

    bot = make_bot(policy="first")
    ours = "my Northwind order is 3 days late, tracking hasn't moved"
    state = DialogueState("drafts")
    bot.tracker.update(state, ours)
    drafted = [c.template_name for c in bot.draft(state)[0]]
    rows = [{"id": "x1", "message": "my Amazon order is 3 days late and tracking hasn't moved",
             "expect": ["off_topic.other_company_order"]},
            {"id": "x2", "message": ours, "never": [drafted[0]]},  # rank 1 forbidden: rank 2 is chosen over it
            {"id": "x3", "message": "hello", "expect": ["no.such_template"]}]  # nothing fits: no pair
    found = hunt_pairs.build(bot, rows, per_message=2, progress=False)
    assert {p["hunt_id"] for p in found} == {"x1", "x2"} and all(p["chosen"] != p["rejected"] for p in found)
    assert all(p["chosen_template"] == "off_topic.other_company_order" != p["rejected_template"]
               for p in found if p["hunt_id"] == "x1")
    assert [(p["chosen_template"], p["rejected_template"]) for p in found if p["hunt_id"] == "x2"] == \
        [(drafted[1], drafted[0])]
    assert sum(p["hunt_id"] == "x1" for p in found) == 2  # --per-message caps the rejected drafts
    out = tmp_path / "hunt-pairs.jsonl"
    out.write_text("".join(json.dumps(p) + "\n" for p in found))
    read = ratings.pairs(out, "train") + ratings.pairs(out, "test")
    assert len(read) == len(found) and read[0]["chosen_context"].startswith("Customer: ")
