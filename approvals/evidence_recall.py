"""Fact recall: when a fact or testimonial an output relied on changes, the output is found
and its job goes back to review with a note naming the fact.

An output relied on a client fact or testimonial when it quotes it, or when scoring its text
without the old version leaves a claim unbacked that was backed with it. It relied on an
evidence record when that record backs one of its flags. Outputs are looked for among the
current revision of jobs in review, approved or completed. Each one found is scored again
against what is on file now (so its lost backing shows as an open claim), and its job gets
a history entry naming the fact. A job already in review stays there with that note; one
the lifecycle lets go back to review does, with a new final review request; one it does not
(a finished job) is listed and marked in its history, for the owner to act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from approvals.evidence import apply_resolutions, claim_key, is_claim
from approvals.models import ApprovalRequest, ApprovalStatus, ApprovalType, ClaimResolution
from approvals.safety import score_text
from approvals.safety.flags import TRUTH_CATEGORIES, quote_excerpt
from approvals.safety.text import normalise
from approvals.scoring import score_for_client, testimonial_quotes
from jobs import lifecycle
from jobs.models import Output, ProductionJob, Status
from production.models import Client, Role

User = AbstractBaseUser | AnonymousUser

RECALLED_STATUSES = (Status.REVIEW, Status.APPROVED, Status.COMPLETED)
FINAL_GATE = "final"
MIN_QUOTED = 12  # a fact shorter than this ("Leeds") is not evidence of being quoted


@dataclass
class RecalledJob:
    """A job with outputs that relied on the recalled fact, and what happened to it."""

    job_id: Any
    title: str
    status: str
    outputs: list[dict[str, Any]] = field(default_factory=list)
    back_in_review: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": str(self.job_id),
            "title": self.title,
            "status": self.status,
            "outputs": self.outputs,
            "back_in_review": self.back_in_review,
        }


def _words(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "\n".join(_words(v) for v in value.values())
    if isinstance(value, list | tuple):
        return "\n".join(_words(v) for v in value)
    return ""


def _text_of(output: Output) -> str:
    """The words that were scored: the text, or the words drawn on an image."""
    if output.kind in ("text", "markdown", "html"):
        return output.text or ""
    return output.text or _words((output.metadata or {}).get("text", ""))


def _claims(text: str, facts: Sequence[str], testimonials: Sequence[str]) -> set[str]:
    report = score_text(text, facts=list(facts), testimonials=list(testimonials))
    return {claim_key(f.as_dict()) for f in report.flags if f.category in TRUTH_CATEGORIES}


def _quotes(text: str, passage: str) -> bool:
    wanted = normalise(passage)
    return len(wanted) >= MIN_QUOTED and wanted in normalise(text)


def relied_on(
    text: str,
    *,
    removed: str,
    facts_before: Sequence[str],
    facts_after: Sequence[str],
    testimonials_before: Sequence[str] = (),
    testimonials_after: Sequence[str] = (),
) -> bool:
    """Whether `text` relied on the fact or testimonial `removed` (edited away or retracted)."""
    if not text.strip():
        return False
    if _quotes(text, removed):
        return True
    before = _claims(text, facts_before, testimonials_before)
    after = _claims(text, facts_after, testimonials_after)
    return bool(after - before)


def _current_outputs(client: Client) -> list[Output]:
    return list(
        Output.objects.filter(
            job__client=client,
            job__status__in=RECALLED_STATUSES,
            safety_score__isnull=False,
        )
        .select_related("job")
        .order_by("job_id", "id")
    )


def _rescore(job: ProductionJob) -> None:
    """Score the revision's outputs against the facts on file now, then re-apply evidence."""
    outputs = list(Output.objects.filter(job=job, revision=job.revision))
    for output in outputs:
        text = _text_of(output)
        if output.safety_score is None or not text:
            continue
        report = score_for_client(text, job.client)
        output.safety_score, output.safety_band = report.score, report.band
        output.safety_flags = [f.as_dict() for f in report.flags]
        output.truth_verified = report.verified
    Output.objects.bulk_update(
        outputs, ["safety_score", "safety_band", "safety_flags", "truth_verified"]
    )
    scored = [o.safety_score for o in outputs if o.safety_score is not None]
    if scored:
        job.safety_score = min(scored)
        job.save(update_fields=["safety_score"])
    apply_resolutions(job, outputs)


