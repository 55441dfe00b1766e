"""Publishing in the REST API: a client's connected accounts (owners connect and disconnect) and
a job's publications (reviewers and owners publish, cancel and retry; everyone follows them)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.api.access import get_job, resolve_client
from jobs.api.errors import ApiError, not_found
from jobs.api.serializers import StrictSerializer, json_object
from jobs.models import Output
from publishing import services
from publishing.models import Connection, Platform, Publication
from publishing.selectors import connections_for, publications_for

ERROR_STATUS = {
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_approved": status.HTTP_409_CONFLICT,
    "duplicate": status.HTTP_409_CONFLICT,
    "conflict": status.HTTP_409_CONFLICT,
}


def api_error(exc: services.PublishingError) -> ApiError:
    return ApiError(
        exc.message,
        status_code=ERROR_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST),
        code=exc.code,
        fields={exc.field: [exc.message]} if exc.field else {},
    )


PLATFORM_HELP = '"wordpress", "youtube" or "instagram".'


class ConnectionSerializer(serializers.ModelSerializer):
    # A plain string here: an enum would collide with the video brief's "platform" field.
    platform = serializers.CharField(help_text=PLATFORM_HELP)
    secret_hint = serializers.CharField(help_text="The secret's last characters; never more.")

    class Meta:
        model = Connection
        fields = [
            "id",
            "client",
            "platform",
            "name",
            "account",
            "secret_hint",
            "token_expires_at",
            "is_active",
            "auto_publish",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields


class ConnectionListSerializer(serializers.Serializer):
    results = ConnectionSerializer(many=True)


class ConnectionCreateSerializer(StrictSerializer):
    client = serializers.UUIDField(required=False, help_text="Optional with one client.")
    platform = serializers.CharField(max_length=12, help_text=PLATFORM_HELP)
    name = serializers.CharField(max_length=120)
    account = json_object(
        required=False,
        default=dict,
        help_text='WordPress: {"site_url", "username"}; YouTube: {"channel"}; '
        'Instagram: {"ig_user_id", "username"}.',
    )
    secrets = json_object(
        help_text='WordPress: {"application_password"}; YouTube: {"access_token", '
        '"refresh_token", "client_id", "client_secret"}; Instagram: {"access_token"}. '
        "Stored encrypted, never returned."
    )
    expires_in = serializers.IntegerField(
        required=False,
        min_value=60,
        allow_null=True,
        default=None,
        help_text="Seconds until the access token expires.",
    )
    auto_publish = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Publish each approved job's deliverable here without being asked.",
    )

    def validate_platform(self, value: str) -> str:
        if value not in Platform.values:
            raise serializers.ValidationError("Choose wordpress, youtube or instagram.")
        return value


class PublicationSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(help_text=PLATFORM_HELP)
    job = serializers.UUIDField(source="job_id")
    connection = serializers.IntegerField(source="connection_id", allow_null=True)
    output = serializers.IntegerField(source="output_id")
    image = serializers.IntegerField(source="image_id", allow_null=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "job",
            "revision",
            "connection",
            "platform",
            "output",
            "image",
            "title",
            "caption",
            "visibility",
            "status",
            "scheduled_for",
            "attempts",
            "next_attempt_at",
            "remote_id",
            "remote_url",
            "error",
            "requested_by_label",
            "created_at",
            "published_at",
        ]
        read_only_fields = fields


class PublicationListSerializer(serializers.Serializer):
    results = PublicationSerializer(many=True)


class PublicationCreateSerializer(StrictSerializer):
    connection = serializers.IntegerField(min_value=1)
    output = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="Defaults to the first output the platform can take.",
    )
    image = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="WordPress only: the featured image.",
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    caption = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    visibility = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text='WordPress "draft" or "publish"; YouTube "private", "unlisted" or "public".',
    )
    scheduled_for = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ConnectionsView(APIView):
    @extend_schema(
        responses=ConnectionListSerializer,
        summary="Connected accounts",
        operation_id="publishing_connections_list",
    )
    def get(self, request: Request) -> Response:
        rows = connections_for(request.user).order_by("client__name", "platform", "name")
        client = request.query_params.get("client")
        if client:
            rows = rows.filter(client=resolve_client(request.user, client))
        return Response({"results": ConnectionSerializer(rows[:200], many=True).data})

    @extend_schema(
        request=ConnectionCreateSerializer,
        responses={201: ConnectionSerializer},
        summary="Connect an account (owners)",
    )
    def post(self, request: Request) -> Response:
        body = ConnectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        client = resolve_client(request.user, data.get("client"), field="client")
        try:
            connection = services.connection_create(
                client=client,
                platform=data["platform"],
                name=data["name"],
                account=data["account"],
                secrets={str(k): str(v) for k, v in data["secrets"].items()},
                expires_in=data["expires_in"],
                auto_publish=data["auto_publish"],
                user=request.user,
            )
        except services.PublishingError as exc:
            raise api_error(exc) from None
        return Response(ConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)


class ConnectionDetailView(APIView):
    @extend_schema(responses=ConnectionSerializer, summary="A connected account")
    def get(self, request: Request, pk: int) -> Response:
        return Response(ConnectionSerializer(self._connection(request, pk)).data)

    @extend_schema(responses={204: None}, summary="Disconnect an account (owners)")
    def delete(self, request: Request, pk: int) -> Response:
        try:
            services.connection_disconnect(
                connection=self._connection(request, pk), user=request.user
            )
        except services.PublishingError as exc:
            raise api_error(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _connection(self, request: Request, pk: int) -> Connection:
        connection = connections_for(request.user).filter(pk=pk).first()
        if connection is None:
            raise not_found("Connection not found.")
        return connection


class JobPublicationsView(APIView):
    @extend_schema(
        responses=PublicationListSerializer,
        summary="A job's publications",
        operation_id="jobs_publications_list",
    )
    def get(self, request: Request, pk: str) -> Response:
        job = get_job(request.user, pk)
        rows = publications_for(request.user).filter(job=job)[:100]
        return Response({"results": PublicationSerializer(rows, many=True).data})

    @extend_schema(
        request=PublicationCreateSerializer,
        responses={201: PublicationSerializer},
        summary="Publish an approved deliverable (reviewers and owners)",
    )
    def post(self, request: Request, pk: str) -> Response:
        job = get_job(request.user, pk)
        body = PublicationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        connection = Connection.objects.filter(
            pk=data["connection"], client=job.client, is_active=True
        ).first()
        if connection is None:
            raise ApiError(
                "Choose one of this client's connected accounts.",
                fields={"connection": ["Choose one of this client's connected accounts."]},
            )
        try:
            publication = services.publication_request(
                job=job,
                user=request.user,
                connection=connection,
                output=_output(job, data["output"], "output"),
                image=_output(job, data["image"], "image"),
                title=data["title"],
                caption=data["caption"],
                visibility=data["visibility"],
                scheduled_for=data["scheduled_for"],
            )
        except services.PublishingError as exc:
            raise api_error(exc) from None
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)


def _output(job: Any, output_id: int | None, field: str) -> Output | None:
    if output_id is None:
        return None
    output = Output.objects.filter(pk=output_id, job=job).first()
    if output is None:
        message = "No such output in this job."
        raise ApiError(message, fields={field: [message]})
    return output


class PublicationDetailView(APIView):
    @extend_schema(responses=PublicationSerializer, summary="A publication")
    def get(self, request: Request, pk: int) -> Response:
        return Response(PublicationSerializer(_publication(request, pk)).data)


class PublicationActionView(APIView):
    action_name = ""

    @extend_schema(request=None, responses=PublicationSerializer, summary="Cancel or retry")
    def post(self, request: Request, pk: int) -> Response:
        act = {"cancel": services.publication_cancel, "retry": services.publication_retry}
        try:
            publication = act[self.action_name](
                publication=_publication(request, pk), user=request.user
            )
        except services.PublishingError as exc:
            raise api_error(exc) from None
        return Response(PublicationSerializer(publication).data)


def _publication(request: Request, pk: int) -> Publication:
    publication = publications_for(request.user).filter(pk=pk).first()
    if publication is None:
        raise not_found("Publication not found.")
    return publication
