"""`rlcs bench policy`: online regret of our learner against Vowpal Wabbit's contextual bandit, same features.

    rlcs bench policy --interactions 5000 --seeds 0,1,2 --output-dir runs/bench-policy

The environment is the simulated customer (training/policy/simulator.py): a pool of decision points (first turns,
and second turns after a random reply) with real drafted candidates, each candidate's feature row
(bot/selection/features.py) and its hidden satisfaction. Each interaction draws a decision point, the learner picks a
candidate, and sees a thumb: +1 with probability = the hidden satisfaction. Regret of a pick = best
candidate's satisfaction - the pick's (expected, so the curves are not noisy from the thumbs).

Learners (identical feature rows; features are built once per decision point, outside the timing):
    ours     the SelectionNet MLP trained online (squared loss, a few replayed examples per step, each scalar
             divided by its spread over the first 200 decisions) with SquareCB's inverse-gap-weighted
             exploration, p(a) = 1 / (N + gamma_t (best - score_a)), scored by the Polyak average of its weights
    vw       vowpalwabbit `--cb_explore_adf --squarecb` (cost = -thumb), each candidate an ADF line
    first, random    the retrieval rank-1 and the uniform baselines, for scale
Writes results.json, regret.png (mean and spread over seeds) and prints the ratio ours / VW.
"""
from __future__ import annotations

import argparse
import time


def make_parser(subparsers):
    p = subparsers.add_parser("policy", help="cumulative regret of our online learner vs Vowpal Wabbit (--cb_explore_adf --squarecb)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--interactions", type=int, default=5000)
    p.add_argument("--seeds", default="0,1,2", help="comma list of seeds (one run per seed and learner)")
    p.add_argument("--pool-size", type=int, default=1500, help="simulated decision points to draw from")
    p.add_argument("--learners", default="ours,vw,first,random")
    p.add_argument("--vw-args", default="--cb_explore_adf --squarecb --quiet;--cb_explore_adf --squarecb --gamma_scale 50 --quiet",
                   help="Vowpal Wabbit configurations, ';'-separated; the ratio is taken against the best of them")
    p.add_argument("--gamma-scale", type=float, default=50.0, help="ours: SquareCB gamma_t = scale * sqrt(t)")
    p.add_argument("--learning-rate", type=float, default=1e-3, help="ours: Adam learning rate")
    p.add_argument("--replay", type=int, default=32, help="ours: past examples replayed per update")
    p.add_argument("--updates", type=int, default=1, help="ours: gradient steps per interaction")
    p.add_argument("--loss", choices=["squared", "logistic"], default="squared",
                   help="ours: regression loss on the thumbs (VW's squarecb uses squared)")
    p.add_argument("--lr-decay", type=float, default=0.0,
                   help="ours: learning rate = lr / sqrt(1 + t / DECAY) (0 = constant)")
    p.add_argument("--embed-rank", type=int, default=4,
                   help="ours: rank of the embedding projection (0 = plain MLP over all inputs)")
    p.add_argument("--hidden", type=int, default=64, help="ours: MLP width")
    p.add_argument("--ema", type=float, default=0.99,
                   help="ours: replies are picked by a moving average of the trained weights, with this decay per "
                        "update (Polyak averaging; 0 = pick with the trained weights themselves)")
    p.add_argument("--output-dir", default="runs/bench-policy")
    p.set_defaults(func=run)
    return p


