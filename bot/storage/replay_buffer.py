"""ReplayBuffer: the durable record of every turn (with ALL its candidates) and every piece of feedback.

On SQLite (the default: one file in WAL mode, nothing to start) or PostgreSQL (`postgresql://...`: several
serving replicas share it); bot/storage/engine.py holds what differs. Each write is one transaction: it is
either all there or not there at all, and a write method returns only after its COMMIT (that is the
acknowledgement). On SQLite, with `synchronous=NORMAL` (the default) a committed write survives the process
being killed; `durability="full"` also survives power loss, at the cost of an fsync per write. Text is
PII-masked here, on the way in, so nothing unmasked ever reaches the database.

Faults: any storage error (disk full or I/O error, read-only file, locked too long, file deleted, PostgreSQL
unreachable or restarted) surfaces as `StorageError` with a one-line message, after the transaction was rolled
back and the broken connection dropped, so the next call opens a fresh one: a transient fault heals without a
restart. On SQLite, before each COMMIT the file is checked to still be the one the connection opened, and
writable: an open connection would otherwise keep "committing" into a deleted file (acknowledged, then lost)
or past a chmod. A file that is gone is not re-created behind the operator's back (that would hide the loss):
writes are refused until the file is restored (`rlcs backup` makes a copy to restore from) or the bot is
restarted on a new one.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from bot.candidate import Turn
from bot.pii import mask_pii
from bot.storage.engine import StorageError, migrate, one_line, open_engine
from bot.storage.schema import MIGRATIONS, REPLAY

REASONS = ("wrong_info", "not_helpful", "rude", "too_long", "didnt_understand", "other")

SCHEMA = REPLAY  # the replay tables (bot/storage/schema.py holds every migration)


class FeedbackError(ValueError):
    """Feedback that cannot be stored (unknown turn or session, value out of range). Nothing was written."""


class SessionEnded(ValueError):
    """A turn for a conversation that was already rated and ended. Nothing was written; safe to show."""

    def __init__(self, session_id: str):
        super().__init__("This conversation has ended. Please start a new conversation to keep chatting.")
        self.session_id = session_id


class ReplayBuffer:
    """The replay buffer on either engine: `db` is a SQLite file path or a postgresql:// URL."""

    def __init__(self, path: str | Path, durability: str = "normal"):
        self.db = str(path)
        # The store's own published contact details (support phone and email): no customer's personal data, so
        # masking leaves them in the bot's replies. The Bot sets them from its knowledge base.
        self.public_details: tuple[str, ...] = ()
        self.engine = open_engine(self.db, durability)
        self.durability = durability
        try:
            migrate(self.engine, MIGRATIONS)  # one write transaction: also proves a write lock can be taken
        except StorageError as err:
            self.close()
            raise StorageError(f"cannot use {self.engine.location} as the replay database: {err}") from None
        except sqlite3.Error as err:
            self.close()
            raise StorageError(f"cannot use {self.engine.location} as the replay database: {one_line(err)}") from err

    @property
    def is_postgres(self) -> bool:
        return self.engine.name == "postgresql"

    @property
    def path(self) -> Path:
        """The SQLite file; for PostgreSQL, a local file beside the runs folder (RLCS_SIDE_DB, default
        runs/postgres-side.sqlite3) for what does not live on the server yet (login accounts)."""
        if self.engine.path is not None:
            return self.engine.path
        return Path(os.environ.get("RLCS_SIDE_DB") or "runs/postgres-side.sqlite3")

    @property
    def folder(self) -> Path:
        """Where files derived from this database go (plots, exports): the SQLite file's folder, or runs/."""
        return self.path.parent

    # -- connections ---------------------------------------------------------------------------
    def connection(self, create: bool = False) -> sqlite3.Connection:
        """SQLite only: this thread's connection (sqlite3 connections must not be shared across threads)."""
        if self.is_postgres:
            raise TypeError("connection() is SQLite's; use transaction() or reading() on any engine")
        return self.engine.connection(create)

    def transaction(self, lock: str | None = None):
        """One write transaction (a context manager yielding a connection with execute/executemany in SQLite's
        dialect). A failure of any kind rolls it back; a storage failure surfaces as StorageError. `lock`
        names what the transaction reads-then-writes (a conversation), so PostgreSQL serialises only those."""
        return self.engine.transaction(lock)

    def reading(self):
        """A connection for several consistent-enough reads (no write lock)."""
        return self.engine.reading()

    def close(self) -> None:
        self.engine.close()

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
        public = self.public_details
        masked_context = [[role, mask_pii(text, public)] for role, text in context]
        masked_slots = {k: mask_pii(str(v)) for k, v in (slots or {}).items()}
        with self.transaction(lock=f"session:{turn.session_id}") as con:
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
                 turn.intent, json.dumps(masked_slots), turn.chosen, turn.propensity, mask_pii(turn.text, public),
                 turn.policy_version, float(latency.get("total", 0.0)), json.dumps(latency),
                 json.dumps([[mask_pii(c.text, public), c.source, reason] for c, reason in (dropped or [])])),
            )
            con.executemany(
                "INSERT INTO candidates VALUES (?,?,?,?,?,?,?,?)",
                [(turn.turn_id, i, mask_pii(c.text, public), c.source, float(c.score), float(c.propensity), c.reward,
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
        with self.transaction(lock=f"turn:{turn_id}") as con:
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
        with self.transaction(lock=f"session:{session_id}") as con:
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

    def turn_count(self, session_id: str) -> int:
        """How many turns of this conversation are stored (a replica compares it with what it holds in memory)."""
        return self.query("SELECT COUNT(*) AS n FROM turns WHERE session_id=?", (session_id,))[0]["n"]

    # -- reads ---------------------------------------------------------------------------------
    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Rows as dicts; SQL in SQLite's dialect (`?` / `:name`), translated for PostgreSQL."""
        return self.engine.query(sql, params)

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
            "ORDER BY t.created_at, t.turn_index, t.turn_id"
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
