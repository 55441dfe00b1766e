"""Personal API tokens: list yours, create one (its key is shown once), revoke one."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from jobs.api.auth import issue_token, revoke_token
from jobs.api.serializers import TokenCreatedSerializer, TokenCreateSerializer, TokenSerializer
from production.models import ApiToken


@extend_schema_view(
    list=extend_schema(summary="Your API tokens"),
    create=extend_schema(
        summary="Create an API token",
        description="The response carries the key; it is not shown again.",
        request=TokenCreateSerializer,
        responses={201: TokenCreatedSerializer},
        examples=[
            OpenApiExample(
                "CI", request_only=True, value={"name": "CI pipeline", "expires_in_days": 30}
            )
        ],
    ),
    destroy=extend_schema(summary="Revoke an API token", responses={204: None}),
)
class TokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    api_tag = "tokens"
    lookup_value_regex = "[^/]+"  # any id reaches the view and gets a JSON 404
    serializer_class = TokenSerializer
    queryset = ApiToken.objects.none()
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[ApiToken]:
        # Own tokens only, staff included: nobody revokes another person's token here.
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    def create(self, request: Request) -> Response:
        body = TokenCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token, key = issue_token(
            user=request.user,
            name=body.validated_data["name"],
            lifetime=timedelta(days=body.validated_data["expires_in_days"]),
        )
        token.key = key  # type: ignore[attr-defined] - shown this once
        return Response(TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        revoke_token(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
