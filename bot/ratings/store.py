"""RatingStore: blind side-by-side rating sessions, kept in the replay buffer's own database.

A session is a list of items: a conversation so far and K candidate replies (from logged turns, or
from a JSONL file). Raters ask for their next item; each item goes to `overlap` different raters,
never twice to the same rater, with the replies in a fresh random order per rater and their
sources and scores never sent to the browser. A rater scores every reply 1-5 (or ranks them),
names reasons for low scores, and may comment. Everything is checked before anything is written,
and a submission is one transaction: it is all there or not there at all.

    store = RatingStore(bot.storage.replay_buffer)                     # or RatingStore("runs/replay.sqlite3")
    store.create_session_from_jsonl("items.jsonl", "pilot", overlap=2)
    item = store.next_item("pilot", "alice")            # RaterItem or None when she is done
    store.submit("alice", item.item_id, scores=[4, 2, 5], reasons=[[], ["too_long"], []])
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.storage.replay_buffer import REASONS, ReplayBuffer
from bot.storage.schema import RATINGS
from bot.pii import mask_pii

MAX_CANDIDATES = 8  # the Rate tab has this many reply slots
MODES = ("score", "rank")
LOW_SCORE = 2  # scores at or below this need a reason (when the session asks for them)
MAX_COMMENT_CHARS = 2000
LEASE_S = 3600.0  # an unsubmitted assignment older than this no longer holds a slot for its item
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")
_ROLES = {"customer": "customer", "user": "customer", "human": "customer",
          "bot": "bot", "assistant": "bot", "agent": "bot"}

SCHEMA = RATINGS  # the rating tables: migration 2 in bot/storage/schema.py, run when the database opens


class RatingError(ValueError):
    """A rating action that cannot be done (bad value, unknown item, double submission). Nothing was written."""


@dataclass
class RaterItem:
    """What a rater sees: the conversation and the replies in her own shuffled order, nothing else."""

    session_id: str
    item_id: str
    position: int  # this is item `position` of `total` for this rater
    total: int
    mode: str
    context: list[tuple[str, str]]
    replies: list[str] = field(default_factory=list)
    require_reasons: bool = True


def _check_id(value, what: str) -> str:
    text = str(value).strip() if value is not None else ""
    if not _ID.match(text):
        raise RatingError(f"{what} must be 1-64 letters, digits or . _ @ + - (starting with a letter or digit), "
                          f"got {value!r}")
    return text


def _normalise_item(raw, where: str, public: tuple[str, ...] = ()) -> dict:
    """One item from JSONL or the replay buffer into {'id', 'turn_id', 'context', 'candidates'}; personal data is
    masked, the store's own contact details (`public`) are not."""
    if not isinstance(raw, dict):
        raise RatingError(f"{where}: an item must be a JSON object")
    context = raw.get("context", raw.get("messages", raw.get("prompt")))
    if isinstance(context, str):
        context = [["customer", context]]
    if not isinstance(context, list) or not context:
        raise RatingError(f"{where}: 'context' must be the conversation so far: a non-empty list of "
                          "[role, text] pairs or {'role', 'content'} objects (or a single customer message)")
    turns = []
    for j, message in enumerate(context):
        role, text = (message.get("role"), message.get("content")) if isinstance(message, dict) else (
            message if isinstance(message, (list, tuple)) and len(message) == 2 else (None, None))
        if role not in _ROLES or not isinstance(text, str) or not text.strip():
            raise RatingError(f"{where}: context message {j + 1} needs a role (customer/user or bot/assistant) "
                              "and non-empty text")
        turns.append([_ROLES[role], mask_pii(text.strip(), public)])
    candidates = raw.get("candidates")
    if not isinstance(candidates, list) or not 2 <= len(candidates) <= MAX_CANDIDATES:
        raise RatingError(f"{where}: 'candidates' must be a list of 2 to {MAX_CANDIDATES} replies")
    out, seen = [], set()
    for j, c in enumerate(candidates):
        c = {"text": c} if isinstance(c, str) else c
        if not isinstance(c, dict) or not isinstance(c.get("text"), str) or not c["text"].strip():
            raise RatingError(f"{where}: candidate {j + 1} needs non-empty 'text'")
        text = mask_pii(c["text"].strip(), public)
        if text in seen:
            raise RatingError(f"{where}: candidate {j + 1} repeats an earlier candidate's text")
        seen.add(text)
        score = c.get("score")
        out.append({"text": text, "source": str(c.get("source") or "unknown"),
                    "policy_version": None if c.get("policy_version") is None else str(c["policy_version"]),
                    "chosen": None if c.get("chosen") is None else int(bool(c["chosen"])),
                    "score": None if score is None else float(score)})
    return {"id": None if raw.get("id") is None else str(raw["id"]), "turn_id": raw.get("turn_id"),
            "context": turns, "candidates": out}


