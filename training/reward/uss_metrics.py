"""The four satisfaction-prediction metrics of the USS paper, computed exactly as its code does.

Sun et al., SIGIR 2021, "Simulating User Satisfaction for the Evaluation of Task-oriented Dialogue
Systems"; code: github.com/sunnweiwei/user-satisfaction-simulation, baselines/train_sat.py `test()`.
Classes are 0..4 (= rating 1..5, the majority vote of the annotators, ties to the lower rating).

- UAR: recall per class, averaged over all 5 classes; a class absent from the labels counts as recall 0.
- kappa: Cohen's kappa (unweighted), as sklearn's cohen_kappa_score.
- rho: their `spearman()`: ranks are `sorted(x).index(v) + 1` (ties share the LOWEST rank, not the
  average) put into 1 - 6*sum(d^2)/(n(n^2-1)), the no-ties formula. With 90% of labels tied at 3 this
  is not the textbook Spearman rho; `spearman_rho` below is (scipy, ties averaged). We report both.
- F1: "dissatisfied" (class < 2, i.e. rating 1-2) as the positive class; their formula divides by
  max(recall + precision, 1), which is lower than the textbook F1 when recall + precision < 1.
  `f1` below is the textbook one. We report both.
"""
from __future__ import annotations

import numpy as np

N_CLASSES = 5
# Table 3 of the paper, MultiWOZ, exchange-level satisfaction prediction.
BASELINES = {
    "BERT": {"uar": 0.256, "kappa": 0.133, "rho": 0.823, "f1": 0.224},
    "HiGRU": {"kappa": 0.143, "rho": 0.886, "f1": 0.238},
}


def uar(pred, label, n_classes: int = N_CLASSES) -> float:
    pred, label = np.asarray(pred), np.asarray(label)
    recalls = [float((pred[label == c] == c).sum()) / max(int((label == c).sum()), 1) for c in range(n_classes)]
    return float(np.mean(recalls))


def cohen_kappa(pred, label) -> float:
    pred, label = np.asarray(pred), np.asarray(label)
    classes, codes = np.unique(np.concatenate([label, pred]), return_inverse=True)
    k = len(classes)
    confusion = np.bincount(codes[: len(label)] * k + codes[len(label):], minlength=k * k).reshape(k, k).astype(float)
    n = confusion.sum()
    observed = np.trace(confusion) / n
    expected = float((confusion.sum(0) * confusion.sum(1)).sum()) / n**2
    return float((observed - expected) / (1 - expected)) if expected < 1 else 0.0


def uss_spearman(pred, label) -> float:
    """Their formula: lowest rank for ties, no tie correction."""
    x, y = np.asarray(pred, dtype=float), np.asarray(label, dtype=float)
    n = len(x)
    rank_x = np.searchsorted(np.sort(x), x, side="left") + 1  # == sorted(x).index(v) + 1
    rank_y = np.searchsorted(np.sort(y), y, side="left") + 1
    d = float(((rank_x - rank_y) ** 2).sum())
    return 1.0 - 6.0 * d / float(n * (n**2 - 1.0))


def spearman_rho(a, b) -> float:
    """Textbook Spearman rho (ties get average ranks)."""
    from scipy.stats import spearmanr

    if np.ptp(np.asarray(a, dtype=float)) == 0 or np.ptp(np.asarray(b, dtype=float)) == 0:
        return 0.0  # a constant ranks nothing (scipy would warn and return nan)
    value = spearmanr(a, b).statistic
    return float(value) if np.isfinite(value) else 0.0


def _dissatisfied_recall_precision(pred, label) -> tuple[float, float]:
    bp, bl = np.asarray(pred) < 2, np.asarray(label) < 2
    recall = float((bp & bl).sum()) / max(int(bl.sum()), 1)
    precision = float((bp & bl).sum()) / max(int(bp.sum()), 1)
    return recall, precision


def uss_f1(pred, label) -> float:
    recall, precision = _dissatisfied_recall_precision(pred, label)
    return 2 * recall * precision / max(recall + precision, 1)


def f1(pred, label) -> float:
    recall, precision = _dissatisfied_recall_precision(pred, label)
    return 2 * recall * precision / (recall + precision) if recall + precision else 0.0


def uss_metrics(pred, label) -> dict:
    """The paper's four numbers (its way), plus textbook rho and F1 alongside."""
    return {"uar": uar(pred, label), "kappa": cohen_kappa(pred, label), "rho": uss_spearman(pred, label),
            "f1": uss_f1(pred, label), "rho_textbook": spearman_rho(pred, label), "f1_textbook": f1(pred, label)}


# -- from a scalar reward to 5 classes ----------------------------------------------------------
def classify(scores, cuts) -> np.ndarray:
    """Class = how many cut points lie below the score (cuts ascending): 4 cuts -> classes 0..4."""
    return np.searchsorted(np.asarray(cuts), np.asarray(scores), side="right")


USS_FUNCTIONS = {"uar": uar, "kappa": cohen_kappa, "rho": uss_spearman, "f1": uss_f1}


def objective(pred, label, name: str) -> float:
    if name == "baseline_ratio":  # the weakest of the four metrics, relative to the paper's BERT baseline
        return min(USS_FUNCTIONS[k](pred, label) / v for k, v in BASELINES["BERT"].items())
    if name not in USS_FUNCTIONS:
        raise ValueError(f"unknown cut objective {name!r}; use baseline_ratio, {', '.join(USS_FUNCTIONS)}")
    return USS_FUNCTIONS[name](pred, label)


def fit_cuts(scores, label, name: str = "baseline_ratio", grid: int = 200, rounds: int = 4) -> list[float]:
    """Ordinal cut points on the reward scale, fitted on a dev split by coordinate ascent.

    Start from the cuts that reproduce the dev split's class proportions; then, one cut at a time,
    try every candidate value (score quantiles) between its neighbours and keep the best `name`
    objective; stop when a round changes nothing.
    """
    scores, label = np.asarray(scores, dtype=float), np.asarray(label)
    proportions = np.cumsum([(label == c).mean() for c in range(N_CLASSES)])[:-1]
    cuts = list(np.quantile(scores, np.clip(proportions, 0, 1)))
    values = np.unique(np.quantile(scores, np.linspace(0, 1, grid)))
    candidates = np.concatenate([[values[0] - 1.0], (values[1:] + values[:-1]) / 2, [values[-1] + 1.0]])
    best = objective(classify(scores, cuts), label, name)
    for _ in range(rounds):
        changed = False
        for k in range(len(cuts)):
            lo = cuts[k - 1] if k else -np.inf
            hi = cuts[k + 1] if k + 1 < len(cuts) else np.inf
            for value in candidates[(candidates >= lo) & (candidates <= hi)]:
                trial = cuts[:k] + [float(value)] + cuts[k + 1:]
                score = objective(classify(scores, trial), label, name)
                if score > best + 1e-12:
                    best, cuts, changed = score, trial, True
        if not changed:
            break
    return [float(c) for c in cuts]
