"""`manage.py serve`: the whole system in one command.

Starts an embedded Redis when REDIS_URL is unset, the step workers, the reconciler and the web
server, restarts any of them that dies, prints where to go and how to sign in once the web
server answers, and on Ctrl-C stops the children first and Redis last.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from production.embedded_redis import start_unless_configured
from production.local_secret import ensure_local_secret_key
from production.supervisor import Supervisor


class Command(BaseCommand):
    help = "Start Redis (embedded if needed), RQ workers, the reconciler and the web server."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--workers", type=int, default=settings.WORKER_COUNT)
        parser.add_argument("--addr", default=os.environ.get("SERVE_ADDR", "127.0.0.1:8000"))
        parser.add_argument(
            "--runserver",
            action="store_false",
            dest="gunicorn",
            help="Serve with Django's development server instead of gunicorn.",
        )

    def handle(self, *args, workers: int, addr: str, gunicorn: bool, **options) -> None:  # noqa: ANN002, ANN003
        ensure_local_secret_key(settings.LOCAL_SECRET_KEY_FILE)
        redis = start_unless_configured(settings.VAR_DIR / "redis")
        if not os.environ.get("REDIS_URL"):
            self.stdout.write(f"Embedded Redis on {settings.REDIS_URL}")
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        supervisor = Supervisor(report=lambda line: self.stderr.write(line))
        for index in range(workers):
            supervisor.add(f"worker-{index + 1}", worker_command(python, manage))
        supervisor.add(
            "reconciler",
            [python, manage, "reconcile", "--every", str(settings.RECONCILE_INTERVAL_SECONDS)],
        )
        if gunicorn:
            web = [
                python, "-m", "gunicorn", "production.wsgi", "-b", addr,
                "--worker-class", "gthread", "--workers", "2", "--threads", "8",
            ]  # fmt: skip
        else:
            web = [python, manage, "runserver", addr, "--noreload"]
        supervisor.add("web", web)
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        banner_shown = False
        try:
            while not stopping:
                supervisor.tick()
                if not banner_shown and answers(addr):
                    self.print_banner(addr, workers)
                    banner_shown = True
                time.sleep(0.2)
        finally:
            self.stdout.write("Stopping…")
            # Workers release their scheduler locks in Redis, so Redis stops last.
            supervisor.stop()
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=30)
            self.stdout.write("Stopped.")

    def print_banner(self, addr: str, workers: int) -> None:
        from production.demo import DEMO_LOGINS

        lines = [
            "",
            "Production engine is running.",
            f"  Dashboard   http://{addr}/",
            f"  Reviews     http://{addr}/reviews/",
            f"  Admin       http://{addr}/admin/",
            f"  API         http://{addr}/api/v1/  (docs: http://{addr}/api/docs/)",
            f"  Workers     {workers} (queues: {', '.join(settings.QUEUE_NAMES)})",
            "",
            "Demo logins (password for all: demo12345):",
        ]
        lines += [f"  {username:<18} {role}" for username, role in DEMO_LOGINS]
        lines += ["", "Press Ctrl-C to stop everything.", ""]
        self.stdout.write("\n".join(lines))


def worker_command(python: str, manage: str) -> list[str]:
    """A step worker: many steps at once in threads (see jobs.step_worker)."""
    return [python, manage, "stepworker", f"--threads={settings.STEP_WORKER_THREADS}"]


def answers(addr: str) -> bool:
    """Whether the web server accepts connections on host:port yet."""
    host, _, port = addr.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=0.3):
            return True
    except OSError:
        return False
