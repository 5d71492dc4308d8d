"""The store's own labelled messages (data/store/intent_training_messages.jsonl): which of OUR replies fits.

It teaches what the bot needs judged at serving time: among the replies the bot drafts for a message,
the one of the message's intent beats those of other intents. For each message (and one real-style
rewrite of it, bot/dialogue/augment.py: typos, no punctuation, anger, run-on), the bot's tracker and
retrieval drafter rank every applicable template exactly as when serving; chosen = the best-ranked
template of the labelled intent, rejected = the best-ranked templates of up to 3 OTHER intents (hard
negatives: what the drafter would offer by mistake). 10% of messages (by hash) are held out.
"""
from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from bot.selection.reward_model import as_context
from training.reward.pairs import pair, split_of

NEGATIVES = 3
REWRITES = 1  # real-style rewrites per message, besides the message itself


def read_messages(path: str | Path) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append((str(row["text"]).strip(), str(row["intent"])))
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"{path}:{number}: not a JSON object with text and intent") from None
    if not rows:
        raise ValueError(f"{path}: no messages")
    return rows


def pairs(path: str | Path, split_name: str = "train", seed: int = 0, bot=None) -> list[dict]:
    messages = [(text, intent) for text, intent in read_messages(path) if split_of(f"store:{text}") == split_name]
    return pairs_for(messages, "store", seed, bot)


def pairs_for(messages: list[tuple[str, str]], source: str, seed: int = 0, bot=None) -> list[dict]:
    """Pairs for (message, labelled intent of ours) rows: the labelled intent's reply over other intents' replies."""
    from bot.dialogue.augment import augment
    from bot.dialogue.state import DialogueState

    if bot is None:
        from bot import Bot, BotConfig

        bot = Bot(BotConfig(db_path=str(Path(tempfile.mkdtemp()) / "reward-store.sqlite3"), seed=seed))
    known = {i.id for i in bot.kb.intents}
    every_template = len(bot.kb.answers)
    rng = random.Random(seed)
    out = []
    for index, (text, intent) in enumerate(messages):
        if intent not in known:
            continue
        for message in [text] + augment([text], REWRITES, seed=seed * 100_003 + index):
            state = DialogueState("reward-store")
            bot.tracker.update(state, message)
            ranked = bot.retrieval.draft(state, every_template)  # every applicable template, best first
            gold = [c for c in ranked if c.meta.get("intent") == intent]
            if not gold:
                continue
            others, seen = [], {intent}
            for c in ranked:
                if c.meta.get("intent") not in seen:
                    seen.add(c.meta.get("intent"))
                    others.append(c)
            context = as_context(message)
            # the gold template the drafter ranks first, or now and then another wording of it
            chosen = gold[0] if rng.random() < 0.7 else rng.choice(gold)
            for negative in others[:NEGATIVES]:
                out.append(pair(source, context, chosen.text, context, negative.text))
    return out
