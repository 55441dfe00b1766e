"""The webhook endpoint form: a URL that can be reached over HTTP(S) and at least one event."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from operations.models import EventType


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        assume_scheme="https",
        help_text="Receives a signed POST for each event.",
    )
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )


class BudgetForm(forms.Form):
    monthly_usd = forms.DecimalField(
        label="Monthly budget (USD)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Leave empty for no budget. Runs that would go over wait for an owner.",
    )


class RangeForm(forms.Form):
    """The dashboard's date range and client; the view fills the client choices."""

    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    client = forms.ChoiceField(label="Client", required=False)

    MAX_DAYS = 366

    def __init__(self, *args: object, clients: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = clients

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end comes before the start.")
            elif (end - start).days >= self.MAX_DAYS:
                self.add_error("end", f"Choose at most {self.MAX_DAYS} days.")
        return data
