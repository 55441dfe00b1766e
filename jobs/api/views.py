"""The /api/v1/ views: thin, scoped to the caller's clients, writing only through services."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.api import SAFETY_FLAG_FIELDS, SafetyReportSerializer
from approvals.models import ApprovalRequest
from jobs import services
from jobs.api import serializers as s
from jobs.api.access import (
    FEEDBACK_REQUIRED,
    V1_CREATE_FIELDS,
    create_job_from_body,
    decide_on_job,
    expected_revision,
    get_job,
    manifests_for,
    parse_uuid,
    resolve_client,
    templates_for,
)
from jobs.api.errors import ApiError, field_error, not_found
from jobs.api.filters import JOB_FILTER_PARAMETERS, filter_jobs
from jobs.api.idempotency import idempotent
from jobs.api.permissions import TemplateEditPermission, can_edit_template
from jobs.api.schema import ErrorSerializer
from jobs.models import JobTemplate, Manifest, ProductionJob
from jobs.planner.schema import SCHEMA_PATH
from jobs.selectors import jobs_for

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Retrying with the same key and body replays the first response; "
    "the same key with another body is refused with 422. Keys are per user.",
)
CONFLICT = OpenApiResponse(ErrorSerializer, description="Not allowed in the current status.")
REUSED_KEY = OpenApiResponse(
    ErrorSerializer, description="Idempotency-Key reused with another body."
)

CREATE_EXAMPLE = OpenApiExample(
    "A blog post",
    request_only=True,
    value={
        "client": "3f8e1a52-6f1c-4c8e-9a57-0d2b7c1e4a10",
        "job_type": "content",
        "title": "Q4 Blog Post",
        "description": "Blog about industry trends",
        "priority": "normal",
        "input_data": {
            "contentType": "blog_post",
            "topic": "Industry trends 2024",
            "tone": "professional",
        },
        "auto_process": True,
    },
)
VALIDATION_EXAMPLE = OpenApiExample(
    "A missing input",
    response_only=True,
    status_codes=["400"],
    value={
        "error": {
            "code": "invalid",
            "message": "input_data.topic: This field is required.",
            "fields": {"input_data.topic": ["This field is required."]},
        }
    },
)
CONFLICT_EXAMPLE = OpenApiExample(
    "Not while processing",
    response_only=True,
    status_codes=["409"],
    value={
        "error": {
            "code": "invalid_transition",
            "message": "Job ... cannot move from processing to edited.",
            "fields": {},
            "current_status": "processing",
        }
    },
)


def _action_schema(summary: str, description: str) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        request=s.JobActionSerializer,
        responses={200: s.JobSerializer, 409: CONFLICT},
        examples=[
            OpenApiExample("With notes", value={"notes": "Looks good."}, request_only=True),
            CONFLICT_EXAMPLE,
        ],
    )


@extend_schema_view(
    list=extend_schema(summary="List jobs", parameters=JOB_FILTER_PARAMETERS),
    retrieve=extend_schema(summary="Get a job"),
    create=extend_schema(
        summary="Create a job",
        request=s.JobCreateSerializer,
        responses={201: s.JobSerializer, 422: REUSED_KEY},
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[CREATE_EXAMPLE, VALIDATION_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Edit a pending job",
        description="Title, description, priority and input data; only while pending (else 409).",
        request=s.JobUpdateSerializer,
        responses={200: s.JobSerializer, 409: CONFLICT},
        examples=[CONFLICT_EXAMPLE],
    ),
    destroy=extend_schema(
        summary="Delete a cancelled or failed job",
        responses={204: None, 409: CONFLICT},
    ),
)
class JobViewSet(viewsets.GenericViewSet):
    api_tag = "jobs"
    lookup_value_regex = "[^/]+"  # any id reaches the view and gets a JSON 404
    serializer_class = s.JobSerializer
    queryset = ProductionJob.objects.none()  # the real one is per caller: get_queryset
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[ProductionJob]:
        return jobs_for(self.request.user).select_related("client", "created_by")

    def get_object(self) -> ProductionJob:
        return get_job(self.request.user, self.kwargs["pk"])

    def _job(self, job: ProductionJob, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.JobSerializer(job).data, status=code)

    def list(self, request: Request) -> Response:
        qs = filter_jobs(self.get_queryset(), request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.JobSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._job(self.get_object())

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        body = s.JobCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = create_job_from_body(request.user, body.validated_data, V1_CREATE_FIELDS)
        return self._job(job, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        body = s.JobUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.job_update(job=job, user=request.user, **body.validated_data)
        return self._job(job)

    def destroy(self, request: Request, pk: str) -> Response:
        services.job_delete(job=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- actions: the job is looked up first, so another client's job is a 404 whatever
    # the body says.

    def _action_body(self, request: Request) -> dict[str, Any]:
        body = s.JobActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _decide(self, request: Request, decision: str) -> Response:
        job = self.get_object()
        data = self._action_body(request)
        feedback = (data["feedback"] or data["notes"]).strip()
        if decision in FEEDBACK_REQUIRED and not feedback:
            raise field_error(
                "feedback", "Feedback is required: say what should change.", "required"
            )
        revision = expected_revision(request, data.get("revision"))
        return self._job(decide_on_job(job, request.user, decision, feedback, revision))

    @_action_schema("Approve", "Approve the job's open review (reviewers; owners for sign-off).")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(request, "approve")

    @_action_schema(
        "Request changes",
        "Send the job back for a new revision written with the feedback (the review loop goes "
        "on); feedback required. Bind it to the revision you saw with `revision` or If-Match.",
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str) -> Response:
        return self._decide(request, "request_changes")

    @_action_schema(
        "Reject",
        "Reject the job's open review and stop: no new revision is made; the job waits in "
        "`revision` until the client revises the brief or cancels. Feedback required.",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._decide(request, "reject")

    @_action_schema("Cancel", "Cancel the job; running steps stop and keep what they made.")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        data = self._action_body(request)
        return self._job(services.job_cancel(job=job, user=request.user, note=data["notes"]))

    @_action_schema("Retry", "Queue a failed job again; it resumes from the step that failed.")
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        data = self._action_body(request)
        return self._job(services.job_retry(job=job, user=request.user, note=data["notes"]))

    @_action_schema("Start", "Queue a pending job.")
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        data = self._action_body(request)
        return self._job(services.job_start(job=job, user=request.user, note=data["notes"]))

    @extend_schema(
        summary="A job's outputs",
        parameters=[
            OpenApiParameter("revision", OpenApiTypes.INT, description="Only this revision.")
        ],
        responses=s.OutputSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def outputs(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        outputs = job.outputs.all()
        revision = request.query_params.get("revision")
        if revision not in (None, ""):
            try:
                outputs = outputs.filter(revision=int(revision))
            except ValueError:
                raise field_error("revision", "Must be an integer.") from None
            except OverflowError:
                outputs = outputs.none()
        data = s.OutputSerializer(outputs, many=True, context={"request": request}).data
        return Response(data)

    @extend_schema(summary="A job's history", responses=s.JobEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str) -> Response:
        events = self.get_object().events.select_related("actor")
        return Response(s.JobEventSerializer(events, many=True).data)

    @extend_schema(summary="A job's step runs", responses=s.StepRunSerializer(many=True))
    @action(detail=True, methods=["get"])
    def steps(self, request: Request, pk: str) -> Response:
        runs = self.get_object().step_runs.all()
        return Response(s.StepRunSerializer(runs, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="List templates", description="Global ones and your clients'."),
    retrieve=extend_schema(summary="Get a template"),
    create=extend_schema(
        summary="Create a template",
        description="Owners of the client; global templates (no client) are staff-only.",
        request=s.TemplateWriteSerializer,
        responses={201: s.TemplateSerializer},
        examples=[
            OpenApiExample(
                "A client template",
                request_only=True,
                value={
                    "client": "3f8e1a52-6f1c-4c8e-9a57-0d2b7c1e4a10",
                    "name": "Monthly blog post",
                    "job_type": "content",
                    "default_inputs": {"contentType": "blog_post", "tone": "friendly"},
                },
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Edit a template",
        request=s.TemplateUpdateSerializer,
        responses=s.TemplateSerializer,
    ),
)
class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    api_tag = "templates"
    lookup_value_regex = "[^/]+"  # any id reaches the view and gets a JSON 404
    serializer_class = s.TemplateSerializer
    queryset = JobTemplate.objects.none()
    permission_classes = [IsAuthenticated, TemplateEditPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[JobTemplate]:
        return templates_for(self.request.user).order_by("name", "id")

    def create(self, request: Request) -> Response:
        body = s.TemplateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        client_id = data.pop("client", None)
        client = resolve_client(request.user, client_id) if client_id else None
        if not can_edit_template(request.user, client.pk if client else None):
            raise ApiError(
                TemplateEditPermission.message, status_code=403, code="permission_denied"
            )
        template = JobTemplate.objects.create(client=client, **data)
        return Response(s.TemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        template = self.get_object()  # checks TemplateEditPermission
        body = s.TemplateUpdateSerializer(template, data=request.data)
        body.is_valid(raise_exception=True)
        for name, value in body.validated_data.items():
            setattr(template, name, value)
        template.save()
        return Response(s.TemplateSerializer(template).data)


@extend_schema_view(
    list=extend_schema(
        summary="Approval requests waiting for you",
        description="Pending requests of your clients that your role lets you decide.",
    ),
)
class ApprovalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    api_tag = "approvals"
    lookup_value_regex = "[^/]+"  # any id reaches the view and gets a JSON 404
    serializer_class = s.ApprovalRequestSerializer
    queryset = ApprovalRequest.objects.none()

    def get_queryset(self) -> QuerySet[ApprovalRequest]:
        from approvals.selectors import pending_for_reviewer

        # The stage's approvals and the output decisions are listed per request: fetched once.
        return (
            pending_for_reviewer(self.request.user)
            .select_related("job", "decided_by")
            .prefetch_related("stage_approvals", "output_decisions")
        )

    @extend_schema(
        summary="Decide an approval request",
        request=s.DecisionSerializer,
        responses={200: s.ApprovalRequestSerializer, 409: CONFLICT},
        examples=[
            OpenApiExample(
                "Request changes",
                request_only=True,
                value={"decision": "request_changes", "feedback": "Shorter intro.", "revision": 1},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        from approvals.services import decide

        approval = self._visible_request(pk)
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        feedback = data["feedback"].strip()
        if data["decision"] in FEEDBACK_REQUIRED and not feedback:
            raise field_error(
                "feedback", "Feedback is required: say what should change.", "required"
            )
        decide(
            request_id=approval.pk,
            user=request.user,
            decision=data["decision"],
            feedback=feedback,
            expected_revision=expected_revision(request, data.get("revision")),
        )
        approval = ApprovalRequest.objects.select_related("job", "decided_by").get(pk=approval.pk)
        return Response(s.ApprovalRequestSerializer(approval).data)

    @extend_schema(
        summary="Decide one output of an approval request",
        description=(
            "Approve one output or ask changes to it (approve 3 of 4 banner sizes, send the "
            "fourth back). The request is decided when every output it covers has a decision: "
            "approved when all are, otherwise changes are requested for the outputs sent back "
            "and the others are kept. A decision may be changed while the request is open. "
            "Bound to the revision you saw with `revision` or If-Match (409 when newer)."
        ),
        request=s.OutputDecisionSerializer,
        responses={200: s.OutputDecisionResultSerializer, 409: CONFLICT},
        examples=[
            OpenApiExample(
                "Send one banner back",
                request_only=True,
                value={
                    "decision": "request_changes",
                    "feedback": "The logo is cut off at this size.",
                    "revision": 1,
                },
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"outputs/(?P<output_id>[^/]+)/decide",
        url_name="decide-output",
    )
    def decide_output(self, request: Request, pk: str, output_id: str) -> Response:
        from approvals.output_decisions import decide_output

        approval = self._visible_request(pk)
        if not output_id.isdigit() or not 0 < int(output_id) < 2**63:
            raise not_found("Output not found.")
        body = s.OutputDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        progress = decide_output(
            request_id=approval.pk,
            output_id=int(output_id),
            user=request.user,
            decision=data["decision"],
            feedback=data["feedback"],
            expected_revision=expected_revision(request, data.get("revision")),
        )
        fresh = ApprovalRequest.objects.select_related("job", "decided_by").get(pk=approval.pk)
        result = {
            "decided": progress.decided,
            "total": progress.total,
            "settled": progress.settled,
            "request": fresh,
        }
        return Response(s.OutputDecisionResultSerializer(result).data)

    def _visible_request(self, pk: str) -> ApprovalRequest:
        try:
            number = int(pk)
        except ValueError:
            raise not_found() from None
        if not 0 < number < 2**63:
            raise not_found()
        found = ApprovalRequest.objects.filter(
            pk=number, job__in=jobs_for(self.request.user)
        ).first()
        if found is None:
            raise not_found("Approval request not found.")
        return found


class SafetyCheckView(APIView):
    api_tag = "safety"

    @extend_schema(
        operation_id="safety_check",
        summary="Score a text for safety and truth",
        request=s.SafetyCheckSerializer,
        responses={200: SafetyReportSerializer},
        examples=[
            OpenApiExample(
                "A claim", request_only=True, value={"text": "We are the #1 gear shop in Colorado."}
            )
        ],
    )
    def post(self, request: Request) -> Response:
        from approvals.safety import BAND_LABELS
        from approvals.scoring import score_for_client

        body = s.SafetyCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        client_id = body.validated_data.get("client")
        client = resolve_client(request.user, client_id, field="client") if client_id else None
        report = score_for_client(body.validated_data["text"], client).as_dict()
        band = report["band"]
        return Response(
            {
                "score": report["score"],
                "band": band,
                "band_label": BAND_LABELS.get(band, band),
                "verified": bool(report.get("verified", report.get("truth_verified", False))),
                "language": report.get("language", ""),
                "breakdown": report.get("breakdown", []),
                "flags": [_flag(flag) for flag in report.get("flags", [])],
            }
        )


def _flag(flag: Any) -> dict[str, Any]:
    data = flag if isinstance(flag, dict) else flag.as_dict()
    return {name: data.get(name) for name in SAFETY_FLAG_FIELDS}


@extend_schema_view(
    retrieve=extend_schema(summary="Get a stored manifest"),
    create=extend_schema(
        summary="Plan a production manifest from a treatment",
        request=s.ManifestCreateSerializer,
        responses={201: s.ManifestSerializer, 422: REUSED_KEY},
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[
            OpenApiExample(
                "A short explainer",
                request_only=True,
                value={
                    "treatment": "Scene 1: hook. Narration: Step one: pick footage.",
                    "durationSeconds": 30,
                    "aspectRatio": "16:9",
                    "platform": "youtube",
                    "tone": "professional",
                    "title": "How to build a video",
                },
            )
        ],
    ),
)
class ManifestViewSet(viewsets.GenericViewSet):
    api_tag = "planner"
    lookup_value_regex = "[^/]+"  # any id reaches the view and gets a JSON 404
    serializer_class = s.ManifestSerializer
    queryset = Manifest.objects.none()

    def retrieve(self, request: Request, pk: str) -> Response:
        manifest = manifests_for(request.user).filter(pk=parse_uuid(pk)).first()
        if manifest is None:
            raise not_found("Manifest not found.")
        return Response(s.ManifestSerializer(manifest).data)

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        from jobs.api.planning import plan_manifest

        body = s.ManifestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        client = resolve_client(request.user, data.pop("client", None), field="client")
        if not services.can_create_jobs(request.user, client):
            raise services.PermissionDenied("You cannot plan for this client.")
        manifest = plan_manifest(
            user=request.user,
            client=client,
            treatment=data.pop("treatment"),
            title=data.pop("title"),
            options=data,
            style="snake",
        )
        return Response(s.ManifestSerializer(manifest).data, status=status.HTTP_201_CREATED)


class PlannerSchemaView(APIView):
    api_tag = "planner"

    @extend_schema(
        operation_id="planner_schema",
        summary="The production manifest's JSON Schema",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A JSON Schema document.")
        },
    )
    def get(self, request: Request) -> Response:
        return Response(json.loads(SCHEMA_PATH.read_text()))
