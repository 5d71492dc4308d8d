"""Where the public reference datasets (../shared/data: bitext/, real_dev/, uss/, stc3/, abcd/) are found.

The project reads them in place and copies none of their text. Looked for, in order:
  1. a folder given on the command line (--shared-data);
  2. $RLCS_SHARED_DATA;
  3. shared/data beside the repository (the layout of the checkout we work in, and of CI's clone);
  4. shared/data beside the checkout this one was cloned from, when that is a folder on this machine:
     a throwaway clone (`git clone . $(mktemp -d)`) finds the same data as the checkout it came from.
The first that exists wins; when none does, (3) is returned so that error messages name the usual place.
"""
from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path

from bot.shop.paths import REPO_ROOT

BITEXT_FILE = Path("bitext") / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
REAL_DEV_FILE = Path("real_dev") / "messages.jsonl"


def shared_data_dir(override: str | None = None, repo_root: Path = REPO_ROOT) -> Path:
    """The shared data folder (see the module's docstring for the order it is looked for in)."""
    given = override or os.environ.get("RLCS_SHARED_DATA")
    if given:
        return Path(given)
    beside_repo = repo_root.parent / "shared" / "data"
    if beside_repo.is_dir():
        return beside_repo
    origin = _local_origin(repo_root)
    if origin is not None and (origin.parent / "shared" / "data").is_dir():
        return origin.parent / "shared" / "data"
    return beside_repo


@lru_cache(maxsize=4)
def _local_origin(repo_root: Path) -> Path | None:
    """The folder this checkout was cloned from, when git knows one and it is on this machine."""
    try:
        url = subprocess.run(["git", "-C", str(repo_root), "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(url.removeprefix("file://")) if url and "://" not in url.removeprefix("file://") else None
    return path.resolve() if path is not None and path.is_dir() else None


def bitext_file(override: str | None = None) -> Path:
    return shared_data_dir(override) / BITEXT_FILE


def real_dev_file(override: str | None = None) -> Path:
    return shared_data_dir(override) / REAL_DEV_FILE
