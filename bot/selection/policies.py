"""Selection policies pi(a | s, C): one probability per candidate, a sampled choice and its propensity.

Every policy only has to say how likely it is to pick each candidate (`probabilities`); choosing and
recording the propensity is shared, so logged turns are always usable for off-policy evaluation.
The learned policies (DQN, PPO) plug in through `ScoredPolicy`-style subclasses in bot/selection/learned.py.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Callable

import numpy as np

from bot.candidate import Candidate
from bot.dialogue.state import DialogueState

# A scorer maps (state, candidates) to one number per candidate: higher is better.
Scorer = Callable[[DialogueState, list[Candidate]], np.ndarray]


def drafter_scores(state: DialogueState, candidates: list[Candidate]) -> np.ndarray:
    """The drafters' own scores (retrieval similarity, generation likelihood)."""
    return np.array([c.score for c in candidates], dtype=np.float64)


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = np.asarray(scores, dtype=np.float64) / max(temperature, 1e-8)
    z = z - z.max()
    e = np.exp(z)
    return e / e.sum()


class SelectionPolicy(ABC):
    """Base class: subclasses say how likely each candidate is; `select` samples and logs."""

    name: str = "policy"

    @property
    def version(self) -> str:
        return self.name

    @abstractmethod
    def probabilities(self, state: DialogueState, candidates: list[Candidate]) -> np.ndarray:
        ...

    def select(self, state: DialogueState, candidates: list[Candidate], rng: np.random.Generator) -> tuple[int, float]:
        """Pick one candidate; write every candidate's propensity onto it; return (index, propensity)."""
        if not candidates:
            raise ValueError("cannot select from an empty candidate list")
        probs = self.probabilities(state, candidates)
        probs = np.asarray(probs, dtype=np.float64)
        probs = probs / probs.sum()
        for candidate, p in zip(candidates, probs):
            candidate.propensity = float(p)
        index = int(rng.choice(len(candidates), p=probs))
        return index, float(probs[index])


class FirstPolicy(SelectionPolicy):
    """Always the drafter's rank-1 candidate (the retrieval baseline)."""

    name = "first"

    def probabilities(self, state, candidates):
        probs = np.zeros(len(candidates))
        probs[0] = 1.0
        return probs


class UniformPolicy(SelectionPolicy):
    """Every candidate equally likely: the exploration baseline."""

    name = "uniform"

    def probabilities(self, state, candidates):
        return np.full(len(candidates), 1.0 / len(candidates))


def best_of_n_probabilities(rewards: np.ndarray, margin: float = 0.0) -> np.ndarray:
    """All mass on the highest reward-model score (ties and missing scores: the drafter's order).

    With a margin, the drafter's rank 1 is kept unless another draft scores more than `margin` above it: the
    reward model overrules the drafter only where it is sure (round 27: chosen on real messages rated side by side,
    docs/reward-model.md). margin 0 is plain best-of-N."""
    rewards = np.where(np.isfinite(rewards), rewards, -np.inf)
    probs = np.zeros(len(rewards))
    if not np.isfinite(rewards).any():
        probs[0] = 1.0
        return probs
    best = int(np.argmax(rewards))
    if margin > 0 and np.isfinite(rewards[0]) and rewards[best] - rewards[0] <= margin:
        best = 0
    probs[best] = 1.0
    return probs


class BestOfNPolicy(SelectionPolicy):
    """The candidate the reward model scores highest (what TRL's removed BestOfNSampler did), or the drafter's rank 1
    where no other draft beats it by more than `margin`."""

    def __init__(self, margin: float = 0.0):
        self.margin = float(margin)
        self.name = "best_of_n(reward)" if self.margin == 0 else f"best_of_n(reward, margin={self.margin:g})"

    def probabilities(self, state, candidates):
        rewards = np.array([np.nan if c.reward is None else c.reward for c in candidates], dtype=np.float64)
        return best_of_n_probabilities(rewards, self.margin)


class SoftmaxPolicy(SelectionPolicy):
    """softmax(score / temperature) over any scorer's scores."""

    def __init__(self, scorer: Scorer = drafter_scores, temperature: float = 0.05, name: str = "softmax"):
        self.scorer, self.temperature, self.name = scorer, temperature, name

    @property
    def version(self) -> str:
        return f"{self.name}(T={self.temperature:g})"

    def probabilities(self, state, candidates):
        return softmax(self.scorer(state, candidates), self.temperature)


class EpsilonGreedyPolicy(SelectionPolicy):
    """The scorer's best candidate with probability 1 - epsilon, otherwise a uniform pick."""

    def __init__(self, scorer: Scorer = drafter_scores, epsilon: float = 0.1, name: str = "epsilon_greedy"):
        if not 0.0 <= epsilon <= 1.0:
            raise ValueError(f"epsilon must be in [0, 1], got {epsilon}")
        self.scorer, self.epsilon, self.name = scorer, epsilon, name

    @property
    def version(self) -> str:
        return f"{self.name}(eps={self.epsilon:g})"

    def probabilities(self, state, candidates):
        n = len(candidates)
        probs = np.full(n, self.epsilon / n)
        probs[int(np.argmax(self.scorer(state, candidates)))] += 1.0 - self.epsilon
        return probs


PROOF_TEMPLATE_PREFIX = "verify_order."  # bot/dialogue/order_access.py TEMPLATE_PREFIX (kept import-free here)


def ask_rule_index(candidates, needs_of: dict, order_known: bool | None = None) -> int:
    """The ask-for-the-number rule: when rank 1 is a general answer (a template with no `needs`) and no order is
    known, take the first candidate of the SAME intent that asks for the order number (`no_order`) or for the
    order's proof (a verify_order.* request); otherwise rank 1. order_known None: inferred from the candidates
    (answers about the order are offered only once it is known), as on a logged turn."""
    if not candidates:
        return 0
    metas = [(c.get("meta") if isinstance(c, dict) else getattr(c, "meta", None)) or {} for c in candidates]
    if order_known is None:
        order_known = any("order" in needs_of.get(m.get("template", ""), ()) for m in metas)
    first = metas[0].get("template", "")
    if order_known or first not in needs_of or needs_of[first]:
        return 0
    intent = metas[0].get("intent")
    for i, meta in enumerate(metas[1:], 1):
        template = str(meta.get("template", ""))
        if meta.get("intent") == intent and (template.startswith(PROOF_TEMPLATE_PREFIX)
                                             or "no_order" in needs_of.get(template, ())):
            return i
    return 0


class AskRulePolicy(SelectionPolicy):
    """Rank 1, except: ask for the order number (or its proof) instead of a general answer of the same intent
    while no order is known. A one-line rule that matched the learned policies of rounds 1-3 (issue 14), so
    every learned policy is compared with it."""

    name = "ask_rule"

    def __init__(self, kb=None):
        if kb is None:
            from bot.shop.knowledge import KnowledgeBase
            from bot.shop.paths import STORE_DIR

            kb = KnowledgeBase.load(STORE_DIR)
        self.needs_of = {t.id: tuple(t.needs) for t in kb.answers}

    def probabilities(self, state, candidates):
        probs = np.zeros(len(candidates))
        order_known = None if state is None else getattr(state, "order", None) is not None
        probs[ask_rule_index(candidates, self.needs_of, order_known)] = 1.0
        return probs


BASELINES = {"first": FirstPolicy, "uniform": UniformPolicy, "softmax": SoftmaxPolicy, "epsilon_greedy": EpsilonGreedyPolicy,
             "ask_rule": AskRulePolicy}
