"""real_dev's two halves: pairs learnt from one half never reach a report on the other."""
from __future__ import annotations

import json

from training.intents.bench import real_dev_rows
from training.intents.real_dev_labels import ACCEPTABLE
from training.intents.real_dev_split import half_of, main


def _messages(tmp_path, n=40):
    topic = min(ACCEPTABLE)
    rows = [{"id": f"m{i}", "message": f"message number {i}", "topic": topic} for i in range(n)]
    (tmp_path / "real_dev").mkdir()
    (tmp_path / "real_dev" / "messages.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    return rows


def test_the_halves_partition_real_dev(tmp_path):
    rows = _messages(tmp_path)
    train, test = real_dev_rows(str(tmp_path), "train"), real_dev_rows(str(tmp_path), "test")
    assert len(train) + len(test) == len(real_dev_rows(str(tmp_path))) == len(rows) and train and test
    assert {t for t, _ in train}.isdisjoint({t for t, _ in test})
    assert all(half_of(r["id"]) == half_of(r["id"]) for r in rows)  # a hash, not a draw


def test_only_training_half_pairs_are_kept(tmp_path, capsys):
    rows = _messages(tmp_path)
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(json.dumps({"context": f"Customer: {r['message']}", "chosen": "a", "rejected": "b",
                                           "margin": 1.0}) for r in rows + [{"message": "not a real_dev message"}]))
    out = tmp_path / "kept.jsonl"
    assert main(["--pairs", str(pairs), "--output", str(out), "--shared-data", str(tmp_path)]) == 0
    kept = [json.loads(line)["context"] for line in out.read_text().splitlines()]
    assert kept == [f"Customer: {r['message']}" for r in rows if half_of(r["id"]) == "train"]
    assert f"dropped {len(rows) + 1 - len(kept)}" in capsys.readouterr().out
