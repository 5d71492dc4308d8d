"""Accounts: operator and rater logins, stored next to the replay buffer (same SQLite file).

Passwords are kept only as scrypt hashes with a random salt per account. A login session is a random
token in a cookie; only its SHA-256 is stored, and it expires (8 hours by default). Failed logins are
logged and throttled per account and address: after 3 failures in a row the next attempt has to wait
1 s, and each further failure doubles the wait (2 s, 4 s ... up to 15 minutes); an address that fails on
many accounts is throttled as a whole.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.storage.replay_buffer import StorageError

ROLES = ("operator", "rater")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
SESSION_TTL_S = 8 * 3600.0
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")  # also the rater id of the rating sessions
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}  # about 50 ms and 16 MB per hash

log = logging.getLogger("rlcs.auth")

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('operator', 'rater')),
    password_hash TEXT NOT NULL,
    created_at    REAL NOT NULL,
    updated_at    REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_sessions (
    token_hash TEXT PRIMARY KEY,       -- SHA-256 of the cookie's token; the token itself is never stored
    name       TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS server_secrets (    -- e.g. the key the chat page's local storage is sealed with
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class AccountError(ValueError):
    """A bad account request (name, role, weak password, unknown account). Nothing was written."""


class LoginThrottled(Exception):
    """Too many failed logins from this address for this account: wait `retry_after` seconds."""

    def __init__(self, retry_after: float):
        self.retry_after = max(1, int(retry_after + 0.999))
        super().__init__(f"too many failed attempts; try again in {self.retry_after} s")


@dataclass(frozen=True)
class Account:
    name: str
    role: str


def check_password(password: str, name: str | None = None) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password may have at most {MAX_PASSWORD} characters")
    if name is not None and password.strip().lower() == name.lower():
        raise AccountError("the password must not be the account name")
    return password


def hash_password(password: str, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$hash' (base64), with a fresh 16-byte salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, maxmem=64 * 2 ** 20, **SCRYPT)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(str(password).encode()[:4 * MAX_PASSWORD], salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=len(expected), maxmem=64 * 2 ** 20)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


_DUMMY_HASH = hash_password("not-a-real-password", salt=b"0" * 16)  # unknown names cost the same time


class LoginThrottle:
    """Exponential back-off per (account, address) from the `free`-th failure in a row on (1 s, 2 s, 4 s ...),
    and per address from its `free_ip`-th failure on any account.

    In memory: a restart forgets it, which only an operator can cause. One attempt per key at a time,
    so parallel requests cannot slip past the count.
    """

    def __init__(self, free: int = 3, free_ip: int = 20, max_delay_s: float = 900.0, clock=time.monotonic):
        self.free, self.free_ip, self.max_delay_s, self.clock = free, free_ip, max_delay_s, clock
        self._failures: dict[tuple, tuple[int, float]] = {}  # key -> (failures in a row, blocked until)
        self._busy: set[tuple] = set()
        self._lock = threading.Lock()

    def _keys(self, name: str, ip: str) -> list[tuple[tuple, int]]:
        return [((name.lower(), ip), self.free), (("*", ip), self.free_ip)]

    def begin(self, name: str, ip: str) -> None:
        """Raise LoginThrottled if this attempt must wait; else mark it in progress."""
        now = self.clock()
        with self._lock:
            keys = [k for k, _ in self._keys(name, ip)]
            wait = max(self._failures.get(k, (0, 0.0))[1] - now for k in keys)
            if wait > 0:
                raise LoginThrottled(wait)
            if keys[0] in self._busy:
                raise LoginThrottled(1)
            self._busy.add(keys[0])

    def end(self, name: str, ip: str, ok: bool) -> int:
        """Record the attempt's outcome; returns the failures in a row for this account and address."""
        now = self.clock()
        with self._lock:
            keyed = self._keys(name, ip)
            self._busy.discard(keyed[0][0])
            if ok:
                self._failures.pop(keyed[0][0], None)
                return 0
            for key, free in keyed:
                count = self._failures.get(key, (0, 0.0))[0] + 1
                until = now + min(2.0 ** (count - free), self.max_delay_s) if count >= free else 0.0
                self._failures[key] = (count, until)
            return self._failures[keyed[0][0]][0]