# -- the decision points ------------------------------------------------------------------------------
def build_pool(size: int, seed: int = 0, bot=None, cache_dir: str | None = "runs/cache") -> dict:
    """Decision points from simulated customers: features, hidden satisfaction per candidate (cached on disk)."""
    import hashlib
    import os
    from pathlib import Path

    import numpy as np
    from tqdm import tqdm

    from bot.selection.features import FEATURES_VERSION
    from bot.shop.paths import REPO_ROOT, STORE_DIR
    from training.policy.simulator import POOL

    # The pool depends on the store, the simulator and how retrieval ranks templates: any change rebuilds it.
    kb_hash = hashlib.sha256((STORE_DIR / "knowledge_base.json").read_bytes() +
                             Path(__file__).with_name("simulator.py").read_bytes() +
                             Path(__file__).with_name("rubric.py").read_bytes() + POOL.read_bytes() +
                             Path(__file__).with_name("env.py").read_bytes() +
                             (REPO_ROOT / "bot" / "drafting" / "retrieval.py").read_bytes()).hexdigest()[:10]
    cache = Path(cache_dir) / f"bench-pool-{size}-{seed}-{FEATURES_VERSION}-{kb_hash}.npz" if cache_dir else None
    if cache is not None and cache.exists():
        with np.load(cache) as saved:
            splits = np.cumsum(saved["sizes"])[:-1]
            return {"x": np.split(saved["x"], splits), "sat": np.split(saved["sat"], splits)}

    from training.policy.env import SelectionEnv
    from training.policy.rl_reward import RewardMix

    if bot is None:
        import tempfile

        from bot import Bot, BotConfig

        bot = Bot(BotConfig(db_path=tempfile.mkdtemp() + "/pool.sqlite3"))
    env = SelectionEnv(bot, RewardMix(reward_model=0.0), split="all", seed=seed)
    rng = np.random.default_rng(seed)
    xs, sats = [], []
    for _ in tqdm(range(size), desc="decision points"):
        obs = env.reset()
        if rng.random() < 0.3:  # a later turn: after a random reply, if the conversation goes on
            nxt, _, done, _ = env.step(int(rng.integers(len(obs.candidates))))
            if not done:
                obs = nxt
        sats.append(np.array([env.sim.satisfaction(env.customer, c) for c in obs.candidates]))
        xs.append(obs.features)
    env.memo.save()
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{os.getpid()}.npz")
        np.savez(tmp, x=np.concatenate(xs), sat=np.concatenate(sats), sizes=np.array([len(x) for x in xs]))
        os.replace(tmp, cache)
    return {"x": xs, "sat": sats}


# -- learners -----------------------------------------------------------------------------------------
class OurLearner:
    """SelectionNet trained online; SquareCB (inverse gap weighting) exploration."""

    def __init__(self, dim: int, seed: int, lr: float, hidden: int, gamma_scale: float, replay: int = 32,
                 updates: int = 1, embed_rank: int = 4, loss: str = "squared", lr_decay: float = 0.0,
                 ema: float = 0.99):
        import copy

        import numpy as np
        import torch

        from bot.selection.learned import make_net

        torch.manual_seed(seed)
        self.torch, self.np = torch, np
        self.net = make_net(dim, hidden, embed_rank=embed_rank)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=lr)
        self.rng = np.random.default_rng(seed)
        self.gamma_scale, self.replay, self.updates, self.t = gamma_scale, replay, updates, 0
        self.lr, self.lr_decay = lr, lr_decay
        self.loss = loss  # squared: scores are expected thumbs; logistic: scores are logits of a thumbs-up
        self.memory_x, self.memory_r = [], []
        self.rows_seen = np.zeros((0, dim), np.float32)  # feature rows so far, for the scalars' spreads
        # Each update chases one noisy thumb; the average of the recent weights is a steadier judge of replies.
        self.ema = ema
        self.acting = copy.deepcopy(self.net) if ema else self.net

    def act(self, x):
        np, torch = self.np, self.torch
        if self.t < 200:  # online, the spreads are measured on the decisions seen so far, then kept
            self.rows_seen = np.concatenate([self.rows_seen, x])
            self.net.fit_scale(self.rows_seen)
        with torch.inference_mode():
            scores = self.acting(torch.from_numpy(x)[None])[0].numpy().astype(np.float64)
        if self.loss == "logistic":
            scores = 1 / (1 + np.exp(-scores))  # gaps in probability of a thumbs-up
        self.t += 1
        gamma = self.gamma_scale * np.sqrt(self.t)
        best = int(np.argmax(scores))
        p = 1.0 / (len(x) + gamma * (scores[best] - scores))  # inverse gap weighting
        p[best] = 0.0
        p[best] = 1.0 - p.sum()
        action = int(self.rng.choice(len(x), p=p))
        return action, p

    def learn(self, x, action: int, reward: float):
        np, torch = self.np, self.torch
        self.memory_x.append(x[action])
        self.memory_r.append(reward)
        k = len(self.memory_r)
        if self.lr_decay:  # lr / sqrt(1 + t / decay): big early steps, then averaging out the thumbs' noise
            for group in self.opt.param_groups:
                group["lr"] = self.lr / np.sqrt(1 + k / self.lr_decay)
        for _ in range(self.updates):  # the newest example plus a few replayed ones, squared loss
            idx = [k - 1] + list(self.rng.integers(k, size=min(self.replay, k - 1))) if k > 1 else [0]
            xb = torch.from_numpy(np.stack([self.memory_x[i] for i in idx]))[:, None]
            rb = torch.tensor([self.memory_r[i] for i in idx], dtype=torch.float32)
            out = self.net(xb)[:, 0]
            if self.loss == "logistic":
                loss = torch.nn.functional.binary_cross_entropy_with_logits(out, rb)
            else:
                loss = ((out - rb) ** 2).mean()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
        if self.ema:  # Polyak averaging: acting = ema * acting + (1 - ema) * trained
            from training.policy.rl_setup import polyak_update

            # From the first update on: the average starts near the silent initial network, so for the first few
            # hundred decisions it scores candidates close together and SquareCB explores more (measured: an
            # average that follows the first updates closely did worse, ratio 0.972 against 0.889).
            polyak_update(self.acting, self.net, self.ema)


