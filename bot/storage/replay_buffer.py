"""ReplayBuffer: the durable record of every turn (with ALL its candidates) and every piece of feedback.

SQLite in WAL mode. Each write is one transaction: it is either all there or not there at all.
With `synchronous=NORMAL` (the default) a committed write survives the process being killed;
`durability="full"` also survives power loss, at the cost of an fsync per write.
Text is PII-masked here, on the way in, so nothing unmasked ever reaches the file.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bot.candidate import Turn
from bot.text import mask_pii

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


class ReplayBuffer:
    def __init__(self, path: str | Path, durability: str = "normal"):
        if durability not in ("normal", "full"):
            raise ValueError("durability must be 'normal' or 'full'")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.durability = durability
        self._local = threading.local()
        self.connection().executescript(SCHEMA)  # idempotent; executescript manages its own transaction

    # -- connections ---------------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """One connection per thread (sqlite3 connections must not be shared across threads)."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(f"PRAGMA synchronous={self.durability.upper()}")
            con.execute("PRAGMA foreign_keys=ON")
            self._local.con = con
        return con

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        con = self.connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # -- writes --------------------------------------------------------------------------------
    def log_turn(self, turn: Turn, user_text: str, context: list[tuple[str, str]], turn_index: int,
                 slots: dict | None = None, dropped: list | None = None) -> None:
        """Store a served turn with all its candidates, atomically."""
        now = time.time()
        masked_context = [[role, mask_pii(text)] for role, text in context]
        masked_slots = {k: mask_pii(str(v)) for k, v in (slots or {}).items()}
        with self.transaction() as con:
            con.execute("INSERT OR IGNORE INTO sessions (session_id, created_at) VALUES (?, ?)", (turn.session_id, now))
            con.execute(
                "INSERT INTO turns VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (turn.turn_id, turn.session_id, turn_index, now, mask_pii(user_text), json.dumps(masked_context),
                 turn.intent, json.dumps(masked_slots), turn.chosen, turn.propensity, mask_pii(turn.text),
                 turn.policy_version, float(turn.latency_ms.get("total", 0.0)), json.dumps(turn.latency_ms),
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

    def end_session(self, session_id: str, csat: int, resolved: bool, comment: str | None = None) -> None:
        """Record the end-of-conversation satisfaction (1-5) and whether the problem was resolved."""
        if isinstance(csat, bool) or not isinstance(csat, int) or not 1 <= csat <= 5:
            raise FeedbackError(f"csat must be an integer from 1 to 5, got {csat!r}")
        if not isinstance(resolved, bool):
            raise FeedbackError(f"resolved must be True or False, got {resolved!r}")
        with self.transaction() as con:
            updated = con.execute(
                "UPDATE sessions SET ended_at=?, csat=?, resolved=?, comment=? WHERE session_id=?",
                (time.time(), csat, int(resolved), mask_pii(comment) if comment else None, session_id),
            ).rowcount
            if not updated:
                raise FeedbackError(f"unknown session_id {session_id!r} (no turn was served in it)")

    # -- reads ---------------------------------------------------------------------------------
    def query(self, sql: str, params: tuple = ()) -> list[dict]:
        return [dict(row) for row in self.connection().execute(sql, params).fetchall()]

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
