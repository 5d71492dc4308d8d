"""`rlcs bench latency`: turn latency over a fixed script of customer messages, split by stage."""
from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

from training.results import write_result

# A fixed script: short multi-turn conversations covering the store's common requests.
SCRIPT = [
    ["Hi there", "Where is my order 12345?", "When will it arrive?", "Thanks, bye"],
    ["I want to return a sweater that doesn't fit", "How long does the refund take?"],
    ["my package says delivered but it's not here", "order 10007", "can you send a new one?"],
    ["Can I change the size on my order before it ships?", "It's order number 10003"],
    ["Do you ship to Canada?", "How much is express shipping?"],
    ["My promo code SAVE20 isn't working", "it says expired"],
    ["I was charged twice for order 10012!!", "please fix this now"],
    ["How do I reset my password?", "I don't get the email"],
    ["I'd like to talk to a real person"],
    ["Can I pick up my order in store?", "order 10020", "how long will you hold it?"],
    ["The jacket arrived with a broken zipper", "What are my options?"],
    ["Please delete my account and all my data"],
]


def run(args) -> int:
    import numpy as np

    from bot import Bot, BotConfig

    with tempfile.TemporaryDirectory() as tmp:
        db = args.scratch_db or str(Path(tmp) / "bench.sqlite3")
        bot = Bot(BotConfig(db_path=db, policy=args.policy, n_candidates=args.n_candidates,
                            reward_model=args.reward_model, generator=args.generator, seed=0,
                            intent_model=args.intent_model))
        bot.reply("warmup", "hello")  # first call pays for lazy initialisation; not measured
        stages = {"drafting": [], "selection": [], "storage": [], "total": []}
        start = time.perf_counter()
        for round_index in range(args.rounds):
            for number, conversation in enumerate(SCRIPT):
                session = f"bench-{round_index}-{number}"
                for message in conversation:
                    turn = bot.reply(session, message)
                    for stage in stages:
                        stages[stage].append(turn.latency_ms[stage])
                bot.end_session(session, csat=4, resolved=True)
        wall = time.perf_counter() - start

    result = {
        "turns": len(stages["total"]),
        "policy": args.policy, "n_candidates": args.n_candidates, "generator": args.generator,
        "wall_s": round(wall, 2),
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
    }
    for stage, values in stages.items():
        result[stage] = {"p50_ms": round(float(np.percentile(values, 50)), 2), "p95_ms": round(float(np.percentile(values, 95)), 2),
                         "mean_ms": round(sum(values) / len(values), 2)}
    share = (sum(stages["selection"]) + sum(stages["storage"])) / sum(stages["total"])
    result["selection_plus_storage_share"] = round(share, 4)

    print(f"{result['turns']} turns, policy {args.policy}, {args.n_candidates} candidates")
    print(f"{'stage':<10} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for stage in stages:
        r = result[stage]
        print(f"{stage:<10} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['mean_ms']:>8.2f}")
    print(f"selection + storage: {100 * share:.1f}% of turn time")
    write_result(args.output, result)
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("latency", help="p50/p95 turn latency split into drafting, selection, storage",
                                   description="Replays a fixed script of customer messages through the Bot and "
                                               "reports p50/p95 latency per stage.")
    parser.add_argument("--rounds", type=int, default=5, help="times the script is replayed (default: %(default)s)")
    parser.add_argument("--policy", default="softmax", help="serving policy (default: %(default)s)")
    parser.add_argument("--n-candidates", type=int, default=8, help="candidates per turn (default: %(default)s)")
    parser.add_argument("--reward-model", default=None, help="also score candidates with this reward model")
    parser.add_argument("--generator", default=None, help="also draft with this generator")
    parser.add_argument("--intent-model", default="auto", help="auto | none (nearest examples only) | a folder (default: %(default)s)")
    parser.add_argument("--scratch-db", default=None, help="SQLite file to write (default: a temporary one)")
    parser.add_argument("--db", dest="scratch_db", help=argparse.SUPPRESS)  # the old spelling
    parser.add_argument("--output", default="runs/bench/latency.json", help="JSON result (default: %(default)s)")
    parser.set_defaults(func=run)
    return parser
