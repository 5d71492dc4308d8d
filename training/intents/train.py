"""`rlcs train intents`: fit the store's intent model on its examples, their rewrites and Bitext's train split.

    rlcs train intents                                   # writes data/store/intent_model (`make setup` runs it)
    rlcs train intents --output-dir runs/intents --no-bitext
    rlcs train intents --no-fine-tune                    # a logistic regression on frozen MiniLM vectors (seconds)

By default MiniLM itself is fine-tuned as the classifier (bot/dialogue/intent_classifier.py): one pass over
about 15,000 messages, 6.5 minutes on 2 CPU cores (a GPU is used when present; not yet timed). On real
messages it reads 0.60 against the logistic regression's 0.53 (docs/benchmarks.md, round 10).

Bitext requests of the intents with a clear counterpart in our store (training/bitext_intents.py)
join the store's own examples; Bitext's test split (a stable hash of each row) is never used here,
so `rlcs bench intents` can score on it. The card records the data and its hashes, the held-out
accuracy and calibration, and the knowledge base it was trained for.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from training.config_flags import add_config_flags, config_from_args


@dataclass
class IntentTrainConfig:
    output_dir: str | None = field(default=None, metadata={"help": "where to write the model (default: <store>/intent_model)"})
    store_dir: str | None = field(default=None, metadata={"help": "knowledge base folder (default: the demo store)"})
    shared_data: str | None = field(default=None, metadata={"help": "folder with bitext/ (default ../shared/data)"})
    bitext: bool = field(default=True, metadata={"help": "add Bitext's train split when the shared data has it "
                                                         "(--no-bitext: store examples only)"})
    bitext_per_intent: int = field(default=150, metadata={"help": "at most this many Bitext requests per Bitext intent"})
    fine_tune: bool = field(default=True, metadata={"help": "fine-tune MiniLM as the classifier (minutes on a CPU; "
                                                             "--no-fine-tune: logistic regression on frozen vectors)"})
    epochs: float = field(default=1.0, metadata={"help": "passes over the data when fine-tuning"})
    cache_dir: str = field(default="runs/cache", metadata={"help": "embedding cache"})
    seed: int = field(default=0, metadata={"help": "seed for rewrites and sampling"})


def bitext_messages(shared_data: str | None, known: set[str], per_intent: int, seed: int) -> tuple[list, list, dict]:
    """([(text, our intent)] of the train split, the same for a calibration slice, a description for the card)."""
    import random

    from training.bitext_intents import BITEXT_TO_OURS
    from training.reward.data import file_sha256
    from training.reward.sources.bitext import load
    from training.shared_data import bitext_file

    path = bitext_file(shared_data)
    if not path.exists():
        raise FileNotFoundError(f"Bitext not found at {path} (pass --shared-data, or --no-bitext)")
    by_intent: dict[str, list] = {}
    for row in load(path):
        if row.split == "train" and BITEXT_TO_OURS.get(row.intent) in known:
            by_intent.setdefault(row.intent, []).append(row)
    rng = random.Random(seed)
    train, held = [], []
    for name, rows in sorted(by_intent.items()):
        rng.shuffle(rows)
        rows = rows[:per_intent]
        cut = max(1, len(rows) // 5)
        held += [(r.request, BITEXT_TO_OURS[name]) for r in rows[:cut]]
        train += [(r.request, BITEXT_TO_OURS[name]) for r in rows[cut:]]
    return train, held, {"file": str(path), "sha256": file_sha256(path), "split": "train",
                         "intents": sorted(by_intent), "per_intent": per_intent}


def train(cfg: IntentTrainConfig):
    from bot.dialogue.intent_training import fine_tune_intent_model, fit_intent_model
    from bot.encoder import Encoder, default_encoder_path
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR
    from bot.versioning import code_version
    from training.shared_data import bitext_file

    started = time.perf_counter()
    store = Path(cfg.store_dir) if cfg.store_dir else STORE_DIR
    kb = KnowledgeBase.load(store)
    extra, extra_held, data = [], [], {"store": str(store)}
    if cfg.bitext and not bitext_file(cfg.shared_data).exists():
        print(f"Bitext not found at {bitext_file(cfg.shared_data)}: fitting on the store's own messages only")
    elif cfg.bitext:
        extra, extra_held, data["bitext"] = bitext_messages(cfg.shared_data, {i.id for i in kb.intents},
                                                            cfg.bitext_per_intent, cfg.seed)
    kind = "fine-tuning MiniLM as" if cfg.fine_tune else "fitting"
    print(f"{kind} the intent model: {len(kb.intents)} intents, store examples + rewrites"
          + (f" + {len(extra)} Bitext requests" if extra else ""))
    card = {"data": data, "config": asdict(cfg), "code_version": code_version()}
    if cfg.fine_tune:
        model = fine_tune_intent_model(kb, default_encoder_path(), extra, extra_held, seed=cfg.seed, epochs=cfg.epochs,
                                       card=card, store_dir=store)
    else:
        model = fit_intent_model(kb, Encoder.shared(), cfg.cache_dir, extra, extra_held, seed=cfg.seed, store_dir=store,
                                 card=card)
    out = Path(cfg.output_dir) if cfg.output_dir else store / "intent_model"
    model.save(out)
    held = model.card["held_out"]
    print(f"held-out accuracy {held['accuracy']:.3f}, calibration error {held['expected_calibration_error']:.3f}, "
          f"temperature {held['temperature']:.3f} ({time.perf_counter() - started:.0f} s); wrote {out}")
    return model


def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("intents", description=__doc__,
                                   help="fit the intent model (MiniLM fine-tuned, or a calibrated logistic regression)",
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    add_config_flags(parser, IntentTrainConfig)
    parser.set_defaults(func=lambda args: train(config_from_args(IntentTrainConfig, args)) and 0)
    return parser
