"""`rlcs bench issues`: how often the bot finds a second request in a message (bot/dialogue/issues.py).

    single     the store's labelled one-issue messages (data/store/intent_training_messages.jsonl):
               share flagged as having another issue (false positives); also on the fifth the intent
               model never trained on (held out, as bot/dialogue/intent_training.py splits them)
    one_issue  our hand-written one-issue messages told in several sentences, a third of them with
               "also" / "too" / "as well" in them (tests/data/issue_messages.jsonl): false positives
    two_issue  our hand-written two-issue messages (same file): share whose other issue is one of the
               labelled intents (recall). Per set: "tuning" chose the rule and threshold, "held_out" was
               written before the bot first read it
    real_dev   real first messages (../shared/data/real_dev), read only: how many get flagged; --show N
               prints N of them with their clauses to the terminal (never to the result file)
    latency    full turns (Bot.reply) on store one-issue messages and on two-issue messages, with the
               other-issue search timed again on the same state: the ratio of a turn to a turn without it
A message with nothing to read (bot/dialogue/issues.py: clauses_to_read) cannot be flagged and is counted
without running the tracker.
"""
from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from training.results import write_result

REPO = Path(__file__).resolve().parents[2]
ISSUE_FILE = REPO / "tests" / "data" / "issue_messages.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read(bot, text: str):
    """The dialogue state after one opening message (the tracker only; nothing is stored)."""
    from bot.dialogue.state import DialogueState

    state = DialogueState("bench")
    bot.tracker.update(state, text)
    return state


def flagged_share(bot, texts: list[str]) -> tuple[int, int]:
    from bot.dialogue import issues

    flagged = sum(bool(issues.clauses_to_read(t)) and "other_issue" in read(bot, t).slots for t in texts)
    return flagged, len(texts)


def held_out_single(bot, rows: list[dict]) -> list[str]:
    """The labelled messages the intent model never fitted on: every fifth per intent, counted after the KB examples."""
    seen = {i.id: len(i.examples) for i in bot.kb.intents}
    held = []
    for row in rows:
        if seen[row["intent"]] % 5 == 4:
            held.append(row["text"])
        seen[row["intent"]] += 1
    return held


def latency(bot, kinds: dict[str, list[str]]) -> dict:
    """Per kind of message: mean turn time, mean time of the other-issue search, and their ratio."""
    from bot.dialogue import issues

    bot.reply("warmup", "hello")
    result = {}
    for kind, texts in kinds.items():
        turn_ms, search_ms = [], []
        for n, text in enumerate(texts):
            session = f"bench-issues-{kind}-{n}"
            start = time.perf_counter()
            bot.reply(session, text)
            turn_ms.append(1000 * (time.perf_counter() - start))
            state = copy.deepcopy(bot._session(session)[0])
            start = time.perf_counter()
            issues.find_other_issue(bot.tracker, state, text)  # the same work the turn did, timed alone
            search_ms.append(1000 * (time.perf_counter() - start))
        turn, search = statistics.mean(turn_ms), statistics.mean(search_ms)
        result[kind] = {"turns": len(texts), "turn_mean_ms": round(turn, 1), "search_mean_ms": round(search, 1),
                        "ratio_to_turn_without": round(turn / max(1e-9, turn - search), 3)}
    return result


def run(args) -> int:
    from bot import Bot, BotConfig
    from bot.dialogue import issues
    from bot.shop.paths import STORE_DIR
    from training.shared_data import real_dev_file

    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(BotConfig(db_path=args.scratch_db or str(Path(tmp) / "bench.sqlite3"), seed=0, policy="first"))
        result = {"threshold": issues.OTHER_ISSUE_ABOVE, "rows": {}}

        single = read_jsonl(STORE_DIR / "intent_training_messages.jsonl")
        for name, texts in (("single/all", [r["text"] for r in single]), ("single/held_out", held_out_single(bot, single))):
            flagged, n = flagged_share(bot, texts)
            result["rows"][name] = {"messages": n, "flagged": flagged, "share": round(flagged / n, 4)}
            print(f"{name:17s} flagged {flagged}/{n} = {flagged / n:.1%} (false positives)")

        labelled = read_jsonl(ISSUE_FILE)
        for part in ("tuning", "held_out"):
            texts = [r["text"] for r in labelled if r["issues"] == 1 and r["set"] == part]
            flagged, n = flagged_share(bot, texts)
            result["rows"][f"one_issue/{part}"] = {"messages": n, "flagged": flagged, "share": round(flagged / n, 4)}
            print(f"one_issue/{part:8s} flagged {flagged}/{n} = {flagged / n:.1%} (false positives)")
        for part in ("tuning", "held_out"):
            rows = [r for r in labelled if r["issues"] == 2 and r["set"] == part]
            found = both = 0
            for r in rows:
                state = read(bot, r["text"])
                other = state.slots.get("other_issue")
                found += other in r["intents"]
                both += other in r["intents"] and state.intent in r["intents"]
            result["rows"][f"two_issue/{part}"] = {"messages": len(rows), "other_issue_right": found,
                                                   "recall": round(found / len(rows), 4), "both_right": both}
            print(f"two_issue/{part:8s} other issue found {found}/{len(rows)} = {found / len(rows):.1%} "
                  f"(both issues right {both})")

        real = real_dev_file(args.shared_data)
        if real.exists():
            texts = [r["message"] for r in read_jsonl(real)]
            flagged = []
            for text in texts:
                state = read(bot, text) if issues.clauses_to_read(text) else None
                if state is not None and "other_issue" in state.slots:
                    flagged.append((text, state))
            result["rows"]["real_dev"] = {"messages": len(texts), "flagged": len(flagged),
                                          "share": round(len(flagged) / len(texts), 4)}
            print(f"real_dev          flagged {len(flagged)}/{len(texts)} = {len(flagged) / len(texts):.1%} (read only)")
            for text, state in random.Random(args.seed).sample(flagged, min(args.show, len(flagged))):
                print(f"\n--- {state.intent} + {state.slots['other_issue']}\n{text}")
                for clause, signalled, intent, p in state.cache["clauses"]:
                    print(f"    {p:.2f} {intent:24s} {'*' if signalled else ' '} {clause}")

        if args.latency_turns:
            half = args.latency_turns // 2
            kinds = {"store_single": random.Random(args.seed).sample([r["text"] for r in single], half),
                     "two_issue": [r["text"] for r in labelled if r["issues"] == 2][:half]}
            result["latency"] = latency(bot, kinds)
            for kind, lat in result["latency"].items():
                print(f"latency {kind:12s}: turn {lat['turn_mean_ms']} ms mean, other-issue search {lat['search_mean_ms']} ms; "
                      f"ratio to a turn without it {lat['ratio_to_turn_without']} ({lat['turns']} turns)")
    write_result(args.output, result)
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("issues", help="finding a second request in one message: false positives, recall, latency",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared-data", default=None, help="reference data folder (default: ../shared/data)")
    parser.add_argument("--show", type=int, default=10, help="flagged real_dev messages to print (default: %(default)s)")
    parser.add_argument("--latency-turns", type=int, default=100,
                        help="turns to time, half one-issue, half two-issue; 0 = skip (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default: %(default)s)")
    parser.add_argument("--scratch-db", default=None, help="scratch file the bot writes (default: a temporary file)")
    parser.add_argument("--output", default="runs/bench/issues.json", help="JSON result (default: %(default)s)")
    parser.set_defaults(func=run)
    return parser
