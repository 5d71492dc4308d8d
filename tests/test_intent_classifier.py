"""The fine-tuned intent classifier: it learns, calibrates, saves whole, refuses a damaged file, and serves a store."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from bot import Bot, BotConfig
from bot.dialogue.intent_classifier import FORMAT, HEAD, FineTunedIntentModel, is_fine_tuned
from bot.dialogue.intent_training import load_intent_model
from bot.encoder import default_encoder_path
from bot.shop.paths import STORE_DIR

# Our own tiny three-intent world; the fine-tuning is the same code that trains the store's model.
MESSAGES = {
    "track": ["where is my parcel", "has my order shipped", "any update on delivery", "when will my box arrive",
              "tracking says nothing", "is my package on the way", "order still not here", "where's my stuff"],
    "refund": ["I want my money back", "refund please", "when do I get refunded", "give me a refund for the shoes",
               "money back for the jacket", "can I get a refund", "refund still not in my bank", "return for a refund"],
    "hello": ["hi there", "hello", "good morning", "hey", "hiya", "hello anyone there", "hi team", "morning all"],
}


@pytest.fixture(scope="module")
def fitted():
    ids = list(MESSAGES)
    texts, labels = [], []
    for label, intent in enumerate(ids):
        texts += MESSAGES[intent][:6]
        labels += [label] * 6
    held = [(t, ids.index(i)) for i in ids for t in MESSAGES[i][6:]]
    model = FineTunedIntentModel.fit(ids, texts, labels, [t for t, _ in held], [y for _, y in held],
                                     default_encoder_path(), epochs=8, batch_size=6, seed=0, progress=False)
    return model, held


def test_fine_tuning_learns_the_intents_and_calibrates(fitted):
    model, held = fitted
    probs = model.probabilities_of_texts([t for t, _ in held])
    assert probs.shape == (len(held), 3) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs.argmax(axis=1) == [y for _, y in held]).mean() >= 5 / 6
    card = model.card["held_out"]
    assert card["messages"] == 6 and card["temperature"] > 0 and card["expected_calibration_error"] < 0.5
    assert model.card["training"]["steps"] == 24  # 18 messages / 6 per batch * 8 passes


def test_a_saved_model_loads_with_the_same_readings(fitted, tmp_path):
    model, held = fitted
    model.save(tmp_path / "m")
    assert is_fine_tuned(tmp_path / "m") and json.loads((tmp_path / "m" / "card.json").read_text())["format"] == FORMAT
    again = load_intent_model(tmp_path / "m")
    texts = [t for t, _ in held]
    assert isinstance(again, FineTunedIntentModel)
    assert np.allclose(again.probabilities_of_texts(texts), model.probabilities_of_texts(texts), atol=1e-5)
    assert np.allclose(again.read(texts[0]), model.probabilities_of_texts(texts[:1])[0], atol=1e-5)


def test_sessions_reading_at_once_get_what_one_at_a_time_gets(fitted):
    """The chat server reads several sessions' messages at once: sixteen threads get the readings one thread gets."""
    from concurrent.futures import ThreadPoolExecutor

    model, _ = fitted
    texts = [t for intent in MESSAGES.values() for t in intent] * 3
    alone = [model.read(t) for t in texts]
    with ThreadPoolExecutor(max_workers=16) as pool:
        together = list(pool.map(model.read, texts))
    assert all(np.allclose(a, b, atol=1e-5) for a, b in zip(alone, together))


def test_a_damaged_head_is_refused(fitted, tmp_path):
    model, _ = fitted
    model.save(tmp_path / "m")
    head = tmp_path / "m" / HEAD
    data = bytearray(head.read_bytes())
    data[-3] ^= 0xFF
    head.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="sha256"):
        load_intent_model(tmp_path / "m")


def test_a_model_for_other_intents_is_refused_by_the_tracker(fitted, tmp_path):
    model, _ = fitted
    model.save(tmp_path / "m")
    with pytest.raises(ValueError, match="intents"):
        Bot(BotConfig(db_path=str(tmp_path / "r.sqlite3"), intent_model=str(tmp_path / "m"), policy="first"))


def test_rlcs_train_intents_fine_tunes_a_store_model_the_bot_serves(tmp_path):
    """A small store of our own (three of the demo store's intents, their examples only): the command fine-tunes,
    shows its progress, writes a card, and a bot on that store reads messages with it."""
    store = tmp_path / "store"
    shutil.copytree(STORE_DIR, store, ignore=shutil.ignore_patterns("intent_model", "intent_training_messages.jsonl"))
    kb = json.loads((store / "knowledge_base.json").read_text())
    kb["intents"] = [i for i in kb["intents"] if i["id"] in ("track_order", "refund_status", "greeting")]
    (store / "knowledge_base.json").write_text(json.dumps(kb))
    done = subprocess.run([sys.executable, "-m", "ui.cli", "train", "intents", "--store-dir", str(store), "--no-bitext",
                           "--epochs", "1", "--cache-dir", str(tmp_path / "cache")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "fine-tuning" in done.stdout and "held-out accuracy" in done.stdout
    assert "step" in done.stderr  # the progress bar
    assert is_fine_tuned(store / "intent_model")
    bot = Bot(BotConfig(db_path=str(tmp_path / "r.sqlite3"), store_dir=str(store), cache_dir=str(tmp_path / "cache"),
                        policy="first"))
    assert isinstance(bot.tracker.intent_model, FineTunedIntentModel)
    assert bot.reply("s", "where is my parcel, it hasn't come").intent == "track_order"
