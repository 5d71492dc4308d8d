"""Online stacking (training/policy/stacking.py): exact recursive ridge, and weight goes to the member that predicts."""
import argparse

import numpy as np
import pytest

from bot.selection.features import SCALARS
from training.policy.stacking import RecursiveRidge, parse_members

WIDTH = 3 * 4 + len(SCALARS)  # 3 x a 4-d "embedding", then the scalars


def test_recursive_ridge_is_the_closed_form_ridge_after_every_update():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 5)), rng.normal(size=40)
    model = RecursiveRidge(5, ridge=2.0)
    for i in range(40):
        model.update(X[i], y[i])
    exact = np.linalg.solve(X.T @ X + 2.0 * np.eye(5), X.T @ y)
    assert model.theta == pytest.approx(exact, abs=1e-8)


def _pool(flag_in_scalars: bool, points=80, seed=0):
    """4 candidates a decision; the satisfying one is flagged in a scalar column, or only in the embedding part."""
    rng = np.random.default_rng(seed)
    xs, sats = [], []
    for _ in range(points):
        x = rng.normal(size=(4, WIDTH)).astype(np.float32) * 0.1
        x[:, WIDTH - len(SCALARS) + SCALARS.index("bias")] = 1.0
        good = int(rng.integers(4))
        x[good, WIDTH - len(SCALARS) + SCALARS.index("cos_msg_gap") if flag_in_scalars else 0] = 1.0
        sat = np.full(4, 0.1)
        sat[good] = 0.9
        xs.append(x)
        sats.append(sat)
    return {"x": xs, "sat": sats}


def _play(pool, interactions=600, seed=0):
    from training.policy.bench import make_ours

    args = argparse.Namespace(learning_rate=3e-3, hidden=16, gamma_scale=50.0, replay=16, updates=1, loss="squared",
                              lr_decay=0.0, ema=0.9, embed_rank=4, stack="linear,0")
    learner = make_ours(WIDTH, seed, args)
    rng = np.random.default_rng(seed)
    regret = []
    for k in rng.integers(len(pool["x"]), size=interactions):
        x, sat = pool["x"][k], pool["sat"][k]
        action, p = learner.act(x)
        assert p.sum() == pytest.approx(1.0) and (p >= 0).all()
        learner.learn(x, action, 1.0 if rng.random() < sat[action] else 0.0)
        regret.append(sat.max() - sat[action])
    linear_weight, net_weight = learner.stacker.theta[:2]
    return float(np.mean(regret[-200:])), linear_weight, net_weight


def test_the_stacker_weighs_the_member_that_predicts():
    random_regret = 0.8 * 3 / 4
    # Flag in a scalar: the linear member sees it at once and the stacker leans on it (the network, which sees
    # the scalars too, catches up later and shares some of the weight).
    regret, linear_weight, net_weight = _play(_pool(flag_in_scalars=True))
    assert linear_weight > 2 * net_weight and regret < random_regret / 3
    # Flag only in the embeddings: the scalars know nothing, the network learns it and gets the weight.
    regret, linear_weight, net_weight = _play(_pool(flag_in_scalars=False))
    assert net_weight > 0.5 and net_weight > 5 * abs(linear_weight) and regret < random_regret / 2


def test_members_are_ranks_or_linear_and_at_least_two():
    assert parse_members("8,0,linear") == [8, 0, "linear"]
    for bad in ("8", "8,rank4", "8,,linear"):
        with pytest.raises(ValueError, match="--stack"):
            parse_members(bad)


def test_a_bad_stack_is_a_usage_error(capsys):
    from ui.cli import main

    with pytest.raises(SystemExit):
        main(["bench", "policy", "--stack", "8,lineer"])
    assert "--stack members are embedding ranks" in capsys.readouterr().err