def load_items_jsonl(path: str | Path, public: tuple[str, ...] = ()) -> list[dict]:
    """Read rating items from JSONL, one object per line; errors name the line."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no items file at {path}")
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as err:
            raise RatingError(f"{path.name} line {n}: not valid JSON ({err.msg})") from None
        items.append(_normalise_item(raw, f"{path.name} line {n}", public))
    if not items:
        raise RatingError(f"{path.name} holds no items")
    return items


class RatingStore:
    def __init__(self, replay: ReplayBuffer | str | Path):
        # Same database, same transaction discipline as the replay buffer; its migrations made the tables.
        self.replay = replay if isinstance(replay, ReplayBuffer) else ReplayBuffer(replay)

    # -- admin: sessions -----------------------------------------------------------------------
    def create_session(self, session_id: str | None, items: list[dict], mode: str = "score", overlap: int = 2,
                       quota: int | None = None, require_reasons: bool = True, source: str = "jsonl") -> str:
        """Create a session from normalised items (see `load_items_jsonl`); returns its id."""
        session_id = _check_id(session_id or time.strftime("session-%Y%m%d-%H%M%S"), "session id")
        if mode not in MODES:
            raise RatingError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if isinstance(overlap, bool) or not isinstance(overlap, int) or overlap < 2:
            raise RatingError(f"overlap (raters per item) must be a whole number >= 2, so that agreement can be "
                              f"measured; got {overlap!r}")
        if quota is not None and (isinstance(quota, bool) or not isinstance(quota, int) or quota < 1):
            raise RatingError(f"quota (items per rater) must be a whole number >= 1 or empty, got {quota!r}")
        if not items:
            raise RatingError("a rating session needs at least one item")
        items = [_normalise_item(item, f"item {n}", self.replay.public_details) for n, item in enumerate(items, 1)]
        now = time.time()
        with self.replay.transaction() as con:
            if con.execute("SELECT 1 FROM rating_sessions WHERE session_id=?", (session_id,)).fetchone():
                raise RatingError(f"a rating session called {session_id!r} already exists")
            con.execute("INSERT INTO rating_sessions VALUES (?,?,?,?,?,?,?,NULL)",
                        (session_id, mode, overlap, quota, int(require_reasons), source, now))
            for position, item in enumerate(items, 1):
                item_id = f"{session_id}:{position}"
                digest = hashlib.sha256(json.dumps([item["context"], sorted(c["text"] for c in item["candidates"])])
                                        .encode()).hexdigest()
                con.execute("INSERT INTO rating_items VALUES (?,?,?,?,?,?,?)",
                            (item_id, session_id, position, item["id"], item["turn_id"], json.dumps(item["context"]),
                             digest))
                con.executemany("INSERT INTO rating_candidates VALUES (?,?,?,?,?,?,?)",
                                [(item_id, j, c["text"], c["source"], c["policy_version"], c["chosen"], c["score"])
                                 for j, c in enumerate(item["candidates"])])
        return session_id

    def create_session_from_jsonl(self, path: str | Path, session_id: str | None = None, **options) -> str:
        items = load_items_jsonl(path, self.replay.public_details)
        return self.create_session(session_id or Path(path).stem, items, source=f"jsonl:{Path(path).name}", **options)

    def replay_items(self, n_items: int = 20, max_candidates: int = 4, seed: int = 0,
                     include_rated: bool = False) -> list[dict]:
        """Items from logged turns: the served reply plus the best-scored alternatives, up to max_candidates.

        Only turns with at least two different candidate texts qualify; turns already in a rating
        session are left out unless `include_rated`.
        """
        if not 2 <= max_candidates <= MAX_CANDIDATES:
            raise RatingError(f"max candidates must be between 2 and {MAX_CANDIDATES}, got {max_candidates!r}")
        if n_items < 1:
            raise RatingError(f"number of items must be >= 1, got {n_items!r}")
        rated = {r["turn_id"] for r in self.replay.query("SELECT turn_id FROM rating_items WHERE turn_id IS NOT NULL")}
        eligible = []
        for turn in self.replay.logged_turns():
            if turn["turn_id"] in rated and not include_rated:
                continue
            ordered = sorted(turn["candidates"], key=lambda c: (c["idx"] != turn["chosen"], -c["score"]))
            picked, seen = [], set()
            for c in ordered:
                if c["text"] not in seen and len(picked) < max_candidates:
                    seen.add(c["text"])
                    chosen = c["idx"] == turn["chosen"]
                    picked.append({"text": c["text"], "source": c["source"], "score": c["score"], "chosen": chosen,
                                   "policy_version": turn["policy_version"] if chosen else None})
            if len(picked) >= 2:
                context = [list(pair) for pair in turn["context"]] + [["customer", turn["user_text"]]]
                eligible.append({"id": turn["turn_id"], "turn_id": turn["turn_id"], "context": context,
                                 "candidates": picked})
        if not eligible:
            raise RatingError("the replay buffer has no logged turn with two or more different candidates to rate"
                              + ("" if include_rated else " that is not already in a rating session"))
        return random.Random(seed).sample(eligible, min(n_items, len(eligible)))

    def create_session_from_replay(self, session_id: str | None = None, n_items: int = 20, max_candidates: int = 4,
                                   seed: int = 0, **options) -> str:
        items = self.replay_items(n_items, max_candidates, seed)
        return self.create_session(session_id, items, source="replay", **options)

    def close_session(self, session_id: str) -> None:
        with self.replay.transaction() as con:
            if not con.execute("UPDATE rating_sessions SET closed_at=? WHERE session_id=? AND closed_at IS NULL",
                               (time.time(), session_id)).rowcount:
                raise RatingError(f"no open rating session {session_id!r}")

    def sessions(self) -> list[dict]:
        """Every session with its progress: items, submissions, items fully rated, raters."""
        return self.replay.query(
            "SELECT s.session_id, s.mode, s.overlap, s.quota, s.source, s.created_at, s.closed_at, "
            "(SELECT COUNT(*) FROM rating_items i WHERE i.session_id=s.session_id) AS items, "
            "(SELECT COUNT(*) FROM rating_assignments a WHERE a.session_id=s.session_id AND a.submitted_at IS NOT NULL)"
            " AS submissions, "
            "(SELECT COUNT(DISTINCT a.rater_id) FROM rating_assignments a WHERE a.session_id=s.session_id) AS raters, "
            "(SELECT COUNT(*) FROM rating_items i WHERE i.session_id=s.session_id AND (SELECT COUNT(*) FROM "
            "rating_assignments a WHERE a.item_id=i.item_id AND a.submitted_at IS NOT NULL) >= s.overlap) AS complete "
            "FROM rating_sessions s ORDER BY s.created_at")

    def open_sessions(self) -> list[str]:
        return [r["session_id"] for r in self.replay.query(
            "SELECT session_id FROM rating_sessions WHERE closed_at IS NULL ORDER BY created_at")]

    def raters(self, session_id: str | None = None) -> list[dict]:
        """Per rater (and session): items assigned, submitted, and time of the last submission. Admin only."""
        where, params = ("WHERE session_id=?", (session_id,)) if session_id else ("", ())
        return self.replay.query(
            f"SELECT session_id, rater_id, COUNT(*) AS assigned, COUNT(submitted_at) AS submitted, "
            f"MAX(submitted_at) AS last_submitted_at FROM rating_assignments {where} "
            f"GROUP BY session_id, rater_id ORDER BY session_id, rater_id", params)

    # -- raters --------------------------------------------------------------------------------
    def _session(self, con, session_id: str):
        row = con.execute("SELECT * FROM rating_sessions WHERE session_id=?", (session_id,)).fetchone()
        if row is None:
            raise RatingError(f"unknown rating session {session_id!r}")
        return row

    _AVAILABLE = """
        FROM rating_items i
        WHERE i.session_id = :session
          AND NOT EXISTS (SELECT 1 FROM rating_assignments a JOIN rating_items j ON j.item_id = a.item_id
                          WHERE a.rater_id = :rater AND (a.item_id = i.item_id OR j.content_hash = i.content_hash))
          AND (SELECT COUNT(*) FROM rating_assignments a WHERE a.item_id = i.item_id
               AND (a.submitted_at IS NOT NULL OR a.assigned_at > :stale)) < :overlap
    """

    def _progress(self, con, session, rater_id: str) -> tuple[int, int, int]:
        """(submitted, pending, total this rater can expect) in the session."""
        submitted, assigned = con.execute(
            "SELECT COUNT(submitted_at), COUNT(*) FROM rating_assignments WHERE session_id=? AND rater_id=?",
            (session["session_id"], rater_id)).fetchone()
        available = con.execute("SELECT COUNT(*) " + self._AVAILABLE, {
            "session": session["session_id"], "rater": rater_id, "stale": time.time() - LEASE_S,
            "overlap": session["overlap"]}).fetchone()[0]
        if session["closed_at"] is not None:
            available = 0
        if session["quota"] is not None:
            available = max(0, min(available, session["quota"] - assigned))
        return submitted, assigned - submitted, assigned + available

    def progress(self, session_id: str, rater_id: str) -> tuple[int, int]:
        """(items this rater has submitted, items she can expect in total)."""
        rater_id = _check_id(rater_id, "rater id")
        with self.replay.reading() as con:
            done, _, total = self._progress(con, self._session(con, session_id), rater_id)
        return done, total

    def next_item(self, session_id: str, rater_id: str) -> RaterItem | None:
        """The rater's unfinished item, or a new one; None when there is nothing left for her."""
        rater_id = _check_id(rater_id, "rater id")
        with self.replay.transaction() as con:
            session = self._session(con, session_id)
            row = con.execute("SELECT item_id, display_order FROM rating_assignments WHERE session_id=? "
                              "AND rater_id=? AND submitted_at IS NULL ORDER BY assigned_at LIMIT 1",
                              (session_id, rater_id)).fetchone()
            if row is None:
                if session["closed_at"] is not None:
                    return None
                done, pending, total = self._progress(con, session, rater_id)
                if done + pending >= total:
                    return None
                # Prefer items other raters have started, so items reach full overlap early.
                pick = con.execute(
                    "SELECT i.item_id, "
                    "(SELECT COUNT(*) FROM rating_assignments a WHERE a.item_id = i.item_id) AS taken "
                    + self._AVAILABLE + " ORDER BY taken DESC, i.position LIMIT 1",
                    {"session": session_id, "rater": rater_id, "stale": time.time() - LEASE_S,
                     "overlap": session["overlap"]}).fetchone()
                if pick is None:
                    return None
                n = con.execute("SELECT COUNT(*) FROM rating_candidates WHERE item_id=?",
                                (pick["item_id"],)).fetchone()[0]
                order = list(range(n))
                random.SystemRandom().shuffle(order)  # blind: a fresh order for every rater
                con.execute("INSERT INTO rating_assignments VALUES (?,?,?,?,?,NULL,NULL)",
                            (pick["item_id"], rater_id, session_id, json.dumps(order), time.time()))
                row = {"item_id": pick["item_id"], "display_order": json.dumps(order)}
            done, _, total = self._progress(con, session, rater_id)
            item = con.execute("SELECT context FROM rating_items WHERE item_id=?", (row["item_id"],)).fetchone()
            texts = {r["idx"]: r["text"] for r in con.execute(
                "SELECT idx, text FROM rating_candidates WHERE item_id=?", (row["item_id"],))}
        return RaterItem(session_id=session_id, item_id=row["item_id"], position=done + 1, total=total,
                         mode=session["mode"], context=[tuple(m) for m in json.loads(item["context"])],
                         replies=[texts[i] for i in json.loads(row["display_order"])],
                         require_reasons=bool(session["require_reasons"]))

    def submit(self, rater_id: str, item_id: str, scores: list | None = None, ranks: list | None = None,
               reasons: list | None = None, comment: str | None = None) -> dict:
        """Store one rater's judgement of one item; lists are in the order the rater saw the replies.

        Checks everything first (rater, item, assignment, not yet submitted, every value in range,
        reasons from the taxonomy and given for low scores) and then writes in one transaction.
        """
        rater_id = _check_id(rater_id, "rater id")
        with self.replay.transaction() as con:
            item = con.execute("SELECT session_id FROM rating_items WHERE item_id=?", (str(item_id),)).fetchone()
            if item is None:
                raise RatingError(f"unknown item {item_id!r}")
            session = self._session(con, item["session_id"])
            if session["closed_at"] is not None:
                raise RatingError(f"rating session {session['session_id']!r} is closed")
            assignment = con.execute("SELECT display_order, submitted_at FROM rating_assignments "
                                     "WHERE item_id=? AND rater_id=?", (item_id, rater_id)).fetchone()
            if assignment is None:
                raise RatingError(f"item {item_id!r} was not given to rater {rater_id!r}")
            if assignment["submitted_at"] is not None:
                raise RatingError(f"rater {rater_id!r} already submitted item {item_id!r}; a judgement cannot be "
                                  "submitted twice")
            order = json.loads(assignment["display_order"])
            k = len(order)
            label = lambda slot: f"reply {chr(ord('A') + slot)}"  # noqa: E731
            values = scores if session["mode"] == "score" else ranks
            other = ranks if session["mode"] == "score" else scores
            if other is not None and any(v is not None for v in other):
                raise RatingError(f"this session asks for {session['mode']}s only")
            if not isinstance(values, (list, tuple)) or len(values) != k:
                raise RatingError(f"give a {session['mode']} for each of the {k} replies")
            for slot, v in enumerate(values):
                if v is None:
                    raise RatingError(f"{label(slot)} has no {session['mode']} yet")
                top = 5 if session["mode"] == "score" else k
                if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= top:
                    raise RatingError(f"{label(slot)}: a {session['mode']} must be a whole number from 1 to {top}, "
                                      f"got {v!r}")
            if session["mode"] == "rank" and sorted(values) != list(range(1, k + 1)):
                raise RatingError(f"ranks must use each of 1 to {k} exactly once (1 = best), got {list(values)}")
            reasons = [[] for _ in range(k)] if reasons is None else reasons
            if not isinstance(reasons, (list, tuple)) or len(reasons) != k:
                raise RatingError(f"give a (possibly empty) list of reasons for each of the {k} replies")
            for slot, rs in enumerate(reasons):
                rs = rs or []
                unknown = [r for r in rs if r not in REASONS]
                if unknown:
                    raise RatingError(f"{label(slot)}: unknown reason {unknown[0]!r}; use one of: {', '.join(REASONS)}")
                low = values[slot] <= LOW_SCORE if session["mode"] == "score" else False
                if low and session["require_reasons"] and not rs:
                    raise RatingError(f"{label(slot)} scored {values[slot]}: pick at least one reason for a score of "
                                      f"{LOW_SCORE} or less")
            if comment is not None and not isinstance(comment, str):
                raise RatingError("comment must be text")
            comment = (comment or "").strip()
            if len(comment) > MAX_COMMENT_CHARS:
                raise RatingError(f"comment is {len(comment)} characters; the limit is {MAX_COMMENT_CHARS}")
            now = time.time()
            con.execute("UPDATE rating_assignments SET submitted_at=?, comment=? WHERE item_id=? AND rater_id=?",
                        (now, mask_pii(comment) if comment else None, item_id, rater_id))
            con.executemany("INSERT INTO rating_scores VALUES (?,?,?,?,?,?,?)", [
                (item_id, rater_id, order[slot], values[slot] if session["mode"] == "score" else None,
                 values[slot] if session["mode"] == "rank" else None, json.dumps(sorted(set(reasons[slot] or []))), now)
                for slot in range(k)])
        return {"item_id": item_id, "rater_id": rater_id, "session_id": session["session_id"], "n": k}

    def my_ratings(self, session_id: str, rater_id: str) -> list[dict]:
        """A rater's own submitted judgements (never anyone else's), in the order she gave them."""
        rater_id = _check_id(rater_id, "rater id")
        rows = self.replay.query(
            "SELECT a.item_id, a.display_order, a.submitted_at, a.comment FROM rating_assignments a "
            "WHERE a.session_id=? AND a.rater_id=? AND a.submitted_at IS NOT NULL ORDER BY a.submitted_at",
            (session_id, rater_id))
        out = []
        for n, row in enumerate(rows, 1):
            given = {r["idx"]: r for r in self.replay.query(
                "SELECT idx, score, rank, reasons FROM rating_scores WHERE item_id=? AND rater_id=?",
                (row["item_id"], rater_id))}
            marks = []
            for slot, idx in enumerate(json.loads(row["display_order"])):
                g = given[idx]
                value = g["score"] if g["score"] is not None else f"#{g['rank']}"
                why = json.loads(g["reasons"])
                marks.append(f"{chr(ord('A') + slot)}: {value}" + (f" ({', '.join(why)})" if why else ""))
            out.append({"n": n, "item_id": row["item_id"], "judgement": "; ".join(marks),
                        "comment": row["comment"] or "", "submitted_at": row["submitted_at"]})
        return out

    # -- analysis --------------------------------------------------------------------------------
    def rating_rows(self, session_id: str | None = None) -> list[dict]:
        """One row per (item, rater, candidate) judgement, with the candidate's hidden source and version."""
        where, params = ("WHERE s.session_id=?", (session_id,)) if session_id else ("", ())
        rows = self.replay.query(
            "SELECT s.session_id, s.mode, r.item_id, r.rater_id, r.idx, r.score, r.rank, r.reasons, "
            "c.text, c.source, c.policy_version, c.chosen, i.context, i.turn_id, "
            "(SELECT COUNT(*) FROM rating_candidates k WHERE k.item_id=r.item_id) AS n_candidates "
            "FROM rating_scores r JOIN rating_items i ON i.item_id=r.item_id "
            "JOIN rating_sessions s ON s.session_id=i.session_id "
            "JOIN rating_candidates c ON c.item_id=r.item_id AND c.idx=r.idx "
            f"{where} ORDER BY s.created_at, i.position, r.rater_id, r.idx", params)
        for row in rows:
            row["reasons"] = json.loads(row["reasons"])
            row["context"] = [tuple(m) for m in json.loads(row["context"])]
            # One "higher is better" value for agreement and comparisons: the score, or the reversed rank.
            row["value"] = row["score"] if row["mode"] == "score" else row["n_candidates"] + 1 - row["rank"]
        return rows
