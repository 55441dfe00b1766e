"""Send the daily digest e-mails now (the scheduler runs this once a day)."""

from django.core.management.base import BaseCommand

from notifications.services import send_daily_digests


class Command(BaseCommand):
    help = "E-mail every user their unsent digest notices, one message each."

    def handle(self, *args: object, **options: object) -> None:
        sent = send_daily_digests()
        self.stdout.write(f"Sent {sent} digest e-mail{'s' if sent != 1 else ''}.")
