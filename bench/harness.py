"""Shared bench plumbing: a throwaway database, real Redis, suspended workers, timers."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


REDIS_DIR = ROOT / "var" / "redis"


def setup_django() -> subprocess.Popen | None:
    """Django set up on the configured Redis, else the embedded one: the server process when
    this call started it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "production.settings")
    from production.embedded_redis import start_unless_configured

    started = start_unless_configured(REDIS_DIR)
    import django

    django.setup()
    from production import tenant_scope

    # The benches and chaos runs act as operators, over every client.
    tenant_scope.set_process_default(tenant_scope.ALL)
    return started


@contextmanager
def bench_database(name: str = "bench") -> Iterator[str]:
    """A fresh database (like the test runner's) so figures never touch real data."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    path = ROOT / "var" / f"{name}.sqlite3"
    if connection.vendor == "sqlite":
        _remove_sqlite_files(path)
        connection.settings_dict["TEST"]["NAME"] = str(path)
    else:
        connection.settings_dict["TEST"]["NAME"] = f"{name}_production"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield database_url(name)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if connection.vendor == "sqlite":
            _remove_sqlite_files(path)


def _remove_sqlite_files(path: Path) -> None:
    # A WAL database leaves -wal and -shm files that would poison the next run.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def database_url(name: str) -> str:
    from django.db import connection

    cfg = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    user = cfg.get("USER") or ""
    auth = f"{user}@" if user else ""
    return f"postgres://{auth}{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}/{name}"


class Workers:
    """N real worker processes, started while RQ is suspended: `rqworker` (non-forking, one
    step at a time) or, with `command="stepworker"`, the launcher's many-steps-at-once worker."""

    def __init__(
        self, count: int, database_url: str, command: str = "rqworker", **env: str
    ) -> None:
        from django.conf import settings

        self.env = {
            **os.environ,
            # As in production: with DEBUG on, Django also records every query it runs.
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-key",
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            **env,
        }
        self.count = count
        self.command = command
        self.processes: list[subprocess.Popen] = []
        log_dir = ROOT / "var" / "bench"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(log_dir / "workers.log", "ab")  # noqa: SIM115 - closed on exit

    def __enter__(self) -> Workers:
        import django_rq
        from django.conf import settings
        from rq.command import send_shutdown_command  # noqa: F401 - ensures rq is importable
        from rq.suspension import suspend

        connection = django_rq.get_connection("normal")
        suspend(connection)
        arguments = (
            [*settings.QUEUE_NAMES, "--worker-class", "rq.worker.SimpleWorker", "--with-scheduler"]
            if self.command == "rqworker"
            else []
        )
        for _ in range(self.count):
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, str(ROOT / "manage.py"), self.command, *arguments],
                    cwd=ROOT,
                    env=self.env,
                    stdout=self.log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 30
        while self._ready(connection) < self.count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def _ready(self, connection: Any) -> int:
        """Workers up: registered with RQ, or (step workers) writing their heartbeat."""
        from rq.worker import Worker

        if self.command == "rqworker":
            return len(Worker.all(connection=connection))
        return len(list(connection.scan_iter("stepworker:*")))

    def go(self) -> float:
        """Let the workers take jobs; returns the start time."""
        import django_rq
        from rq.suspension import resume

        started = time.perf_counter()
        resume(django_rq.get_connection("normal"))
        return started

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


def wait_until(
    predicate: Callable[[], bool], timeout: float = 600, interval: float = 0.01
) -> float:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark did not finish in time")
        time.sleep(interval)
    return time.perf_counter()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50, p95
