"""Guest review links: a signed, expiring, revocable link to one job for someone without an account.

The token signs the link's id and nonce; revoking clears the link (and a new nonce would kill
any copy). A guest names themselves once per browser session; their comments and decisions are
recorded under that name, marked as a guest. Each link is rate-limited through the cache.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from approvals import comments, services
from approvals.models import ApprovalRequest, ApprovalStatus, Comment, GuestLink
from jobs.models import ProductionJob
from production import tenant_scope
from production.models import Role
from production.tenancy import has_role

SALT = "approvals.guest-link"
MAX_DAYS = 30
RATE_LIMIT = 30  # writes per link and address
RATE_WINDOW = 600  # seconds


class LinkGone(Exception):
    """The link is forged, expired or revoked; the message says which, for the guest."""


@dataclass
class Guest:
    name: str
    email: str

    @property
    def label(self) -> str:
        return f"{self.name} (guest)"


def token_for(link: GuestLink) -> str:
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=SALT, compress=True)


def link_for(token: str) -> GuestLink:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise LinkGone("This review link is not valid.") from None
    # Signed by us, so the link is looked up across clients; the caller then narrows its
    # scope to the link's client (see open_link).
    with tenant_scope.system():
        link = GuestLink.objects.select_related("job__client").filter(pk=data.get("l")).first()
    if link is None:
        raise LinkGone("This review link is not valid.")
    if link.revoked_at is not None:
        raise LinkGone("This review link was revoked by the people who sent it.")
    if not secrets.compare_digest(link.nonce, str(data.get("n", ""))):
        raise LinkGone("This review link is not valid.")
    if link.expires_at <= timezone.now():
        raise LinkGone("This review link has expired; ask for a new one.")
    return link


def open_link(token: str) -> GuestLink:
    """The link of a guest's request; the request then sees its client's rows and no others."""
    link = link_for(token)
    tenant_scope.scope_request_to_client(link.job.client_id)
    return link


def can_issue(user: services.User, job: ProductionJob) -> bool:
    return has_role(user, job.client_id, Role.REVIEWER)


def issue(*, user: services.User, job: ProductionJob, days: int, note: str = "") -> GuestLink:
    if not can_issue(user, job):
        raise services.NotAllowed(
            f"Only reviewers and owners of {job.client.name} can invite guests."
        )
    if not 1 <= days <= MAX_DAYS:
        raise services.DecisionError(f"A link lasts 1 to {MAX_DAYS} days.", "days")
    return GuestLink.objects.create(
        job=job,
        nonce=secrets.token_hex(16),
        note=(note or "").strip()[:200],
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )


def revoke(*, user: services.User, link_id: int, job: ProductionJob) -> GuestLink:
    link = GuestLink.objects.filter(pk=link_id, job=job).first()
    if link is None:
        raise services.NotFound("Link not found.")
    if not (link.created_by_id == user.pk or has_role(user, job.client_id, Role.OWNER)):
        raise services.NotAllowed("Only the person who sent a link, or an owner, can revoke it.")
    GuestLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), nonce=secrets.token_hex(16)
    )
    link.refresh_from_db()
    return link


def guest_from(name: str, email: str) -> Guest:
    name = " ".join((name or "").split())[:80]
    email = (email or "").strip()[:200]
    if not name:
        raise services.DecisionError("Give your name; it is shown with what you write.", "name")
    try:
        validate_email(email)
    except ValidationError:
        raise services.DecisionError("Give a valid e-mail address.", "email") from None
    return Guest(name, email)


def allow(link: GuestLink, address: str) -> bool:
    """Count one write of this link from this address; False once over the limit."""
    key = f"guest-link:{link.pk}:{address}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count <= RATE_LIMIT


def open_request(link: GuestLink) -> ApprovalRequest | None:
    """The job's pending review a guest may decide (never an owner's sign-off, nor a review
    stage that names the people who decide it)."""
    return (
        ApprovalRequest.objects.filter(
            job=link.job,
            status=ApprovalStatus.PENDING,
            approver_role=Role.REVIEWER,
            named_only=False,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def last_request(link: GuestLink) -> ApprovalRequest | None:
    return (
        ApprovalRequest.objects.filter(job=link.job, approver_role=Role.REVIEWER)
        .order_by("-created_at", "-id")
        .first()
    )


def comment(
    *, link: GuestLink, guest: Guest, output_id: int, body: str, anchor: str = "", **data: object
) -> Comment:
    return comments.add_comment_as(
        job=link.job, output_id=output_id, label=guest.label, body=body, anchor=anchor, **data
    )


def decide(
    *, link: GuestLink, guest: Guest, decision: str, feedback: str, expected_revision: int | None
) -> ApprovalRequest:
    if decision not in (services.APPROVE, services.REQUEST_CHANGES):
        raise services.DecisionError("Guests can approve or request changes.", "decision")
    request = open_request(link)
    if request is None:
        raise services.DecisionError(
            "Nothing is waiting for a decision now.", code="no_pending_request"
        )
    note = (feedback or "").strip()
    return services.record_decision(
        request_id=request.pk,
        user=AnonymousUser(),
        label=f"{guest.label} <{guest.email}>",
        decision=decision,
        feedback=note,
        expected_revision=expected_revision,
    )
