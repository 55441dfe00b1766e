"""`manage.py retention`: apply the retention policy now, or with --dry-run say what it would do."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from operations import retention
from production.models import Client


class Command(BaseCommand):
    help = (
        "Delete old files of superseded revisions and unapproved work (per each client's "
        "retention policy) and old operational rows; --dry-run only lists them."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")
        parser.add_argument("--client", metavar="SLUG", help="only this client's files")

    def handle(self, *args: object, dry_run: bool, client: str | None, **options: object) -> None:
        chosen = None
        if client:
            chosen = Client.objects.filter(slug=client).first()
            if chosen is None:
                raise CommandError(f"No client has the slug {client!r}.")
        for line in retention.record(dry_run=dry_run, client=chosen).lines():
            self.stdout.write(line)
