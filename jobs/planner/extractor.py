"""The optional model extractor and model repair, through an injected completion callable."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from jsonschema import Draft202012Validator

from jobs.planner.schema import ValidationIssue
from jobs.planner.treatment import TREATMENT_SCHEMA, ParsedTreatment, treatment_from_dict
from jobs.planner.vocabulary import PURPOSES
from jobs.prompt_screen import DATA_NOTICE, quoted

logger = logging.getLogger(__name__)

# complete(messages, max_tokens, timeout_seconds) -> reply text; the provider chain supplies it.
Complete = Callable[[list[dict[str, str]], int, float], str]

MAX_PROMPT_CHARS = 12_000
MAX_REPLY_CHARS = 200_000
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_SECRET = re.compile(
    r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{12,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,}"
    r"|(?i:(?:api[_-]?key|secret|token|password)\s*[:=]\s*\S+)"
)
_TREATMENT_VALIDATOR = Draft202012Validator(TREATMENT_SCHEMA)

EXTRACT_INSTRUCTIONS = (
    "You turn a video treatment into JSON. Reply with one JSON object and nothing else, "
    'shaped as {"title": str, "hints": {"duration_seconds": int, "aspect_ratio": str, '
    '"platform": str, "language": str, "tone": str}, "scenes": [{"title": str, '
    f'"purpose": one of {list(PURPOSES)}, "narration": str, "visuals": [str], '
    '"on_screen_text": str, "effects": [str], "music": str, '
    '"chart": [{"label": str, "value": number}], "start": number|null, "end": number|null}]}. '
    "Copy narration word for word; do not invent scenes, facts or numbers; leave a field "
    "empty when the treatment does not say it."
)
REPAIR_INSTRUCTIONS = (
    "You fix the structure of a JSON production manifest so it passes its schema. Reply with "
    "the corrected JSON object only. Change only what the listed issues require; never add "
    "new narration, claims or scenes."
)


def scrub(text: str) -> str:
    """Text without links and anything that looks like a credential, before it leaves."""
    return _SECRET.sub("[redacted]", _URL.sub("[link]", text))


def _call(
    complete: Complete, messages: list[dict[str, str]], max_tokens: int, timeout: float
) -> str | None:
    """The reply, or None on any failure or when it takes longer than the timeout."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        reply = pool.submit(complete, messages, max_tokens, timeout).result(timeout=timeout)
    except FutureTimeout:
        logger.warning("planner model call timed out after %.1fs", timeout)
        return None
    except Exception:  # the provider chain may fail in any way; the parser is the fallback
        logger.warning("planner model call failed", exc_info=True)
        return None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return reply if isinstance(reply, str) else None


def json_object(reply: str) -> dict[str, Any] | None:
    """The JSON object in a reply, allowing for code fences or text around it."""
    text = reply[:MAX_REPLY_CHARS].strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(text[start : end + 1])
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def extract_with_model(
    text: str,
    complete: Complete | None,
    max_tokens: int = 1200,
    timeout: float = 20.0,
) -> ParsedTreatment | None:
    """Scenes read by a model, or None on any failure so the caller uses the parser."""
    if complete is None or not isinstance(text, str) or not text.strip():
        return None
    messages = [
        {"role": "system", "content": f"{EXTRACT_INSTRUCTIONS} {DATA_NOTICE}"},
        {"role": "user", "content": quoted(scrub(text[:MAX_PROMPT_CHARS]))},
    ]
    reply = _call(complete, messages, max_tokens, timeout)
    data = json_object(reply) if reply else None
    if data is None or not _TREATMENT_VALIDATOR.is_valid(data):
        return None
    parsed = treatment_from_dict(data)
    return parsed if parsed.scenes else None


def repair_with_model(
    manifest: dict[str, Any],
    issues: list[ValidationIssue],
    complete: Complete | None,
    max_tokens: int = 4000,
    timeout: float = 30.0,
) -> dict[str, Any] | None:
    """A model's structural fix of a manifest, or None; the caller validates it again."""
    if complete is None:
        return None
    try:
        body = json.dumps(manifest, ensure_ascii=False)[: MAX_PROMPT_CHARS * 2]
    except (TypeError, ValueError):
        return None
    listed = "\n".join(f"- {issue}" for issue in issues[:30])
    messages = [
        {"role": "system", "content": REPAIR_INSTRUCTIONS},
        {"role": "user", "content": f"Issues:\n{listed}\n\nManifest:\n{body}"},
    ]
    reply = _call(complete, messages, max_tokens, timeout)
    return json_object(reply) if reply else None
