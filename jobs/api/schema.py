"""OpenAPI details: the error body, error responses on every operation, tags, strict bodies."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from jobs.api.serializers import StrictSerializer


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable, machine-readable code.")
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per field path, e.g. {"input_data.topic": ["This field is required."]}.',
    )
    current_status = serializers.CharField(
        required=False, help_text="On 409: the status the job (or request) is in now."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# Codes any operation may answer with, and those that depend on what the operation takes.
ALWAYS = {"401": "Not authenticated.", "403": "Not allowed.", "429": "Too many requests."}
WITH_INPUT = {
    "400": "Invalid request; `fields` says where.",
    "413": "The body is larger than the server accepts.",
    "415": "Not JSON.",
}
WITH_PATH = {"404": "Not found, or not visible to the caller."}


class ApiAutoSchema(AutoSchema):
    """Adds the error responses, a tag per view (`api_tag`) and strict request bodies."""

    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "api_tag", None)
        return [tag] if tag else super().get_tags()

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        extra = dict(ALWAYS)
        extra.update(WITH_PATH)  # lists answer 404 for a page that does not exist
        extra.update(WITH_INPUT)
        for code, description in extra.items():
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                body["description"] = description
                responses[code] = body
        return responses

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        result = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictSerializer):
            result["additionalProperties"] = False
        return result
