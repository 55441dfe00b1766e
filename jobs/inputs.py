"""Validates a job's input data against its type's JSON Schema, with errors per field."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from jobs.job_types.validation import messages_for

EXAMPLE_TREATMENT = """# Cold brew launch: a 30-second spot

Tone: friendly
Audience: busy commuters

## Scene 1: Hook (0:00-0:05)
Visual: Close-up of ice dropping into a glass of cold brew.
VO: Mornings move fast. Your coffee should keep up.
On-screen text: New: Northwind Cold Brew

## Scene 2: The product (0:05-0:18)
Visual: A barista pours cold brew over ice at the counter.
VO: Steeped for eighteen hours, smooth, never bitter.

## Scene 3: Call to action (0:18-0:30)
Visual: The Northwind logo on a warm brown background.
VO: Find it in every Northwind cafe from Monday.
On-screen text: Order ahead in the app
Music: light acoustic guitar
"""

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
            "description": (
                "The video scene by scene: a heading per scene (with its time if you know it), "
                "then lines starting Visual:, VO: (narration), On-screen text: and Music:. "
                "Use the example to see the shape."
            ),
            "minLength": 10,
            "maxLength": 200000,
            "examples": [EXAMPLE_TREATMENT],
        },
        "durationSeconds": {
            "type": "integer",
            "title": "Duration (seconds)",
            "description": "Length of the finished video, 5 to 600 seconds; scenes are timed to fit.",
            "minimum": 5,
            "maximum": 600,
            "default": 30,
        },
        "aspectRatio": {
            "type": "string",
            "title": "Aspect ratio",
            "description": (
                "Frame shape: 16:9 for YouTube and the web, 9:16 for stories, reels and TikTok, "
                "1:1 or 4:5 for feeds. Smart Auto picks it from the platform."
            ),
            "enum": ["Smart Auto", "16:9", "9:16", "1:1", "4:5"],
            "default": "Smart Auto",
        },
        "platform": {
            "type": "string",
            "title": "Platform",
            "description": "Where it will be published; sets the frame size and pacing.",
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
            "description": "How the narration and music should feel.",
            "enum": ["professional", "friendly", "playful", "authoritative", "inspirational"],
            "default": "professional",
        },
        "language": {
            "type": "string",
            "title": "Language",
            "description": "Language code of the narration, e.g. en, es, de.",
            "default": "en",
            "maxLength": 10,
        },
        "resolution": {
            "type": "string",
            "title": "Resolution",
            "description": "720p, or 1080p for a sharper (and slower to render) video.",
            "enum": ["720p", "1080p"],
            "default": "720p",
        },
        "burnCaptions": {
            "type": "boolean",
            "title": "Burn in captions",
            "description": (
                "Draw the narration's captions into the picture. SRT and WebVTT caption "
                "files are delivered either way."
            ),
            "default": False,
        },
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
        for path, message in messages_for(error):
            if message not in errors.setdefault(path, []):
                errors[path].append(message)
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
    if job_type == "production":  # a production's brief, started from the workflow selector
        from jobs.workflows.production.seeds import BRIEF_SCHEMA

        return BRIEF_SCHEMA
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
