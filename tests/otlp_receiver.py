"""A local OTLP/HTTP trace receiver: takes POST /v1/traces with a JSON body and keeps the spans.

It reads the payload by the OTLP JSON mapping itself (resourceSpans -> scopeSpans -> spans, hex
ids, nanosecond times as strings), so the exporter is checked against the protocol, not against
its own encoder. It can answer an error status or hold each answer to play a sick collector.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ReceivedSpan:
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    kind: int
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    status: dict[str, Any]
    resource: dict[str, Any]


def _plain(value: dict[str, Any]) -> Any:
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        return int(value["intValue"])
    if "doubleValue" in value:
        return float(value["doubleValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "arrayValue" in value:
        return [_plain(v) for v in value["arrayValue"].get("values", [])]
    raise ValueError(f"not an OTLP AnyValue: {value}")


def _attributes(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {item["key"]: _plain(item["value"]) for item in items}


def parse(payload: dict[str, Any]) -> list[ReceivedSpan]:
    spans = []
    for resource_spans in payload["resourceSpans"]:
        resource = _attributes(resource_spans.get("resource", {}).get("attributes", []))
        for scope_spans in resource_spans["scopeSpans"]:
            for span in scope_spans["spans"]:
                assert len(span["traceId"]) == 32 and int(span["traceId"], 16)
                assert len(span["spanId"]) == 16 and int(span["spanId"], 16)
                spans.append(
                    ReceivedSpan(
                        name=span["name"],
                        trace_id=span["traceId"],
                        span_id=span["spanId"],
                        parent_id=span.get("parentSpanId", ""),
                        kind=int(span["kind"]),
                        start_ns=int(span["startTimeUnixNano"]),
                        end_ns=int(span["endTimeUnixNano"]),
                        attributes=_attributes(span.get("attributes", [])),
                        status=span.get("status", {}),
                        resource=resource,
                    )
                )
    return spans


class OTLPReceiver:
    """Serves 127.0.0.1:<free port>; `endpoint` is what OTEL_EXPORTER_OTLP_ENDPOINT takes."""

    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.requests.append((self.path, dict(self.headers), body))
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> OTLPReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def spans(self) -> list[ReceivedSpan]:
        with self._lock:
            bodies = [body for path, _, body in self.requests if path == "/v1/traces"]
        return [span for body in bodies for span in parse(json.loads(body))]

    def wait_for(
        self, predicate: Callable[[list[ReceivedSpan]], bool], timeout: float = 30
    ) -> list[ReceivedSpan]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.spans()
            if predicate(found):
                return found
            time.sleep(0.1)
        raise AssertionError(f"spans never matched; got {[s.name for s in self.spans()]}")
