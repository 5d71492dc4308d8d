"""Statistics over human ratings: how much raters agree, and which replies they prefer.

    krippendorff_alpha   agreement of any number of raters, with missing ratings, at the
                         nominal / ordinal / interval / ratio level (Krippendorff 2011,
                         "Computing Krippendorff's Alpha-Reliability")
    rater_agreement      each rater against the rest, flagging raters whose agreement is near chance
    bradley_terry        strengths from pairwise comparisons (as Chatbot Arena's leaderboard),
    leaderboard          ... with bootstrap 95% intervals, resampling whole items

Pure numpy/scipy: the rating store (bot/ratings/store.py) turns its rows into the shapes used here.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np

LEVELS = ("nominal", "ordinal", "interval", "ratio")
ELO_SCALE = 400 / math.log(10)  # theta (natural-log odds) -> Elo points, as Chatbot Arena reports them
ELO_BASE = 1000.0


# -- Krippendorff's alpha -----------------------------------------------------------------------
def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _pairable_units(data: Sequence[Sequence]) -> list[list[float]]:
    """Columns of the raters x units matrix, missing values dropped, keeping units with >= 2 values."""
    if not len(data):
        return []
    n_units = len(data[0])
    if any(len(row) != n_units for row in data):
        raise ValueError("every rater's row must have one entry per unit (None where the rater gave no value)")
    units = []
    for u in range(n_units):
        values = [float(row[u]) for row in data if not _missing(row[u])]
        if len(values) >= 2:
            units.append(values)
    return units


def _delta2(values: np.ndarray, n_c: np.ndarray, level: str) -> np.ndarray:
    """The squared difference function delta^2(c, k) over the sorted distinct values."""
    c, k = values[:, None], values[None, :]
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        s = c + k
        return np.divide((c - k) ** 2, s ** 2, out=np.zeros_like(s), where=s != 0)
    if level == "ordinal":
        # (sum of n_g for g from c to k) - (n_c + n_k) / 2, squared: ranks, not distances, count.
        cum = np.concatenate([[0.0], np.cumsum(n_c)])
        i, j = np.arange(len(values))[:, None], np.arange(len(values))[None, :]
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cum[hi + 1] - cum[lo]
        return (between - (n_c[i] + n_c[j]) / 2) ** 2 * (i != j)
    raise ValueError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")


def _coincidences(units: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and the coincidence matrix o[c, k] (each unit's m(m-1) ordered pairs weigh 1/(m-1))."""
    values = np.array(sorted({v for unit in units for v in unit}))
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in units:
        counts = np.zeros(len(values))
        for v in unit:
            counts[index[v]] += 1
        pairs = np.outer(counts, counts) - np.diag(counts)  # ordered pairs of different raters
        o += pairs / (len(unit) - 1)
    return values, o


