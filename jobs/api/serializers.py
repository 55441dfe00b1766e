"""Request and response bodies of /api/v1/: explicit fields, so nothing else can be assigned."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.models import ApprovalRequest
from jobs.feedback.checklist import checklist_for
from jobs.job_fields import DESCRIPTION_MAX, TITLE_MAX, description_problems, title_problems
from jobs.job_types.choices import job_type_choices
from jobs.job_types.schemas import VIDEO
from jobs.models import (
    JobEvent,
    JobTemplate,
    JobType,
    Manifest,
    Output,
    Priority,
    ProductionJob,
    StepRun,
)
from jobs.template_defaults import template_defaults_errors
from production.input_safety import json_problem
from production.models import ApiToken

MAX_TEXT = 20000


def _valid_title(value: str) -> None:
    problems = title_problems(value)
    if problems:
        raise serializers.ValidationError(problems)


def _valid_description(value: str) -> None:
    problems = description_problems(value)
    if problems:
        raise serializers.ValidationError(problems)


TITLE_HELP = f"At most {TITLE_MAX} characters; no invisible or direction-changing characters."
DESCRIPTION_HELP = f"At most {DESCRIPTION_MAX:,} characters."


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not declare as writable: status, client, scores and decisions
    cannot ride along in a request body. The schema says so with additionalProperties false."""

    strict = True

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field cannot be set."] for name in unknown}
                )
        return super().to_internal_value(data)


def reject_unstorable_json(value: Any) -> None:
    """NUL, unpaired surrogates and deep nesting, reported at their path inside the field."""
    problem = json_problem(value)
    if problem is not None:
        path, message = problem
        raise serializers.ValidationError({path: [message]} if path else [message])


def json_object(**kwargs: Any) -> serializers.DictField:
    return serializers.DictField(validators=[reject_unstorable_json], **kwargs)


def check_template_defaults(job_type: str, defaults: Any) -> None:
    """Default inputs must be valid for the template's job type (missing fields aside)."""
    errors = template_defaults_errors(job_type, defaults)
    if errors:
        raise serializers.ValidationError(
            {f"default_inputs.{p}" if p else "default_inputs": m for p, m in errors.items()}
        )


# --- jobs -------------------------------------------------------------------------------------


class JobSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    input_data = serializers.DictField(read_only=True)
    safety_flags = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = ProductionJob
        fields = [
            "id",
            "client",
            "client_name",
            "template",
            "job_type",
            "title",
            "description",
            "priority",
            "status",
            "input_data",
            "safety_score",
            "safety_band",
            "safety_flags",
            "truth_verified",
            "high_impact",
            "revision",
            "progress",
            "cost_usd",
            "tokens_total",
            "error",
            "created_by",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class JobCreateSerializer(StrictSerializer):
    client = serializers.UUIDField(
        required=False, help_text="Client id; optional when the caller belongs to one client."
    )
    job_type = serializers.ChoiceField(
        choices=JobType.choices, required=False, help_text="Optional when a template is given."
    )
    title = serializers.CharField(
        max_length=TITLE_MAX, validators=[_valid_title], help_text=TITLE_HELP
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX,
        required=False,
        allow_blank=True,
        default="",
        validators=[_valid_description],
        help_text=DESCRIPTION_HELP,
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    input_data = json_object(
        required=False, default=dict, help_text="Inputs of the job type (see its input schema)."
    )
    template = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    auto_process = serializers.BooleanField(
        default=True, help_text="Queue the job at once; false leaves it pending."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_type"].choices = job_type_choices()  # every spec, as registered now


class JobUpdateSerializer(StrictSerializer):
    title = serializers.CharField(
        max_length=TITLE_MAX, required=False, validators=[_valid_title], help_text=TITLE_HELP
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX,
        required=False,
        allow_blank=True,
        validators=[_valid_description],
        help_text=DESCRIPTION_HELP,
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    input_data = json_object(required=False)


class JobActionSerializer(StrictSerializer):
    notes = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    feedback = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for request-changes and reject (notes are accepted too).",
    )
    revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The revision decided on; a newer one makes the decision fail with 409.",
    )


class OutputSerializer(serializers.ModelSerializer):
    metadata = serializers.DictField(read_only=True)
    safety_flags = serializers.ListField(child=serializers.DictField(), read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Output
        fields = [
            "id",
            "job",
            "step",
            "revision",
            "item",
            "key",
            "kind",
            "title",
            "text",
            "mime_type",
            "metadata",
            "size_bytes",
            "checksum",
            "safety_score",
            "safety_band",
            "safety_flags",
            "truth_verified",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Output) -> str:
        from jobs.api.downloads import download_url_for

        return download_url_for(self.context["request"], obj)


class JobEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name", read_only=True)
    payload = serializers.DictField(read_only=True)

    class Meta:
        model = JobEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "actor",
            "note",
            "payload",
            "revision",
            "created_at",
        ]
        read_only_fields = fields


class StepRunSerializer(serializers.ModelSerializer):
    provider_attempts = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = StepRun
        fields = [
            "id",
            "step",
            "revision",
            "status",
            "attempt",
            "provider",
            "provider_attempts",
            "calls",
            "tokens_in",
            "tokens_out",
            "cost_usd",
            "duration_ms",
            "items_total",
            "items_done",
            "error",
            "note",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


# --- templates --------------------------------------------------------------------------------


class TemplateSerializer(serializers.ModelSerializer):
    default_inputs = serializers.DictField(read_only=True)

    class Meta:
        model = JobTemplate
        fields = [
            "id",
            "client",
            "name",
            "description",
            "job_type",
            "default_inputs",
            "priority",
            "high_impact",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields


class TemplateWriteSerializer(StrictSerializer):
    client = serializers.UUIDField(
        required=False, allow_null=True, help_text="Empty for a global template (staff only)."
    )
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    job_type = serializers.ChoiceField(choices=JobType.choices)
    default_inputs = json_object(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    high_impact = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "job_type" in self.fields:  # an update keeps the template's type
            self.fields["job_type"].choices = job_type_choices()  # every spec, as registered now

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        check_template_defaults(attrs["job_type"], attrs.get("default_inputs", {}))
        return attrs


class TemplateUpdateSerializer(TemplateWriteSerializer):
    """Like creation, but a template stays with its client and its job type.

    The template being edited comes as `instance`, so new defaults are checked against its type.
    """

    client = None  # type: ignore[assignment]
    job_type = None  # type: ignore[assignment]
    name = serializers.CharField(max_length=200, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "default_inputs" in attrs and self.instance is not None:
            check_template_defaults(self.instance.job_type, attrs["default_inputs"])
        return attrs


# --- approvals --------------------------------------------------------------------------------


class StageApprovalSerializer(serializers.Serializer):
    by = serializers.CharField(source="label")
    at = serializers.DateTimeField(source="approved_at")


class ReviewStageSerializer(serializers.Serializer):
    """Where a staged final review stands: which stage, and its approvals so far."""

    name = serializers.CharField(source="stage_name")
    index = serializers.IntegerField(source="stage_index", help_text="1-based.")
    count = serializers.IntegerField(source="stage_count")
    approvals_needed = serializers.IntegerField(
        help_text="Approvals that pass the stage (its rule: any one, all, or N of them)."
    )
    approvals = StageApprovalSerializer(many=True, source="stage_approvals.all")
    waiting_for = serializers.ListField(
        child=serializers.CharField(), help_text="Named deciders who have not approved yet."
    )


class OutputDecisionItemSerializer(serializers.Serializer):
    output = serializers.IntegerField(source="output_id")
    decision = serializers.CharField()
    feedback = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by_label")
    decided_at = serializers.DateTimeField()


class ApprovalRequestSerializer(serializers.ModelSerializer):
    job_title = serializers.CharField(source="job.title", read_only=True)
    job_status = serializers.CharField(source="job.status", read_only=True)
    client = serializers.UUIDField(source="job.client_id", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    output_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    feedback_checklist = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()
    output_decisions = OutputDecisionItemSerializer(
        many=True,
        source="output_decisions.all",
        read_only=True,
        help_text="Decisions per output so far; the request settles when every output has one.",
    )

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "job",
            "job_title",
            "job_status",
            "client",
            "gate",
            "approval_type",
            "approver_role",
            "revision",
            "output_ids",
            "status",
            "feedback",
            "decided_by",
            "decided_at",
            "due_at",
            "created_at",
            "feedback_checklist",
            "stage",
            "output_decisions",
        ]
        read_only_fields = fields

    @extend_schema_field(ReviewStageSerializer(allow_null=True))
    def get_stage(self, obj: ApprovalRequest) -> dict[str, Any] | None:
        """The review stage, for a final review that passes through the client's stages."""
        return ReviewStageSerializer(obj).data if obj.stage_count else None

    def get_feedback_checklist(self, obj: ApprovalRequest) -> dict[str, Any] | None:
        """What earlier feedback asked for and whether this revision does it (jobs.feedback)."""
        checklist = checklist_for(obj.job, obj.revision)
        return checklist.as_dict() if checklist else None


DECISIONS = [
    ("approve", "Approve"),
    ("request_changes", "Request changes"),
    ("reject", "Reject"),
    ("cancel", "Cancel"),
]


class DecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=DECISIONS)
    feedback = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when requesting changes or rejecting.",
    )
    revision = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class OutputDecisionSerializer(StrictSerializer):
    decision = serializers.ChoiceField(
        choices=[("approve", "Approve"), ("request_changes", "Request changes")]
    )
    feedback = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when requesting changes: what should change in this output.",
    )
    revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The revision decided on; a newer one makes the decision fail with 409.",
    )


class OutputDecisionResultSerializer(serializers.Serializer):
    decided = serializers.IntegerField(help_text="Outputs of the request with a decision.")
    total = serializers.IntegerField(help_text="Outputs the request covers.")
    settled = serializers.CharField(
        help_text="The request's own decision once every output had one, else empty."
    )
    request = ApprovalRequestSerializer()


# --- safety -----------------------------------------------------------------------------------


class SafetyCheckSerializer(StrictSerializer):
    text = serializers.CharField(max_length=200000, trim_whitespace=False)
    client = serializers.UUIDField(
        required=False, allow_null=True, help_text="Score with this client's facts and thresholds."
    )


class SafetyFlagSerializer(serializers.Serializer):
    category = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    excerpt = serializers.CharField(allow_blank=True)


class SafetyResultSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    band = serializers.CharField()
    band_label = serializers.CharField()
    verified = serializers.BooleanField()
    flags = SafetyFlagSerializer(many=True)


# --- planner ----------------------------------------------------------------------------------

_VIDEO = VIDEO["properties"]


class ManifestCreateSerializer(StrictSerializer):
    treatment = serializers.CharField(
        min_length=_VIDEO["treatment"]["minLength"],
        max_length=_VIDEO["treatment"]["maxLength"],
    )
    durationSeconds = serializers.IntegerField(  # noqa: N815 - the seed's spelling
        min_value=_VIDEO["durationSeconds"]["minimum"],
        max_value=_VIDEO["durationSeconds"]["maximum"],
        default=_VIDEO["durationSeconds"]["default"],
    )
    aspectRatio = serializers.ChoiceField(  # noqa: N815
        choices=_VIDEO["aspectRatio"]["enum"], default=_VIDEO["aspectRatio"]["default"]
    )
    platform = serializers.ChoiceField(
        choices=_VIDEO["platform"]["enum"], default=_VIDEO["platform"]["default"]
    )
    tone = serializers.ChoiceField(
        choices=_VIDEO["tone"]["enum"], default=_VIDEO["tone"]["default"]
    )
    language = serializers.CharField(max_length=10, default="en")
    client = serializers.UUIDField(required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ManifestSerializer(serializers.ModelSerializer):
    manifest = serializers.DictField(read_only=True)
    inputs = serializers.DictField(read_only=True)
    dag = serializers.ListField(child=serializers.JSONField(), read_only=True)
    repairs = serializers.ListField(child=serializers.JSONField(), read_only=True)
    warnings = serializers.ListField(child=serializers.JSONField(), read_only=True)

    class Meta:
        model = Manifest
        fields = [
            "id",
            "client",
            "job",
            "inputs",
            "manifest",
            "valid",
            "repairs",
            "warnings",
            "used_repair",
            "used_fallback",
            "used_model",
            "dag",
            "processing_ms",
            "created_at",
        ]
        read_only_fields = fields


# --- tokens -----------------------------------------------------------------------------------


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
        read_only_fields = fields


class TokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=365, default=90, help_text="Days until the token stops working."
    )


class TokenCreatedSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; only a hash is kept.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]
        read_only_fields = fields
