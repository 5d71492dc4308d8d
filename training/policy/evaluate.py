"""`rlcs eval policy`: compare selection policies off-policy on logged turns and on-policy on held-out customers.

    rlcs eval policy --db runs/sim-logs.sqlite3 --simulate 1000 --greedy \\
        --policies first,ask_rule,best_of_n,bandit=runs/policy-bandit,dqn=runs/policy-dqn,ppo=runs/policy-ppo

Policies: uniform, first (retrieval rank 1), ask_rule (rank 1, but ask for the order number or its proof
instead of a general answer of the same intent while no order is known: bot/selection/policies.py),
best_of_n (by the reward model: what TRL's removed BestOfNSampler did), NAME=PATH (a trained checkpoint, or
a LinUCB baseline from `rlcs train policy --algo bandit`), or a bare path. Trained policies are evaluated as
they serve (temperature and epsilon from their checkpoint); --greedy adds NAME-greedy rows. Every policy is
paired against every baseline in the list (uniform, first, ask_rule, best_of_n and bandit checkpoints).

Off-policy (--db): IPS, SNIPS and DR estimates with session-bootstrap 95% intervals of each policy's
per-turn thumbs-up rate on the logged turns, plus the logging policy's own observed rate.
On-policy (--simulate N): N held-out simulated conversations per policy (held-out phrasings, fixed seed):
the simulator's hidden conversation satisfaction, resolution rate, CSAT, and the per-turn expected thumb
(= the hidden turn satisfaction, the quantity the OPE columns estimate).
Writes results.json, table.md and policies.png to --output-dir.
"""
from __future__ import annotations

import argparse

BASELINE_NAMES = ("uniform", "first", "ask_rule", "best_of_n")
OLD_NAMES = {"random": "uniform", "reward": "best_of_n"}  # accepted on the command line, never printed
PAIRED_AGAINST = ("first", "ask_rule", "best_of_n", "bandit", "uniform")  # the paired-difference columns, in this order


def make_parser(subparsers):
    p = subparsers.add_parser("policy", help="off-policy (IPS/SNIPS/DR) and simulated evaluation of selection policies",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--policies", default="uniform,first,ask_rule,best_of_n",
                   help="comma list: uniform, first, ask_rule, best_of_n (by the reward model), NAME=CHECKPOINT or "
                        "CHECKPOINT (a trained policy or a bandit baseline); CHECKPOINT@T/EPS serves a trained policy "
                        "with softmax temperature T and epsilon EPS instead of its own")
    p.add_argument("--db", "--logged", dest="db", default=None, metavar="DB", help="replay buffer with logged turns for off-policy evaluation (--logged: the old spelling)")
    p.add_argument("--simulate", type=int, default=0, metavar="N", help="held-out simulated conversations per policy")
    p.add_argument("--split", choices=["test", "train"], default="test",
                   help="customers to simulate: the held-out test split (reporting), or train (choosing settings)")
    p.add_argument("--reward-model", default=None, help="reward model folder (for 'reward' and the rm feature)")
    p.add_argument("--output-dir", default="runs/eval-policy")
    p.add_argument("--greedy", action="store_true",
                   help="also evaluate each trained policy greedily (argmax, no temperature or epsilon) as NAME-greedy")
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the intervals")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)
    return p


def parse_policies(text: str) -> list[tuple[str, str]]:
    from pathlib import Path

    out = []
    for item in filter(None, (s.strip() for s in text.split(","))):
        item = OLD_NAMES.get(item, item)
        name, _, path = item.partition("=")
        if not path:
            name, path = (item, item) if item in BASELINE_NAMES else (Path(item).name, item)
        folder = serving_override(path)[0]
        if path not in BASELINE_NAMES and not Path(folder).exists():
            raise FileNotFoundError(f"no policy checkpoint at {folder}")
        out.append((name, path))
    if not out:
        raise ValueError("--policies is empty")
    return out


