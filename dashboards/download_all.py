""" "Download all": every output of one revision of a job in a zip, for those who may see the job."""

from __future__ import annotations

import tempfile
import zipfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from dashboards import selectors
from jobs.models import Output
from jobs.output_names import download_name

# Archives stay in memory up to this size, then spill to a temporary file.
IN_MEMORY = 16 * 1024 * 1024
# Pictures, sound and video are compressed already; deflating them again costs time for nothing.
STORED_KINDS = frozenset({"image", "audio", "video"})


@login_required
@require_GET
def download_all(request: HttpRequest, job_id: Any, revision: int) -> FileResponse:
    job = selectors.scoped_job(request.user, job_id)  # 404 for another client's job
    outputs = selectors.outputs_for(job, revision)
    if not outputs:
        raise Http404(f"Revision {revision} of this job has no outputs.")
    # FileResponse closes the archive once it is sent.
    archive = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w") as bundle:
        for name, output in _named(job, outputs):
            method = zipfile.ZIP_STORED if output.kind in STORED_KINDS else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=output.created_at.timetuple()[:6])
            info.compress_type = method
            if output.file:
                with output.file.open("rb") as source, bundle.open(info, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
            else:
                bundle.writestr(info, output.text.encode("utf-8"))
    archive.seek(0)
    stem = slugify(f"{job.client.slug}-{job.title}")[:100] or "job"
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"{stem}-r{revision}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _named(job: Any, outputs: list[Output]) -> list[tuple[str, Output]]:
    """Each output with its download name, numbered when two would share one."""
    named: list[tuple[str, Output]] = []
    taken: set[str] = set()
    for output in outputs:
        name = download_name(job, output)
        stem, dot, ext = name.rpartition(".")
        number = 2
        while name in taken:
            name = f"{stem}-{number}.{ext}" if dot else f"{name}-{number}"
            number += 1
        taken.add(name)
        named.append((name, output))
    return named
