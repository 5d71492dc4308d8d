"""Where a job's JSON result or JSONL rows go: written whole (a crash leaves the previous file)."""
from __future__ import annotations

import json
import os
from pathlib import Path


def _write_whole(path: str | Path, text: str) -> Path:
    """Write to a temporary file beside `path`, then rename it over `path`: never a half-written file."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    return out


def write_result(path: str | Path, result: dict) -> Path:
    out = _write_whole(path, json.dumps(result, indent=2))
    print(f"wrote {out}")
    return out


def write_jsonl(path: str | Path, rows: list[dict]) -> Path:
    """One JSON object per line, written whole like write_result (no path printed: callers say what they wrote)."""
    return _write_whole(path, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
