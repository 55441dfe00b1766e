"""Whether a finished draft may be approved without a person, and why not.

`decide_auto_approval` is the one place that decides. It runs QC on the revision's outputs
and re-applies claim resolutions (both are kept with the outputs), then lists every reason
to withhold approval; an empty list is the only way to auto-approve. `auto_approval_status`
reads what was kept and gives the same answer for pages and the API without writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from approvals.evidence import apply_resolutions, flag_state, settle_bands, unresolved_claims
from approvals.qc.findings import CHECK_LABELS
from approvals.qc.outputs import blocking, run_qc, stored_findings
from approvals.safety.flags import quote_excerpt
from jobs import lifecycle
from jobs.models import JobType, Output, ProductionJob
from jobs.prompt_screen import screen_brief

KEPT_FIELDS = ("safety_flags", "truth_verified", "metadata", "safety_band")

# Work that always needs a person: brand and website work, and video, whose narration,
# timing and picture a score cannot read.
HIGH_IMPACT_TYPES = frozenset({JobType.BRAND, JobType.WEBSITE, JobType.VIDEO})


@dataclass(frozen=True)
class AutoApproval:
    allowed: bool
    reasons: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "reasons": list(self.reasons)}


def _name(output: Output) -> str:
    return output.title or output.key or f"output {output.pk}"


def withheld_reasons(
    job: ProductionJob, outputs: list[Output], qc: dict[int, list[dict[str, Any]]]
) -> list[str]:
    """Every reason the job may not be auto-approved, in words a client can read."""
    client = job.client
    reasons = []
    if job.job_type in HIGH_IMPACT_TYPES:
        what = "Video" if job.job_type == JobType.VIDEO else job.get_job_type_display()
        reasons.append(f"{what} work is high-impact and never auto-approved: a person reviews it.")
    if job.safety_score is None:
        reasons.append("No output was scored for safety.")
    elif job.safety_score < client.threshold_verified_safe:
        reasons.append(
            f"The safety score {job.safety_score} is below {client.threshold_verified_safe} "
            "(verified safe)."
        )
    flags = job.safety_flags or []
    uncovered = [f for f in flags if f.get("category") == "uncovered_language"]
    if uncovered:
        names = sorted({str(f.get("output", "")) for f in uncovered if f.get("output")})
        where = f" ({', '.join(names)})" if names else ""
        reasons.append(
            f"The text{where} is in a language the safety rules do not cover, so its claims "
            "were not checked."
        )
    open_claims = [f for f in unresolved_claims(flags) if f.get("category") != "uncovered_language"]
    waiting = [f for f in open_claims if flag_state(f) == "unconfirmed"]
    open_claims = [f for f in open_claims if f not in waiting]
    if waiting:
        quoted = ", ".join(f"“{quote_excerpt(str(f.get('excerpt', '')), 40)}”" for f in waiting[:3])
        more = f" and {len(waiting) - 3} more" if len(waiting) > 3 else ""
        reasons.append(
            f"{len(waiting)} claim(s) with evidence no owner has confirmed yet: {quoted}{more}. "
            "An owner of the client confirms it on the review page."
        )
    if open_claims:
        quoted = ", ".join(
            f"“{quote_excerpt(str(f.get('excerpt', '')), 40)}”" for f in open_claims[:3]
        )
        more = f" and {len(open_claims) - 3} more" if len(open_claims) > 3 else ""
        reasons.append(
            f"{len(open_claims)} claim(s) without evidence: {quoted}{more}. Attach evidence or "
            "dismiss them with a reason."
        )
    injections = screen_brief(job.input_data, title=job.title, description=job.description)
    if injections:
        where = ", ".join(sorted({f.field for f in injections}))
        reasons.append(
            f"The brief ({where}) contains text that reads as instructions to a model: "
            "a person reviews the result."
        )
    if job.high_impact and not reasons:
        reasons.append("The job is marked high-impact: a person reviews it.")
    for output in outputs:
        found = blocking(qc.get(output.pk, []))
        if found:
            labels = ", ".join(
                dict.fromkeys(CHECK_LABELS.get(f["check"], f["check"]) for f in found)
            )
            reasons.append(f"QC found a blocking defect in “{_name(output)}”: {labels}.")
    if not client.auto_approve:
        reasons.insert(0, f"{client.name} has not opted in to auto-approval.")
    return reasons


def decide_auto_approval(job: ProductionJob) -> AutoApproval:
    """Decide for a draft whose row is locked; QC findings and claim resolutions are kept.

    The job's rollup fields are changed in memory (its caller saves them with the status
    change). When the client opted in and approval is withheld, the reasons go to history.
    """
    outputs = list(Output.objects.filter(job=job, revision=job.revision))
    apply_resolutions(job, outputs, save=False)
    qc = run_qc(job, outputs, save=False)
    settle_bands(job, outputs, qc)
    # One write for what changed on the outputs: flags, verdicts, QC findings and bands.
    Output.objects.bulk_update(outputs, [*KEPT_FIELDS])
    reasons = withheld_reasons(job, outputs, qc)
    if reasons and job.client.auto_approve:
        lifecycle.record_event(
            job,
            "auto_approval.withheld",
            actor_label="system",
            note="Not auto-approved: " + " ".join(reasons),
            payload={"reasons": reasons, "revision": job.revision},
        )
    return AutoApproval(not reasons, tuple(reasons))


def auto_approval_status(job: ProductionJob) -> AutoApproval:
    """The same decision from what is stored, for display (nothing is written)."""
    outputs = list(Output.objects.filter(job=job, revision=job.revision))
    qc = {o.pk: stored_findings(o) or [] for o in outputs}
    reasons = withheld_reasons(job, outputs, qc)
    return AutoApproval(not reasons, tuple(reasons))
