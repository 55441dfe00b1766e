"""The workflow shapes of the single-purpose job types; a job type's spec names its shape."""

from __future__ import annotations

from jobs.job_types.spec import JobTypeSpec
from jobs.workflows.base import Step, Workflow, static_steps
from jobs.workflows.copy import write_copy
from jobs.workflows.video import video_steps
from jobs.workflows.visual import render_images
from jobs.workflows.voice import narrate


def write_only(spec: JobTypeSpec) -> Workflow:
    """One step: the copy, written by the spec's writer (or a hosted model)."""
    return Workflow(spec.key, spec.label, static_steps(Step("write", spec.write_label, write_copy)))


def copy_then_images(spec: JobTypeSpec) -> Workflow:
    """The image copy, then each image rendered as an item of a fan-out."""
    return Workflow(
        spec.key,
        spec.label,
        static_steps(
            Step("copy", spec.write_label, write_copy),
            Step(
                "render",
                "Render the images",
                render_images,
                kind="fanout",
                depends_on=("copy",),
                capability="image",
            ),
        ),
    )


def script_then_narration(spec: JobTypeSpec) -> Workflow:
    """The script, then its narration recorded as an item of a fan-out."""
    return Workflow(
        spec.key,
        spec.label,
        static_steps(
            Step("script", spec.write_label, write_copy),
            Step(
                "narration",
                "Record the narration",
                narrate,
                kind="fanout",
                depends_on=("script",),
                capability="speech",
            ),
        ),
    )


def video(spec: JobTypeSpec) -> Workflow:
    """Plan, media, scenes and the join: the steps follow the job's own plan."""
    return Workflow(spec.key, spec.label, video_steps)
