"""The parts of the system a fault hits: step workers and the reconciler as real processes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class System:
    """Step workers and a reconciler on one database, Redis and media folder.

    Leases are short (LEASE_SECONDS) so that a killed step is taken back within seconds, as a
    deployment that wants fast recovery would set them.
    """

    LEASE_SECONDS = 3.0

    def __init__(
        self,
        database_url: str,
        media_root: Path,
        *,
        workers: int,
        threads: int,
        restart_redis: Callable[[float], None] | None = None,
    ) -> None:
        from django.conf import settings

        # Crash the Redis in use and start it again after the given seconds; None when the
        # Redis is not one this program started (a shared server is never ours to crash).
        self.restart_redis = restart_redis

        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "chaos-only-key",
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(media_root),
            "STEP_LEASE_SECONDS": str(self.LEASE_SECONDS),
            "STEP_WORKER_THREADS": str(threads),
        }
        self.count = workers
        self.workers: list[subprocess.Popen | None] = [None] * workers
        self.reconciler: subprocess.Popen | None = None
        self.kills = 0
        log_dir = ROOT / "var" / "chaos"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(log_dir / "processes.log", "ab")  # noqa: SIM115 - closed in stop()

    def _spawn(self, *arguments: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def start(self) -> None:
        self.start_workers()
        self.reconciler = self._spawn("reconcile", "--every", "1")

    def start_workers(self) -> None:
        for index, process in enumerate(self.workers):
            if process is None or process.poll() is not None:
                self.workers[index] = self._spawn("stepworker")

    def kill_random_worker(self, rng: random.Random) -> None:
        """SIGKILL one worker mid-work and start a new one in its place, as the launcher does."""
        index = rng.randrange(self.count)
        process = self.workers[index]
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            self.kills += 1
        self.workers[index] = self._spawn("stepworker")

    @contextmanager
    def workers_with(self, env: dict[str, str]) -> Iterator[None]:
        """Workers started again with `env` added for the block, then as they were."""
        saved = dict(self.env)
        self.stop_workers()
        self.env.update(env)
        self.start_workers()
        try:
            yield
        finally:
            self.stop_workers()
            self.env = saved
            self.start_workers()

    def stop_workers(self) -> None:
        for index, process in enumerate(self.workers):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
            self.workers[index] = None

    def stop(self) -> None:
        self.stop_workers()
        if self.reconciler is not None and self.reconciler.poll() is None:
            self.reconciler.terminate()
            try:
                self.reconciler.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.reconciler.kill()
        self.log.close()
