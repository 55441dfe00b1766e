"""The preferences form: one channel per event."""

from __future__ import annotations

from typing import Any

from django import forms

from notifications.models import Channel, Event


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for event in Event:
            self.fields[event.value] = forms.ChoiceField(
                label=event.label, choices=Channel.choices, widget=forms.RadioSelect
            )
