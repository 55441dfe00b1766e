"""The form an owner uses to add a review stage: every problem shown at its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from approvals.models import SIGNOFF_KINDS, ApproverRole, ReviewStage, StageKind, StageRule
from jobs.models import JobTemplate, JobType
from production.input_safety import text_problem
from production.models import Client, Membership, Role

MAX_STAGES = 10
ROLE_CHOICES = [
    (Role.REVIEWER.value, "Any reviewer (owners too)"),
    (Role.OWNER.value, "Any owner"),
]


def client_people(client: Client) -> dict[str, Any]:
    """The client's active people by primary key (as the forms post it)."""
    people = (
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.filter(client=client).values("user_id"), is_active=True
        )
        .order_by("username")
    )
    return {str(u.pk): u for u in people}


class StageForm(forms.Form):
    name = forms.CharField(
        max_length=60, help_text="What the stage is called in the queue, e.g. “Legal”."
    )
    kind = forms.ChoiceField(
        choices=StageKind.choices,
        initial=StageKind.REVIEW.value,
        required=False,
        label="Kind",
        help_text="A sign-off stage is the owners' sign-off after every review stage, for "
        "high-impact work (always signed off) or for all work; only owners sign off.",
    )
    position = forms.IntegerField(
        min_value=1,
        max_value=MAX_STAGES,
        help_text="Stages run in this order: 1 first.",
    )
    with_previous = forms.BooleanField(
        required=False,
        label="Runs at the same time as the stage before it",
        help_text="Both stages open together; the next stage waits until both pass, and "
        "changes asked at either close the other.",
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
    approver_role = forms.ChoiceField(
        required=False,
        label="Approver role",
        help_text="One of your own approver roles (listed above): its holders decide, "
        "whatever their membership role.",
    )
    members = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Named decision makers",
        help_text="Name the people who decide this stage; then only they can.",
    )
    rule = forms.ChoiceField(
        choices=StageRule.choices,
        initial=StageRule.ANY.value,
        required=False,
        help_text="When the stage passes. Asking for changes or rejecting by any one of them "
        "sends the work back at once.",
    )
    required = forms.IntegerField(
        min_value=1,
        max_value=20,
        initial=2,
        required=False,
        label="How many approve",
        help_text="For “a number of them approve”: how many approvals pass the stage.",
    )
    due_hours = forms.IntegerField(
        min_value=1,
        max_value=24 * 30,
        initial=24,
        required=False,
        label="Due within (hours)",
        help_text="The stage's request is due this long after it opens; reminders and "
        "overdue escalation follow it.",
    )
    template = forms.ChoiceField(
        required=False,
        label="Template",
        help_text="Stages for a template replace every other stage on jobs made from it.",
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["job_type"].choices = [("", "Every job type"), *JobType.choices]
        self.people = client_people(client)
        templates = JobTemplate.objects.filter(Q(client=client) | Q(client__isnull=True))
        self.templates = {str(t.pk): t for t in templates.order_by("name")}
        self.fields["template"].choices = [
            ("", "No template (by job type)"),
            *((pk, t.name) for pk, t in self.templates.items()),
        ]
        self.fields["members"].choices = [
            (pk, u.get_full_name() or u.get_username()) for pk, u in self.people.items()
        ]
        roles = ApproverRole.objects.filter(client=client).prefetch_related("members")
        self.roles = {str(r.pk): r for r in roles}
        self.fields["approver_role"].choices = [
            ("", "None (the role above, or the people named below)"),
            *((pk, r.name) for pk, r in self.roles.items()),
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
        template = self.templates.get(data.get("template") or "")
        if template is not None and job_type:
            self.add_error(
                "job_type",
                "A template's stages apply to its jobs whatever their type: leave "
                "the job type at “Every job type”.",
            )
        self._check_rule(data)
        self._check_kind(data, template, job_type)
        if position is not None:
            same_scope = self._scope(template, job_type or "")
            taken = same_scope.filter(position=position).first()
            if taken is not None:
                if template is not None:
                    scope = f"the template “{template.name}”"
                else:
                    scope = dict(JobType.choices).get(job_type, "every job type")
                self.add_error(
                    "position",
                    f"Stage {position} for {scope} is “{taken.name}” already: choose another "
                    "number or remove that stage first.",
                )
            elif same_scope.count() >= MAX_STAGES:
                self.add_error("position", f"A review has at most {MAX_STAGES} stages.")
        return data

    def _check_rule(self, data: dict[str, Any]) -> None:
        data["rule"] = data.get("rule") or StageRule.ANY
        rule, required = data["rule"], data.get("required")
        if rule != StageRule.COUNT:
            return
        if required is None:
            self.add_error("required", "Say how many approvals pass the stage.")
            return
        named = len(data.get("members") or [])
        if named and required > named:
            self.add_error(
                "required",
                f"You named {named} {'person' if named == 1 else 'people'}: at most {named} "
                "can approve.",
            )

    def _scope(self, template: JobTemplate | None, job_type: str) -> Any:
        if template is not None:
            return ReviewStage.objects.filter(client=self.client, template=template)
        return ReviewStage.objects.filter(client=self.client, template=None, job_type=job_type)

    def _check_kind(
        self, data: dict[str, Any], template: JobTemplate | None, job_type: str
    ) -> None:
        data["kind"] = data.get("kind") or StageKind.REVIEW
        scope = self._scope(template, job_type or "")
        if data["kind"] not in SIGNOFF_KINDS:
            position = data.get("position")
            earlier = scope.filter(kind=StageKind.REVIEW)
            if position is not None:
                earlier = earlier.filter(position__lt=position)
            if data.get("with_previous") and not earlier.exists():
                self.add_error(
                    "with_previous",
                    "No review stage comes before this one here: it can only run on its own.",
                )
            return
        data["role"] = Role.OWNER.value  # only owners sign work off
        if data.get("with_previous"):
            self.add_error(
                "with_previous", "The sign-off runs after every review stage, never beside one."
            )
        existing = scope.filter(kind__in=SIGNOFF_KINDS).first()
        if existing is not None:
            self.add_error(
                "kind",
                f"“{existing.name}” is the sign-off stage here already: remove it first.",
            )
        owners = set(
            Membership.objects.filter(client=self.client, role=Role.OWNER).values_list(
                "user_id", flat=True
            )
        )
        role = self.roles.get(data.get("approver_role") or "")
        deciders = [self.people[pk] for pk in data.get("members") or []]
        if not deciders and role is not None:
            deciders = list(role.members.all())
        not_owners = [person for person in deciders if person.pk not in owners]
        if not_owners:
            names = ", ".join(u.get_full_name() or u.get_username() for u in not_owners)
            self.add_error(
                "members" if data.get("members") else "approver_role",
                f"Only owners sign off; not an owner of {self.client.name}: {names}.",
            )

    def save(self) -> ReviewStage:
        data = self.cleaned_data
        stage = ReviewStage.objects.create(
            client=self.client,
            name=data["name"],
            position=data["position"],
            job_type=data.get("job_type") or "",
            role=data["role"],
            template=self.templates.get(data.get("template") or ""),
            rule=data["rule"],
            required=(data.get("required") or 1) if data["rule"] == StageRule.COUNT else 1,
            due_hours=data.get("due_hours") or 24,
            kind=data["kind"],
            approver_role=self.roles.get(data.get("approver_role") or ""),
            with_previous=bool(data.get("with_previous")) and data["kind"] == StageKind.REVIEW,
        )
        stage.members.set([self.people[pk] for pk in data.get("members") or []])
        return stage


class ApproverRoleForm(forms.Form):
    """A custom approver role of the client and who holds it."""

    role_name = forms.CharField(
        max_length=60,
        label="Role name",
        help_text="For example “Creative Director”, “Legal” or “Client”.",
    )
    role_members = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Held by",
        help_text="The people of this client who hold the role.",
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.people = client_people(client)
        self.fields["role_members"].choices = [
            (pk, u.get_full_name() or u.get_username()) for pk, u in self.people.items()
        ]

    def clean_role_name(self) -> str:
        name = self.cleaned_data["role_name"].strip()
        problem = text_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        if not name:
            raise forms.ValidationError("Give the role a name.")
        if ApproverRole.objects.filter(client=self.client, name__iexact=name).exists():
            raise forms.ValidationError(f"{self.client.name} has a role “{name}” already.")
        return name

    def save(self) -> ApproverRole:
        role = ApproverRole.objects.create(client=self.client, name=self.cleaned_data["role_name"])
        role.members.set([self.people[pk] for pk in self.cleaned_data["role_members"]])
        return role