def _back_to_review(
    job_id: Any, outputs: list[Output], note: str, payload: dict[str, Any], actor: User
) -> RecalledJob:
    with transaction.atomic():
        job = lifecycle.lock_job(job_id)
        _rescore(job)
        found = RecalledJob(
            job.pk,
            job.title,
            job.status,
            [{"output_id": o.pk, "title": o.title or o.key, "kind": o.kind} for o in outputs],
        )
        payload = {**payload, "outputs": [o["output_id"] for o in found.outputs]}
        who = actor if actor.is_authenticated else None
        if job.status == Status.REVIEW:
            lifecycle.record_event(job, "fact.recalled", actor=who, note=note, payload=payload)
            found.back_in_review = True
        elif lifecycle.allowed(job.status, Status.REVIEW):
            ApprovalRequest.objects.filter(job=job, status=ApprovalStatus.PENDING).update(
                status=ApprovalStatus.CANCELLED, decided_by_label="fact recall"
            )
            from approvals import review

            review.open_request(
                job, gate=FINAL_GATE, approval_type=ApprovalType.FINAL, role=Role.REVIEWER
            )
            lifecycle.transition(
                job, Status.REVIEW, actor=who, action="fact.recalled", note=note, payload=payload
            )
            found.back_in_review, found.status = True, Status.REVIEW
        else:
            # The lifecycle keeps this status final: the recall is recorded and listed.
            lifecycle.record_event(
                job,
                "fact.recalled",
                actor=who,
                note=note + f" The job is {job.get_status_display().lower()} and stays so.",
                payload={**payload, "reopened": False},
            )
    return found


def recall_client_fact(
    client: Client,
    *,
    removed: str,
    facts_before: Sequence[str],
    facts_after: Sequence[str],
    testimonials_before: Sequence[str] = (),
    testimonials_after: Sequence[str] = (),
    what: str = "fact",
    change: str = "retracted",
    actor: User | None = None,
) -> list[RecalledJob]:
    """Find every output that relied on the client's `removed` fact or testimonial and send
    its job back to review with a note naming it."""
    by_job: dict[Any, list[Output]] = {}
    for output in _current_outputs(client):
        if output.revision != output.job.revision:
            continue
        relied = relied_on(
            _text_of(output),
            removed=removed,
            facts_before=facts_before,
            facts_after=facts_after,
            testimonials_before=testimonials_before,
            testimonials_after=testimonials_after,
        )
        if relied:
            by_job.setdefault(output.job_id, []).append(output)
    note = (
        f"The {what} “{quote_excerpt(removed, 80)}” was {change} by an owner; this work relied "
        "on it and goes back to review."
    )
    payload = {"fact": removed, "kind": what, "change": change}
    return [
        _back_to_review(job_id, outputs, note, payload, actor or AnonymousUser())
        for job_id, outputs in by_job.items()
    ]


def recall_evidence(resolution: ClaimResolution, *, change: str, actor: User) -> RecalledJob | None:
    """The job whose outputs an evidence record backed goes back to review, naming it."""
    job = resolution.job
    if job.status not in RECALLED_STATUSES:
        return None
    outputs = [
        o
        for o in Output.objects.filter(job=job, revision=job.revision)
        if any(is_claim(f) and claim_key(f) == resolution.claim_key for f in o.safety_flags or [])
    ]
    if not outputs:
        return None
    note = (
        f"The evidence “{quote_excerpt(resolution.text, 80)}” for "
        f"“{quote_excerpt(resolution.excerpt, 60)}” was {change} by an owner; this work relied "
        "on it and goes back to review."
    )
    payload = {"fact": resolution.text, "kind": "evidence", "change": change}
    payload["resolution_id"] = resolution.pk
    return _back_to_review(job.pk, outputs, note, payload, actor)


def _texts(items: Iterable[Any]) -> list[str]:
    return [str(i).strip() for i in items or [] if str(i).strip()]


def recall_changes(
    client: Client,
    *,
    facts_before: Iterable[Any],
    testimonials_before: Iterable[Any],
    actor: User | None = None,
) -> list[RecalledJob]:
    """Recall for every fact and testimonial that is no longer on file as it was."""
    old_facts, new_facts = _texts(facts_before), _texts(client.verified_facts)
    old_quotes = _texts(
        i.get("quote", "") if isinstance(i, Mapping) else i for i in testimonials_before
    )
    new_quotes = testimonial_quotes(client)
    recalled: dict[Any, RecalledJob] = {}
    for fact in old_facts:
        if fact not in new_facts:
            change = "edited" if len(new_facts) >= len(old_facts) else "retracted"
            for found in recall_client_fact(
                client,
                removed=fact,
                facts_before=old_facts,
                facts_after=new_facts,
                testimonials_before=old_quotes,
                testimonials_after=new_quotes,
                change=change,
                actor=actor,
            ):
                recalled.setdefault(found.job_id, found)
    for quote in old_quotes:
        if quote not in new_quotes:
            for found in recall_client_fact(
                client,
                removed=quote,
                facts_before=new_facts,
                facts_after=new_facts,
                testimonials_before=old_quotes,
                testimonials_after=new_quotes,
                what="testimonial",
                change="withdrawn",
                actor=actor,
            ):
                recalled.setdefault(found.job_id, found)
    return list(recalled.values())
