"""The form an owner uses to add a review stage: every problem shown at its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from approvals.models import ReviewStage
from jobs.models import JobType
from production.input_safety import text_problem
from production.models import Client, Membership, Role

MAX_STAGES = 10
ROLE_CHOICES = [
    (Role.REVIEWER.value, "Any reviewer (owners too)"),
    (Role.OWNER.value, "Any owner"),
]


class StageForm(forms.Form):
    name = forms.CharField(
        max_length=60, help_text="What the stage is called in the queue, e.g. “Legal”."
    )
    position = forms.IntegerField(
        min_value=1,
        max_value=MAX_STAGES,
        help_text="Stages run in this order: 1 first.",
    )
    job_type = forms.ChoiceField(
        required=False,
        help_text="Stages for one job type replace the ones for every type on that type.",
    )
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        initial=Role.REVIEWER.value,
        help_text="Who decides when nobody is named below.",
    )
    members = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Name the people who decide this stage; then only they can.",
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["job_type"].choices = [("", "Every job type"), *JobType.choices]
        people = (
            get_user_model()
            .objects.filter(
                pk__in=Membership.objects.filter(client=client).values("user_id"), is_active=True
            )
            .order_by("username")
        )
        self.people = {str(u.pk): u for u in people}
        self.fields["members"].choices = [
            (pk, u.get_full_name() or u.get_username()) for pk, u in self.people.items()
        ]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        problem = text_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        if not name:
            raise forms.ValidationError("Give the stage a name.")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        position, job_type = data.get("position"), data.get("job_type", "")
        if position is not None:
            taken = ReviewStage.objects.filter(
                client=self.client, job_type=job_type or "", position=position
            ).first()
            if taken is not None:
                scope = (
                    dict(JobType.choices).get(job_type, "every job type")
                    if job_type
                    else ("every job type")
                )
                self.add_error(
                    "position",
                    f"Stage {position} for {scope} is “{taken.name}” already: choose another "
                    "number or remove that stage first.",
                )
            elif (
                ReviewStage.objects.filter(client=self.client, job_type=job_type or "").count()
                >= MAX_STAGES
            ):
                self.add_error("position", f"A review has at most {MAX_STAGES} stages.")
        return data

    def save(self) -> ReviewStage:
        data = self.cleaned_data
        stage = ReviewStage.objects.create(
            client=self.client,
            name=data["name"],
            position=data["position"],
            job_type=data.get("job_type") or "",
            role=data["role"],
        )
        stage.members.set([self.people[pk] for pk in data.get("members") or []])
        return stage
