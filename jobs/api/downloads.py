"""Signed, expiring download links for outputs, and the view that serves them."""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from jobs.api.errors import ApiError, not_found
from jobs.models import Output
from jobs.output_names import download_name
from jobs.selectors import jobs_for
from production.ranged_files import ranged_file_response

SALT = "jobs.api.output-download"
LINK_MAX_AGE = 600  # seconds; the same lifetime as S3 presigned URLs in settings


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def sign(output_id: int, user_id: int) -> str:
    """A token binding the output to the user it was issued to; the timestamp bounds its age."""
    return _signer().sign(f"{output_id}:{user_id}")


def download_url_for(request: Request, output: Output) -> str:
    """S3's own presigned URL when files live there; otherwise a signed link to this API."""
    if settings.AWS_STORAGE_BUCKET_NAME and output.file:
        return default_storage.url(output.file.name)
    path = reverse("api-output-download", args=[output.pk])
    query = urlencode({"sig": sign(output.pk, request.user.pk)})
    return request.build_absolute_uri(f"{path}?{query}")


def _check_signature(value: str, output: Output, user_id: Any) -> None:
    try:
        signed = _signer().unsign(value, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise ApiError(
            "This download link has expired.", status_code=403, code="link_expired"
        ) from None
    except signing.BadSignature:
        raise ApiError(
            "Invalid download link.", status_code=403, code="invalid_signature"
        ) from None
    if signed != f"{output.pk}:{user_id}":
        raise ApiError("Invalid download link.", status_code=403, code="invalid_signature")


class OutputDownloadView(APIView):
    """Streams an output's file (or its text) after re-checking access and the link's age."""

    api_tag = "jobs"

    @extend_schema(
        operation_id="outputs_download",
        summary="Download an output",
        description="Follow the `download_url` of an output; links expire after 10 minutes.",
        parameters=[OpenApiParameter("sig", OpenApiTypes.STR, required=True)],
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        # Access first: another client's output is a 404 whatever the signature says.
        output = (
            Output.objects.filter(pk=pk, job__in=jobs_for(request.user))
            .select_related("job__client")
            .first()
        )
        if output is None:
            raise not_found()
        _check_signature(request.query_params.get("sig", ""), output, request.user.pk)
        if output.file:
            filename = posixpath.basename(output.file.name)
            content_type = output.mime_type or mimetypes.guess_type(filename)[0]
            return ranged_file_response(
                request,
                output.file.open("rb"),
                size=output.file.size,
                filename=download_name(output.job, output),
                content_type=content_type or "application/octet-stream",
                as_attachment=True,
            )
        response = HttpResponse(
            output.text, content_type=f"{output.mime_type or 'text/plain'}; charset=utf-8"
        )
        name = download_name(output.job, output)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
