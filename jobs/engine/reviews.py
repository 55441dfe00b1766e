"""What the engine needs from review: a small interface that the approvals app registers.

The engine decides when a job's steps are done or a gate is reached; what review does then
(auto-approve or ask the reviewers, open a gate's request, collect feedback) belongs to
approvals, which imports the engine's lifecycle. Registering it from approvals' AppConfig
keeps the imports one-way: approvals -> jobs, never back.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from jobs.models import Output, ProductionJob
from jobs.workflows.base import Step


class Reviews(Protocol):
    def submit_for_review(self, job: ProductionJob) -> None:
        """The job's steps are done and it is a draft (row locked): approve it or ask."""

    def apply_rollup(self, job: ProductionJob) -> list[int]:
        """Copy the revision's output scores to the job (saved); the output ids."""

    def open_gate(self, job: ProductionJob, step: Step) -> object:
        """Ask the people a mid-workflow gate names for their decision."""

    def cancel_open_requests(self, job: ProductionJob) -> None:
        """The job was cancelled: nobody is asked any more."""

    def feedback_for(self, job: ProductionJob) -> list[str]:
        """What reviewers asked of earlier revisions, oldest first."""

    def kept_outputs(self, job: ProductionJob) -> dict[tuple[str, str], Output]:
        """The previous revision's outputs approved one by one, by (step, key): kept as they
        were while the outputs sent back are made again."""


_registered: list[Reviews] = []


def register(reviews: Reviews) -> None:
    """Called once from the approvals app's ready(); a second call replaces the first."""
    _registered[:] = [reviews]


def reviews() -> Reviews:
    if not _registered:
        raise ImproperlyConfigured(
            "No review policy is registered with the engine: add 'approvals' to "
            "INSTALLED_APPS (its AppConfig.ready() registers approvals.review)."
        )
    return _registered[0]
