"""The two records every part of the loop passes around: a candidate reply and a served turn."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Candidate:
    """One drafted reply, before and after selection."""

    text: str
    source: str  # "retrieval", "generative", "remote", "given", ...
    score: float = 0.0  # the drafter's own score (retrieval: similarity to the dialogue)
    propensity: float = 0.0  # probability the serving policy gave this candidate
    reward: float | None = None  # satisfaction reward model's score, when one is loaded
    meta: dict = field(default_factory=dict)  # e.g. template id, intent

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "source": self.source,
            "score": self.score,
            "propensity": self.propensity,
            "reward": self.reward,
            "meta": self.meta,
        }

    @property
    def template_name(self) -> str:
        """The template it came from; "handover.<reason>" ("handover.other_language") or the source otherwise."""
        if self.source == "handover":
            return f"handover.{self.meta.get('handover', '')}"
        return self.meta.get("template") or self.source


@dataclass
class Turn:
    """What `Bot.reply` returns: the reply shown and everything needed to learn from it."""

    turn_id: str
    session_id: str
    text: str  # the reply shown to the customer
    chosen: int  # index into candidates
    candidates: list[Candidate]
    intent: str | None = None
    policy_version: str = ""
    latency_ms: dict = field(default_factory=dict)  # drafting / selection / storage / total

    @property
    def propensity(self) -> float:
        return self.candidates[self.chosen].propensity if self.candidates else 1.0
