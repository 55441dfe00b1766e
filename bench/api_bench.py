"""The REST API through gunicorn (two workers): job creations per second and list latency."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from bench.harness import ROOT, percentiles

CLIENTS = 8  # concurrent connections of the load generator
CREATES = 800
LISTS = 600
TIME_LIMIT = 60.0  # seconds per phase: the run stops early rather than hang
GUNICORN_WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, port: int) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "0",
        "HTTPS": "0",  # plain HTTP on 127.0.0.1
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-key",
        # The bench measures the API, not the throttle.
        "API_THROTTLE_RATE": "100000000/min",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "production.wsgi:application",
            "--workers",
            str(GUNICORN_WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_ready(port: int, headers: dict[str, str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/jobs/?page_size=1", headers=headers)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError("gunicorn did not answer in time")


def load(
    port: int, count: int, request: Callable[[http.client.HTTPConnection, int], int]
) -> tuple[float, list[float], int]:
    """`count` requests over CLIENTS keep-alive connections; (seconds, latencies, failures)."""
    lock = threading.Lock()
    next_index = iter(range(count))
    latencies: list[float] = []
    failures = [0]
    deadline = time.monotonic() + TIME_LIMIT

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                index = next(next_index, None)
            if index is None:
                break
            started = time.perf_counter()
            status = request(conn, index)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status >= 400:
                    failures[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures[0]


def run(database_url: str) -> list[tuple[str, str]]:
    from jobs.api.auth import issue_token
    from production.demo import seed_clients
    from tests.factories import BLOG_INPUTS, make_user

    client = seed_clients()["northwind"]
    _, key = issue_token(user=make_user("api-bench", client, "member"), name="bench")
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    port = free_port()
    server = start_gunicorn(database_url, port)
    try:
        wait_ready(port, headers)

        def create(conn: http.client.HTTPConnection, index: int) -> int:
            body = {
                "client": str(client.pk),
                "job_type": "content",
                "title": f"Bench {index}",
                "input_data": {**BLOG_INPUTS, "topic": f"Trail tip {index}"},
                "auto_process": False,
            }
            conn.request("POST", "/api/v1/jobs/", body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status

        def listing(conn: http.client.HTTPConnection, index: int) -> int:
            conn.request("GET", f"/api/v1/jobs/?page={1 + index % 4}", headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status

        create_seconds, creates, create_failures = load(port, CREATES, create)
        _, lists, list_failures = load(port, LISTS, listing)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    p50, p95 = percentiles(lists)
    return [
        (
            f"API job creations/s (gunicorn {GUNICORN_WORKERS} gthread workers, {CLIENTS} clients)",
            f"{len(creates) / create_seconds:.0f}",
        ),
        (
            "API job list p50 / p95 latency (ms, 25 per page)",
            f"{p50 * 1000:.1f} / {p95 * 1000:.1f}",
        ),
        ("API requests failed (creations + lists)", f"{create_failures + list_failures}"),
    ]
