"""Forms for decisions: the reviewer's decision form and the owner's send-back note."""

from __future__ import annotations

from typing import Any

from django import forms

from approvals.services import (
    APPROVE,
    APPROVE_WITH_CHANGES,
    MAX_BRIEF,
    MAX_FEEDBACK,
    REJECT,
    REQUEST_CHANGES,
)
from production.input_safety import MAX_INT

DECISION_CHOICES = [
    (APPROVE, "Approve"),
    (APPROVE_WITH_CHANGES, "Approve with changes (no new review)"),
    (REQUEST_CHANGES, "Request changes (new revision)"),
    (REJECT, "Reject (stop)"),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES, widget=forms.RadioSelect)
    feedback = forms.CharField(
        required=False,
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Required to request changes or reject, and to approve work scored below the "
            "“review needed” band; the next revision is written with it."
        ),
    )
    # The revision the reviewer looked at: an approval never carries over to changed content.
    expected_revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_INT
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if not (data.get("feedback") or "").strip():
            if decision in (REQUEST_CHANGES, REJECT):
                self.add_error("feedback", "Feedback is required to request changes or reject.")
            elif decision == APPROVE_WITH_CHANGES:
                self.add_error("feedback", "List the changes to make before this is final.")
        return data


class SendBackForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="What should change; the next revision is written with this note.",
    )


class ReviseBriefForm(forms.Form):
    """The client's revised brief for rejected work; the next revision is written from it."""

    description = forms.CharField(
        required=False,
        max_length=MAX_BRIEF,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the work should be now; the reviewers' reasons are shown above.",
    )
    note = forms.CharField(max_length=500, required=False, help_text="Optional: what changed.")
