"""Running one publication on a worker: claim it, check it may still go out, call the platform's
connector, and record the outcome (published, retry later, or failed with a reason).

The claim is a conditional update, so a message delivered twice publishes once. No transaction
is held across the platform's answers; progress is saved as it is made, so a retry resumes
(an uploaded image, an open upload session, a media container) instead of starting over.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from jobs import lifecycle
from publishing import conf
from publishing.connectors import CONNECTORS
from publishing.eligibility import publish_blocker
from publishing.http import PublishError
from publishing.models import Connection, Platform, Publication, PublicationStatus
from publishing.queueing import send_on_commit
from publishing.vault import CredentialsUnreadable

log = logging.getLogger(__name__)

S = PublicationStatus
RUNNABLE = (S.QUEUED, S.RETRYING, S.SCHEDULED)


def run(publication_id: int) -> str:
    publication = (
        Publication.objects.select_related("job", "connection", "output", "image")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        return "gone"
    if publication.status not in RUNNABLE:
        return "settled"
    now = timezone.now()
    if publication.scheduled_for and publication.scheduled_for > now + timedelta(seconds=1):
        # Sent early (a clock skew, or the time was changed): wait for the rest.
        send_on_commit(
            publication.pk,
            publication.job.priority,
            (publication.scheduled_for - now).total_seconds(),
        )
        return "not yet"
    claimed = Publication.objects.filter(
        pk=publication.pk, status=publication.status, attempts=publication.attempts
    ).update(
        status=S.RUNNING,
        attempts=F("attempts") + 1,
        next_attempt_at=None,
        error="",
        updated_at=now,
    )
    if not claimed:
        return "claimed elsewhere"
    publication.refresh_from_db(fields=["status", "attempts"])

    refusal = _refusal(publication)
    if refusal:
        return _fail(publication, refusal)

    def save(progress: dict) -> None:
        publication.progress = progress
        Publication.objects.filter(pk=publication.pk).update(progress=progress)

    connector = CONNECTORS[publication.platform]
    try:
        try:
            remote_id, remote_url = connector(publication, save=save, force_refresh=False)
        except PublishError as exc:
            if not exc.auth or publication.platform == Platform.WORDPRESS:
                raise  # only OAuth tokens can be renewed; a password needs a person
            # The platform says the token is no good: refresh it once and try again.
            remote_id, remote_url = connector(publication, save=save, force_refresh=True)
    except PublishError as exc:
        return _after_failure(publication, exc)
    except CredentialsUnreadable as exc:
        return _fail(publication, str(exc))
    except Exception:  # noqa: BLE001 - a bug must not leave the row "publishing" for ever
        log.exception("publication %s raised", publication.pk)
        return _fail(publication, "Publishing stopped on an unexpected error; it was logged.")
    return _succeed(publication, remote_id, remote_url)


def _refusal(publication: Publication) -> str | None:
    """Why this may no longer go out (the job was sent back, the account removed)."""
    job = publication.job
    blocker = publish_blocker(job)
    if blocker:
        return blocker
    if job.revision != publication.revision:
        return (
            f"Revision {publication.revision} was superseded by revision {job.revision}; "
            "publish the new revision instead."
        )
    connection = publication.connection
    if connection is None or not connection.is_active:
        return "The account was disconnected; connect it again and publish anew."
    return None


def _succeed(publication: Publication, remote_id: str, remote_url: str) -> str:
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(
        status=S.PUBLISHED,
        remote_id=remote_id,
        remote_url=remote_url,
        published_at=now,
        error="",
        updated_at=now,
    )
    Connection.objects.filter(pk=publication.connection_id).exclude(last_error="").update(
        last_error=""
    )
    lifecycle.record_event(
        publication.job,
        "published",
        actor_label="publisher",
        note=f"Published to {publication.get_platform_display()}"
        f" ({publication.connection.name}){': ' + remote_url if remote_url else ''}.",
        payload={
            "publication": publication.pk,
            "platform": publication.platform,
            "remote_id": remote_id,
            "remote_url": remote_url,
        },
    )
    return "published"


def _after_failure(publication: Publication, exc: PublishError) -> str:
    if exc.auth:
        # Shown on the connected accounts page until a publication succeeds again.
        Connection.objects.filter(pk=publication.connection_id).update(last_error=exc.message)
    delays = conf.retry_delays()
    attempt = publication.attempts
    if exc.transient and attempt < conf.max_attempts():
        delay = delays[min(attempt - 1, len(delays) - 1)]
        if exc.retry_after is not None:
            delay = max(delay, exc.retry_after)
        Publication.objects.filter(pk=publication.pk).update(
            status=S.RETRYING,
            error=exc.message,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            updated_at=timezone.now(),
        )
        send_on_commit(publication.pk, publication.job.priority, delay)
        return f"retry in {delay:g} s"
    if exc.transient:
        return _fail(publication, f"{exc.message} Gave up after {attempt} attempts.")
    return _fail(publication, exc.message)


def _fail(publication: Publication, message: str) -> str:
    Publication.objects.filter(pk=publication.pk).update(
        status=S.FAILED, error=message, updated_at=timezone.now()
    )
    lifecycle.record_event(
        publication.job,
        "publish_failed",
        actor_label="publisher",
        note=f"{publication.get_platform_display()}: {message}",
        payload={"publication": publication.pk, "platform": publication.platform},
    )
    return "failed"
