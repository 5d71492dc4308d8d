"""Feature vectors for (state, candidate) pairs: what every learned selection policy sees.

One row per candidate, so a policy is a function from a [N, D] matrix to N scores, for any N:

    [ c | q*c | p*c | scalars ]
    c        candidate embedding (MiniLM, 384-d; a retrieval template's embedding is cached once)
    q*c      elementwise product with the latest customer message: "does it answer THIS message"
    p*c      elementwise product with the earlier customer messages (mean): multi-turn context
    scalars  drafter score, reward-model score, source, rank, lengths, tone, turn, order slots, and how the
             candidate compares with the others (same intent as rank 1, score and similarity gaps to the best)
             and which step its template takes (answers about the order, asks for it, general) (SCALARS)

The encoder runs at most once per new text: the message vector comes from the tracker's cache, template
vectors from the retrieval drafter, anything else from a small in-memory cache. The same builder works on
a live `DialogueState` and on a turn read back from the replay buffer (`TurnContext.from_logged`), so
policies can be trained and evaluated on logs exactly as they serve.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

SCALARS = [
    "drafter_score", "reward", "has_reward", "rank_frac", "is_first", "reply_len", "reply_warmth",
    "reply_asks", "src_retrieval", "src_generative", "src_fallback", "src_other", "msg_len", "msg_warmth",
    "turn", "has_order_id", "order_found", "cos_msg", "cos_context", "n_candidates", "bias",
    # features-v2: where the candidate stands among the others, and what kind of step its template takes
    "same_intent_as_first", "score_gap", "cos_msg_gap", "cos_context_gap", "cos_msg_gap_in_intent",
    "cos_context_gap_in_intent",
    "step_order_answer", "step_asks_order", "step_unknown_order", "step_general",
]
FEATURES_VERSION = "features-v2"  # stored in every checkpoint; a mismatch refuses to load

_WARM = re.compile(r"\b(?:happy to|glad|sorry|thanks|thank you|please|of course|i understand|no problem|"
                   r"absolutely|great question|hi|hello|appreciate)\b|!", re.IGNORECASE)


def feature_names(dim: int = 384) -> list[str]:
    return [f"c{i}" for i in range(dim)] + [f"qc{i}" for i in range(dim)] + [f"pc{i}" for i in range(dim)] + SCALARS


def n_features(dim: int = 384) -> int:
    return 3 * dim + len(SCALARS)


def words(text: str) -> int:
    return len(text.split())


def warmth(text: str) -> int:
    """How many friendly markers a text has (greetings, thanks, apologies, exclamation marks)."""
    return len(_WARM.findall(text))


@dataclass
class TurnContext:
    """The state part of the features: the latest message and what came before it."""

    message: str
    previous: list[str] = field(default_factory=list)  # earlier customer messages, oldest first
    turn_index: int = 0
    has_order_id: bool = False
    order_found: bool | None = False  # None = infer from the candidates (logged turns)
    query_vector: np.ndarray | None = None  # the tracker's embedding of `message`, when at hand

    @classmethod
    def from_state(cls, state) -> "TurnContext":
        customer = [text for role, text in state.history if role == "customer"]
        return cls(customer[-1] if customer else "", customer[:-1], max(len(customer) - 1, 0),
                   "order_id" in state.slots, state.order is not None, state.cache.get("query_vector"))

    @classmethod
    def from_logged(cls, turn: dict) -> "TurnContext":
        """From a row of `ReplayBuffer.logged_turns()`."""
        previous = [text for role, text in turn["context"] if role == "customer"]
        # Whether the order was found is not logged; the builder infers it from the templates offered.
        return cls(turn["user_text"], previous, turn["turn_index"], "order_id" in (turn.get("slots") or {}), None)


class FeatureBuilder:
    """Turns (TurnContext, candidates) into a float32 [N, n_features] matrix."""

    def __init__(self, encoder, template_vectors: dict[str, np.ndarray] | None = None,
                 template_needs: dict[str, set[str]] | None = None, cache_size: int = 20000):
        self.encoder = encoder
        self.dim = int(encoder.dim)
        self.template_vectors = template_vectors or {}
        self.template_needs = template_needs or {}  # template id -> its conditions ("order", "no_order", ...)
        # Templates offered only when the order was found: a logged turn that offers one had found it.
        self.order_templates = {t for t, needs in self.template_needs.items() if "order" in needs}
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.cache_size = cache_size

    @classmethod
    def for_bot(cls, bot) -> "FeatureBuilder":
        return cls.for_templates(bot.encoder, bot.retrieval.templates, bot.retrieval.answer_vectors)

    @classmethod
    def for_store(cls, store_dir=None, cache_dir: str = "runs/cache", encoder_path: str | None = None) -> "FeatureBuilder":
        """Features for a store's templates without a serving Bot (no replay file is opened or written)."""
        from bot.encoder import Encoder
        from bot.shop.knowledge import KnowledgeBase
        from bot.shop.paths import STORE_DIR

        encoder = Encoder.shared(encoder_path)
        templates = KnowledgeBase.load(store_dir or STORE_DIR).answers
        return cls.for_templates(encoder, templates, encoder.encode_cached([t.text for t in templates], cache_dir))

    @classmethod
    def for_templates(cls, encoder, templates, answer_vectors) -> "FeatureBuilder":
        vectors = {t.id: answer_vectors[i] for i, t in enumerate(templates)}
        return cls(encoder, vectors, {t.id: set(t.needs) for t in templates})

    # -- embeddings, each text encoded at most once ---------------------------------------------
    def remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = np.asarray(vector, dtype=np.float32)
        self._cache.move_to_end(text)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing)):
                self.remember(text, vector)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def candidate_vectors(self, candidates) -> np.ndarray:
        out = np.zeros((len(candidates), self.dim), dtype=np.float32)
        to_encode = []
        for i, c in enumerate(candidates):
            meta = _get(c, "meta") or {}
            vector = self.template_vectors.get(meta.get("template", ""))
            if vector is not None:  # a template's wording is fixed; slot values hardly move its meaning
                out[i] = vector
            else:
                to_encode.append(i)
        if to_encode:
            out[to_encode] = self.embed([_get(candidates[i], "text") for i in to_encode])
        return out

    # -- the matrix -----------------------------------------------------------------------------
    def build(self, ctx: TurnContext, candidates) -> np.ndarray:
        n = len(candidates)
        if n == 0:
            return np.zeros((0, n_features(self.dim)), dtype=np.float32)
        if ctx.query_vector is not None:
            self.remember(ctx.message, ctx.query_vector)
        q = self.embed([ctx.message])[0]
        p = self.embed(ctx.previous[-3:]).mean(0) if ctx.previous else np.zeros(self.dim, dtype=np.float32)
        c = self.candidate_vectors(candidates)
        scalars = np.zeros((n, len(SCALARS)), dtype=np.float32)
        metas = [_get(cand, "meta") or {} for cand in candidates]
        order_found = ctx.order_found
        if order_found is None:
            order_found = any(meta.get("template") in self.order_templates for meta in metas)
        msg_len, msg_warm = np.log1p(words(ctx.message)) / 5, min(warmth(ctx.message), 3) / 3
        drafter_scores = np.array([float(_get(cand, "score") or 0.0) for cand in candidates])
        cos_msg, cos_context = c @ q, c @ p
        # Within one intent, which wording fits the customer's words best: the answer they are after.
        intents = [meta.get("intent") or f"#{i}" for i, meta in enumerate(metas)]
        best_in_intent = {k: (max(cos_msg[j] for j in range(n) if intents[j] == k),
                              max(cos_context[j] for j in range(n) if intents[j] == k)) for k in set(intents)}
        for i, cand in enumerate(candidates):
            text, source = _get(cand, "text"), _get(cand, "source")
            reward = _get(cand, "reward")
            has_reward = reward is not None and not (isinstance(reward, float) and np.isnan(reward))
            src = [source == "retrieval", source in ("generative", "remote"), source == "fallback", False]
            src[3] = not any(src)
            needs = self.template_needs.get(metas[i].get("template", ""))
            scalars[i] = [
                drafter_scores[i], float(reward) if has_reward else 0.0, float(has_reward),
                i / max(n - 1, 1), float(i == 0), np.log1p(words(text)) / 5, min(warmth(text), 3) / 3,
                float("?" in text), *map(float, src), msg_len, msg_warm, min(ctx.turn_index, 5) / 5,
                float(ctx.has_order_id), float(order_found), float(cos_msg[i]), float(cos_context[i]), n / 10, 1.0,
                float(metas[i].get("intent") is not None and metas[i].get("intent") == metas[0].get("intent")),
                drafter_scores[i] - drafter_scores.max(), float(cos_msg[i] - cos_msg.max()),
                float(cos_context[i] - cos_context.max()) if ctx.previous else 0.0,
                float(cos_msg[i] - best_in_intent[intents[i]][0]),
                float(cos_context[i] - best_in_intent[intents[i]][1]) if ctx.previous else 0.0,
                float(needs is not None and "order" in needs), float(needs is not None and "no_order" in needs),
                float(needs is not None and "unknown_order" in needs), float(needs is not None and not needs),
            ]
        # Scaled so each block's entries are about unit size: MiniLM coordinates are ~1/sqrt(d).
        d = float(self.dim)
        return np.concatenate([c * np.sqrt(d), q * c * d, p * c * d, scalars], axis=1).astype(np.float32)

    def for_state(self, state, candidates) -> np.ndarray:
        return self.build(TurnContext.from_state(state), candidates)


def _get(candidate, key):
    """Candidates are `Candidate` objects when live and dicts when read from the replay buffer."""
    return candidate.get(key) if isinstance(candidate, dict) else getattr(candidate, key)
