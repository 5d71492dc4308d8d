"""GenerativeDrafter on tiny Qwen2, Llama, GPT-2 and T5 models built from configs (no download).

The models are untrained, so what they say is noise; the tests check the real code path: the grounded
prompt through each model's chat template, one batched generate, cleaning, de-duplication, scoring,
and the Bot serving hybrid candidates that the guard and the replay buffer see.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

CHATML = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
          "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
LLAMA3 = ("<|begin_of_text|>{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
          "{{ m['content'] }}<|eot_id|>{% endfor %}{% if add_generation_prompt %}"
          "<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}")
SPECIALS = ["<|endoftext|>", "<pad>", "<|im_start|>", "<|im_end|>", "<|begin_of_text|>", "<|start_header_id|>",
            "<|end_header_id|>", "<|eot_id|>"]
CORPUS = [
    "Customer: where is my order 10001? Agent: Order 10001 is on its way with UPS.",
    "You are a customer-support agent for Northwind Threads. Reply in one to three short sentences.",
    "Returns are accepted within 30 days. Refunds take 5-7 business days. Thanks for your patience!",
    "system user assistant Facts: The customer's order: order_id item status shipped delivered carrier",
]


def kb_texts() -> list[str]:
    """The demo store's passages and answers: a tokenizer trained on them keeps test prompts short."""
    from bot.shop.paths import STORE_DIR

    raw = json.loads((STORE_DIR / "knowledge_base.json").read_text())
    return [t for i in raw["intents"] for t in [i["passage"], *i["examples"], *(a["text"] for a in i["answers"])]]


