"""Checks a job's input data against its schema, applies defaults and names faulty fields."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .spec import JobTypeSpec
from .specs import JOB_TYPE_SPECS

ROOT = "inputData"

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


class InputValidationError(ValueError):
    """Raised with field paths mapped to plain-language messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        summary = "; ".join(f"{path}: {' '.join(msgs)}" for path, msgs in errors.items())
        super().__init__(summary or "The input is not valid.")


@cache
def _validator(spec: JobTypeSpec) -> Draft202012Validator:
    return Draft202012Validator(spec.input_schema)


def _path(*parts: object) -> str:
    return ".".join([ROOT, *(str(p) for p in parts)])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def messages_for(error: ValidationError) -> list[tuple[str, str]]:
    """One error as (field path, sentence) pairs; some keywords name several fields."""
    where = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    value = error.validator_value
    keyword = error.validator
    if keyword == "required":
        missing = [name for name in value if name not in (error.instance or {})]
        return [(_path(*where, name), "This field is required.") for name in missing]
    if keyword == "additionalProperties":
        known = set(schema.get("properties", {}))
        extras = sorted(set(error.instance) - known)
        return [(_path(*where, name), "This field is not allowed.") for name in extras]
    item_error = schema.get("x-item-error")
    if item_error and keyword in ("oneOf", "anyOf") and isinstance(error.instance, list):
        # Name each item that does not fit, rather than only the field's shape.
        bad = [e.instance for e in error.context or () if e.validator == "pattern"]
        if bad:
            return [(_path(*where), item_error.format(value=v)) for v in dict.fromkeys(bad)]
    custom = schema.get("x-error")
    if custom:
        return [(_path(*where), custom)]
    if keyword == "enum":
        message = "Must be one of: " + ", ".join(str(v) for v in value) + "."
    elif keyword == "const":
        message = f"Must be {value}."
    elif keyword == "type":
        names = value if isinstance(value, list) else [value]
        message = "Must be " + " or ".join(_TYPE_NAMES.get(n, n) for n in names) + "."
    elif keyword == "minLength":
        message = f"Must be at least {_plural(value, 'character')}."
    elif keyword == "maxLength":
        message = f"Must be at most {_plural(value, 'character')}."
    elif keyword == "minimum":
        message = f"Must be at least {value}."
    elif keyword == "maximum":
        message = f"Must be at most {value}."
    elif keyword == "minItems":
        message = f"Must contain at least {_plural(value, 'item')}."
    elif keyword == "maxItems":
        message = f"Must contain at most {_plural(value, 'item')}."
    elif keyword == "uniqueItems":
        message = "Must not contain duplicates."
    elif keyword == "pattern":
        message = "Has an invalid format."
    else:
        message = "Is not valid."
    return [(_path(*where), message)]


def _apply_defaults(spec: JobTypeSpec, data: dict[str, Any]) -> dict[str, Any]:
    for name, field in spec.input_schema["properties"].items():
        if name not in data and "default" in field:
            data[name] = copy.deepcopy(field["default"])
    return spec.prepare(data) if spec.prepare else data


def _tidy(value: Any) -> Any:
    """Collapse runs of whitespace in every string, so writers see clean text."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    return value


def validate_inputs(job_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return the job's input data with defaults applied, or raise InputValidationError."""
    spec = JOB_TYPE_SPECS.get(job_type)
    if spec is None:
        options = ", ".join(JOB_TYPE_SPECS)
        raise InputValidationError({"jobType": [f"Must be one of: {options}."]})
    if not isinstance(data, dict):
        raise InputValidationError({ROOT: ["Must be an object."]})
    cleaned = copy.deepcopy(data)
    if spec.collapse_whitespace:
        cleaned = _tidy(cleaned)
    errors: dict[str, list[str]] = {}
    for error in sorted(_validator(spec).iter_errors(cleaned), key=lambda e: e.json_path):
        for path, message in messages_for(error):
            if message not in errors.setdefault(path, []):
                errors[path].append(message)
    if errors:
        raise InputValidationError(errors)
    return _apply_defaults(spec, cleaned)
