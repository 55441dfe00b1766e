"""Outputs a reviewer approved one by one stay as they were in the next revision.

When a review approves three banner sizes and sends the fourth back, the next revision makes
only what was sent back (and what it is made from or makes): a step whose every earlier output
is kept is not run again (its outputs are copied, no provider is called), and a step that made
some kept outputs runs but keeps those as they were. Copies are written under the new revision's own
file names, so removing an old revision's files never touches them.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.files.storage import default_storage

from jobs.dag import Dag
from jobs.models import Output, ProductionJob
from jobs.workflows.base import OutputSpec, Step, StepContext


def for_step(
    job: ProductionJob,
    approved: dict[tuple[str, str], Output],
    steps: list[Step],
    step: str,
) -> tuple[dict[str, Output], bool]:
    """The approved outputs this step keeps, by key, and whether they are all it made.

    An approved output is kept only when nothing of the same item along its chain (the steps
    it was made from and the steps made from it) was sent back: a banner sent back needs its
    copy written again even though the copy alone was approved, and new copy needs a new
    banner.
    """
    if not approved:
        return {}, False
    previous = list(
        Output.objects.filter(job=job, revision=job.revision - 1).values_list(
            "pk", "step", "item", "key"
        )
    )
    approved_ids = {output.pk for output in approved.values()}
    dag = Dag(((s.name, s.depends_on) for s in steps), noun="step")
    chain = dag.ancestors(step) | dag.descendants(step) | {step}
    remade_items = {
        item for pk, name, item, _ in previous if name in chain and pk not in approved_ids
    }
    keeps = {
        key: output
        for (name, key), output in approved.items()
        if name == step and output.item not in remade_items
    }
    made = {key for _, name, _, key in previous if name == step}
    return keeps, bool(made) and made <= set(keeps)


def copy_of(output: Output) -> OutputSpec:
    """An output spec that writes `output` again, unchanged, for the new revision."""
    content = None
    filename = ""
    if output.file:
        with default_storage.open(output.file.name, "rb") as stored:
            content = stored.read()
        # Stored as "<step>-<item>-<filename>"; the new revision stores it under its own prefix.
        stored_name = PurePosixPath(output.file.name).name
        prefix = f"{output.step}-{output.item}-"
        filename = stored_name[len(prefix) :] if stored_name.startswith(prefix) else stored_name
    metadata = dict(output.metadata or {})
    metadata["kept_from"] = {"revision": output.revision, "output_id": output.pk}
    return OutputSpec(
        kind=output.kind,
        key=output.key,
        title=output.title,
        text=output.text,
        content=content,
        filename=filename,
        mime_type=output.mime_type,
        metadata=metadata,
        item=output.item,
        scored_text=(output.metadata or {}).get("text") if output.kind == "image" else None,
    )


def keep_all(context: StepContext, kept: dict[str, Output]) -> bool:
    """The step need not run: its approved outputs are copied as they were. False when a file
    can no longer be read (the step then runs as usual)."""
    try:
        copies = [copy_of(output) for output in sorted(kept.values(), key=_order)]
    except OSError:
        return False
    context.outputs = copies
    revision = context.job.revision - 1
    if len(kept) == 1:
        context.note = (
            f"Not run again: its output approved in revision {revision} is kept as it was."
        )
    else:
        context.note = (
            f"Not run again: its {len(kept)} outputs approved in revision {revision} "
            "are kept as they were."
        )
    return True


def keep_approved(context: StepContext, kept: dict[str, Output]) -> None:
    """The step ran: outputs it made again under an approved key are replaced by the approved
    ones, so only the outputs sent back change."""
    if not kept:
        return
    replaced = 0
    for index, spec in enumerate(context.outputs):
        output = kept.get(spec.key)
        if output is None:
            continue
        try:
            context.outputs[index] = copy_of(output)
        except OSError:
            continue  # the approved file is gone: the new one stands
        replaced += 1
    if replaced:
        revision = context.job.revision - 1
        note = f"Kept {_count(replaced)} approved in revision {revision} as they were."
        context.note = f"{context.note} {note}".strip()


def _count(number: int) -> str:
    return "1 output" if number == 1 else f"{number} outputs"


def _order(output: Output) -> tuple[int, int]:
    return (output.item, output.pk)
