"""Forms for acting on a flagged claim: attach evidence, or dismiss it with a reason."""

from __future__ import annotations

from django import forms

from approvals.evidence import MAX_SOURCE, MAX_TEXT


class EvidenceForm(forms.Form):
    text = forms.CharField(
        label="Evidence",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The fact that backs the claim, as the source states it.",
    )
    source = forms.CharField(
        label="Source",
        max_length=MAX_SOURCE,
        required=False,
        help_text="A web address (https://...) or the name of a document.",
    )
    expires_at = forms.DateTimeField(
        label="Valid until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: after this date the evidence no longer backs the claim.",
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this is not a claim that needs evidence; the next reviewer sees it.",
    )


def auto_id(output_id: int, index: int, kind: str) -> str:
    """Field ids unique on a page that holds a form for every flag."""
    return f"id_{kind}_%s_{output_id}_{index}"
