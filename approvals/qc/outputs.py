"""QC of stored outputs: reads each output's text or file and keeps its findings with it.

Findings are stored in the output's metadata under "qc" with the checksum they were made
for, so a page or the API shows them without reading the file again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage

from approvals.qc.brief import Brief, brief_from_inputs
from approvals.qc.sentinel import Deliverable, check_deliverable
from jobs.models import Output, ProductionJob

CHECKED_KINDS = frozenset({"text", "markdown", "html", "image", "audio", "video"})


def brief_for(job: ProductionJob) -> Brief:
    return brief_from_inputs(
        title=job.title, description=job.description, inputs=job.input_data or {}
    )


@contextmanager
def _local_copy(output: Output) -> Iterator[Path | None]:
    """A path ffmpeg can read: the stored file itself when storage is local, else a copy."""
    name = output.file.name
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy:
        with default_storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _read(output: Output) -> bytes:
    with default_storage.open(output.file.name, "rb") as stored:
        return stored.read()


def findings_for(output: Output, brief: Brief) -> list[dict[str, Any]]:
    """Run QC on one output now."""
    if output.kind not in CHECKED_KINDS:
        return []
    common: dict[str, Any] = {
        "kind": output.kind,
        "text": output.text,
        "key": output.key,
        "primary": bool(brief.content_type) and output.key == brief.content_type,
        "metadata": output.metadata or {},
    }
    if output.kind in ("image", "audio"):
        if not output.file:
            return []
        common["data"] = _read(output)
    if output.kind == "video":
        if not output.file:
            return []
        with _local_copy(output) as path:
            found = check_deliverable(Deliverable(**common, path=path), brief)
        return [f.as_dict() for f in found]
    return [f.as_dict() for f in check_deliverable(Deliverable(**common), brief)]


def stored_findings(output: Output) -> list[dict[str, Any]] | None:
    """The findings kept with the output, or None when it was never checked as it is now."""
    qc = (output.metadata or {}).get("qc")
    if isinstance(qc, dict) and qc.get("checksum", "") == output.checksum:
        return list(qc.get("findings") or [])
    return None


def run_qc(
    job: ProductionJob, outputs: list[Output], *, save: bool = True
) -> dict[int, list[dict[str, Any]]]:
    """Findings of each output, checked now unless already checked, kept in its metadata
    (saved here with save=True; otherwise the caller saves the outputs' metadata)."""
    brief = brief_for(job)
    results: dict[int, list[dict[str, Any]]] = {}
    checked = []
    for output in outputs:
        found = stored_findings(output)
        if found is None:
            found = findings_for(output, brief)
            output.metadata = {
                **(output.metadata or {}),
                "qc": {"checksum": output.checksum, "findings": found},
            }
            checked.append(output)
        results[output.pk] = found
    if save and checked:
        Output.objects.bulk_update(checked, ["metadata"])
    return results


def blocking(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f.get("severity") == "blocking"]
