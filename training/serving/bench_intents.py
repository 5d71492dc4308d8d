"""`rlcs bench intents`: how well the tracker recognises what customers ask, on requests it never saw.

Bitext's customer requests (../shared/data/bitext) are written by others, for another store; the 18 of
its 27 intents that have a clear counterpart in our knowledge base are mapped to it, and the tracker's
detected intent is compared with the mapped one. The mapping is approximate (Bitext's delivery_period
questions are sometimes order tracking for us), so read the figure as a floor, not a ceiling.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
from collections import Counter
from pathlib import Path

# Bitext intent -> our intent (only those with a clear counterpart).
BITEXT_TO_OURS = {
    "cancel_order": "cancel_order", "track_order": "track_order", "change_order": "change_order",
    "change_shipping_address": "change_shipping_address", "set_up_shipping_address": "change_shipping_address",
    "check_payment_methods": "payment_methods", "payment_issue": "payment_failed", "get_invoice": "invoice_request",
    "check_invoice": "invoice_request", "delete_account": "delete_account_privacy", "recover_password": "account_access",
    "contact_human_agent": "human_agent", "newsletter_subscription": "newsletter_unsubscribe",
    "delivery_options": "shipping_options", "delivery_period": "shipping_options", "complaint": "complaint",
    "track_refund": "refund_status", "check_refund_policy": "refund_policy",
}


def run(args) -> int:
    from bot import Bot, BotConfig
    from bot.dialogue.state import DialogueState
    from training.reward.data import shared_data_dir

    path = shared_data_dir(args.shared_data) / "bitext" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
    if not path.exists():
        raise FileNotFoundError(f"Bitext not found at {path} (pass --shared-data or set RLCS_SHARED_DATA)")
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["intent"] in BITEXT_TO_OURS]
    rows = random.Random(args.seed).sample(rows, min(args.limit, len(rows)))

    bot = Bot(BotConfig(db_path=args.scratch_db, seed=0))
    known = {intent.id for intent in bot.kb.intents}
    confusions: Counter = Counter()
    correct = 0
    for row in rows:
        expected = BITEXT_TO_OURS[row["intent"]]
        if expected not in known:
            raise ValueError(f"intent {expected!r} is not in this store's knowledge base")
        state = DialogueState("bench")
        bot.tracker.update(state, row["instruction"])
        correct += state.intent == expected
        if state.intent != expected:
            confusions[(expected, state.intent)] += 1
    accuracy = correct / len(rows)
    result = {"requests": len(rows), "accuracy": round(accuracy, 4), "seed": args.seed,
              "top_confusions": [[e, p, n] for (e, p), n in confusions.most_common(10)]}
    print(f"intent accuracy on {len(rows)} unseen Bitext requests: {accuracy:.3f}")
    for expected, predicted, n in result["top_confusions"]:
        print(f"  {n:4d}  {expected} -> {predicted}")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"wrote {out}")
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("intents", help="intent recognition accuracy on unseen Bitext requests",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600, help="requests to sample (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default: %(default)s)")
    parser.add_argument("--shared-data", default=None, help="reference data folder (default: ../shared/data)")
    parser.add_argument("--scratch-db", default="runs/bench/intents.scratch.sqlite3", help="scratch file the bot writes (default: %(default)s)")
    parser.add_argument("--db", dest="scratch_db", help=argparse.SUPPRESS)  # the old spelling
    parser.add_argument("--output", default="runs/bench/intents.json", help="JSON result (default: %(default)s)")
    parser.set_defaults(func=run)
    return parser
