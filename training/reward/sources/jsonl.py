"""Reading preference pairs from JSON Lines, with errors that name the file and the line."""
from __future__ import annotations

import json
from pathlib import Path

# Accepted spellings of each field (our seed file and `rlcs export --format reward` use the first).
ALIASES = {"context": ("context", "prompt", "message"), "chosen": ("chosen", "good"), "rejected": ("rejected", "bad")}


def read_pairs(path: str | Path) -> list[dict]:
    """[{context, chosen, rejected, margin, line, extra...}]; blank lines and lines starting with # are skipped."""
    path = Path(path)
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{lineno}: not valid JSON ({err.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{lineno}: expected a JSON object")
            row = {"line": lineno}
            for field, names in ALIASES.items():
                value = next((record[n] for n in names if n in record), None)
                if field == "context" and value is None:
                    value = ""
                if not isinstance(value, str) or (field != "context" and not value.strip()):
                    raise ValueError(f"{path}:{lineno}: field {field!r} must be a non-empty string")
                row[field] = value.strip()
            margin = record.get("margin", 0.0)
            if isinstance(margin, bool) or not isinstance(margin, (int, float)) or margin < 0:
                raise ValueError(f"{path}:{lineno}: 'margin' must be a number >= 0, got {margin!r}")
            row["margin"] = float(margin)
            row["extra"] = {k: v for k, v in record.items() if k not in sum(ALIASES.values(), ()) + ("margin",)}
            out.append(row)
    return out
