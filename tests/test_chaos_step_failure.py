"""The "a step fails permanently" scenario's fault and audit, in this process.

The fault (chaos/broken_speech.py) fails one narration on every attempt; the audit passes a
run where each job with it failed at that step, saying why, with nothing left open, and fails
one where a step waits forever, a job never settles or its error names an exception. The
scenario itself runs on real workers in tests/test_chaos.py.
"""

from __future__ import annotations

import os

import pytest

from chaos import broken_speech
from chaos.audit import permanent_failure_audit, wait_closed
from jobs import services
from jobs.engine import states
from jobs.inline import run_inline
from jobs.job_types.specs import JOB_TYPE_SPECS
from jobs.mediakit.speech import espeak_available
from jobs.models import ProductionJob, StepRun, StepStatus
from jobs.workflows import workflow_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng is not installed"),
]


@pytest.fixture
def broken(monkeypatch, tmp_path):
    """This process's PATH with the speech engine that cannot read the marker word."""
    env = broken_speech.install(tmp_path / "bin", os.environ["PATH"])
    assert env is not None
    monkeypatch.setenv("PATH", env["PATH"])


def run(acme, key: str, inputs: dict) -> ProductionJob:
    job = services.job_create(
        client=acme, job_type=key, title=key, input_data=inputs, auto_process=True
    )
    run_inline(job.pk)
    job.refresh_from_db()
    return job


def faulty_video(acme) -> ProductionJob:
    inputs = {**JOB_TYPE_SPECS["video"].demo_inputs, "treatment": broken_speech.TREATMENT}
    return run(acme, "video", inputs)


def test_the_marked_narration_fails_at_its_step_and_the_others_finish(
    acme, broken, media_root, clean_queues
):
    video = faulty_video(acme)
    voice = run(
        acme, "voice", {**JOB_TYPE_SPECS["voice"].demo_inputs, "topic": broken_speech.VOICE_TOPIC}
    )
    fine = run(acme, "voice", dict(JOB_TYPE_SPECS["voice"].demo_inputs))

    assert (video.status, voice.status, fine.status) == ("failed", "failed", "review")
    assert video.error.startswith("Narrate scene 2: ") and broken_speech.MARKER in video.error
    assert voice.error.startswith("Record the narration: ")
    result = permanent_failure_audit([video.pk, voice.pk], [fine.pk], media_root, 1.0)
    assert result.clean, result.line("a step fails permanently")
    assert (result.tries, result.finished, result.failed) == (3, 3, 2)
    # The video's timeline and render wait on every narration: they never opened.
    assert "steps after the failed one never opened" in result.detail
    assert "settled in 1.0 s" in result.line("a step fails permanently")


def test_a_step_left_queued_after_the_failure_fails_the_audit(
    acme, broken, media_root, clean_queues
):
    video = faulty_video(acme)
    steps = workflow_for(video).steps(video)
    never_opened = [s for s in steps if not StepRun.objects.filter(job=video, step=s.name)]
    assert never_opened  # the timeline and the render
    states.create(
        job=video,
        step=never_opened[-1].name,
        revision=video.revision,
        status=StepStatus.QUEUED,
        rq_job_id="lost",
    )

    assert wait_closed([video.pk], timeout=0.5) is None
    result = permanent_failure_audit([video.pk], [], media_root, None)
    assert not result.clean
    assert f"{never_opened[-1].name} queued after speech:s2 failed" in result.line("x")
    assert "never" in result.line("x")


def test_a_job_left_waiting_or_an_error_naming_an_exception_fails_the_audit(
    acme, broken, media_root, clean_queues
):
    video = faulty_video(acme)
    ProductionJob.objects.filter(pk=video.pk).update(
        error="Narrate scene 2: SpeechError: espeak-ng failed (1)"
    )
    stuck = services.job_create(
        client=acme,
        job_type="content",
        title="stuck",
        input_data=dict(JOB_TYPE_SPECS["content"].demo_inputs),
        auto_process=False,
    )

    result = permanent_failure_audit([video.pk, stuck.pk], [], media_root, None)
    assert not result.clean and result.lost == 1
    assert any("names an exception" in problem for problem in result.problems)
    assert any("ended pending, not failed" in problem for problem in result.problems)
