"""OTLP/HTTP JSON export of finished spans, batched in a background thread of each process.

The JSON mapping of the OTLP protobuf messages (ExportTraceServiceRequest): resourceSpans ->
scopeSpans -> spans, lowerCamelCase names, trace and span ids as hex strings, 64-bit integers
(timestamps in nanoseconds, intValue) as decimal strings, enums (kind, status code) as numbers.

Finished spans go into a bounded in-memory queue; a daemon thread posts them every
OTEL_BSP_SCHEDULE_DELAY milliseconds, or sooner once a batch is full, and once more when the
process exits. A collector that is down, slow or answering errors costs a logged warning and the
batch: never a request, a step or a provider call. When the queue is full, new spans are dropped
(and counted) rather than grow memory.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from production.tunables import tunable

log = logging.getLogger(__name__)

# SpanKind and StatusCode of trace.proto.
KIND_INTERNAL, KIND_SERVER, KIND_CLIENT, KIND_PRODUCER, KIND_CONSUMER = 1, 2, 3, 4, 5
STATUS_UNSET, STATUS_OK, STATUS_ERROR = 0, 1, 2

SCOPE = "production-engine"


@dataclass
class Span:
    """A finished (or running) span; ids are lowercase hex, times Unix nanoseconds."""

    name: str
    trace_id: str
    span_id: str
    parent_id: str = ""
    kind: int = KIND_INTERNAL
    start_ns: int = 0
    end_ns: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)
    status: int = STATUS_UNSET
    status_message: str = ""

    def set(self, **attributes: Any) -> None:
        """Add attributes; keys use dots, so pass them as a mapping: span.set(**{"a.b": 1})."""
        self.attributes.update(attributes)

    def fail(self, message: str) -> None:
        self.status, self.status_message = STATUS_ERROR, message[:500]


def _value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, (list, tuple)):
        return {"arrayValue": {"values": [_value(v) for v in value]}}
    return {"stringValue": str(value)}


def attributes(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": _value(v)} for k, v in values.items() if v is not None]


def encode_span(span: Span) -> dict[str, Any]:
    encoded: dict[str, Any] = {
        "traceId": span.trace_id,
        "spanId": span.span_id,
        "name": span.name,
        "kind": span.kind,
        "startTimeUnixNano": str(span.start_ns),
        "endTimeUnixNano": str(span.end_ns),
        "attributes": attributes(span.attributes),
        "status": {"code": span.status},
    }
    if span.parent_id:
        encoded["parentSpanId"] = span.parent_id
    if span.status_message:
        encoded["status"]["message"] = span.status_message
    return encoded


def encode(spans: list[Span], resource: Mapping[str, Any]) -> dict[str, Any]:
    """One ExportTraceServiceRequest for spans of one process (one resource, one scope)."""
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": attributes(resource)},
                "scopeSpans": [
                    {"scope": {"name": SCOPE}, "spans": [encode_span(s) for s in spans]}
                ],
            }
        ]
    }


def _setting(name: str, default: str = "") -> str:
    return tunable(name, default)


def traces_url() -> str:
    """OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces;
    empty when neither is set (then nothing is recorded or sent)."""
    full = _setting("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    if full:
        return full
    base = _setting("OTEL_EXPORTER_OTLP_ENDPOINT")
    return f"{base.rstrip('/')}/v1/traces" if base else ""


def headers() -> dict[str, str]:
    """OTEL_EXPORTER_OTLP_HEADERS: "key=value,key2=value2" (values URL-encoded), e.g. auth."""
    from urllib.parse import unquote

    found = {}
    for pair in _setting("OTEL_EXPORTER_OTLP_HEADERS").split(","):
        if "=" in pair:
            key, value = pair.split("=", 1)
            found[key.strip()] = unquote(value.strip())
    return found


def resource() -> dict[str, Any]:
    return {
        "service.name": _setting("OTEL_SERVICE_NAME", "production-engine"),
        "process.pid": os.getpid(),
        "telemetry.sdk.name": SCOPE,
        "telemetry.sdk.language": "python",
    }


class BatchExporter:
    """Queues finished spans and posts them in batches from one daemon thread."""

    def __init__(
        self,
        url: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        delay_seconds: float = 5.0,
        batch_size: int = 512,
        max_queue: int = 2048,
        timeout_seconds: float = 10.0,
    ) -> None:
        self.url = url
        self.headers = {"Content-Type": "application/json", **(extra_headers or {})}
        self.delay = delay_seconds
        self.batch_size = batch_size
        self.timeout = timeout_seconds
        self.spans: queue.Queue[Span] = queue.Queue(max_queue)
        self.dropped = 0
        self.sent = 0
        self.failed_batches = 0
        self._wake = threading.Event()
        self._idle = threading.Condition()
        self._pending = 0
        self._thread = threading.Thread(target=self._loop, name="otlp-export", daemon=True)
        self._thread.start()

    def submit(self, span: Span) -> None:
        """Never blocks and never raises: a full queue drops the span."""
        try:
            self.spans.put_nowait(span)
        except queue.Full:
            self.dropped += 1
            return
        with self._idle:
            self._pending += 1
        if self.spans.qsize() >= self.batch_size:
            self._wake.set()

    def flush(self, timeout: float = 5.0) -> bool:
        """Send what is queued now; True when everything queued so far was handled."""
        self._wake.set()
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _loop(self) -> None:
        while True:
            self._wake.wait(self.delay)
            self._wake.clear()
            while not self.spans.empty():
                batch = []
                while len(batch) < self.batch_size and not self.spans.empty():
                    batch.append(self.spans.get_nowait())
                try:
                    self._post(batch)
                except Exception:  # noqa: BLE001 - the export thread must outlive any batch
                    log.exception("OTLP export of %d spans failed", len(batch))
                with self._idle:
                    self._pending -= len(batch)
                    self._idle.notify_all()

    def _post(self, batch: list[Span]) -> None:
        body = json.dumps(encode(batch, resource())).encode()
        request = urllib.request.Request(self.url, data=body, headers=self.headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                answer.read()
            self.sent += len(batch)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            self.failed_batches += 1
            log.warning("OTLP export of %d spans to %s failed: %s", len(batch), self.url, exc)


_exporter: BatchExporter | None = None
_exporter_for: tuple[str, int] | None = None
_lock = threading.Lock()


def exporter() -> BatchExporter | None:
    """This process's exporter for the configured endpoint; None when tracing is off.

    Made again after a fork (a new pid) or when the endpoint changes (tests)."""
    global _exporter, _exporter_for
    url = traces_url()
    if not url:
        return None
    key = (url, os.getpid())
    if _exporter_for != key:
        with _lock:
            if _exporter_for != key:
                _exporter = BatchExporter(
                    url,
                    extra_headers=headers(),
                    delay_seconds=float(_setting("OTEL_BSP_SCHEDULE_DELAY", "5000")) / 1000,
                    batch_size=int(_setting("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "512")),
                    max_queue=int(_setting("OTEL_BSP_MAX_QUEUE_SIZE", "2048")),
                    timeout_seconds=float(_setting("OTEL_EXPORTER_OTLP_TIMEOUT", "10000")) / 1000,
                )
                _exporter_for = key
    return _exporter


def _flush_at_exit() -> None:
    if _exporter is not None and _exporter_for and _exporter_for[1] == os.getpid():
        _exporter.flush(timeout=5.0)


atexit.register(_flush_at_exit)
