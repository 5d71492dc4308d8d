"""Which code made a checkpoint: the git commit of this checkout, recorded in every model card."""
from __future__ import annotations

import subprocess

from bot.shop.paths import REPO_ROOT


def code_version() -> str:
    """`git rev-parse HEAD` of the checkout, or "unknown" outside a git checkout."""
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                              cwd=REPO_ROOT).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"
