"""The reward the selection policy learns from: a mix of thumbs, the reward model, CSAT and resolution.

Not to be confused with the reward MODEL (bot/selection/reward_model.py), which is one of the sources.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RewardMix:
    """The RL reward: how much each feedback source counts (`--reward-mix thumb=1,csat=1,reward_model=1`)."""

    reward_model: float = 1.0  # the satisfaction reward model's score of the chosen reply (if loaded)
    thumb: float = 1.0  # simulated thumbs: +1 / -1 when the customer gives one
    csat: float = 1.0  # end-of-conversation CSAT mapped 1..5 -> -1..1, a terminal reward
    resolved: float = 0.0  # +1 / -1 terminal reward for resolved / not
    sat: float = 0.0  # the hidden satisfaction itself (oracle experiments only)

    @classmethod
    def parse(cls, text: str | None) -> "RewardMix":
        """'thumb=1,csat=1,reward_model=0.5' -> RewardMix."""
        weights = cls()
        for part in filter(None, (text or "").split(",")):
            key, _, value = part.partition("=")
            key = key.strip().replace("-", "_")
            if key not in cls.__dataclass_fields__:
                raise ValueError(f"unknown reward source {key!r}; use {', '.join(cls.__dataclass_fields__)}")
            try:
                setattr(weights, key, float(value))
            except ValueError:
                raise ValueError(f"reward weight for {key!r} must be a number, got {value!r}") from None
        return weights


def csat_to_reward(csat: int) -> float:
    """CSAT 1..5 -> -1..1 (3 is neutral)."""
    return (csat - 3) / 2
