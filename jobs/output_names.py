"""Names for downloaded outputs, on the dashboard and in the API: what a person would call
the file, not its storage key.

"northwind-cold-brew-launch-video-r2.mp4": the client, the job's title, which output, and
the revision, in ASCII so every browser and file system keeps it.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.utils.text import slugify

from jobs.models import Output, ProductionJob

TEXT_EXTENSIONS = {"markdown": "md", "text": "txt", "html": "html", "json": "json"}
MAX_STEM = 120


def extension_for(output: Output) -> str:
    if output.file:
        suffix = PurePosixPath(output.file.name).suffix.lstrip(".")
        if suffix:
            return suffix.lower()
    return TEXT_EXTENSIONS.get(output.kind, "txt")


def download_name(job: ProductionJob, output: Output) -> str:
    client = slugify(job.client.slug or job.client.name)
    title = slugify(job.title)
    what = slugify(output.title or "")
    if not what or what == title:
        # The finished piece carries the job's own title: name it by its kind.
        what = slugify((output.key or output.kind).replace("_", " "))
    # A title that already starts with the client's name does not repeat it.
    parts = [title] if title.startswith(client) else [client, title]
    stem = "-".join(p for p in (*parts, what) if p)[:MAX_STEM].strip("-") or "output"
    return f"{stem}-r{output.revision}.{extension_for(output)}"
