"""The `rlcs` command line: every command has help, bad input gives a message, not a traceback."""
import json
import subprocess
import sys

import pytest

from ui.cli import COMMANDS, build_parser
import needs  # tests/needs.py: skips when the shared reference data is missing


def rlcs(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, timeout=timeout)


def test_every_listed_command_is_installed_and_has_help():
    parser = build_parser()
    for path, module in COMMANDS:
        with pytest.raises(SystemExit) as done:
            parser.parse_args([*path, "--help"])
        assert done.value.code == 0, (path, module)


def test_top_level_help_lists_the_commands():
    result = rlcs("--help")
    assert result.returncode == 0
    for command in ("serve", "rate", "accounts", "chat", "train", "eval", "export", "bench"):
        assert command in result.stdout


def test_bench_latency_writes_a_json_result(tmp_path):
    out = tmp_path / "latency.json"
    result = rlcs("bench", "latency", "--rounds", "1", "--output", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["turns"] == 26  # the fixed script
    for stage in ("drafting", "selection", "storage", "total"):
        assert 0 < data[stage]["p50_ms"] <= data[stage]["p95_ms"]
    assert 0 < data["selection_plus_storage_share"] < 1


def test_terminal_chat_answers_and_takes_feedback(tmp_path):
    db = tmp_path / "replay.sqlite3"
    script = "Where is my order 12345?\n/up\n/why\n\n/end 5 yes\n/quit\n"
    result = subprocess.run([sys.executable, "-m", "ui.cli", "chat", "--db", str(db), "--policy", "first"],
                            input=script, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "bot> " in result.stdout and "12345" in result.stdout
    assert "(noted 👍)" in result.stdout and "✔ 1." in result.stdout
    assert "(!) Your message was empty" in result.stdout
    import sqlite3

    con = sqlite3.connect(db)
    assert con.execute("SELECT thumb FROM feedback").fetchall() == [(1,)]
    assert con.execute("SELECT csat, resolved FROM sessions").fetchall() == [(5, 1)]


@needs.bitext
def test_bench_intents_recognises_most_unseen_requests(tmp_path):
    out = tmp_path / "intents.json"
    result = rlcs("bench", "intents", "--limit", "60", "--real-dev-half", "none",  # Bitext only: the suite's time
                  "--scratch-db", str(tmp_path / "scratch.sqlite3"), "--output", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["requests"] == 60 and not any(row.startswith("real_dev") for row in data["rows"])
    assert data["accuracy"] >= 0.9  # the intent model: 0.960 on 302 held-out Bitext requests (nearest examples: 0.758)


def test_bench_intents_names_a_missing_dataset(tmp_path):
    result = rlcs("bench", "intents", "--shared-data", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "Bitext not found" in result.stderr and "Traceback" not in result.stderr


def test_every_training_config_field_is_a_flag():
    """Config dataclasses become flags in one way (training/config_flags.py): nothing is left unsettable."""
    import dataclasses

    from training.drafter.train import DrafterTrainConfig
    from training.intents.train import IntentTrainConfig
    from training.policy.bandit import BanditConfig
    from training.policy.dqn import DQNConfig
    from training.policy.ppo import PPOConfig
    from training.reward.train import RewardTrainConfig

    for command, configs, skip in ((("train", "policy"), (DQNConfig, PPOConfig, BanditConfig), {"seed"}),
                                   (("train", "reward"), (RewardTrainConfig,), set()),
                                   (("train", "drafter"), (DrafterTrainConfig,), {"stage", "extra"}),
                                   (("train", "intents"), (IntentTrainConfig,), set())):
        help_text = rlcs(*command, "--help").stdout
        for config in configs:
            for field in dataclasses.fields(config):
                if field.name not in skip:
                    assert "--" + field.name.replace("_", "-") in help_text, (command, field.name)
