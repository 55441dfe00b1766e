"""A production workflow's definition: its JSON shape, its checks, and the engine Steps it builds.

A definition is {"brief_schema": {...}, "steps": [...]}. Each step names a capability from
the code registry, its input and output contracts (JSON Schema) and an estimate; a gate names
who decides and which step's work it reviews; `when` makes a branch (or a conditional gate);
a fan-out runs as `batches` steps in parallel. Fan-out batches are named "<step>.NN", and a
step that depends on the fan-out depends on all of its batches.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from jobs.dag import Dag, DagError
from jobs.models import ProductionJob
from jobs.workflows.base import OutputSpec, Step, StepContext, StepFailure, Workflow, validate_dag
from jobs.workflows.production.context import DATA_KEY, Production

APPROVAL_TYPES = ("concept", "script", "budget", "storyboard", "final_cut", "legal")
APPROVER_ROLES = ("member", "reviewer", "owner")
NAME = r"^[a-z][a-z0-9_]{0,39}$"

_ESTIMATE = {
    "type": "object",
    "required": ["minutes", "cost_usd"],
    "properties": {
        "minutes": {"type": "number", "minimum": 0},
        "cost_usd": {
            "type": "array",
            "items": {"type": "number", "minimum": 0},
            "minItems": 2,
            "maxItems": 2,
        },
    },
    "additionalProperties": False,
}
_WHEN = {
    "oneOf": [
        {
            "type": "object",
            "required": ["choice", "equals", "source"],
            "properties": {
                "choice": {"type": "string", "minLength": 1},
                "equals": {"type": "string", "minLength": 1},
                "source": {"type": "string", "pattern": NAME},
            },
            "additionalProperties": False,
        },
        {
            "type": "object",
            "required": ["risk"],
            "properties": {"risk": {"const": True}},
            "additionalProperties": False,
        },
    ]
}
DEFINITION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["steps"],
    "properties": {
        "brief_schema": {"type": "object"},
        "steps": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "label", "kind"],
                "properties": {
                    "name": {"type": "string", "pattern": NAME},
                    "label": {"type": "string", "minLength": 1, "maxLength": 120},
                    "kind": {"enum": ["task", "gate", "branch", "fanout"]},
                    "role": {"type": "string", "maxLength": 60},
                    "capability": {"type": "string"},
                    "depends_on": {"type": "array", "items": {"type": "string", "pattern": NAME}},
                    "input_schema": {"type": "object"},
                    "output_schema": {"type": "object"},
                    "estimate": _ESTIMATE,
                    "approver": {"type": "string", "minLength": 1, "maxLength": 60},
                    "approver_role": {"enum": list(APPROVER_ROLES)},
                    # Who must decide instead when the reviewed step's data says it is over
                    # the client's budget ("within_budget": false).
                    "over_budget_role": {"enum": list(APPROVER_ROLES)},
                    "approval_type": {"enum": list(APPROVAL_TYPES)},
                    "reviews": {"type": "string", "pattern": NAME},
                    "overrides": {
                        "type": "object",
                        "required": ["choice", "options"],
                        "properties": {
                            "choice": {"type": "string"},
                            "options": {
                                "type": "array",
                                "items": {"type": "string"},
                                "minItems": 2,
                            },
                        },
                    },
                    "when": _WHEN,
                    "batches": {"type": "integer", "minimum": 1, "maximum": 50},
                    "params": {"type": "object"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


class DefinitionError(ValueError):
    """Everything wrong with a definition, one message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def validate_definition(definition: Any) -> None:
    """Raise DefinitionError unless the definition is well formed and its steps form a DAG."""
    from jobs.workflows.production.capabilities import all_capabilities

    errors = sorted(
        Draft202012Validator(DEFINITION_SCHEMA).iter_errors(definition), key=lambda e: list(e.path)
    )
    if errors:
        raise DefinitionError(
            [
                f"{'/'.join(str(p) for p in e.path) or 'definition'}: {e.message}"
                for e in errors[:10]
            ]
        )
    problems: list[str] = []
    steps = definition["steps"]
    capabilities = all_capabilities()
    names = {s["name"] for s in steps}
    for step in steps:
        unknown = sorted(set(step.get("depends_on", [])) - names)
        if unknown:
            problems.append(f"{step['name']}: depends on unknown steps {', '.join(unknown)}")
    graph: Dag | None = None
    if not problems:
        try:
            graph = Dag(((s["name"], s.get("depends_on", [])) for s in steps), noun="step")
        except DagError as exc:
            problems.extend(exc.problems)

    def upstream(name: str) -> set[str] | None:
        # None when the steps are no DAG: that is reported already, and "upstream" means nothing.
        return graph.ancestors(name) if graph is not None else None

    for step in steps:
        name, kind = step["name"], step["kind"]
        above = upstream(name)
        if kind == "gate":
            for key in ("approver", "approval_type", "reviews"):
                if key not in step:
                    problems.append(f"{name}: a gate needs “{key}”")
            if step.get("reviews") and above is not None and step["reviews"] not in above:
                problems.append(f"{name}: reviews “{step['reviews']}”, which is not upstream of it")
        elif step.get("capability") not in capabilities:
            problems.append(f"{name}: unknown capability “{step.get('capability', '')}”")
        if kind == "branch" and "when" not in step:
            problems.append(f"{name}: a branch needs “when”")
        if kind == "fanout" and "batches" not in step:
            problems.append(f"{name}: a fan-out needs “batches”")
        source = (step.get("when") or {}).get("source")
        if source and above is not None and source not in above:
            problems.append(f"{name}: its branch reads “{source}”, which is not upstream of it")
        for key in ("input_schema", "output_schema"):
            try:
                Draft202012Validator.check_schema(step.get(key, {}))
            except SchemaError as exc:
                problems.append(f"{name}: {key} is not a valid JSON Schema ({exc.message})")
    try:
        Draft202012Validator.check_schema(definition.get("brief_schema", {}))
    except SchemaError as exc:
        problems.append(f"brief_schema is not a valid JSON Schema ({exc.message})")
    if not problems:
        try:
            validate_dag(build_steps(definition))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise DefinitionError(problems)


