"""The trust layer in the API: a job's flags with their evidence and QC findings, acting on a
flagged claim, and pre-flight of a brief before the job is created."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.autoapproval import auto_approval_status
from approvals.evidence import EvidenceError, flag_state, is_claim, resolve_claim
from approvals.models import ClaimResolution, ResolutionKind
from approvals.preflight import preflight_brief, preflight_job
from approvals.preflight_treatment import preflight_treatment, preflight_video_job
from approvals.qc.outputs import stored_findings
from jobs.api.access import get_job, resolve_client
from jobs.api.errors import ApiError
from jobs.api.serializers import StrictSerializer, json_object
from jobs.models import Output, ProductionJob

MAX_TEXT = 2000
SAFETY_FLAG_FIELDS = (
    "category",
    "severity",
    "message",
    "start",
    "end",
    "excerpt",
    "claim_type",
    "occurrences",
    "count",
    "points",
)


class EvidenceRequestSerializer(StrictSerializer):
    output = serializers.IntegerField(min_value=1, help_text="The output the flag belongs to.")
    flag = serializers.IntegerField(min_value=0, help_text="The flag's index in its safety_flags.")
    text = serializers.CharField(max_length=MAX_TEXT, help_text="The fact that backs the claim.")
    source = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="URL or document."
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="After this the evidence lapses."
    )


class DismissRequestSerializer(StrictSerializer):
    output = serializers.IntegerField(min_value=1)
    flag = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(max_length=MAX_TEXT, help_text="Why it needs no evidence.")


class ResolutionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text='"evidence" or "dismissal".')

    class Meta:
        model = ClaimResolution
        fields = [
            "id",
            "job",
            "output",
            "revision",
            "kind",
            "category",
            "excerpt",
            "text",
            "source",
            "expires_at",
            "created_by_label",
            "created_by_role",
            "created_at",
            "confirmed_at",
            "confirmed_by_label",
            "retracted_at",
            "retracted_by_label",
        ]
        read_only_fields = fields


class SafetyFlagSerializer(serializers.Serializer):
    """A flag of the safety check: one per claim, with every occurrence and what it cost."""

    category = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    excerpt = serializers.CharField(allow_blank=True)
    claim_type = serializers.CharField(allow_blank=True)
    occurrences = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField())
    )
    count = serializers.IntegerField()
    points = serializers.IntegerField()


class SafetyReportSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    band = serializers.CharField()
    band_label = serializers.CharField()
    verified = serializers.BooleanField()
    language = serializers.CharField()
    breakdown = serializers.ListField(
        child=serializers.CharField(), help_text="What each flag cost, in words."
    )
    flags = SafetyFlagSerializer(many=True)


class TrustFlagSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    category = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    excerpt = serializers.CharField()
    claim_type = serializers.CharField(allow_blank=True)
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    occurrences = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField())
    )
    count = serializers.IntegerField()
    points = serializers.IntegerField()
    state = serializers.ChoiceField(
        choices=["open", "unconfirmed", "substantiated", "expired", "retracted", "dismissed", ""],
        help_text="For claims: whether evidence backs it (evidence counts once an owner "
        "confirms it); empty for other flags.",
    )
    evidence = serializers.DictField(allow_null=True)
    dismissal = serializers.DictField(allow_null=True)


class QCFindingSerializer(serializers.Serializer):
    check = serializers.CharField()
    label = serializers.CharField()
    severity = serializers.ChoiceField(choices=["blocking", "advisory"])
    message = serializers.CharField()
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)


class TrustOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    safety_score = serializers.IntegerField(allow_null=True)
    safety_band = serializers.CharField()
    truth_verified = serializers.BooleanField()
    flags = TrustFlagSerializer(many=True)
    qc_checked = serializers.BooleanField()
    qc_findings = QCFindingSerializer(many=True)


class AutoApprovalSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class TreatmentFindingSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=["blocking", "question", "warning"],
        help_text="blocking: change the treatment before rendering; question: for the client.",
    )
    kind = serializers.CharField()
    scene = serializers.CharField(allow_blank=True)
    excerpt = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class TreatmentPreflightSerializer(serializers.Serializer):
    ready = serializers.BooleanField(help_text="Nothing blocks rendering and no question waits.")
    scenes = serializers.IntegerField()
    blocking = serializers.IntegerField()
    questions = serializers.ListField(child=serializers.CharField())
    findings = TreatmentFindingSerializer(many=True)


class PreflightSerializer(serializers.Serializer):
    clear = serializers.BooleanField(help_text="True when the brief makes no unbacked claim.")
    claims = serializers.ListField(child=serializers.DictField())
    questions = serializers.ListField(child=serializers.CharField())
    language = serializers.CharField()
    treatment = TreatmentPreflightSerializer(
        allow_null=True,
        required=False,
        help_text="For a video brief: its planned scenes checked before anything is rendered.",
    )


class TrustSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    revision = serializers.IntegerField()
    truth_verified = serializers.BooleanField()
    auto_approval = AutoApprovalSerializer()
    preflight = PreflightSerializer()
    outputs = TrustOutputSerializer(many=True)


class PreflightRequestSerializer(StrictSerializer):
    client = serializers.UUIDField(required=False, help_text="Optional with one client.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default=""
    )
    input_data = json_object(required=False, default=dict)


def trust_flag(flag: dict[str, Any], index: int) -> dict[str, Any]:
    """A stored flag as the API shows it: grouped occurrences, points and what backs it."""
    start, end = flag.get("start", 0), flag.get("end", 0)
    return {
        "index": index,
        "category": flag.get("category", ""),
        "severity": flag.get("severity", ""),
        "message": flag.get("message", ""),
        "excerpt": flag.get("excerpt", ""),
        "claim_type": flag.get("claim_type", ""),
        "start": start,
        "end": end,
        "occurrences": flag.get("occurrences") or [[start, end]],
        "count": flag.get("count") or 1,
        "points": flag.get("points") or 0,
        "state": flag_state(flag) if is_claim(flag) else "",
        "evidence": flag.get("evidence"),
        "dismissal": flag.get("dismissal"),
    }


def _treatment(job: ProductionJob) -> dict[str, Any] | None:
    found = preflight_video_job(job)
    return found.as_dict() if found is not None else None


def trust_report(job: ProductionJob) -> dict[str, Any]:
    outputs = Output.objects.filter(job=job, revision=job.revision).order_by("step", "item", "id")
    rows = []
    for output in outputs:
        findings = stored_findings(output)
        rows.append(
            {
                "id": output.pk,
                "key": output.key,
                "kind": output.kind,
                "title": output.title,
                "safety_score": output.safety_score,
                "safety_band": output.safety_band,
                "truth_verified": output.truth_verified,
                "flags": [trust_flag(f, i) for i, f in enumerate(output.safety_flags or [])],
                "qc_checked": findings is not None,
                "qc_findings": findings or [],
            }
        )
    return {
        "job": job.pk,
        "revision": job.revision,
        "truth_verified": job.truth_verified,
        "auto_approval": auto_approval_status(job).as_dict(),
        "preflight": {**preflight_job(job).as_dict(), "treatment": _treatment(job)},
        "outputs": rows,
    }


def _error(error: EvidenceError) -> ApiError:
    code = {403: "permission_denied", 404: "not_found", 409: "conflict"}.get(
        error.status, "invalid"
    )
    fields = {error.field: [error.message]} if error.field and error.status == 400 else None
    return ApiError(error.message, status_code=error.status, code=code, fields=fields)


class JobTrustView(APIView):
    api_tag = "safety"

    @extend_schema(
        operation_id="job_trust",
        summary="A job's flags with their evidence, QC findings and auto-approval decision",
        responses={200: TrustSerializer},
    )
    def get(self, request: Request, pk: str) -> Response:
        return Response(trust_report(get_job(request.user, pk)))


class _ResolveView(APIView):
    api_tag = "safety"
    kind = ResolutionKind.EVIDENCE
    body_serializer: type[StrictSerializer] = EvidenceRequestSerializer

    def post(self, request: Request, pk: str) -> Response:
        job = get_job(request.user, pk)
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            resolution = resolve_claim(
                job=job,
                user=request.user,
                kind=self.kind,
                output_id=data["output"],
                flag_index=data["flag"],
                text=data.get("text") or data.get("reason", ""),
                source=data.get("source", ""),
                expires_at=data.get("expires_at"),
            )
        except EvidenceError as error:
            raise _error(error) from None
        return Response(ResolutionSerializer(resolution).data, status=status.HTTP_201_CREATED)


class AttachEvidenceView(_ResolveView):
    @extend_schema(
        operation_id="flag_attach_evidence",
        summary="Attach evidence to a flagged claim",
        description="Members, reviewers and owners of the job's client. Evidence from an owner "
        "backs the claim at once; anyone else's once an owner confirms it, until it expires.",
        request=EvidenceRequestSerializer,
        responses={201: ResolutionSerializer},
        examples=[
            OpenApiExample(
                "Lab report",
                request_only=True,
                value={
                    "output": 12,
                    "flag": 0,
                    "text": "Lab report 2024-113: the mug weighs 113 g (4 oz).",
                    "source": "https://example.org/reports/2024-113.pdf",
                },
            )
        ],
    )
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)


class DismissFlagView(_ResolveView):
    kind = ResolutionKind.DISMISSAL
    body_serializer = DismissRequestSerializer

    @extend_schema(
        operation_id="flag_dismiss",
        summary="Dismiss a flagged claim with a reason (reviewers)",
        request=DismissRequestSerializer,
        responses={201: ResolutionSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        return super().post(request, pk)


class PreflightView(APIView):
    api_tag = "safety"

    @extend_schema(
        operation_id="preflight",
        summary="Screen a brief (and a video's treatment, scene by scene) before creating the job",
        request=PreflightRequestSerializer,
        responses={200: PreflightSerializer},
        examples=[
            OpenApiExample(
                "A health promise",
                request_only=True,
                value={"title": "Launch post", "input_data": {"topic": "Our tea cures fatigue"}},
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = PreflightRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        client = resolve_client(request.user, data.get("client"), field="client")
        result = preflight_brief(
            client,
            title=data["title"],
            description=data["description"],
            inputs=data["input_data"],
        )
        inputs = data["input_data"]
        treatment = inputs.get("treatment")
        plan = None
        if isinstance(treatment, str) and treatment.strip():
            plan = preflight_treatment(
                client,
                treatment=treatment,
                topic=str(inputs.get("topic") or ""),
                title=data["title"],
                language=str(inputs.get("language") or ""),
            ).as_dict()
        return Response({**result.as_dict(), "treatment": plan})
