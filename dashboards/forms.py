"""The new-job form: fields built from a job type's JSON Schema, and the posted values parsed back.

Each input is posted under its error path ("inputData.topic"), so the errors that validation
reports by path land next to the field they are about.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from jobs.mediakit.charts import parse_value

ROOT = "inputData"
ACRONYMS = {"seo": "SEO", "cta": "CTA", "faq": "FAQ", "url": "URL", "uri": "URI"}
LONG_TEXT = 300  # strings allowed to be longer than this get a textarea
DOCUMENT_TEXT = 5000  # strings allowed to be this long are documents (a treatment): a tall box
UNIT_KEYS = ("prefix", "unit")  # typed inside a record's figure ("$1,200", "45%"), not apart


class PostedData(Protocol):
    """What a QueryDict offers: one value or all values of a name."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass
class SchemaField:
    """One input of the form, ready for the template."""

    key: str
    label: str
    help: str
    widget: str  # select | checkboxes | number | text | textarea | checkbox | list | records
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    value: Any = ""
    errors: list[str] = field(default_factory=list)
    step: str = "1"
    minimum: Any = None
    maximum: Any = None
    max_length: int | None = None
    record_keys: tuple[str, ...] = ()
    examples: list[Any] = field(default_factory=list)

    @property
    def example_text(self) -> str:
        """A worked example for a document-sized field (a treatment), shown on request."""
        first = self.examples[0] if self.examples else ""
        return first if isinstance(first, str) and len(first) > LONG_TEXT else ""

    @property
    def name(self) -> str:
        return f"{ROOT}.{self.key}"

    @property
    def html_id(self) -> str:
        return f"f-{ROOT}-{self.key}"

    @property
    def rows(self) -> int:
        """Height of a textarea: room for a whole document when the field takes one."""
        if self.widget == "records":
            return 4
        return 12 if (self.max_length or 0) >= DOCUMENT_TEXT else 6

    @property
    def selected(self) -> set[str]:
        return {str(v) for v in self.value} if isinstance(self.value, list) else set()


