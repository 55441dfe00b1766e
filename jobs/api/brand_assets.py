"""The brand asset library in the API: list, upload (multipart), read, download, remove.

Scoped like every other route: another client's asset is a 404 on each of them.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from jobs.api.access import resolve_client
from jobs.api.errors import ApiError, field_error
from production.asset_validation import AssetRejected
from production.brand_library import (
    brand_asset_create,
    brand_asset_delete,
    brand_assets_for,
    can_manage_assets,
    read_upload,
)
from production.input_safety import text_problem
from production.models import BrandAsset, BrandAssetKind
from production.ranged_files import ranged_file_response


class BrandAssetSerializer(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = BrandAsset
        fields = [
            "id",
            "client",
            "kind",
            "title",
            "original_name",
            "source_format",
            "mime_type",
            "width",
            "height",
            "size_bytes",
            "checksum",
            "font_family",
            "created_at",
            "file_url",
        ]
        read_only_fields = fields

    def get_file_url(self, asset: BrandAsset) -> str:
        request = self.context.get("request")
        path = f"/api/v1/brand-assets/{asset.pk}/file"
        return request.build_absolute_uri(path) if request else path


class BrandAssetUploadSerializer(serializers.Serializer):
    client = serializers.UUIDField(required=False, help_text="Omit when you have one client.")
    kind = serializers.ChoiceField(choices=BrandAssetKind.choices)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    file = serializers.FileField(
        help_text="PNG or SVG logo; PNG, JPEG or WebP photo; TTF or OTF font."
    )

    def validate_title(self, value: str) -> str:
        problem = text_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


@extend_schema_view(
    list=extend_schema(summary="Brand assets of your clients"),
    retrieve=extend_schema(summary="A brand asset"),
    create=extend_schema(
        summary="Upload a brand asset",
        description=(
            "Multipart upload. The file is checked by its content (not its name): images must "
            "decode within 50 megapixels and lose their metadata; SVG logos must have no "
            "scripts or outside references and are stored rasterised; fonts must load."
        ),
        request={"multipart/form-data": BrandAssetUploadSerializer},
        responses={201: BrandAssetSerializer},
    ),
    destroy=extend_schema(summary="Remove a brand asset", responses={204: None}),
)
class BrandAssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    api_tag = "brand-assets"
    lookup_value_regex = "[^/]+"  # any id reaches the view and gets a JSON 404
    serializer_class = BrandAssetSerializer
    queryset = BrandAsset.objects.none()
    http_method_names = ["get", "post", "delete", "head", "options"]

    # Uploads are multipart; no other route here reads a body.
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[BrandAsset]:
        return brand_assets_for(self.request.user).order_by("kind", "-created_at", "-id")

    def get_object(self) -> BrandAsset:
        pk = str(self.kwargs.get("pk", ""))
        asset = self.get_queryset().filter(pk=int(pk)).first() if pk.isdigit() else None
        if asset is None:
            raise ApiError("Brand asset not found.", status_code=404, code="not_found")
        return asset

    def create(self, request: Request) -> Response:
        body = BrandAssetUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        client = resolve_client(request.user, data.get("client"), field="client")
        if not can_manage_assets(request.user, client):
            raise ApiError(
                "Only the client's members and owners may add its assets.",
                status_code=403,
                code="permission_denied",
            )
        upload = data["file"]
        try:
            asset = brand_asset_create(
                client=client,
                kind=data["kind"],
                data=read_upload(upload),
                title=data.get("title", ""),
                original_name=PurePosixPath(upload.name or "").name,
                user=request.user,
            )
        except AssetRejected as exc:
            raise field_error("file", str(exc), code="invalid_file") from None
        serialized = BrandAssetSerializer(asset, context={"request": request}).data
        return Response(serialized, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        asset = self.get_object()
        if not can_manage_assets(request.user, asset.client):
            raise ApiError(
                "Only the client's members and owners may remove its assets.",
                status_code=403,
                code="permission_denied",
            )
        brand_asset_delete(asset)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download a brand asset's file",
        parameters=[OpenApiParameter("pk", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
    )
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request: Request, pk: str) -> HttpResponse:
        asset = self.get_object()
        return ranged_file_response(
            request,
            asset.file.open("rb"),
            size=asset.file.size,
            filename=PurePosixPath(asset.file.name).name,
            content_type=asset.mime_type,
            as_attachment=True,
        )
