"""Forms for decisions: the reviewer's decision form and the owner's send-back note."""

from __future__ import annotations

from typing import Any

from django import forms

from approvals.services import APPROVE, REJECT, REQUEST_CHANGES
from production.input_safety import MAX_INT

DECISION_CHOICES = [
    (APPROVE, "Approve"),
    (REQUEST_CHANGES, "Request changes"),
    (REJECT, "Reject"),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES, widget=forms.RadioSelect)
    feedback = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to request changes or reject; the next revision is written with it.",
    )
    # The revision the reviewer looked at: an approval never carries over to changed content.
    expected_revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_INT
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs_feedback = data.get("decision") in (REQUEST_CHANGES, REJECT)
        if needs_feedback and not (data.get("feedback") or "").strip():
            self.add_error("feedback", "Feedback is required to request changes or reject.")
        return data


class SendBackForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="What should change; the next revision is written with this note.",
    )
