"""A local HTTP server that receives webhooks, answers scripted status codes and keeps every request.

Its signature check is written here from the Standard Webhooks specification, independently of
the library the project signs with: HMAC-SHA256 keyed with the base64-decoded secret (after
"whsec_"), over "<webhook-id>.<webhook-timestamp>.<raw body>", base64-encoded and prefixed with
"v1,"; the webhook-signature header holds one or more of those, separated by spaces.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


def expected_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, request: Received, tolerance: int = 300) -> bool:
    """True when one of the request's signatures was made with `secret` and it is fresh."""
    msg_id = request.headers.get("webhook-id", "")
    timestamp = request.headers.get("webhook-timestamp", "")
    header = request.headers.get("webhook-signature", "")
    if not (msg_id and timestamp and header):
        return False
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    wanted = expected_signature(secret, msg_id, timestamp, request.body)
    return any(hmac.compare_digest(wanted, given) for given in header.split(" "))


class WebhookReceiver:
    """`with WebhookReceiver([500, 200]) as receiver:` answers 500, then 200 for ever after."""

    def __init__(self, codes: list[int] | None = None, default: int = 200) -> None:
        self.codes = deque(codes or [])
        self.default = default
        self.received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    code = receiver.codes.popleft() if receiver.codes else receiver.default
                answer = b'{"ok": true}' if code < 300 else b'{"error": "scripted failure"}'
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self) -> int:
        with self._lock:
            return len(self.received)
