"""Owners' word on evidence in the API: confirm it, or retract or expire it (which recalls the
work that relied on it). The same rules as the review page: owners of the job's client only,
other clients' jobs are not found, and every action is in the job's history."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.api import ResolutionSerializer, _error
from approvals.evidence import EvidenceError
from approvals.evidence_owner import confirm_evidence, withdraw_evidence
from jobs.api.access import get_job
from jobs.api.serializers import StrictSerializer


class WithdrawRequestSerializer(StrictSerializer):
    action = serializers.ChoiceField(
        choices=["retract", "expire"], help_text="Retract it, or let it expire now."
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RecalledSerializer(serializers.Serializer):
    job_id = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    outputs = serializers.ListField(child=serializers.DictField())
    back_in_review = serializers.BooleanField()


class WithdrawResponseSerializer(serializers.Serializer):
    evidence = ResolutionSerializer()
    recalled = RecalledSerializer(allow_null=True)


class ConfirmEvidenceView(APIView):
    api_tag = "safety"

    @extend_schema(
        operation_id="evidence_confirm",
        summary="An owner confirms evidence attached to a claim (it then backs the claim)",
        request=None,
        responses={200: ResolutionSerializer},
    )
    def post(self, request: Request, pk: str, evidence_id: int) -> Response:
        job = get_job(request.user, pk)
        try:
            resolution = confirm_evidence(job=job, user=request.user, evidence_id=evidence_id)
        except EvidenceError as error:
            raise _error(error) from None
        return Response(ResolutionSerializer(resolution).data)


class WithdrawEvidenceView(APIView):
    api_tag = "safety"

    @extend_schema(
        operation_id="evidence_withdraw",
        summary="An owner retracts or expires evidence; the work that relied on it is recalled",
        request=WithdrawRequestSerializer,
        responses={200: WithdrawResponseSerializer},
    )
    def post(self, request: Request, pk: str, evidence_id: int) -> Response:
        job = get_job(request.user, pk)
        body = WithdrawRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            resolution, recalled = withdraw_evidence(
                job=job,
                user=request.user,
                evidence_id=evidence_id,
                action=body.validated_data["action"],
                reason=body.validated_data["reason"],
            )
        except EvidenceError as error:
            raise _error(error) from None
        return Response(
            {
                "evidence": ResolutionSerializer(resolution).data,
                "recalled": recalled.as_dict() if recalled else None,
            }
        )
