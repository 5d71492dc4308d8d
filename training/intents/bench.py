"""`rlcs bench intents`: how well the tracker recognises what customers ask, on requests it never saw.

Two rows:
  bitext    Bitext's customer requests (../shared/data/bitext), written by others for another store:
            the test split only (the intent model trains on the train split), of the intents with a
            clear counterpart in our store (training/bitext_intents.py). Exact intent accuracy.
  real_dev  real first messages to shop support accounts (../shared/data/real_dev), labelled by us
            with the intents that would answer each message's topic (training/intents/real_dev_labels.py):
            a hit is an acceptable intent. Never training data.
With --reward-model, a third row: on real_dev, does the drafted reply the reward model scores best answer the
question more often than retrieval rank 1 (training/intents/reply_choice.py; paired bootstrap interval)?
Each row is given for the intent model the bot serves (--intent-model, default auto) and for the
nearest-example tracker it replaced (`none`), measured in the same run.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
from collections import Counter

from training.results import write_result
from training.bitext_intents import BITEXT_TO_OURS


def bitext_test_rows(shared_data: str | None, limit: int, seed: int) -> list[tuple[str, set[str]]]:
    from training.shared_data import bitext_file
    from training.reward.pairs import split_of

    path = bitext_file(shared_data)
    if not path.exists():
        raise FileNotFoundError(f"Bitext not found at {path} (pass --shared-data or set RLCS_SHARED_DATA)")
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        start = reader.line_num + 1
        for r in reader:
            request = r["instruction"].strip()
            # the same split as the intent model's training data (training/reward/sources/bitext.py)
            if r["intent"] in BITEXT_TO_OURS and split_of(f"bitext:{start}:{request}") == "test":
                rows.append((request, {BITEXT_TO_OURS[r["intent"]]}))
            start = reader.line_num + 1
    return random.Random(seed).sample(rows, min(limit, len(rows)))


def real_dev_rows(shared_data: str | None, half: str = "all") -> list[tuple[str, set[str]]]:
    """(message, acceptable intents) of real_dev; half "train" / "test": only that half (real_dev_split.py); "none":
    no real_dev row (Bitext only)."""
    from training.intents.real_dev_labels import ACCEPTABLE
    from training.intents.real_dev_split import half_of
    from training.shared_data import real_dev_file

    path = real_dev_file(shared_data)
    if half == "none" or not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["message"], ACCEPTABLE[r["topic"]]) for r in rows
            if r.get("topic") in ACCEPTABLE and half in ("all", half_of(r["id"]))]


def accuracy(bot, rows: list[tuple[str, set[str]]]) -> tuple[float, Counter]:
    from bot.dialogue.state import DialogueState

    confusions: Counter = Counter()
    correct = 0
    for text, acceptable in rows:
        state = DialogueState("bench")
        bot.tracker.update(state, text)
        if state.intent in acceptable:
            correct += 1
        else:
            confusions[("|".join(sorted(acceptable)), state.intent)] += 1
    return correct / max(1, len(rows)), confusions


def run(args) -> int:
    from bot import Bot, BotConfig

    sets = {"bitext": bitext_test_rows(args.shared_data, args.limit, args.seed),
            "real_dev": real_dev_rows(args.shared_data, args.real_dev_half)}
    known = None
    result = {"seed": args.seed, "real_dev_half": args.real_dev_half, "rows": {}}
    for model in dict.fromkeys([args.intent_model, "none"]):
        bot = Bot(BotConfig(db_path=args.scratch_db, seed=0, intent_model=model))
        known = known or {i.id for i in bot.kb.intents}
        for name, rows in sets.items():
            missing = set().union(*(a for _, a in rows)) - known if rows else set()
            rows = [(t, a & known) for t, a in rows if a & known]
            if not rows:
                continue
            acc, confusions = accuracy(bot, rows)
            result["rows"][f"{name}/{model}"] = {"requests": len(rows), "accuracy": round(acc, 4),
                                                 "unknown_labels": sorted(missing),
                                                 "top_confusions": [[e, p, n] for (e, p), n in confusions.most_common(8)]}
            print(f"{name:9s} intent model {model:5s}: accuracy {acc:.3f} on {len(rows)} unseen requests")
            for (expected, predicted), n in confusions.most_common(5):
                print(f"    {n:4d}  {expected} -> {predicted}")
    if args.reward_model:  # which drafted reply answers: rank 1 vs best-of-N by the reward model
        from bot.selection.reward_model import RewardModel
        from training.intents.reply_choice import compare

        bot = Bot(BotConfig(db_path=args.scratch_db, seed=0, intent_model=args.intent_model))
        rows = [(t, a & known) for t, a in sets["real_dev"] if a & known]
        if rows:
            choice = result["reply_choice"] = compare(bot, RewardModel.load(args.reward_model), rows, args.prior_weights)
            choice["reward_model"] = args.reward_model
            d, lo, hi = choice["best_of_n_minus_rank1"]
            print(f"real_dev  reply answers the question: rank 1 {choice['rank1_answers']:.3f}, best-of-N by the reward "
                  f"model {choice['best_of_n_answers']:.3f} ({d:+.3f} [{lo:+.3f}, {hi:+.3f}]), any candidate "
                  f"{choice['any_candidate_answers']:.3f}; {choice['messages']} messages")
            for row in choice["regularised"]:
                d, lo, hi = row["minus_rank1"]
                print(f"          reward + {row['prior_weight']:g} x drafter score: {row['answers']:.3f} "
                      f"({d:+.3f} [{lo:+.3f}, {hi:+.3f}])")
    main_row = result["rows"][f"bitext/{args.intent_model}"]
    result["requests"], result["accuracy"] = main_row["requests"], main_row["accuracy"]
    write_result(args.output, result)
    return 0


def _weights(text: str) -> tuple[float, ...]:
    try:
        weights = tuple(float(w) for w in text.split(",") if w.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"prior weights are numbers, comma-separated, got {text!r}") from None
    if any(w < 0 for w in weights):
        raise argparse.ArgumentTypeError(f"prior weights are at least 0, got {text!r}")
    return weights


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("intents", help="intent recognition accuracy on unseen Bitext requests and real messages",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=600, help="Bitext test requests to sample (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default: %(default)s)")
    parser.add_argument("--intent-model", default="auto", help="auto | none | a folder (default: %(default)s)")
    parser.add_argument("--shared-data", default=None, help="reference data folder (default: ../shared/data)")
    parser.add_argument("--real-dev-half", choices=["all", "train", "test", "none"], default="all",
                        help="score real_dev's messages of this half only, e.g. after learning from the other "
                             "(training/intents/real_dev_split.py), or none of them (default: %(default)s)")
    parser.add_argument("--scratch-db", default="runs/bench/intents.scratch.sqlite3", help="scratch file the bot writes (default: %(default)s)")
    parser.add_argument("--db", dest="scratch_db", help=argparse.SUPPRESS)  # the old spelling
    parser.add_argument("--reward-model", default=None,
                        help="also compare, on real_dev, the reply this reward model scores best against rank 1 (a folder)")
    parser.add_argument("--prior-weights", type=_weights, default=(),
                        help="with --reward-model: also best-of-N regularised toward the drafter, picking the highest "
                             "reward + W x drafter score, for each W in this comma list (e.g. 0.5,1,2,4)")
    parser.add_argument("--output", default="runs/bench/intents.json", help="JSON result (default: %(default)s)")
    parser.set_defaults(func=run)
    return parser
