"""`rlcs`: one command line for serving, chatting, training, evaluating, exporting and benchmarking.

Every subcommand lives in its own module, which provides `make_parser(subparsers)` (as TRL's scripts
do) and sets `func` on its parser; this file only lists them.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from bot.storage.replay_buffer import StorageError

# (command path, module). A module registers its own parser and flags.
COMMANDS = [
    (("serve",), "ui.app"),
    (("rate",), "ui.rate_app"),
    (("accounts",), "ui.accounts"),
    (("chat",), "ui.terminal"),
    (("export",), "training.export"),
    (("backup",), "ui.backup"),
    (("score",), "bot.selection.reward_model"),
    (("promote",), "training.policy.promote"),
    (("escalations",), "ui.escalations"),
    (("train", "reward"), "training.reward.train"),
    (("train", "policy"), "training.policy.train"),
    (("train", "drafter"), "training.drafter.train"),
    (("train", "intents"), "training.intents.train"),
    (("eval", "reward"), "training.reward.evaluate"),
    (("eval", "policy"), "training.policy.evaluate"),
    (("eval", "replies"), "training.reply_quality"),
    (("bench", "latency"), "training.serving.bench_latency"),
    (("bench", "serve"), "training.serving.bench_serve"),
    (("bench", "intents"), "training.intents.bench"),
    (("bench", "issues"), "training.intents.bench_issues"),
    (("bench", "misfires"), "training.intents.bench_misfires"),
    (("bench", "policy"), "training.policy.bench"),
    (("bench", "drafting"), "training.drafter.bench"),
]

GROUP_HELP = {
    "train": "train the reward model, the selection policy, the drafter or the intent model",
    "eval": "evaluate the reward model, a selection policy, or the replies to real messages (blind ratings)",
    "bench": "benchmarks: turn latency, serving replicas, intent recognition, several issues in one message, misfire hunts, policy regret, drafting speed and quality",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rlcs", description="rlcs: a customer-service bot that learns which reply satisfies.")
    top = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}
    for path, module_name in COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name == module_name:  # not written yet: leave the command out
                continue
            raise
        subparsers = top
        if len(path) == 2:
            if path[0] not in groups:
                group = top.add_parser(path[0], help=GROUP_HELP[path[0]], description=GROUP_HELP[path[0]])
                groups[path[0]] = group.add_subparsers(dest="subcommand", metavar="WHAT")
            subparsers = groups[path[0]]
        module.make_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help() if not getattr(args, "command", None) else parser.parse_args([args.command, "--help"])
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, StorageError) as err:  # our errors carry a message a user can act on
        print(f"rlcs: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
