"""The store's order table: a SQLite file built from data/store/orders.csv, rebuilt whenever the CSV changes.

The SQLite copy records the SHA-256 of the CSV it was built from; a copy built from other contents (an
edited CSV, a new column such as `postcode`, a cache left by another checkout) is rebuilt, whatever the
files' modification times say. A running OrderBook notices an edited CSV on its next lookup.
"""
from __future__ import annotations

import csv
import hashlib
import os
import sqlite3
import threading
from pathlib import Path


class OrderBook:
    def __init__(self, csv_path: str | Path, sqlite_path: str | Path):
        self.csv_path, self.sqlite_path = Path(csv_path), Path(sqlite_path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._generation = 0  # bumped on each rebuild: threads reopen their read-only connection
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of the CSV last checked
        self._refresh()

    def _csv_hash(self) -> str:
        return hashlib.sha256(self.csv_path.read_bytes()).hexdigest()

    def _built_from(self) -> str | None:
        try:
            con = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True)
            try:
                row = con.execute("SELECT value FROM meta WHERE key = 'csv_sha256'").fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return None  # missing, or built before the meta table existed
        return row[0] if row else None

    def _refresh(self) -> None:
        """Rebuild the SQLite copy when the CSV's contents differ from what it was built from."""
        stat = self.csv_path.stat()
        seen = (stat.st_mtime_ns, stat.st_size)
        if seen == self._seen:
            return
        with self._lock:
            if seen == self._seen:
                return
            digest = self._csv_hash()
            if self._built_from() != digest:
                self._build(digest)
                self._generation += 1
            self._seen = seen

    def _build(self, digest: str) -> None:
        with open(self.csv_path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            raise ValueError(f"{self.csv_path}: no orders")
        columns = list(rows[0].keys())
        self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.sqlite_path.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}")
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        con.execute(f"CREATE TABLE orders ({', '.join(f'{c} TEXT' for c in columns)}, PRIMARY KEY (order_id))")
        con.executemany(f"INSERT INTO orders VALUES ({', '.join('?' for _ in columns)})",
                        [tuple(r[c] for c in columns) for r in rows])
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT INTO meta VALUES ('csv_sha256', ?)", (digest,))
        con.commit()
        con.close()
        os.replace(tmp, self.sqlite_path)  # readers never see a half-built table

    def _con(self) -> sqlite3.Connection:
        self._refresh()
        con = getattr(self._local, "con", None)
        if con is None or getattr(self._local, "generation", None) != self._generation:
            if con is not None:
                con.close()
            con = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True)
            con.row_factory = sqlite3.Row
            self._local.con, self._local.generation = con, self._generation
        return con

    @property
    def version(self) -> int:
        """Changes whenever the table is rebuilt from an edited CSV (caches built from it start over)."""
        self._refresh()
        return self._generation

    def get(self, order_id: str) -> dict | None:
        row = self._con().execute("SELECT * FROM orders WHERE order_id = ?", (str(order_id),)).fetchone()
        return dict(row) if row else None

    def all(self) -> list[dict]:
        """Every order, in table order (the guard checks replies against all of them)."""
        return [dict(row) for row in self._con().execute("SELECT * FROM orders ORDER BY rowid")]
