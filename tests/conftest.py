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


@pytest.fixture()
def python_exe() -> str:
    return sys.executable
