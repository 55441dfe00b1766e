"""What one job type is: its inputs, outputs, writer, workflow and review default, in one record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from jobs.workflows.base import Workflow

    from .deliverable import Deliverable

# A built-in writer: (validated inputs, brand, feedback=..., revision=..., description=...).
Writer = Callable[..., "list[Deliverable]"]
# Type-specific tidying after validation and defaults (e.g. default sizes per visual type).
Prepare = Callable[[dict[str, Any]], dict[str, Any]]
WorkflowFactory = Callable[["JobTypeSpec"], "Workflow"]


@dataclass(frozen=True)
class OutputType:
    """One thing a client can order within a job type."""

    key: str
    label: str


def outputs(*pairs: tuple[str, str]) -> tuple[OutputType, ...]:
    return tuple(OutputType(key, label) for key, label in pairs)


# eq=False: specs hash by identity, so a cache may key on the spec itself (its schema is a dict).
@dataclass(frozen=True, eq=False)
class JobTypeSpec:
    """Everything the product needs to offer, validate, run and review one job type.

    `workflow` is a function that takes this spec and returns its Workflow, or that
    function's dotted path. The built-in specs give paths because the workflows' steps import
    this package (the writers, the brand profile), so a direct reference would be a cycle.
    """

    key: str
    label: str
    description: str
    icon: str
    input_schema: dict[str, Any]
    output_types: tuple[OutputType, ...]
    workflow: str | WorkflowFactory
    # Example input data for demos, forms and tests; it must pass `input_schema`.
    demo_inputs: dict[str, Any]
    # The built-in writer of the copy; None when the workflow makes the outputs itself.
    writer: Writer | None = None
    # The input field that chooses which output types are made; None when there is one.
    selector: str | None = None
    # Work of this type always needs an owner's sign-off after approval.
    high_impact: bool = False
    # The label of the writing step in the copy-first workflows.
    write_label: str = "Write the copy"
    prepare: Prepare | None = None
    # Collapse runs of whitespace in the inputs; off where line breaks carry meaning.
    collapse_whitespace: bool = True

    def output_label(self, key: str) -> str:
        for output in self.output_types:
            if output.key == key:
                return output.label
        raise KeyError(key)

    def build_workflow(self) -> Workflow:
        factory = import_string(self.workflow) if isinstance(self.workflow, str) else self.workflow
        return factory(self)
