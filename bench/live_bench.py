"""Live pages: 200 viewers follow their jobs through gunicorn while step workers are busy.

Each viewer holds a job page's event stream open, as the browser does, and shows the changes
the way the page does: in the page's design the stream carries each new fragment; in the
other, measured beside it, the stream carries notices and the page fetches its fragment (one
fetch per burst, 60 ms after its first notice). The figure is commit to page updated (each
change carries the time it committed). Idle: the changes are made one at a time with the
workers stopped. Busy: two step workers run the watched jobs and as many again unwatched.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.api_bench import free_port
from bench.harness import ROOT, Workers, percentiles, wait_until

VIEWERS = 200
WATCHED_JOBS = 40  # five viewers on each
# Banners for everyone else: pictures keep the workers' CPU busy, as media jobs do.
UNWATCHED_JOBS = 40
BANNER = {"visualType": "banner", "headline": "Autumn trail days", "sizes": ["1200x628"]}
IDLE_CHANGES = 40
# The web processes' key (the development key is refused with DEBUG off); the viewers'
# sessions are signed with it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-key"
STEP_WORKER_THREADS = 8
DEBOUNCE_SECONDS = 0.06  # static/js/live.js's DEBOUNCE_MS


@dataclass
class Figures:
    """Per change: commit to the page showing it, and how it got there."""

    notices: list[float] = field(default_factory=list)  # commit to "change" notice received
    shown: list[float] = field(default_factory=list)  # commit to the new fragment on the page
    pushed: int = 0  # fragments that came in the stream
    fetched: int = 0  # fragments the page fetched after a notice
    errors: int = 0

    def fetch_done(self, burst: list[tuple[float, float]], fetched: float | None) -> None:
        self.fetched += 1
        for committed, received in burst:
            self.notices.append(received)
            if fetched is None:
                self.errors += 1
            else:
                self.shown.append(fetched - committed)


class Viewer:
    """One open job page: its stream, and the fragment fetches the page makes on notices.

    As static/js/live.js does: a "fragment" event replaces the page's fragment at once; on a
    "change" event (a stream of notices only) the first notice of a burst starts a 60 ms wait,
    then one fetch shows every notice that came meanwhile, and notices during a fetch lead to
    one more fetch. Every viewer runs on one event loop in one thread: 200 pages as 400
    threads made the client itself a CPU and lock load on the machine it measures.
    """

    def __init__(self, port: int, job_id: str, cookie: str, push: bool) -> None:
        self.port, self.job_id, self.cookie = port, job_id, cookie
        self.stream_path = f"/jobs/{job_id}/live/" + ("?fragments=1" if push else "")
        self.figures: Figures | None = None
        self.connected = threading.Event()
        self.refused = 0
        self.reasons: Counter[str] = Counter()
        self.pending: list[tuple[float, float]] = []
        self.woken = asyncio.Event()

    async def follow(self) -> None:
        while True:
            try:
                await self._follow()
            except OSError as exc:
                self.refused += 1
                self.reasons[type(exc).__name__] += 1
                await asyncio.sleep(0.5)

    async def _follow(self) -> None:
        # A fragment is one line of JSON, longer than asyncio's default line limit.
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 24)
        try:
            writer.write(
                f"GET {self.stream_path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: sessionid={self.cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            status = await reader.readline()
            if b" 200 " not in status:
                self.refused += 1
                self.reasons[status.decode(errors="replace").strip()[:40] or "closed"] += 1
                await asyncio.sleep(1.0)
                return
            while await reader.readline() not in (b"\r\n", b""):
                pass  # headers
            self.connected.set()
            name = b""
            while True:
                line = await reader.readline()
                if not line:
                    return  # the stream's deadline: reconnect, as EventSource does
                if line.startswith(b"event: "):
                    name = line[7:].strip()
                elif line.startswith(b"data: ") and name == b"change":
                    committed = json.loads(line[6:])["at"]
                    self.pending.append((committed, time.time() - committed))
                    self.woken.set()
                elif line.startswith(b"data: ") and name == b"fragment":
                    shown = time.time()
                    figures = self.figures
                    if figures is not None:
                        figures.pushed += 1
                        figures.shown.extend(shown - at for at in json.loads(line[6:])["at"])
        finally:
            writer.close()

    async def fetch_loop(self) -> None:
        page: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while True:
            await self.woken.wait()
            await asyncio.sleep(DEBOUNCE_SECONDS)
            self.woken.clear()
            burst, self.pending = self.pending, []
            figures = self.figures
            page, fetched = await self._fetch(page)
            if figures is not None:
                figures.fetch_done(burst, fetched)

    async def _fetch(
        self, page: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None
    ) -> tuple[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None, float | None]:
        """The kept-alive connection and when the fragment arrived (None on failure)."""
        request = (
            f"GET /jobs/{self.job_id}/?seen=bench HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: sessionid={self.cookie}\r\nHX-Request: true\r\n\r\n"
        ).encode()
        # A kept-alive connection the server has since closed fails at once; a browser sends
        # the request again on a new one, and so does this client (once).
        for _ in range(2):
            try:
                if page is None:
                    page = await asyncio.open_connection("127.0.0.1", self.port)
                reader, writer = page
                writer.write(request)
                status = await reader.readline()
                length = 0
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if not status:
                    raise ConnectionResetError("closed")
                await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError):
                if page is not None:
                    page[1].close()
                page = None
                continue
            return page, time.time() if b" 200 " in status else None
        return page, None


class Viewers:
    """The viewers' event loop, in a thread of its own beside the bench's own work."""

    def __init__(self, viewers: list[Viewer]) -> None:
        self.viewers = viewers
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Viewers:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()
        return self

    async def _start(self) -> None:
        self.tasks = [
            asyncio.create_task(work())
            for viewer in self.viewers
            for work in (viewer.follow, viewer.fetch_loop)
        ]

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def start_gunicorn(database_url: str, port: int) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": SECRET_KEY,
        # As the launcher runs it: PostgreSQL connections pooled per process, as many as the
        # threads that serve requests other than streams.
        "DATABASE_POOL_SIZE": str(settings.WEB_THREADS),
    }
    threads = settings.WEB_THREADS + settings.LIVE_STREAMS_PER_PROCESS
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "production.wsgi:application",
            "--workers",
            str(settings.WEB_WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--config",
            "python:production.gunicorn_hooks",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _phase_rows(name: str, figures: Figures) -> list[tuple[str, str]]:
    if not figures.shown:
        return [(f"{name}: changes shown", "0")]
    s50, s95 = percentiles(figures.shown)
    rows = [
        (
            f"{name}: commit to page updated p50 / p95 (ms, {len(figures.shown)} changes)",
            f"{s50 * 1000:.0f} / {s95 * 1000:.0f} (goal p95 <= 250)",
        ),
        (
            f"{name}: fragments pushed / fetched / failed",
            f"{figures.pushed} / {figures.fetched} / {figures.errors}",
        ),
    ]
    if figures.notices:
        n50, n95 = percentiles(figures.notices)
        rows.append(
            (f"{name}: commit to notice p50 / p95 (ms)", f"{n50 * 1000:.0f} / {n95 * 1000:.0f}")
        )
    return rows


# The page's design first; then the same load with notices only and a fetch per burst.
DESIGNS = (("fragments in the stream", True), ("notice, then a fetch", False))


def run(database_url: str) -> list[tuple[str, str]]:
    from django.conf import settings
    from django.test import Client as Browser
    from django.test import override_settings

    from production.demo import seed_clients
    from tests.factories import make_user

    client = seed_clients()["northwind"]
    user = make_user("live-bench", client, "member")
    browser = Browser()
    with override_settings(SECRET_KEY=SECRET_KEY):
        browser.force_login(user)
    cookie = browser.cookies["sessionid"].value
    rows = [
        (
            "web server (gunicorn gthread)",
            f"{settings.WEB_WORKERS} processes x {settings.WEB_THREADS} threads",
        )
    ]
    for design, push in DESIGNS:
        rows += _measure(database_url, client, user, cookie, design, push)
    return rows


def _measure(
    database_url: str, client: Any, user: Any, cookie: str, design: str, push: bool
) -> list[tuple[str, str]]:
    from jobs import lifecycle, services
    from jobs.models import ProductionJob, Status
    from tests.factories import BLOG_INPUTS

    def new_jobs(count: int, job_type: str, label: str) -> list[ProductionJob]:
        return [
            services.job_create(
                client=client,
                job_type=job_type,
                title=f"{label} {index}",
                input_data=(
                    {**BLOG_INPUTS, "topic": f"Trail tip {index}"}
                    if job_type == "content"
                    else BANNER
                ),
                auto_process=False,
                created_by=user,
            )
            for index in range(count)
        ]

    watched = new_jobs(WATCHED_JOBS, "content", "Watched")
    unwatched = new_jobs(UNWATCHED_JOBS, "visual", "Banner")
    port = free_port()
    server = start_gunicorn(database_url, port)
    viewers = [
        Viewer(port, str(watched[index % WATCHED_JOBS].pk), cookie, push)
        for index in range(VIEWERS)
    ]
    try:
        wait_until(lambda: _answers(port), timeout=30, interval=0.1)
        with Viewers(viewers):
            for viewer in viewers:
                viewer.connected.wait(timeout=30)
            connected = sum(1 for v in viewers if v.connected.is_set())

            idle = Figures()
            for viewer in viewers:
                viewer.figures = idle
            for job in watched[:IDLE_CHANGES]:
                lifecycle.record_event(job, "note", actor=user, note="A change while idle")
                time.sleep(0.1)
            time.sleep(1.0)

            busy = Figures()
            for viewer in viewers:
                viewer.figures = busy
            with Workers(
                2, database_url, command="stepworker", STEP_WORKER_THREADS=str(STEP_WORKER_THREADS)
            ) as workers:
                for job in watched + unwatched:
                    lifecycle.transition(job, Status.QUEUED, actor=user)
                started = workers.go()
                settled = ProductionJob.objects.filter(
                    pk__in=[j.pk for j in watched + unwatched],
                    status__in=[Status.REVIEW, Status.APPROVED, Status.COMPLETED, Status.FAILED],
                )
                finished = wait_until(
                    lambda: settled.count() == len(watched) + len(unwatched),
                    timeout=300,
                    interval=0.2,
                )
                time.sleep(1.0)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    refused = sum(v.refused for v in viewers)
    reasons = sum((v.reasons for v in viewers), Counter())
    why = ", ".join(f"{name} {count}" for name, count in reasons.most_common(3))
    busy_name = f"busy ({len(watched) + len(unwatched)} jobs in {finished - started:.1f} s)"
    return [
        (
            f"{design}: viewers with an open stream (of {VIEWERS})",
            f"{connected}; {refused} refused" + (f" ({why})" if why else ""),
        ),
        *_phase_rows(f"{design}, idle", idle),
        *_phase_rows(f"{design}, {busy_name}", busy),
    ]


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        return conn.getresponse().status < 500
    except OSError:
        return False
