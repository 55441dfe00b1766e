"""Liveness from progress: a step whose work stops (a provider that never answers, an ffmpeg
that stalls) is taken back once its heartbeat timeout passes, even though its worker lives,
and a step whose work keeps reporting progress is left alone however long it runs."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobs.models import JobEvent, ProductionJob, StepRun
from jobs.reconciler import reconcile
from tests.conftest import worker_env
from tests.factories import make_job
from tests.fake_openai_server import FakeOpenAIServer, Reply
from tests.test_worker_process import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
HEARTBEAT = 2  # seconds without progress before a step is taken back


@pytest.fixture
def short_heartbeat(settings):
    settings.STEP_LEASE_SECONDS = HEARTBEAT
    settings.STEP_HEARTBEAT_SECONDS = HEARTBEAT
    settings.STEP_MAX_ATTEMPTS = 2


@contextlib.contextmanager
def stalling_worker(ffmpeg_args: list[str]):
    """A real step worker whose content writer first runs ffmpeg with `ffmpeg_args`."""
    env = worker_env(
        STEP_LEASE_SECONDS=str(HEARTBEAT),
        STEP_HEARTBEAT_SECONDS=str(HEARTBEAT),
        FFMPEG_ARGS="|".join(ffmpeg_args),
    )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "stalling_worker.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def reconcile_until(job: ProductionJob, status: str, timeout: float) -> list[float]:
    """Reconcile until the job reaches `status`; when each running step was taken back."""
    started = time.monotonic()
    taken_back = []
    while ProductionJob.objects.values_list("status", flat=True).get(pk=job.pk) != status:
        assert time.monotonic() - started < timeout, f"job never became {status}"
        report = reconcile()
        if report.requeued_running or report.failed_running:
            taken_back.append(time.monotonic() - started)
        time.sleep(0.2)
    return taken_back


def assert_failed_for_no_progress(job: ProductionJob) -> StepRun:
    job.refresh_from_db()
    run = StepRun.objects.get(job=job)
    assert run.status == "failed" and run.attempt == 2
    assert run.error == (
        f"its worker stopped, or it showed no progress for {HEARTBEAT} s, on each of 2 "
        "attempts (a provider or a render that never answered, or a worker that kept dying)"
    )
    assert job.error.endswith(f": {run.error}")
    recovered = JobEvent.objects.get(job=job, action="step_recovered")
    assert f"showed no progress for {HEARTBEAT} s" in recovered.note
    assert "its worker stopped" in recovered.note
    assert "sent again (attempt 2)" in recovered.note
    return run


def test_a_provider_that_never_answers_is_taken_back_after_its_heartbeat_timeout(
    acme, worker_factory, media_root, short_heartbeat
):
    # The provider's own timeout is ten minutes: only the step's heartbeat can end the wait.
    with FakeOpenAIServer(default=Reply(text="Never sent.", delay=600)) as server:
        env = worker_env(
            OPENAI_BASE_URL=server.base_url,
            TEXT_PROVIDERS="openai,builtin-text",
            STEP_LEASE_SECONDS=str(HEARTBEAT),
            STEP_HEARTBEAT_SECONDS=str(HEARTBEAT),
            PROVIDER_TIMEOUT="600",
        )
        job = make_job(acme, title="Hung provider", auto_process=True)
        worker = worker_factory(burst=False, env=env, threads=4)
        wait_for(lambda: server.request_count >= 1, timeout=60)
        assert worker.process.poll() is None  # the worker lives; the step does not move

        taken_back = reconcile_until(job, "failed", timeout=60)

        assert server.request_count == 2  # one call per attempt, each left hanging
    print(
        f"hung provider call taken back after {taken_back[0]:.1f} s, failed after {taken_back[-1]:.1f} s"
    )
    assert len(taken_back) == 2 and taken_back[-1] < 30
    assert_failed_for_no_progress(job)


def test_an_ffmpeg_that_stalls_is_taken_back_after_its_heartbeat_timeout(
    acme, media_root, short_heartbeat, tmp_path
):
    # ffmpeg waits forever for a writer on this pipe: alive, silent, never progressing.
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)
    job = make_job(acme, title="Stalled render", auto_process=True)
    try:
        with stalling_worker(
            ["-f", "s16le", "-ar", "8000", "-ac", "1", "-i", str(fifo), "-f", "null", "-"]
        ):
            wait_for(lambda: StepRun.objects.filter(job=job, status="running").exists(), 60)
            taken_back = reconcile_until(job, "failed", timeout=60)
    finally:
        # Let the stalled ffmpeg processes see the end of their input and exit.
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    print(f"stalled ffmpeg taken back after {taken_back[0]:.1f} s")
    assert len(taken_back) == 2 and taken_back[-1] < 30
    assert_failed_for_no_progress(job)


def test_an_ffmpeg_that_reports_progress_outlives_its_heartbeat_timeout(
    acme, media_root, short_heartbeat
):
    # Five seconds of audio read at its own pace (-re): ffmpeg reports progress twice a second.
    job = make_job(acme, title="Slow but moving render", auto_process=True)
    args = ["-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-f", "null", "-"]
    with stalling_worker(args):
        taken_back = reconcile_until(job, "review", timeout=60)
    run = StepRun.objects.get(job=job)
    assert taken_back == []
    assert run.status == "succeeded" and run.attempt == 1
    assert run.duration_ms > 2 * HEARTBEAT * 1000  # twice the timeout, never taken back
    assert not JobEvent.objects.filter(job=job, action="step_recovered").exists()
