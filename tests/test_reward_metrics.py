"""The USS paper's metrics, computed as its code does, and the cut points that turn a reward into classes."""
import numpy as np
import pytest

from training.reward import uss_metrics as m


def reference_uss_rho(x, y):
    """The USS formula written out plainly: rank = 1 + how many values are smaller; no tie correction."""
    rank = lambda v: [1 + sum(o < a for o in v) for a in v]  # noqa: E731
    d = sum((a - b) ** 2 for a, b in zip(rank(x), rank(y)))
    n = len(x)
    return 1 - 6 * d / (n * (n * n - 1))


def test_uss_rho_uses_lowest_rank_for_ties_not_textbook_spearman():
    rng = np.random.default_rng(0)
    label = rng.choice(5, size=120, p=[0.02, 0.08, 0.8, 0.08, 0.02])
    pred = np.clip(label + rng.integers(-1, 2, size=120), 0, 4)
    assert m.uss_spearman(pred, label) == pytest.approx(reference_uss_rho(list(pred), list(label)))
    assert m.uss_spearman(pred, label) != pytest.approx(m.spearman_rho(pred, label), abs=1e-3)


def test_kappa_matches_sklearn():
    sklearn = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    b[:80] = a[:80]
    assert m.cohen_kappa(a, b) == pytest.approx(sklearn.cohen_kappa_score(a, b))


def test_uar_counts_absent_classes_as_zero_and_f1_keeps_uss_denominator():
    label = np.array([2, 2, 2, 2, 1, 1, 3, 3])
    pred = np.array([2, 2, 2, 1, 1, 2, 3, 2])
    assert m.uar(pred, label) == pytest.approx((0 + 0.5 + 0.75 + 0.5 + 0) / 5)
    # dissatisfied = class < 2: recall 1/2, precision 1/2 -> r + p = 1, textbook and USS agree
    assert m.uss_f1(pred, label) == pytest.approx(0.5) == m.f1(pred, label)
    pred2 = np.array([1, 1, 1, 2, 2, 2, 3, 2])  # recall 0/2... make r + p < 1: one hit out of 3 predicted
    pred2[4] = 1
    r, p = 1 / 2, 1 / 4
    assert m.f1(pred2, label) == pytest.approx(2 * r * p / (r + p))
    assert m.uss_f1(pred2, label) == pytest.approx(2 * r * p)  # their max(r + p, 1) denominator


def test_fit_cuts_separates_a_learnable_signal():
    rng = np.random.default_rng(2)
    label = rng.choice(5, size=2000, p=[0.01, 0.06, 0.83, 0.08, 0.02])
    scores = label + rng.normal(0, 0.6, size=2000)
    cuts = m.fit_cuts(scores, label, "kappa")
    assert cuts == sorted(cuts) and len(cuts) == 4
    pred = m.classify(scores, cuts)
    initial = m.classify(scores, np.quantile(scores, np.cumsum([(label == c).mean() for c in range(5)])[:-1]))
    assert m.cohen_kappa(pred, label) >= m.cohen_kappa(initial, label) > 0.3
    assert m.classify([-10, 10], cuts).tolist() == [0, 4]
