"""`rlcs bench drafting` end to end on a tiny model: speed against bare generate, quality table, files."""
from __future__ import annotations

import json

import pytest
import needs  # tests/needs.py: skips when the shared reference data is missing

pytest.importorskip("torch")

try:
    from tests.test_generative import tiny_lm
except ImportError:
    from test_generative import tiny_lm


def test_rouge_l():
    from training.drafter.bench import rouge_l

    assert rouge_l("the order shipped today", "the order shipped today") == 1.0
    assert rouge_l("", "anything") == 0.0 and rouge_l("penguins", "the order shipped") == 0.0
    # LCS "order shipped" = 2 of 3 and 2 of 4 words
    assert rouge_l("order was shipped", "your order has shipped") == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))


@needs.bitext
def test_bench_drafting_on_a_tiny_model(tmp_path, cache_dir):
    from ui.cli import main

    tiny_lm("llama", tmp_path / "m")
    out = tmp_path / "bench"
    code = main(["bench", "drafting", "--sft", str(tmp_path / "m"), "--prompts", "2", "--speed-prompts", "1",
                 "--repeats", "1", "--max-new-tokens", "6", "--n", "2", "--n-candidates", "4",
                 "--systems", "retrieval,sft", "--cache-dir", cache_dir, "--output-dir", str(out)])
    assert code == 0
    results = json.loads((out / "results.json").read_text())
    assert set(results["quality"]) == {"retrieval", "sft"}
    retrieval, sft = results["quality"]["retrieval"], results["quality"]["sft"]
    assert retrieval["prompts"] == sft["prompts"] == 2
    assert 0 <= retrieval["candidates_mean_rouge_l"] <= 1 and retrieval["policy_picked_generated"] == 0
    speed = results["speed"]
    assert speed["turns"] == 1 and speed["bare_tokens_per_s"] > 0 and speed["overhead_ratio_median"] > 0
    assert (out / "drafting.png").stat().st_size > 1000 and "| sft |" in (out / "results.md").read_text()
