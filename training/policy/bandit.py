"""A contextual bandit baseline: LinUCB over the same candidate feature rows the learned policies see.

One shared linear model scores every candidate: r(s, a) ~ theta . x(s, a). Online, it picks the candidate
with the highest upper confidence bound theta . x + alpha * sqrt(x' A^-1 x) and updates
A += x x',  b += r x,  theta = A^-1 b  (A^-1 by Sherman-Morrison). The reward of a turn is the environment's
(`RewardMix`: the thumb, and the CSAT on the conversation's last turn), with no credit carried back to earlier
turns: that is what makes it a bandit. It learns from the same simulated customers and budget as DQN
(`rlcs train policy --algo bandit --episodes 8000`), or from a replay buffer's logged turns (ridge regression
of the logged rewards on the chosen candidates' rows). It serves greedily (argmax theta . x).

Inputs: "scalars" (the 31 scalar features, each divided by its spread) or "all" (embeddings too).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np


@dataclass
class BanditConfig:
    """Hyperparameters of the LinUCB baseline."""

    episodes: int = 8000
    """Simulated conversations to play (ignored with logged data)."""
    alpha: float = 0.3
    """Exploration: the UCB bonus alpha * sqrt(x' A^-1 x) (0 = greedy)."""
    ridge: float = 1.0
    """Prior precision: A starts at ridge * I."""
    inputs: str = "scalars"
    """scalars: the 31 scalar features (scaled by their spread); all: every feature, embeddings included."""
    seed: int = 0
    """Seed for the simulated customers and tie-breaking."""


class LinearBandit:
    """theta . x over the chosen inputs; `probabilities_from_features` serves greedily."""

    def __init__(self, theta: np.ndarray, columns: np.ndarray, scale: np.ndarray, config: dict):
        self.theta, self.columns, self.scale, self.config = theta, columns, scale, config
        self.version = config.get("version", "linucb")
        self.temperature, self.epsilon = 0.0, 0.0

    def inputs(self, x: np.ndarray) -> np.ndarray:
        z = np.asarray(x, dtype=np.float64)[:, self.columns] / self.scale
        return np.hstack([z, np.ones((len(z), 1))])

    def scores_from_features(self, x: np.ndarray) -> np.ndarray:
        return self.inputs(x) @ self.theta

    def probabilities_from_features(self, x: np.ndarray) -> np.ndarray:
        p = np.zeros(len(x))
        p[int(np.argmax(self.scores_from_features(x)))] = 1.0
        return p


def _columns(dim: int, inputs: str) -> np.ndarray:
    from bot.selection.features import SCALARS

    # The constant "bias" column is added by `inputs`; reward-model scores are left out (trained without them).
    left_out = {dim - len(SCALARS) + SCALARS.index(k) for k in ("bias", "reward", "has_reward")}
    if inputs == "scalars":
        return np.array([c for c in range(dim - len(SCALARS), dim) if c not in left_out])
    if inputs == "all":
        return np.array([c for c in range(dim) if c not in left_out])
    raise ValueError(f"inputs must be 'scalars' or 'all', got {inputs!r}")


def _scale(rows: np.ndarray, columns: np.ndarray, dim: int) -> np.ndarray:
    from bot.selection.features import SCALARS

    spread = rows[:, columns].std(0)
    scalar = columns >= dim - len(SCALARS)
    return np.where(scalar, np.maximum(spread, 0.2), 1.0)  # embeddings are already about unit size


def train(cfg: BanditConfig, env=None, logged=None, writer=None, progress: bool = True) -> tuple[LinearBandit, dict]:
    from tqdm import tqdm

    from training.policy.rl_setup import scaling_rows

    rng = np.random.default_rng(cfg.seed)
    if logged is not None and not any(logged):
        raise ValueError("the replay buffer has no logged turns to learn from")
    rows = scaling_rows(env, logged, rng)
    dim = rows.shape[1]
    columns = _columns(dim, cfg.inputs)
    scale = _scale(rows, columns, dim)
    bandit = LinearBandit(np.zeros(len(columns) + 1), columns, scale, {})
    d = len(columns) + 1
    history = {"episode_return": [], "satisfaction": []}
    if logged is not None:  # ridge regression of the logged rewards on the chosen rows
        X = np.stack([bandit.inputs(t["x"][t["action"]][None])[0] for ep in logged for t in ep])
        y = np.array([t["reward"] for ep in logged for t in ep])
        bandit.theta = np.linalg.solve(X.T @ X + cfg.ridge * np.eye(d), X.T @ y)
        return bandit, history
    from training.policy.stacking import RecursiveRidge

    ridge = RecursiveRidge(d, cfg.ridge)  # A^-1 and theta, kept up to date by Sherman-Morrison
    bar = tqdm(range(cfg.episodes), desc="linucb", disable=not progress)
    for episode in bar:
        obs, total = env.reset(), 0.0
        while obs is not None:
            z = bandit.inputs(obs.features)
            ucb = z @ bandit.theta + cfg.alpha * np.sqrt(np.maximum(((z @ ridge.a_inv) * z).sum(1), 0.0))
            best = np.flatnonzero(ucb >= ucb.max() - 1e-12)
            action = int(rng.choice(best))
            obs_next, reward, done, info = env.step(action)
            ridge.update(z[action], reward)
            bandit.theta = ridge.theta
            total += reward
            obs = obs_next
        history["episode_return"].append(total)
        history["satisfaction"].append(info["conversation_satisfaction"])
        if writer is not None:
            writer.add_scalar("linucb/satisfaction", info["conversation_satisfaction"], episode)
        if episode % 50 == 49:
            bar.set_postfix(sat=f"{np.mean(history['satisfaction'][-50:]):.3f}")
    return bandit, history


def save(bandit: LinearBandit, out: str | Path, cfg: BanditConfig, card: dict) -> str:
    from bot.selection.features import FEATURES_VERSION

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(bandit.theta.tobytes() + bandit.scale.tobytes()).hexdigest()[:10]
    config = {"algo": "linucb", "version": f"linucb-{digest}", "features_version": FEATURES_VERSION,
              "temperature": 0.0, "epsilon": 0.0, "reward_feature": False, "train_config": asdict(cfg)}
    np.savez(out / "bandit.npz", theta=bandit.theta, columns=bandit.columns, scale=bandit.scale)
    (out / "config.json").write_text(json.dumps(config, indent=2))
    (out / "card.json").write_text(json.dumps(card, indent=2, default=str))
    bandit.config, bandit.version = config, config["version"]
    return config["version"]


def is_bandit(path: str | Path) -> bool:
    return (Path(path) / "bandit.npz").exists()


def load(path: str | Path) -> LinearBandit:
    from bot.selection.features import FEATURES_VERSION

    path = Path(path)
    config = json.loads((path / "config.json").read_text())
    if config.get("features_version") != FEATURES_VERSION:
        raise ValueError(f"{path} was trained on {config.get('features_version')}, not {FEATURES_VERSION}: retrain it")
    with np.load(path / "bandit.npz") as saved:
        return LinearBandit(saved["theta"], saved["columns"], saved["scale"], config)
