"""`rlcs eval reward`: how well a reward model predicts satisfaction, on held-out splits training never sees.

    pairwise accuracy  per source: P(score(chosen) > score(rejected)) on its test pairs
    USS MultiWOZ       the paper's UAR, kappa, rho, F1 (training/reward/uss_metrics.py, computed as its code does)
                       on fold 0; the reward is cut into 5 classes at points fitted on fold 1
    STC-3              Spearman rho between reward and the mean satisfaction S of held-out dialogues
    Bitext             gold answer vs its hard negatives: pairwise, and how often gold beats them all
    calibration.png    predicted reward against the mean human rating (MWOZ test fold, STC-3 held out)
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


class CachedScorer:
    """Scores each distinct (context, reply) once; evaluation pairs share many texts."""

    def __init__(self, model):
        self.model, self.cache = model, {}

    def __call__(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        todo = list(dict.fromkeys(p for p in pairs if p not in self.cache))
        for p, s in zip(todo, self.model.score(todo, batch_size=64)):
            self.cache[p] = s
        return np.array([self.cache[p] for p in pairs], dtype=float)


def pairwise(score: CachedScorer, rows: list[dict]) -> dict:
    chosen = score([(r["chosen_context"], r["chosen"]) for r in rows])
    rejected = score([(r["rejected_context"], r["rejected"]) for r in rows])
    return {"accuracy": float((chosen > rejected).mean()), "n": len(rows)}


def evaluate(model, paths, out_dir: str | Path | None = None, seed: int = 0, cut_objective: str = "baseline_ratio",
             log=print) -> dict:
    from training.reward import uss_metrics
    from training.reward.data import SOURCES, build_source
    from training.reward.sources import mwoz, stc3

    score = CachedScorer(model)
    results: dict = {"pairwise_accuracy": {}}
    for name in SOURCES:
        path = paths.path(name)
        if path is None or (name in ("seed", "replay", "ratings") and not path.exists()):
            continue  # optional source not present: nothing to report
        rows = build_source(name, "test", paths, seed)
        if rows:
            results["pairwise_accuracy"][name] = pairwise(score, rows)
            log(f"eval {name}: pairwise accuracy {results['pairwise_accuracy'][name]['accuracy']:.3f} "
                f"on {len(rows)} held-out pairs")
            if name == "seed":  # also on every seed pair (the training split included), per kind, for reference
                from bot.selection.reward_model import as_context
                from training.reward.sources.jsonl import read_pairs

                by_kind: dict[str, list[bool]] = {}
                for r in read_pairs(path):
                    context = as_context(r["context"])
                    good, bad = score([(context, r["chosen"]), (context, r["rejected"])])
                    by_kind.setdefault(str(r["extra"].get("kind", "all")), []).append(bool(good > bad))
                results["seed_all_pairs"] = {
                    "accuracy": float(np.mean(sum(by_kind.values(), []))), "n": sum(map(len, by_kind.values())),
                    "by_kind": {k: float(np.mean(v)) for k, v in sorted(by_kind.items())}}
            if name == "bitext":  # does gold beat ALL of its negatives?
                by_request: dict[str, list[bool]] = {}
                for r in rows:
                    wins = score([(r["chosen_context"], r["chosen"])])[0] > score([(r["rejected_context"], r["rejected"])])[0]
                    by_request.setdefault(r["chosen_context"], []).append(bool(wins))
                results["bitext_gold_first"] = {"rate": float(np.mean([all(w) for w in by_request.values()])),
                                                "requests": len(by_request)}

    # USS MultiWOZ: every USER line of fold 0, as the USS code; cut points fitted on fold 1
    items = mwoz.load(paths.path("mwoz"))
    dev, test = mwoz.split(items, "dev"), mwoz.split(items, "test")
    dev_scores = score([(i.context, i.reply) for i in dev])
    test_scores = score([(i.context, i.reply) for i in test])
    dev_labels = np.array([i.label - 1 for i in dev])
    test_labels = np.array([i.label - 1 for i in test])
    cuts = uss_metrics.fit_cuts(dev_scores, dev_labels, cut_objective)
    pred = uss_metrics.classify(test_scores, cuts)
    metrics = uss_metrics.uss_metrics(pred, test_labels)
    results["uss_mwoz"] = {
        **metrics, "n": len(test), "cut_points": cuts, "cut_objective": cut_objective,
        "spearman_reward_vs_mean_rating": uss_metrics.spearman_rho(test_scores, [i.mean for i in test]),
        "predicted_class_counts": np.bincount(pred, minlength=5).tolist(),
        "label_class_counts": np.bincount(test_labels, minlength=5).tolist(),
        "baselines": uss_metrics.BASELINES,
        # How hard this fold is: a model that always predicts the neutral rating 3. On the USS-style rho this
        # scores far from 0 (0.58 on fold 0, 0.69 averaged over the 10 folds the paper averages).
        "all_neutral_reference": uss_metrics.uss_metrics(np.full(len(test_labels), 2), test_labels),
        "beats_bert": {k: metrics[k] > v for k, v in uss_metrics.BASELINES["BERT"].items()},
    }

    # STC-3: rank correlation with the mean satisfaction S of held-out dialogues
    dialogues = [d for d in stc3.load(paths.path("stc3")) if d.split == "test"]
    stc_scores = score([(d.context, d.reply) for d in dialogues])
    stc_truth = [d.satisfaction for d in dialogues]
    results["stc3"] = {"spearman_rho": uss_metrics.spearman_rho(stc_scores, stc_truth), "n": len(dialogues)}

    if out_dir is not None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        plot = calibration_plot(
            [("USS MultiWOZ, fold 0 (turns)", [i.mean for i in test], test_scores, "mean rating 1-5"),
             ("STC-3, held-out dialogues", stc_truth, stc_scores, "mean satisfaction S, -2..2")],
            out_dir / "calibration.png")
        results["calibration_plot"] = plot.name  # relative to the model folder (training writes into .partial first)
        (out_dir / "eval_results.json").write_text(json.dumps(results, indent=2))
    return results


def calibration_plot(panels, path: Path) -> Path:
    """Predicted reward against the mean human rating: points, and the mean reward per rating bin."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4.2))
    for ax, (title, truth, pred, xlabel) in zip(np.atleast_1d(axes), panels):
        truth, pred = np.asarray(truth, float), np.asarray(pred, float)
        ax.scatter(truth + np.random.default_rng(0).uniform(-0.04, 0.04, len(truth)), pred, s=6, alpha=0.25)
        edges = np.unique(np.quantile(truth, np.linspace(0, 1, 9))) if len(np.unique(truth)) > 8 else None
        groups = np.unique(truth) if edges is None else edges
        xs, ys, es = [], [], []
        if edges is None:
            for v in groups:
                sel = truth == v
                if sel.sum() >= 3:
                    xs.append(v); ys.append(pred[sel].mean()); es.append(pred[sel].std() / np.sqrt(sel.sum()))
        else:
            bins = np.clip(np.searchsorted(edges, truth, side="right") - 1, 0, len(edges) - 2)
            for b in range(len(edges) - 1):
                sel = bins == b
                if sel.sum() >= 3:
                    xs.append(truth[sel].mean()); ys.append(pred[sel].mean()); es.append(pred[sel].std() / np.sqrt(sel.sum()))
        ax.errorbar(xs, ys, yerr=es, color="C3", marker="o", lw=2, label="mean reward per rating bin (+-1 s.e.)")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("predicted reward")
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def print_report(results: dict) -> None:
    print("\nreward model evaluation (held-out splits)")
    for name, r in results["pairwise_accuracy"].items():
        print(f"  pairwise accuracy  {name:<8} {r['accuracy']:.3f}  (n={r['n']})")
    if "seed_all_pairs" in results:
        a = results["seed_all_pairs"]
        print(f"  seed, all pairs (training ones included) {a['accuracy']:.3f}  (n={a['n']}): "
              + ", ".join(f"{k} {v:.2f}" for k, v in a["by_kind"].items()))
    if "bitext_gold_first" in results:
        g = results["bitext_gold_first"]
        print(f"  bitext gold beats all negatives {g['rate']:.3f}  ({g['requests']} requests)")
    u = results["uss_mwoz"]
    base = u["baselines"]["BERT"]
    print(f"  USS MultiWOZ fold 0 (n={u['n']}), cut points fitted on fold 1 ({u['cut_objective']}):")
    for k in ("uar", "kappa", "rho", "f1"):
        print(f"    {k:<6} {u[k]:.3f}   BERT {base[k]:.3f}  {'beats' if u['beats_bert'][k] else 'does NOT beat'}")
    print(f"    textbook rho {u['rho_textbook']:.3f}, textbook F1 {u['f1_textbook']:.3f}, "
          f"Spearman(reward, mean rating) {u['spearman_reward_vs_mean_rating']:.3f}")
    print(f"    predicted classes {u['predicted_class_counts']}  labels {u['label_class_counts']}")
    if "all_neutral_reference" in u:
        n = u["all_neutral_reference"]
        print(f"    reference, always predicting 3: uar {n['uar']:.3f} kappa {n['kappa']:.3f} rho {n['rho']:.3f} f1 {n['f1']:.3f}")
    print(f"  STC-3 held-out Spearman rho vs mean S: {results['stc3']['spearman_rho']:.3f} (n={results['stc3']['n']})")
    if "calibration_plot" in results:
        print(f"  calibration plot: {results['calibration_plot']} (in the model folder)")


