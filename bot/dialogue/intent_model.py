"""IntentModel: which of the store's intents a message asks about, with a calibrated confidence.

A multinomial logistic regression on MiniLM sentence vectors (the encoder stays frozen):

    p(intent | message) = softmax((W v + b) / T)

W, b are fitted on labelled messages (the store's examples, their real-style rewrites from
bot/dialogue/augment.py and, when trained by `rlcs train intents`, Bitext's train split); the
temperature T is fitted afterwards on held-out messages so that the top probability means what it
says (a confidence of 0.6 is right about 60 % of the time). The tracker hands low-confidence
messages to a clarifying question or a person instead of a confident wrong answer.

A store keeps its trained model in `<store>/intent_model/` (model.safetensors + card.json; built by
`make setup` through `rlcs train intents`, not kept in git). The
card records the knowledge base's hash: a model trained for another knowledge base is not used, and
the bot trains one from the store's own examples instead (seconds), cached under the cache folder.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CARD = "card.json"
WEIGHTS = "model.safetensors"
FORMAT = "intent-logreg-v1"


def kb_fingerprint(intent_ids: list[str], examples: list[list[str]]) -> str:
    """Hash of the intents and their examples: what a trained model depends on."""
    text = json.dumps([intent_ids, examples], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class IntentModel:
    def __init__(self, intent_ids: list[str], weight: np.ndarray, bias: np.ndarray, temperature: float, card: dict):
        self.intent_ids, self.weight, self.bias = list(intent_ids), weight.astype(np.float32), bias.astype(np.float32)
        self.temperature, self.card = float(temperature), card

    def read(self, text: str, vector: np.ndarray) -> np.ndarray:
        """One message (its sentence vector; the text is for models that read it, intent_classifier.py) ->
        its calibrated intent probabilities."""
        return self.probabilities(vector)[0]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, dim) sentence vectors -> (n, n_intents) calibrated probabilities."""
        logits = (np.atleast_2d(vectors) @ self.weight.T + self.bias) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    # -- fitting -----------------------------------------------------------------------------
    @classmethod
    def fit(cls, intent_ids: list[str], vectors: np.ndarray, labels: np.ndarray, held_vectors: np.ndarray,
            held_labels: np.ndarray, l2: float = 1e-3, steps: int = 300, seed: int = 0, card: dict | None = None) -> "IntentModel":
        """Logistic regression by full-batch L-BFGS, then the temperature on the held-out messages."""
        import torch

        torch.manual_seed(seed)
        x = torch.as_tensor(vectors, dtype=torch.float32)
        y = torch.as_tensor(labels, dtype=torch.long)
        n_classes = len(intent_ids)
        # Every intent counts equally, however many examples it has.
        counts = torch.bincount(y, minlength=n_classes).clamp(min=1).float()
        class_weight = counts.sum() / (n_classes * counts)
        linear = torch.nn.Linear(x.shape[1], n_classes)
        optimiser = torch.optim.LBFGS(linear.parameters(), lr=1.0, max_iter=steps, line_search_fn="strong_wolfe")

        def closure():
            optimiser.zero_grad()
            loss = torch.nn.functional.cross_entropy(linear(x), y, weight=class_weight) + l2 * linear.weight.pow(2).sum()
            loss.backward()
            return loss

        optimiser.step(closure)
        weight, bias = linear.weight.detach().numpy(), linear.bias.detach().numpy()
        temperature = fit_temperature(held_vectors @ weight.T + bias, held_labels) if len(held_labels) else 1.0
        model = cls(intent_ids, weight, bias, temperature, dict(card or {}))
        if len(held_labels):
            probs = model.probabilities(held_vectors)
            model.card["held_out"] = {"messages": int(len(held_labels)),
                                      "accuracy": round(float((probs.argmax(1) == held_labels).mean()), 4),
                                      "expected_calibration_error": round(calibration_error(probs, held_labels), 4),
                                      "temperature": round(temperature, 4)}
        return model

    # -- files ---------------------------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        from safetensors.numpy import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (WEIGHTS + ".tmp")
        save_file({"weight": self.weight, "bias": self.bias}, str(tmp))
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        card = {**self.card, "format": FORMAT, "intents": self.intent_ids, "temperature": self.temperature,
                "weights_sha256": digest}
        tmp.replace(folder / WEIGHTS)
        (folder / CARD).write_text(json.dumps(card, indent=2, ensure_ascii=False))

    @classmethod
    def load(cls, folder: str | Path) -> "IntentModel":
        from safetensors.numpy import load_file

        folder = Path(folder)
        card = read_card(folder, FORMAT)
        data = (folder / WEIGHTS).read_bytes()
        if card.get("weights_sha256") and hashlib.sha256(data).hexdigest() != card["weights_sha256"]:
            raise ValueError(f"{folder / WEIGHTS}: weights do not match the sha256 in its card (corrupted?)")
        tensors = load_file(str(folder / WEIGHTS))
        return cls(card["intents"], tensors["weight"], tensors["bias"], card["temperature"], card)


def read_card(folder: Path, expected_format: str) -> dict:
    """A model folder's card, refused unless it describes a model of the expected format."""
    card = json.loads((folder / CARD).read_text())
    if card.get("format") != expected_format:
        raise ValueError(f"{folder}: not an intent model of format {expected_format}")
    return card


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The T > 0 that minimises the negative log-likelihood of softmax(logits / T) (a 1-D search)."""
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.05), np.log(20.0), 200)):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        nll = -(z[np.arange(len(labels)), labels] - np.log(np.exp(z).sum(axis=1))).mean()
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: |accuracy - confidence| averaged over 10 confidence bins."""
    confidence, predicted = probs.max(axis=1), probs.argmax(axis=1)
    correct = predicted == labels
    edges = np.linspace(0, 1, bins + 1)
    error = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(error)