# --- building the engine's steps --------------------------------------------------------------


def batch_names(step: dict[str, Any]) -> list[str]:
    count = int(step.get("batches", 1))
    return [f"{step['name']}.{i:02d}" for i in range(1, count + 1)]


def build_steps(definition: dict[str, Any], job: ProductionJob | None = None) -> list[Step]:
    """The engine's steps; with `job`, a gate over the client's budget names an owner."""
    from jobs.workflows.production import routing

    fanouts = {s["name"]: batch_names(s) for s in definition["steps"] if s["kind"] == "fanout"}

    def expand(names: list[str]) -> tuple[str, ...]:
        out: list[str] = []
        for name in names:
            out.extend(fanouts.get(name, [name]))
        return tuple(out)

    steps: list[Step] = []
    for spec in definition["steps"]:
        when = routing.condition(spec.get("when"))
        common: dict[str, Any] = {
            "label": spec["label"],
            "kind": spec["kind"],
            "depends_on": expand(spec.get("depends_on", [])),
            "capability": spec.get("capability", ""),
            "when": when[0] if when else None,
            "why": when[1] if when else None,
        }
        if spec["kind"] == "gate":
            role, approver = spec.get("approver_role", "reviewer"), spec.get("approver", "")
            if job is not None and spec.get("over_budget_role") and routing.over_budget(job, spec):
                role = spec["over_budget_role"]
                approver = f"{role.capitalize()} (over the client's budget)"
            steps.append(
                Step(
                    spec["name"],
                    approval_type=spec.get("approval_type", "concept"),
                    approver_role=role,
                    approver=approver,
                    reviews=spec.get("reviews", ""),
                    params={"overrides": spec.get("overrides")} if spec.get("overrides") else {},
                    **common,
                )
            )
        elif spec["kind"] == "fanout":
            names = fanouts[spec["name"]]
            for index, name in enumerate(names, start=1):
                params = {**spec.get("params", {}), "batch": index, "batches": len(names)}
                label = f"{spec['label']} (batch {index} of {len(names)})"
                steps.append(
                    Step(
                        name,
                        handler=_handler(spec),
                        group=spec["name"],
                        params=params,
                        **{**common, "label": label},
                    )
                )
        else:
            steps.append(
                Step(spec["name"], handler=_handler(spec), params=spec.get("params", {}), **common)
            )
    return steps


def _handler(spec: dict[str, Any]) -> Callable[[StepContext], None]:
    """The engine's handler for a step: check its input contract, run the capability, check
    the output contract, and store the data it returned as the step's first output."""
    from jobs.workflows.production.capabilities import all_capabilities

    def run(context: StepContext) -> None:
        production = Production(context, role=spec.get("role", "a specialist"))
        _check_inputs(production, spec)
        data = all_capabilities()[spec["capability"]].handler(production)
        errors = sorted(
            Draft202012Validator(spec.get("output_schema", {})).iter_errors(data),
            key=lambda e: list(e.path),
        )
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "result"
            # Retried: a model's answer may meet the contract on another attempt.
            raise ValueError(
                f"{spec['label']} broke its output contract at {where}: {errors[0].message}"
            )
        context.add_output(
            OutputSpec(
                kind="json",
                key=DATA_KEY,
                title=f"{spec['label']}: data",
                text=json.dumps(data, ensure_ascii=False, default=str),
                item=0,
            )
        )

    return run


def _check_inputs(production: Production, spec: dict[str, Any]) -> None:
    schema = spec.get("input_schema") or {}
    wanted = [k for k in (schema.get("properties") or {}) if k != "brief"]
    document: dict[str, Any] = {"brief": production.ctx.inputs}
    for name in wanted:
        found = production.data_or_none(name)
        if found is not None:
            document[name] = found
    errors = list(Draft202012Validator(schema).iter_errors(document))
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "input"
        raise StepFailure(f"{spec['label']} cannot start: {where}: {errors[0].message}")


def production_workflow(job: ProductionJob) -> Workflow:
    """The engine's Workflow for a production, from the definition the job copied at start."""
    from jobs.workflows.production import routing

    definition = job.workflow_definition
    steps = build_steps(definition, job)
    return Workflow(
        "production",
        "Production",
        lambda _job: steps,
        rerun_after=routing.rerun_after,
        gates_decide=True,
    )
