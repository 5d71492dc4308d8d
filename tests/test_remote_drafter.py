"""OpenAIChatDrafter against a small server on loopback that speaks the chat-completions protocol."""
from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

REPLIES = ["Order 10001 is out for delivery with DHL.", "It should arrive on 2026-03-16.",
           "Order 10001 is out for delivery with DHL!", "Happy to help with anything else.", ""]


class ChatServer:
    """Answers POST /v1/chat/completions; `mode` makes it honour n, ignore n (llama.cpp), stall or fail."""

    def __init__(self, mode: str = "n"):
        self.mode, self.requests = mode, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if self.path != "/v1/chat/completions":
                    return self._send(404, {"error": "not found"})
                if server.mode == "slow":
                    time.sleep(1.5)
                if server.mode == "error":
                    return self._send(500, {"error": {"message": "model crashed"}})
                if server.mode == "garbage":
                    return self._send(200, {"unexpected": True})
                n = 1 if server.mode == "ignore_n" else body.get("n", 1)
                start = len(server.requests) - 1 if server.mode == "ignore_n" else 0
                choices = [{"index": i, "message": {"role": "assistant", "content": REPLIES[(start + i) % len(REPLIES)]},
                            "finish_reason": "stop"} for i in range(n)]
                self._send(200, {"id": "x", "object": "chat.completion", "model": body.get("model"), "choices": choices})

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server():
    s = ChatServer()
    yield s
    s.close()


@pytest.fixture(scope="module")
def kb():
    from bot.shop.knowledge import KnowledgeBase
    from bot.shop.paths import STORE_DIR

    return KnowledgeBase.load(STORE_DIR)


def state_for(message: str):
    from bot.dialogue.state import DialogueState

    return DialogueState("s", history=[("customer", message)], intent="track_order", intent_score=0.7)


def test_requests_n_choices_with_grounded_messages(server, kb, monkeypatch):
    from bot.drafting.remote import OpenAIChatDrafter

    monkeypatch.setenv("RLCS_GENERATOR_API_KEY", "test-key")
    drafter = OpenAIChatDrafter(server.url + "/v1", kb, model="tiny-chat", temperature=0.5, max_new_tokens=40)
    candidates = drafter.draft(state_for("where is my order 10001?"), 4)
    assert len(server.requests) == 1
    request = server.requests[0]
    assert request["auth"] == "Bearer test-key"
    body = request["body"]
    assert body["n"] == 4 and body["model"] == "tiny-chat" and body["temperature"] == 0.5 and body["max_tokens"] == 40
    assert body["messages"][0]["role"] == "system" and kb.intent("track_order").passage in body["messages"][0]["content"]
    assert body["messages"][-1] == {"role": "user", "content": "where is my order 10001?"}
    # 4 choices: one near-duplicate dropped
    assert [c.text for c in candidates] == REPLIES[:2] + [REPLIES[3]]
    assert all(c.source == "remote" and c.meta["endpoint"].endswith("/v1/chat/completions") for c in candidates)


def test_server_that_ignores_n_gets_top_up_requests(kb):
    from bot.drafting.remote import OpenAIChatDrafter

    server = ChatServer("ignore_n")
    try:
        texts = OpenAIChatDrafter(server.url, kb).generate([{"role": "user", "content": "hi"}], 3)
    finally:
        server.close()
    assert len(server.requests) == 3 and [r["body"]["n"] for r in server.requests] == [3, 2, 1]
    assert texts == REPLIES[:3]


@pytest.mark.parametrize("mode", ["slow", "error", "garbage", "down"])
def test_failures_fall_back_to_retrieval_with_a_warning(mode, kb, make_bot, caplog):
    server = ChatServer("n" if mode == "down" else mode)
    url = server.url
    if mode == "down":
        server.close()  # nothing listens on that port any more: connection refused
    try:
        bot = make_bot(generator=url, n_generative=4, n_candidates=6, generator_options={"timeout": 0.5})
        with caplog.at_level(logging.WARNING, logger="bot.drafting.remote"):
            start = time.perf_counter()
            turn = bot.reply("s1", "Where is my order 10001?")
            elapsed = time.perf_counter() - start
    finally:
        if mode != "down":
            server.close()
    assert any("falling back to retrieval" in r.message for r in caplog.records)
    assert turn.candidates and all(c.source == "retrieval" for c in turn.candidates)
    assert len(turn.candidates) == 6  # retrieval filled the places the generator could not
    assert elapsed < 5  # the timeout held: a stalled endpoint costs at most its timeout


def test_bot_with_remote_generator_serves_hybrid_candidates(server, make_bot):
    bot = make_bot(generator=server.url, n_generative=2, n_candidates=5)
    turn = bot.reply("s1", "Where is my order 10001? My email is amara.kowalski@example.com")
    sources = [c.source for c in turn.candidates]
    assert sources.count("remote") == 2 and sources.count("retrieval") == 3
    assert server.requests[0]["body"]["n"] == 2
    # the customer proved the order, so the endpoint was shown the order record, but never their email
    body = json.dumps(server.requests[0]["body"])
    assert "order_id: 10001" in server.requests[0]["body"]["messages"][0]["content"] and "amara" not in body


def test_an_unproven_order_is_never_shown_to_the_endpoint(server, make_bot):
    bot = make_bot(generator=server.url, n_generative=2, n_candidates=5)
    bot.reply("s1", "Where is my order 10001?")
    assert "order_id" not in json.dumps(server.requests[0]["body"])