class VWLearner:
    def __init__(self, dim: int, seed: int, vw_args: str):
        import numpy as np
        import vowpalwabbit

        self.np = np
        self.vw = vowpalwabbit.Workspace(f"{vw_args} --random_seed {seed}")
        self.rng = np.random.default_rng(seed)
        self._lines: dict[int, list[str]] = {}

    @staticmethod
    def lines_for(x) -> list[str]:
        return ["shared |s const:1"] + ["|a " + " ".join(f"f{j}:{v:.5g}" for j, v in enumerate(row) if v != 0) for row in x]

    def act(self, x, key=None):
        lines = self._lines[key] if key is not None else self.lines_for(x)
        p = self.np.asarray(self.vw.predict(lines), dtype=self.np.float64)
        p = p / p.sum()
        return int(self.rng.choice(len(p), p=p)), p

    def learn(self, x, action, reward, prob, key=None):
        lines = list(self._lines[key] if key is not None else self.lines_for(x))
        lines[action + 1] = f"0:{-reward}:{prob} " + lines[action + 1]  # cost = -reward
        self.vw.learn(lines)


def run(args) -> int:
    import json
    from pathlib import Path

    import numpy as np

    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    learners = [s.strip() for s in args.learners.split(",") if s.strip()]
    vw_configs = [c.strip() for c in args.vw_args.split(";") if c.strip()]
    unknown = set(learners) - {"ours", "vw", "first", "random"}
    if unknown:
        raise ValueError(f"unknown learners {sorted(unknown)}; use ours, vw, first, random")
    if "vw" in learners:
        try:
            import vowpalwabbit  # noqa: F401
        except ImportError:
            print("vowpalwabbit is not installed (pip install 'rlcs[bench]'); benchmarking without it")
            learners.remove("vw")
    if "vw" in learners:  # one entry per configuration: vw, vw2, ...
        at = learners.index("vw")
        learners[at:at + 1] = ["vw" if i == 0 else f"vw{i + 1}" for i in range(len(vw_configs))]
    import torch

    torch.set_num_threads(1)  # per-decision work is tiny: one thread is fastest and times are comparable with VW's
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    pool = build_pool(args.pool_size)
    dim = pool["x"][0].shape[1]
    vw_lines = [VWLearner.lines_for(x) for x in pool["x"]] if "vw" in learners else None
    vw_of = {("vw" if i == 0 else f"vw{i + 1}"): c for i, c in enumerate(vw_configs)}
    results = {"interactions": args.interactions, "seeds": seeds, "pool_size": args.pool_size, "features": dim,
               "vw_configs": vw_of, "learners": {}}
    curves = {}
    for name in learners:
        per_seed, times = [], []
        for seed in seeds:
            rng = np.random.default_rng(1000 + seed)  # the same customers, in the same order, for every learner
            order = rng.integers(len(pool["x"]), size=args.interactions)
            thumbs = rng.random(args.interactions)
            is_vw = name.startswith("vw")
            learner = None
            if name == "ours":
                learner = OurLearner(dim, seed, args.learning_rate, args.hidden, args.gamma_scale, args.replay,
                                     args.updates, args.embed_rank, args.loss, args.lr_decay, args.ema)
            elif is_vw:
                learner = VWLearner(dim, seed, vw_of[name])
            if is_vw:
                learner._lines = dict(enumerate(vw_lines))
            choice_rng = np.random.default_rng(seed)
            regret = np.zeros(args.interactions)
            start = time.perf_counter()
            for t, k in enumerate(order):
                x, sat = pool["x"][k], pool["sat"][k]
                if name == "ours":
                    a, p = learner.act(x)
                elif is_vw:
                    a, p = learner.act(x, key=int(k))
                elif name == "first":
                    a = 0
                else:
                    a = int(choice_rng.integers(len(x)))
                reward = 1.0 if thumbs[t] < sat[a] else 0.0  # the thumb; the regret uses the expectation
                if name == "ours":
                    learner.learn(x, a, reward)
                elif is_vw:
                    learner.learn(x, a, reward, float(p[a]), key=int(k))
                regret[t] = sat.max() - sat[a]
            times.append((time.perf_counter() - start) / args.interactions * 1000)
            per_seed.append(np.cumsum(regret))
            print(f"{name} seed {seed}: cumulative regret {per_seed[-1][-1]:.1f}, {times[-1]:.2f} ms/decision")
        curves[name] = np.stack(per_seed)
        results["learners"][name] = {"cumulative_regret": [float(c[-1]) for c in per_seed],
                                     "mean": float(np.mean([c[-1] for c in per_seed])),
                                     "ms_per_decision": float(np.mean(times))}
    vws = [n for n in curves if n.startswith("vw")]
    if "ours" in curves and vws:
        best = min(vws, key=lambda n: curves[n][:, -1].mean())  # compare with VW at its best configuration
        ratios = curves["ours"][:, -1] / curves[best][:, -1]
        results["ratio_ours_to_vw"] = float(curves["ours"][:, -1].mean() / curves[best][:, -1].mean())
        results["ratio_against"] = f"{best}: {vw_of[best]}"
        results["ratio_per_seed"] = [float(r) for r in ratios]
        print(f"regret ratio ours / VW ({vw_of[best]}) = {results['ratio_ours_to_vw']:.3f} "
              f"(per seed {', '.join(f'{r:.3f}' for r in ratios)})")
    (out / "results.json").write_text(json.dumps(results, indent=2))
    plot(curves, out / "regret.png", args)
    print(f"wrote {out / 'results.json'} and {out / 'regret.png'}")
    return 0


def plot(curves: dict, path, args) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(7, 4.5))
    labels = {"ours": "ours: SelectionNet + SquareCB", "first": "first (retrieval rank 1)", "random": "random"}
    for i, config in enumerate(c.strip() for c in args.vw_args.split(";") if c.strip()):
        labels["vw" if i == 0 else f"vw{i + 1}"] = "VW " + config.replace(" --quiet", "").replace("--cb_explore_adf ", "")
    t = np.arange(1, args.interactions + 1)
    for name, c in curves.items():
        mean = c.mean(0)
        ax.plot(t, mean, label=labels[name])
        ax.fill_between(t, c.min(0), c.max(0), alpha=0.2)
    ax.set_xlabel("interaction")
    ax.set_ylabel("cumulative regret (hidden satisfaction)")
    ax.set_title(f"simulated customers, {len(next(iter(curves.values())))} seeds (band: min-max)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
