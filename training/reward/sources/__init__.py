"""One module per source of reward-model preference pairs; each provides `pairs(path, split, seed)`."""
from training.reward.sources import bitext, bitext_store, jsonl, mwoz, ratings, replay, seed, stc3, store

__all__ = ["bitext", "bitext_store", "jsonl", "mwoz", "ratings", "replay", "seed", "stc3", "store"]