def tiny_tokenizer(kind: str):
    """A byte-level BPE tokenizer trained in milliseconds on a few sentences, with the model family's chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(CORPUS + kb_texts(), trainers.BpeTrainer(vocab_size=1500, special_tokens=SPECIALS,
                                                            initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    eos = {"qwen2": "<|im_end|>", "llama": "<|eot_id|>"}.get(kind, "<|endoftext|>")
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=eos, pad_token="<pad>",
                                   bos_token="<|begin_of_text|>" if kind == "llama" else None)
    if kind == "qwen2":
        fast.chat_template = CHATML
    elif kind == "llama":
        fast.chat_template = LLAMA3
    return fast


def tiny_lm(kind: str, path: Path | None = None):
    """(model, tokenizer) of a 2-layer, 32-wide model of the given family; saved to `path` if given."""
    from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM
    from transformers import T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    tokenizer = tiny_tokenizer(kind)
    ids = dict(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
    small = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, max_position_embeddings=2048)
    if kind == "qwen2":
        model = Qwen2ForCausalLM(Qwen2Config(**small, **ids))
    elif kind == "llama":
        model = LlamaForCausalLM(LlamaConfig(**small, **ids, bos_token_id=tokenizer.bos_token_id))
    elif kind == "gpt2":
        model = GPT2LMHeadModel(GPT2Config(n_embd=32, n_layer=2, n_head=4, n_positions=2048, **ids))
    elif kind == "t5":
        model = T5ForConditionalGeneration(T5Config(d_model=32, d_ff=64, d_kv=8, num_layers=2, num_heads=4,
                                                    decoder_start_token_id=tokenizer.pad_token_id, **ids))
    else:
        raise ValueError(kind)
    if path is not None:
        model.save_pretrained(path)
        tokenizer.save_pretrained(path)
    return model, tokenizer


@pytest.fixture(scope="module")
def kb():
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR

    return KnowledgeBase.load(STORE_DIR)


def shipped_state(kb, message="where is my order 10001?"):
    """A state as the tracker leaves it: intent, its evidence and the order record."""
    import csv

    import numpy as np

    from bot.dialogue.state import DialogueState
    from bot.shop.paths import STORE_DIR

    with open(STORE_DIR / "orders.csv", newline="") as f:
        order = next(r for r in csv.DictReader(f) if r["order_id"] == "10001")
    state = DialogueState("s", history=[("customer", message)], intent="track_order", intent_score=0.8,
                          slots={"order_id": "10001"}, order=order)
    scores = np.zeros(len(kb.intents))
    scores[[i.id for i in kb.intents].index("track_order")] = 0.8
    scores[[i.id for i in kb.intents].index("delivery_delayed")] = 0.6
    state.cache["intent_scores"] = scores
    return state


@pytest.mark.parametrize("kind", ["qwen2", "llama", "gpt2", "t5"])
def test_drafts_n_candidates_in_one_generate_call(kind, kb, tmp_path):
    from bot.drafting.generative import GenerativeDrafter

    tiny_lm(kind, tmp_path / kind)
    drafter = GenerativeDrafter.from_pretrained(str(tmp_path / kind), kb, max_new_tokens=12, seed=0, max_prompt_tokens=1024)
    state = shipped_state(kb)
    prompt = drafter.prompt_for(state)
    # grounded: the intent's passage, the runner-up's, the order record
    assert kb.intent("track_order").passage in prompt and kb.intent("delivery_delayed").passage in prompt
    assert "order_id: 10001" in prompt and "amara.kowalski" not in prompt  # the email is never put in a prompt
    if kind == "qwen2":
        assert prompt.startswith("<|im_start|>system\n") and prompt.endswith("<|im_start|>assistant\n")
    elif kind == "llama":
        assert prompt.startswith("<|begin_of_text|><|start_header_id|>system") and prompt.endswith("assistant<|end_header_id|>\n\n")
        assert drafter.encode_prompt(prompt)["input_ids"][0].tolist().count(drafter.tokenizer.bos_token_id) == 1
    else:
        assert prompt.endswith("Customer: where is my order 10001?\nAgent:")

    calls = []
    real_generate = drafter.model.generate
    drafter.model.generate = lambda **kw: calls.append(kw) or real_generate(**kw)
    candidates = drafter.draft(state, 4)
    assert len(calls) == 1 and calls[0]["num_return_sequences"] == 4 and calls[0]["do_sample"]
    assert calls[0]["max_new_tokens"] == 12
    assert 1 <= len(candidates) <= 4
    assert all(c.source == "generative" and c.text.strip() for c in candidates)
    assert len({c.text for c in candidates}) == len(candidates)
    assert drafter.last_stats["new_tokens"] > 0


def test_dedupe_drops_empties_duplicates_and_near_duplicates():
    from bot.drafting.draft_scoring import dedupe

    texts = ["Your order shipped on Monday.", "", "  ", "Your order shipped on Monday.",
             "your order shipped on monday!", "It is on its way with UPS.", "Your order has shipped on Monday."]
    assert dedupe(texts) == ["Your order shipped on Monday.", "It is on its way with UPS."]


def test_clean_generation_cuts_next_speaker_and_half_sentences():
    from bot.drafting.prompting import clean_generation

    assert clean_generation(" It shipped.\nCustomer: thanks", plain=True) == "It shipped."
    assert clean_generation("It shipped today. It should arrive by", plain=False) == "It shipped today."
    assert clean_generation("Happy to help", plain=False) == "Happy to help"


def test_bot_serves_hybrid_candidates_with_sources(kb, make_bot, tmp_path):
    tiny_lm("qwen2", tmp_path / "qwen2")
    bot = make_bot(generator=str(tmp_path / "qwen2"), n_generative=3, n_candidates=6,
                   generator_options={"max_new_tokens": 10, "seed": 0})
    turn = bot.reply("s1", "Where is my order 10001?")
    sources = [c.source for c in turn.candidates]
    assert "retrieval" in sources and "generative" in sources
    assert len(turn.candidates) <= 6
    assert abs(sum(c.propensity for c in turn.candidates) - 1) < 1e-6
    # generated candidates are scored on the retrieval scale (intent evidence + similarity), so the policy can compare them
    generated = [c for c in turn.candidates if c.source == "generative"]
    assert all(0.0 < c.score < 1.0 for c in generated)
    # every candidate, generated ones included, is in the replay buffer with its source
    rows = bot.replay.query("SELECT source FROM candidates WHERE turn_id = ?", (turn.turn_id,))
    assert sorted(r["source"] for r in rows) == sorted(sources)


def test_missing_model_path_is_a_clear_error(kb, tmp_path):
    from bot.drafting.generative import make_generative_drafter

    with pytest.raises(FileNotFoundError, match="generator model not found"):
        make_generative_drafter(str(tmp_path / "nope"), kb, {})
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no config.json"):
        make_generative_drafter(str(tmp_path / "empty"), kb, {})
    tiny_lm("gpt2", tmp_path / "g")
    with pytest.raises(ValueError, match="unknown generator options"):
        make_generative_drafter(str(tmp_path / "g"), kb, {"temprature": 0.5})
