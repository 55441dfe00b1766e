"""`GET /api/v1/`: what the API offers, with links, so the launcher's entry point answers."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# (name, route name, what it is for)
RESOURCES = [
    ("jobs", "api-job-list", "Create and follow production jobs; outputs, history, step runs."),
    ("templates", "api-template-list", "Reusable job presets."),
    ("approvals", "api-approval-list", "Approval requests waiting for a decision."),
    ("safety_check", "api-safety-check", "Score a text for safety and truth."),
    ("planner_manifests", "api-manifest-list", "Production manifests planned from treatments."),
    ("planner_schema", "api-planner-schema", "The JSON Schema of a production manifest."),
    ("tokens", "api-token-list", "Personal API tokens (Bearer auth)."),
    ("brand_assets", "api-brand-asset-list", "The client's logo, photos and fonts (multipart)."),
]


class ApiIndexView(APIView):
    """Public: it names resources and docs only, never data."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(exclude=True)  # a map of the API for people, not an operation
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name)).rstrip("?")

        return Response(
            {
                "name": settings.SPECTACULAR_SETTINGS["TITLE"],
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "authentication": "Authorization: Bearer <personal token>, or a session",
                "docs": {
                    "swagger": link("api-docs"),
                    "redoc": link("api-redoc"),
                    "schema": link("api-schema"),
                },
                "resources": {
                    name: {"url": link(route), "description": text}
                    for name, route, text in RESOURCES
                },
            }
        )
