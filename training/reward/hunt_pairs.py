"""Preference pairs from the misfire hunts: for each helper-written message, a drafted reply of the kind the hunt
expects beside a drafted reply it does not.

    python -m training.reward.hunt_pairs --output runs/rm19/hunt-pairs.jsonl [--messages FILE] [--per-message 3]

Why: the reward model is to pick, among the drafter's candidates, the one that fits the message (issue 13: best-of-N
by the reward model at least as good as rank 1). Rated pairs of real messages are few (about a thousand on
real_dev's training half and the hunts' A/Bs), and they mostly set the served reply against the best other draft.
The hunts (tests/data/misfire_hunts.jsonl, 2,246 messages by helpers who saw neither the code nor real_dev) say for
each message which templates fit ("expect") or must not be served ("never"):
- an "expect" row: the best-ranked candidate whose template is expected is chosen over up to N candidates whose
  template is not (a draft of another intent, a handover, a question);
- a "never" row (an ordinary message near a rule's words): the best-ranked candidate whose template is allowed is
  chosen over the candidates the row names.
A row whose candidates hold no expected (or no allowed) template gives no pair.

With --labelled FILE, messages labelled with an intent (the store's own intent-training messages,
data/store/intent_training_messages.jsonl) are read as "expect" rows too, expecting any answer of their intent: round
20's tracker-reading reward model picked a scam warning for a password reset, and these pairs say on every topic that
an answer of the message's own topic comes first. Rows are JSONL in the format of
`rlcs export --format reward`, so they train with `rlcs train reward --mix ...,ratings=W --ratings-file FILE`.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.results import write_jsonl
from training.reward.drafts import first_message_drafts, scratch_bot


def pairs_for(candidates: list, row: dict, per_message: int) -> list[dict]:
    """The pairs one hunt row gives, best-ranked fitting candidate first (candidates come in the drafter's order)."""
    if "expect" in row:
        fits = [c for c in candidates if c.template_name in row["expect"]]
        misses = [c for c in candidates if c.template_name not in row["expect"]]
    else:
        fits = [c for c in candidates if c.template_name not in row["never"]]
        misses = [c for c in candidates if c.template_name in row["never"]]
    if not fits:
        return []
    chosen = fits[0]
    return [{"context": f"Customer: {row['message']}", "chosen": chosen.text, "rejected": rejected.text, "margin": 2.0,
             "origin": "hunt", "hunt_id": row.get("id", ""), "chosen_template": chosen.template_name,
             "rejected_template": rejected.template_name}
            for rejected in misses[:per_message] if rejected.text != chosen.text]


def labelled_rows(path: Path, kb) -> list[dict]:
    """{text, intent} messages as "expect" rows: any answer of the labelled intent (in the knowledge base kb) fits."""
    answers = {intent.id: [a.id for a in intent.answers] for intent in kb.intents}
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            row = json.loads(line)
            if row["intent"] not in answers:
                raise ValueError(f"{path}:{n + 1}: unknown intent {row['intent']!r}")
            rows.append({"id": f"labelled-{n + 1}", "message": row["text"], "expect": answers[row["intent"]]})
    return rows


def build(bot, rows: list[dict], per_message: int = 3, progress: bool = True) -> list[dict]:
    from tqdm import tqdm

    out = []
    for row in tqdm(rows, desc="hunt messages", disable=not progress):
        _, candidates = first_message_drafts(bot, row["message"])
        out.extend(pairs_for(candidates, row, per_message))
    return out


def main(argv: list[str] | None = None) -> int:
    from training.intents.bench_misfires import HUNT_FILE, read_rows

    parser = argparse.ArgumentParser(prog="python -m training.reward.hunt_pairs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", default=str(HUNT_FILE),
                        help="hunt JSONL (default: tests/data/misfire_hunts.jsonl)")
    parser.add_argument("--output", required=True, help="JSONL of preference pairs to write")
    parser.add_argument("--per-message", type=int, default=3, help="at most this many rejected drafts per message (3)")
    parser.add_argument("--labelled", default=None,
                        help="also JSONL of {text, intent} (e.g. data/store/intent_training_messages.jsonl), each "
                             "expecting an answer of its intent")
    args = parser.parse_args(argv)
    if args.per_message < 1:
        parser.error("--per-message must be at least 1")
    rows = read_rows(Path(args.messages))
    with scratch_bot() as bot:
        if args.labelled:
            rows += labelled_rows(Path(args.labelled), bot.kb)
        found = build(bot, rows, args.per_message)
    out = write_jsonl(args.output, found)  # written whole: a crash leaves no half-written file
    print(f"wrote {len(found)} pairs from {len({r['hunt_id'] for r in found})} of {len(rows)} hunt messages to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
