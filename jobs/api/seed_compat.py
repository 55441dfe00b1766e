"""The seed's routes and shapes: /api/production/jobs and /api/production-planner/phase4.

Same services, scoping, idempotency and error shape as /api/v1/; bodies and field paths are
camelCase ("inputData.topic") and successful responses carry "success": true.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs import services
from jobs.api.access import (
    FEEDBACK_REQUIRED,
    SEED_CREATE_FIELDS,
    create_job_from_body,
    decide_on_job,
    get_job,
    manifests_for,
    parse_uuid,
    resolve_client,
)
from jobs.api.errors import field_error, not_found
from jobs.api.filters import filter_jobs
from jobs.api.idempotency import idempotent
from jobs.api.planning import plan_manifest
from jobs.api.preconditions import bound_revision, job_etag
from jobs.api.schema import ErrorSerializer
from jobs.api.serializers import MAX_TEXT, StrictSerializer, json_object
from jobs.api.views import IDEMPOTENCY_PARAMETER, REUSED_KEY
from jobs.job_fields import DESCRIPTION_MAX, TITLE_MAX
from jobs.job_types.choices import job_type_choices
from jobs.models import JobType, Priority, ProductionJob, Status
from jobs.selectors import jobs_for

# PATCH actions of the seed, and what each one means here ("revise" asks for changes).
SEED_ACTIONS = {
    "approve": "approve",
    "reject": "reject",
    "revise": "request_changes",
    "cancel": "cancel",
}
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class SeedJobSerializer(serializers.Serializer):
    """A job in the seed's camelCase."""

    id = serializers.UUIDField()
    clientId = serializers.UUIDField(source="client_id")  # noqa: N815 - the seed's spelling
    clientName = serializers.CharField(source="client.name")  # noqa: N815
    templateId = serializers.IntegerField(source="template_id", allow_null=True)  # noqa: N815
    jobType = serializers.ChoiceField(source="job_type", choices=JobType.choices)  # noqa: N815
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    priority = serializers.ChoiceField(choices=Priority.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    inputData = serializers.DictField(source="input_data")  # noqa: N815
    safetyScore = serializers.IntegerField(source="safety_score", allow_null=True)  # noqa: N815
    safetyBand = serializers.CharField(source="safety_band", allow_blank=True)  # noqa: N815
    safetyFlags = serializers.ListField(source="safety_flags", child=serializers.DictField())  # noqa: N815
    truthLayerVerified = serializers.BooleanField(source="truth_verified")  # noqa: N815
    highImpact = serializers.BooleanField(source="high_impact")  # noqa: N815
    revision = serializers.IntegerField()
    progress = serializers.IntegerField()
    costUsd = serializers.DecimalField(source="cost_usd", max_digits=12, decimal_places=6)  # noqa: N815
    tokensTotal = serializers.IntegerField(source="tokens_total")  # noqa: N815
    error = serializers.CharField(allow_blank=True)
    createdBy = serializers.CharField(source="created_by.username", allow_null=True)  # noqa: N815
    createdAt = serializers.DateTimeField(source="created_at")  # noqa: N815
    updatedAt = serializers.DateTimeField(source="updated_at")  # noqa: N815
    startedAt = serializers.DateTimeField(source="started_at", allow_null=True)  # noqa: N815
    finishedAt = serializers.DateTimeField(source="finished_at", allow_null=True)  # noqa: N815


class SeedJobListSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    jobs = SeedJobSerializer(many=True)
    total = serializers.IntegerField()


class SeedJobResultSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    job = SeedJobSerializer()


class SeedSuccessSerializer(serializers.Serializer):
    success = serializers.BooleanField()


class SeedJobCreateSerializer(StrictSerializer):
    clientId = serializers.UUIDField(required=False)  # noqa: N815
    jobType = serializers.ChoiceField(choices=JobType.choices, required=False)  # noqa: N815
    title = serializers.CharField(max_length=TITLE_MAX)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    inputData = json_object(required=False, default=dict)  # noqa: N815
    autoProcess = serializers.BooleanField(default=True)  # noqa: N815
    templateId = serializers.IntegerField(required=False, allow_null=True, min_value=1)  # noqa: N815

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jobType"].choices = job_type_choices()  # every spec, as registered now


class SeedJobPatchSerializer(StrictSerializer):
    jobId = serializers.UUIDField()  # noqa: N815
    action = serializers.ChoiceField(choices=list(SEED_ACTIONS))
    notes = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class SeedJobDeleteSerializer(StrictSerializer):
    jobId = serializers.UUIDField()  # noqa: N815


def seed_job(job: ProductionJob) -> dict[str, Any]:
    return dict(SeedJobSerializer(job).data)


SEED_CREATE_EXAMPLE = OpenApiExample(
    "Create a content job (seed 000)",
    request_only=True,
    value={
        "clientId": "client-uuid",
        "jobType": "content",
        "title": "Q4 Blog Post",
        "description": "Blog about industry trends",
        "priority": "normal",
        "inputData": {
            "contentType": "blog_post",
            "topic": "Industry trends 2024",
            "tone": "professional",
        },
        "autoProcess": True,
    },
)


class SeedJobsView(APIView):
    """GET, POST, PATCH and DELETE on /api/production/jobs, as the seed's route had them."""

    api_tag = "seed-compat"
    field_style = "camel"

    @extend_schema(
        operation_id="production_jobs_list",
        summary="List jobs (seed shape)",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
            OpenApiParameter("jobType", OpenApiTypes.STR, enum=JobType.values),
            OpenApiParameter("type", OpenApiTypes.STR, enum=JobType.values),
            OpenApiParameter("priority", OpenApiTypes.STR, enum=Priority.values),
            OpenApiParameter("clientId", OpenApiTypes.UUID),
            OpenApiParameter("search", OpenApiTypes.STR),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1 to {MAX_LIMIT}."),
            OpenApiParameter("offset", OpenApiTypes.INT),
            OpenApiParameter(
                "jobId",
                OpenApiTypes.UUID,
                description="Only this job, with its ETag for a conditional PATCH (If-Match).",
            ),
        ],
        responses={200: SeedJobListSerializer},
    )
    def get(self, request: Request) -> Response:
        if request.query_params.get("jobId"):
            job = get_job(request.user, request.query_params["jobId"])
            response = Response({"success": True, "jobs": [seed_job(job)], "total": 1})
            response["ETag"] = job_etag(job)
            return response
        params = request.query_params.copy()
        if params.get("jobType") and not params.get("type"):
            params["type"] = params["jobType"]
        qs = filter_jobs(
            jobs_for(request.user).select_related("client", "created_by"),
            params,
            names={"client": "clientId"},
        )
        limit = _bounded_int(params.get("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _bounded_int(params.get("offset"), "offset", 0, 0, 10**9)
        jobs = list(qs[offset : offset + limit])
        total = qs.count()
        return Response({"success": True, "jobs": [seed_job(job) for job in jobs], "total": total})

    @extend_schema(
        operation_id="production_jobs_create",
        summary="Create a job (seed shape)",
        request=SeedJobCreateSerializer,
        responses={201: SeedJobResultSerializer, 422: REUSED_KEY},
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[SEED_CREATE_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        body = SeedJobCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = create_job_from_body(request.user, body.validated_data, SEED_CREATE_FIELDS)
        return Response({"success": True, "job": seed_job(job)}, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="production_jobs_update",
        summary="Approve, reject, revise or cancel a job (seed shape)",
        description=(
            "`revise` asks for changes; `reject` and `revise` need `notes`.\n\n"
            "Conditional: send the ETag of `GET ?jobId=` as `If-Match` and the PATCH applies only "
            "if the job's revision and status are still what you read (else 412, with the "
            "current ETag, revision and status). Without If-Match nothing is compared: a "
            "decision is still bound to the `revision` the body names (409 with the current "
            "revision when newer); with neither, it applies to the job's open review. "
            'A bare revision number as If-Match (`"3"`) binds like `revision`.'
        ),
        request=SeedJobPatchSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description='The ETag from GET, e.g. "2.review"; "*" for any.',
            )
        ],
        responses={
            200: SeedJobResultSerializer,
            409: OpenApiResponse(ErrorSerializer),
            412: OpenApiResponse(ErrorSerializer, description="The job changed since you read it."),
        },
        examples=[
            OpenApiExample(
                "Approve a job (seed 000)",
                request_only=True,
                value={
                    "jobId": "job-uuid",
                    "action": "approve",
                    "notes": "Approved for publishing",
                },
            )
        ],
    )
    def patch(self, request: Request) -> Response:
        body = SeedJobPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        job = get_job(request.user, data["jobId"])
        revision = bound_revision(request, job, data.get("revision"))
        action = SEED_ACTIONS[data["action"]]
        notes = data["notes"].strip()
        if action == "cancel":
            job = services.job_cancel(job=job, user=request.user, note=notes)
        else:
            if action in FEEDBACK_REQUIRED and not notes:
                raise field_error(
                    "notes", "Notes are required: say what should change.", "required"
                )
            job = decide_on_job(job, request.user, action, notes, revision)
        response = Response({"success": True, "job": seed_job(job)})
        response["ETag"] = job_etag(job)
        return response

    @extend_schema(
        operation_id="production_jobs_delete",
        summary="Delete a cancelled or failed job (seed shape)",
        description='The job id comes as `?jobId=` or in a JSON body `{"jobId": ...}`.',
        parameters=[OpenApiParameter("jobId", OpenApiTypes.UUID)],
        request=None,
        responses={200: SeedSuccessSerializer, 409: OpenApiResponse(ErrorSerializer)},
    )
    def delete(self, request: Request) -> Response:
        job_id = request.query_params.get("jobId")
        if not job_id:
            body = SeedJobDeleteSerializer(data=request.data if request.data else {})
            body.is_valid(raise_exception=True)
            job_id = body.validated_data["jobId"]
        services.job_delete(job=get_job(request.user, job_id), user=request.user)
        return Response({"success": True})


def _bounded_int(raw: Any, name: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise field_error(name, "Must be an integer.") from None
    if not low <= value <= high:
        raise field_error(name, f"Must be between {low} and {high}.")
    return value


# --- /api/production-planner/phase4 -----------------------------------------------------------


class SeedUserUISerializer(serializers.Serializer):
    """The dashboard's choices; the planner validates and normalises them."""

    userId = serializers.CharField(required=False, allow_blank=True, max_length=100)  # noqa: N815
    durationSeconds = serializers.IntegerField(required=False, min_value=5, max_value=600)  # noqa: N815
    aspectRatio = serializers.CharField(required=False, max_length=40)  # noqa: N815
    platform = serializers.CharField(required=False, max_length=40)
    language = serializers.CharField(required=False, max_length=40)
    tone = serializers.CharField(required=False, max_length=60)


class SeedPhase4Serializer(StrictSerializer):
    studioBlueprintId = serializers.CharField(required=False, allow_blank=True, max_length=100)  # noqa: N815
    treatmentText = serializers.CharField(max_length=200_000)  # noqa: N815
    analyzerJson = json_object(required=False, allow_null=True)  # noqa: N815
    refinerJson = json_object(required=False, allow_null=True)  # noqa: N815
    scriptJson = json_object(required=False, allow_null=True)  # noqa: N815
    userUI = SeedUserUISerializer(required=False)  # noqa: N815
    clientId = serializers.UUIDField(required=False)  # noqa: N815
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SeedPhase4ResultSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    manifestId = serializers.UUIDField()  # noqa: N815
    jobCount = serializers.IntegerField()  # noqa: N815
    warnings = serializers.ListField(child=serializers.CharField())
    processingTimeMs = serializers.IntegerField()  # noqa: N815
    usedRepair = serializers.BooleanField()  # noqa: N815


class SeedPhase4ManifestSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    manifest = serializers.DictField()
    jobs = serializers.ListField(child=serializers.DictField())


class SeedPhase4View(APIView):
    """The planner in the seed's shape: POST plans and stores, GET ?manifestId= reads back."""

    api_tag = "seed-compat"
    field_style = "camel"

    @extend_schema(
        operation_id="production_planner_phase4_create",
        summary="Plan a manifest (seed shape)",
        request=SeedPhase4Serializer,
        responses={201: SeedPhase4ResultSerializer, 422: REUSED_KEY},
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[
            OpenApiExample(
                "The seed's input",
                request_only=True,
                value={
                    "studioBlueprintId": "uuid",
                    "treatmentText": "markdown treatment text",
                    "analyzerJson": {},
                    "refinerJson": {},
                    "scriptJson": {},
                    "userUI": {
                        "userId": "uuid",
                        "durationSeconds": 60,
                        "aspectRatio": "16:9",
                        "platform": "social",
                        "language": "en",
                        "tone": "professional",
                    },
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        body = SeedPhase4Serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        client = resolve_client(request.user, data.get("clientId"))
        if not services.can_create_jobs(request.user, client):
            raise services.PermissionDenied("You cannot plan for this client.")
        options = {k: v for k, v in dict(data.get("userUI") or {}).items() if k != "userId"}
        manifest = plan_manifest(
            user=request.user,
            client=client,
            treatment=data["treatmentText"],
            title=data["title"],
            options=options,
            analyzer=data.get("analyzerJson") or None,
            style="camel",
        )
        return Response(
            {
                "success": True,
                "manifestId": str(manifest.pk),
                "jobCount": len(manifest.dag),
                "warnings": [str(w) for w in manifest.warnings],
                "processingTimeMs": round(manifest.processing_ms),
                "usedRepair": manifest.used_repair,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="production_planner_phase4_retrieve",
        summary="Read a planned manifest and its jobs (seed shape)",
        parameters=[OpenApiParameter("manifestId", OpenApiTypes.UUID, required=True)],
        responses={200: SeedPhase4ManifestSerializer},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("manifestId")
        if not raw:
            raise field_error("manifestId", "This field is required.", "required")
        manifest = manifests_for(request.user).filter(pk=parse_uuid(raw)).first()
        if manifest is None:
            raise not_found("Manifest not found.")
        return Response({"success": True, "manifest": manifest.manifest, "jobs": manifest.dag})
