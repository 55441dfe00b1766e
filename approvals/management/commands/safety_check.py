"""`manage.py safety_check FILE`: score copy for safety and truth before ordering anything."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from approvals.safety import BAND_LABELS, SafetyReport
from approvals.scoring import score_for_client
from production.models import Client


class Command(BaseCommand):
    help = (
        "Score a text for safety and truth: prints the score, band, whether it is truth "
        "verified, its language, every flag with its spans and what each cost. FILE '-' reads "
        "standard input."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="A text file, or - for standard input.")
        parser.add_argument(
            "--client", help="Check claims and testimonials against this client's facts (slug)."
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["file"])
        client = self._client(options.get("client"))
        report = score_for_client(text, client)
        if options["json"]:
            self.stdout.write(json.dumps(_as_dict(report), indent=2))
            return
        self.stdout.write(self._render(report, client))

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No such file: {name}")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(f"{name} is not UTF-8 text: {error}") from error

    def _client(self, slug: str | None) -> Client | None:
        if not slug:
            return None
        client = Client.objects.filter(slug=slug).first()
        if client is None:
            known = ", ".join(Client.objects.values_list("slug", flat=True)[:20]) or "none"
            raise CommandError(f"Unknown client {slug!r}. Known clients: {known}.")
        return client

    def _render(self, report: SafetyReport, client: Client | None) -> str:
        against = (
            f" against {client.name}'s facts" if client else " (no client: no facts to back claims)"
        )
        lines = [
            f"Score: {report.score}/100 ({BAND_LABELS.get(report.band, report.band)})",
            f"Band: {report.band}",
            f"Truth verified: {'yes' if report.verified else 'no'}{against}",
            f"Language: {report.language or 'unknown'}",
            f"Flags: {len(report.flags)}",
        ]
        for number, flag in enumerate(report.flags, start=1):
            times = f" (x{flag.count})" if flag.count > 1 else ""
            lines.append(
                f"  {number}. [{flag.severity}] {flag.category} at {flag.start}-{flag.end}"
                f"{times}: {flag.message}"
            )
            lines.append(f"     “{flag.excerpt}”")
        if report.breakdown:
            lines.append("Breakdown: 100")
            lines.extend(f"  {line}" for line in report.breakdown)
        return "\n".join(lines)


def _as_dict(report: SafetyReport) -> dict[str, Any]:
    return {**report.as_dict(), "band_label": BAND_LABELS.get(report.band, report.band)}
