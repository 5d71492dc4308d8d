"""One storage interface, two engines (issue 15): every test here runs on a real SQLite file and on a real
PostgreSQL server (tests/postgres.py: $RLCS_TEST_POSTGRES, which .ci/run sets, or a throwaway cluster).

The same conversations give the same reads on both: logged turns, history, the dataset export, the console's
reports, escalations, rating sessions and their statistics.
"""
from __future__ import annotations

import json
import threading
import time

import pytest

import postgres
from bot.candidate import Candidate, Turn
from bot.ratings.store import RatingError, RatingStore
from bot.storage import reports
from bot.storage.engine import is_postgres, redact, to_postgres
from bot.storage.escalations import escalations
from bot.storage.replay_buffer import FeedbackError, ReplayBuffer, SessionEnded, StorageError
from bot.storage.schema import MIGRATIONS

ENGINES = ["sqlite", "postgres"]


@pytest.fixture(scope="module")
def pg_server():
    found = postgres.server()
    if found is None:
        pytest.skip(postgres.skip_reason())
    return found


class Databases:
    """Fresh databases for one test (a SQLite file, or a PostgreSQL schema), closed and dropped afterwards."""

    def __init__(self, tmp_path, request):
        self.tmp_path, self.request, self.opened, self.schemas = tmp_path, request, [], []

    def new(self, engine: str) -> str:
        if engine == "sqlite":
            return str(self.tmp_path / f"replay-{len(self.opened) + len(self.schemas)}.sqlite3")
        url, _ = self.request.getfixturevalue("pg_server")
        fresh, name = postgres.fresh_schema(url)
        self.schemas.append((url, name))
        return fresh

    def open(self, db: str) -> ReplayBuffer:
        replay = ReplayBuffer(db)
        self.opened.append(replay)
        return replay

    def cleanup(self):
        for replay in self.opened:
            replay.close()
        for url, name in self.schemas:
            postgres.drop_schema(url, name)


@pytest.fixture
def dbs(tmp_path, request):
    made = Databases(tmp_path, request)
    yield made
    made.cleanup()


@pytest.fixture(params=ENGINES)
def db(request, dbs):
    return dbs.new(request.param)


# -- a fixed set of conversations ---------------------------------------------------------------------
def turn(turn_id, session, texts, chosen=0, intent="order_status", meta=None):
    candidates = [Candidate(text, "retrieval" if i else "template", round(0.9 - 0.07 * i, 6),
                            propensity=round(1 / len(texts), 6), reward=None if i % 2 else 0.25 * i,
                            meta=dict(meta or {}) if i == chosen else {"rank": i})
                  for i, text in enumerate(texts)]
    return Turn(turn_id, session, texts[chosen], chosen, candidates, intent=intent, policy_version="softmax(T=0.01)",
                latency_ms={"drafting": 4.0, "selection": 0.2, "storage": 0.0, "total": 4.2})


def converse(replay: ReplayBuffer) -> None:
    """Six conversations: votes and re-votes, ratings and a changed rating, a handover, PII, an unrated one."""
    for s in range(6):
        session = f"conv-{s}"
        history = []
        for k in range(3):
            texts = [f"Order {10020 + s} is on its way ({k}).", f"Reply b {s}.{k}", f"Mail me at ann{s}@example.com",
                     "100% sure: it's 'shipped'?"]
            meta = {"handover": "customer_asked"} if (s, k) == (4, 2) else {"template": f"t{k}"}
            message = f"where is my order {10020 + s}? call +44 20 7946 0{s}58" if k == 0 else f"and now? {k}"
            intent = "feedback" if (s, k) == (2, 1) else "order_status"  # one conversation with a suggestion
            dropped = [(Candidate("We refund you twice", "retrieval"), "promise")] if k == 1 else []
            replay.log_turn(turn(f"t-{s}-{k}", session, texts, chosen=(s + k) % 4, meta=meta, intent=intent), message,
                            history, k, slots={"order_id": str(10020 + s)}, dropped=dropped)
            history = history + [("customer", message), ("bot", texts[(s + k) % 4])]
            if (s + k) % 3 == 0:
                replay.add_feedback(f"t-{s}-{k}", 1)
            elif (s + k) % 3 == 1:
                replay.add_feedback(f"t-{s}-{k}", -1, reason="wrong_info", comment=f"my card 4111 1111 1111 1111 {s}")
                if s % 2:
                    replay.add_feedback(f"t-{s}-{k}", 1)  # a re-vote replaces the vote, both are events
        if s < 5:
            assert replay.end_session(session, csat=1 + s % 5, resolved=bool(s % 2), comment=f"thanks {s}")
        if s == 1:
            assert not replay.end_session(session, csat=5, resolved=True)  # a later change: an event only