def serving_override(spec: str) -> tuple[str, float | None, float | None]:
    """"runs/policy-dqn@0.01/0.005" -> (folder, temperature 0.01, epsilon 0.005); no "@": the checkpoint's own."""
    folder, at, exploration = spec.partition("@")
    if not at:
        return folder, None, None
    temperature, slash, epsilon = exploration.partition("/")
    try:
        return folder, float(temperature), float(epsilon) if slash else None
    except ValueError:
        raise ValueError(f"bad serving override in {spec!r}: use PATH@TEMPERATURE/EPSILON, e.g. runs/dqn@0.01/0.01") from None


class PolicyProbs:
    """pi(.|s) for a named policy, from a logged turn's features or a live observation."""

    def __init__(self, spec: str, bot, features, greedy: bool = False):
        import numpy as np

        from bot.selection.learned import load_checkpoint
        from training.policy import bandit

        self.np, self.spec = np, spec
        # greedy: what the policy knows, without the exploration it serves with (temperature 0, epsilon 0)
        folder, *override = serving_override(spec)
        exploration = (0.0, 0.0) if greedy else tuple(override)
        self.is_bandit = spec not in BASELINE_NAMES and bandit.is_bandit(folder)  # a baseline too (it serves greedily)
        self.learned = None if spec in BASELINE_NAMES else bandit.load(folder) if self.is_bandit else \
            load_checkpoint(folder, features, *exploration)
        self.version = self.learned.version if self.learned else spec
        self.needs_of = {t.id: tuple(t.needs) for t in bot.kb.answers} if spec == "ask_rule" else None

    @property
    def baseline(self) -> bool:
        return self.learned is None or self.is_bandit

    def __call__(self, x, rewards, candidates=None, order_known=None) -> "np.ndarray":  # noqa: F821
        from bot.selection.policies import ask_rule_index, best_of_n_probabilities

        np = self.np
        n = len(x)
        if self.learned is not None:
            return self.learned.probabilities_from_features(x)
        if self.spec == "uniform":
            return np.full(n, 1.0 / n)
        p = np.zeros(n)
        if self.spec == "first":
            p[0] = 1.0
            return p
        if self.spec == "ask_rule":
            if candidates is None:
                raise ValueError("ask_rule needs the candidates (their templates)")
            p[ask_rule_index(candidates, self.needs_of, order_known)] = 1.0
            return p
        return best_of_n_probabilities(rewards)  # without reward-model scores: the drafter's rank 1

    def choose(self, obs) -> int:
        np = self.np
        if self.learned is not None:  # on-policy value of the SERVING policy: sample with its propensities
            p = self.learned.probabilities_from_features(obs.features)
            return int(self._rng.choice(len(p), p=p / p.sum()))
        rewards = np.array([np.nan if c.reward is None else c.reward for c in obs.candidates])
        p = self(obs.features, rewards, obs.candidates, getattr(obs.state, "order", None) is not None)
        return int(self._rng.choice(len(p), p=p / p.sum()))


