"""Every job type's workflow, declared in one place."""

from __future__ import annotations

from jobs.workflows.base import Step, Workflow, static_steps
from jobs.workflows.copy import write_copy
from jobs.workflows.video import video_steps
from jobs.workflows.visual import render_images
from jobs.workflows.voice import narrate


def _copy_workflow(name: str, label: str, step_label: str) -> Workflow:
    return Workflow(name, label, static_steps(Step("write", step_label, write_copy)))


WORKFLOWS: dict[str, Workflow] = {
    "content": _copy_workflow("content", "Content", "Write the content"),
    "brand": _copy_workflow("brand", "Brand", "Write the brand document"),
    "social": _copy_workflow("social", "Social", "Write the posts"),
    "seo": _copy_workflow("seo", "SEO", "Write the SEO deliverables"),
    "website": _copy_workflow("website", "Website", "Write the page copy"),
    "visual": Workflow(
        "visual",
        "Visual",
        static_steps(
            Step("copy", "Write the image copy", write_copy),
            Step(
                "render",
                "Render the images",
                render_images,
                kind="fanout",
                depends_on=("copy",),
                capability="image",
            ),
        ),
    ),
    "voice": Workflow(
        "voice",
        "Voice",
        static_steps(
            Step("script", "Write the script", write_copy),
            Step(
                "narration",
                "Record the narration",
                narrate,
                kind="fanout",
                depends_on=("script",),
                capability="speech",
            ),
        ),
    ),
    "video": Workflow("video", "Video", video_steps),
}
