"""A local HTTP server speaking the OpenAI chat-completions protocol, with scriptable replies.

Use it from tests (`with FakeOpenAIServer() as server: server.script(Reply("hi"))`) or run it
for manual checks: `python tests/fake_openai_server.py --port 8765`.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """A successful completion; `text=None` echoes the last user message."""

    text: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    delay: float = 0.0
    usage: bool = True


@dataclass(frozen=True)
class Delay:
    """Hold the request for `seconds` (longer than the client's timeout) before replying."""

    seconds: float
    then: Reply = field(default_factory=Reply)


@dataclass(frozen=True)
class Status:
    """An HTTP error, e.g. 500, 429 or 401, with an OpenAI-style error body."""

    code: int
    message: str = "scripted failure"


@dataclass(frozen=True)
class Malformed:
    """A 200 response whose body is not JSON."""

    body: str = "<html>this is not json</html>"


@dataclass(frozen=True)
class Empty:
    """A well-formed completion whose content is empty."""


Behaviour = Reply | Delay | Status | Malformed | Empty


class _Server(ThreadingHTTPServer):
    # Many workers connect at once in the throughput bench; the default backlog is 5.
    request_queue_size = 512


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeOpenAIServer:
    """Serves POST /v1/chat/completions on 127.0.0.1; scripted behaviours are used in order,
    then `default` for every further request."""

    def __init__(self, port: int = 0, default: Behaviour | None = None) -> None:
        self.default: Behaviour = default or Reply()
        self.received: list[Received] = []
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.in_flight = 0
        self.peak_in_flight = 0

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.received)

    def script(self, *behaviours: Behaviour) -> FakeOpenAIServer:
        with self._lock:
            self._script.extend(behaviours)
        return self

    def reset(self, default: Behaviour | None = None) -> None:
        with self._lock:
            self._script.clear()
            self.received.clear()
            self.peak_in_flight = self.in_flight
            if default is not None:
                self.default = default

    def start(self) -> FakeOpenAIServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # Wakes handlers held by a Delay.
        self._httpd.shutdown()
        self.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def close(self) -> None:
        self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, received: Received) -> Behaviour:
        with self._lock:
            self.received.append(received)
            return self._script.popleft() if self._script else self.default

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # Keep test output clean.

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._json(400, {"error": {"message": "request body is not JSON"}})
                    return
                received = Received(self.path, dict(self.headers.items()), body)
                with server._lock:
                    server.in_flight += 1
                    server.peak_in_flight = max(server.peak_in_flight, server.in_flight)
                try:
                    server._respond(self, server._next(received), body)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                self._send(status, json.dumps(payload).encode(), "application/json")

            def _send(self, status: int, data: bytes, content_type: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # The client gave up (a timeout); nothing to tell it.

        return Handler

    def _respond(self, handler: Any, behaviour: Behaviour, body: dict[str, Any]) -> None:
        if isinstance(behaviour, Delay):
            if self._stopping.wait(behaviour.seconds):
                return
            behaviour = behaviour.then
        if isinstance(behaviour, Status):
            error = {"message": behaviour.message, "type": "scripted", "code": behaviour.code}
            handler._json(behaviour.code, {"error": error})
        elif isinstance(behaviour, Malformed):
            handler._send(200, behaviour.body.encode(), "application/json")
        elif isinstance(behaviour, Empty):
            handler._json(200, completion(body, "", 0, 0))
        else:
            if behaviour.delay and self._stopping.wait(behaviour.delay):
                return
            text = behaviour.text if behaviour.text is not None else echo(body)
            prompt = behaviour.prompt_tokens
            if prompt is None:
                prompt = sum(len(str(m.get("content", "")).split()) for m in messages(body))
            produced = behaviour.completion_tokens
            if produced is None:
                produced = len(text.split())
            payload = completion(body, text, prompt, produced)
            if not behaviour.usage:
                del payload["usage"]  # As some local model servers do.
            handler._json(200, payload)


def messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    found = body.get("messages")
    return found if isinstance(found, list) else []


def echo(body: dict[str, Any]) -> str:
    users = [m for m in messages(body) if m.get("role") == "user"]
    last = str(users[-1].get("content", "")) if users else ""
    return f"Rewritten: {last}".strip()


def completion(body: dict[str, Any], text: str, prompt: int, produced: int) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": str(body.get("model", "fake-model")),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": produced,
            "total_tokens": prompt + produced,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reply", default=None, help="fixed reply text (default: echo)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each reply")
    args = parser.parse_args()
    server = FakeOpenAIServer(port=args.port, default=Reply(text=args.reply, delay=args.delay))
    print(f"fake OpenAI server on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":
    main()
