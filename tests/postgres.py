"""A real PostgreSQL server for the storage tests (issue 15).

CI starts one with `.ci/postgres start` and sets RLCS_TEST_POSTGRES (its URL) and RLCS_TEST_POSTGRES_DIR (its
cluster folder, so a test can restart it). Without them, a throwaway cluster is started here for the test run
when Debian's server binaries are installed (/usr/lib/postgresql/*/bin), and stopped at exit; set
RLCS_TEST_POSTGRES_AUTOSTART=0 to skip that. Each test gets its own schema (search_path), dropped afterwards.
"""
from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_started: dict = {}


def skip_reason() -> str:
    return ("no PostgreSQL server: set RLCS_TEST_POSTGRES=postgresql://... (.ci/run does: .ci/postgres start) "
            "or install Debian's postgresql so the tests can start a throwaway cluster")


def server() -> tuple[str, str | None] | None:
    """(URL, cluster folder or None) of the test server, or None when there is none."""
    url = os.environ.get("RLCS_TEST_POSTGRES")
    if url:
        return url, os.environ.get("RLCS_TEST_POSTGRES_DIR")
    if "url" in _started:
        return _started["url"], _started["dir"]
    if os.environ.get("RLCS_TEST_POSTGRES_AUTOSTART", "1") == "0" or not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return None
    folder = tempfile.mkdtemp(prefix="rlcs-pg-")
    done = subprocess.run([str(REPO / ".ci" / "postgres"), "start", folder], capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"could not start a throwaway PostgreSQL cluster: {done.stderr.strip()}")
    _started.update(url=done.stdout.strip().splitlines()[-1], dir=folder)

    def stop():
        subprocess.run([str(REPO / ".ci" / "postgres"), "stop", folder], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return _started["url"], folder


def fresh_schema(url: str) -> tuple[str, str]:
    """A new empty schema on the server; returns (URL whose search_path is that schema, schema name)."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{name}", name


def drop_schema(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def pg_ctl(folder: str, *args: str) -> subprocess.CompletedProcess:
    """Run pg_ctl on the test cluster as its owner (postgres when we are root)."""
    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    command = [binary, "-D", f"{folder}/data", *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)