# -- command line -------------------------------------------------------------------------------
def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "reward", help="evaluate a reward model on held-out data",
        description="Pairwise accuracy per source, the USS paper's four MultiWOZ metrics, Spearman rho on "
                    "STC-3 and a calibration plot, all on held-out splits that training never sees.",
    )
    parser.add_argument("--model", default="runs/reward", help="reward model directory (default: runs/reward)")
    parser.add_argument("--output-dir", default=None, help="where eval_results.json and calibration.png go (default: the model's folder)")
    parser.add_argument("--shared-data", default=None, help="reference data folder; default ../shared/data or $RLCS_SHARED_DATA")
    parser.add_argument("--seed-file", default=None, help="our seed pairs JSONL; default data/store/seed_pairs.jsonl")
    parser.add_argument("--db", "--replay-db", dest="replay_db", default=None, help="replay buffer SQLite; default runs/replay.sqlite3 when it exists")
    parser.add_argument("--ratings-file", default=None, help="rated pairs from `rlcs export --format reward`")
    parser.add_argument("--cache-dir", default="runs/cache", help="embedding cache for Bitext hard negatives")
    parser.add_argument("--cut-objective", default="baseline_ratio", choices=["baseline_ratio", "kappa", "uar"],
                        help="how the USS class cut points are fitted on MultiWOZ fold 1")
    parser.add_argument("--seed", type=int, default=0, help="seed used to draw the test pairs")
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    from bot.selection.reward_model import RewardModel
    from training.reward.data import DataPaths

    model = RewardModel.load(args.model)
    paths = DataPaths(args.shared_data, args.seed_file, args.replay_db, args.ratings_file, args.cache_dir)
    results = evaluate(model, paths, out_dir=args.output_dir or args.model, seed=args.seed, cut_objective=args.cut_objective)
    print_report(results)
    return 0
