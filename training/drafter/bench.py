"""`rlcs bench drafting`: how fast the generative drafter is, and how good its candidates are.

speed    For K held-out customer messages, the drafter's whole turn (`GenerativeDrafter.draft`: prompt,
         tokenising, ONE generate with num_return_sequences=N, decoding, cleaning, de-duplication,
         scoring) against a bare `model.generate` on the same prompt ids with the same settings and
         seed. Reported: tokens/s of each, turn latency, and the overhead ratio (target: under 10%).
quality  On held-out Bitext rows (the split the reward model never trained on): retrieval-only, SFT,
         SFT+GRPO. Per system, over its own drafted candidates: mean reward-model score and ROUGE-L
         against Bitext's reference answer; then with the selection policy on top (the candidate it
         picks from the hybrid pool the bot would serve): the same two numbers.

Writes runs/bench/drafting/{results.json, results.md, drafting.png}.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 on lower-cased word tokens (longest common subsequence)."""
    a, b = re.findall(r"\w+", candidate.lower()), re.findall(r"\w+", reference.lower())
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    if lcs == 0:
        return 0.0
    p, r = lcs / len(a), lcs / len(b)
    return 2 * p * r / (p + r)


def heldout(kb, n: int, seed: int = 0) -> list[dict]:
    from training.drafter.data import bitext_records
    from training.reward.data import DataPaths

    path = DataPaths().path("bitext")
    if not path.exists():
        raise FileNotFoundError(f"Bitext not found at {path} (set RLCS_SHARED_DATA)")
    return bitext_records(kb, path, "test", limit=n, seed=seed)


def make_bot(generator: str | None, args, db_dir: str):
    from bot import Bot, BotConfig

    config = BotConfig(db_path=str(Path(db_dir) / "bench.sqlite3"), cache_dir=args.cache_dir, seed=args.seed,
                       n_candidates=args.n_candidates, n_generative=args.n, generator=generator,
                       generator_options={"max_new_tokens": args.max_new_tokens, "temperature": args.temperature,
                                          "top_p": args.top_p, "seed": args.seed},
                       reward_model=args.reward_model, policy=args.policy)
    return Bot(config)


def state_for(bot, message: str):
    from bot.dialogue.state import DialogueState

    state = DialogueState("bench")
    bot.tracker.update(state, message)
    return state


# -- speed ---------------------------------------------------------------------------------------
def bench_speed(bot, rows: list[dict], repeats: int) -> dict:
    import torch

    drafter = bot.generator
    kwargs = drafter.generation_kwargs(bot.config.n_generative)
    bare_s, turn_s, bare_tokens, turn_tokens = [], [], [], []
    for row in rows:
        state = state_for(bot, row["context"].removeprefix("Customer: "))
        for r in range(repeats):
            seed = 1000 * r + len(bare_s)
            # bare: the same prompt ids, the same settings and seed, nothing around it
            inputs = drafter.encode_prompt(drafter.prompt_for(state))
            torch.manual_seed(seed)
            start = time.perf_counter()
            with torch.inference_mode():
                out = drafter.model.generate(**inputs, **kwargs)
            bare_s.append(time.perf_counter() - start)
            new = out if drafter.seq2seq else out[:, inputs["input_ids"].shape[1]:]
            bare_tokens.append(int((new != drafter.tokenizer.pad_token_id).sum()))
            # ours: the whole drafting turn (prompt, generate, decode, clean, dedupe, score)
            drafter.options["seed"] = seed
            start = time.perf_counter()
            drafter.draft(state, bot.config.n_generative)
            turn_s.append(time.perf_counter() - start)
            turn_tokens.append(drafter.last_stats["new_tokens"])
    ratio = statistics.median(t / b for t, b in zip(turn_s, bare_s))
    return {"turns": len(turn_s), "n": bot.config.n_generative, "max_new_tokens": kwargs["max_new_tokens"],
            "bare_generate_s_median": statistics.median(bare_s), "drafter_turn_s_median": statistics.median(turn_s),
            "bare_tokens_per_s": sum(bare_tokens) / sum(bare_s), "drafter_tokens_per_s": sum(turn_tokens) / sum(turn_s),
            "overhead_ratio_median": ratio, "overhead_pct": 100 * (ratio - 1)}


