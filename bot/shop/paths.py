"""Where the shipped demo store lives: the repository's data/store folder (files, not a Python package).

$RLCS_STORE_DIR points the bot at another store; `BotConfig.store_dir` does the same per bot.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STORE_DIR = Path(os.environ.get("RLCS_STORE_DIR") or REPO_ROOT / "data" / "store")
