"""`manage.py reconcile`: re-send lost work once, or every N seconds with --every."""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections
from redis.exceptions import RedisError

from jobs.reconciler import reconcile

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Re-enqueue steps the database says are queued or running but no live RQ job carries."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--every", type=float, default=0, help="Repeat every N seconds.")

    def handle(self, *args, every: float = 0, **options) -> None:  # noqa: ANN002, ANN003
        while True:
            try:
                report = reconcile()
            except (DatabaseError, RedisError) as exc:
                if not every:
                    raise
                # The recovery loop outlives a dropped database session or a Redis restart:
                # it is what puts the work they interrupted back on track.
                log.warning("reconcile pass failed, trying again in %g s: %s", every, exc)
                connections.close_all()
                time.sleep(every)
                continue
            finally:
                close_old_connections()
            if every and not report.total:
                time.sleep(every)
                continue  # stay quiet while there is nothing to recover
            self.stdout.write(
                f"reconciled: {len(report.requeued_queued)} queued re-sent, "
                f"{len(report.requeued_running)} abandoned re-sent, "
                f"{len(report.advanced_jobs)} jobs advanced"
            )
            if not every:
                return
            time.sleep(every)
