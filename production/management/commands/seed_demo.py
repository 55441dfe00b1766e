"""`manage.py seed_demo`: demo clients, users per role, templates and jobs. Safe to run twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from production.demo import DEMO_LOGINS, PASSWORD, seed_clients


class Command(BaseCommand):
    help = "Create demo clients, users, templates and jobs (idempotent)."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        from jobs.demo_jobs import seed_jobs

        clients = seed_clients()
        created = seed_jobs(clients)
        self.stdout.write(
            f"Demo data ready ({created} new jobs). Password for every login: {PASSWORD}"
        )
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {role}")