def run(args) -> int:
    import json
    from pathlib import Path

    import numpy as np

    from bot import Bot, BotConfig
    from bot.selection.features import FeatureBuilder
    from training.policy import ope
    from training.policy.env import cpu_threads
    from training.policy.train import evaluate_on_simulator

    cpu_threads()
    if not args.db and not args.simulate:
        raise ValueError("nothing to evaluate: give --db DB and/or --simulate N")
    specs = parse_policies(args.policies)
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    bot = Bot(BotConfig(db_path=str(out / "eval-scratch.sqlite3"), reward_model=args.reward_model, seed=args.seed))
    features = FeatureBuilder.for_bot(bot)
    policies = {name: PolicyProbs(spec, bot, features) for name, spec in specs}
    if args.greedy:  # baselines (a bandit included) already serve greedily
        trained = [(name, spec) for name, spec in specs if not policies[name].baseline]
        policies.update({f"{name}-greedy": PolicyProbs(spec, bot, features, greedy=True) for name, spec in trained})
        specs += [(f"{name}-greedy", spec) for name, spec in trained]
    if "best_of_n" in dict(specs).values() and bot.reward_model is None:
        print("note: no --reward-model given, so 'reward' (best-of-N) uses logged reward scores where present, "
              "else the drafter's rank 1")
    results: dict = {"policies": {name: {"spec": spec, "version": policies[name].version} for name, spec in specs}}

    if args.db:
        episodes = ope.load_logged(args.db, features)
        # All turns, and first turns only: a first turn's state does not depend on the policy, so its OPE
        # estimate is directly comparable with the policy's on-policy first-turn value.
        for key, first_only in (("ope", False), ("ope_first", True)):
            turns, rewards = ope.thumb_turns(episodes, first_only=first_only)
            if not turns:
                raise ValueError(f"{args.db} has no turns with a thumb to evaluate on")
            q = ope.cross_fitted_q(turns, rewards, seed=args.seed)
            results["logged" if key == "ope" else "logged_first"] = {
                "db": args.db, "turns": len(turns), "sessions": len({t.session_id for t in turns}),
                "logging_policies": sorted({t.policy_version for t in turns}),
                "logging_value": ope.logging_value(turns, rewards, args.bootstrap, args.seed)}
            for name in policies:
                probs = [policies[name](t.x, t.rm, t.candidates) for t in turns]
                results["policies"][name][key] = ope.estimate(probs, turns, rewards, q, args.bootstrap, seed=args.seed)

    if args.simulate:
        for name, policy in policies.items():
            policy._rng = np.random.default_rng(args.seed)
            reads_rewards = policy.spec == "best_of_n" or bool(policy.learned and policy.learned.config.get("reward_feature"))
            results["policies"][name]["simulated"] = evaluate_on_simulator(bot, policy.choose, args.simulate,
                                                                           seed=12345 + args.seed, split=args.split,
                                                                           score_rewards=reads_rewards)
            print(f"simulated {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in results["policies"][name]["simulated"].items()
                                                   if k != "per_episode"))
        results["simulated_split"] = args.split
        against = [name for name, p in policies.items() if p.baseline]
        against.sort(key=lambda k: next((i for i, b in enumerate(PAIRED_AGAINST) if k.startswith(b)), len(PAIRED_AGAINST)))
        results["paired_against"] = against
        results["paired"] = paired_differences(results["policies"], against)

    (out / "results.json").write_text(json.dumps(results, indent=2))
    table = render_table(results)
    (out / "table.md").write_text(table)
    plot(results, out / "policies.png")
    print(table)
    print(f"wrote {out / 'results.json'}, {out / 'table.md'}, {out / 'policies.png'}")
    return 0


def paired_differences(policies: dict, baselines=PAIRED_AGAINST) -> dict:
    """Each policy minus each baseline, conversation by conversation (the same customers, common random numbers):
    mean difference in hidden satisfaction with a 95% normal interval. Pairing removes the customer-to-customer
    spread that dominates the unpaired intervals."""
    import numpy as np

    out: dict = {}
    for base in baselines:
        b = policies.get(base, {}).get("simulated")
        if not b:
            continue
        for name, r in policies.items():
            s = r.get("simulated")
            if name == base or not s or len(s["per_episode"]) != len(b["per_episode"]):
                continue
            diff = np.array(s["per_episode"]) - np.array(b["per_episode"])
            half = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else 0.0
            out.setdefault(name, {})[base] = {"diff": float(diff.mean()), "lo": float(diff.mean() - half),
                                              "hi": float(diff.mean() + half), "n": len(diff)}
    return out


