"""Where a job's JSON result goes: written whole (a crash leaves the previous file), path printed."""
from __future__ import annotations

import json
import os
from pathlib import Path


def write_result(path: str | Path, result: dict) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(result, indent=2))
    os.replace(tmp, out)
    print(f"wrote {out}")
    return out
