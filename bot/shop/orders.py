"""The store's order table: a SQLite file built from data/store/orders.csv on first use."""
from __future__ import annotations

import csv
import os
import sqlite3
import threading
from pathlib import Path


class OrderBook:
    def __init__(self, csv_path: str | Path, sqlite_path: str | Path):
        self.csv_path, self.sqlite_path = Path(csv_path), Path(sqlite_path)
        self._local = threading.local()
        if not self.sqlite_path.exists() or self.sqlite_path.stat().st_mtime < self.csv_path.stat().st_mtime:
            self._build()

    def _build(self) -> None:
        with open(self.csv_path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            raise ValueError(f"{self.csv_path}: no orders")
        columns = list(rows[0].keys())
        self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.sqlite_path.with_suffix(f".tmp{os.getpid()}")
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        con.execute(f"CREATE TABLE orders ({', '.join(f'{c} TEXT' for c in columns)}, PRIMARY KEY (order_id))")
        con.executemany(f"INSERT INTO orders VALUES ({', '.join('?' for _ in columns)})",
                        [tuple(r[c] for c in columns) for r in rows])
        con.commit()
        con.close()
        os.replace(tmp, self.sqlite_path)  # readers never see a half-built table

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True)
            con.row_factory = sqlite3.Row
            self._local.con = con
        return con

    def get(self, order_id: str) -> dict | None:
        row = self._con().execute("SELECT * FROM orders WHERE order_id = ?", (str(order_id),)).fetchone()
        return dict(row) if row else None
