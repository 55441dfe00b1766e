"""`manage.py reconcile`: re-send lost work once, or every N seconds with --every."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from jobs.reconciler import reconcile


class Command(BaseCommand):
    help = "Re-enqueue steps the database says are queued or running but no live RQ job carries."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--every", type=float, default=0, help="Repeat every N seconds.")

    def handle(self, *args, every: float = 0, **options) -> None:  # noqa: ANN002, ANN003
        while True:
            report = reconcile()
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
