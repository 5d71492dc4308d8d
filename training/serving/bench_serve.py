"""`rlcs bench serve`: parallel sessions through N serving replicas on one database, measured in one run.

    rlcs bench serve --replicas 3 --db postgresql://rlcs@127.0.0.1:5432/rlcs --sessions 32 --turns 4

Runs SQLite with one replica, then PostgreSQL with 1, 2, ... N replicas (each replica its own process:
training/serving/replica.py, a Bot behind a minimal JSON HTTP API). Every session sends a message, then a
vote on the reply, turn after turn; session s stays on replica s mod N (a load balancer with session
affinity), or with --rotate turn k goes to replica (s + k) mod N, so every turn is served by a replica that
must first rebuild the conversation from the database. Prints turns/s, p50/p95 message
latency (HTTP round trip) and the storage stage per turn (the replica's time from the policy's choice to
the COMMIT), and the ratios to SQLite. Without a postgresql:// --db (or RLCS_DB), only SQLite runs.

    rlcs bench serve --web --web-sessions 1,8,32

--web drives the real chat server instead: one `rlcs serve` process (Gradio, the page at /), talked to over
HTTP as the page does (training/serving/chat_client.py), against `Bot.reply` + `Bot.feedback` called
directly from as many threads in this process, one level after the other in the same run. Prints turns/s
for both, their ratio (HTTP / Bot.reply), p50/p95 message latency and the CPU each turn cost: the server
process's (HTTP) or this process's (direct).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from training.serving.bench_latency import SCRIPT

MESSAGES = [m for conversation in SCRIPT for m in conversation]
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(proc: subprocess.Popen, log, is_up, deadline: float, what: str, startup_s: float) -> None:
    """Poll `is_up()` (network errors count as not yet) until it is true; the log's tail if the process exits first."""
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{what} exited: {log.read()[-2000:]}")
        try:
            if is_up():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {startup_s:.0f} s")
        time.sleep(0.3)


