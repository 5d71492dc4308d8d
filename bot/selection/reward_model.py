"""RewardModel: a trained satisfaction reward model that scores (context, reply) pairs.

A reward model is a Hugging Face sequence classifier with ONE output (trained by `rlcs train reward`).
Its input is the conversation so far and a candidate reply, encoded by `encode_pair` below: the same
function builds the training data, so training and serving see identical token sequences.

    rm = RewardModel.load("runs/reward")
    rm.score([("Customer: where is my order?", "It shipped yesterday with UPS.")])  # -> [1.73]

`rlcs score --model runs/reward --context "..." --reply "..." [--reply "..."]` prints one score per reply.
Only safetensors checkpoints are loaded (a pickle checkpoint can run code when it is opened).
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

CARD_NAME = "reward_card.json"  # written next to the weights by `rlcs train reward`
DEFAULT_MAX_LENGTH = 128
_ROLE_PREFIX = re.compile(r"^(Customer|Agent):", re.MULTILINE)


def as_context(text: str) -> str:
    """Context in the bot's format ("Customer: ...\\nAgent: ..."); a bare message is the customer's."""
    text = (text or "").strip()
    if text and not _ROLE_PREFIX.match(text):
        text = f"Customer: {text}"
    return text


def encode_pair(tokenizer, context: str, reply: str, max_length: int = DEFAULT_MAX_LENGTH) -> list[int]:
    """[CLS] context [SEP] reply [SEP], at most max_length tokens.

    Long inputs are cut, never dropped: the context loses its OLDEST tokens (the latest turns matter
    most), the reply keeps its beginning and at least half the budget.
    """
    return encode_pairs(tokenizer, [(context, reply)], max_length)[0]


def encode_pairs(tokenizer, pairs: list[tuple[str, str]], max_length: int = DEFAULT_MAX_LENGTH) -> list[list[int]]:
    """`encode_pair` for many pairs at once (one fast-tokenizer call per side)."""
    if not pairs:
        return []
    # verbose=False: long texts are cut below, so the "longer than the model's maximum" warning is noise
    contexts = tokenizer([as_context(c) for c, _ in pairs], add_special_tokens=False, verbose=False)["input_ids"]
    replies = tokenizer([(r or "").strip() for _, r in pairs], add_special_tokens=False, verbose=False)["input_ids"]
    cls = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    head = [cls] if cls is not None else []
    budget = max_length - len(head) - 2
    out = []
    for c, r in zip(contexts, replies):
        r = r[: max(budget - len(c), budget // 2)]
        c = c[len(c) - (budget - len(r)):] if len(c) > budget - len(r) else c
        out.append(head + c + [sep] + r + [sep])
    return out


def check_checkpoint(path: str | Path) -> Path:
    """Refuse, with a message naming the path, anything that is not a safetensors reward checkpoint."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"reward model not found: {path} (train one with `rlcs train reward`)")
    if not path.is_dir():
        raise ValueError(f"reward model must be a checkpoint directory (save_pretrained), got the file {path}")
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"{path}/config.json is missing: not a Hugging Face checkpoint")
    weights = sorted(path.glob("*.safetensors"))
    if not weights:
        pickles = [p.name for p in path.iterdir() if p.suffix in (".bin", ".pt", ".pth", ".ckpt", ".pkl")]
        if pickles:
            raise ValueError(f"{path} holds only pickle weights ({', '.join(pickles)}); "
                             "reward models are loaded from safetensors only")
        raise FileNotFoundError(f"{path} holds no model.safetensors")
    from safetensors import safe_open

    for file in weights:
        try:
            with safe_open(str(file), framework="pt") as f:
                f.keys()
        except Exception as err:  # truncated or overwritten file: say which one
            raise ValueError(f"corrupt reward model weights {file}: {err}") from None
    try:
        config = json.loads((path / "config.json").read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"corrupt {path}/config.json: {err}") from None
    outputs = config.get("num_labels") or len(config.get("id2label") or {}) or 2  # 2 = transformers' default
    if outputs != 1:
        raise ValueError(f"{path} is not a reward model: its classifier has {outputs} outputs, not 1")
    return path


class RewardModel:
    """A loaded reward model; `score` is thread-safe for inference."""

    def __init__(self, model, tokenizer, path: str, max_length: int = DEFAULT_MAX_LENGTH, card: dict | None = None):
        import threading

        self.model, self.tokenizer, self.path = model, tokenizer, str(path)
        self.max_length = max_length
        self.card = card or {}
        # trained on pairs that carry the tracker's reading (bot/selection/reward_input.py): fed the same at serving
        self.reads_tracker = bool(self.card.get("encoding", {}).get("reads_tracker"))
        self.reads_rank = self.reads_tracker and bool(self.card.get("encoding", {}).get("reads_rank"))
        self.device = next(model.parameters()).device
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: str | Path, device: str | None = None) -> "RewardModel":
        import os

        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        path = check_checkpoint(path)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        card = {}
        if (path / CARD_NAME).is_file():
            try:
                card = json.loads((path / CARD_NAME).read_text())
            except json.JSONDecodeError as err:
                raise ValueError(f"corrupt {path / CARD_NAME}: {err}") from None
        from bot.selection.checksums import verify_weights

        verify_weights(path, card.get("weights_sha256"), CARD_NAME)  # a flipped bit is refused, naming the file
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(path))
            model = AutoModelForSequenceClassification.from_pretrained(str(path), use_safetensors=True)
        except (OSError, ValueError, RuntimeError) as err:
            raise ValueError(f"cannot load reward model {path}: {err}") from None
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        model.to(device).eval()
        max_length = int(card.get("encoding", {}).get("max_length", DEFAULT_MAX_LENGTH))
        return cls(model, tokenizer, str(path), max_length, card)

    def score(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> list[float]:
        """One scalar per (context, reply): higher = the customer is predicted to be more satisfied."""
        import torch

        if not pairs:
            return []
        ids = encode_pairs(self.tokenizer, list(pairs), self.max_length)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # similar lengths share a batch: less padding
        pad = self.tokenizer.pad_token_id or 0
        out = [0.0] * len(ids)
        with self._lock, torch.inference_mode():
            for start in range(0, len(order), batch_size):
                index = order[start : start + batch_size]
                width = max(len(ids[i]) for i in index)
                input_ids = torch.full((len(index), width), pad, dtype=torch.long)
                mask = torch.zeros((len(index), width), dtype=torch.long)
                for row, i in enumerate(index):
                    input_ids[row, : len(ids[i])] = torch.tensor(ids[i])
                    mask[row, : len(ids[i])] = 1
                logits = self.model(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device)).logits
                for i, value in zip(index, logits[:, 0].float().cpu().tolist()):
                    out[i] = value
        return out


# -- `rlcs score` -------------------------------------------------------------------------------
def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "score", help="score replies with a trained reward model",
        description="Print the reward model's satisfaction score for each reply given the context.",
    )
    parser.add_argument("--model", required=True, help="reward model directory (from `rlcs train reward`)")
    parser.add_argument("--context", default="", help="the conversation so far; a bare message is read as the customer's")
    parser.add_argument("--reply", action="append", required=True, help="a candidate reply (repeat for several)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    model = RewardModel.load(args.model)
    scores = model.score([(args.context, reply) for reply in args.reply])
    if args.json:
        print(json.dumps([{"reply": r, "score": s} for r, s in zip(args.reply, scores)], indent=2))
    else:
        for reply, s in zip(args.reply, scores):
            print(f"{s:+.4f}\t{reply}")
    return 0
