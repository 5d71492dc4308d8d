"""OpenAIChatDrafter: candidates from any OpenAI-compatible chat endpoint (vLLM, TGI, llama.cpp server).

One POST to {base}/v1/chat/completions asks for n choices; servers that return fewer (llama.cpp
ignores `n`) get follow-up requests until n or the time budget runs out. Any failure (timeout,
refused connection, HTTP error, malformed answer) logs a warning and returns what it has, possibly
nothing: the Bot then fills the candidate list from retrieval, so a dead endpoint never stops a reply.
"""
from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request

from bot.candidate import Candidate
from bot.drafting.base import Drafter
from bot.drafting.draft_scoring import dedupe, generative_scores
from bot.shop.knowledge import KnowledgeBase
from bot.drafting.prompting import clean_generation, messages_for_state
from bot.dialogue.state import DialogueState

log = logging.getLogger(__name__)

DEFAULTS = {"model": "default", "temperature": 0.8, "top_p": 0.95, "max_new_tokens": 96, "timeout": 10.0,
            "passages": 2, "api_key": None}


def chat_completions_url(base: str) -> str:
    """Accept http://host:port, .../v1 or the full .../v1/chat/completions."""
    base = base.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if base.endswith("/v1"):
        return base + "/chat/completions"
    return base + "/v1/chat/completions"


class OpenAIChatDrafter(Drafter):
    source = "remote"

    def __init__(self, url: str, kb: KnowledgeBase, encoder=None, **options):
        unknown = set(options) - set(DEFAULTS) - {"device", "seed", "max_prompt_tokens"}  # local-only options are ignored
        if unknown:
            raise ValueError(f"unknown generator options {sorted(unknown)}; known: {sorted(DEFAULTS)}")
        self.options = {**DEFAULTS, **{k: v for k, v in options.items() if k in DEFAULTS}}
        self.url, self.kb, self.encoder = chat_completions_url(url), kb, encoder
        # The key comes from the environment, never from the config (configs get logged and shared).
        self.api_key = self.options["api_key"] or os.environ.get("RLCS_GENERATOR_API_KEY") or os.environ.get("OPENAI_API_KEY")

    def request(self, messages: list[dict], n: int, timeout: float) -> list[str]:
        o = self.options
        body = {"model": o["model"], "messages": messages, "n": n, "temperature": o["temperature"],
                "top_p": o["top_p"], "max_tokens": o["max_new_tokens"]}
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(self.url, json.dumps(body).encode(), headers, method="POST")
        with urllib.request.urlopen(req, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8"))
        choices = answer.get("choices")
        if not isinstance(choices, list):
            raise ValueError(f"no 'choices' in the answer: {str(answer)[:200]}")
        return [str((c.get("message") or {}).get("content") or "") for c in choices]

    def generate(self, messages: list[dict], n: int) -> list[str]:
        """Up to n raw replies within the timeout; [] (and a warning) when the endpoint fails."""
        deadline = time.monotonic() + float(self.options["timeout"])
        texts: list[str] = []
        for _ in range(n):  # at most n requests: one asking for n, then top-ups for servers that ignore n
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                got = self.request(messages, n - len(texts), remaining)
            except (OSError, ValueError, urllib.error.URLError) as err:  # timeouts are OSErrors
                log.warning("remote drafter %s failed (%s: %s); falling back to retrieval", self.url, type(err).__name__, err)
                break
            if not got:
                break
            texts += got
            if len(texts) >= n:
                break
        return texts[:n]

    def draft(self, state: DialogueState, n: int) -> list[Candidate]:
        if n <= 0:
            return []
        texts = dedupe([clean_generation(t, plain=False) for t in self.generate(messages_for_state(state, self.kb, self.options["passages"]), n)])
        scores = generative_scores(state, self.kb, texts, self.encoder)
        return [Candidate(t, self.source, s, meta={"model": self.options["model"], "endpoint": self.url, "intent": state.intent})
                for t, s in zip(texts, scores)]
