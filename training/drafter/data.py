"""Drafter training data: Bitext's request/answer pairs plus our store's own answers, as grounded prompts.

Every example is a record in one schema, rendered for a tokenizer only at the end, through the same
prompt builder the serving drafter uses (bot/drafting/prompting.py):

    messages   [system (persona, rules, KB passages, order record), user (the customer message)]
    reply      the reference answer
    context    "Customer: ..." (what the reward model reads)
    facts      the passages + order record as one text (what the KB-consistency reward checks against)
    order      the order record as JSON ("{}" if none), for the guard's amount and refund rules
    source     "bitext" | "store";  intent: our KB intent id (or None)

bitext   ../shared/data/bitext: 4,514 generic e-commerce requests with answers. Its intents are mapped
         to ours (BITEXT_TO_KB) so the prompt carries our passage as serving would; {{placeholders}} are
         filled with our store's facts or spelled as plain words; rows whose placeholders stand for
         values nobody knows ({{Order Number Anonymized}}, {{Refund Amount}}) are skipped; answers are
         cut to their first sentences (MAX_REPLY_CHARS): a chat drafter should be brief. The split is
         reward_sources.bitext's (10% held out by hash), so the reward model never saw the test rows either.
store    data/store: every intent's example messages answered with every template that applies,
         filled from a real order of orders.csv when the template needs one. Repeated `store_repeat`
         times, since these are the replies the store actually stands behind.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

from training.bitext_intents import BITEXT_TO_KB

MAX_REPLY_CHARS = 320

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_UNKNOWN_VALUE = re.compile(r"anonymized|number of|amount|date|time|fee|price|\bid\b", re.IGNORECASE)


def placeholder_value(name: str, store: dict) -> str | None:
    """Our store's value for a Bitext placeholder; its name as words for UI labels; None if unknowable."""
    low = name.lower()
    if "phone" in low:
        return store.get("support_phone")
    if "email" in low:
        return store.get("support_email")
    if "hours" in low or "availability" in low:
        return store.get("support_hours")
    if "url" in low or low in ("website", "website name", "website or app"):
        return store.get("website")
    if "company" in low:
        return store.get("store_name")
    if _UNKNOWN_VALUE.search(low):
        return None
    return name  # "{{Order History}}" -> "Order History": a section of the site, fine as words


def fill_bitext(text: str, store: dict) -> str | None:
    missing = False

    def sub(match: re.Match) -> str:
        nonlocal missing
        value = placeholder_value(match.group(1), store)
        missing |= value is None
        return str(value or "")

    filled = _PLACEHOLDER.sub(sub, text)
    return None if missing else filled


def first_sentences(text: str, max_chars: int = MAX_REPLY_CHARS) -> str | None:
    """Whole sentences from the start, up to max_chars, before any numbered steps; None if nothing is left.

    A chat reply offers to walk the customer through steps, it doesn't recite them, and a cut that ends
    on "follow these steps:" says nothing, so that sentence goes too.
    """
    text = re.sub(r"\s+", " ", text).strip()
    text = re.split(r"(?:^|\s)1\.\s", text)[0]
    sentences = [s for s in re.split(r"(?<=[.!?:])\s+", text) if s]
    out = ""
    for sentence in sentences:
        if sentence.endswith(":") or (out and len(out) + 1 + len(sentence) > max_chars):
            break
        out = f"{out} {sentence}".strip()
    return out if len(out.split()) >= 4 else None


def record(kb, message: str, reply: str, intent_ids: list[str], order: dict | None, source: str, intent: str | None) -> dict:
    from bot.drafting.prompting import build_messages, order_facts, passages_for

    passages = passages_for(kb, intent_ids)
    messages = build_messages(kb, [("customer", message)], passages, order)
    facts = "\n".join(passages + [order_facts(kb, order)])
    return {"messages": messages, "reply": reply, "context": f"Customer: {message}", "facts": facts.strip(),
            "order": json.dumps(order or {}), "source": source, "intent": intent}


