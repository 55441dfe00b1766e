"""`manage.py seed_demo`: demo clients, users per role, templates and jobs. Safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from production.demo import DEMO_LOGINS, PASSWORD, seed_clients
from production.demo_assets import seed_demo_assets
from production.embedded_redis import start_unless_configured
from production.local_secret import ensure_local_secret_key


class Command(BaseCommand):
    help = "Create demo clients, users, templates and jobs (idempotent)."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        from jobs.demo_jobs import seed_jobs

        # Queued demo jobs are sent to Redis: without REDIS_URL, the embedded server runs for
        # the seeding and saves them on shutdown, so `serve` finds them waiting.
        ensure_local_secret_key(settings.LOCAL_SECRET_KEY_FILE)
        redis = start_unless_configured(settings.VAR_DIR / "redis")
        try:
            clients = seed_clients()
            # Before the jobs: demo visuals and videos are drawn with the logo and photos.
            seed_demo_assets(clients["northwind"])
            created = seed_jobs(clients)
        finally:
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=30)
        self.stdout.write(
            f"Demo data ready ({created} new jobs). Password for every login: {PASSWORD}"
        )
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {role}")
