"""Off-policy evaluation: what would policy pi have earned on turns that another policy (mu) served?

For each logged turn i with candidates C_i, the served index a_i, its logged propensity mu_i = mu(a_i|s_i)
and the observed reward r_i, with importance weight w_i = pi(a_i|s_i) / mu_i:

    IPS    V = mean_i  w_i r_i                                      unbiased, high variance
    SNIPS  V = sum_i w_i r_i / sum_i w_i                            self-normalised: small bias, less variance
    DR     V = mean_i [ sum_a pi(a|s_i) q(s_i,a) + w_i (r_i - q(s_i,a_i)) ]
                                                                    a reward model q corrects IPS's noise and
                                                                    IPS corrects q's bias (doubly robust)

q is a ridge regression on the candidate's feature row, cross-fitted over two halves of the sessions so no
turn is scored by a q that saw it. Confidence intervals: the bootstrap over SESSIONS (turns of one
conversation are not independent), percentile method.

The per-turn reward for evaluation is the customer's thumb mapped to {0, 1} (turns without a thumb are
left out). The logged turns come from training/policy/logged_data.py.
"""
from __future__ import annotations

import numpy as np

ESTIMATORS = ("ips", "snips", "dr")


from training.policy.logged_data import LoggedTurn, load_logged  # noqa: F401,E402  (the data OPE reads)


# -- the reward model q(s, a) for DR ----------------------------------------------------------------
def fit_ridge(X: np.ndarray, y: np.ndarray, alpha: float = 10.0) -> np.ndarray:
    X1 = np.hstack([X, np.ones((len(X), 1))])
    A = X1.T @ X1 + alpha * np.eye(X1.shape[1])
    return np.linalg.solve(A, X1.T @ y)


def predict_ridge(coef: np.ndarray, X: np.ndarray) -> np.ndarray:
    return np.clip(X @ coef[:-1] + coef[-1], 0.0, 1.0)


def cross_fitted_q(turns: list[LoggedTurn], rewards: np.ndarray, seed: int = 0) -> list[np.ndarray]:
    """q(s_i, .) for every candidate of every turn, from a model fitted on the OTHER half of the sessions."""
    sessions = sorted({t.session_id for t in turns})
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(sessions, rng.integers(2, size=len(sessions))))
    folds = np.array([fold_of[t.session_id] for t in turns])
    q = [None] * len(turns)
    for k in (0, 1):
        train = np.where(folds != k)[0]
        if len(train) < 5:  # too little to fit: a constant model (DR falls back to IPS-like behaviour)
            mean = float(rewards[train].mean()) if len(train) else float(rewards.mean())
            for i in np.where(folds == k)[0]:
                q[i] = np.full(len(turns[i].x), mean)
            continue
        coef = fit_ridge(np.stack([turns[i].x[turns[i].action] for i in train]).astype(np.float64), rewards[train])
        for i in np.where(folds == k)[0]:
            q[i] = predict_ridge(coef, turns[i].x.astype(np.float64))
    return q


# -- estimates and intervals -------------------------------------------------------------------------
def contributions(target_probs: list[np.ndarray], turns: list[LoggedTurn], rewards: np.ndarray, q: list[np.ndarray]):
    """Per-turn terms: w_i, w_i r_i and the DR term."""
    w = np.array([p[t.action] / max(t.propensity, 1e-12) for p, t in zip(target_probs, turns)])
    dm = np.array([float(p @ qi) for p, qi in zip(target_probs, q)])
    q_logged = np.array([qi[t.action] for qi, t in zip(q, turns)])
    return w, w * rewards, dm + w * (rewards - q_logged)


def estimate(target_probs: list[np.ndarray], turns: list[LoggedTurn], rewards: np.ndarray, q: list[np.ndarray],
             n_boot: int = 1000, alpha: float = 0.05, seed: int = 0) -> dict:
    """IPS / SNIPS / DR point estimates with session-bootstrap (1 - alpha) intervals."""
    w, wr, drt = contributions(target_probs, turns, rewards, q)
    sessions = sorted({t.session_id for t in turns})
    index = {s: k for k, s in enumerate(sessions)}
    sid = np.array([index[t.session_id] for t in turns])
    # Per-session sums, so one bootstrap draw is a weighted sum over sessions.
    S = len(sessions)
    sums = {name: np.bincount(sid, weights=v, minlength=S) for name, v in
            (("w", w), ("wr", wr), ("dr", drt), ("n", np.ones(len(turns))))}
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(S, np.full(S, 1.0 / S), size=n_boot).astype(np.float64)  # [B, S]
    boot = {k: counts @ v for k, v in sums.items()}
    draws = {"ips": boot["wr"] / boot["n"], "snips": boot["wr"] / np.maximum(boot["w"], 1e-12), "dr": boot["dr"] / boot["n"]}
    point = {"ips": wr.mean(), "snips": wr.sum() / max(w.sum(), 1e-12), "dr": drt.mean()}
    lo, hi = 100 * alpha / 2, 100 * (1 - alpha / 2)
    out = {"n_turns": len(turns), "n_sessions": S, "mean_weight": float(w.mean()),
           "effective_sample_size": float(w.sum() ** 2 / max((w ** 2).sum(), 1e-12))}
    for name in ESTIMATORS:
        out[name] = float(point[name])
        out[f"{name}_lo"], out[f"{name}_hi"] = (float(v) for v in np.percentile(draws[name], [lo, hi]))
    return out


def thumb_turns(episodes: list[list[LoggedTurn]], first_only: bool = False) -> tuple[list[LoggedTurn], np.ndarray]:
    """The turns with a thumb, and their reward in {0, 1}."""
    turns = [t for ep in episodes for k, t in enumerate(ep) if t.thumb != 0 and (k == 0 or not first_only)]
    return turns, np.array([(t.thumb + 1) / 2 for t in turns], dtype=np.float64)


def logging_value(turns: list[LoggedTurn], rewards: np.ndarray, n_boot: int = 1000, seed: int = 0) -> dict:
    """The on-policy value of the logging policy itself: the mean observed reward, with the same bootstrap."""
    probs = []
    for t in turns:  # "pi = mu": weight 1 on every logged action
        p = np.zeros(len(t.x))
        p[t.action] = t.propensity
        probs.append(p)
    q = [np.zeros(len(t.x)) for t in turns]
    return estimate(probs, turns, rewards, q, n_boot=n_boot, seed=seed)
