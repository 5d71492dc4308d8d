"""Fit an IntentModel for a store: its examples, their rewrites, and optionally extra labelled messages.

    rlcs train intents            the shipped model: store examples + rewrites + Bitext's train split
    the bot at start-up           no matching shipped model: store examples + rewrites only (seconds),
                                  cached under the cache folder by the knowledge base's hash

Held-out messages for the temperature: every fifth example of each intent (by position) and its
rewrites never enter the fit.
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


def store_examples(kb) -> tuple[list[str], list[list[str]]]:
    return [i.id for i in kb.intents], [list(i.examples) for i in kb.intents]


def labelled_store_messages(kb, seed: int = 0) -> tuple[list[str], list[int], list[str], list[int]]:
    """(train texts, train labels, held texts, held labels) from the store's examples and their rewrites."""
    train_x, train_y, held_x, held_y = [], [], [], []
    for label, intent in enumerate(kb.intents):
        for j, example in enumerate(intent.examples):
            texts = [example] + augment([example], REWRITES, seed=seed * 7919 + label * 131 + j)
            if j % 5 == 4:
                held_x += texts
                held_y += [label] * len(texts)
            else:
                train_x += texts
                train_y += [label] * len(texts)
    return train_x, train_y, held_x, held_y


def fit_intent_model(kb, encoder, cache_dir: str | Path, extra: list[tuple[str, str]] | None = None,
                     extra_held: list[tuple[str, str]] | None = None, seed: int = 0, card: dict | None = None) -> IntentModel:
    """Fit on the store's labelled messages plus `extra` [(text, intent_id)]; calibrate on the held-out ones."""
    started = time.perf_counter()
    ids, examples = store_examples(kb)
    index = {intent_id: i for i, intent_id in enumerate(ids)}
    train_x, train_y, held_x, held_y = labelled_store_messages(kb, seed)
    for rows, xs, ys in ((extra or [], train_x, train_y), (extra_held or [], held_x, held_y)):
        for text, intent_id in rows:
            xs.append(text)
            ys.append(index[intent_id])
    vectors = encoder.encode_cached([normalise_numbers(t) for t in train_x], cache_dir)
    held_vectors = encoder.encode_cached([normalise_numbers(t) for t in held_x], cache_dir)
    model = IntentModel.fit(ids, vectors, np.array(train_y), held_vectors, np.array(held_y), seed=seed,
                            card={**(card or {}), "kb_fingerprint": kb_fingerprint(ids, examples),
                                  "encoder": getattr(encoder, "path", None), "train_messages": len(train_x),
                                  "rewrites_per_example": REWRITES, "seed": seed})
    log.info("intent model fitted on %d messages in %.1f s", len(train_x), time.perf_counter() - started)
    return model


def intent_model_for(kb, encoder, store_dir: str | Path, cache_dir: str | Path) -> IntentModel:
    """The store's shipped model if it was trained for this knowledge base, else one fitted now (cached)."""
    ids, examples = store_examples(kb)
    fingerprint = kb_fingerprint(ids, examples)
    for folder in (Path(store_dir) / "intent_model", Path(cache_dir) / f"intent-model-{fingerprint}"):
        if (folder / "card.json").exists():
            try:
                model = IntentModel.load(folder)
            except (ValueError, OSError, KeyError) as err:
                log.warning("ignoring the intent model in %s: %s", folder, err)
                continue
            if model.card.get("kb_fingerprint") == fingerprint and model.card.get("encoder") in (None, getattr(encoder, "path", None)):
                return model
            log.info("the intent model in %s was trained for another knowledge base: not used", folder)
    model = fit_intent_model(kb, encoder, cache_dir, card={"data": "store examples + rewrites (fitted at start-up)"})
    model.save(Path(cache_dir) / f"intent-model-{fingerprint}")
    return model
