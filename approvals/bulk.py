"""Deciding several requests from the queue at once, each bound to the revision it listed."""

from __future__ import annotations

from dataclasses import dataclass

from approvals import services
from approvals.models import ApprovalRequest
from approvals.selectors import pending_for_reviewer

BULK_DECISIONS = (services.APPROVE, services.REQUEST_CHANGES)
MAX_PICKS = 100


@dataclass
class Pick:
    request: ApprovalRequest
    revision: int


@dataclass
class BulkResult:
    request: ApprovalRequest
    ok: bool
    message: str


def parse_picks(user: services.User, values: list[str]) -> list[Pick]:
    """`<request id>:<revision>` values of the user's own queue; anything else is left out."""
    wanted: dict[int, int] = {}
    for value in values[:MAX_PICKS]:
        left, _, right = value.partition(":")
        if left.isdigit() and right.isdigit() and int(left) < 2**63 and int(right) < 2**31:
            wanted[int(left)] = int(right)
    found = pending_for_reviewer(user).filter(pk__in=list(wanted))
    return [Pick(request, wanted[request.pk]) for request in found]


def bulk_decide(
    *, user: services.User, picks: list[Pick], decision: str, feedback: str = ""
) -> list[BulkResult]:
    """Each pick decided on its own; one refused does not stop the others."""
    if decision not in BULK_DECISIONS:
        raise services.DecisionError(
            "Only approve and request changes can be done in bulk.", "decision"
        )
    results = []
    for pick in picks:
        try:
            services.decide(
                request_id=pick.request.pk,
                user=user,
                decision=decision,
                feedback=feedback,
                expected_revision=pick.revision,
            )
        except services.DecisionError as error:
            results.append(BulkResult(pick.request, False, error.message))
        else:
            results.append(BulkResult(pick.request, True, ""))
    return results
