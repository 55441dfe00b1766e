"""`manage.py stepworker`: a worker process that runs many steps at once (see jobs.step_worker)."""

from __future__ import annotations

import os
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.step_worker import StepWorker
from production import tenant_scope
from production.redis_connection import shared_redis


class Command(BaseCommand):
    help = "Run steps from the priority queues, several at once in threads."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("queues", nargs="*", help="queues in order (default: all four)")
        parser.add_argument("--threads", type=int, default=settings.STEP_WORKER_THREADS)
        parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="leave delayed retries to other workers"
        )

    def handle(self, *args, queues: list[str], threads: int, burst: bool, **options) -> None:  # noqa: ANN002, ANN003
        if settings.STEP_WORKER_NICENESS > 0:
            os.nice(settings.STEP_WORKER_NICENESS)  # the web goes first (see settings)
        # A worker serves every client; each step narrows its connection to its job's client.
        tenant_scope.set_process_default(tenant_scope.ALL)
        worker = StepWorker(
            queues or list(settings.QUEUE_NAMES),
            shared_redis(),
            threads=threads,
            with_scheduler=not options["no_scheduler"],
        )

        def stop(signum: int, frame: object) -> None:
            if worker.stopping.is_set():
                os._exit(1)  # a second Ctrl-C: do not wait for the steps in flight
            self.stderr.write(f"Stopping: {worker.busy} steps finish first…")
            worker.stop()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        worker.work(burst=burst)
        sys.stdout.flush()
