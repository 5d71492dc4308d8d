"""ReplayBuffer: the durable record of every turn (with ALL its candidates) and every piece of feedback.

SQLite in WAL mode. Each write is one transaction: it is either all there or not there at all, and a
write method returns only after its COMMIT (that is the acknowledgement). With `synchronous=NORMAL` (the
default) a committed write survives the process being killed; `durability="full"` also survives power loss,
at the cost of an fsync per write. Text is PII-masked here, on the way in, so nothing unmasked ever reaches
the file.

Faults: any sqlite3 error (disk full or I/O error, read-only file, locked too long, file deleted) surfaces as
`StorageError` with a one-line message, after the transaction was rolled back and the thread's connection
dropped, so the next call opens a fresh one: a transient fault heals without a restart. Before each COMMIT
the file is checked to still be the one the connection opened, and writable: an open connection would
otherwise keep "committing" into a deleted file (acknowledged, then lost) or past a chmod. A file that is
gone is not re-created behind the operator's back (that would hide the loss): writes are refused until the
file is restored (`rlcs backup` makes a copy to restore from) or the bot is restarted on a new one.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bot.candidate import Turn
from bot.pii import mask_pii

REASONS = ("wrong_info", "not_helpful", "rude", "too_long", "didnt_understand", "other")

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    session_id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    ended_at   REAL,
    csat       INTEGER CHECK (csat BETWEEN 1 AND 5),
    resolved   INTEGER CHECK (resolved IN (0, 1)),
    comment    TEXT
);
CREATE TABLE IF NOT EXISTS turns (
    turn_id        TEXT PRIMARY KEY,
    session_id     TEXT NOT NULL REFERENCES sessions(session_id),
    turn_index     INTEGER NOT NULL,
    created_at     REAL NOT NULL,
    user_text      TEXT NOT NULL,
    context        TEXT NOT NULL,      -- JSON [[role, text], ...] before this message
    intent         TEXT,
    slots          TEXT NOT NULL,      -- JSON
    chosen         INTEGER NOT NULL,
    propensity     REAL NOT NULL,
    reply_text     TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    latency_ms     REAL NOT NULL,
    latency        TEXT NOT NULL,      -- JSON {drafting, selection, storage}
    dropped        TEXT NOT NULL       -- JSON [[text, source, reason], ...] removed by the guard
);
CREATE INDEX IF NOT EXISTS turns_by_session ON turns(session_id, turn_index);
CREATE TABLE IF NOT EXISTS candidates (
    turn_id    TEXT NOT NULL REFERENCES turns(turn_id),
    idx        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    source     TEXT NOT NULL,
    score      REAL NOT NULL,
    propensity REAL NOT NULL,
    reward     REAL,
    meta       TEXT NOT NULL,
    PRIMARY KEY (turn_id, idx)
);
CREATE TABLE IF NOT EXISTS feedback (          -- the current vote per turn: a re-vote replaces it
    turn_id    TEXT PRIMARY KEY REFERENCES turns(turn_id),
    thumb      INTEGER NOT NULL CHECK (thumb IN (-1, 1)),
    reason     TEXT,
    comment    TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS session_events (    -- every end-of-conversation rating given, in order
    event_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(session_id),
    kind       TEXT NOT NULL CHECK (kind IN ('rated', 'rating_changed')),  -- 'rated' is what sessions holds
    csat       INTEGER NOT NULL CHECK (csat BETWEEN 1 AND 5),
    resolved   INTEGER NOT NULL CHECK (resolved IN (0, 1)),
    comment    TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback_events (   -- every vote ever cast, in order
    event_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    turn_id    TEXT NOT NULL REFERENCES turns(turn_id),
    thumb      INTEGER NOT NULL,
    reason     TEXT,
    comment    TEXT,
    created_at REAL NOT NULL
);
"""


class FeedbackError(ValueError):
    """Feedback that cannot be stored (unknown turn or session, value out of range). Nothing was written."""


class StorageError(RuntimeError):
    """The database could not take a write (disk full, permissions, file gone, locked too long).
    Nothing was acknowledged: the front door tells the person to try again."""


class SessionEnded(ValueError):
    """A turn for a conversation that was already rated and ended. Nothing was written; safe to show."""

    def __init__(self, session_id: str):
        super().__init__("This conversation has ended. Please start a new conversation to keep chatting.")
        self.session_id = session_id


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__


