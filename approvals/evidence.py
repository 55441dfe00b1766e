"""Evidence for flagged claims: attach a source, or dismiss the claim with a reason.

A claim is identified within its job by its category and normalised wording, so a
resolution also covers the same claim in later revisions. Resolutions are copied onto the
flags stored with the outputs and the job ("evidence" or "dismissal"), so every page and
API representation shows them, and each output's truth verdict is recomputed from the
claims still unresolved. Evidence past its expiry no longer backs anything.

Evidence brought by a member or a reviewer backs its claim only once an owner of the client
confirms it (evidence_owner.py); an owner's own evidence is confirmed as it is attached. An
owner may also retract or expire evidence, which sends the work that relied on it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from approvals.models import ClaimResolution, ResolutionKind
from approvals.qc.outputs import blocking, stored_findings
from approvals.safety.bands import band_for
from approvals.safety.flags import TRUTH_CATEGORIES, quote_excerpt
from approvals.safety.text import normalise
from approvals.scoring import rollup, thresholds_for
from jobs import lifecycle
from jobs.models import Output, ProductionJob
from jobs.selectors import visible_to
from production.models import Role
from production.tenancy import has_role, role_in

User = AbstractBaseUser | AnonymousUser

# Claims a person can back or dismiss; a text in an uncovered language is not one claim.
CLAIM_CATEGORIES = TRUTH_CATEGORIES - {"uncovered_language"}
MAX_TEXT = 2000
MAX_SOURCE = 500
# Who may do what: the client's people can bring evidence, only reviewers may wave a claim off.
REQUIRED_ROLE = {ResolutionKind.EVIDENCE: Role.MEMBER, ResolutionKind.DISMISSAL: Role.REVIEWER}
VERIFIED_SAFE, SAFE = "verified_safe", "safe"


class EvidenceError(Exception):
    """A resolution that cannot be recorded; `field` names the input, `status` the HTTP code."""

    def __init__(self, message: str, field: str = "", *, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


def claim_key(flag: Mapping[str, Any]) -> str:
    wording = normalise(str(flag.get("excerpt", ""))) or str(flag.get("excerpt", ""))
    return f"{flag.get('category', '')}:{wording}"[:300]


def is_claim(flag: Mapping[str, Any]) -> bool:
    return flag.get("category") in CLAIM_CATEGORIES


def _live(resolution: Mapping[str, Any] | None, now: datetime) -> bool:
    if not resolution:
        return False
    expires = resolution.get("expires_at")
    when = parse_datetime(expires) if isinstance(expires, str) else None
    return when is None or when > now


def flag_state(flag: Mapping[str, Any], now: datetime | None = None) -> str:
    """ "dismissed", "substantiated", "unconfirmed" (evidence no owner has confirmed yet),
    "retracted" (by an owner), "expired" (evidence past its date) or "open"."""
    now = now or timezone.now()
    if flag.get("dismissal"):
        return "dismissed"
    evidence = flag.get("evidence")
    if evidence:
        if evidence.get("retracted_at"):
            return "retracted"
        if not _live(evidence, now):
            return "expired"
        return "substantiated" if evidence.get("confirmed_at") else "unconfirmed"
    return "open"


def unresolved_claims(flags: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    now = timezone.now()
    return [
        f
        for f in flags
        if f.get("category") in TRUTH_CATEGORIES
        and not (is_claim(f) and flag_state(f, now) in ("dismissed", "substantiated"))
    ]


def _as_copy(resolution: ClaimResolution) -> dict[str, Any]:
    return {
        "id": resolution.pk,
        "text": resolution.text,
        "source": resolution.source,
        "by": resolution.created_by_label,
        "role": resolution.created_by_role,
        "at": resolution.created_at.isoformat(),
        "expires_at": resolution.expires_at.isoformat() if resolution.expires_at else None,
        "confirmed_at": resolution.confirmed_at.isoformat() if resolution.confirmed_at else None,
        "confirmed_by": resolution.confirmed_by_label,
        "retracted_at": resolution.retracted_at.isoformat() if resolution.retracted_at else None,
        "retracted_by": resolution.retracted_by_label,
    }


def latest_resolutions(job: ProductionJob) -> dict[str, ClaimResolution]:
    """The newest resolution of each claim of the job (a later one replaces an earlier one)."""
    latest: dict[str, ClaimResolution] = {}
    for resolution in ClaimResolution.objects.filter(job=job).order_by("created_at", "id"):
        latest[resolution.claim_key] = resolution
    return latest


def settle_bands(
    job: ProductionJob, outputs: list[Output], qc: Mapping[int, list[dict[str, Any]]]
) -> None:
    """Each score's band, except that work with a blocking QC finding or a claim without
    evidence is never "verified safe" (it is "safe" at most) until it is fixed or backed.

    Sets the bands on the objects; the caller saves them.
    """
    thresholds = thresholds_for(job.client)
    for output in outputs:
        if output.safety_score is None:
            continue
        band = band_for(output.safety_score, thresholds)
        held = blocking(qc.get(output.pk, [])) or unresolved_claims(output.safety_flags or [])
        output.safety_band = SAFE if band == VERIFIED_SAFE and held else band
    if job.safety_score is not None:
        band = band_for(job.safety_score, thresholds)
        held = any(blocking(found) for found in qc.values()) or unresolved_claims(
            job.safety_flags or []
        )
        job.safety_band = SAFE if band == VERIFIED_SAFE and held else band


def apply_resolutions(
    job: ProductionJob, outputs: list[Output] | None = None, *, save: bool = True
) -> list[Output]:
    """Copy the job's resolutions onto its revision's flags and recompute the truth verdicts.

    Returns the outputs whose flags changed. With save=True those rows and the job's rollup
    fields are saved; with save=False the caller saves them (the review path folds them
    into its own writes).
    """
    if outputs is None:
        outputs = list(Output.objects.filter(job=job, revision=job.revision))
    # Without a claim among the flags there is nothing to look up (the step path stays lean).
    has_claims = any(is_claim(f) for o in outputs for f in o.safety_flags or [])
    latest = latest_resolutions(job) if has_claims else {}
    changed = []
    for output in outputs:
        if output.safety_score is None:
            continue
        flags = []
        for flag in output.safety_flags or []:
            flag = {k: v for k, v in flag.items() if k not in ("evidence", "dismissal")}
            found = latest.get(claim_key(flag)) if is_claim(flag) else None
            if found is not None:
                flag[found.kind] = _as_copy(found)
            flags.append(flag)
        verified = not unresolved_claims(flags)
        if flags != (output.safety_flags or []) or verified != output.truth_verified:
            output.safety_flags, output.truth_verified = flags, verified
            changed.append(output)
    summary = rollup(outputs, job.client)
    job.safety_flags, job.truth_verified = summary["flags"], summary["verified"]
    if save:
        settle_bands(job, outputs, {o.pk: stored_findings(o) or [] for o in outputs})
        if outputs:
            Output.objects.bulk_update(outputs, ["safety_flags", "truth_verified", "safety_band"])
        job.save(update_fields=["safety_flags", "truth_verified", "safety_band"])
    return changed


def _clean_source(source: str) -> str:
    source = (source or "").strip()
    if len(source) > MAX_SOURCE:
        raise EvidenceError(f"The source is longer than {MAX_SOURCE} characters.", "source")
    if "\x00" in source:
        raise EvidenceError("The source holds a NUL character.", "source")
    if source.lower().startswith(("http:", "https:")):
        parts = urlsplit(source)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc:
            raise EvidenceError("The source link is not a valid web address.", "source")
    elif source.lower().replace(" ", "").startswith(("javascript:", "data:", "vbscript:", "file:")):
        raise EvidenceError(
            "Give a web address (https://...) or the name of a document as the source.", "source"
        )
    return source


def _clean_text(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise EvidenceError(f"{what} is required.", field)
    if len(text) > MAX_TEXT:
        raise EvidenceError(f"{what} is longer than {MAX_TEXT} characters.", field)
    if "\x00" in text:
        raise EvidenceError(f"{what} holds a NUL character.", field)
    return text


def _find_flag(job: ProductionJob, output_id: Any, flag_index: Any) -> tuple[Output, dict]:
    try:
        output_pk, index = int(output_id), int(flag_index)
    except (TypeError, ValueError):
        raise EvidenceError("Pick the flag to act on.", "flag") from None
    output = Output.objects.filter(job=job, pk=output_pk).first()
    if output is None:
        raise EvidenceError("That output is not part of this job.", "output", status=404)
    flags = output.safety_flags or []
    if not 0 <= index < len(flags):
        raise EvidenceError("That flag does not exist on this output.", "flag", status=404)
    if not is_claim(flags[index]):
        raise EvidenceError(
            "Only claims can be backed or dismissed; fix this flag in the copy instead.", "flag"
        )
    return output, flags[index]


def resolve_claim(
    *,
    job: ProductionJob,
    user: User,
    kind: str,
    output_id: Any,
    flag_index: Any,
    text: str,
    source: str = "",
    expires_at: datetime | None = None,
) -> ClaimResolution:
    """Attach evidence to a flagged claim, or dismiss it, and record it in the job history."""
    if kind not in ResolutionKind.values:
        raise EvidenceError("Choose evidence or dismissal.", "kind")
    if not user.is_authenticated:
        raise EvidenceError("Sign in to act on flags.", status=403)
    if not visible_to(user, job):
        raise EvidenceError("Job not found.", status=404)
    if not has_role(user, job.client_id, REQUIRED_ROLE[kind]):
        who = "reviewer" if kind == ResolutionKind.DISMISSAL else "member"
        raise EvidenceError(f"Only a {who} of {job.client.name} can do this.", status=403)
    what = "The evidence" if kind == ResolutionKind.EVIDENCE else "A reason"
    text = _clean_text(text, "text", what)
    source = _clean_source(source) if kind == ResolutionKind.EVIDENCE else ""
    if expires_at is not None and expires_at <= timezone.now():
        raise EvidenceError("The expiry date must be in the future.", "expires_at")
    with transaction.atomic():
        job = lifecycle.lock_job(job.pk)
        if job.is_terminal:
            raise EvidenceError(
                f"This job is {job.get_status_display().lower()}; its flags can no longer change.",
                status=409,
            )
        output, flag = _find_flag(job, output_id, flag_index)
        label = user.get_full_name() or user.get_username()  # type: ignore[union-attr]
        # An owner vouches for their own evidence; anyone else's waits for an owner.
        by_owner = kind == ResolutionKind.EVIDENCE and has_role(user, job.client_id, Role.OWNER)
        resolution = ClaimResolution.objects.create(
            job=job,
            output=output,
            revision=output.revision,
            claim_key=claim_key(flag),
            category=flag.get("category", ""),
            excerpt=str(flag.get("excerpt", ""))[:300],
            kind=kind,
            text=text,
            source=source,
            expires_at=expires_at,
            created_by=user,
            created_by_label=label,
            created_by_role="staff" if user.is_staff else (role_in(user, job.client_id) or ""),
            confirmed_at=timezone.now() if by_owner else None,
            confirmed_by=user if by_owner else None,
            confirmed_by_label=label if by_owner else "",
        )
        apply_resolutions(job)
        verb = "Evidence attached to" if kind == ResolutionKind.EVIDENCE else "Dismissed"
        waits = kind == ResolutionKind.EVIDENCE and not by_owner
        lifecycle.record_event(
            job,
            f"claim.{kind}",
            actor=user,  # type: ignore[arg-type]
            note=f"{verb} “{quote_excerpt(resolution.excerpt)}”: {text}"
            + (" It counts once an owner confirms it." if waits else ""),
            payload={
                "resolution_id": resolution.pk,
                "output_id": output.pk,
                "claim": resolution.excerpt,
                "category": resolution.category,
                "source": source,
                "expires_at": expires_at.isoformat() if expires_at else None,
                "confirmed": bool(resolution.confirmed_at),
            },
        )
    return resolution
