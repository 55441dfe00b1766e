"""Approve with changes over the API: approve the job's final review provided the listed small
changes are made; the revision that makes them is approved on arrival, without a new review.

Bound to a revision like every other decision (`revision` in the body or `If-Match`): a newer
revision than the one named answers 409 with `current_revision`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import services
from jobs.api.access import expected_revision, get_job
from jobs.api.errors import conflict, field_error
from jobs.api.schema import ErrorSerializer
from jobs.api.serializers import JobSerializer, StrictSerializer
from jobs.models import ProductionJob


class ApproveWithChangesSerializer(StrictSerializer):
    changes = serializers.CharField(
        max_length=services.MAX_FEEDBACK,
        allow_blank=True,
        help_text="The small changes to make; the revision that makes them is not reviewed again.",
    )
    revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The revision decided on; a newer one makes the decision fail with 409.",
    )


class ApproveWithChangesView(APIView):
    api_tag = "jobs"

    @extend_schema(
        operation_id="jobs_approve_with_changes",
        summary="Approve with changes",
        description=(
            "Approve the job's final review on condition that the listed changes are made. The "
            "next revision makes them and is approved without another review (high-impact work "
            "still waits for the owner's sign-off). Unlike request-changes, the review loop "
            "ends here; unlike approve, one more revision runs. `changes` is required. Bind the "
            "decision to the revision you saw with `revision` or If-Match (409 when newer)."
        ),
        request=ApproveWithChangesSerializer,
        responses={
            200: JobSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A field is missing or invalid."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="Nothing to decide, a mid-workflow gate, or a newer revision.",
            ),
        },
        examples=[
            OpenApiExample(
                "Approve, fixing a typo",
                request_only=True,
                value={"changes": "Spell the founder's name “Søren”.", "revision": 1},
            )
        ],
    )
    def post(self, request: Request, pk: str) -> Response:
        job = get_job(request.user, pk)
        body = ApproveWithChangesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        changes = data["changes"].strip()
        if not changes:
            raise field_error(
                "changes", "List the changes to make before this is final.", "required"
            )
        revision = expected_revision(request, data.get("revision"))
        pending = services.pending_request_for(job, user=request.user)
        if pending is None:
            raise conflict(
                f"This job has no decision pending; it is {job.status}.",
                job.status,
                code="nothing_to_decide",
            )
        if pending.gate != services.FINAL_GATE:
            raise conflict(
                "Approve with changes is for the final review; this request is the "
                f"“{pending.gate}” gate. Approve or request changes here.",
                job.status,
                code="not_final_review",
            )
        try:
            services.job_decide(
                job=job,
                user=request.user,
                decision=services.APPROVE_WITH_CHANGES,
                feedback=changes,
                expected_revision=revision,
            )
        except services.DecisionError as exc:
            if exc.field == "feedback":
                raise field_error("changes", exc.message) from None
            raise
        fresh = ProductionJob.objects.select_related("client", "created_by").get(pk=job.pk)
        return Response(JobSerializer(fresh).data)
