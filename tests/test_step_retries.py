"""A failing step is retried with backoff, then fails the job visibly; a retry resumes it."""

from __future__ import annotations

import pytest

from jobs import services
from jobs.inline import run_inline
from jobs.models import JobEvent, Output, ProductionJob, StepRun
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)

BANNER = {"visualType": "banner", "headline": "Pack light", "sizes": ["1200x628"]}


@pytest.fixture
def broken_storage(settings, tmp_path):
    """File storage whose folder is a regular file: every save fails with an OSError."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker), "base_url": "/media/"},
        },
    }
    settings.STEP_RETRY_DELAYS = [0]
    settings.STEP_MAX_ATTEMPTS = 3
    return settings


def test_a_failing_step_is_retried_and_then_fails_the_job_with_the_error(
    acme, broken_storage, clean_queues
):
    job = make_job(acme, job_type="visual", inputs=BANNER, auto_process=True)
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "Render the images" in job.error
    render = StepRun.objects.get(job=job, step="render")
    assert render.status == "failed" and render.attempt == 3
    assert "Errno" in render.error or "Error" in render.error
    retries = JobEvent.objects.filter(job=job, action="step_retry")
    assert [e.payload["attempt"] for e in retries] == [1, 2]
    failed = JobEvent.objects.get(job=job, to_status="failed")
    assert "failed after 3 attempts" in failed.note
    # The step that succeeded kept its output.
    assert Output.objects.filter(job=job, step="copy").count() == 1


def test_retrying_a_failed_job_resumes_from_the_failed_step(
    acme, broken_storage, tmp_path, clean_queues
):
    job = make_job(acme, job_type="visual", inputs=BANNER, auto_process=True)
    run_inline(job.pk)
    copy_run = StepRun.objects.get(job=job, step="copy")
    assert ProductionJob.objects.get(pk=job.pk).status == "failed"
    broken_storage.STORAGES = {
        **broken_storage.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": "/media/"},
        },
    }
    services.job_retry(job=ProductionJob.objects.get(pk=job.pk))
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review"
    # Only the failed step ran again: the copy step kept its first result.
    assert StepRun.objects.get(job=job, step="copy").finished_at == copy_run.finished_at
    assert Output.objects.filter(job=job, kind="image").count() == 1
