"""`rlcs bench policy --tune-vw / --tune-ours / --tune`: the grids on the tuning seeds, the best configurations on fresh seeds."""
import json

import numpy as np
import pytest

from bot.selection.features import SCALARS

pytest.importorskip("vowpalwabbit")  # the `bench` extra; CI installs `test,postgres` only


def _toy_pool(points=60, width=None, seed=0):
    """Decision points with 4 candidates: one flagged by a scalar is the most satisfying."""
    width = width or 3 * 4 + len(SCALARS)
    rng = np.random.default_rng(seed)
    xs, sats = [], []
    for _ in range(points):
        x = rng.normal(size=(4, width)).astype(np.float32) * 0.1
        good = int(rng.integers(4))
        x[:, width - len(SCALARS) + SCALARS.index("bias")] = 1.0
        x[good, width - len(SCALARS) + SCALARS.index("cos_msg_gap")] = 1.0
        sat = np.full(4, 0.2)
        sat[good] = 0.8
        xs.append(x)
        sats.append(sat)
    return {"x": xs, "sat": sats}


def test_tune_vw_picks_the_best_configuration_and_reports_the_fresh_seed_ratio(tmp_path, monkeypatch, capsys):
    from training.policy import bench
    from ui.cli import main

    monkeypatch.setattr(bench, "build_pool", lambda size, seed=0, **_: _toy_pool(seed=seed))
    grid = ["--cb_explore_adf --squarecb --quiet", "--cb_explore_adf --epsilon 1.0 --quiet",
            "--cb_explore_adf --no_such_flag --quiet"]  # uniform exploration cannot win; the last is refused by VW
    out = tmp_path / "bench"
    assert main(["bench", "policy", "--tune-vw", "--interactions", "300", "--tune-seeds", "0,1", "--seeds", "7,8",
                 "--vw-args", ";".join(grid), "--hidden", "16", "--output-dir", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    rows = {r["config"]: r for r in results["tuning"]}
    assert "error" in rows[grid[2]] and "skipped" in capsys.readouterr().out
    assert rows[grid[0]]["mean"] < rows[grid[1]]["mean"]
    assert results["best_vw"] == grid[0] and results["ratio_against"] == grid[0]
    assert results["tune_seeds"] == [0, 1] and results["fresh_seeds"] == [7, 8]
    ours, vw = results["learners"]["ours"]["cumulative_regret"], results["learners"]["vw"]["cumulative_regret"]
    assert results["ratio_ours_to_vw"] == pytest.approx(np.mean(ours) / np.mean(vw))
    assert results["ratio_per_seed"] == pytest.approx(list(np.array(ours) / np.array(vw)))
    spread = results["ratio_per_seed_spread"]
    assert spread["min"] <= spread["mean"] <= spread["max"] and results["target_met"] == (results["ratio_ours_to_vw"] <= 0.9)
    assert "first" in results["learners"] and (out / "regret.png").exists() and (out / "tuning.png").exists()


def test_tune_vw_refuses_fresh_seeds_that_were_used_for_tuning(tmp_path, capsys):
    from ui.cli import main

    assert main(["bench", "policy", "--tune-vw", "--tune-seeds", "0,1", "--seeds", "1,2",
                 "--output-dir", str(tmp_path / "b")]) != 0
    assert "overlap the tuning seeds" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_tune_both_picks_our_best_variant_too_and_compares_the_two_best_on_fresh_seeds(tmp_path, monkeypatch):
    from training.policy import bench
    from ui.cli import main

    monkeypatch.setattr(bench, "build_pool", lambda size, seed=0, **_: _toy_pool(seed=seed))
    vw_grid = ["--cb_explore_adf --squarecb --quiet", "--cb_explore_adf --epsilon 1.0 --quiet"]
    # The command line's flags (`defaults`) never learn (learning rate 0): the other variant must win.
    ours_grid = ["defaults", "--learning-rate 3e-3 --ema 0.9"]
    out = tmp_path / "both"
    assert main(["bench", "policy", "--tune", "--interactions", "300", "--tune-seeds", "0,1", "--seeds", "7,8",
                 "--vw-args", ";".join(vw_grid), "--ours-grid", ";".join(ours_grid), "--hidden", "16",
                 "--learning-rate", "0", "--output-dir", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    assert results["mode"] == "tune-both" and results["best_vw"] == vw_grid[0]
    assert results["budget"]["vw"]["configurations"] == 2 and results["budget"]["ours"]["configurations"] == 2
    rows = {r["config"]: r for r in results["tuning_ours"]}
    assert set(rows) == set(ours_grid) and rows[ours_grid[1]]["mean"] < rows["defaults"]["mean"]
    assert rows["defaults"]["params"]["learning_rate"] == 0 and rows["defaults"]["params"]["hidden"] == 16
    assert rows[ours_grid[1]]["params"] == {**rows["defaults"]["params"], "learning_rate": 3e-3, "ema": 0.9}
    assert results["best_ours"] == ours_grid[1] and results["best_ours_params"]["learning_rate"] == 3e-3
    learners = results["learners"]
    assert learners["ours"]["config"] == ours_grid[1] and set(learners) == {"ours", "vw", "first", "ours_untuned"}
    ours, vw = learners["ours"]["cumulative_regret"], learners["vw"]["cumulative_regret"]
    assert results["ratio_ours_to_vw"] == pytest.approx(np.mean(ours) / np.mean(vw))
    assert results["ratio_untuned_ours_to_vw"] == pytest.approx(np.mean(learners["ours_untuned"]["cumulative_regret"])
                                                                / np.mean(vw))
    lo, hi = results["ratio_per_seed_spread"]["mean_ci95"]
    assert lo <= results["ratio_per_seed_spread"]["mean"] <= hi
    assert all((out / f).exists() for f in ("regret.png", "tuning.png", "tuning-ours.png"))


def test_tune_ours_alone_meets_the_one_vw_configuration_given_and_refuses_bad_variants(tmp_path, monkeypatch, capsys):
    from training.policy import bench
    from ui.cli import main

    monkeypatch.setattr(bench, "build_pool", lambda size, seed=0, **_: _toy_pool(seed=seed))
    common = ["bench", "policy", "--tune-ours", "--interactions", "100", "--tune-seeds", "0", "--seeds", "7",
              "--hidden", "16"]
    assert main(common + ["--output-dir", str(tmp_path / "a")]) != 0  # no VW configuration to meet
    assert "needs the one VW configuration" in capsys.readouterr().err
    vw = "--cb_explore_adf --squarecb --quiet"
    assert main(common + ["--vw-args", vw, "--ours-grid", "defaults;--no-such-flag 1",
                          "--output-dir", str(tmp_path / "b")]) != 0
    assert "--no-such-flag" in capsys.readouterr().err and not (tmp_path / "b").exists()
    assert main(common + ["--vw-args", vw, "--ours-grid", "defaults;--gamma-scale 10",
                          "--output-dir", str(tmp_path / "c")]) == 0
    results = json.loads((tmp_path / "c" / "results.json").read_text())
    assert results["mode"] == "tune-ours" and results["best_vw"] == vw and "tuning" not in results
    assert results["budget"]["vw"]["configurations"] is None and len(results["tuning_ours"]) == 2
    assert (tmp_path / "c" / "tuning-ours.png").exists() and not (tmp_path / "c" / "tuning.png").exists()


@pytest.mark.parametrize("flag, vw_extra, ours_extra", [
    ("--second-round", "VW_GRID_ROUND2", ["--gamma-scale 100"]),
    ("--third-round", "VW_GRID_ROUND3", ["--stack 4,linear"]),  # round 3: stacking for ours
    ("--fourth-round", "VW_GRID_ROUND4", ["--stack 4,linear --learning-rate 5e-4"]),
])
def test_each_extra_round_adds_each_learner_s_configurations(tmp_path, monkeypatch, flag, vw_extra, ours_extra):
    from training.policy import bench
    from ui.cli import main

    monkeypatch.setattr(bench, "build_pool", lambda size, seed=0, **_: _toy_pool(seed=seed))
    monkeypatch.setattr(bench, "VW_GRID", ["--cb_explore_adf --squarecb --quiet"])
    monkeypatch.setattr(bench, vw_extra, ["--cb_explore_adf --squarecb --gamma_scale 100 --quiet"])
    monkeypatch.setattr(bench, "OURS_GRID", ["defaults"])
    monkeypatch.setattr(bench, vw_extra.replace("VW", "OURS"), ours_extra)
    out = tmp_path / "bench"
    assert main(["bench", "policy", "--tune", flag, "--interactions", "200", "--tune-seeds", "0",
                 "--seeds", "7", "--hidden", "16", "--output-dir", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    assert [r["config"] for r in results["tuning"]] == bench.VW_GRID + getattr(bench, vw_extra)
    assert [r["config"] for r in results["tuning_ours"]] == ["defaults"] + ours_extra
    assert all("mean" in r for r in results["tuning_ours"])  # every variant ran (a bad --stack would be skipped)
    assert results["budget"]["vw"]["configurations"] == results["budget"]["ours"]["configurations"] == 2
    assert results["budget"]["ours"]["grid"] == "OURS_GRID + round " + {"--second-round": "2", "--third-round": "3",
                                                                         "--fourth-round": "4"}[flag]


def test_the_rounds_give_both_learners_the_same_budget():
    from training.policy import bench

    for round_vw, round_ours in [("VW_GRID", "OURS_GRID"), ("VW_GRID_ROUND2", "OURS_GRID_ROUND2"),
                                 ("VW_GRID_ROUND3", "OURS_GRID_ROUND3"), ("VW_GRID_ROUND4", "OURS_GRID_ROUND4")]:
        vw, ours = getattr(bench, round_vw), getattr(bench, round_ours)
        assert len(vw) == len(ours) and len(set(vw)) == len(vw) and len(set(ours)) == len(ours)
    every_vw = bench.VW_GRID + bench.VW_GRID_ROUND2 + bench.VW_GRID_ROUND3 + bench.VW_GRID_ROUND4
    assert len(set(every_vw)) == len(every_vw)  # no configuration counted twice
