"""Agreement and preference statistics: Krippendorff's alpha, rater-vs-rest, Bradley-Terry + bootstrap."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from bot.ratings.statistics import (bradley_terry, comparisons_from_judgements, krippendorff_alpha, leaderboard,
                              plot_leaderboard, rater_agreement)

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units,
# values 1-5, missing data; published alphas: nominal .743, ordinal .815, interval .849, ratio .797.
TEXTBOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


@pytest.mark.parametrize("level, published", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                              ("ratio", 0.797)])
def test_alpha_matches_krippendorffs_worked_example(level, published):
    assert round(krippendorff_alpha(TEXTBOOK, level), 3) == published


def _alpha_by_pairs(data, level):
    """Alpha straight from its definition: mean disagreement of pairs within units vs. of all pairs."""
    units = [[v for v in col if v is not None] for col in zip(*data)]
    units = [u for u in units if len(u) >= 2]
    pooled = [v for u in units for v in u]
    n = len(pooled)
    values = sorted(set(pooled))
    count = {v: pooled.count(v) for v in values}

    def delta(a, b):
        if level == "nominal":
            return float(a != b)
        if level == "interval":
            return float(a - b) ** 2
        lo, hi = sorted((a, b))  # ordinal: ranks between the two values
        return (sum(count[g] for g in values if lo <= g <= hi) - (count[a] + count[b]) / 2) ** 2 if a != b else 0.0

    d_o = sum(sum(delta(a, b) for a, b in itertools.permutations(u, 2)) / (len(u) - 1) for u in units) / n
    d_e = sum(delta(a, b) for a, b in itertools.permutations(pooled, 2)) / (n * (n - 1))
    return 1 - d_o / d_e


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_agrees_with_its_definition_on_random_data(level):
    rng = np.random.default_rng(7)
    for _ in range(5):
        data = [[int(v) if m else None for v, m in zip(rng.integers(1, 6, 15), rng.random(15) > 0.3)] for _ in range(4)]
        assert krippendorff_alpha(data, level) == pytest.approx(_alpha_by_pairs(data, level), abs=1e-12)


def test_alpha_edge_cases_and_bad_input():
    assert krippendorff_alpha([[1, 2, 3, 4], [1, 2, 3, 4]], "interval") == pytest.approx(1.0)
    assert math.isnan(krippendorff_alpha([[3, 3, 3], [3, 3, 3]]))           # no variation: undefined
    assert math.isnan(krippendorff_alpha([[1, 2, 3], [N, N, N]]))           # nothing pairable
    assert math.isnan(krippendorff_alpha([[1, 2, float("nan")]]))           # one rater
    with pytest.raises(ValueError, match="unknown level"):
        krippendorff_alpha(TEXTBOOK, "cardinal")
    with pytest.raises(ValueError, match="one entry per unit"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])
    # Systematic disagreement goes below zero.
    assert krippendorff_alpha([[1, 5, 1, 5], [5, 1, 5, 1]], "interval") < 0


def test_rater_agreement_flags_the_rater_near_chance():
    rng = np.random.default_rng(0)
    truth = rng.integers(1, 6, 40)
    careful = [np.clip(truth + rng.integers(-1, 2, 40) * (rng.random(40) < 0.2), 1, 5) for _ in range(3)]
    random_rater = rng.integers(1, 6, 40)
    data = [[int(v) for v in row] for row in careful + [random_rater]]
    rows = rater_agreement(data, ["ann", "ben", "cat", "dan"], level="ordinal")
    by = {r["rater"]: r for r in rows}
    assert [r["rater"] for r in rows if r["flag"]] == ["dan"]
    assert abs(by["dan"]["alpha_vs_rest"]) < 0.2
    assert min(by[n]["alpha_vs_rest"] for n in ("ann", "ben", "cat")) > 0.5
    assert by["dan"]["alpha_without"] > krippendorff_alpha(data, "ordinal")  # leaving dan out helps
    assert by["dan"]["shared_units"] == 40
    # On the textbook data nobody is near chance.
    assert not any(r["flag"] for r in rater_agreement(TEXTBOOK, list("ABCD"), "nominal"))


def test_bradley_terry_recovers_odds_and_counts_ties_as_half():
    two_to_one = [("A", "B", 1.0)] * 200 + [("A", "B", 0.0)] * 100
    theta = bradley_terry(two_to_one, prior=0.0)
    assert theta["A"] - theta["B"] == pytest.approx(math.log(2), abs=1e-4)
    even = bradley_terry([("A", "B", 1.0), ("A", "B", 0.5), ("A", "B", 0.0)], prior=0.0)
    assert even["A"] == pytest.approx(even["B"], abs=1e-6)
    unbeaten = bradley_terry([("A", "B", 1.0)] * 5)  # the prior keeps a never-beaten entity finite
    assert 0 < unbeaten["A"] < 10
    assert bradley_terry([]) == {}


def test_comparisons_from_judgements_skip_same_source_and_tie():
    got = comparisons_from_judgements([("item1", [("x", 5), ("y", 3), ("x", 4), ("z", 3), (None, 1)])])
    assert got == [("x", "y", 1.0, "item1"), ("x", "z", 1.0, "item1"), ("y", "x", 0.0, "item1"),
                   ("y", "z", 0.5, "item1"), ("x", "z", 1.0, "item1")]


def test_leaderboard_intervals_cover_the_true_strengths(tmp_path):
    rng = np.random.default_rng(3)
    true = {"good": 0.8, "mid": 0.0, "bad": -0.8}
    comparisons = []
    for k in range(900):
        a, b = rng.choice(list(true), 2, replace=False)
        p = 1 / (1 + math.exp(-(true[a] - true[b])))
        comparisons.append((a, b, float(rng.random() < p), k))
    rows = leaderboard(comparisons, n_boot=100, seed=0)
    assert [r["name"] for r in rows] == ["good", "mid", "bad"]
    scale = 400 / math.log(10)
    for r in rows:
        assert r["lo"] < r["elo"] < r["hi"]
        assert r["lo"] <= 1000 + scale * true[r["name"]] <= r["hi"]
        assert r["hi"] - r["lo"] < 120  # 600 comparisons each: a usefully narrow interval
        assert r["wins"] + r["ties"] + r["losses"] == r["comparisons"]
    path = plot_leaderboard(rows, tmp_path / "bt.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
