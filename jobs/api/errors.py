"""One error shape for every API response: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jobs.inputs import InputErrors
from jobs.lifecycle import TransitionNotAllowed
from jobs.services import JobError

logger = logging.getLogger(__name__)

# Top-level names the services use (seed style) and their /api/v1/ spelling. Paths below the
# first segment are the input schema's own keys and keep their spelling in both styles.
CAMEL_TO_SNAKE = {
    "inputData": "input_data",
    "jobType": "job_type",
    "clientId": "client",
    "autoProcess": "auto_process",
    "templateId": "template",
}
SNAKE_TO_CAMEL = {snake: camel for camel, snake in CAMEL_TO_SNAKE.items()}


class ApiError(exceptions.APIException):
    """An error raised by the API itself, with a code, field errors and extra members."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra


def not_found(message: str = "Not found.") -> ApiError:
    return ApiError(message, status_code=status.HTTP_404_NOT_FOUND, code="not_found")


def conflict(message: str, current_status: str, code: str = "invalid_transition") -> ApiError:
    return ApiError(
        message, status_code=status.HTTP_409_CONFLICT, code=code, current_status=current_status
    )


def field_error(field: str, message: str, code: str = "invalid") -> ApiError:
    return ApiError(message, code=code, fields={field: [message]})


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def map_path(path: str, style: str) -> str:
    """A service's field path in the caller's style: "inputData.topic" -> "input_data.topic"."""
    if not path:
        return path
    head, dot, rest = path.partition(".")
    table = CAMEL_TO_SNAKE if style == "snake" else SNAKE_TO_CAMEL
    return table.get(head, head) + dot + rest


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {dotted.path: [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            for sub, messages in flatten(value, path).items():
                out.setdefault(sub, []).extend(messages)
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix: [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            path = f"{prefix}.{index}" if prefix else str(index)
            for sub, messages in flatten(item, path).items():
                out.setdefault(sub, []).extend(messages)
        return out
    return {prefix: [str(detail)]}


def _first_message(fields: dict[str, list[str]], default: str) -> str:
    for path, messages in fields.items():
        if messages:
            return f"{path}: {messages[0]}" if path else messages[0]
    return default


def _domain_error(exc: Exception, style: str) -> ApiError | None:
    """Exceptions of the services, translated to API errors."""
    if isinstance(exc, TransitionNotAllowed):
        return conflict(str(exc), exc.current)
    if isinstance(exc, InputErrors):
        fields = {map_path(path, style): list(msgs) for path, msgs in exc.errors.items()}
        return ApiError(_first_message(fields, "Invalid input."), code="invalid", fields=fields)
    if isinstance(exc, JobError):
        if exc.code == "permission_denied":
            return ApiError(exc.message, status_code=403, code="permission_denied")
        fields = {map_path(exc.field, style): [exc.message]} if exc.field else {}
        return ApiError(exc.message, code=exc.code or "invalid", fields=fields)
    return _approval_error(exc, style)


# Decision errors that mean "not now" rather than "bad input".
CONFLICT_DECISION_CODES = frozenset(
    {"stale_revision", "no_pending_request", "terminal", "not_rejected"}
)


def _approval_error(exc: Exception, style: str) -> ApiError | None:
    try:
        from approvals.services import AlreadyDecided, DecisionError, NotAllowed
    except ImportError:  # the approvals services are optional for the rest of the API
        return None
    if isinstance(exc, AlreadyDecided):
        return conflict(exc.message, exc.request.status, code="already_decided")
    if isinstance(exc, NotAllowed):
        return ApiError(exc.message, status_code=403, code="permission_denied")
    if isinstance(exc, DecisionError):
        # The service calls the revision "expected_revision"; requests call it "revision".
        field = "revision" if exc.field == "expected_revision" else map_path(exc.field, style)
        fields = {field: [exc.message]} if field else {}
        code = exc.code or "invalid"
        status_code = 409 if code in CONFLICT_DECISION_CODES else 400
        extra = {}
        if exc.current_revision is not None:
            extra["current_revision"] = exc.current_revision
        return ApiError(exc.message, status_code=status_code, code=code, fields=fields, **extra)
    return None


def too_large() -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = "The request body is too large."
    if limit:
        message = f"The request body is larger than the limit of {limit} bytes."
    return ApiError(message, status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, code="too_large")


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every handled error in the one shape, headers kept."""
    view = context.get("view")
    style = getattr(view, "field_style", "snake")
    if isinstance(exc, RequestDataTooBig):
        exc = too_large()
    elif isinstance(exc, TooManyFieldsSent):
        exc = ApiError("The request has too many fields.", code="too_many_fields")
    elif isinstance(exc, Http404):
        exc = not_found()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    domain = _domain_error(exc, style)
    if domain is not None:
        exc = domain
    if isinstance(exc, ApiError):
        body = error_body(exc.code, exc.message, exc.fields, **exc.extra)
        return Response(body, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
        if style == "snake":
            fields = {map_path(p, style): m for p, m in fields.items()}
        message = _first_message(fields, "Invalid input.")
        response.data = error_body("invalid", message, fields)
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    detail = exc.detail
    message = str(detail) if not isinstance(detail, dict | list) else exc.default_detail
    code = detail.code if hasattr(detail, "code") and detail.code else exc.default_code
    response.data = error_body(str(code), str(message))
    return response


@csrf_exempt  # it changes nothing, and a CSRF page would break the shape
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The catch-all under /api/: unknown paths answer in the API's shape.

    A path that only lacks its trailing slash is redirected, as APPEND_SLASH would have done.
    """
    path = request.path_info
    if request.method in ("GET", "HEAD") and not path.endswith("/"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return JsonResponse(error_body("not_found", "No such API endpoint."), status=404)


# --- Django's error views (production.urls' handler400 ... handler500) --------------------------
# Errors raised outside DRF's views (or re-raised by them) reach these. Under /api/ they answer
# in the one shape; everywhere else they are Django's own pages.


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not _is_api(request):
        return defaults.bad_request(request, exception)  # type: ignore[arg-type]
    if isinstance(exception, RequestDataTooBig):
        error = too_large()
        return JsonResponse(error_body(error.code, error.message), status=error.status_code)
    return JsonResponse(error_body("bad_request", "The request could not be read."), status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not _is_api(request):
        return defaults.permission_denied(request, exception)  # type: ignore[arg-type]
    body = error_body("permission_denied", "You do not have permission to do this.")
    return JsonResponse(body, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not _is_api(request):
        return defaults.page_not_found(request, exception)  # type: ignore[arg-type]
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if not _is_api(request):
        return defaults.server_error(request)
    body = error_body("server_error", "Something went wrong on our side; it has been logged.")
    return JsonResponse(body, status=500)
