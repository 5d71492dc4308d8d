"""A consistent copy of a live replay database, taken with SQLite's online backup API.

Copying the files by hand (db + -wal + -shm) while the bot writes can catch them at different moments, and
the copy then misses or mangles committed turns. `sqlite3.Connection.backup` instead reads one snapshot of
the database (in WAL mode writers go on meanwhile) and writes it page by page into the copy. The copy is
made in `OUTPUT.partial`, switched out of WAL mode so it is one self-contained file, checked with
`PRAGMA integrity_check`, synced, and only then renamed to OUTPUT: a crash never leaves a half copy under
the final name.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.storage.replay_buffer import StorageError


def backup(db_path: str | Path, output: str | Path) -> dict:
    """Copy the database at db_path to output (which must not exist yet); return what the copy holds."""
    db_path, output = Path(db_path), Path(output)
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path}")
    if output.exists():
        raise ValueError(f"{output} already exists; give a new file name (a backup never overwrites)")
    if output.resolve() == db_path.resolve():
        raise ValueError("the backup must go to another file than the database itself")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    source = copy = None
    try:
        source = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(partial)
        source.backup(copy)  # pages=-1: all in one step, from one read snapshot; writers are not blocked
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal / -shm beside it
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise ValueError(f"the copy of {db_path} failed its integrity check: {'; '.join(problems[:3])}")
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {t: copy.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("sessions", "turns", "feedback_events") if t in tables}
    except BaseException as err:
        if copy is not None:
            copy.close()
        partial.unlink(missing_ok=True)
        if isinstance(err, sqlite3.Error):
            raise StorageError(f"cannot back up {db_path}: {' '.join(str(err).split())}") from err
        raise
    finally:
        if source is not None:
            source.close()
    copy.close()
    with open(partial, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(partial, output)
    return {"output": str(output), "bytes": output.stat().st_size, **counts}
