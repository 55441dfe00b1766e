"""RQ entry point of the publishing app: takes an id and runs the publication."""

from __future__ import annotations

from publishing import auto, runner


def run_publication(publication_id: int) -> str:
    return runner.run(publication_id)


def publish_automatically(job_id: str) -> int:
    return auto.publish_automatically(job_id)
