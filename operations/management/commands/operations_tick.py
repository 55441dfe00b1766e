"""`manage.py operations_tick`: evaluate alerts and the daily summary now, or arm the RQ tick."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from operations import schedule


class Command(BaseCommand):
    help = "Run one operations tick now, or with --arm schedule the recurring tick on RQ."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--arm", action="store_true", help="schedule the recurring tick")

    def handle(self, *args: object, arm: bool, **options: object) -> None:
        if arm:
            armed = schedule.ensure()
            self.stdout.write("Tick armed." if armed else "A tick is already scheduled.")
            return
        self.stdout.write(schedule.tick())