# -- quality -------------------------------------------------------------------------------------
def bench_quality(bot, rows: list[dict]) -> dict:
    from bot.drafting.generative import GenerativeDrafter
    from bot.drafting.remote import OpenAIChatDrafter

    generated_sources = (GenerativeDrafter.source, OpenAIChatDrafter.source)
    own_rouge, own_reward, pick_rouge, pick_reward, picked_generated, dropped, drafted = [], [], [], [], 0, 0, 0
    generated = bot.generator is not None
    for row in rows:
        state = state_for(bot, row["context"].removeprefix("Customer: "))
        candidates, drops = bot.draft(state)
        bot.score_rewards(state, candidates)
        own = [c for c in candidates if (c.source != "retrieval") == generated and c.source != "fallback"]
        drafted += len(own) + sum(1 for c, _ in drops if (c.source != "retrieval") == generated)
        dropped += sum(1 for c, _ in drops if (c.source != "retrieval") == generated)
        for c in own:
            own_rouge.append(rouge_l(c.text, row["reply"]))
            if c.reward is not None:
                own_reward.append(c.reward)
        probs = bot.current_policy().probabilities(state, candidates)
        choice = candidates[int(max(range(len(candidates)), key=lambda i: probs[i]))]
        pick_rouge.append(rouge_l(choice.text, row["reply"]))
        picked_generated += choice.source in generated_sources  # not a handover, a question or the fallback
        if choice.reward is not None:
            pick_reward.append(choice.reward)
    mean = lambda xs: statistics.fmean(xs) if xs else None  # noqa: E731
    return {"prompts": len(rows), "candidates_mean_rouge_l": mean(own_rouge), "candidates_mean_reward": mean(own_reward),
            "policy_rouge_l": mean(pick_rouge), "policy_reward": mean(pick_reward),
            "policy_picked_generated": picked_generated / max(1, len(rows)), "guard_drop_rate": dropped / max(1, drafted),
            "policy": bot.current_policy().version}


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = list(results["quality"])
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, (metric, label) in zip(axes, [("rouge_l", "ROUGE-L vs reference"), ("reward", "reward-model score")]):
        own = [results["quality"][s][f"candidates_mean_{metric}"] or 0 for s in systems]
        pick = [results["quality"][s][f"policy_{metric}"] or 0 for s in systems]
        x = range(len(systems))
        ax.bar([i - 0.2 for i in x], own, 0.4, label="drafted candidates (mean)")
        ax.bar([i + 0.2 for i in x], pick, 0.4, label="+ selection policy")
        ax.set_xticks(list(x), systems)
        ax.set_title(label)
        ax.axhline(0, color="grey", lw=0.5)
    axes[0].legend(fontsize=8, loc="upper left")
    fig.suptitle(f"Drafting quality on {results['config']['prompts']} held-out Bitext requests")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def markdown(results: dict) -> str:
    fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
    lines = []
    if results.get("speed"):
        s = results["speed"]
        lines += ["| drafting N=%d, %d new tokens max | bare generate | GenerativeDrafter turn |" % (s["n"], s["max_new_tokens"]),
                  "|---|---:|---:|",
                  f"| median latency (s) | {s['bare_generate_s_median']:.2f} | {s['drafter_turn_s_median']:.2f} |",
                  f"| tokens/s | {s['bare_tokens_per_s']:.1f} | {s['drafter_tokens_per_s']:.1f} |",
                  f"| overhead (median ratio - 1) | | {s['overhead_pct']:+.1f}% |", ""]
    lines += ["| system | candidates: reward | candidates: ROUGE-L | + policy: reward | + policy: ROUGE-L | policy picked generated | guard drops |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for name, q in results["quality"].items():
        lines.append(f"| {name} | {fmt(q['candidates_mean_reward'])} | {fmt(q['candidates_mean_rouge_l'])} | "
                     f"{fmt(q['policy_reward'])} | {fmt(q['policy_rouge_l'])} | {q['policy_picked_generated']:.0%} | {q['guard_drop_rate']:.0%} |")
    return "\n".join(lines)


def run(args) -> int:
    import os

    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.reward_model is None and (Path("runs/reward") / "config.json").exists():
        args.reward_model = "runs/reward"
    if args.policy is None:
        args.policy = "reward" if args.reward_model else "softmax"
    systems = {"retrieval": None}
    for name, path in (("sft", args.sft), ("sft+grpo", args.grpo)):
        if path:
            if not (Path(path) / "config.json").exists():
                raise FileNotFoundError(f"--{name.split('+')[-1]}: no model at {path}")
            systems[name] = path
    if args.systems:
        wanted = [s.strip() for s in args.systems.split(",") if s.strip()]
        unknown = set(wanted) - set(systems)
        if unknown:
            raise ValueError(f"--systems: {sorted(unknown)} not available (have {sorted(systems)}; give --sft/--grpo paths)")
        systems = {name: systems[name] for name in wanted}
    kb = KnowledgeBase.load(STORE_DIR)
    rows = heldout(kb, args.prompts, args.seed)
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    results = {"config": {k: v for k, v in vars(args).items() if k != "func"}, "quality": {}, "speed": None}
    if args.merge and (out / "results.json").exists():
        # add only what is missing (e.g. the GRPO row once that run finishes); same prompts and seed required
        earlier = json.loads((out / "results.json").read_text())
        if earlier["config"].get("prompts") != len(rows) or earlier["config"].get("seed") != args.seed:
            raise ValueError(f"--merge: {out}/results.json used other prompts/seed; rerun without --merge")
        results["quality"], results["speed"] = earlier["quality"], earlier["speed"]
        results["config"]["models"] = earlier["config"].get("models", {})
    results["config"].setdefault("models", {})
    with tempfile.TemporaryDirectory() as db_dir:
        for name, path in systems.items():
            if name in results["quality"] and results["config"]["models"].get(name) == path:
                continue
            results["config"]["models"][name] = path
            print(f"[{name}] drafting for {len(rows)} held-out requests ...", flush=True)
            bot = make_bot(path, args, db_dir)
            results["quality"][name] = bench_quality(bot, rows)
            print(json.dumps(results["quality"][name]), flush=True)
            if path and results["speed"] is None and args.speed_prompts:
                print(f"[{name}] speed: {args.speed_prompts} prompts x {args.repeats} ...", flush=True)
                results["speed"] = {"model": path, **bench_speed(bot, rows[: args.speed_prompts], args.repeats)}
    results["config"]["prompts"] = len(rows)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    table = markdown(results)
    (out / "results.md").write_text(table + "\n")
    plot(results, out / "drafting.png")
    print(table)
    print(f"wrote {out}/results.json, results.md, drafting.png")
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "drafting", help="drafting speed vs bare generate, and candidate quality on held-out Bitext",
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--sft", default="runs/drafter/sft" if Path("runs/drafter/sft/config.json").exists() else None,
                        help="SFT drafter checkpoint")
    parser.add_argument("--grpo", default="runs/drafter/grpo" if Path("runs/drafter/grpo/config.json").exists() else None,
                        help="SFT+GRPO drafter checkpoint")
    parser.add_argument("--reward-model", default=None, help="reward model folder (default runs/reward if present)")
    parser.add_argument("--policy", default=None, help="selection policy on top (default: reward if a reward model, else softmax)")
    parser.add_argument("--prompts", type=int, default=24, help="held-out Bitext requests for the quality part")
    parser.add_argument("--speed-prompts", type=int, default=4, help="requests for the speed part (0 = skip)")
    parser.add_argument("--repeats", type=int, default=2, help="timed repeats per speed request")
    parser.add_argument("--n", type=int, default=4, help="generative candidates per turn (BotConfig.n_generative)")
    parser.add_argument("--n-candidates", type=int, default=8, help="candidates per turn in all (the rest: retrieval)")
    parser.add_argument("--max-new-tokens", type=int, default=48, help="tokens per generated candidate")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--top-p", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", default="runs/cache")
    parser.add_argument("--output-dir", default="runs/bench/drafting")
    parser.add_argument("--systems", default=None, help="comma list among retrieval,sft,sft+grpo (default: all available)")
    parser.add_argument("--merge", action="store_true", help="keep the systems already in results.json, run only the others")
    parser.set_defaults(func=run)
    return parser
