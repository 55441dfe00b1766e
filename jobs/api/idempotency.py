"""Idempotency-Key on creates: the first response is stored and replayed; keys are per user.

A key is remembered for IDEMPOTENCY_KEY_HOURS (24 by default, long enough for any client's
retries): after that it is forgotten and may be used again, and each new record sweeps its
user's forgotten ones, so the table does not grow without bound.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from jobs.api.errors import ApiError, field_error
from production.input_safety import text_problem
from production.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def fingerprint(request: Request) -> str:
    """What makes two requests "the same": method, path and JSON body."""
    payload = json.dumps(
        {"method": request.method, "path": request.path, "body": request.data},
        sort_keys=True,
        separators=(",", ":"),
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _jsonable(data: Any) -> Any:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _replay(record: IdempotencyRecord, request_hash: str) -> Response:
    if record.request_hash != request_hash:
        raise ApiError(
            f"This {HEADER} was already used with a different request.",
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            code="idempotency_key_reused",
            fields={HEADER: ["Already used with a different request body."]},
        )
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    return response


def _cutoff() -> datetime:
    return timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def find_record(user: Any, key: str) -> IdempotencyRecord | None:
    """The user's live record for this key; a forgotten one counts as none."""
    return IdempotencyRecord.objects.filter(user=user, key=key, created_at__gte=_cutoff()).first()


def idempotent(request: Request, create: Callable[[], Response]) -> Response:
    """Run `create` once per (user, key); a retry with the same body gets the first response.

    The record is written in the same transaction as whatever `create` writes, so the unique
    constraint on (user, key) settles a race: the loser's work is rolled back and it replays
    the winner's response instead.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise field_error(HEADER, f"Must be 1 to {MAX_KEY_LENGTH} characters.")
    problem = text_problem(key)
    if problem:  # the key is stored: PostgreSQL refuses a NUL in it
        raise field_error(HEADER, problem)
    request_hash = fingerprint(request)
    existing = find_record(request.user, key)
    if existing is not None:
        return _replay(existing, request_hash)
    try:
        with transaction.atomic():
            response = create()
            if status.is_success(response.status_code):
                IdempotencyRecord.objects.filter(
                    user=request.user, created_at__lt=_cutoff()
                ).delete()
                IdempotencyRecord.objects.create(
                    user=request.user,
                    key=key,
                    request_hash=request_hash,
                    response_status=response.status_code,
                    response_body=_jsonable(response.data),
                )
    except IntegrityError:
        winner = find_record(request.user, key)
        if winner is None:
            raise
        return _replay(winner, request_hash)
    return response
