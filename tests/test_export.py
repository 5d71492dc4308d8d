"""`rlcs export`: exact reward pairs and KTO rows from a real replay buffer with ratings and thumbs,
turns as a Dataset, and the reward-model data builder reading the export."""
from __future__ import annotations

import json

import pytest

from bot.candidate import Candidate, Turn
from ui.cli import main
from bot.ratings.store import RatingStore
from bot.storage.replay_buffer import ReplayBuffer

CONTEXT = "Customer: hello\nAgent: hi!\nCustomer: where is my order?"


def _log(replay, turn_id, texts, chosen=0, user="where is my order?"):
    cands = [Candidate(text=t, source=f"src{i}", score=1.0 - 0.1 * i, propensity=1 / len(texts))
             for i, t in enumerate(texts)]
    replay.log_turn(Turn(turn_id=turn_id, session_id=f"s-{turn_id}", text=texts[chosen], chosen=chosen,
                         candidates=cands, intent="track_order", policy_version="v1", latency_ms={"total": 1.0}),
                    user, [("customer", "hello"), ("bot", "hi!")], turn_index=1)


@pytest.fixture
def db(tmp_path):
    """Three served turns in one context (two thumbed), one in another, and a rated session of two items."""
    path = tmp_path / "replay.sqlite3"
    replay = ReplayBuffer(path)
    _log(replay, "t1", ["It shipped today.", "No idea."])
    _log(replay, "t2", ["No idea.", "It shipped today."])
    _log(replay, "t3", ["Please share the order number."])
    _log(replay, "t4", ["We ship worldwide."], user="do you ship abroad?")
    replay.add_feedback("t1", 1)
    replay.add_feedback("t2", -1, reason="not_helpful")
    replay.add_feedback("t4", -1, reason="wrong_info")
    store = RatingStore(replay)
    store.create_session("pilot", [
        {"context": [["customer", "Where is 10021?"]], "candidates": [
            {"text": "good", "source": "retrieval"}, {"text": "meh", "source": "generative"},
            {"text": "bad", "source": "generative"}]},
        {"context": [["customer", "Refund?"]], "candidates": [
            {"text": "same1", "source": "retrieval"}, {"text": "same2", "source": "generative"}]},
    ])
    scores = {"ann": {"good": 5, "meh": 3, "bad": 1, "same1": 4, "same2": 4},
              "bob": {"good": 4, "meh": 4, "bad": 2, "same1": 3, "same2": 3}}
    for rater, opinion in scores.items():
        while (item := store.next_item("pilot", rater)) is not None:
            values = [opinion[t] for t in item.replies]
            store.submit(rater, item.item_id, scores=values, reasons=[["wrong_info"] if v <= 2 else [] for v in values])
    return path


def _jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_export_reward_pairs_exact(db, tmp_path, capsys):
    out = tmp_path / "reward.jsonl"
    assert main(["export", "--format", "reward", "--db", str(db), "--output", str(out)]) == 0
    assert "wrote 4 reward rows (3 from rating, 1 from thumbs)" in capsys.readouterr().out
    rating = {"origin": "rating", "session_id": "pilot", "item_id": "pilot:1", "raters": 2,
              "context": "Customer: Where is 10021?"}
    assert _jsonl(out) == [  # mean ratings good 4.5, meh 3.5, bad 1.5; item 2 is a tie and gives nothing
        {**rating, "chosen": "good", "rejected": "meh", "margin": 1.0, "chosen_source": "retrieval",
         "rejected_source": "generative"},
        {**rating, "chosen": "good", "rejected": "bad", "margin": 3.0, "chosen_source": "retrieval",
         "rejected_source": "generative"},
        {**rating, "chosen": "meh", "rejected": "bad", "margin": 2.0, "chosen_source": "generative",
         "rejected_source": "generative"},
        {"context": CONTEXT, "chosen": "It shipped today.", "rejected": "No idea.", "margin": 1.0, "origin": "thumbs",
         "session_id": None, "item_id": "t1>t2", "raters": 1, "chosen_source": None, "rejected_source": None},
    ]
    assert main(["export", "--format", "reward", "--db", str(db), "--output", str(out), "--no-thumbs",
                 "--min-margin", "1.5"]) == 0
    assert [(r["chosen"], r["rejected"]) for r in _jsonl(out)] == [("good", "bad"), ("meh", "bad")]


def test_export_kto_rows_exact(db, tmp_path):
    out = tmp_path / "kto.jsonl"
    assert main(["export", "--format", "kto", "--db", str(db), "--output", str(out)]) == 0
    assert _jsonl(out) == [
        {"prompt": CONTEXT, "completion": "It shipped today.", "label": True, "origin": "thumbs", "id": "t1"},
        {"prompt": CONTEXT, "completion": "No idea.", "label": False, "origin": "thumbs", "id": "t2"},
        {"prompt": "Customer: hello\nAgent: hi!\nCustomer: do you ship abroad?", "completion": "We ship worldwide.",
         "label": False, "origin": "thumbs", "id": "t4"},
    ]
    assert main(["export", "--format", "kto", "--db", str(db), "--output", str(out), "--include-ratings"]) == 0
    # mean scores good 4.5 (desirable), meh 3.5 and same1/same2 3.5 (unclear: left out), bad 1.5 (undesirable)
    assert [(r["completion"], r["label"], r["id"]) for r in _jsonl(out) if r["origin"] == "rating"] == [
        ("good", True, "pilot:1/0"), ("bad", False, "pilot:1/2")]


def test_export_turns_as_dataset_and_jsonl(db, tmp_path):
    from datasets import load_from_disk

    assert main(["export", "--db", str(db), "--output", str(tmp_path / "turns")]) == 0
    ds = load_from_disk(str(tmp_path / "turns"))
    assert len(ds) == 4 and ds[0]["candidates"] == ["It shipped today.", "No idea."] and ds[1]["thumb"] == -1
    assert main(["export", "--format", "turns", "--db", str(db), "--output", str(tmp_path / "turns.jsonl")]) == 0
    assert [r["turn_id"] for r in _jsonl(tmp_path / "turns.jsonl")] == ["t1", "t2", "t3", "t4"]


def test_export_errors_are_clear(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "no replay buffer at" in capsys.readouterr().err
    empty = tmp_path / "empty.sqlite3"
    ReplayBuffer(empty)
    for fmt, message in (("turns", "holds no logged turns"), ("reward", "no reward pairs"), ("kto", "no KTO rows")):
        assert main(["export", "--format", fmt, "--db", str(empty), "--output", str(tmp_path / f"x-{fmt}.jsonl")]) == 1
        assert message in capsys.readouterr().err
        assert not (tmp_path / f"x-{fmt}.jsonl").exists()  # nothing half-written


def test_reward_builder_reads_the_export(db, tmp_path):
    """The reward model's ratings source (training/reward/sources/ratings.py) takes the file as it is."""
    from training.reward.sources.ratings import pairs

    out = tmp_path / "reward.jsonl"
    assert main(["export", "--format", "reward", "--db", str(db), "--output", str(out)]) == 0
    read = pairs(out, "train") + pairs(out, "test")
    assert sorted((p["chosen"], p["rejected"], p["margin"]) for p in read) == sorted(
        (r["chosen"], r["rejected"], r["margin"]) for r in _jsonl(out))
    assert all(p["chosen_context"].startswith("Customer: ") for p in read)
