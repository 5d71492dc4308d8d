"""Talk to a running `rlcs serve` chat page (/) over HTTP the way its page does: no browser, no gradio_client.

    server = ChatServer("http://127.0.0.1:7860")
    chat = server.session()            # one browser tab: its own Gradio session hash and local storage
    reply = chat.send("Where is my order 10003?")
    chat.vote(liked=False)             # 👎 on the last reply, as a click on the chatbot's thumb

Reads the page's /config to find the chat's events ("send", "like") and how each is served: a queued
event joins /gradio_api/queue/join and reads its result from the /gradio_api/queue/data stream (SSE), an
unqueued one is one POST to /gradio_api/run/predict. Used by `rlcs bench serve --web` and the tests.
"""
from __future__ import annotations

import http.client
import json
import secrets
from urllib.parse import urlparse


class ChatError(RuntimeError):
    pass


class ChatServer:
    def __init__(self, url: str, timeout: float = 120.0):
        parsed = urlparse(url)
        self.host, self.port, self.timeout = parsed.hostname, parsed.port or 80, timeout
        status, config = self.request("GET", "/config")
        if status != 200:
            raise ChatError(f"GET /config -> {status}")
        self.config = config
        self.api_prefix = config.get("api_prefix", "/gradio_api")
        self.events = {d["api_name"]: d for d in config["dependencies"] if d.get("api_name")}
        for name in ("send", "like"):
            if name not in self.events:
                raise ChatError(f"the page has no {name!r} event: is this `rlcs serve`?")

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: dict | None = None,
                con: http.client.HTTPConnection | None = None) -> tuple[int, dict]:
        own = con is None
        con = con or self.connect()
        try:
            con.request(method, path, None if body is None else json.dumps(body),
                        {"Content-Type": "application/json"} if body is not None else {})
            response = con.getresponse()
            data = response.read()
            return response.status, json.loads(data) if data else {}
        finally:
            if own:
                con.close()

    def session(self) -> ChatSession:
        return ChatSession(self)


class ChatSession:
    """One tab: history and local storage kept here as the page keeps them; the chat's State lives on the server."""

    def __init__(self, server: ChatServer):
        self.server = server
        self.session_hash = secrets.token_hex(6)
        self.history: list[dict] = []
        self.saved: dict = {"session_id": None}
        self.notice = ""
        self.con = server.connect()

    def close(self) -> None:
        self.con.close()

    def _call(self, name: str, data: list, event_data: dict | None = None) -> list:
        dep = self.server.events[name]
        body = {"data": data, "event_data": event_data, "fn_index": dep["id"], "trigger_id": dep["targets"][0][0],
                "session_hash": self.session_hash}
        prefix = self.server.api_prefix
        for attempt in range(3):  # a keep-alive connection the server closed meanwhile: reconnect once or twice
            try:
                if dep.get("queue") is False:
                    status, answer = self.server.request("POST", f"{prefix}/run/predict", body, con=self.con)
                    if status != 200:
                        raise ChatError(f"{name}: HTTP {status}: {str(answer)[:200]}")
                    return answer["data"]
                return self._queued(name, body)
            except (http.client.HTTPException, ConnectionError) as err:
                self.con.close()
                self.con = self.server.connect()
                if attempt == 2:
                    raise ChatError(f"{name}: {err}") from err
        raise AssertionError("unreachable")

    def _queued(self, name: str, body: dict) -> list:
        prefix = self.server.api_prefix
        status, answer = self.server.request("POST", f"{prefix}/queue/join", body, con=self.con)
        if status != 200:
            raise ChatError(f"{name}: queue/join HTTP {status}: {str(answer)[:200]}")
        event_id = answer["event_id"]
        self.con.request("GET", f"{prefix}/queue/data?session_hash={self.session_hash}")
        response = self.con.getresponse()
        result = None
        for line in response:
            if not line.startswith(b"data:"):
                continue
            message = json.loads(line[5:])
            if message.get("msg") == "process_completed" and message.get("event_id") == event_id:
                if not message.get("success"):
                    raise ChatError(f"{name}: {message.get('output')}")
                result = message["output"]["data"]
            elif message.get("msg") in ("close_stream", "unexpected_error"):
                break
        response.read()
        if result is None:
            raise ChatError(f"{name}: the stream closed without a result")
        return result

    def send(self, text: str) -> str:
        """Type `text` and press Enter; returns the bot's reply (or raises ChatError with the notice shown)."""
        out = self._call("send", [text, self.history, None, self.saved])
        history, _, _, notice, saved = out
        self.notice = notice if isinstance(notice, str) else ""
        if isinstance(saved, dict) and "session_id" in saved:
            self.saved = saved
        if not isinstance(history, list) or len(history) < len(self.history) + 2:
            raise ChatError(f"no reply: {self.notice or out}")
        self.history = history
        return text_of(history[-1])

    def vote(self, liked: bool = True) -> str:
        """👍 or 👎 on the last reply; returns the notice the page shows."""
        index = len(self.history) - 1
        event = {"index": index, "value": self.history[index]["content"], "liked": liked}
        out = self._call("like", [None, self.saved, self.history], event)
        self.notice = out[1] if isinstance(out[1], str) else ""
        return self.notice


def text_of(message: dict) -> str:
    """A chat message's text: Gradio 6 sends content as a list of parts ({"type": "text", "text": ...})."""
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)