def render_table(results: dict) -> str:
    rows = ["| policy | sim. satisfaction | resolved | CSAT | on-policy 1st-turn thumb | DR 1st turns [95% CI] "
            "| on-policy turn thumb | IPS all turns | SNIPS all turns | DR all turns | ESS |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    ci = lambda o, k: f"{o[k]:.3f} [{o[k + '_lo']:.3f}, {o[k + '_hi']:.3f}]" if o else ""  # noqa: E731
    for name, r in results["policies"].items():
        s, o, f = r.get("simulated", {}), r.get("ope", {}), r.get("ope_first", {})
        sim = (f"{s['satisfaction']:.3f} ± {1.96 * s['satisfaction_se']:.3f}", f"{s['resolved']:.2f}", f"{s['csat']:.2f}",
               f"{s['first_turn_satisfaction']:.3f}") if s else ("", "", "", "")
        rows.append(f"| {name} | " + " | ".join(sim + (ci(f, "dr"), f"{s['turn_satisfaction']:.3f}" if s else "",
                                                      ci(o, "ips"), ci(o, "snips"), ci(o, "dr")))
                    + f" | {o.get('effective_sample_size', 0):.0f} |")
    paired = results.get("paired") or {}
    if paired:
        present = {b for d in paired.values() for b in d}
        bases = [b for b in results.get("paired_against", PAIRED_AGAINST) if b in present]
        rows.append("\nPaired differences in hidden satisfaction (same simulated customers), mean [95% CI]:\n")
        rows.append("| policy | " + " | ".join(f"minus {b}" for b in bases) + " |")
        rows.append("|---|" + "---|" * len(bases))
        for name, d in paired.items():
            rows.append(f"| {name} | " + " | ".join(f"{d[b]['diff']:+.3f} [{d[b]['lo']:+.3f}, {d[b]['hi']:+.3f}]"
                                                    if b in d else "" for b in bases) + " |")
    if "logged" in results:
        lv = results["logged"]["logging_value"]
        rows.append(f"\nLogged: {results['logged']['turns']} thumbed turns in {results['logged']['sessions']} sessions "
                    f"by {', '.join(results['logged']['logging_policies'])}; observed thumbs-up rate "
                    f"{lv['ips']:.3f} [{lv['ips_lo']:.3f}, {lv['ips_hi']:.3f}].")
    return "\n".join(rows) + "\n"


def plot(results: dict, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = list(results["policies"])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    x = np.arange(len(names))
    sims = [results["policies"][n].get("simulated") for n in names]
    if any(sims):
        vals = [s["satisfaction"] if s else np.nan for s in sims]
        errs = [1.96 * s["satisfaction_se"] if s else 0 for s in sims]
        axes[0].bar(x, vals, yerr=errs, color="tab:blue", capsize=4)
    axes[0].set_xticks(x, names, rotation=20)
    axes[0].set_title("held-out simulated conversations: hidden satisfaction")
    width = 0.2
    for k, (est, color) in enumerate((("ips", "tab:orange"), ("snips", "tab:green"), ("dr", "tab:red"))):
        o = [results["policies"][n].get("ope") for n in names]
        if not any(o):
            continue
        v = np.array([r[est] if r else np.nan for r in o])
        lo = np.array([r[est] - r[est + "_lo"] if r else 0 for r in o])
        hi = np.array([r[est + "_hi"] - r[est] if r else 0 for r in o])
        axes[1].errorbar(x + (k - 1) * width, v, yerr=[lo, hi], fmt="o", color=color, label=est.upper(), capsize=3)
    first = [results["policies"][n].get("ope_first") for n in names]
    if any(first):
        v = np.array([r["dr"] if r else np.nan for r in first])
        lo = np.array([r["dr"] - r["dr_lo"] if r else 0 for r in first])
        hi = np.array([r["dr_hi"] - r["dr"] if r else 0 for r in first])
        axes[1].errorbar(x + 2 * width, v, yerr=[lo, hi], fmt="s", color="tab:purple", label="DR, first turns", capsize=3)
    on_policy = [s["turn_satisfaction"] if s else np.nan for s in sims]
    on_first = [s["first_turn_satisfaction"] if s else np.nan for s in sims]
    axes[1].scatter(x + 1.5 * width, on_policy, marker="x", color="black", label="on-policy, all turns")
    axes[1].scatter(x + 2.5 * width, on_first, marker="+", s=80, color="tab:purple", label="on-policy, first turns")
    axes[1].set_xticks(x, names, rotation=20)
    axes[1].set_title("off-policy estimates of the per-turn thumbs-up rate")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
