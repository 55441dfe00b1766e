"""The production planner: treatment text to a validated manifest and a DAG of media jobs."""

from jobs.planner.builder import build_manifest
from jobs.planner.decompose import (
    DagError,
    DagNode,
    check_dag,
    decompose,
    parallel_levels,
    topological_order,
)
from jobs.planner.errors import PlannerInputError
from jobs.planner.extractor import extract_with_model, repair_with_model
from jobs.planner.normalise import PlannerInputs, normalise_inputs
from jobs.planner.parser import parse_treatment
from jobs.planner.pipeline import PlanResult, plan
from jobs.planner.repair import (
    RepairResult,
    minimal_manifest,
    plan_from_manifest_or_fallback,
    repair_manifest,
)
from jobs.planner.schema import MANIFEST_SCHEMA, SCHEMA_PATH, ValidationIssue, validate_manifest
from jobs.planner.timeline import shotstack_edit
from jobs.planner.treatment import ParsedScene, ParsedTreatment

__all__ = [
    "MANIFEST_SCHEMA",
    "SCHEMA_PATH",
    "DagError",
    "DagNode",
    "ParsedScene",
    "ParsedTreatment",
    "PlanResult",
    "PlannerInputError",
    "PlannerInputs",
    "RepairResult",
    "ValidationIssue",
    "build_manifest",
    "check_dag",
    "decompose",
    "extract_with_model",
    "minimal_manifest",
    "normalise_inputs",
    "parallel_levels",
    "parse_treatment",
    "plan",
    "plan_from_manifest_or_fallback",
    "repair_manifest",
    "repair_with_model",
    "shotstack_edit",
    "topological_order",
    "validate_manifest",
]