def rate(replay: ReplayBuffer) -> RatingStore:
    store = RatingStore(replay)
    store.create_session_from_replay("pilot", n_items=4, max_candidates=3, seed=3, overlap=2)
    for rater in ("ann", "bob", "cy"):
        while (item := store.next_item("pilot", rater)) is not None:
            # Scores follow the reply text, not the (random, per rater) display order, so both engines agree.
            scores = [1 + (len(text) + len(rater)) % 5 for text in item.replies]
            store.submit(rater, item.item_id, scores=scores, reasons=[["too_long"] if v <= 2 else [] for v in scores])
    return store


TIMES = {"created_at", "ended_at", "escalated_at", "submitted_at", "assigned_at", "last_submitted_at", "latency_ms",
         "latency"}


def stable(value):
    """Drop wall-clock values (they differ between two runs), keep everything else exactly."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in TIMES}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    if isinstance(value, float) and value != value:
        return "nan"  # NaN != NaN
    return value


def reads(replay: ReplayBuffer, store: RatingStore) -> dict:
    from bot.ratings import statistics

    rows = store.rating_rows()
    dataset = replay.to_dataset()
    return stable({
        "logged_turns": replay.logged_turns(),
        "history": {s: replay.session_history(f"conv-{s}") for s in range(6)},
        "dataset": dataset.to_list(),
        "conversations": sorted(reports.conversations(replay), key=lambda c: c["session_id"]),
        "thumbs_down": sorted(c["session_id"] for c in reports.conversations(replay, only="thumbs_down")),
        "unrated": [c["session_id"] for c in reports.conversations(replay, only="unrated")],
        "suggestions": sorted(c["session_id"] for c in reports.conversations(replay, only="suggestions")),
        "conversation": reports.conversation(replay, "conv-1"),
        "by_intent": reports.figures_by(replay, "intent"),
        "by_policy": reports.figures_by(replay, "policy_version"),
        "daily": reports.daily_figures(replay),
        "escalations": escalations(replay),
        "session_events": replay.query("SELECT session_id, kind, csat, resolved, comment FROM session_events "
                                       "ORDER BY event_id"),
        "feedback_events": replay.query("SELECT turn_id, thumb, reason, comment FROM feedback_events ORDER BY event_id"),
        "rating_sessions": store.sessions(),
        "raters": store.raters(),
        "rating_rows": rows,
        "agreement": statistics.agreement_table(rows),
        "bradley_terry": statistics.leaderboard(statistics.comparisons_from_rows(rows), n_boot=50, seed=0),
    })


# -- tests ------------------------------------------------------------------------------------------
def test_the_same_conversations_read_the_same_on_both_engines(dbs):
    results = {}
    for engine in ENGINES:
        replay = dbs.open(dbs.new(engine))
        converse(replay)
        results[engine] = reads(replay, rate(replay))
    sqlite, pg = results["sqlite"], results["postgres"]
    assert sqlite["logged_turns"] and len(sqlite["logged_turns"]) == 18
    assert len(sqlite["rating_rows"]) == 4 * 2 * 3  # 4 items x overlap 2 x 3 candidates
    assert "ann0@example.com" not in json.dumps(sqlite) and "4111 1111" not in json.dumps(sqlite)  # masked
    assert [e["session_id"] for e in sqlite["escalations"]] == ["conv-4"]
    for key in sqlite:
        assert pg[key] == sqlite[key], key


def test_migrations_are_numbered_recorded_once_and_rerun_safely(db, dbs):
    dbs.open(db)
    replay = dbs.open(db)  # a second open (another replica) applies nothing again
    versions = replay.query("SELECT version, name FROM schema_version ORDER BY version")
    assert [(v["version"], v["name"]) for v in versions] == [(v, name) for v, name, _ in MIGRATIONS]
    tables = {"sessions", "turns", "candidates", "feedback", "feedback_events", "session_events", "rating_sessions",
              "rating_items", "rating_candidates", "rating_assignments", "rating_scores", "promoted_policy"}
    for table in tables:
        assert replay.query(f"SELECT COUNT(*) AS n FROM {table}") == [{"n": 0}]


def test_every_write_is_one_transaction(db, dbs):
    replay = dbs.open(db)
    replay.log_turn(turn("t1", "s1", ["a", "b"]), "hi", [], 0)
    with pytest.raises(StorageError, match="nothing was stored"):  # same turn id again: nothing of it is kept
        replay.log_turn(turn("t1", "s1", ["c", "d", "e"]), "again", [], 1)
    with pytest.raises(FeedbackError, match="unknown turn_id"):
        replay.add_feedback("nope", 1)
    with pytest.raises(FeedbackError, match="unknown session_id"):
        replay.end_session("nope", 3, True)
    assert replay.end_session("s1", 4, True)
    with pytest.raises(SessionEnded):
        replay.log_turn(turn("t2", "s1", ["x", "y"]), "more", [], 1)
    counts = {t: replay.query(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]
              for t in ("sessions", "turns", "candidates", "feedback", "feedback_events", "session_events")}
    assert counts == {"sessions": 1, "turns": 1, "candidates": 2, "feedback": 0, "feedback_events": 0,
                      "session_events": 1}


def test_parallel_writers_lose_nothing_and_duplicate_nothing(db, dbs):
    replay = dbs.open(db)
    errors = []

    def session(n):
        try:
            for k in range(10):
                replay.log_turn(turn(f"p{n}-{k}", f"ps{n}", ["a", "b", "c"]), f"m{k}", [], k)
                replay.add_feedback(f"p{n}-{k}", 1 if k % 2 else -1)
            replay.end_session(f"ps{n}", 5, True)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert replay.query("SELECT COUNT(*) AS n, COUNT(DISTINCT turn_id) AS d FROM turns") == [{"n": 80, "d": 80}]
    assert replay.query("SELECT COUNT(*) AS n FROM candidates") == [{"n": 240}]
    assert replay.query("SELECT COUNT(*) AS n FROM feedback_events") == [{"n": 80}]
    assert replay.query("SELECT COUNT(*) AS n FROM sessions WHERE csat = 5") == [{"n": 8}]


def test_rating_store_works_on_the_engine(db, dbs):
    replay = dbs.open(db)
    converse(replay)
    store = rate(replay)
    assert store.progress("pilot", "ann") == (len(store.my_ratings("pilot", "ann")),) * 2
    session = store.sessions()[0]
    assert (session["items"], session["submissions"], session["complete"], session["raters"]) == (4, 8, 4, 2)  # overlap 2: the third rater finds nothing left
    store.close_session("pilot")
    assert store.open_sessions() == []
    with pytest.raises(RatingError, match="no open rating session"):  # an UPDATE's row count, on both engines
        store.close_session("pilot")


def test_a_conversation_continues_on_another_replica(db, dbs, cache_dir):
    """Two bots on one database (two serving replicas): the second rebuilds the conversation from the
    database alone, so it knows the order the customer gave to the first."""
    from bot import Bot, BotConfig

    first = Bot(BotConfig(db_path=db, cache_dir=cache_dir, seed=0))
    second = Bot(BotConfig(db_path=db, cache_dir=cache_dir, seed=0))
    dbs.opened += [first.replay, second.replay]
    t1 = first.reply("moving", "Where is my order 10023?")
    t2 = second.reply("moving", "when will it arrive?")
    state = second._sessions["moving"]
    assert state.slots.get("order_id") == "10023"
    assert [m for m in state.history] == [("customer", "Where is my order 10023?"), ("bot", t1.text),
                                          ("customer", "when will it arrive?"), ("bot", t2.text)]
    first.feedback(t2.turn_id, -1, reason="not_helpful")  # a vote may arrive at any replica
    if is_postgres(db):  # back on the first replica, which must not answer from its stale memory
        t3 = first.reply("moving", "thanks, and the carrier?")
        assert [m for m in first._sessions["moving"].history][-4:-2] == [("customer", "when will it arrive?"),
                                                                          ("bot", t2.text)]
        stored = first.replay.query("SELECT turn_index, context FROM turns WHERE turn_id=?", (t3.turn_id,))[0]
        assert stored["turn_index"] == 2 and len(json.loads(stored["context"])) == 4
    assert second.end_session("moving", 4, True)
    with pytest.raises(SessionEnded):
        first.reply("moving", "one more thing")
    assert [r["thumb"] for r in first.resume("moving", ended_too=True)][:2] == [None, -1]


def test_sql_written_once_in_sqlites_dialect_translates():
    assert to_postgres("SELECT * FROM t WHERE a=? AND b LIKE '%x?%' AND c=:name::text") == \
        "SELECT * FROM t WHERE a=%s AND b LIKE '%%x?%%' AND c=%(name)s::text"
    assert to_postgres("INSERT OR IGNORE INTO s (a) VALUES (?)") == "INSERT INTO s (a) VALUES (%s) ON CONFLICT DO NOTHING"
    assert is_postgres("postgresql://u@h/db") and not is_postgres("runs/replay.sqlite3")
    assert redact("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"


def test_an_unreachable_server_is_one_clear_line():
    pytest.importorskip("psycopg", reason="the postgres extra is not installed: pip install -e '.[postgres]'")
    start = time.time()
    with pytest.raises(StorageError, match=r"cannot connect to PostgreSQL at postgresql://rlcs:\*\*\*@127\.0\.0\.1:1/x"):
        ReplayBuffer("postgresql://rlcs:pw@127.0.0.1:1/x")
    assert time.time() - start < 15


def test_a_lost_connection_is_a_storage_error_and_the_next_call_reconnects(dbs):
    replay = dbs.open(dbs.new("postgres"))
    replay.log_turn(turn("t1", "s1", ["a", "b"]), "hi", [], 0)
    with pytest.raises(StorageError, match="connection lost or server unavailable") as lost:
        with replay.transaction() as con:
            con.execute("INSERT INTO feedback_events (turn_id, thumb, created_at) VALUES ('t1', 1, 0)")
            con.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    assert "\n" not in str(lost.value)
    replay.add_feedback("t1", -1, reason="rude")  # a fresh connection from the pool
    assert replay.query("SELECT thumb FROM feedback_events") == [{"thumb": -1}]  # the lost transaction left nothing


def test_a_server_restart_fails_writes_cleanly_then_heals(dbs, pg_server):
    url, folder = pg_server
    if folder is None:
        pytest.skip("the test server's cluster folder is unknown (set RLCS_TEST_POSTGRES_DIR to restart it)")
    replay = dbs.open(dbs.new("postgres"))
    replay.log_turn(turn("t1", "s1", ["a", "b"]), "hi", [], 0)
    assert postgres.pg_ctl(folder, "-m", "fast", "-w", "stop").returncode == 0
    try:
        with pytest.raises(StorageError, match="PostgreSQL at .*nothing was stored"):
            replay.add_feedback("t1", 1)
    finally:
        started = postgres.pg_ctl(folder, "-w", "-l", f"{folder}/server.log", "start")
        assert started.returncode == 0, started.stderr
    replay.add_feedback("t1", -1, reason="rude")
    replay.log_turn(turn("t2", "s1", ["c", "d"]), "again", [], 1)
    assert replay.query("SELECT COUNT(*) AS n FROM turns") == [{"n": 2}]
    assert replay.query("SELECT thumb FROM feedback_events") == [{"thumb": -1}]


def test_a_promotion_on_any_machine_switches_every_replica(dbs, cache_dir, tmp_path):
    """Two replicas (own policy folders, as on two machines) on one PostgreSQL; `rlcs promote` run from a third
    folder switches both within the poll interval, and so does `rlcs promote --rollback`."""
    import subprocess
    import sys

    import torch

    from bot import Bot, BotConfig
    from bot.selection.features import FEATURES_VERSION, SCALARS, n_features
    from bot.selection.learned import POLL_S, make_net, save_checkpoint

    url = dbs.new("postgres")
    replicas = [Bot(BotConfig(db_path=url, cache_dir=cache_dir, policy="promoted", seed=0,
                              policy_dir=str(tmp_path / f"machine-{n}" / "policies"))) for n in (1, 2)]
    dbs.opened += [bot.replay for bot in replicas]
    assert all(bot.current_policy().version.endswith("/none-promoted") for bot in replicas)

    def checkpoint(name, feature, sign):
        net = make_net(n_features(replicas[0].encoder.dim), 8)
        with torch.no_grad():
            for p in net.parameters():
                p.zero_()
            net.body[0].weight[0, SCALARS.index(feature)] = 1.0
            net.body[2].weight[0, 0] = 1.0
            net.score_head.weight[0, 0] = sign * 20.0
        config = {"algo": name, "features_version": FEATURES_VERSION, "temperature": 0.05, "epsilon": 0.0}
        return tmp_path / name, save_checkpoint(net, tmp_path / name, config, {"data": {}})

    def rlcs(*args):
        done = subprocess.run([sys.executable, "-m", "ui.cli", "promote", *args, "--db", url,
                               "--policy-dir", str(tmp_path / "machine-3" / "policies")],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def served_everywhere(version):
        deadline = time.monotonic() + POLL_S + 3
        while time.monotonic() < deadline:
            if all(bot.current_policy().version == version for bot in replicas):
                return True
            time.sleep(0.1)
        return False

    (good, good_version), (bad, bad_version) = checkpoint("good", "is_first", +1), checkpoint("bad", "rank_frac", +1)
    rlcs(str(good), "--force")
    assert served_everywhere(good_version)
    turn = replicas[1].reply("p1", "where is my order")
    assert turn.policy_version == good_version and turn.chosen == 0
    assert (tmp_path / "machine-2" / "policies" / "versions" / good_version / "model.safetensors").is_file()
    rlcs(str(bad), "--force")
    assert served_everywhere(bad_version)
    assert "now serving " + good_version in rlcs("--rollback")
    assert served_everywhere(good_version)
    status = rlcs("--status")
    assert [line.split() for line in status.splitlines()[-3:]] == [
        ["forced", good_version], ["forced", bad_version], ["rollback", good_version]]
