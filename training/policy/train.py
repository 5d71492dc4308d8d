"""`rlcs train policy`: train the selection policy with DQN or PPO, on simulated customers or logged turns.

    rlcs train policy --algo dqn --episodes 8000 --feedback-rate 1.0 --output-dir runs/policy-dqn
    rlcs train policy --algo ppo --iterations 150 --feedback-rate 1.0 --output-dir runs/policy-ppo
    rlcs train policy --algo bandit --episodes 8000 --feedback-rate 1.0 --output-dir runs/policy-bandit
    rlcs train policy --algo dqn --db runs/replay.sqlite3 --output-dir runs/policy-dqn-logs
    rlcs train policy --algo ppo --reward-mix thumb=1,csat=1,reward_model=0.5 --reward-model runs/reward

The result is a checkpoint folder (model.safetensors, config.json, card.json) that `rlcs eval policy`
evaluates, `rlcs promote` can make the serving policy, and `BotConfig(policy=PATH)` serves directly.
`--algo bandit` trains the LinUCB baseline (training/policy/bandit.py): a folder that `rlcs eval policy` compares
the learned policies with (bandit.npz, config.json, card.json); it is a baseline, not served.
"""
from __future__ import annotations

import argparse
import time

from training.config_flags import add_config_flags, config_from_args, reject_foreign_flags
from training.policy import bandit, dqn, ppo

ALGOS = {"dqn": (dqn, dqn.DQNConfig), "ppo": (ppo, ppo.PPOConfig), "bandit": (bandit, bandit.BanditConfig)}


