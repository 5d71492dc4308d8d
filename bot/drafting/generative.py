"""GenerativeDrafter: N candidate replies from any Hugging Face language model, in one batched `generate`.

    prompt     the dialogue + KB passages the retriever found + the order record (bot/drafting/prompting.py),
               through the model's chat template when it has one (Qwen2-, Llama-, SmolLM-style
               instruct models), else as a plain "Customer: / Agent:" transcript (GPT-2-style LMs)
    generate   one call, num_return_sequences=N, sampling (temperature, top_p, max_new_tokens)
    clean      cut to the reply, drop empties, duplicates and near-duplicates
    score      the same scale as retrieval: intent evidence + similarity of the reply to the message,
               so the selection policy can compare generated and retrieved candidates

Causal LMs and seq2seq models (T5, BART, BERT2BERT) both work; the model comes from a local path
(or a hub id for users with a network). `make_generative_drafter` picks this drafter for a path and
the OpenAI-compatible remote drafter (bot/drafting/remote.py) for an http(s) URL.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

from bot.candidate import Candidate
from bot.drafting.base import Drafter
from bot.shop.knowledge import KnowledgeBase
from bot.drafting.prompting import clean_generation, has_chat_template, messages_for_state, render_prompt
from bot.dialogue.state import DialogueState
from bot.drafting.draft_scoring import dedupe, generative_scores

log = logging.getLogger(__name__)

DEFAULTS = {"temperature": 0.8, "top_p": 0.95, "max_new_tokens": 48, "max_prompt_tokens": 768,
            "passages": 2, "device": None, "seed": None}


class GenerativeDrafter(Drafter):
    source = "generative"

    def __init__(self, model, tokenizer, kb: KnowledgeBase, name: str = "model", encoder=None, **options):
        unknown = set(options) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"unknown generator options {sorted(unknown)}; known: {sorted(DEFAULTS)}")
        self.options = {**DEFAULTS, **options}
        self.model, self.tokenizer, self.kb, self.name, self.encoder = model.eval(), tokenizer, kb, name, encoder
        self.seq2seq = bool(getattr(model.config, "is_encoder_decoder", False))
        self.plain = not has_chat_template(tokenizer)  # plain transcript: cut at the next "Customer:"
        positions = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", None)
        if positions and not self.seq2seq:  # prompt + reply must fit the model's positions (BERT, GPT-2: 512, 1024)
            room = positions - self.options["max_new_tokens"]
            self.options["max_prompt_tokens"] = max(16, min(self.options["max_prompt_tokens"], room))
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        self._lock = threading.Lock()  # one generate at a time: torch CPU threads are already all busy
        self.last_stats: dict = {}

    @classmethod
    def from_pretrained(cls, path: str, kb: KnowledgeBase, encoder=None, **options) -> "GenerativeDrafter":
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        local = Path(path).expanduser()
        if local.exists() and not (local / "config.json").exists():
            raise FileNotFoundError(f"{path} has no config.json: not a Hugging Face model folder "
                                    "(train one with `rlcs train drafter --stage sft`)")
        config = AutoConfig.from_pretrained(path)
        auto = AutoModelForSeq2SeqLM if getattr(config, "is_encoder_decoder", False) else AutoModelForCausalLM
        device = options.get("device") or ("cuda" if torch.cuda.is_available() else "cpu")
        model = auto.from_pretrained(path).to(device)
        tokenizer = AutoTokenizer.from_pretrained(path)
        return cls(model, tokenizer, kb, name=local.name if local.exists() else path, encoder=encoder,
                   **{**options, "device": device})

    # -- the one batched generate call --------------------------------------------------------
    def encode_prompt(self, prompt: str):
        # The chat template already wrote any BOS token it wants; don't let the tokenizer add a second one.
        batch = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=self.seq2seq or self.plain,
                               truncation=True, max_length=self.options["max_prompt_tokens"])
        if not self.seq2seq and batch["input_ids"].shape[1] >= self.options["max_prompt_tokens"]:
            # keep the end of the prompt (the latest message and the generation prompt), not its start
            ids = self.tokenizer(prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
            ids = ids[:, -self.options["max_prompt_tokens"]:]
            batch = {"input_ids": ids, "attention_mask": ids.new_ones(ids.shape)}
        return {k: v.to(self.model.device) for k, v in batch.items()}

    def generation_kwargs(self, n: int) -> dict:
        o = self.options
        return dict(do_sample=True, temperature=o["temperature"], top_p=o["top_p"], max_new_tokens=o["max_new_tokens"],
                    num_return_sequences=n, pad_token_id=self.tokenizer.pad_token_id)

    def generate(self, prompt: str, n: int) -> list[str]:
        """n decoded continuations of `prompt`, cleaned to replies (may contain empties and duplicates)."""
        import torch

        inputs = self.encode_prompt(prompt)
        with self._lock, torch.inference_mode():
            if self.options["seed"] is not None:
                torch.manual_seed(self.options["seed"])
            start = time.perf_counter()
            output = self.model.generate(**inputs, **self.generation_kwargs(n))
            elapsed = time.perf_counter() - start
        new = output if self.seq2seq else output[:, inputs["input_ids"].shape[1]:]
        pad = self.tokenizer.pad_token_id
        self.last_stats = {"generate_s": elapsed, "new_tokens": int((new != pad).sum()) if pad is not None else new.numel()}
        texts = self.tokenizer.batch_decode(new, skip_special_tokens=True)
        return [clean_generation(t, self.plain) for t in texts]

    def prompt_for(self, state: DialogueState) -> str:
        return render_prompt(self.tokenizer, messages_for_state(state, self.kb, self.options["passages"]))

    def draft(self, state: DialogueState, n: int) -> list[Candidate]:
        if n <= 0:
            return []
        texts = dedupe(self.generate(self.prompt_for(state), n))
        scores = generative_scores(state, self.kb, texts, self.encoder)
        return [Candidate(t, self.source, s, meta={"model": self.name, "intent": state.intent})
                for t, s in zip(texts, scores)]


def make_generative_drafter(spec: str, kb: KnowledgeBase, options: dict | None = None) -> Drafter:
    """A drafter for `BotConfig.generator`: an http(s) URL -> OpenAIChatDrafter, else a model path or hub id."""
    from bot.encoder import Encoder

    options = dict(options or {})
    encoder = Encoder.shared(options.pop("encoder_path", None))
    if re.match(r"https?://", spec):
        from bot.drafting.remote import OpenAIChatDrafter

        return OpenAIChatDrafter(spec, kb, encoder=encoder, **options)
    if spec in ("smollm2-135m-instruct", "minilm-decoder"):  # the untrained bases, prepared once under runs/models
        from bot.drafting.base_models import resolve_base

        spec = resolve_base(spec)
    local = Path(spec).expanduser()
    if not local.exists() and (spec.startswith((".", "/", "~")) or spec.count("/") != 1):
        raise FileNotFoundError(f"generator model not found: {spec} (a local model folder, a hub id, or an http(s) URL)")
    return GenerativeDrafter.from_pretrained(str(local) if local.exists() else spec, kb, encoder=encoder, **options)
