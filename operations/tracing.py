"""OpenTelemetry traces of web requests, job runs, steps and provider calls (sent by otlp.py).

The tree of one run: the web request that queued the job (SERVER) -> the job's run, from queued
until it waits for review or ends -> each step, in whichever worker ran it (CONSUMER) -> each
provider call the step made (CLIENT). When the job is queued, its run span's ids and start are
kept in Redis under otel:job:<id>; every step message sent for the job carries that context in
its RQ meta as a W3C traceparent, and the worker's step span takes it as its parent. Whichever
process sees the run end closes the run span. An incoming `traceparent` header continues the
caller's trace.

Attributes are the ones Langfuse and the GenAI conventions read (gen_ai.request.model,
gen_ai.usage.input_tokens/output_tokens/cost) plus production.* (job id, client, step,
provider, outcome). Prompts and answers are added only with OTEL_TRACE_CONTENT=1. With no
endpoint configured nothing is recorded, looked up or sent.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django_rq.queues import DjangoRQ

from operations import otlp
from operations.otlp import KIND_CLIENT, KIND_CONSUMER, KIND_INTERNAL, KIND_SERVER, Span
from production.redis_connection import shared_redis

log = logging.getLogger(__name__)

JOB_KEY = "otel:job:{job_id}"
# A run that never ends (a job left queued) stops holding its record after a week.
JOB_RECORD_SECONDS = 7 * 24 * 3600
STEP_FUNCTION = "jobs.tasks.run_step"
CONTENT_LIMIT = 4000
RUN_STATUSES = ("queued", "processing")

_current: ContextVar[Span | None] = ContextVar("otel_current_span", default=None)
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")

Context = tuple[str, str]  # (trace id, span id)


def enabled() -> bool:
    return bool(otlp.traces_url())


def capture_content() -> bool:
    return otlp._setting("OTEL_TRACE_CONTENT", "0").lower() in ("1", "true", "yes")


def traceparent(context: Context) -> str:
    return f"00-{context[0]}-{context[1]}-01"


def parse_traceparent(value: str | None) -> Context | None:
    """The (trace id, span id) of a W3C traceparent; None for anything malformed or all-zero."""
    found = _TRACEPARENT.match((value or "").strip().lower())
    if not found or set(found[1]) == {"0"} or set(found[2]) == {"0"}:
        return None
    return found[1], found[2]


def current() -> Span | None:
    return _current.get()


def _submit(span: Span) -> None:
    try:
        exporter = otlp.exporter()
        if exporter is not None:
            exporter.submit(span)
    except Exception:  # noqa: BLE001 - tracing never fails the traced work
        log.exception("span %s not exported", span.name)


@contextmanager
def span(
    name: str,
    *,
    kind: int = KIND_INTERNAL,
    parent: Context | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Iterator[Span | None]:
    """A span around the block, child of `parent` or of the current span; None when off.

    An exception leaving the block marks the span as an error and goes on up unchanged."""
    if not enabled():
        yield None
        return
    if parent is None and (active := _current.get()) is not None:
        parent = (active.trace_id, active.span_id)
    opened = Span(
        name=name,
        trace_id=parent[0] if parent else secrets.token_hex(16),
        span_id=secrets.token_hex(8),
        parent_id=parent[1] if parent else "",
        kind=kind,
        start_ns=time.time_ns(),
        attributes=dict(attributes or {}),
    )
    token = _current.set(opened)
    try:
        yield opened
    except BaseException as exc:
        opened.fail(f"{type(exc).__name__}: {exc}")
        raise
    finally:
        _current.reset(token)
        opened.end_ns = time.time_ns()
        _submit(opened)


# --- web requests ------------------------------------------------------------------------------


class TracingMiddleware:
    """A SERVER span per request, named by its route (not its path, which holds ids)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            return self.get_response(request)
        parent = parse_traceparent(request.headers.get("traceparent"))
        attributes = {"http.request.method": request.method, "url.path": request.path}
        with span(request.method or "GET", kind=KIND_SERVER, parent=parent) as opened:
            assert opened is not None
            opened.set(**attributes)
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            route = _route(match.route) if match is not None and match.route else ""
            opened.name = f"{request.method} {route or request.path}"
            opened.set(**{"http.route": route, "http.response.status_code": response.status_code})
            if response.status_code >= 500:
                opened.fail(f"HTTP {response.status_code}")
        return response


_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _route(pattern: str) -> str:
    """A route as a reader writes it: regex routes (DRF's routers) get <name> placeholders."""
    readable = _GROUP.sub(r"<\1>", pattern).replace("/?", "/")
    return "/" + readable.replace("^", "").replace("$", "").lstrip("/")


