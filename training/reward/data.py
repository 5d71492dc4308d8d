"""Reward-model training data: one builder per source, mixed by weights into one `datasets.Dataset`.

Every builder returns preference pairs in ONE schema (a `datasets.Dataset` with these columns):

    source            which builder made the pair
    chosen_context    conversation before the preferred reply ("Customer: ...\\nAgent: ...")
    chosen            the reply people were more satisfied with
    rejected_context  conversation before the other reply (the same text when both answer one context)
    rejected          the reply people were less satisfied with
    margin            how much better, in rating points (0 = only the order is known)
    weight            relative sampling weight inside the source (e.g. CSAT for thumbs)

Sources (training/reward/sources/*.py): mwoz, stc3, bitext, bitext_store, seed, store, replay, ratings.
Each also has a held-out "test" split that training never sees (`split="test"`); see each module for how.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("source", "chosen_context", "chosen", "rejected_context", "rejected", "margin", "weight")
SOURCES = ("mwoz", "stc3", "bitext", "bitext_store", "seed", "store", "replay", "ratings")
DEFAULT_MIX = "mwoz=6,stc3=1,bitext=3,seed=1,replay=1,ratings=2"
from bot.selection.checksums import sha256_file as file_sha256  # noqa: F401  (data cards hash their files)
from bot.shop.paths import REPO_ROOT
from training.reward.pairs import pair, split_of  # noqa: F401  (part of this module's interface)
from training.shared_data import BITEXT_FILE, shared_data_dir


@dataclass
class DataPaths:
    """Where each source lives; None = its default (or, for optional sources, not used)."""

    shared_data: str | None = None
    seed_file: str | None = None
    replay_db: str | None = None
    ratings_file: str | None = None
    cache_dir: str = "runs/cache"

    def path(self, source: str) -> Path | None:
        shared = shared_data_dir(self.shared_data)
        if source == "mwoz":
            return shared / "uss" / "MWOZ.txt"
        if source == "stc3":
            return shared / "stc3" / "train_data_en.json"
        if source in ("bitext", "bitext_store"):
            return shared / BITEXT_FILE
        if source == "seed":
            return Path(self.seed_file) if self.seed_file else REPO_ROOT / "data" / "store" / "seed_pairs.jsonl"
        if source == "store":
            return REPO_ROOT / "data" / "store" / "intent_training_messages.jsonl"
        if source == "replay":
            if self.replay_db:
                return Path(self.replay_db)
            default = Path("runs/replay.sqlite3")
            return default if default.exists() else None  # no conversations logged yet: nothing to learn from
        if source == "ratings":
            return Path(self.ratings_file) if self.ratings_file else None
        raise ValueError(f"unknown reward data source {source!r}; known: {', '.join(SOURCES)}")


def parse_mix(text: str) -> dict[str, float]:
    """"mwoz=5,bitext=2" -> {"mwoz": 5.0, "bitext": 2.0}; sources not named get weight 0."""
    mix = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in SOURCES:
            raise ValueError(f"bad --mix entry {part!r}: use NAME=WEIGHT with NAME in {', '.join(SOURCES)}")
        try:
            weight = float(value)
        except ValueError:
            raise ValueError(f"bad --mix weight in {part!r}: not a number") from None
        if weight < 0:
            raise ValueError(f"bad --mix weight in {part!r}: must be >= 0")
        mix[name] = weight
    if not any(mix.values()):
        raise ValueError("--mix gives every source weight 0: nothing to train on")
    return mix


def build_source(name: str, split: str, paths: DataPaths, seed: int = 0, skip_thumbs: bool = False) -> list[dict]:
    """Preference pairs of one source and split ("train" or "test"). [] if an optional source is absent.
    skip_thumbs: leave the exported thumbs pairs out of `ratings` (the replay source has them already)."""
    from training.reward import sources as reward_sources

    path = paths.path(name)
    if path is None:
        return []
    if not path.exists():
        raise FileNotFoundError(f"reward data source {name!r}: {path} does not exist")
    builder = getattr(reward_sources, name)
    if name == "bitext":
        return builder.pairs(path, split, seed=seed, cache_dir=paths.cache_dir)
    if name == "ratings":
        return builder.pairs(path, split, seed=seed, skip_thumbs=skip_thumbs)
    return builder.pairs(path, split, seed=seed)


def to_dataset(rows: list[dict]):
    from datasets import Dataset

    return Dataset.from_dict({c: [r[c] for r in rows] for c in COLUMNS})


def build_mixture(mix: dict[str, float], n_pairs: int, paths: DataPaths, seed: int = 0, log=print):
    """`n_pairs` training pairs drawn from the sources in proportion to `mix` (and to each row's weight).

    A source smaller than its share is repeated (sampled with replacement); a source that is absent
    or empty is left out and the others share its weight. Returns (Dataset, info per source).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    pools, info = {}, {}
    replay_in_mix = mix.get("replay", 0) > 0 and paths.path("replay") is not None
    for name, weight in mix.items():
        if weight <= 0:
            continue
        rows = build_source(name, "train", paths, seed, skip_thumbs=replay_in_mix)
        path = paths.path(name)
        info[name] = {"path": str(path) if path else None, "sha256": file_sha256(path) if path and path.is_file() else None,
                      "available_pairs": len(rows), "weight": weight}
        if rows:
            pools[name] = rows
        else:
            log(f"reward data: source {name!r} has no training pairs ({path or 'not given'}); left out of the mix")
    if not pools:
        raise ValueError("no training pairs: every source in --mix is empty or absent")
    total = sum(mix[name] for name in pools)
    names = list(pools)
    counts = [int(round(n_pairs * mix[name] / total)) for name in names]
    counts[-1] = max(0, n_pairs - sum(counts[:-1]))
    chosen = []
    for name, count in zip(names, counts):
        rows = pools[name]
        p = np.array([r["weight"] for r in rows], dtype=float)
        p = p / p.sum() if p.sum() > 0 else None
        index = rng.choice(len(rows), size=count, replace=count > len(rows), p=p)
        chosen += [rows[i] for i in index]
        info[name]["used_pairs"] = int(count)
    order = rng.permutation(len(chosen))
    return to_dataset([chosen[i] for i in order]), info