class Accounts:
    """Accounts, login sessions and server secrets in the SQLite file at `path` (the replay buffer's)."""

    def __init__(self, path: str | Path, session_ttl_s: float = SESSION_TTL_S, throttle: LoginThrottle | None = None,
                 clock=time.time):
        self.path = Path(getattr(path, "path", path))  # a path, or a ReplayBuffer
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(f"cannot create the folder of {self.path}: {err.strerror}") from None
        self.session_ttl_s = session_ttl_s
        self.throttle = throttle or LoginThrottle()
        self.clock = clock
        self._local = threading.local()
        try:
            self.connection().executescript(SCHEMA)
        except sqlite3.Error as err:
            raise StorageError(f"cannot use {self.path} for accounts: {err}") from err

    def connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            try:
                con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA foreign_keys=ON")
            except sqlite3.Error as err:
                raise StorageError(f"cannot open {self.path}: {err}") from err
            self._local.con = con
        return con

    def _write(self, sql: str, params: tuple = ()) -> int:
        try:
            return self.connection().execute(sql, params).rowcount
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as err:
            raise StorageError(f"could not write to {self.path}: {err}") from err

    # -- accounts ------------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str, replace: bool = False) -> None:
        """Create an account (or, with replace=True, set its role and password; its sessions end)."""
        if not isinstance(name, str) or not NAME.match(name):
            raise AccountError(f"invalid account name {name!r}: letters, digits and _ . @ + - (up to 64)")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        digest = hash_password(check_password(password, name))
        now = self.clock()
        if replace:
            self._write("INSERT INTO accounts VALUES (?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET role=excluded.role, "
                        "password_hash=excluded.password_hash, updated_at=excluded.updated_at",
                        (name, role, digest, now, now))
            self._write("DELETE FROM login_sessions WHERE name=?", (name,))
            return
        try:
            self._write("INSERT INTO accounts VALUES (?,?,?,?,?)", (name, role, digest, now, now))
        except sqlite3.IntegrityError:
            raise AccountError(f"account {name!r} exists already (use --replace to set a new password)") from None

    def remove(self, name: str) -> None:
        if not self._write("DELETE FROM accounts WHERE name=?", (name,)):
            raise AccountError(f"no account {name!r}")
        self._write("DELETE FROM login_sessions WHERE name=?", (name,))

    def list(self) -> list[dict]:
        rows = self.connection().execute("SELECT name, role, created_at, updated_at FROM accounts ORDER BY role, name")
        return [dict(zip(("name", "role", "created_at", "updated_at"), r)) for r in rows.fetchall()]

    def get(self, name: str) -> Account | None:
        row = self.connection().execute("SELECT name, role FROM accounts WHERE name=?", (name,)).fetchone()
        return Account(*row) if row else None

    def ensure(self, name: str, role: str, password: str) -> bool:
        """Make `name` an account of `role` with this password (start-up from an env var or a file).
        Returns True if anything changed; an unchanged password keeps the account's sessions."""
        row = self.connection().execute("SELECT role, password_hash FROM accounts WHERE name=?", (name,)).fetchone()
        if row and row[0] == role and verify_password(password, row[1]):
            return False
        self.add(name, role, password, replace=True)
        return True

    # -- logging in ----------------------------------------------------------------------------
    def authenticate(self, name: str, password: str, ip: str = "?") -> Account | None:
        """The account if the password is right, else None (logged). Raises LoginThrottled while the
        account + address (or the address) must wait; a throttled attempt checks nothing."""
        name = str(name or "").strip()[:64]
        self.throttle.begin(name, ip)
        ok = False
        try:
            row = self.connection().execute("SELECT name, role, password_hash FROM accounts WHERE name=?",
                                            (name,)).fetchone()
            ok = verify_password(password, row[2] if row else _DUMMY_HASH) and row is not None
        finally:
            failures = self.throttle.end(name, ip, ok)
        if not ok:
            log.warning("failed login for %r from %s (%d in a row)", name, ip, failures)
            return None
        log.info("login %r (%s) from %s", name, row[1], ip)
        return Account(row[0], row[1])

    def login(self, name: str, password: str, ip: str = "?") -> tuple[str, Account] | None:
        """authenticate() and, on success, a new session token for the cookie."""
        account = self.authenticate(name, password, ip)
        if account is None:
            return None
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self._write("DELETE FROM login_sessions WHERE expires_at < ?", (now,))
        self._write("INSERT INTO login_sessions VALUES (?,?,?,?)",
                    (_token_hash(token), account.name, now, now + self.session_ttl_s))
        return token, account

    def session(self, token: str | None) -> Account | None:
        """The account a session token belongs to, while the session is live."""
        if not token or len(token) > 256:
            return None
        row = self.connection().execute(
            "SELECT a.name, a.role FROM login_sessions s JOIN accounts a USING (name) "
            "WHERE s.token_hash=? AND s.expires_at > ?", (_token_hash(token), self.clock())).fetchone()
        return Account(*row) if row else None

    def logout(self, token: str | None) -> None:
        if token:
            self._write("DELETE FROM login_sessions WHERE token_hash=?", (_token_hash(token),))

    # -- secrets -------------------------------------------------------------------------------
    def secret(self, name: str) -> str:
        """A random value made once and kept (so it survives restarts)."""
        self._write("INSERT OR IGNORE INTO server_secrets VALUES (?, ?)", (name, secrets.token_urlsafe(24)))
        return self.connection().execute("SELECT value FROM server_secrets WHERE name=?", (name,)).fetchone()[0]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