# --- job runs ----------------------------------------------------------------------------------


def _redis() -> Any:
    return shared_redis()


def job_context(job_id: int) -> Context | None:
    """The run span's context of a job whose run is under way, from its Redis record."""
    try:
        raw = _redis().get(JOB_KEY.format(job_id=job_id))
    except Exception:  # noqa: BLE001 - no record, no parent
        return None
    if not raw:
        return None
    record = json.loads(raw)
    return record["trace_id"], record["span_id"]


def _open_run(job_id: int, revision: int) -> None:
    active = _current.get()
    record = {
        "trace_id": active.trace_id if active else secrets.token_hex(16),
        "span_id": secrets.token_hex(8),
        "parent_id": active.span_id if active else "",
        "start_ns": time.time_ns(),
        "revision": revision,
    }
    # NX: a step queued again for its retry (processing -> queued) is still the same run.
    _redis().set(JOB_KEY.format(job_id=job_id), json.dumps(record), ex=JOB_RECORD_SECONDS, nx=True)


def _close_run(job_id: int, attributes: dict[str, Any], failed: bool) -> None:
    redis = _redis()
    key = JOB_KEY.format(job_id=job_id)
    pipe = redis.pipeline(transaction=True)
    pipe.get(key)
    pipe.delete(key)
    raw, _ = pipe.execute()
    if not raw:
        return
    record = json.loads(raw)
    run = Span(
        name=f"job {attributes['production.job.type']}",
        trace_id=record["trace_id"],
        span_id=record["span_id"],
        parent_id=record["parent_id"],
        start_ns=record["start_ns"],
        end_ns=time.time_ns(),
        attributes=attributes,
    )
    if failed:
        run.fail(f"job {attributes['production.outcome']}")
    _submit(run)


