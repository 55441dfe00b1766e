"""Live pages: 200 viewers follow their jobs through gunicorn while step workers are busy.

Each viewer holds a page's event stream open, as the browser does (a job page, five viewers
on each of 40 jobs; or the client's dashboard, all 200 on one), and shows the changes the way
the page does: in the page's design the stream carries each new fragment; in the other,
measured beside it, the stream carries notices and the page fetches its fragment (one fetch
per burst, 60 ms after its first notice). The figure is commit to page updated (each change
carries the time it committed). Idle: the watched jobs' titles are edited one at a time with
the workers stopped. Busy: two step workers run the watched jobs and as many again unwatched.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import subprocess
import sys
import time
from typing import Any

from bench import live_viewers
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


class ViewerProcess:
    """The viewers (bench.live_viewers) in a process of their own, driven over a pipe."""

    def __init__(self, port: int, pages: list[tuple[str, str]], cookie: str) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no Django, no DB
        self.pipe, child = context.Pipe()
        self.process = context.Process(
            target=live_viewers.serve, args=(child, port, pages, cookie), daemon=True
        )

    def __enter__(self) -> ViewerProcess:
        self.process.start()
        return self

    def ask(self, command: str) -> Any:
        self.pipe.send(command)
        if not self.pipe.poll(60):
            raise RuntimeError(f"the viewers did not answer {command!r}")
        return self.pipe.recv()

    def __exit__(self, *exc: object) -> None:
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()


def _phase_rows(name: str, figures: dict[str, Any]) -> list[tuple[str, str]]:
    if not figures["shown"]:
        return [(f"{name}: changes shown", "0")]
    s50, s95 = percentiles(figures["shown"])
    rows = [
        (
            f"{name}: commit to page updated p50 / p95 (ms, {len(figures['shown'])} changes)",
            f"{s50 * 1000:.0f} / {s95 * 1000:.0f} (goal p95 <= 250)",
        ),
        (
            f"{name}: fragments pushed / fetched / failed",
            f"{figures['pushed']} / {figures['fetched']} / {figures['errors']}",
        ),
    ]
    if figures["pushed"]:
        each = figures["pushed_bytes"] / figures["pushed"] / 1024
        rows.append((f"{name}: stream bytes per push (mean)", f"{each:.1f} KB"))
    if figures["notices"]:
        n50, n95 = percentiles(figures["notices"])
        rows.append(
            (f"{name}: commit to notice p50 / p95 (ms)", f"{n50 * 1000:.0f} / {n95 * 1000:.0f}")
        )
    return rows


# Each page's design first; then the same load with notices only and a fetch per burst.
DESIGNS = (
    ("job pages, fragments in the stream", "job-push"),
    ("job pages, notice then fetch", "job-fetch"),
    ("dashboards, list in the stream", "dashboard-push"),
    ("dashboards, notice then fetch", "dashboard-fetch"),
)


def pages_for(design: str, job_ids: list[str]) -> list[tuple[str, str]]:
    """Each viewer's stream and the fragment its page fetches on a notice."""
    if design.startswith("dashboard"):
        stream = "/live/?fragments=1" if design == "dashboard-push" else "/live/"
        return [(stream, "/") for _ in job_ids]
    stream = "live/?fragments=1" if design == "job-push" else "live/"
    return [(f"/jobs/{job}/{stream}", f"/jobs/{job}/?seen=bench") for job in job_ids]


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
    for name, design in DESIGNS:
        rows += _measure(database_url, client, user, cookie, name, design)
    return rows


def _measure(
    database_url: str, client: Any, user: Any, cookie: str, name: str, design: str
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
    job_ids = [str(watched[index % WATCHED_JOBS].pk) for index in range(VIEWERS)]
    try:
        wait_until(lambda: _answers(port), timeout=30, interval=0.1)
        with ViewerProcess(port, pages_for(design, job_ids), cookie) as viewers:
            connected = viewers.ask("connected")
            viewers.ask("idle")
            for job in watched[:IDLE_CHANGES]:
                services.job_update(job=job, user=user, title=f"{job.title} (edited)")
                time.sleep(0.1)
            time.sleep(1.0)

            viewers.ask("busy")
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
            report = viewers.ask("stop")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    refused = report["refused"]
    why = ", ".join(f"{reason} {count}" for reason, count in report["reasons"].items())
    idle, busy = report["phases"]["idle"], report["phases"]["busy"]
    busy_name = f"busy ({len(watched) + len(unwatched)} jobs in {finished - started:.1f} s)"
    return [
        (
            f"{name}: viewers with an open stream (of {VIEWERS})",
            f"{connected}; {refused} refused" + (f" ({why})" if why else ""),
        ),
        *_phase_rows(f"{name}, idle", idle),
        *_phase_rows(f"{name}, {busy_name}", busy),
    ]


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        return conn.getresponse().status < 500
    except OSError:
        return False
