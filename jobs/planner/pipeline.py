"""The planner pipeline: treatment text to a validated manifest and its job DAG."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from jobs.planner.builder import build_manifest_with_notes
from jobs.planner.decompose import DagNode, check_dag, decompose
from jobs.planner.errors import PlannerInputError
from jobs.planner.extractor import Complete, extract_with_model
from jobs.planner.normalise import PlannerInputs, normalise_inputs
from jobs.planner.parser import parse_treatment
from jobs.planner.repair import minimal_manifest, plan_from_manifest_or_fallback
from jobs.planner.schema import validate_manifest

logger = logging.getLogger(__name__)

MAX_TREATMENT_CHARS = 200_000


@dataclass
class PlanResult:
    """A plan: the manifest, whether it validates, what was repaired or assumed, the DAG."""

    manifest: dict[str, Any]
    valid: bool
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used_repair: bool = False
    used_fallback: bool = False
    used_model: bool = False
    dag: list[DagNode] = field(default_factory=list)
    processing_ms: float = 0.0
    inputs: PlannerInputs | None = None


def _check_arguments(treatment_text: Any, user: Any, analyzer: Any, profile: Any) -> None:
    if not isinstance(treatment_text, str):
        raise PlannerInputError("treatment_text", "must be text")
    if len(treatment_text) > MAX_TREATMENT_CHARS:
        raise PlannerInputError(
            "treatment_text",
            f"is {len(treatment_text)} characters; the limit is {MAX_TREATMENT_CHARS}",
        )
    for name, value in (("user", user), ("analyzer", analyzer), ("profile", profile)):
        if value is not None and not isinstance(value, dict):
            raise PlannerInputError(name, "must be an object")


def plan(
    treatment_text: str,
    *,
    user: dict[str, Any] | None = None,
    analyzer: dict[str, Any] | None = None,
    title: str = "",
    profile: dict[str, Any] | None = None,
    complete: Complete | None = None,
    use_model: bool = False,
) -> PlanResult:
    """Plan a video from a treatment. Raises PlannerInputError only for unusable user input;
    anything else yields a valid manifest, repaired or replaced by the fallback if need be."""
    started = time.perf_counter()
    _check_arguments(treatment_text, user, analyzer, profile)
    title = title if isinstance(title, str) else ""
    parsed = parse_treatment(treatment_text)
    inputs = normalise_inputs(user, analyzer, parsed.hints)
    warnings = list(inputs.warnings)
    used_model = False
    if use_model and complete is not None:
        extracted = extract_with_model(treatment_text, complete)
        if extracted is not None:
            # The model reads scenes; the parser's hints about the whole video still count.
            extracted.hints = {**parsed.hints, **extracted.hints}
            parsed, used_model = extracted, True
        else:
            warnings.append("The model extractor gave no usable answer; used the parser")
    try:
        if parsed.scenes:
            manifest, notes = build_manifest_with_notes(
                parsed, inputs, title=title, profile=profile
            )
            warnings += notes
            recovery = plan_from_manifest_or_fallback(
                manifest,
                inputs,
                treatment_text,
                complete=complete if use_model else None,
                title=title,
                profile=profile,
            )
        else:
            recovery = None
    except Exception:  # a planner bug must not lose the order; log it and fall back
        logger.exception("planner failed to build a manifest; using the fallback")
        warnings.append("The planner hit an internal error; a minimal fallback was used")
        recovery = None
    if recovery is None:
        if not parsed.scenes:
            warnings.append("No scenes were found in the treatment; made a minimal manifest")
        manifest = minimal_manifest(inputs, treatment_text, title=title, profile=profile)
        repairs: list[str] = []
        valid, used_repair, used_fallback = not validate_manifest(manifest), False, True
    else:
        manifest, repairs = recovery.manifest, recovery.repairs
        warnings += recovery.warnings
        valid, used_repair, used_fallback = (
            recovery.valid,
            recovery.used_repair,
            recovery.used_fallback,
        )
        used_model = used_model or recovery.used_model
    dag = decompose(manifest) if valid else []
    problems = check_dag(dag)
    if problems:  # decompose builds the DAG itself, so this is a bug worth shouting about
        raise RuntimeError(f"planner produced an unrunnable DAG: {problems}")
    return PlanResult(
        manifest=manifest,
        valid=valid,
        repairs=repairs,
        warnings=warnings,
        used_repair=used_repair,
        used_fallback=used_fallback,
        used_model=used_model,
        dag=dag,
        processing_ms=(time.perf_counter() - started) * 1000,
        inputs=inputs,
    )