def distractor(kb, intent_id: str | None, rng: random.Random) -> list[str]:
    """The intent's id plus one other, as at serving time (the retriever's runner-up is often unrelated)."""
    others = [i.id for i in kb.intents if i.id != intent_id]
    return ([intent_id] if intent_id else []) + [rng.choice(others)]


def bitext_records(kb, path: str | Path, split: str, limit: int | None = None, seed: int = 0) -> list[dict]:
    from training.reward.sources.bitext import load

    known = {i.id for i in kb.intents}
    rng = random.Random(seed)
    out = []
    for row in load(path):
        if row.split != split:
            continue
        reply = fill_bitext(row.answer, kb.store)
        reply = first_sentences(reply) if reply else None
        if reply is None:
            continue
        intent = BITEXT_TO_KB.get(row.intent)
        intent = intent if intent in known else None
        out.append(record(kb, row.request, reply, distractor(kb, intent, rng), None, "bitext", intent))
    rng.shuffle(out)
    return out[:limit] if limit else out


def store_records(kb, orders_csv: str | Path, seed: int = 0) -> list[dict]:
    """Every example message x every applicable template of its intent, filled as the bot would fill it."""
    import csv

    from bot.shop.knowledge import fill_slots, needs_met
    from bot.dialogue.facts import facts_in
    from bot.dialogue.tracker import extract_order_id

    with open(orders_csv, newline="", encoding="utf-8") as f:
        orders = {r["order_id"]: r for r in csv.DictReader(f)}
    order_ids = sorted(orders)
    rng = random.Random(seed)
    out = []
    for intent in kb.intents:
        for example in intent.examples:
            variants = [example]
            if any("order" in a.needs for a in intent.answers) and not extract_order_id(example):
                variants.append(f"{example.rstrip('?.! ')} - order {rng.choice(order_ids)}")
            for message in variants:
                order_id = extract_order_id(message)
                order = orders.get(order_id) if order_id else None
                condition = {"order": order is not None, "no_order": order_id is None,
                             "unknown_order": order_id is not None and order is None,
                             "product": False, "no_product": True}  # product answers need the catalogue: not here
                values = {**kb.store, **({"order_id": order_id} if order_id else {}), **(order or {})}
                if order:
                    phrase = kb.status_phrases.get(order.get("status", ""), order.get("status", ""))
                    values["status_phrase"] = fill_slots(phrase, values) or order.get("status", "")
                said = facts_in(message)
                for answer in intent.answers:
                    if not needs_met(answer.needs, condition, said):
                        continue
                    reply = fill_slots(answer.text, values)
                    if reply:
                        out.append(record(kb, message, reply, distractor(kb, intent.id, rng), order, "store", intent.id))
    return out


def drafter_records(kb, store_dir: str | Path, bitext_path: str | Path | None, split: str = "train",
                    bitext_limit: int | None = None, store_repeat: int = 1, seed: int = 0) -> list[dict]:
    """The training (or held-out) records: Bitext's split plus, for training, the store's own answers."""
    records = bitext_records(kb, bitext_path, split, bitext_limit, seed) if bitext_path else []
    if split == "train":
        records += store_records(kb, Path(store_dir) / "orders.csv", seed) * store_repeat
    random.Random(seed).shuffle(records)
    return records


def to_dataset(records: list[dict], tokenizer, with_completion: bool = True):
    """A `datasets.Dataset` with the rendered `prompt` (and `completion`) plus the reward columns."""
    from datasets import Dataset

    from bot.drafting.prompting import render_completion, render_prompt

    rows = {"prompt": [render_prompt(tokenizer, r["messages"]) for r in records]}
    if with_completion:
        rows["completion"] = [render_completion(tokenizer, r["reply"]) for r in records]
    for key in ("reply", "context", "facts", "order", "source"):
        rows[key] = [r[key] for r in records]
    return Dataset.from_dict(rows)
