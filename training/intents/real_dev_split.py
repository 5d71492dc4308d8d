"""Two halves of real_dev, for experiments that learn from it: learn on one half, report on the other.

    python -m training.intents.real_dev_split --pairs runs/x/r4.jsonl,runs/x/r6.jsonl --output runs/x/train.jsonl
        keeps the reward pairs (`rlcs export --format reward`) whose customer message is in the training half
    rlcs bench intents --real-dev-half test --reward-model DIR
        scores on the other half only

The half of a message is a stable hash of its id (training/reward/pairs.split_of), the same on every machine.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

HALF = 0.5  # the share of messages in the "test" half


def half_of(message_id: str) -> str:
    from training.reward.pairs import split_of

    return split_of(f"real_dev:{message_id}", HALF)


def training_half_pairs(pair_files: list[str], messages_path: Path) -> tuple[list[dict], int]:
    """The pairs whose context is a training-half message; and how many were dropped (test half or unknown)."""
    half_by_text = {}
    for line in messages_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            half_by_text[f"Customer: {row['message']}"] = half_of(row["id"])
    kept, dropped = [], 0
    for path in pair_files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if half_by_text.get(row["context"]) == "train":
                kept.append(row)
            else:
                dropped += 1
    return kept, dropped


def main(argv: list[str] | None = None) -> int:
    from training.shared_data import real_dev_file

    parser = argparse.ArgumentParser(prog="python -m training.intents.real_dev_split", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", required=True, help="comma list of reward JSONL files (rlcs export --format reward)")
    parser.add_argument("--output", required=True, help="JSONL of the pairs on training-half messages")
    parser.add_argument("--shared-data", default=None, help="reference data folder (default: ../shared/data)")
    args = parser.parse_args(argv)
    kept, dropped = training_half_pairs([p for p in args.pairs.split(",") if p],
                                        real_dev_file(args.shared_data))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
    print(f"kept {len(kept)} pairs on training-half messages, dropped {dropped} (test half or not a real_dev message); "
          f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
