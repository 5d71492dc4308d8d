"""`rlcs train drafter`: SFT then GRPO on tiny models (2 steps each), the rewards, the data."""
from __future__ import annotations

import json

import pytest
import needs  # tests/needs.py: skips when the shared reference data is missing

torch = pytest.importorskip("torch")
pytest.importorskip("trl")

try:
    from tests.test_generative import tiny_lm
except ImportError:  # pytest's default rootdir-less import mode
    from test_generative import tiny_lm


@pytest.fixture(scope="module")
def kb():
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR

    return KnowledgeBase.load(STORE_DIR)


def tiny_reward_model(path):
    """A 1-output MiniLM-tokenised BERT classifier, as `rlcs train reward` saves one (untrained: scores are noise)."""
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from bot.encoder import default_encoder_path

    tokenizer = AutoTokenizer.from_pretrained(default_encoder_path())
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=1)
    BertForSequenceClassification(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return str(path)


@needs.bitext
def test_data_is_grounded_and_split_like_the_reward_model(kb):
    from training.drafter.data import bitext_records, fill_bitext, first_sentences, store_records
    from training.reward.data import DataPaths

    bitext = DataPaths().path("bitext")
    train, test = bitext_records(kb, bitext, "train", limit=50), bitext_records(kb, bitext, "test", limit=50)
    assert train and test and not {r["context"] for r in train} & {r["context"] for r in test}
    assert all("{{" not in r["reply"] and len(r["reply"]) <= 320 for r in train + test)
    assert fill_bitext("Call {{Customer Support Phone Number}} or use {{Live Chat}}.", kb.store) == \
        f"Call {kb.store['support_phone']} or use Live Chat."
    assert fill_bitext("Your order {{Order Number Anonymized}} shipped.", kb.store) is None  # unknowable value
    assert first_sentences("Sure! Here is how. Follow these steps: 1. Log in. 2. Click.") == "Sure! Here is how."
    store = store_records(kb, __import__("bot.shop.paths", fromlist=["STORE_DIR"]).STORE_DIR / "orders.csv")
    tracked = [r for r in store if r["intent"] == "track_order" and json.loads(r["order"])]
    assert tracked, "order-status answers are filled from real orders"
    r = tracked[0]
    order = json.loads(r["order"])
    assert order["order_id"] in r["reply"] and order["order_id"] in r["messages"][0]["content"]
    assert kb.intent("track_order").passage in r["messages"][0]["content"] and r["messages"][1]["role"] == "user"


def test_kb_consistency_reward(kb):
    from bot.drafting.guard import Guard
    from training.drafter.train import kb_consistency_score

    guard = Guard(kb.store)
    facts = kb.intent("refund_policy").passage
    context = "Customer: how long do refunds take?"
    grounded = kb_consistency_score("Refunds go back to your original payment method.", facts, context, None, guard)
    off_topic = kb_consistency_score("Our penguins enjoy jazz saxophone concerts.", facts, context, None, guard)
    invented = kb_consistency_score("Refunds go back to your original payment method within 99 days.", facts, context, None, guard)
    forbidden = kb_consistency_score("I've issued a refund of $40 to your card.", facts, context, None, guard)
    assert grounded > invented > off_topic >= 0 and forbidden == -1.0
    assert kb_consistency_score("", facts, context, None, guard) == -1.0


@needs.bitext
def test_sft_then_grpo_on_a_tiny_model(kb, tmp_path):
    from ui.cli import main
    from bot.drafting.generative import GenerativeDrafter
    from bot.dialogue.state import DialogueState

    tiny_lm("qwen2", tmp_path / "base")
    sft = tmp_path / "sft"
    code = main(["train", "drafter", "--stage", "sft", "--model-name-or-path", str(tmp_path / "base"),
                 "--output-dir", str(sft), "--max-steps", "2", "--max-examples", "16", "--bitext-limit", "40",
                 "--per-device-train-batch-size", "2", "--train-layers", "1", "--logging-steps", "1"])
    assert code == 0
    card = json.loads((sft / "drafter_card.json").read_text())
    assert card["stage"] == "sft" and card["metrics"]["train_loss"] > 0 and card["metrics"]["heldout_loss"] > 0
    assert len(card["data"]["bitext"]["sha256"]) == 64 and card["data"]["examples"] == 16 and card["data"]["examples_used"] == 4
    assert (sft / "model.safetensors").exists() and list((sft / "logs").rglob("events.out.tfevents*"))
    # the tiny model's 2 blocks: only the top one (and the final norm) trained
    from safetensors.torch import load_file

    before, after = load_file(tmp_path / "base" / "model.safetensors"), load_file(sft / "model.safetensors")
    assert torch.equal(before["model.layers.0.mlp.up_proj.weight"], after["model.layers.0.mlp.up_proj.weight"])
    assert not torch.equal(before["model.layers.1.mlp.up_proj.weight"], after["model.layers.1.mlp.up_proj.weight"])

    grpo = tmp_path / "grpo"
    code = main(["train", "drafter", "--stage", "grpo", "--model-name-or-path", str(sft), "--output-dir", str(grpo),
                 "--max-steps", "2", "--max-examples", "8", "--bitext-limit", "40", "--num-generations", "2",
                 "--per-device-train-batch-size", "2", "--max-completion-length", "8", "--train-layers", "0",
                 "--reward-model", tiny_reward_model(tmp_path / "rm"), "--logging-steps", "1"])
    assert code == 0
    card = json.loads((grpo / "drafter_card.json").read_text())
    assert card["stage"] == "grpo" and card["data"]["reward_model"].endswith("rm")
    assert card["trl_args"]["num_generations"] == 2
    logged = card["metrics"]["reward_history"]
    assert len(logged) == 2 and {"rewards/kb_consistency/mean", "rewards/satisfaction/mean"} <= set(logged[0])

    # the trained checkpoint serves: candidates from one generate call
    drafter = GenerativeDrafter.from_pretrained(str(grpo), kb, max_new_tokens=8, seed=0)
    state = DialogueState("s", history=[("customer", "where is my order?")], intent="track_order")
    assert all(c.source == "generative" for c in drafter.draft(state, 3))


def test_bad_input_is_a_clear_error(tmp_path):
    from training.drafter.train import DrafterTrainConfig, train

    with pytest.raises(FileNotFoundError, match="no SFT checkpoint"):
        train(DrafterTrainConfig(stage="grpo", model_name_or_path=str(tmp_path / "missing")))
    with pytest.raises(ValueError, match="max-steps"):
        train(DrafterTrainConfig(max_steps=0))
