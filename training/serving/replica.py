"""One serving replica for the replica benchmark and fault tests: a Bot behind a minimal JSON HTTP API.

    python -m training.serving.replica --db postgresql://... --port 8101

    POST /reply     {"session_id", "text"}          -> {"turn_id", "text", "replica", "latency_ms"}
    POST /feedback  {"turn_id", "thumb", "reason"}  -> {"ok": true, "replica"}
    GET  /health                                    -> {"ok": true, "replica"}

Errors: 503 {"error": "..."} when the database refused the write (StorageError: nothing was stored, try
again, on this or any replica), 400 for a bad message, an ended conversation or an unknown turn. The body is
one line a customer can be shown, never a traceback. It prints "ready <port>" once it serves.

This is the bot's own turn behind the thinnest HTTP front (ThreadingHTTPServer, one thread per request),
so the benchmark measures the bot and its storage, not a UI framework (the Gradio chat is `rlcs serve`).
"""
from __future__ import annotations

import argparse
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(bot):
    from bot.storage.replay_buffer import FeedbackError, SessionEnded, StorageError
    from bot.text import InvalidMessage

    replica = f"{os.getpid()}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/health":
                return self._send(200, {"ok": True, "replica": replica})
            self._send(404, {"error": "not found"})

        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                if self.path == "/reply":
                    turn = bot.reply(str(request["session_id"]), str(request["text"]))
                    return self._send(200, {"turn_id": turn.turn_id, "text": turn.text, "replica": replica,
                                            "latency_ms": turn.latency_ms})
                if self.path == "/feedback":
                    bot.feedback(str(request["turn_id"]), int(request["thumb"]), request.get("reason"))
                    return self._send(200, {"ok": True, "replica": replica})
                return self._send(404, {"error": "not found"})
            except StorageError as err:
                self._send(503, {"error": f"Sorry, we could not save that; please send it again. ({err})",
                                 "replica": replica})
            except (InvalidMessage, SessionEnded, FeedbackError, KeyError, ValueError) as err:
                self._send(400, {"error": " ".join(str(err).split()), "replica": replica})
            except Exception as err:  # noqa: BLE001 - one line to the client; the details stay here
                print(f"replica {replica}: {type(err).__name__}: {err}", flush=True)
                self._send(500, {"error": "Something went wrong on our side; please try again.", "replica": replica})

    return Handler


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="replay database: a SQLite file or a postgresql:// URL")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--cache-dir", default="runs/cache")
    parser.add_argument("--policy", default="softmax")
    parser.add_argument("--policy-dir", default="runs/policies")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)

    from bot import Bot, BotConfig

    bot = Bot(BotConfig(db_path=args.db, cache_dir=args.cache_dir, policy=args.policy, policy_dir=args.policy_dir,
                        seed=args.seed))
    bot.rank("Where is my order 10001?", ["It is on its way.", "Hello!"])  # warm up: encoders, nothing stored
    server = ThreadingHTTPServer((args.host, args.port), make_handler(bot))
    server.daemon_threads = True
    print(f"ready {args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
