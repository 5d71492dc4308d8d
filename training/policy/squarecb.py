"""SquareCB's exploration (Foster & Rakhlin 2020): inverse gap weighting over a regressor's scores.

    p(a) = 1 / (N + gamma * (best - score_a)) for every candidate but the best, which gets the rest

A candidate scored close to the best is tried often, one far below it rarely; gamma grows with time (the bench
uses gamma_t = scale * sqrt(t)), so exploration fades as the regressor improves.
"""
from __future__ import annotations

import numpy as np


def inverse_gap_weighting(scores, gamma: float) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    best = int(np.argmax(scores))
    p = 1.0 / (len(scores) + gamma * (scores[best] - scores))
    p[best] = 0.0
    p[best] = 1.0 - p.sum()
    return p
