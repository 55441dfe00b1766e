"""Finding publications whose message was lost (Redis restarted, a worker killed mid-send) and
sending them again. Sending twice is harmless: a run claims its publication first."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from publishing.models import Publication
from publishing.models import PublicationStatus as S
from publishing.queueing import send_now

# A message normally runs within seconds of its time; past this it is taken as lost.
GRACE = timedelta(minutes=2)
# Longer than any one attempt (a large upload gets at least 5 minutes per request).
STALE_RUNNING = timedelta(hours=2)


def resend_lost(now: datetime | None = None) -> int:
    """How many publications were sent again."""
    now = now or timezone.now()
    Publication.objects.filter(status=S.RUNNING, updated_at__lt=now - STALE_RUNNING).update(
        status=S.RETRYING,
        next_attempt_at=None,
        error="The worker sending this stopped before it finished; trying again.",
        updated_at=now - GRACE - timedelta(seconds=1),
    )
    lost = Publication.objects.filter(
        Q(status=S.QUEUED, updated_at__lt=now - GRACE)
        | Q(status=S.RETRYING, next_attempt_at__lt=now - GRACE)
        | Q(status=S.RETRYING, next_attempt_at__isnull=True, updated_at__lt=now - GRACE)
        | Q(status=S.SCHEDULED, scheduled_for__lt=now - GRACE)
    ).select_related("job")
    count = 0
    for publication in lost:
        send_now(publication.pk, publication.job.priority)
        count += 1
    return count
