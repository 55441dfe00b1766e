"""`manage.py serve`: the whole system in one command.

Starts an embedded Redis when REDIS_URL is unset, the RQ workers, the reconciler and the web
server, prints where to go and how to sign in, and stops every child cleanly on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from production.embedded_redis import start_unless_configured


class Command(BaseCommand):
    help = "Start Redis (embedded if needed), RQ workers, the reconciler and the web server."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--workers", type=int, default=settings.WORKER_COUNT)
        parser.add_argument("--addr", default=os.environ.get("SERVE_ADDR", "127.0.0.1:8000"))
        parser.add_argument(
            "--gunicorn", action="store_true", help="Serve with gunicorn instead of runserver."
        )

    def handle(self, *args, workers: int, addr: str, gunicorn: bool, **options) -> None:  # noqa: ANN002, ANN003
        children: list[tuple[str, subprocess.Popen]] = []
        redis = start_unless_configured(settings.VAR_DIR / "redis")
        if redis is not None:
            children.append(("redis", redis))
        if not os.environ.get("REDIS_URL"):
            self.stdout.write(f"Embedded Redis on {settings.REDIS_URL}")
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        for index in range(workers):
            children.append(
                (f"worker-{index + 1}", subprocess.Popen(worker_command(python, manage)))
            )
        children.append(
            (
                "reconciler",
                subprocess.Popen(
                    [
                        python,
                        manage,
                        "reconcile",
                        "--every",
                        str(settings.RECONCILE_INTERVAL_SECONDS),
                    ]
                ),
            )
        )
        if gunicorn:
            web = [python, "-m", "gunicorn", "production.wsgi", "-b", addr, "-w", "2"]
        else:
            web = [python, manage, "runserver", addr, "--noreload"]
        children.append(("web", subprocess.Popen(web)))
        self.print_banner(addr, workers)
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, child in children:
                    if child.poll() is not None and name != "redis":
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping.")
                        stopping = True
                time.sleep(0.5)
        finally:
            self.stdout.write("Stopping…")
            for _, child in reversed(children):
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for _, child in reversed(children):
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
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
    return [
        python,
        manage,
        "rqworker",
        *settings.QUEUE_NAMES,
        "--worker-class",
        "rq.worker.SimpleWorker",
        "--with-scheduler",
    ]
