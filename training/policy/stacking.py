"""Online stacking for the bench's learner: several regressors of the thumb, combined by least squares.

    rlcs bench policy --stack 8,0,linear

One network is one bet on how fast to learn: the rank-8 SelectionNet (embeddings squeezed to 8 numbers) learns in a
few hundred decisions and then stops improving; the plain MLP over all 1,173 inputs (rank 0) starts slower but
reads the embeddings in full (fed every candidate's satisfaction, it picks the best one more often on unseen
decision points: docs/selection-policy.md, "Round 7"); a ridge regression over the 31 scalars is right fastest of
all. Rather than choosing one, each member predicts the thumb of the chosen candidate *before* it learns from it,
and a recursive ridge regression (the stacker) fits the thumb on those honest predictions: it weighs each member
by how well it has been predicting so far, and moves the weight from the fast members to the slow ones as they
catch up. Exploration is SquareCB's inverse gap weighting on the stacked score, as for a single network.

Members: an integer = a SelectionNet with that embedding rank (the other flags: width, learning rate, replay,
averaging, as for one network); "linear" = the ridge regression over the scalars.
"""
from __future__ import annotations

import numpy as np

from training.policy.squarecb import inverse_gap_weighting

SCALAR_SPREAD_DECISIONS = 200  # as the networks: scalars are divided by their spread over the first 200 decisions


class RecursiveRidge:
    """Exact online ridge regression: theta = (ridge * I + X'X)^-1 X'y, kept up to date by Sherman-Morrison."""

    def __init__(self, dim: int, ridge: float = 1.0):
        self.a_inv = np.eye(dim) / ridge
        self.b = np.zeros(dim)
        self.theta = np.zeros(dim)

    def predict(self, z: np.ndarray) -> np.ndarray:
        return z @ self.theta

    def update(self, z: np.ndarray, y: float) -> None:
        v = self.a_inv @ z
        self.a_inv -= np.outer(v, v) / (1.0 + z @ v)
        self.b += y * z
        self.theta = self.a_inv @ self.b


class ScalarRidge:
    """The linear member: ridge regression of the thumb on the scalar features (each divided by its spread)."""

    def __init__(self, n_scalars: int):
        self.n_scalars, self.t = n_scalars, 0
        self.rows_seen = np.zeros((0, n_scalars))
        self.spread = np.ones(n_scalars)
        self.model = RecursiveRidge(n_scalars + 1)

    def _inputs(self, x: np.ndarray) -> np.ndarray:
        z = x[:, -self.n_scalars:] / self.spread
        return np.hstack([z, np.ones((len(z), 1))])

    def scores(self, x: np.ndarray) -> np.ndarray:
        if self.t < SCALAR_SPREAD_DECISIONS:
            self.rows_seen = np.concatenate([self.rows_seen, x[:, -self.n_scalars:]])
            self.spread = np.maximum(self.rows_seen.std(0), 0.2)
        self.t += 1
        return self.model.predict(self._inputs(x))

    def learn(self, x: np.ndarray, action: int, reward: float) -> None:
        self.model.update(self._inputs(x[action:action + 1])[0], reward)


class StackedLearner:
    """Members' scores, stacked by a recursive ridge regression fitted on their progressive predictions."""

    def __init__(self, members: list, gamma_scale: float, seed: int, ridge: float = 1.0):
        self.members, self.gamma_scale, self.t = members, gamma_scale, 0
        self.stacker = RecursiveRidge(len(members) + 1, ridge)
        self.rng = np.random.default_rng(seed)
        self._inputs = None  # this decision's members' scores, kept for `learn`

    def act(self, x):
        self._inputs = np.column_stack([m.scores(x) for m in self.members] + [np.ones(len(x))])
        self.t += 1
        p = inverse_gap_weighting(self.stacker.predict(self._inputs), self.gamma_scale * np.sqrt(self.t))
        return int(self.rng.choice(len(x), p=p)), p

    def learn(self, x, action: int, reward: float):
        self.stacker.update(self._inputs[action], reward)  # the members' predictions from before they learn this
        for member in self.members:
            member.learn(x, action, reward)


def parse_members(text: str) -> list:
    """"8,0,linear" -> [8, 0, "linear"]; a clear message for anything else."""
    members = []
    for word in (w.strip() for w in text.split(",")):
        if word == "linear":
            members.append(word)
        elif word.isdigit():
            members.append(int(word))
        else:
            raise ValueError(f"--stack members are embedding ranks (0, 4, 8...) or 'linear', got {word!r}")
    if len(members) < 2:
        raise ValueError(f"--stack needs at least two members, got {text!r}")
    return members
