"""Seed 003's production routes and their /api/v1/ counterparts.

/api/production/start, /api/production/approval and /api/production/approval/{id}/approve or
/reject answer in the seed's camelCase with "success": true; /api/v1/productions/... in the
API's snake_case. Both go through jobs.workflows.production.services, scoped to the caller's
clients: another client's production or gate is a 404.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.models import ApprovalRequest
from jobs.api.access import resolve_client
from jobs.api.errors import ApiError, field_error, not_found
from jobs.api.idempotency import idempotent
from jobs.api.schema import ErrorSerializer
from jobs.api.serializers import StrictSerializer
from jobs.api.views import IDEMPOTENCY_PARAMETER, REUSED_KEY
from jobs.models import JobType, Output, ProductionJob, ProductionWorkflow, StepRun
from jobs.selectors import jobs_for
from jobs.workflows.production import services
from jobs.workflows.production.estimates import estimate_for
from jobs.workflows.production.signoff import signoff_state

START_EXAMPLE = OpenApiExample(
    "A film production",
    request_only=True,
    value={
        "workflow": "film",
        "brief": "Launch film for the Ridgeline 40 hiking pack: a 45-second spot for weekend "
        "hikers aged 25-45. Its frame adjusts in ten seconds. Budget $60,000.",
    },
)


class ProductionStartSerializer(StrictSerializer):
    workflow = serializers.CharField(max_length=60, help_text="film, advertising or social.")
    brief = serializers.JSONField(
        help_text="The brief as text, or an object: {brief, budget_usd, duration_seconds, "
        "concepts, trend_data, attachments}."
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    client = serializers.UUIDField(required=False, help_text="Needed when you have several.")


class SeedProductionStartSerializer(ProductionStartSerializer):
    clientId = serializers.UUIDField(required=False)  # noqa: N815 - the seed's spelling
    client = None  # type: ignore[assignment]


class ProductionDecisionSerializer(StrictSerializer):
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    choice = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="A gate's override option."
    )


class ProductionStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    step_revision = serializers.IntegerField()
    reused_from = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    approver = serializers.CharField()


class ProductionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    workflow = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    revision = serializers.IntegerField()
    progress = serializers.IntegerField()
    cost_usd = serializers.DecimalField(max_digits=12, decimal_places=6)
    steps = ProductionStepSerializer(many=True)
    budget_signoff = serializers.DictField(
        allow_null=True,
        help_text="Null, or the owner's sign-off this production waited for before it ran: "
        "{request_id, status, decided_by, feedback, note, estimate: {steps: [{step, label, "
        "low_usd, high_usd, model_calls, priced_usd, basis, alternative}], low_usd, high_usd, "
        "model, unpriced, reasons}}. Approve or reject it at /api/v1/productions/approvals/"
        "{request_id}/approve or /reject; rejecting cancels the production before it starts.",
    )


class ProductionApprovalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    production_id = serializers.UUIDField()
    gate = serializers.CharField()
    label = serializers.CharField()
    approver = serializers.CharField()
    approver_role = serializers.CharField()
    approval_type = serializers.CharField()
    reviews = serializers.CharField()
    revision = serializers.IntegerField()
    status = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    content_to_review = serializers.ListField(child=serializers.DictField())
    created_at = serializers.DateTimeField()


# --- bodies -----------------------------------------------------------------------------------


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


def camelised(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(k): camelised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camelised(v) for v in value]
    return value


def production_body(job: ProductionJob) -> dict[str, Any]:
    from jobs.workflows import workflow_for

    steps = workflow_for(job).steps(job)
    found = {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision)}
    return {
        "id": str(job.pk),
        "workflow": job.workflow.slug if job.workflow else "",
        "title": job.title,
        "status": job.status,
        "revision": job.revision,
        "progress": job.progress,
        "cost_usd": str(job.cost_usd),
        "steps": [
            {
                "name": s.name,
                "label": s.label,
                "kind": s.kind,
                "status": found[s.name].status if s.name in found else "pending",
                "step_revision": found[s.name].step_revision if s.name in found else 0,
                "reused_from": found[s.name].reused_from if s.name in found else None,
                "note": found[s.name].note if s.name in found else "",
                "approver": s.approver,
            }
            for s in steps
        ],
        "budget_signoff": state.as_dict() if (state := signoff_state(job)) else None,
    }


def approval_body(request: ApprovalRequest) -> dict[str, Any]:
    gate = services.gate_step(request)
    reviewed = Output.objects.filter(
        job=request.job, revision=request.revision, step=gate.get("reviews", "")
    ).exclude(key="data")
    return {
        "id": request.pk,
        "production_id": str(request.job_id),
        "gate": request.gate,
        "label": gate.get("label", request.gate),
        "approver": gate.get("approver", ""),
        "approver_role": request.approver_role,
        "approval_type": request.approval_type,
        "reviews": gate.get("reviews", ""),
        "revision": request.revision,
        "status": request.status,
        "choices": (gate.get("overrides") or {}).get("options", []),
        "content_to_review": [
            {"output_id": o.pk, "title": o.title, "kind": o.kind} for o in reviewed
        ],
        "created_at": request.created_at.isoformat(),
    }


# --- the operations, shared by both styles ----------------------------------------------------


def _start(
    request: Request, serializer: type[ProductionStartSerializer], client_field: str
) -> ProductionJob:
    body = serializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    client = resolve_client(request.user, data.get(client_field), field=client_field)
    try:
        return services.start_production(
            client=client,
            user=request.user,
            workflow=data["workflow"],
            brief=data["brief"],
            title=data.get("title", ""),
        )
    except services.ProductionError as exc:
        if exc.code == "permission_denied":
            raise ApiError(exc.message, status_code=403, code="permission_denied") from None
        raise field_error(exc.field or "brief", exc.message) from None


def _decide(request: Request, pk: str, *, approve: bool) -> ApprovalRequest:
    body = ProductionDecisionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    feedback = data.get("feedback", "").strip()
    if not approve and not feedback:
        raise field_error("feedback", "Feedback is required: say what should change.", "required")
    number = int(pk) if pk.isdigit() and len(pk) < 18 else 0
    visible = ApprovalRequest.objects.filter(
        pk=number, job__in=jobs_for(request.user), job__job_type=JobType.PRODUCTION
    ).exists()
    if not visible:
        raise not_found("Approval request not found.")
    try:
        services.decide_gate(
            request_id=number,
            user=request.user,
            approve=approve,
            feedback=feedback,
            choice=data.get("choice", ""),
        )
    except services.ProductionError as exc:
        raise field_error(exc.field, exc.message) from None
    return ApprovalRequest.objects.select_related("job").get(pk=number)


# --- /api/v1/ ---------------------------------------------------------------------------------


class ProductionsView(APIView):
    api_tag = "productions"

    @extend_schema(
        operation_id="productions_start",
        summary="Start a production",
        request=ProductionStartSerializer,
        responses={201: ProductionSerializer, 422: REUSED_KEY},
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[START_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        def create() -> Response:
            job = _start(request, ProductionStartSerializer, "client")
            return Response(production_body(job), status=status.HTTP_201_CREATED)

        return idempotent(request, create)

    @extend_schema(
        operation_id="productions_list",
        summary="List productions",
        responses={200: ProductionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        jobs = (
            jobs_for(request.user)
            .filter(job_type=JobType.PRODUCTION)
            .select_related("workflow")[:50]
        )
        return Response([production_body(job) for job in jobs])


class ProductionDetailView(APIView):
    api_tag = "productions"

    @extend_schema(operation_id="productions_retrieve", summary="A production and its steps",
                   responses={200: ProductionSerializer})  # fmt: skip
    def get(self, request: Request, pk: str) -> Response:
        from jobs.api.access import parse_uuid

        job = (
            jobs_for(request.user)
            .filter(job_type=JobType.PRODUCTION, pk=parse_uuid(pk))
            .select_related("workflow")
            .first()
        )
        if job is None:
            raise not_found("Production not found.")
        return Response(production_body(job))


class ProductionWorkflowsView(APIView):
    api_tag = "productions"

    @extend_schema(
        operation_id="productions_workflows",
        summary="The workflows a production can run, with estimates",
        responses={
            200: inline_serializer(
                "ProductionWorkflow",
                {
                    "slug": serializers.CharField(),
                    "name": serializers.CharField(),
                    "description": serializers.CharField(),
                    "minutes": serializers.ListField(child=serializers.FloatField()),
                    "cost_usd": serializers.ListField(child=serializers.CharField()),
                    "gates": serializers.IntegerField(),
                },
                many=True,
            )
        },
    )
    def get(self, request: Request) -> Response:
        rows = []
        for workflow in ProductionWorkflow.objects.filter(is_active=True):
            estimate = estimate_for(workflow)
            rows.append(
                {
                    "slug": workflow.slug,
                    "name": workflow.name,
                    "description": workflow.description,
                    "minutes": [round(estimate.minutes_low, 1), round(estimate.minutes_high, 1)],
                    "cost_usd": [str(estimate.cost_low), str(estimate.cost_high)],
                    "gates": estimate.gates,
                }
            )
        return Response(rows)


class ApprovalsView(APIView):
    api_tag = "productions"

    @extend_schema(
        operation_id="productions_approvals",
        summary="Production gates waiting for you",
        responses={200: ProductionApprovalSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response([approval_body(r) for r in services.awaiting(request.user)])


def _decision_schema(approve: bool, seed: bool = False) -> Any:
    verb = "Approve" if approve else "Reject"
    return extend_schema(
        operation_id=f"{'production_approval' if seed else 'productions_approval'}_"
        f"{'approve' if approve else 'reject'}",
        summary=f"{verb} a production gate" + (" (seed shape)" if seed else ""),
        description=(
            "Approving continues the workflow; `choice` overrides the gate's branch."
            if approve
            else "Feedback is required; the reviewed step and everything after it run again."
        ),
        request=ProductionDecisionSerializer,
        responses={200: ProductionApprovalSerializer, 409: OpenApiResponse(ErrorSerializer)},
    )


class ApproveView(APIView):
    api_tag = "productions"

    @_decision_schema(True)
    def post(self, request: Request, pk: str) -> Response:
        return Response(approval_body(_decide(request, pk, approve=True)))


class RejectView(APIView):
    api_tag = "productions"

    @_decision_schema(False)
    def post(self, request: Request, pk: str) -> Response:
        return Response(approval_body(_decide(request, pk, approve=False)))


# --- the seed's paths -------------------------------------------------------------------------


class SeedStartView(APIView):
    api_tag = "seed-compat"
    field_style = "camel"

    @extend_schema(
        operation_id="production_start",
        summary="Start a production (seed shape)",
        request=SeedProductionStartSerializer,
        responses={201: OpenApiResponse(description="{success, production}"), 422: REUSED_KEY},
        parameters=[IDEMPOTENCY_PARAMETER],
        examples=[START_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        def create() -> Response:
            job = _start(request, SeedProductionStartSerializer, "clientId")
            body = {"success": True, "production": camelised(production_body(job))}
            return Response(body, status=status.HTTP_201_CREATED)

        return idempotent(request, create)


class SeedApprovalsView(APIView):
    api_tag = "seed-compat"
    field_style = "camel"

    @extend_schema(
        operation_id="production_approval_list",
        summary="Production gates waiting for you (seed shape)",
        responses={200: OpenApiResponse(description="{success, approvals}")},
    )
    def get(self, request: Request) -> Response:
        approvals = [camelised(approval_body(r)) for r in services.awaiting(request.user)]
        return Response({"success": True, "approvals": approvals})


class SeedApproveView(APIView):
    api_tag = "seed-compat"
    field_style = "camel"

    @_decision_schema(True, seed=True)
    def post(self, request: Request, pk: str) -> Response:
        approval = camelised(approval_body(_decide(request, pk, approve=True)))
        return Response({"success": True, "approval": approval})


class SeedRejectView(APIView):
    api_tag = "seed-compat"
    field_style = "camel"

    @_decision_schema(False, seed=True)
    def post(self, request: Request, pk: str) -> Response:
        approval = camelised(approval_body(_decide(request, pk, approve=False)))
        return Response({"success": True, "approval": approval})