def make_parser(subparsers):
    p = subparsers.add_parser("policy", help="train the selection policy (DQN or PPO over candidate sets)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--algo", choices=list(ALGOS), default="dqn",
                   help="Q-learning (double DQN), PPO, or the LinUCB contextual-bandit baseline")
    p.add_argument("--output-dir", default=None, help="checkpoint folder (default runs/policy-ALGO)")
    p.add_argument("--db", "--from-logs", dest="db", default=None, metavar="DB",
                   help="learn from the logged turns of this replay buffer instead of simulated customers")
    # every DQNConfig / PPOConfig field (episodes, iterations, batch_size, buffer_size, clip_coef, ...)
    add_config_flags(p, dqn.DQNConfig, ppo.PPOConfig, bandit.BanditConfig, skip=("seed",), unset_default=True)
    p.add_argument("--reward-mix", "--reward-weights", dest="reward_mix", default="thumb=1,csat=1,reward_model=1",
                   help="reward mix: reward_model, thumb, csat, resolved, sat (hidden; oracle experiments only)")
    p.add_argument("--feedback-rate", type=float, default=0.5, help="simulated customers thumb this share of turns")
    p.add_argument("--reward-model", default=None, help="reward model folder to score candidates with")
    p.add_argument("--eval-episodes", type=int, default=300, help="held-out simulated conversations to evaluate on")
    p.add_argument("--scratch-db", default="runs/train-policy.scratch.sqlite3", help="scratch file the training bot writes (not the replay buffer)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)
    return p


def evaluate_on_simulator(bot, policy_fn, episodes: int, seed: int = 12345, split: str = "test",
                          score_rewards: bool = False) -> dict:
    """Mean hidden satisfaction etc. over held-out simulated conversations (policy_fn(obs) -> index).
    score_rewards: run the reward model on every candidate (only policies that read its scores need it)."""
    import numpy as np

    from training.policy.env import SelectionEnv, run_episode
    from training.policy.rl_reward import RewardMix

    env = SelectionEnv(bot, RewardMix(reward_model=1.0 if score_rewards and bot.reward_model is not None else 0.0),
                       split=split, seed=seed)
    records = []
    for episode in range(episodes):
        # Common random numbers: conversation i has the same customer, wording and dice for every policy,
        # so two policies' results can be compared conversation by conversation (paired differences).
        # Customers go through the split's pool conversations in turn (each is used about equally often).
        env.rng = np.random.default_rng([seed, episode])
        customer = env.sim.sample_customer(env.rng, conversation=episode)
        records.append(run_episode(env, policy_fn, customer))
    env.memo.save()
    sat = np.array([r["satisfaction"] for r in records])
    return {"episodes": episodes, "satisfaction": float(sat.mean()), "per_episode": [round(float(v), 4) for v in sat],
            "satisfaction_se": float(sat.std(ddof=1) / np.sqrt(len(sat))) if len(sat) > 1 else 0.0,
            "resolved": float(np.mean([r["resolved"] for r in records])),
            "csat": float(np.mean([r["csat"] for r in records])),
            "turns": float(np.mean([r["turns"] for r in records])),
            "turn_satisfaction": float(np.mean([s["sat"] for r in records for s in r["steps"]])),
            "first_turn_satisfaction": float(np.mean([r["steps"][0]["sat"] for r in records]))}


def run(args) -> int:
    import dataclasses
    import hashlib
    from pathlib import Path

    from torch.utils.tensorboard import SummaryWriter

    from bot import Bot, BotConfig
    from bot.selection.learned import LearnedPolicy, save_checkpoint
    from training.policy.env import SelectionEnv, cpu_threads
    from training.policy.rl_reward import RewardMix

    cpu_threads()
    weights = RewardMix.parse(args.reward_mix)
    out = Path(args.output_dir or f"runs/policy-{args.algo}")
    module, used = ALGOS[args.algo]
    reject_foreign_flags(args, used, *(c for _, c in ALGOS.values() if c is not used), label=f"--algo {args.algo}")
    cfg = config_from_args(used, args, seed=args.seed)
    if args.reward_model and not Path(args.reward_model).exists():
        raise FileNotFoundError(f"no reward model at {args.reward_model}")

    bot = Bot(BotConfig(db_path=args.scratch_db, reward_model=args.reward_model, seed=args.seed))
    writer = SummaryWriter(str(out.parent / f"{out.name}-tb"))
    start = time.time()
    data: dict = {}
    if args.db:
        from bot.selection.features import FeatureBuilder
        from training.policy.logged_data import load_logged

        episodes = load_logged(args.db, FeatureBuilder.for_bot(bot), weights)
        logged = [[t.as_dict() for t in ep] for ep in episodes]
        from bot.storage.engine import is_postgres, redact

        data = {"replay_buffer": redact(args.db), "sha256": None} if is_postgres(args.db) else {  # a server: no file to hash
            "replay_buffer": str(Path(args.db).resolve()), "sha256": hashlib.sha256(Path(args.db).read_bytes()).hexdigest()}
        data |= {"sessions": len(logged), "turns": sum(map(len, logged))}
        net, history = module.train(cfg, logged=logged, writer=writer)
    else:
        env = SelectionEnv(bot, weights, split="train", seed=args.seed, feedback_rate=args.feedback_rate)
        from training.policy.simulator import POOL

        kb_file = Path(bot.config.store_dir or "data/store") / "knowledge_base.json"
        data = {"simulator": "training/policy/simulator.py + rubric.py", "split": "train",
                "customer_pool": str(POOL), "customer_pool_sha256": hashlib.sha256(POOL.read_bytes()).hexdigest(),
                "knowledge_base_sha256": hashlib.sha256(kb_file.read_bytes()).hexdigest() if kb_file.exists() else None}
        net, history = module.train(cfg, env=env, writer=writer)
        env.memo.save()
    train_seconds = time.time() - start
    card = {"data": data, "reward_weights": dataclasses.asdict(weights), "reward_model": args.reward_model}
    if args.algo == "bandit":
        return _finish_bandit(args, bot, net, cfg, card, history, train_seconds, out, writer)

    config = module.serving_config(cfg)
    net = net.eval()  # (dqn and ppo give it back on the CPU: rl_setup.trained_net)
    config.update(n_features=net.n_features, hidden=net.hidden,
                  reward_feature=bot.reward_model is not None)  # if False, serving hides reward scores from it
    from bot.selection.features import FeatureBuilder

    policy = LearnedPolicy(net, FeatureBuilder.for_bot(bot), config)
    metrics = _metrics(args, bot, policy.scores_from_features, history, train_seconds)
    return _saved(save_checkpoint(net, out, config, {**card, "metrics": metrics}), out, metrics, writer)


def _finish_bandit(args, bot, model, cfg, card, history, train_seconds, out, writer) -> int:
    metrics = _metrics(args, bot, model.scores_from_features, history, train_seconds)
    return _saved(bandit.save(model, out, cfg, {**card, "metrics": metrics}), out, metrics, writer)


def _metrics(args, bot, scores_from_features, history, train_seconds) -> dict:
    """Training time, held-out greedy satisfaction on simulated customers, and the last training returns."""
    import numpy as np

    greedy = lambda obs: int(np.argmax(scores_from_features(obs.features)))  # noqa: E731
    metrics = {"train_seconds": round(train_seconds, 1)}
    if args.eval_episodes:
        metrics["heldout_greedy"] = evaluate_on_simulator(bot, greedy, args.eval_episodes)
        metrics["heldout_greedy"].pop("per_episode")
    if history.get("satisfaction"):
        metrics["train_satisfaction_last100"] = float(np.mean(history["satisfaction"][-100:]))
    return metrics


def _saved(version: str, out, metrics: dict, writer) -> int:
    writer.add_text("policy/version", version)
    writer.close()
    print(f"saved {version} to {out}")
    for key, value in metrics.items():
        print(f"  {key}: {value}")
    return 0