def krippendorff_alpha(data: Sequence[Sequence], level: str = "nominal") -> float:
    """Krippendorff's alpha for `data[rater][unit]` (None or NaN = missing); NaN when undefined.

    alpha = 1 - D_o / D_e, from the coincidence matrix: observed disagreement among values
    given to the same unit, over the disagreement expected if values were paired by chance.
    Undefined (NaN) without pairable units or when every value is the same.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")
    units = _pairable_units(data)
    if not units:
        return float("nan")
    values, o = _coincidences(units)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d2 = _delta2(values, n_c, level)
    expected = (np.outer(n_c, n_c) * d2).sum()
    if expected == 0:
        return float("nan")
    return float(1 - (n - 1) * (o * d2).sum() / expected)


def rater_agreement(data: Sequence[Sequence], raters: Sequence[str], level: str = "ordinal",
                    chance_threshold: float = 0.2, min_units: int = 5) -> list[dict]:
    """Each rater against the rest: alpha over only the pairs that include this rater.

    alpha_vs_rest = 1 - D_o(r) / D_e, where D_o(r) is the rater's mean disagreement with the others
    who rated the same units and D_e is the chance disagreement of all values: 1 = always agrees,
    0 = no better than chance. `flag` is set when alpha_vs_rest < chance_threshold on at least
    `min_units` shared units. alpha_without is the overall alpha with this rater left out.
    """
    if len(raters) != len(data):
        raise ValueError("one rater name per row of data")
    units_all = _pairable_units(data)
    rows = []
    if units_all:
        values, o = _coincidences(units_all)
        n_c = o.sum(axis=1)
        n = n_c.sum()
        d2 = _delta2(values, n_c, level)
        index = {v: i for i, v in enumerate(values)}
        d_e = (np.outer(n_c, n_c) * d2).sum() / (n * (n - 1))
    for r, name in enumerate(raters):
        shared, disagreement = 0, 0.0
        for u in range(len(data[r])):
            mine = data[r][u]
            if _missing(mine) or not units_all:
                continue
            others = [float(data[q][u]) for q in range(len(data)) if q != r and not _missing(data[q][u])]
            if not others:
                continue
            shared += 1
            disagreement += np.mean([d2[index[float(mine)], index[v]] for v in others])
        alpha_vs_rest = float("nan")
        if shared and units_all and d_e > 0:
            alpha_vs_rest = float(1 - (disagreement / shared) / d_e)
        rest = [row for q, row in enumerate(data) if q != r]
        rows.append({
            "rater": name,
            "shared_units": shared,
            "alpha_vs_rest": alpha_vs_rest,
            "alpha_without": krippendorff_alpha(rest, level) if rest else float("nan"),
            "flag": bool(shared >= min_units and not math.isnan(alpha_vs_rest) and alpha_vs_rest < chance_threshold),
        })
    return rows


# -- Bradley-Terry ------------------------------------------------------------------------------
def comparisons_from_judgements(judgements: Iterable[tuple[str, Sequence[tuple[str | None, float]]]]):
    """Pairwise outcomes from graded judgements.

    `judgements`: (cluster, [(label, value), ...]) per rater per item, higher value = better.
    Every pair of candidates with different, known labels is one comparison: the higher value wins,
    equal values are a tie (half a win each). Returns [(a, b, outcome_for_a, cluster), ...].
    """
    out = []
    for cluster, graded in judgements:
        graded = [(label, float(v)) for label, v in graded if label is not None and not _missing(v)]
        for i in range(len(graded)):
            for j in range(i + 1, len(graded)):
                (a, va), (b, vb) = graded[i], graded[j]
                if a == b:
                    continue  # same source on both sides says nothing about sources
                out.append((a, b, 1.0 if va > vb else 0.0 if va < vb else 0.5, cluster))
    return out


def bradley_terry(comparisons: Sequence[tuple], prior: float = 0.1) -> dict[str, float]:
    """Maximum a-posteriori Bradley-Terry strengths theta (natural-log odds, mean 0).

    P(a beats b) = sigmoid(theta_a - theta_b); a tie counts half a win for each side (as Chatbot
    Arena does). `prior` is the precision of a Gaussian prior on theta: it keeps strengths finite
    when an entity never loses, and is negligible once there are dozens of comparisons.
    """
    from scipy.optimize import minimize

    names = sorted({c[0] for c in comparisons} | {c[1] for c in comparisons})
    if not names:
        return {}
    index = {name: i for i, name in enumerate(names)}
    a = np.array([index[c[0]] for c in comparisons])
    b = np.array([index[c[1]] for c in comparisons])
    y = np.array([float(c[2]) for c in comparisons])

    def loss(theta):
        z = theta[a] - theta[b]
        # -[y log s(z) + (1-y) log s(-z)], written stably
        nll = np.sum(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y)) + prior / 2 * theta @ theta
        g_z = 1 / (1 + np.exp(-z)) - y
        grad = prior * theta
        np.add.at(grad, a, g_z)
        np.add.at(grad, b, -g_z)
        return nll, grad

    theta = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B").x
    theta -= theta.mean()
    return {name: float(theta[index[name]]) for name in names}


def leaderboard(comparisons: Sequence[tuple], n_boot: int = 200, seed: int = 0, ci: float = 0.95,
                prior: float = 0.1) -> list[dict]:
    """Bradley-Terry strengths on the Elo scale with bootstrap intervals, best first.

    The bootstrap resamples clusters (the 4th field of a comparison: the rated item), not single
    comparisons, because the pairs drawn from one judgement are not independent.
    Rows: name, elo, lo, hi (the `ci` percentile interval), theta, comparisons, wins, ties, losses.
    """
    if not comparisons:
        return []
    point = bradley_terry(comparisons, prior)
    clusters: dict = defaultdict(list)
    for c in comparisons:
        clusters[c[3] if len(c) > 3 else id(c)].append(c)
    keys = list(clusters)
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {name: [] for name in point}
    for _ in range(n_boot):
        sample = [c for k in rng.choice(len(keys), size=len(keys)) for c in clusters[keys[k]]]
        for name, theta in bradley_terry(sample, prior).items():
            draws[name].append(theta)  # an entity missing from a resample has no draw there
    tail = (1 - ci) / 2 * 100
    counts = {name: [0, 0, 0, 0] for name in point}  # comparisons, wins, ties, losses
    for a, b, y, *_ in comparisons:
        for name, res in ((a, y), (b, 1 - y)):
            counts[name][0] += 1
            counts[name][1 if res == 1 else 2 if res == 0.5 else 3] += 1
    rows = []
    for name, theta in point.items():
        d = np.array(draws[name]) if draws[name] else np.array([theta])
        lo, hi = np.percentile(d, [tail, 100 - tail])
        rows.append({"name": name, "elo": ELO_BASE + ELO_SCALE * theta, "lo": float(ELO_BASE + ELO_SCALE * lo),
                     "hi": float(ELO_BASE + ELO_SCALE * hi), "theta": theta, "comparisons": counts[name][0],
                     "wins": counts[name][1], "ties": counts[name][2], "losses": counts[name][3]})
    return sorted(rows, key=lambda r: -r["elo"])


def plot_leaderboard(rows: list[dict], path, title: str = "Bradley-Terry strength (95% bootstrap interval)"):
    """Draw the leaderboard as points with interval bars (matplotlib PNG); returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, max(2.6, 1.2 + 0.45 * len(rows))))
    names = [r["name"] for r in rows][::-1]
    elo = np.array([r["elo"] for r in rows][::-1])
    lo = np.array([r["lo"] for r in rows][::-1])
    hi = np.array([r["hi"] for r in rows][::-1])
    ax.errorbar(elo, np.arange(len(rows)), xerr=[elo - lo, hi - elo], fmt="o", capsize=4)
    ax.set_yticks(np.arange(len(rows)), names)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.axvline(ELO_BASE, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("Elo-scale strength (1000 = average)")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# -- from the rating store's rows (bot/ratings/store.py: RatingStore.rating_rows) ---------------------
def ratings_matrix(rows: Sequence[dict]) -> tuple[list[str], list[tuple], list[list]]:
    """raters x units (a unit = one candidate reply of one item), None where a rater gave no value."""
    raters = sorted({r["rater_id"] for r in rows})
    units = sorted({(r["item_id"], r["idx"]) for r in rows})
    r_index = {name: i for i, name in enumerate(raters)}
    u_index = {u: j for j, u in enumerate(units)}
    data = [[None] * len(units) for _ in raters]
    for r in rows:
        data[r_index[r["rater_id"]]][u_index[(r["item_id"], r["idx"])]] = r["value"]
    return raters, units, data


def agreement_table(rows: Sequence[dict]) -> list[dict]:
    """Alpha at three levels, pooled over all sessions of a mode and per session."""
    scopes: dict[tuple, list] = defaultdict(list)
    for r in rows:
        scopes[(f"all {r['mode']} sessions", r["mode"])].append(r)
        scopes[(r["session_id"], r["mode"])].append(r)
    out = []
    for (scope, mode), part in scopes.items():
        raters, units, data = ratings_matrix(part)
        out.append({"scope": scope, "mode": mode, "raters": len(raters), "items": len({u[0] for u in units}),
                    "units": len(units), **{f"alpha_{lv}": krippendorff_alpha(data, lv)
                                            for lv in ("nominal", "ordinal", "interval")}})
    return out


def rater_table(rows: Sequence[dict], level: str = "ordinal", chance_threshold: float = 0.2,
                min_units: int = 5) -> list[dict]:
    """Per session, each rater's agreement with the rest (see `rater_agreement`)."""
    by_session: dict[str, list] = defaultdict(list)
    for r in rows:
        by_session[r["session_id"]].append(r)
    out = []
    for session_id, part in by_session.items():
        raters, units, data = ratings_matrix(part)
        for row in rater_agreement(data, raters, level, chance_threshold, min_units):
            out.append({"session_id": session_id, "items": len({r["item_id"] for r in part
                                                                if r["rater_id"] == row["rater"]}), **row})
    return out


def label_of(row: dict, key: str) -> str | None:
    """What a candidate is compared as: its source, or its policy version ('(not chosen)' for the
    alternatives a logged policy passed over, so versions are compared against a common pool)."""
    if key == "source":
        return row["source"]
    if key == "policy_version":
        if row.get("policy_version"):
            return row["policy_version"]
        return "(not chosen)" if row.get("chosen") == 0 else None
    raise ValueError(f"compare by 'source' or 'policy_version', not {key!r}")


def comparisons_from_rows(rows: Sequence[dict], key: str = "source") -> list[tuple]:
    """Pairwise outcomes between labels within each (item, rater) judgement; clusters are items."""
    judgements: dict[tuple, list] = defaultdict(list)
    for r in rows:
        judgements[(r["item_id"], r["rater_id"])].append((label_of(r, key), r["value"]))
    return comparisons_from_judgements((item, graded) for (item, _), graded in judgements.items())
