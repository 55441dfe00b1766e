"""manage.py publish_due: send again publications whose queue message was lost."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from publishing import auto_clients
from publishing.recovery import resend_lost


class Command(BaseCommand):
    help = (
        "Send again queued, retrying or scheduled publications whose message was lost, and "
        "rebuild the list of clients that publish automatically."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        auto_clients.rebuild()
        count = resend_lost()
        self.stdout.write(f"{count} publication(s) sent again.")
