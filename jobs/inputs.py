"""Validates a job's input data against its type's JSON Schema, with errors per field."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

VIDEO_INPUT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Video",
    "type": "object",
    "additionalProperties": False,
    "required": ["treatment"],
    "properties": {
        "treatment": {
            "type": "string",
            "title": "Treatment",
            "description": "The treatment text: scenes, narration, visuals, on-screen text, music, data.",
            "minLength": 10,
            "maxLength": 200000,
        },
        "durationSeconds": {
            "type": "integer",
            "title": "Duration (seconds)",
            "minimum": 5,
            "maximum": 600,
            "default": 30,
        },
        "aspectRatio": {
            "type": "string",
            "title": "Aspect ratio",
            "enum": ["Smart Auto", "16:9", "9:16", "1:1", "4:5"],
            "default": "Smart Auto",
        },
        "platform": {
            "type": "string",
            "title": "Platform",
            "enum": [
                "youtube",
                "web",
                "linkedin",
                "tiktok",
                "reels",
                "shorts",
                "instagram",
                "instagram_story",
            ],
            "default": "web",
        },
        "tone": {
            "type": "string",
            "title": "Tone",
            "enum": ["professional", "friendly", "playful", "authoritative", "inspirational"],
            "default": "professional",
        },
        "language": {"type": "string", "title": "Language", "default": "en", "maxLength": 10},
    },
}


class InputErrors(Exception):
    """Field errors keyed by path, e.g. {"inputData.topic": ["This field is required."]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        first = next(iter(errors.items()), ("", [""]))
        super().__init__(f"{first[0]}: {first[1][0]}" if first[0] else "Invalid input.")


def _validate_video(data: dict[str, Any]) -> dict[str, Any]:
    validator = Draft202012Validator(VIDEO_INPUT_SCHEMA)
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(data):
        if error.validator == "required":
            missing = error.message.split("'")[1]
            errors.setdefault(f"inputData.{missing}", []).append("This field is required.")
            continue
        path = ".".join(str(p) for p in error.absolute_path)
        errors.setdefault("inputData" + (f".{path}" if path else ""), []).append(error.message)
    if errors:
        raise InputErrors(errors)
    cleaned = dict(data)
    for name, spec in VIDEO_INPUT_SCHEMA["properties"].items():
        if "default" in spec:
            cleaned.setdefault(name, spec["default"])
    return cleaned


def input_schema(job_type: str) -> dict[str, Any]:
    if job_type == "video":
        return VIDEO_INPUT_SCHEMA
    from jobs.job_types import INPUT_SCHEMAS

    return INPUT_SCHEMAS[job_type]


def validate_job_inputs(job_type: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputErrors({"inputData": ["Must be an object."]})
    if job_type == "video":
        return _validate_video(data)
    from jobs.job_types import InputValidationError, validate_inputs

    try:
        return validate_inputs(job_type, data)
    except InputValidationError as exc:
        raise InputErrors(exc.errors) from None
