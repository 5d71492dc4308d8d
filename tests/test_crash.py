"""A writer killed with SIGKILL loses nothing it had acknowledged, and leaves a sound file."""
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

from bot.candidate import Candidate, Turn
from bot.storage.replay_buffer import ReplayBuffer

WRITER = textwrap.dedent("""
    import sys
    from bot.storage.replay_buffer import ReplayBuffer
    replay = ReplayBuffer(sys.argv[1])
    i = 0
    while True:
        replay.add_feedback(f"t{i % 50}", 1 if i % 2 else -1, reason=None, comment=f"event {i}")
        print(i, flush=True)  # acknowledged: the transaction has committed
        i += 1
""")


def test_sigkill_mid_write_loses_no_acknowledged_feedback(tmp_path):
    path = tmp_path / "replay.sqlite3"
    replay = ReplayBuffer(path)
    for i in range(50):
        candidates = [Candidate("a", "retrieval", 0.5, 0.5), Candidate("b", "retrieval", 0.4, 0.5)]
        replay.log_turn(Turn(f"t{i}", "s", "a", 0, candidates, latency_ms={"total": 1.0}), "hi", [], i)
    replay.close()

    child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                             cwd=os.path.dirname(os.path.dirname(__file__)))
    acknowledged = []
    deadline = time.time() + 60
    while len(acknowledged) < 300 and time.time() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    os.kill(child.pid, signal.SIGKILL)  # mid-loop: it is in the middle of its next write
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 300, "writer did not get going"

    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {int(c.split()[1]) for (c,) in con.execute("SELECT comment FROM feedback_events")}
    assert set(acknowledged) <= stored
    # The current vote of every turn is the last event stored for it: no torn pair of writes.
    for turn_id, thumb, comment in con.execute("SELECT turn_id, thumb, comment FROM feedback"):
        last = con.execute("SELECT thumb, comment FROM feedback_events WHERE turn_id=? ORDER BY event_id DESC LIMIT 1",
                           (turn_id,)).fetchone()
        assert last == (thumb, comment)