def on_job_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A job queued opens its run span; leaving queued/processing for anything else closes it."""
    if not created or kwargs.get("raw") or not enabled():
        return
    try:
        if instance.to_status == "queued" and instance.from_status != "queued":
            _open_run(instance.job_id, instance.revision)
        elif instance.from_status in RUN_STATUSES and instance.to_status not in RUN_STATUSES:
            job = instance.job
            attributes = {
                "production.job.id": job.pk,
                "production.job.type": job.job_type,
                "production.client": job.client.slug,
                "production.job.revision": instance.revision,
                "production.outcome": instance.to_status,
                "production.tokens": job.tokens_total,
                "production.cost_usd": float(job.cost_usd or 0),
                "langfuse.trace.name": f"job {job.pk}: {job.title}"[:200],
            }
            failed = instance.to_status == "failed"
            transaction.on_commit(functools.partial(_close_run, job.pk, attributes, failed))
    except Exception:  # noqa: BLE001 - see _submit
        log.exception("job run span of job %s not recorded", instance.job_id)


class TracedQueue(DjangoRQ):
    """django-rq's queue, adding the job's run context to each step message it creates."""

    def create_job(self, *args: Any, **kwargs: Any) -> Any:
        if enabled():
            carried = _message_context(args, kwargs)
            if carried is not None:
                kwargs["meta"] = {**(kwargs.get("meta") or {}), "traceparent": traceparent(carried)}
        return super().create_job(*args, **kwargs)


def _message_context(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Context | None:
    func = args[0] if args else kwargs.get("func")
    call_args = (args[1] if len(args) > 1 else kwargs.get("args")) or ()
    try:
        if func == STEP_FUNCTION and call_args:
            from jobs.models import StepRun

            job_id = StepRun.objects.filter(pk=call_args[0]).values_list("job_id", flat=True)
            found = job_id.first()
            if found is not None:
                return job_context(found)
    except Exception:  # noqa: BLE001 - a message without context is still sent
        log.exception("no trace context for %s", func)
    active = _current.get()
    return (active.trace_id, active.span_id) if active else None


# --- steps -------------------------------------------------------------------------------------


def _step_parent(step_run_id: int, rq_job_id: str, job_id: int) -> Context | None:
    """The traceparent of the step's RQ message, else the job's run record."""
    if rq_job_id:
        try:
            from rq.job import Job

            meta = Job.fetch(rq_job_id, connection=_redis()).meta
            carried = parse_traceparent(meta.get("traceparent"))
            if carried is not None:
                return carried
        except Exception:  # noqa: BLE001 - message gone (re-sent by the reconciler): use the record
            pass
    return job_context(job_id)


def traced_step(run_step: Callable[[int, int], str]) -> Callable[[int, int], str]:
    """Wrap the engine's step entry point in a CONSUMER span under the job's run span."""

    @functools.wraps(run_step)
    def traced(step_run_id: int, attempt: int) -> str:
        if not enabled():
            return run_step(step_run_id, attempt)
        from jobs.models import StepRun

        row = (
            StepRun.objects.filter(pk=step_run_id)
            .values("job_id", "rq_job_id", "step", "job__client__slug", "job__job_type")
            .first()
        )
        if row is None:
            return run_step(step_run_id, attempt)
        parent = _step_parent(step_run_id, row["rq_job_id"], row["job_id"])
        attributes = {
            "production.job.id": row["job_id"],
            "production.job.type": row["job__job_type"],
            "production.client": row["job__client__slug"],
            "production.step": row["step"],
            "production.step_run.id": step_run_id,
            "production.attempt": attempt,
        }
        with span(
            f"step {row['step']}", kind=KIND_CONSUMER, parent=parent, attributes=attributes
        ) as opened:
            outcome = run_step(step_run_id, attempt)
            assert opened is not None
            _describe_step(opened, step_run_id, outcome)
        return outcome

    return traced


def _describe_step(opened: Span, step_run_id: int, outcome: str) -> None:
    from jobs.models import StepRun

    opened.set(**{"production.outcome": outcome})
    done = (
        StepRun.objects.filter(pk=step_run_id)
        .values("provider", "tokens_in", "tokens_out", "cost_usd", "calls", "error")
        .first()
    )
    if done is None:
        return
    opened.set(
        **{
            "production.provider": done["provider"],
            "production.calls": done["calls"],
            "gen_ai.usage.input_tokens": done["tokens_in"],
            "gen_ai.usage.output_tokens": done["tokens_out"],
            "production.cost_usd": float(done["cost_usd"] or Decimal(0)),
        }
    )
    if outcome == "failed":
        opened.fail(done["error"] or "step failed")


# --- provider calls ----------------------------------------------------------------------------


class TracedProvider:
    """A provider whose every call is a CLIENT span; everything else is the provider's own."""

    def __init__(self, inner: Any, prices: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_prices", prices)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        # Settings changed on the provider (a base URL, a timeout) are the provider's own.
        setattr(self._inner, name, value)

    def __repr__(self) -> str:
        return f"TracedProvider({self._inner!r})"

    def call(self, request: Any) -> Any:
        if not enabled():
            return self._inner.call(request)
        from jobs.providers.base import ProviderTimeout
        from jobs.providers.pricing import cost_for, is_priced

        name = self._inner.name
        model = str(getattr(self._inner, "model", "") or "")
        attributes = {
            "production.provider": name,
            "production.capability": self._inner.capability,
            "gen_ai.system": name,
            "gen_ai.request.model": model,
        }
        if capture_content() and getattr(request, "messages", None):
            attributes["gen_ai.prompt"] = json.dumps(request.messages)[:CONTENT_LIMIT]
        with span(
            f"{self._inner.capability} {name}", kind=KIND_CLIENT, attributes=attributes
        ) as opened:
            assert opened is not None
            try:
                result = self._inner.call(request)
            except ProviderTimeout:
                opened.set(**{"production.outcome": "timeout"})
                raise
            except Exception:
                opened.set(**{"production.outcome": "error"})
                raise
            tokens_in = int(getattr(result, "tokens_in", 0) or 0)
            tokens_out = int(getattr(result, "tokens_out", 0) or 0)
            model = str(getattr(result, "model", "") or model)
            opened.set(
                **{
                    "production.outcome": "ok",
                    "gen_ai.response.model": model,
                    "gen_ai.usage.input_tokens": tokens_in,
                    "gen_ai.usage.output_tokens": tokens_out,
                    "gen_ai.usage.cost": cost_for(name, model, tokens_in, tokens_out, self._prices),
                    "production.unpriced": not is_priced(name, model, self._prices),
                }
            )
            if capture_content() and isinstance(getattr(result, "text", None), str):
                opened.set(**{"gen_ai.completion": result.text[:CONTENT_LIMIT]})
            return result


def instrument_providers(configured: Any) -> Any:
    """Wrap each provider of a configured set (its `providers` and `prices`) for tracing."""
    prices = getattr(configured, "prices", {}) or {}
    configured.providers = {
        name: provider if isinstance(provider, TracedProvider) else TracedProvider(provider, prices)
        for name, provider in configured.providers.items()
    }
    return configured
