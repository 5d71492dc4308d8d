"""The schema of the replay database, as numbered migrations both engines run (bot/storage/engine.py).

Written in SQLite's dialect; the PostgreSQL engine translates the types. A migration is never edited once
shipped: a change to the schema is a new entry at the end, and `schema_version` records which ran.
Migrations 1 and 2 use IF NOT EXISTS, so a database made before migrations existed takes them as they are.
"""

REPLAY = """
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

RATINGS = """
CREATE TABLE IF NOT EXISTS rating_sessions (
    session_id      TEXT PRIMARY KEY,
    mode            TEXT NOT NULL CHECK (mode IN ('score', 'rank')),
    overlap         INTEGER NOT NULL CHECK (overlap >= 2),
    quota           INTEGER CHECK (quota >= 1),          -- most items one rater gets, NULL = no limit
    require_reasons INTEGER NOT NULL CHECK (require_reasons IN (0, 1)),
    source          TEXT NOT NULL,                       -- 'replay' or 'jsonl:<file name>'
    created_at      REAL NOT NULL,
    closed_at       REAL
);
CREATE TABLE IF NOT EXISTS rating_items (
    item_id      TEXT PRIMARY KEY,                       -- '<session_id>:<position>'
    session_id   TEXT NOT NULL REFERENCES rating_sessions(session_id),
    position     INTEGER NOT NULL,
    external_id  TEXT,                                   -- the JSONL 'id', if any
    turn_id      TEXT,                                   -- the logged turn it came from, if any
    context      TEXT NOT NULL,                          -- JSON [[role, text], ...], last = the customer
    content_hash TEXT NOT NULL,                          -- a rater never sees the same content twice
    UNIQUE (session_id, position)
);
CREATE TABLE IF NOT EXISTS rating_candidates (
    item_id        TEXT NOT NULL REFERENCES rating_items(item_id),
    idx            INTEGER NOT NULL,
    text           TEXT NOT NULL,
    source         TEXT NOT NULL,                        -- hidden from raters
    policy_version TEXT,
    chosen         INTEGER,                              -- 1 = the reply the policy served, 0 = not, NULL = unknown
    score          REAL,                                 -- the drafter's score, hidden from raters
    PRIMARY KEY (item_id, idx)
);
CREATE TABLE IF NOT EXISTS rating_assignments (
    item_id       TEXT NOT NULL REFERENCES rating_items(item_id),
    rater_id      TEXT NOT NULL,
    session_id    TEXT NOT NULL REFERENCES rating_sessions(session_id),
    display_order TEXT NOT NULL,                         -- JSON: display slot -> candidate idx
    assigned_at   REAL NOT NULL,
    submitted_at  REAL,
    comment       TEXT,
    PRIMARY KEY (item_id, rater_id)
);
CREATE TABLE IF NOT EXISTS rating_scores (
    item_id    TEXT NOT NULL,
    rater_id   TEXT NOT NULL,
    idx        INTEGER NOT NULL,                         -- candidate idx, not display slot
    score      INTEGER CHECK (score BETWEEN 1 AND 5),
    rank       INTEGER CHECK (rank >= 1),
    reasons    TEXT NOT NULL,                            -- JSON list from the reasons taxonomy
    created_at REAL NOT NULL,
    PRIMARY KEY (item_id, rater_id, idx),
    FOREIGN KEY (item_id, rater_id) REFERENCES rating_assignments(item_id, rater_id),
    FOREIGN KEY (item_id, idx) REFERENCES rating_candidates(item_id, idx)
);
"""

# The promoted selection policy, shared by every replica of a PostgreSQL deployment (bot/selection/learned.py):
# the newest row is what serves; `checkpoint` is the checkpoint folder as a .tar.gz, so a replica on
# another machine can load it.
PROMOTED_POLICY = """
CREATE TABLE IF NOT EXISTS promoted_policy (
    event_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    event       TEXT NOT NULL,                       -- promoted | forced | rollback
    version     TEXT NOT NULL,
    record      TEXT NOT NULL,                       -- JSON, as in serving.json
    checkpoint  BLOB NOT NULL,
    created_at  REAL NOT NULL
);
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "replay buffer: sessions, turns, candidates, feedback, events", REPLAY),
    (2, "rating sessions", RATINGS),
    (3, "promoted policy", PROMOTED_POLICY),
]