def humanize(value: Any) -> str:
    """An enum value as a person would read it: blog_post -> Blog post, local_seo -> Local SEO."""
    words = str(value).replace("_", " ").split(" ")
    words = [ACRONYMS.get(w.lower(), w) for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def conditional_enum(schema: Mapping[str, Any], key: str) -> list[str]:
    """Item values a field may take under the schema's if/then rules (e.g. sizes per type)."""
    values: list[str] = []
    for rule in schema.get("allOf", []):
        then = rule.get("then", {}).get("properties", {}).get(key, {})
        for value in then.get("items", {}).get("enum", []):
            if value not in values:
                values.append(value)
    return values


def _widget(schema: Mapping[str, Any], key: str, spec: Mapping[str, Any]) -> str:
    kind = spec.get("type")
    if "enum" in spec:
        return "select"
    if kind == "array":
        items = spec.get("items", {})
        if "enum" in items or conditional_enum(schema, key):
            return "checkboxes"
        if items.get("type") == "object":
            return "records"
        return "list"
    if kind in ("integer", "number"):
        return "number"
    if kind == "boolean":
        return "checkbox"
    if kind == "string" and spec.get("maxLength", 0) > LONG_TEXT:
        return "textarea"
    return "text"


def _display(widget: str, value: Any, spec: Mapping[str, Any]) -> Any:
    """A stored value as the widget shows it."""
    if value is None:
        return [] if widget == "checkboxes" else ""
    if widget == "checkboxes":
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if widget == "checkbox":
        return bool(value)
    if widget == "list":
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if widget == "records" and isinstance(value, list):
        return "\n".join(_record_line(row, spec) for row in value if isinstance(row, dict))
    if isinstance(value, list):  # a oneOf field holding a list, e.g. exact hashtags
        return ", ".join(str(v) for v in value)
    return str(value)


def _figure(value: Any) -> str:
    """45.0 as 45, 3.5 as 3.5: a figure as the person typed it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _record_line(row: Mapping[str, Any], spec: Mapping[str, Any]) -> str:
    """One record as a line of the textarea: "Colombia: 45%", "Revenue: $1200"."""
    keys = [k for k in spec.get("items", {}).get("properties", {}) if k not in UNIT_KEYS]
    parts = []
    for key in keys:
        if key == "value":
            unit = str(row.get("unit", ""))
            spacer = " " if unit[:1].isalpha() else ""
            prefix = str(row.get("prefix", ""))
            parts.append(prefix + _figure(row.get("value", "")) + spacer + unit)
        else:
            parts.append(str(row.get(key, "")))
    return ": ".join(parts)


def build_fields(
    schema: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    *,
    option_labels: Mapping[str, str] | None = None,
    posted: PostedData | None = None,
) -> list[SchemaField]:
    """The form's inputs in schema order, filled with `values`, else the schema's defaults.

    With `posted` (a form sent back with errors), every field shows exactly what was typed,
    so nothing the person wrote is lost to a value that did not parse.
    """
    values = values or {}
    required = set(schema.get("required", []))
    option_labels = option_labels or {}
    fields: list[SchemaField] = []
    for key, spec in schema.get("properties", {}).items():
        widget = _widget(schema, key, spec)
        value = values.get(key, spec.get("default"))
        if posted is None:
            display = _display(widget, value, spec)
        elif widget == "checkboxes":
            display = [v for v in posted.getlist(f"{ROOT}.{key}") if v]
        elif widget == "checkbox":
            display = posted.get(f"{ROOT}.{key}") in ("on", "true", "1")
        else:
            display = posted.get(f"{ROOT}.{key}") or ""
        entry = SchemaField(
            key=key,
            label=spec.get("title") or humanize(key),
            help=spec.get("description", ""),
            widget=widget,
            required=key in required,
            value=display,
            examples=list(spec.get("examples", [])),
            minimum=spec.get("minimum"),
            maximum=spec.get("maximum"),
            max_length=spec.get("maxLength"),
            step="1" if spec.get("type") == "integer" else "any",
        )
        if widget == "select":
            entry.options = [(v, option_labels.get(v, humanize(v))) for v in spec["enum"]]
        elif widget == "checkboxes":
            enum = spec.get("items", {}).get("enum") or conditional_enum(schema, key)
            entry.options = [(v, option_labels.get(v, humanize(v))) for v in enum]
        elif widget == "records":
            properties = spec.get("items", {}).get("properties", {})
            entry.record_keys = tuple(k for k in properties if k not in UNIT_KEYS)
            shape = ": ".join(humanize(k) for k in entry.record_keys)
            units = " A figure may carry a unit or currency, e.g. Colombia: 45% or Sales: $1,200."
            entry.help = (
                f"{entry.help} One per line, as {shape}." + (units if "unit" in properties else "")
            ).strip()
        elif widget == "list" or (widget == "text" and "oneOf" in spec):
            entry.help = (entry.help + " Separate several with commas.").strip()
        fields.append(entry)
    return fields


def _number(raw: str, integer: bool) -> int | float:
    number = float(raw)
    if not math.isfinite(number):  # "inf" and "nan" parse, but JSON cannot hold them
        raise ValueError(raw)
    if integer:
        if not number.is_integer():
            raise ValueError(raw)
        return int(number)
    return number


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]


def _one_of(raw: str, spec: Mapping[str, Any]) -> Any:
    """A value for a field that accepts several shapes: the first shape it parses as."""
    for option in spec.get("oneOf", []) + spec.get("anyOf", []):
        kind = option.get("type")
        try:
            if kind in ("integer", "number"):
                return _number(raw, kind == "integer")
        except ValueError:
            continue
        if kind == "array":
            # NFC: "café" typed as e and a combining accent is the same tag as the composed one.
            return _split(unicodedata.normalize("NFC", raw))
        if kind == "string":
            return raw
    return raw


class RecordError(ValueError):
    """A line of a records field that cannot be read; the message names the line."""


def _figure_with_unit(part: str, integer: bool, units: bool) -> dict[str, Any]:
    """A typed figure as record keys: "45%" gives value 45 and unit %, "$1,200" value 1200
    and prefix $."""
    parsed = parse_value(part)
    if parsed is None:
        raise ValueError(part)
    number, prefix, suffix = parsed
    if (prefix or suffix.strip()) and not units:
        raise ValueError(part)
    if integer and not number.is_integer():
        raise ValueError(part)
    row: dict[str, Any] = {"value": int(number) if number.is_integer() else number}
    if prefix:
        row["prefix"] = prefix
    if suffix.strip():
        row["unit"] = suffix.strip()
    return row


def _records(raw: str, spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    properties = spec.get("items", {}).get("properties", {})
    keys = [k for k in properties if k not in UNIT_KEYS]
    units = "unit" in properties
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        # The last value may not contain the separator; earlier ones (labels) may.
        parts = [p.strip() for p in line.rsplit(":", max(len(keys) - 1, 0))]
        if len(parts) < len(keys):
            raise RecordError(
                f"Line {number} (“{line.strip()}”) needs a label, a colon and a number."
            )
        row: dict[str, Any] = {}
        for key, part in zip(keys, parts, strict=False):
            kind = properties[key].get("type")
            if kind not in ("integer", "number"):
                row[key] = part
                continue
            try:
                row.update(_figure_with_unit(part, kind == "integer", units))
            except ValueError:
                hint = " (a unit such as % or a currency sign is fine)." if units else "."
                raise RecordError(f"Line {number}: “{part}” is not a number{hint}") from None
        rows.append(row)
    return rows


def parse_inputs(
    schema: Mapping[str, Any], data: PostedData
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Posted form values as input data, and errors for values that are not even the right shape.

    Empty fields are left out, so the schema's defaults and "required" rules apply.
    """
    inputs: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, spec in schema.get("properties", {}).items():
        name = f"{ROOT}.{key}"
        widget = _widget(schema, key, spec)
        if widget == "checkbox":
            inputs[key] = data.get(name) in ("on", "true", "1")
            continue
        if widget == "checkboxes":
            chosen = [v for v in data.getlist(name) if v]
            if chosen:
                inputs[key] = chosen
            continue
        raw = (data.get(name) or "").strip()
        if not raw:
            continue
        try:
            if widget == "number":
                inputs[key] = _number(raw, spec.get("type") == "integer")
            elif widget == "list":
                inputs[key] = _split(unicodedata.normalize("NFC", raw))
            elif widget == "records":
                inputs[key] = _records(raw, spec)
            elif "oneOf" in spec or "anyOf" in spec:
                inputs[key] = _one_of(raw, spec)
            else:
                inputs[key] = raw
        except RecordError as exc:
            errors[name] = [str(exc)]
        except ValueError:
            whole = spec.get("type") == "integer"
            errors[name] = ["Enter a whole number." if whole else "Enter a number."]
    return inputs, errors


def split_errors(
    errors: Mapping[str, Iterable[str]], names: Iterable[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Errors per form field (a path like inputData.sizes.0 belongs to inputData.sizes) and the rest."""
    known = set(names)
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for path, messages in errors.items():
        parts = path.split(".")
        target = next(
            (".".join(parts[:n]) for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in known),
            None,
        )
        if target is None:
            general.extend(f"{path}: {m}" if path else m for m in messages)
        else:
            for message in messages:
                if message not in by_field.setdefault(target, []):
                    by_field[target].append(message)
    return by_field, general
