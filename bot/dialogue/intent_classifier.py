"""FineTunedIntentModel: MiniLM itself fine-tuned to tell the store's intents apart, with a calibrated confidence.

The logistic regression of intent_model.py reads frozen MiniLM vectors: MiniLM was trained to say which
sentences mean the same, not which shop request a message is, and on real messages it read 0.44 alone. Here the
encoder's weights are trained too (round 10, `rlcs bench intents` and docs/benchmarks.md):

    v = normalise(mean over tokens of MiniLM(message))       the same pooling as the sentence encoder
    p(intent | message) = softmax(SCALE * (W v + b) / T)       W, b and MiniLM trained together

    1. data      the store's examples, labelled messages and their rewrites, and Bitext's train split (the
                 same as the logistic regression's); every intent weighs the same however many messages it has
    2. train     AdamW, a short warm-up then a linear decay, for `epochs` passes over the data
    3. calibrate T on held-out messages (every fifth example and its rewrites, Bitext's held slice), so that a
                 confidence of 0.6 is right about 60 % of the time: the tracker's thresholds keep their meaning

It reads the message's text, not the shared sentence vector, so it costs one more MiniLM pass per message. A
store keeps it in `<store>/intent_model/` (card.json, head.safetensors, encoder/), built by `make setup`.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import random
import threading
from pathlib import Path

import numpy as np

from bot.dialogue.intent_model import CARD, calibration_error, fit_temperature, read_card
from bot.dialogue.numbers import normalise_numbers

log = logging.getLogger(__name__)

FORMAT = "intent-minilm-finetuned-v1"
HEAD = "head.safetensors"
ENCODER = "encoder"
SCALE = 20.0  # the head reads unit vectors: a cosine-sized logit times this is a usable softmax input
MAX_LENGTH = 64  # tokens; customers' first messages rarely run longer, and training time grows with it
WARMUP_SHARE, WARMUP_MAX = 0.1, 50  # the learning rate rises over the first tenth of the steps (at most 50)


class FineTunedIntentModel:
    def __init__(self, intent_ids: list[str], tokenizer, encoder, head, temperature: float, card: dict):
        import torch

        self.device = "cuda" if torch.cuda.is_available() else "cpu"  # a GPU when there is one, as the encoder
        self.intent_ids, self.tokenizer = list(intent_ids), tokenizer
        self.encoder, self.head = encoder.to(self.device), head.to(self.device)
        self.temperature, self.card = float(temperature), card
        # The chat server reads messages of several sessions at once: the same locking as bot/encoder.py (the
        # tokenizer's Rust state is not shared safely across threads; several intra-op threads per forward
        # pass oversubscribe the CPU, so then one pass at a time).
        self._infer_lock, self._tokenize_lock = threading.Lock(), threading.Lock()

    def read(self, text: str, vector: np.ndarray | None = None) -> np.ndarray:
        """One message (the tracker's intent text) -> its calibrated intent probabilities."""
        return self.probabilities_of_texts([text])[0]

    def probabilities_of_texts(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        import torch

        out = []
        parallel = self.device == "cpu" and torch.get_num_threads() == 1
        with torch.inference_mode(), contextlib.nullcontext() if parallel else self._infer_lock:
            for start in range(0, len(texts), batch_size):
                logits = self._logits(texts[start:start + batch_size])
                out.append(torch.softmax(logits / self.temperature, dim=-1).float().cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, len(self.intent_ids)), dtype=np.float32)

    def _logits(self, texts: list[str]):
        import torch

        with self._tokenize_lock:
            batch = self.tokenizer([normalise_numbers(t) for t in texts], padding=True, truncation=True,
                                   max_length=MAX_LENGTH, return_tensors="pt")
        batch = batch.to(self.device)
        tokens = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        vectors = torch.nn.functional.normalize((tokens * mask).sum(1) / mask.sum(1), dim=-1)
        return SCALE * self.head(vectors)

    # -- fitting -----------------------------------------------------------------------------
    @classmethod
    def fit(cls, intent_ids: list[str], texts: list[str], labels: list[int], held_texts: list[str],
            held_labels: list[int], encoder_path: str, epochs: float = 1.0, batch_size: int = 32,
            learning_rate: float = 4e-5, seed: int = 0, card: dict | None = None,
            progress: bool = True) -> "FineTunedIntentModel":
        import torch
        from transformers import AutoModel, AutoTokenizer

        # 1. data and model: MiniLM as shipped, a fresh linear head over its pooled vector
        torch.manual_seed(seed)
        rng = random.Random(seed)
        tokenizer = AutoTokenizer.from_pretrained(encoder_path)
        encoder = AutoModel.from_pretrained(encoder_path)
        head = torch.nn.Linear(encoder.config.hidden_size, len(intent_ids))
        model = cls(intent_ids, tokenizer, encoder, head, 1.0, dict(card or {}))
        counts = np.bincount(labels, minlength=len(intent_ids)).clip(min=1)
        class_weight = torch.tensor(counts.sum() / (len(intent_ids) * counts), dtype=torch.float32)

        # 2. train: the head learns faster than the pretrained encoder it sits on
        steps = max(1, int(len(texts) / batch_size * epochs))
        warmup = max(1, min(WARMUP_MAX, int(steps * WARMUP_SHARE)))
        optimiser = torch.optim.AdamW([{"params": encoder.parameters(), "lr": learning_rate},
                                       {"params": head.parameters(), "lr": learning_rate * 50}], weight_decay=0.01)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, 1.0 - step / steps))
        encoder.train()
        order: list[int] = []
        bar = _progress(steps, progress)
        for _ in range(steps):
            if len(order) < batch_size:  # a new pass over the data, shuffled
                order += rng.sample(range(len(texts)), len(texts))
            batch, order = order[:batch_size], order[batch_size:]
            logits = model._logits([texts[i] for i in batch])
            wanted = torch.tensor([labels[i] for i in batch], device=model.device)
            loss = torch.nn.functional.cross_entropy(logits, wanted, weight=class_weight.to(model.device))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}", refresh=False)
        bar.close()
        encoder.eval()

        # 3. calibrate on the held-out messages
        if held_texts:
            with torch.inference_mode():
                held_logits = np.concatenate([model._logits(held_texts[s:s + 64]).float().cpu().numpy()
                                              for s in range(0, len(held_texts), 64)])
            model.temperature = fit_temperature(held_logits, np.asarray(held_labels))
            probs = model.probabilities_of_texts(held_texts)
            model.card["held_out"] = {
                "messages": len(held_labels),
                "accuracy": round(float((probs.argmax(1) == np.asarray(held_labels)).mean()), 4),
                "expected_calibration_error": round(calibration_error(probs, np.asarray(held_labels)), 4),
                "temperature": round(model.temperature, 4)}
        model.card["training"] = {"epochs": epochs, "steps": steps, "batch_size": batch_size,
                                  "learning_rate": learning_rate, "max_length": MAX_LENGTH, "seed": seed}
        return model

    # -- files ---------------------------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        """Weights first, the card last: a folder with a card is a complete model (a crash leaves no card)."""
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / CARD).unlink(missing_ok=True)
        self.encoder.save_pretrained(folder / ENCODER)
        self.tokenizer.save_pretrained(folder / ENCODER)
        head = {name: tensor.detach().cpu().contiguous() for name, tensor in self.head.state_dict().items()}
        save_file(head, str(folder / HEAD))
        card = {**self.card, "format": FORMAT, "intents": self.intent_ids, "temperature": self.temperature,
                "weights_sha256": {HEAD: _sha256(folder / HEAD),
                                   "encoder/model.safetensors": _sha256(folder / ENCODER / "model.safetensors")}}
        (folder / CARD).write_text(json.dumps(card, indent=2, ensure_ascii=False))

    @classmethod
    def load(cls, folder: str | Path) -> "FineTunedIntentModel":
        import torch
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        folder = Path(folder)
        card = read_card(folder, FORMAT)
        for name, digest in card.get("weights_sha256", {}).items():
            if _sha256(folder / name) != digest:
                raise ValueError(f"{folder / name}: weights do not match the sha256 in its card (corrupted?)")
        tensors = load_file(str(folder / HEAD))
        head = torch.nn.Linear(tensors["weight"].shape[1], tensors["weight"].shape[0])
        head.load_state_dict(tensors)
        hf_logging.disable_progress_bar()  # a weight-loading bar per Bot start is noise in a chat server
        encoder = AutoModel.from_pretrained(folder / ENCODER).eval()
        tokenizer = AutoTokenizer.from_pretrained(folder / ENCODER)
        return cls(card["intents"], tokenizer, encoder, head.eval(), card["temperature"], card)


def is_fine_tuned(folder: str | Path) -> bool:
    """Does this folder's card describe a fine-tuned model (else the logistic regression)?"""
    try:
        return json.loads((Path(folder) / CARD).read_text()).get("format") == FORMAT
    except (OSError, ValueError):
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress(total: int, shown: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="fine-tuning the intent model", unit="step", disable=not shown)