class Replicas:
    """N replica processes on one database; start, kill and restart them by index."""

    def __init__(self, db: str, n: int, cache_dir: str = "runs/cache", policy: str = "softmax", seed: int | None = 0,
                 startup_s: float = 300.0):
        self.db, self.cache_dir, self.policy, self.seed, self.startup_s = db, cache_dir, policy, seed, startup_s
        self.ports = [free_port() for _ in range(n)]
        self.procs: list[subprocess.Popen | None] = [None] * n
        self.logs = [tempfile.TemporaryFile(mode="w+") for _ in range(n)]

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    def start(self, *indices: int) -> None:
        """Start the given replicas (all by default) and wait until each serves."""
        indices = indices or tuple(range(len(self.ports)))
        for i in indices:
            self.procs[i] = subprocess.Popen(
                [sys.executable, "-m", "training.serving.replica", "--db", self.db, "--port", str(self.ports[i]),
                 "--cache-dir", self.cache_dir, "--policy", self.policy] + ([] if self.seed is None else
                                                                              ["--seed", str(self.seed + i)]),
                cwd=REPO, stdout=self.logs[i], stderr=subprocess.STDOUT, text=True,
                env={**os.environ, "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "1"})
        deadline = time.monotonic() + self.startup_s
        for i in indices:
            wait_until_serving(self.procs[i], self.logs[i], lambda i=i: call(self.url(i), "/health", None, timeout=2)[0] == 200,
                               deadline, f"replica {i}", self.startup_s)

    def kill(self, i: int, sig: int = signal.SIGKILL) -> None:
        proc = self.procs[i]
        if proc is not None and proc.poll() is None:
            proc.send_signal(sig)
            proc.wait(timeout=60)

    def stop(self) -> None:
        for i in range(len(self.ports)):
            self.kill(i, signal.SIGTERM)
        for log in self.logs:
            log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def call(url: str, path: str, body: dict | None, timeout: float = 60.0) -> tuple[int, dict]:
    """One HTTP request; (status, JSON body). Network failures raise OSError."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers={"Content-Type": "application/json"},
                                     method="GET" if body is None else "POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


class Driver:
    """Parallel sessions: message, then a vote, per turn; a refused or failed request is sent again (to the
    next replica) until it is acknowledged. Records what was acknowledged, and every failure."""

    def __init__(self, replicas: Replicas, prefix: str, alive=None, retry_s: float = 120.0, sticky: bool = False):
        self.replicas, self.prefix, self.retry_s, self.sticky = replicas, prefix, retry_s, sticky
        self.alive = alive or (lambda i: True)  # replicas a client may pick (a load balancer's health check)
        self.lock = threading.Lock()
        self.turns: list[dict] = []  # acknowledged turns: session, turn_id, replica, latency
        self.votes: list[dict] = []  # acknowledged votes
        self.refused: list[str] = []  # 503 messages (StorageError: nothing stored)
        self.unreachable = 0  # connection refused / reset / timeout, or a reply cut short
        self.errors: list[str] = []  # anything else (a bug)

    def _send(self, first: int, path: str, body: dict) -> tuple[dict, float]:
        n = len(self.replicas.ports)
        deadline = time.monotonic() + self.retry_s
        attempt = 0
        while True:
            i = (first + attempt) % n
            attempt += 1
            if not self.alive(i):
                if attempt % n == 0:
                    time.sleep(0.1)
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{path}: no replica alive within {self.retry_s:.0f} s")
                continue
            start = time.perf_counter()
            try:
                status, answer = call(self.replicas.url(i), path, body)
            except (OSError, http.client.HTTPException):  # refused, reset, or a reply cut short by a killed replica
                with self.lock:
                    self.unreachable += 1
                status, answer = None, {}
            elapsed = time.perf_counter() - start
            if status == 200:
                return answer, elapsed
            if status == 503:
                with self.lock:
                    self.refused.append(answer.get("error", ""))
            elif status is not None:
                with self.lock:
                    self.errors.append(f"{path} -> {status}: {answer.get('error')}")
                raise RuntimeError(self.errors[-1])
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path}: no replica acknowledged within {self.retry_s:.0f} s")
            time.sleep(min(0.05 * attempt, 0.5))

    def session(self, s: int, turns: int, start: int = 0) -> None:
        session_id = f"{self.prefix}-{s}"
        for k in range(start, start + turns):
            text = MESSAGES[(7 * s + k) % len(MESSAGES)]
            home = s if self.sticky else s + k  # sticky: a session stays on its replica while that one is up
            answer, elapsed = self._send(home, "/reply", {"session_id": session_id, "text": text})
            with self.lock:
                self.turns.append({"session_id": session_id, "turn_id": answer["turn_id"], "index": k,
                                   "replica": answer["replica"], "latency_s": elapsed,
                                   "storage_ms": answer["latency_ms"].get("storage", 0.0)})
            thumb = 1 if (s + k) % 3 else -1
            self._send(home if self.sticky else home + 1, "/feedback", {"turn_id": answer["turn_id"], "thumb": thumb})
            with self.lock:
                self.votes.append({"turn_id": answer["turn_id"], "thumb": thumb})

    def run(self, sessions: int, turns: int, start: int = 0) -> float:
        """Drive all sessions in parallel threads (turns start..start+turns-1 of each); returns the wall time."""
        return parallel(sessions, lambda s: self.session(s, turns, start))


def measure(db: str, n_replicas: int, sessions: int, turns: int, cache_dir: str, label: str, sticky: bool = True) -> dict:
    import numpy as np

    with Replicas(db, n_replicas, cache_dir=cache_dir) as replicas:
        replicas.start()
        warm = Driver(replicas, f"warmup-{label}-{time.time_ns()}")
        warm.run(n_replicas, 2)  # every replica's first turns pay for lazy initialisation: not measured
        driver = Driver(replicas, f"bench-{label}-{time.time_ns()}", sticky=sticky)
        wall = driver.run(sessions, turns)
    latency = np.array([t["latency_s"] for t in driver.turns]) * 1000
    storage = np.array([t["storage_ms"] for t in driver.turns])
    return {"engine": "postgresql" if db.startswith("postgres") else "sqlite", "replicas": n_replicas,
            "routing": "sticky" if sticky else "rotating",
            "sessions": sessions, "turns": len(driver.turns), "votes": len(driver.votes), "wall_s": round(wall, 2),
            "turns_per_s": round(len(driver.turns) / wall, 2),
            "message_p50_ms": round(float(np.percentile(latency, 50)), 1),
            "message_p95_ms": round(float(np.percentile(latency, 95)), 1),
            "storage_p50_ms": round(float(np.percentile(storage, 50)), 2),
            "storage_mean_ms": round(float(storage.mean()), 2)}


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of this process, or of `pid` (Linux /proc)."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parallel(sessions: int, work) -> float:
    """Run work(s) for s in range(sessions) in parallel threads; re-raise the first failure; the wall time."""
    failures: list[BaseException] = []

    def one(s):
        try:
            work(s)
        except BaseException as err:  # noqa: BLE001 - re-raised below
            failures.append(err)

    threads = [threading.Thread(target=one, args=(s,)) for s in range(sessions)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return time.perf_counter() - began


def _row(kind: str, sessions: int, latencies: list[float], wall: float, cpu_s: float) -> dict:
    import numpy as np

    ms = np.array(latencies) * 1000
    return {"path": kind, "sessions": sessions, "turns": len(latencies), "wall_s": round(wall, 2),
            "turns_per_s": round(len(latencies) / wall, 2),
            "message_p50_ms": round(float(np.percentile(ms, 50)), 1),
            "message_p95_ms": round(float(np.percentile(ms, 95)), 1),
            "cpu_ms_per_turn": round(1000 * cpu_s / len(latencies), 2)}


def measure_direct(bot, sessions: int, turns: int, label: str, conversation: int = 6) -> dict:
    """Bot.reply + Bot.feedback per turn from `sessions` threads in this process: the bot's own throughput.
    Each thread starts a new conversation every `conversation` turns, as a customer would."""
    latencies: list[float] = []

    def session(s):
        for k in range(turns):
            sid = f"direct-{label}-{s}-{k // conversation}"
            start = time.perf_counter()
            turn = bot.reply(sid, MESSAGES[(7 * s + k) % len(MESSAGES)])
            latencies.append(time.perf_counter() - start)
            bot.feedback(turn.turn_id, thumb=1 if (s + k) % 3 else -1)

    cpu = cpu_seconds()
    wall = parallel(sessions, session)
    return _row("Bot.reply", sessions, latencies, wall, cpu_seconds() - cpu)


def measure_web(server, pid: int, sessions: int, turns: int, conversation: int = 6) -> dict:
    """The same through the chat page's HTTP API: a message, then a 👍/👎 on the reply, per turn; a new
    conversation (a fresh tab) every `conversation` turns."""
    latencies: list[float] = []
    chats = [server.session() for _ in range(sessions)]

    def session(s):
        for k in range(turns):
            if k and k % conversation == 0:
                chats[s].close()
                chats[s] = server.session()
            chat = chats[s]
            start = time.perf_counter()
            chat.send(MESSAGES[(7 * s + k) % len(MESSAGES)])
            latencies.append(time.perf_counter() - start)
            notice = chat.vote(liked=bool((s + k) % 3))
            if not notice.startswith(("Thanks", "Sorry")):
                raise RuntimeError(f"vote not taken: {notice!r}")

    cpu, client_cpu = cpu_seconds(pid), cpu_seconds()
    wall = parallel(sessions, session)
    row = _row("HTTP", sessions, latencies, wall, cpu_seconds(pid) - cpu)
    row["client_cpu_ms_per_turn"] = round(1000 * (cpu_seconds() - client_cpu) / len(latencies), 2)
    for chat in chats:
        chat.close()
    return row


def replay_size(path: str) -> dict:
    """The SQLite replay file's size once its WAL is checkpointed, and the turns it holds."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        turns = con.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
        pages, free, page = (con.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size"))
    finally:
        con.close()
    used = (pages - free) * page
    return {"bytes": used, "turns": turns, "bytes_per_turn": round(used / max(turns, 1), 1)}


class ChatProcess:
    """A real `rlcs serve` on a free loopback port, in the environment this command has."""

    def __init__(self, db: str, policy: str = "softmax", startup_s: float = 300.0, extra: list[str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--db", db, "--port", str(self.port),
                                      "--policy", policy, "--seed", "0", *(extra or [])],
                                     cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT, text=True)
        wait_until_serving(self.proc, self.log, lambda: self._config_status() == 200, time.monotonic() + startup_s,
                           "rlcs serve", startup_s)

    def _config_status(self) -> int:
        with urllib.request.urlopen(self.url + "/config", timeout=2) as response:
            return response.status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run_web(args) -> int:
    from bot import Bot, BotConfig
    from training.results import write_result
    from training.serving.chat_client import ChatServer

    levels = [int(n) for n in str(args.web_sessions).split(",") if n.strip()]
    rows, load = [], os.getloadavg()
    if args.torch_threads:  # the same setting as the server's, so both paths run the same bot
        import torch

        torch.set_num_threads(args.torch_threads)
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(BotConfig(db_path=str(Path(tmp) / "direct.sqlite3"), cache_dir=args.cache_dir, seed=0))
        with ChatProcess(str(Path(tmp) / "web.sqlite3"), extra=["--torch-threads", str(args.torch_threads)]) as served:
            server = ChatServer(served.url)
            measure_direct(bot, 2, 3, "warmup", args.conversation)  # lazy initialisation: not measured
            measure_web(server, served.proc.pid, 2, 3, args.conversation)
            for n in levels:
                turns = max(args.turns, -(-args.min_turns // n))  # at least --min-turns turns per level
                pair = []
                for _ in range(args.repeat):
                    pair.append((measure_direct(bot, n, turns, f"{n}-{len(pair)}", args.conversation),
                                 measure_web(server, served.proc.pid, n, turns, args.conversation)))
                direct = max((d for d, _ in pair), key=lambda r: r["turns_per_s"])
                web = max((w for _, w in pair), key=lambda r: r["turns_per_s"])
                web["vs_bot_reply"] = round(web["turns_per_s"] / direct["turns_per_s"], 3)
                rows += [direct, web]
                print(f"{n:>3} sessions x {turns} turns: Bot.reply {direct['turns_per_s']:6.2f} turns/s, "
                      f"HTTP {web['turns_per_s']:6.2f} turns/s, ratio {web['vs_bot_reply']:.2f}", flush=True)
        size = replay_size(str(Path(tmp) / "web.sqlite3"))
    result = {"mode": "web", "cpus": os.cpu_count(), "torch_threads": args.torch_threads,
              "conversation_turns": args.conversation, "replay_file": size, "load_before": [round(x, 2) for x in load],
              "load_after": [round(x, 2) for x in os.getloadavg()], "repeat": args.repeat, "rows": rows}
    print(f"\nreplay file (SQLite) of the served run: {size['bytes']} bytes for {size['turns']} turns with their "
          f"votes, {size['bytes_per_turn']:.0f} bytes per turn")
    print(f"load average before {load[0]:.2f}, after {result['load_after'][0]:.2f} ({os.cpu_count()} CPUs)")
    print(f"{'path':>9} {'sessions':>8} {'turns':>5} {'turns/s':>8} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms/turn':>11}")
    for r in rows:
        ratio = f"{r['vs_bot_reply']:.2f}" if "vs_bot_reply" in r else ""
        print(f"{r['path']:>9} {r['sessions']:>8} {r['turns']:>5} {r['turns_per_s']:>8.2f} {ratio:>6} "
              f"{r['message_p50_ms']:>7.0f} {r['message_p95_ms']:>7.0f} {r['cpu_ms_per_turn']:>11.2f}")
    write_result(args.output.replace("serve.json", "serve-web.json") if args.output.endswith("serve.json")
                 else args.output, result)
    return 0


def run(args) -> int:
    if args.web:
        return run_web(args)
    from bot.storage.engine import is_postgres, redact
    from training.results import write_result

    pg = args.db if is_postgres(args.db or "") else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_db = args.sqlite or str(Path(tmp) / "bench.sqlite3")
        plan = [(sqlite_db, 1)] + ([(pg, n) for n in range(1, args.replicas + 1)] if pg else [])
        for db, n in plan:
            label = f"{'pg' if db == pg else 'sqlite'}{n}"
            row = measure(db, n, args.sessions, args.turns, args.cache_dir, label, sticky=not args.rotate)
            rows.append(row)
            print(f"{row['engine']:>10} x{n}: {row['turns_per_s']:6.2f} turns/s, message p50 {row['message_p50_ms']:.0f} ms "
                  f"p95 {row['message_p95_ms']:.0f} ms, storage p50 {row['storage_p50_ms']:.2f} ms", flush=True)
    base = rows[0]
    for row in rows:
        row["turns_per_s_vs_sqlite"] = round(row["turns_per_s"] / base["turns_per_s"], 3)
        row["storage_vs_sqlite"] = round(row["storage_p50_ms"] / base["storage_p50_ms"], 3) if base["storage_p50_ms"] else None
    result = {"sessions": args.sessions, "turns_per_session": args.turns, "routing": "rotating" if args.rotate else "sticky", "postgres": redact(pg) if pg else None,
              "cpus": os.cpu_count(), "rows": rows}
    print(f"\n{'engine':>10} {'replicas':>8} {'turns/s':>8} {'x sqlite':>8} {'p50 ms':>7} {'p95 ms':>7} {'storage ms':>10}")
    for r in rows:
        print(f"{r['engine']:>10} {r['replicas']:>8} {r['turns_per_s']:>8.2f} {r['turns_per_s_vs_sqlite']:>8.2f} "
              f"{r['message_p50_ms']:>7.0f} {r['message_p95_ms']:>7.0f} {r['storage_p50_ms']:>10.2f}")
    write_result(args.output, result)
    return 0


def make_parser(subparsers) -> argparse.ArgumentParser:
    from bot.storage.engine import default_db

    parser = subparsers.add_parser("serve", help="turns/s and latency through N serving replicas (SQLite vs PostgreSQL)",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=3, help="PostgreSQL runs with 1..N replicas (default: %(default)s)")
    parser.add_argument("--db", default=default_db(), help="a postgresql:// URL for the PostgreSQL runs "
                        "(default: $RLCS_DB; without one only SQLite runs)")
    parser.add_argument("--sqlite", default=None, help="SQLite file for the SQLite run (default: a temporary file)")
    parser.add_argument("--sessions", type=int, default=32, help="parallel sessions (default: %(default)s)")
    parser.add_argument("--turns", type=int, default=4, help="turns per session (default: %(default)s)")
    parser.add_argument("--rotate", action="store_true",
                        help="send every turn to the next replica (no session affinity): each replica then rebuilds "
                             "the conversation from the database on every turn. Default: sticky sessions")
    parser.add_argument("--web", action="store_true",
                        help="drive the real chat server (`rlcs serve`, Gradio) over HTTP and compare with Bot.reply "
                             "in the same run, instead of the replicas")
    parser.add_argument("--web-sessions", default="1,8,32", help="--web: parallel sessions per level (default: %(default)s)")
    parser.add_argument("--min-turns", type=int, default=96,
                        help="--web: at least this many turns per level, spread over its sessions (default: %(default)s)")
    parser.add_argument("--conversation", type=int, default=6,
                        help="--web: turns per conversation; then the session starts a new one (default: %(default)s)")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="--web: torch intra-op threads, for the server (its --torch-threads) and Bot.reply here "
                             "alike (default: %(default)s; 0 = torch's default)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="--web: measure each level this many times, alternating the two paths; report the best")
    parser.add_argument("--cache-dir", default="runs/cache", help="embedding cache (default: %(default)s)")
    parser.add_argument("--output", default="runs/bench/serve.json", help="JSON result (default: %(default)s)")
    parser.set_defaults(func=run)
    return parser
