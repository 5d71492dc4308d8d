"""Logged conversations from a replay buffer, as the policy jobs read them: features, propensities, rewards.

Each session becomes a list of LoggedTurn in order; the per-turn training reward is the RewardMix of the
turn's thumb and reward-model score, plus the session's CSAT (and resolution) on its last turn.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from training.policy.rl_reward import RewardMix, csat_to_reward


@dataclass
class LoggedTurn:
    session_id: str
    x: np.ndarray  # [N, D] features
    action: int
    propensity: float
    thumb: int  # +1 / -1 / 0 (none)
    rm: np.ndarray  # reward-model scores of the candidates (nan where none)
    reward: float = 0.0  # training reward (set by load_logged's weights)
    candidates: list = field(default_factory=list)
    policy_version: str = ""

    def as_dict(self) -> dict:
        return {"x": self.x, "action": self.action, "propensity": self.propensity, "reward": self.reward}


def load_logged(db_path: str, features, weights=None) -> list[list[LoggedTurn]]:
    """Logged sessions (each a list of turns in order) with features and rewards, from a replay buffer."""
    from pathlib import Path

    from bot.selection.features import TurnContext
    from bot.storage.replay_buffer import ReplayBuffer

    from bot.storage.engine import is_postgres

    if not is_postgres(str(db_path)) and not Path(db_path).exists():
        raise FileNotFoundError(f"no replay buffer at {db_path}")
    weights = weights or RewardMix()
    sessions: dict[str, list[dict]] = {}
    for turn in ReplayBuffer(db_path).logged_turns():
        if turn["candidates"]:
            sessions.setdefault(turn["session_id"], []).append(turn)
    episodes = []
    for session_id, turns in sessions.items():
        turns.sort(key=lambda t: t["turn_index"])
        episode = []
        for k, t in enumerate(turns):
            rm = np.array([np.nan if c["reward"] is None else c["reward"] for c in t["candidates"]], dtype=np.float64)
            thumb = int(t["thumb"] or 0)
            reward = weights.thumb * thumb
            if weights.reward_model and np.isfinite(rm[t["chosen"]]):
                reward += weights.reward_model * rm[t["chosen"]]
            if k == len(turns) - 1 and t["csat"]:  # the session's outcome is the last turn's terminal reward
                reward += weights.csat * csat_to_reward(t["csat"])
                reward += weights.resolved * (1 if t["resolved"] else -1)
            x = features.build(TurnContext.from_logged(t), t["candidates"])
            episode.append(LoggedTurn(session_id, x, int(t["chosen"]), float(t["propensity"]), thumb, rm,
                                      float(reward), t["candidates"], t["policy_version"]))
        episodes.append(episode)
    return episodes
