"""The owners' oversight console for jobs: safety at a glance, history, and bulk decisions.

Every bulk action goes through approvals.services, so each one writes the job's history.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.fields import InvalidJSONInput
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timezone import localtime

from approvals import services
from approvals.forms import SendBackForm
from approvals.models import ApprovalRequest, ApprovalStatus
from approvals.safety import BAND_LABELS
from jobs.lifecycle import TransitionNotAllowed
from jobs.models import JobEvent, JobTemplate, Output, ProductionJob, StepRun
from jobs.template_defaults import template_defaults_errors
from production.input_safety import DEPTH_MESSAGE, json_problem, posted_text_errors, storable_text


def safety_badge_html(score: int | None, band: str) -> str:
    if score is None:
        return format_html('<span class="badge badge-unscored">{}</span>', "not scored")
    # Colours come from css/admin.css: the content security policy refuses style attributes.
    return format_html(
        '<span class="badge badge-{}">{} · {}</span>',
        band,
        score,
        BAND_LABELS.get(band, band or "unbanded"),
    )


class AwaitingSignoffFilter(admin.SimpleListFilter):
    """Approved high-impact work waiting for an owner: the owners' main queue."""

    title = "awaiting sign-off"
    parameter_name = "awaiting_signoff"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Awaiting sign-off"), ("no", "Not awaiting sign-off")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        waiting = ApprovalRequest.objects.filter(
            gate=services.SIGNOFF_GATE, status=ApprovalStatus.PENDING
        ).values("job_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=waiting)
        if self.value() == "no":
            return queryset.exclude(pk__in=waiting)
        return queryset


class SafetyBandFilter(admin.SimpleListFilter):
    """The safety bands by their names ("Safety concerns"), not their stored slugs."""

    title = "safety band"
    parameter_name = "safety_band"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(band, str(label)) for band, label in BAND_LABELS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in BAND_LABELS:
            return queryset.filter(safety_band=self.value())
        return queryset


class ReadOnlyInline(admin.TabularInline):
    """History-like rows: visible to owners, never added, changed or deleted here."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class JobEventInline(ReadOnlyInline):
    model = JobEvent
    verbose_name_plural = "history"
    fields = ("created_at", "action", "from_status", "to_status", "who", "revision", "note")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="actor")
    def who(self, event: JobEvent) -> str:
        return event.actor_name


class OutputInline(ReadOnlyInline):
    model = Output
    fields = ("revision", "step", "item", "kind", "title", "preview", "safety", "truth")
    readonly_fields = fields

    @admin.display(description="preview")
    def preview(self, output: Output) -> str:
        if output.file:
            # Through the access-checked route (staff pass it), like every other page.
            url = reverse("output_file", args=[output.job_id, output.pk])
            return format_html(
                '<a href="{}?inline=1" target="_blank">open {}</a>', url, output.kind
            )
        text = output.text or ""
        return text[:160] + ("…" if len(text) > 160 else "")

    @admin.display(description="safety")
    def safety(self, output: Output) -> str:
        return safety_badge_html(output.safety_score, output.safety_band)

    @admin.display(description="truth verified")
    def truth(self, output: Output) -> str:
        # Audio and video are not scored: say so rather than show a failed check.
        if output.safety_score is None:
            return "not scored"
        return "yes" if output.truth_verified else "no"


class ApprovalRequestInline(ReadOnlyInline):
    model = ApprovalRequest
    verbose_name_plural = "approval requests"
    fields = (
        "gate",
        "approval_type",
        "approver_role",
        "revision",
        "status",
        "feedback",
        "decided_by_label",
        "decided_at",
        "due_at",
        "review_page",
    )
    readonly_fields = fields

    @admin.display(description="review page")
    def review_page(self, approval: ApprovalRequest) -> str:
        # "Decide" while it waits; afterwards the page only shows what was decided.
        action = "Decide" if approval.status == ApprovalStatus.PENDING else "View"
        url = reverse("reviews:review", args=[approval.pk])
        return format_html('<a href="{}">{}</a>', url, action)


class StepRunInline(ReadOnlyInline):
    model = StepRun
    fields = (
        "step",
        "revision",
        "status",
        "attempt",
        "provider",
        "calls",
        "duration_ms",
        "cost_usd",
        "error",
    )
    readonly_fields = fields


class ComparableQueryAdmin(admin.ModelAdmin):
    """A list whose filters PostgreSQL cannot compare (a NUL in a value) is a 400, not a crash;
    the search term is cleaned instead, as searching is forgiving everywhere else."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        names = [name for name in request.GET if name != SEARCH_VAR]
        errors = posted_text_errors(request.GET, names)
        if errors:
            fields = ", ".join(sorted(errors))
            return HttpResponseBadRequest(f"These filters hold characters not allowed: {fields}.")
        return super().changelist_view(request, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        return super().get_search_results(request, queryset, storable_text(search_term))


@admin.register(ProductionJob)
class ProductionJobAdmin(ComparableQueryAdmin):
    # The badge says score and band in words, so the list fits 1440 px without a slug column.
    list_display = (
        "short_title",
        "safety_badge",
        "status",
        "job_type",
        "client",
        "priority",
        "high_impact",
        "revision",
        "created",
    )
    list_display_links = ("short_title",)
    list_filter = (
        AwaitingSignoffFilter,
        "status",
        "job_type",
        "priority",
        "client",
        SafetyBandFilter,
        "high_impact",
        "truth_verified",
    )
    list_select_related = ("client",)
    search_fields = ("title", "client__name")
    date_hierarchy = "created_at"
    inlines = (ApprovalRequestInline, OutputInline, StepRunInline, JobEventInline)
    actions = ("sign_off", "send_back", "cancel_jobs", "requeue_failed")
    fieldsets = (
        (
            None,
            {"fields": ("title", "description", "client", "job_type", "priority", "high_impact")},
        ),
        (
            "State",
            {"fields": ("status", "revision", "progress", "error", "created_by", "template")},
        ),
        (
            "Safety and truth",
            {
                "fields": (
                    "safety_badge",
                    "safety_score",
                    "band",
                    "truth_verified",
                    "safety_flags",
                )
            },
        ),
        ("Inputs", {"fields": ("input_data",)}),
        (
            "Cost and time",
            {"fields": ("cost_usd", "tokens_total", "created_at", "started_at", "finished_at")},
        ),
    )
    # Status and everything workers write stay read-only: only the lifecycle changes them.
    readonly_fields = (
        "client",
        "job_type",
        "status",
        "revision",
        "progress",
        "error",
        "created_by",
        "template",
        "safety_badge",
        "safety_score",
        "band",
        "truth_verified",
        "safety_flags",
        "input_data",
        "cost_usd",
        "tokens_total",
        "created_at",
        "started_at",
        "finished_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are created through the dashboard or the API, with validated inputs

    @admin.display(description="safety", ordering="safety_score")
    def safety_badge(self, job: ProductionJob) -> str:
        return safety_badge_html(job.safety_score, job.safety_band)

    @admin.display(description="safety band", ordering="safety_band")
    def band(self, job: ProductionJob) -> str:
        return str(BAND_LABELS.get(job.safety_band, job.safety_band or "not scored"))

    @admin.display(description="created", ordering="created_at")
    def created(self, job: ProductionJob) -> str:
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            job.created_at.isoformat(),
            date_format(localtime(job.created_at), "DATETIME_FORMAT"),
            date_format(localtime(job.created_at), "M j, H:i"),
        )

    @admin.display(description="title", ordering="title")
    def short_title(self, job: ProductionJob) -> str:
        """Long titles are cut in the list; the whole title shows on hover."""
        return format_html('<span title="{}">{}</span>', job.title, Truncator(job.title).chars(36))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        results, distinct = super().get_search_results(request, queryset, search_term)
        try:
            job_id = uuid.UUID(search_term.strip())
        except ValueError:
            return results, distinct
        return results | queryset.filter(pk=job_id), distinct

    def get_urls(self) -> list[URLPattern]:
        awaiting = path(
            "awaiting-signoff/",
            self.admin_site.admin_view(self.awaiting_signoff_view),
            name="jobs_productionjob_awaiting_signoff",
        )
        return [awaiting, *super().get_urls()]

    def awaiting_signoff_view(self, request: HttpRequest) -> HttpResponse:
        url = reverse("admin:jobs_productionjob_changelist")
        return HttpResponseRedirect(f"{url}?{AwaitingSignoffFilter.parameter_name}=yes")

    # --- bulk actions ----------------------------------------------------------------------

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        act: Callable[[ProductionJob], object],
        done: str,
    ) -> None:
        succeeded, problems = 0, []
        for job in queryset.select_related("client"):
            try:
                act(job)
                succeeded += 1
            except (services.DecisionError, TransitionNotAllowed) as error:
                problems.append(f"{job.title}: {error}")
        if succeeded:
            noun = "job" if succeeded == 1 else "jobs"
            self.message_user(request, f"{done} {succeeded} {noun}.", messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(description="Sign off selected jobs")
    def sign_off(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda job: services.signoff(job=job, user=request.user),
            "Signed off",
        )

    @admin.action(description="Send selected jobs back for revision…")
    def send_back(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = SendBackForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            note = form.cleaned_data["note"]
            self._each(
                request,
                queryset,
                lambda job: services.send_back(job=job, user=request.user, note=note),
                "Sent back",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Send back for revision",
            "opts": self.model._meta,
            "queryset": queryset.select_related("client"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "approvals/admin/send_back.html", context)

    @admin.action(description="Cancel selected jobs")
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda job: services.owner_cancel(
                job=job, user=request.user, note="Cancelled in admin."
            ),
            "Cancelled",
        )

    @admin.action(description="Requeue selected failed jobs")
    def requeue_failed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda job: services.requeue_failed(job=job, user=request.user),
            "Requeued",
        )


class BoundedJSONField(forms.JSONField):
    """Django's JSON box, with nesting too deep for the decoder as a form error, not a crash."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError(DEPTH_MESSAGE, code="invalid") from None

    def bound_data(self, data: Any, initial: Any) -> Any:
        """What the box shows again: the text as typed when its value could not be shown."""
        try:
            value = super().bound_data(data, initial)
        except RecursionError:
            return InvalidJSONInput(data)
        if not isinstance(value, InvalidJSONInput) and json_problem(value) is not None:
            return InvalidJSONInput(data)  # "\ud800" typed as an escape stays an escape
        return value


class JobTemplateForm(forms.ModelForm):
    """Default inputs are checked against the job type's schema when the template is saved."""

    default_inputs = BoundedJSONField(required=False)

    class Meta:
        model = JobTemplate
        fields = "__all__"

    def clean_default_inputs(self) -> Any:
        value = self.cleaned_data.get("default_inputs")
        return {} if value is None else value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        job_type = data.get("job_type")
        if job_type and "default_inputs" in data:
            errors = template_defaults_errors(job_type, data["default_inputs"])
            for path, messages in errors.items():
                for message in messages:
                    self.add_error("default_inputs", f"{path}: {message}" if path else message)
        return data


@admin.register(JobTemplate)
class JobTemplateAdmin(ComparableQueryAdmin):
    form = JobTemplateForm
    list_display = ("name", "job_type", "client", "priority", "high_impact", "is_active")
    list_filter = ("job_type", "client", "priority", "high_impact", "is_active")
    search_fields = ("name", "description")
    list_select_related = ("client",)


@admin.register(StepRun)
class StepRunAdmin(ComparableQueryAdmin):
    list_display = (
        "step",
        "job",
        "revision",
        "status",
        "attempt",
        "provider",
        "calls",
        "duration_ms",
        "cost_usd",
        "created_at",
    )
    list_filter = ("status", "step", "provider")
    search_fields = ("job__title", "step", "provider")
    list_select_related = ("job",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the engine's record of what ran; read-only


# Production workflows are edited here too (registered by their own module).
from jobs.workflows.production import admin as _production_admin  # noqa: E402, F401
