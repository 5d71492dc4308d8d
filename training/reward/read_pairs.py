"""Preference pairs in a tracker-reading reward model's format (bot/selection/reward_input.py).

    python -m training.reward.read_pairs --pairs runs/rm/hunt-pairs.jsonl,runs/rm/rated.jsonl \
        --output runs/rm/read.jsonl

Each pair's customer message is read again by today's tracker (the reading the model will see when serving), and
each reply gets its template's name in front. A pair that names its templates (hunt pairs) keeps them; otherwise a
reply's template is found among today's drafts for the message, or by matching the knowledge base's answer texts
with their slots as wildcards, or among the drafts of every message read, by the reply's shape (its words
without names and numbers: "That order is with Amazon, ..." and "That order is with Etsy, ..." are one template, as
are handovers, which are not knowledge-base answers). A pair is left out, and counted, when its context is more
than one customer message (the tracker would have to read the whole conversation) or a reply's template cannot be
found (the wording of a template that was changed since it was rated).

Train on the output alone: `rlcs train reward --reads-tracker --mix ratings=1 --ratings-file OUT`. With `--ranks`,
each reply also carries its rank among today's drafts for the message (its template's first place; `#-` when today's
drafter does not draft it): train those with `--reads-rank` too.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from bot.selection.reward_input import NOT_DRAFTED, reward_context, tagged_reply
from training.results import write_jsonl
from training.reward.drafts import first_message_drafts, scratch_bot

_SLOT = re.compile(r"\\\{(\w+)(\\\?)?\\\}")  # a slot in re.escape'd template text
_SHAPE_WORDS = 14


def shape(text: str) -> str:
    """The first words of a reply that are neither names nor numbers (a company, an order number, an amount)."""
    words = [w for w in re.findall(r"[\w']+", text) if not re.search(r"[A-Z0-9]", w)]
    return " ".join(words[:_SHAPE_WORDS])


def template_patterns(kb) -> list[tuple[str, re.Pattern]]:
    """(template id, a pattern its filled-in text matches), most literal text first so that a short template that is
    mostly slots does not claim another's text."""
    patterns = []
    for answer in kb.answers:
        body = _SLOT.sub(lambda m: ".*?" if m.group(2) else ".+?", re.escape(answer.text.strip()))
        literal = len(_SLOT.sub("", re.escape(answer.text)))
        patterns.append((literal, answer.id, re.compile(body.replace(r"\ ", r"\s*"), re.DOTALL)))
    return [(template, pattern) for _, template, pattern in sorted(patterns, key=lambda p: -p[0])]


class PairReader:
    """Reads each message once with the bot's tracker and drafter; converts pairs."""

    def __init__(self, bot, ranks: bool = False):
        self.bot, self.ranks = bot, ranks
        self.patterns = template_patterns(bot.kb)
        self._read: dict[str, tuple[str, dict[str, str]]] = {}  # message -> (context line, draft text -> template)
        self._ranks: dict[str, dict[str, int]] = {}  # message -> template -> its first place among the drafts
        self.shapes: dict[str, Counter] = {}  # a draft's shape -> its templates, over every message read

    def read(self, message: str) -> tuple[str, dict[str, str]]:
        if message not in self._read:
            state, candidates = first_message_drafts(self.bot, message)
            for candidate in candidates:
                self.shapes.setdefault(shape(candidate.text), Counter())[candidate.template_name] += 1
            self._read[message] = (reward_context(state, self.bot.tracker.intent_ids),
                                   {c.text.strip(): c.template_name for c in candidates})
            self._ranks[message] = {}
            for rank, candidate in enumerate(candidates, 1):
                self._ranks[message].setdefault(candidate.template_name, rank)
        return self._read[message]

    def template_of(self, text: str, drafted: dict[str, str], named: str | None) -> str | None:
        if named:
            return named
        text = text.strip()
        if text in drafted:
            return drafted[text]
        found = next((template for template, pattern in self.patterns if pattern.fullmatch(text)), None)
        if found is None and shape(text) in self.shapes:
            found = self.shapes[shape(text)].most_common(1)[0][0]
        return found

    def convert(self, pair: dict) -> tuple[dict | None, str]:
        """The pair in the reading format, or None and why it was left out."""
        context = pair["context"].strip()
        if not context.startswith("Customer:") or "\nAgent:" in context or "\nCustomer:" in context:
            return None, "not one customer message"
        message = context[len("Customer:"):].strip()
        read_context, drafted = self.read(message)
        chosen = self.template_of(pair["chosen"], drafted, pair.get("chosen_template"))
        rejected = self.template_of(pair["rejected"], drafted, pair.get("rejected_template"))
        if chosen is None or rejected is None:
            return None, "a reply's template not found"
        ranks = self._ranks[message]
        rank = (lambda template: ranks.get(template, NOT_DRAFTED)) if self.ranks else (lambda template: None)
        return {**pair, "context": read_context, "chosen": tagged_reply(chosen, pair["chosen"].strip(), rank(chosen)),
                "rejected": tagged_reply(rejected, pair["rejected"].strip(), rank(rejected)),
                "chosen_template": chosen, "rejected_template": rejected}, "kept"


def main(argv: list[str] | None = None) -> int:
    from tqdm import tqdm

    from training.intents.bench_misfires import HUNT_FILE

    parser = argparse.ArgumentParser(prog="python -m training.reward.read_pairs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", required=True,
                        help="comma-separated JSONL files of pairs (context, chosen, rejected)")
    parser.add_argument("--output", required=True, help="JSONL of pairs in the reading format to write")
    parser.add_argument("--also-read", default=str(HUNT_FILE),
                        help="JSONL of messages ('message' field) whose drafts also help name a reply's template "
                             "(default: the hunts' messages, tests/data/misfire_hunts.jsonl)")
    parser.add_argument("--ranks", action="store_true",
                        help="put each reply's rank among today's drafts in front of it, for a model trained with "
                             "--reads-rank")
    args = parser.parse_args(argv)
    pairs = []
    for name in args.pairs.split(","):
        path = Path(name)
        if not path.is_file():
            parser.error(f"no such pairs file: {path}")
        pairs += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    outcomes, kept = Counter(), []
    with scratch_bot() as bot:
        reader = PairReader(bot, ranks=args.ranks)
        extra = [json.loads(line)["message"] for line in Path(args.also_read).read_text(encoding="utf-8").splitlines()
                 if line.strip()] if args.also_read else []
        messages = {p["context"][len("Customer:"):].strip() for p in pairs if p["context"].startswith("Customer:")}
        for message in tqdm(sorted(messages) + extra, desc="reading messages"):  # first: every draft's shape known
            reader.read(message)
        for pair in pairs:
            converted, outcome = reader.convert(pair)
            outcomes[outcome] += 1
            if converted is not None:
                kept.append(converted)
    out = write_jsonl(args.output, kept)  # written whole: a crash leaves no half-written file
    print(f"wrote {len(kept)} of {len(pairs)} pairs to {out}; " + ", ".join(f"{k}: {v}" for k, v in outcomes.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