def _writable(path: Path, mode: int = os.W_OK) -> bool:
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


class ReplayBuffer:
    def __init__(self, path: str | Path, durability: str = "normal"):
        if durability not in ("normal", "full"):
            raise ValueError("durability must be 'normal' or 'full'")
        self.path = Path(path)
        self.durability = durability
        self._local = threading.local()
        try:
            self._check_path()
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(f"cannot reach or create the database {self.path}: {err.strerror}") from None
        try:
            self.connection(create=True).executescript(SCHEMA)  # idempotent; manages its own transaction
            with self.transaction():  # prove that a write lock can be taken (a read-only file fails here)
                pass
        except sqlite3.Error as err:
            self.close()
            raise StorageError(f"cannot use {self.path} as the replay database: {_one_line(err)}") from err

    def _check_path(self) -> None:
        """Refuse, in one line, a path that cannot hold a writable SQLite database."""
        path, folder = self.path, self.path.parent
        if path.is_dir():
            raise StorageError(f"database path {path} is a folder; give a file inside it, e.g. {path / 'replay.sqlite3'}")
        if path.exists() and not _writable(path):
            raise StorageError(f"database file {path} is read-only (check its permissions)")
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise StorageError(f"cannot create the database {path}: {existing} is a file, not a folder")
        if existing is not None and not _writable(existing, os.W_OK | os.X_OK):
            raise StorageError(f"cannot write in the folder {existing} (check its permissions); SQLite needs to "
                               f"create {path.name}-wal and {path.name}-shm next to the database")

    # -- connections ---------------------------------------------------------------------------
    def connection(self, create: bool = False) -> sqlite3.Connection:
        """One connection per thread (sqlite3 connections must not be shared across threads).

        Only the constructor creates the file; a later (re)connection to a file that has vanished is refused."""
        con = getattr(self._local, "con", None)
        if con is None:
            if not create:
                self._stat()  # gone or unreachable: say so, rather than SQLite's "unable to open database file"
            uri = self.path.resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
            con = None
            try:
                con = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
                con.row_factory = sqlite3.Row
                con.execute("PRAGMA journal_mode=WAL")
                con.execute(f"PRAGMA synchronous={self.durability.upper()}")
                con.execute("PRAGMA foreign_keys=ON")
                stat = os.stat(self.path)
            except (sqlite3.Error, OSError) as err:
                if con is not None:
                    con.close()
                raise StorageError(f"cannot open the database {self.path}: {_one_line(err)}") from err
            self._local.con, self._local.identity = con, (stat.st_dev, stat.st_ino)
        return con

    def _gone(self) -> str:
        return (f"the database file {self.path} is gone (deleted or moved while serving); nothing was stored. "
                f"Restore it (e.g. from an `rlcs backup` copy) or restart to begin a new database")

    def _stat(self) -> os.stat_result:
        try:
            return os.stat(self.path)
        except FileNotFoundError:
            raise StorageError(self._gone()) from None
        except OSError as err:
            raise StorageError(f"cannot reach the database file {self.path}: {err.strerror}; nothing was stored") from None

    def _check_file(self) -> None:
        """Before a COMMIT: is the file on disk still the one this connection writes, and writable?"""
        stat = self._stat()
        if (stat.st_dev, stat.st_ino) != getattr(self._local, "identity", None):
            raise StorageError(f"the database file {self.path} was replaced while serving; nothing was stored "
                               f"(the next write goes to the new file)")
        if not _writable(self.path):
            raise StorageError(f"the database file {self.path} became read-only; nothing was stored")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. A failure of any kind rolls it back; a storage failure (any sqlite3 error,
        a vanished or read-only file) also drops this thread's connection and surfaces as StorageError."""
        try:
            con = self.connection()
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            self.close()
            raise StorageError(f"cannot write to {self.path}: {_one_line(err)}; nothing was stored") from err
        try:
            yield con
            self._check_file()
            con.execute("COMMIT")
        except BaseException as err:
            try:
                if con.in_transaction:
                    con.execute("ROLLBACK")
            except sqlite3.Error:
                self.close()  # closing an open transaction rolls it back
            if isinstance(err, sqlite3.Error):
                self.close()
                raise StorageError(f"cannot write to {self.path}: {_one_line(err)}; nothing was stored") from err
            if isinstance(err, StorageError):
                self.close()
            raise

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            try:
                con.close()
            except sqlite3.Error:
                pass
            self._local.con = None

    # -- writes --------------------------------------------------------------------------------
    def log_turn(self, turn: Turn, user_text: str, context: list[tuple[str, str]], turn_index: int,
                 slots: dict | None = None, dropped: list | None = None, started: float | None = None) -> None:
        """Store a served turn with all its candidates, atomically; SessionEnded if its session was rated.

        `started` (a time.perf_counter() value: when the message came in) lets the stored latency include
        the storage stage up to the row's INSERT (masking, waiting for the write lock); only the last inserts
        and the COMMIT, well under a millisecond, fall outside it. Without it, turn.latency_ms["total"] is stored.
        """
        entered = time.perf_counter()
        now = time.time()
        masked_context = [[role, mask_pii(text)] for role, text in context]
        masked_slots = {k: mask_pii(str(v)) for k, v in (slots or {}).items()}
        with self.transaction() as con:
            con.execute("INSERT OR IGNORE INTO sessions (session_id, created_at) VALUES (?, ?)", (turn.session_id, now))
            if con.execute("SELECT ended_at FROM sessions WHERE session_id=?", (turn.session_id,)).fetchone()[0] is not None:
                raise SessionEnded(turn.session_id)
            latency = dict(turn.latency_ms)
            if started is not None:
                inserting = time.perf_counter()
                latency["storage"] = 1000 * (inserting - entered)
                latency["total"] = 1000 * (inserting - started)
            con.execute(
                "INSERT INTO turns VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (turn.turn_id, turn.session_id, turn_index, now, mask_pii(user_text), json.dumps(masked_context),
                 turn.intent, json.dumps(masked_slots), turn.chosen, turn.propensity, mask_pii(turn.text),
                 turn.policy_version, float(latency.get("total", 0.0)), json.dumps(latency),
                 json.dumps([[mask_pii(c.text), c.source, reason] for c, reason in (dropped or [])])),
            )
            con.executemany(
                "INSERT INTO candidates VALUES (?,?,?,?,?,?,?,?)",
                [(turn.turn_id, i, mask_pii(c.text), c.source, float(c.score), float(c.propensity), c.reward,
                  json.dumps(c.meta)) for i, c in enumerate(turn.candidates)],
            )

    def add_feedback(self, turn_id: str, thumb: int, reason: str | None = None, comment: str | None = None) -> None:
        """Record a thumb on a turn; a second vote on the same turn replaces the first."""
        if thumb not in (1, -1) or isinstance(thumb, bool):
            raise FeedbackError(f"thumb must be +1 or -1, got {thumb!r}")
        if reason is not None and reason not in REASONS:
            raise FeedbackError(f"unknown reason {reason!r}; use one of: {', '.join(REASONS)}")
        now = time.time()
        comment = mask_pii(comment) if comment else None
        with self.transaction() as con:
            if con.execute("SELECT 1 FROM turns WHERE turn_id = ?", (turn_id,)).fetchone() is None:
                raise FeedbackError(f"unknown turn_id {turn_id!r}")
            con.execute(
                "INSERT INTO feedback VALUES (?,?,?,?,?) ON CONFLICT(turn_id) DO UPDATE SET "
                "thumb=excluded.thumb, reason=excluded.reason, comment=excluded.comment, created_at=excluded.created_at",
                (turn_id, thumb, reason, comment, now),
            )
            con.execute("INSERT INTO feedback_events (turn_id, thumb, reason, comment, created_at) VALUES (?,?,?,?,?)",
                        (turn_id, thumb, reason, comment, now))

    def end_session(self, session_id: str, csat: int, resolved: bool, comment: str | None = None) -> bool:
        """Record the end-of-conversation satisfaction (1-5) and whether the problem was resolved; the session
        takes no more turns. The rating is given once: a later call is kept as a 'rating_changed' event in
        session_events and leaves sessions as it was. Returns True for the rating, False for a later change."""
        if isinstance(csat, bool) or not isinstance(csat, int) or not 1 <= csat <= 5:
            raise FeedbackError(f"csat must be an integer from 1 to 5, got {csat!r}")
        if not isinstance(resolved, bool):
            raise FeedbackError(f"resolved must be True or False, got {resolved!r}")
        now, comment = time.time(), mask_pii(comment) if comment else None
        with self.transaction() as con:
            row = con.execute("SELECT ended_at FROM sessions WHERE session_id=?", (session_id,)).fetchone()
            if row is None:
                raise FeedbackError(f"unknown session_id {session_id!r} (no turn was served in it)")
            first = row["ended_at"] is None
            if first:
                con.execute("UPDATE sessions SET ended_at=?, csat=?, resolved=?, comment=? WHERE session_id=?",
                            (now, csat, int(resolved), comment, session_id))
            con.execute("INSERT INTO session_events (session_id, kind, csat, resolved, comment, created_at) "
                        "VALUES (?,?,?,?,?,?)", (session_id, "rated" if first else "rating_changed", csat,
                                                  int(resolved), comment, now))
        return first

    def session_ended(self, session_id: str) -> bool:
        """Was this conversation rated and ended (so it takes no more turns)?"""
        rows = self.query("SELECT ended_at FROM sessions WHERE session_id=?", (session_id,))
        return bool(rows) and rows[0]["ended_at"] is not None

    # -- reads ---------------------------------------------------------------------------------
    def query(self, sql: str, params: tuple = ()) -> list[dict]:
        try:
            return [dict(row) for row in self.connection().execute(sql, params).fetchall()]
        except sqlite3.ProgrammingError:  # misuse of the API, not a storage fault
            raise
        except sqlite3.Error as err:
            self.close()
            raise StorageError(f"cannot read {self.path}: {_one_line(err)}") from err

    def session_history(self, session_id: str) -> list[tuple[str, str]]:
        """The (masked) conversation of a session, to resume it after a restart."""
        history = []
        for row in self.query("SELECT user_text, reply_text FROM turns WHERE session_id=? ORDER BY turn_index", (session_id,)):
            history += [("customer", row["user_text"]), ("bot", row["reply_text"])]
        return history

    def logged_turns(self) -> list[dict]:
        """Every turn with its candidates, feedback and the session's outcome: the unit of learning."""
        turns = self.query(
            "SELECT t.*, f.thumb, f.reason AS thumb_reason, s.csat, s.resolved FROM turns t "
            "LEFT JOIN feedback f USING (turn_id) JOIN sessions s USING (session_id) "
            "ORDER BY t.created_at, t.turn_index"
        )
        candidates: dict[str, list[dict]] = {}
        for row in self.query("SELECT * FROM candidates ORDER BY turn_id, idx"):
            row["meta"] = json.loads(row["meta"])
            candidates.setdefault(row["turn_id"], []).append(row)
        for turn in turns:
            for key in ("context", "slots", "latency", "dropped"):
                turn[key] = json.loads(turn[key])
            turn["candidates"] = candidates.get(turn["turn_id"], [])
        return turns

    def to_dataset(self):
        """All logged turns as a `datasets.Dataset` (candidates as parallel lists)."""
        from datasets import Dataset

        rows = []
        for t in self.logged_turns():
            rows.append({
                "turn_id": t["turn_id"], "session_id": t["session_id"], "turn_index": t["turn_index"],
                "context": [f"{role}: {text}" for role, text in t["context"]], "user_text": t["user_text"],
                "intent": t["intent"] or "", "candidates": [c["text"] for c in t["candidates"]],
                "sources": [c["source"] for c in t["candidates"]], "scores": [c["score"] for c in t["candidates"]],
                "propensities": [c["propensity"] for c in t["candidates"]],
                "rewards": [c["reward"] if c["reward"] is not None else float("nan") for c in t["candidates"]],
                "chosen": t["chosen"], "propensity": t["propensity"], "reply": t["reply_text"],
                "policy_version": t["policy_version"], "thumb": t["thumb"] or 0, "thumb_reason": t["thumb_reason"] or "",
                "csat": t["csat"] or 0, "resolved": -1 if t["resolved"] is None else t["resolved"],
            })
        return Dataset.from_list(rows) if rows else Dataset.from_dict({k: [] for k in (
            "turn_id", "session_id", "turn_index", "context", "user_text", "intent", "candidates", "sources",
            "scores", "propensities", "rewards", "chosen", "propensity", "reply", "policy_version", "thumb",
            "thumb_reason", "csat", "resolved")})
