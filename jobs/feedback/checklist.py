"""The feedback checklist of one revision: what reviewers asked for before it, and whether the
revision's text does it. Read side; the instructions themselves are parsed from the stored
feedback, so revisions written by a hosted model are checked the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from approvals.models import ApprovalRequest, ApprovalStatus
from jobs.models import Output, ProductionJob

from .checks import Check, check_instruction
from .instructions import Instruction, parse_feedback

TEXT_KINDS = ("text", "markdown", "html")


@dataclass(frozen=True)
class Item:
    instruction: Instruction
    check: Check

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.instruction.as_dict(),
            "status": self.check.status,
            "evidence": self.check.evidence,
        }


@dataclass(frozen=True)
class Checklist:
    revision: int
    feedback: list[str]
    items: list[Item] = field(default_factory=list)

    @property
    def missed(self) -> list[Item]:
        return [i for i in self.items if i.check.status == "missed"]

    @property
    def addressed(self) -> list[Item]:
        return [i for i in self.items if i.check.status == "addressed"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "feedback": self.feedback,
            "addressed": len(self.addressed),
            "missed": len(self.missed),
            "items": [i.as_dict() for i in self.items],
        }


def feedback_before(job: ProductionJob, revision: int) -> list[str]:
    """The feedback given on earlier revisions of `job`, oldest first."""
    return [
        text
        for text in ApprovalRequest.objects.filter(
            job=job,
            revision__lt=revision,
            status__in=(ApprovalStatus.CHANGES_REQUESTED, ApprovalStatus.REJECTED),
        )
        .order_by("decided_at", "id")
        .values_list("feedback", flat=True)
        if text
    ]


def checklist_for(job: ProductionJob, revision: int | None = None) -> Checklist | None:
    """The checklist of `revision` (default: the job's current one); None without feedback."""
    revision = revision or job.revision
    feedback = feedback_before(job, revision)
    if not feedback:
        return None
    outputs = list(
        Output.objects.filter(
            job=job, revision__in=(revision, revision - 1), kind__in=TEXT_KINDS
        ).only("key", "item", "revision", "text", "metadata")
    )
    current = [o for o in outputs if o.revision == revision]
    if not current:
        return Checklist(revision, feedback)
    keys = {(o.key, o.item) for o in current}
    previous = [o.text for o in outputs if o.revision == revision - 1 and (o.key, o.item) in keys]
    texts = [o.text for o in current]
    # Tones only from the built-in writer, which records the tone it wrote in.
    tones = [str(o.metadata.get("tone") or "") for o in current if o.metadata.get("draft_source")]
    facts = list(job.client.verified_facts or [])
    items = [
        Item(
            instruction,
            check_instruction(
                instruction,
                texts,
                previous=previous,
                tones=[t for t in tones if t],
                facts=facts,
            ),
        )
        for instruction in parse_feedback(feedback, facts)
    ]
    return Checklist(revision, feedback, items)
