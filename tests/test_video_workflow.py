"""A video job end to end: treatment, manifest, a DAG of media steps on two real workers, an MP4."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from jobs import engine
from jobs.mediakit.ffmpeg import probe
from jobs.models import Manifest, Output, ProductionJob, Status, StepRun, StepStatus
from jobs.planner import validate_manifest
from jobs.services import job_create

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TREATMENT_30S = """# Trailhead Repair Service: a 30-second explainer

## Scene 1: Hook
Narration: Your favourite boots deserve a second life.
Visual: Worn hiking boots on a wooden bench, morning light.
On-screen text: Repair, don't replace

## Scene 2: The service
VO: Bring them to any Acme store and our cobblers rebuild soles, seams and laces in a week.
Visual: A cobbler stitching a leather boot in a bright workshop.
On-screen text: Ready in 7 days

## Scene 3: In numbers
Narration: Every year we repair more pairs than the last.
Chart: Pairs repaired per year
- 2022: 1200
- 2023: 1850
- 2024: 2600

## Scene 4: Call to action
Narration: Book your repair today at your nearest store.
Visual: A hiker lacing repaired boots at a trailhead.
On-screen text: Book a repair
Music: upbeat acoustic
"""

TREATMENT_VERTICAL = """## Scene 1: Hook
VO: Meet the lantern that lasts all weekend.
Visual: A glowing lantern at a dusk campsite.

## Scene 2: Call to action
VO: Find it in every Acme store.
On-screen text: Shop the lantern
"""

# Timecodes that run to 40 seconds in a 10-second video: the planner must rescale them.
TREATMENT_OVERLONG = """SCENE 1 - HOOK (0:00-0:20)
VO: Meet the lantern that lasts all weekend.
Visual: A glowing lantern at a dusk campsite.

SCENE 2 - CTA (0:20-0:40)
VO: Find it in every Acme store.
On-screen text: Shop the lantern
"""

MEDIA_KINDS = ("speech", "image", "chart", "music")


def wait_for_status(job: ProductionJob, statuses: tuple[str, ...], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return
        time.sleep(0.2)
    runs = list(StepRun.objects.filter(job=job).values_list("step", "status", "error"))
    raise AssertionError(f"job stayed {job.status} after {timeout}s; steps: {runs}")


def create_video(client: Any, title: str, treatment: str, **settings: Any) -> ProductionJob:
    return job_create(
        client=client,
        job_type="video",
        title=title,
        input_data={"treatment": treatment, **settings},
        auto_process=True,
    )


def produce(job: ProductionJob, worker_factory: Any, timeout: float = 180) -> ProductionJob:
    """Two real workers take the job's DAG until it waits for review."""
    for _ in range(2):
        worker_factory(burst=False)
    wait_for_status(job, (Status.REVIEW, Status.FAILED), timeout)
    assert job.status == Status.REVIEW, job.error
    return job


def video_file(job: ProductionJob, tmp_path: Path) -> Path:
    output = Output.objects.get(job=job, kind="video")
    path = tmp_path / "read-back.mp4"
    with default_storage.open(output.file.name, "rb") as handle:
        path.write_bytes(handle.read())
    return path


def test_a_four_scene_treatment_becomes_a_thirty_second_mp4_through_two_workers(
    acme, worker_factory, media_root, tmp_path
):
    job = create_video(
        acme,
        "Trailhead repair explainer",
        TREATMENT_30S,
        durationSeconds=30,
        aspectRatio="16:9",
        platform="youtube",
    )
    produce(job, worker_factory)

    record = Manifest.objects.get(job=job)
    assert record.valid and validate_manifest(record.manifest) == []
    assert isinstance(record.repairs, list) and isinstance(record.warnings, list)
    assert not record.used_fallback and not record.used_model
    meta = record.manifest["metadata"]
    assert (meta["duration_seconds"], meta["aspect_ratio"]) == (30, "16:9")
    width, height = meta["resolution"]["width"], meta["resolution"]["height"]
    assert (width, height) == (1280, 720)
    scenes = record.manifest["scenes"]
    assert [s["purpose"] for s in scenes] == ["hook", "content", "proof", "cta"]

    info = probe(video_file(job, tmp_path))
    assert abs(info.duration_seconds - 30) <= 0.3
    assert (info.width, info.height) == (width, height)
    assert info.has_video and info.has_audio

    runs = {run.step: run for run in StepRun.objects.filter(job=job)}
    assert all(run.status == StepStatus.SUCCEEDED for run in runs.values())
    voiced = [s["id"] for s in scenes if s["narration"]]
    assert len(voiced) == 4
    assert {f"speech:{sid}" for sid in voiced} <= set(runs)
    assert {"image:s1", "image:s2", "image:s4", "chart:s3"} <= set(runs)
    assert "image:s3" not in runs  # the data scene gets a chart, not a picture
    assert {"plan", "music:bed", "timeline", "render"} <= set(runs)
    segments = [runs[f"segment:s{n}"] for n in range(1, 5)]
    assert len(runs) == 1 + 4 + 3 + 1 + 1 + 1 + 4 + 1
    # Every scene renders after the timeline is fitted, the join after every scene.
    assert all(run.started_at >= runs["timeline"].finished_at for run in segments)
    assert runs["render"].started_at >= max(run.finished_at for run in segments)

    media = [run for name, run in runs.items() if name.split(":")[0] in MEDIA_KINDS]
    assert len(media) == 9
    assert runs["render"].started_at >= max(run.finished_at for run in media)
    assert runs["render"].started_at >= runs["timeline"].finished_at
    assert all(run.started_at >= runs["plan"].finished_at for run in media)
    # Two workers took the media steps side by side: at least two of them overlapped in time.
    overlaps = sum(
        1
        for a in media
        for b in media
        if a.pk < b.pk and a.started_at < b.finished_at and b.started_at < a.finished_at
    )
    assert overlaps >= 1

    timeline = json.loads(Output.objects.get(job=job, step="timeline", key="timeline").text)
    srt = Output.objects.get(job=job, step="timeline", key="captions_srt")
    vtt = Output.objects.get(job=job, step="timeline", key="captions_vtt")
    assert srt.text.startswith("1\n00:00:00") and "Your favourite boots" in srt.text
    assert vtt.text.startswith("WEBVTT") and vtt.file.name.endswith(".vtt")
    tracks = timeline["timeline"]["tracks"]
    assert len(tracks) >= 3
    clips = [clip for track in tracks for clip in track["clips"]]
    assert any(clip["asset"]["type"] == "image" for clip in clips)
    assert any(clip["asset"]["type"] == "audio" for clip in clips)
    assert (timeline["output"]["size"]["width"], timeline["output"]["size"]["height"]) == (
        1280,
        720,
    )
    plan_output = Output.objects.get(job=job, step="plan", key="manifest")
    assert plan_output.safety_score is not None
    assert not [f for f in plan_output.safety_flags if f["category"] == "placeholder_text"]
    charts = Output.objects.get(job=job, step="chart:s3")
    assert [d["label"] for d in charts.metadata["data"]] == ["2022", "2023", "2024"]


def test_a_vertical_video_renders_at_720_by_1280(acme, worker_factory, media_root, tmp_path):
    job = create_video(
        acme,
        "Lantern short",
        TREATMENT_VERTICAL,
        durationSeconds=10,
        aspectRatio="9:16",
        platform="tiktok",
    )
    produce(job, worker_factory)

    meta = Manifest.objects.get(job=job).manifest["metadata"]
    assert (meta["resolution"]["width"], meta["resolution"]["height"]) == (720, 1280)
    info = probe(video_file(job, tmp_path))
    assert (info.width, info.height) == (720, 1280)
    assert abs(info.duration_seconds - 10) <= 0.3 and info.has_audio
    frame = Output.objects.get(job=job, step="image:s1")
    assert (frame.metadata["width"], frame.metadata["height"]) == (720, 1280)


def test_timecodes_beyond_the_duration_are_rescaled_and_noted_on_the_plan_step(
    acme, worker_factory, media_root, tmp_path
):
    job = create_video(
        acme, "Overlong lantern", TREATMENT_OVERLONG, durationSeconds=10, aspectRatio="16:9"
    )
    produce(job, worker_factory)

    record = Manifest.objects.get(job=job)
    assert record.valid and validate_manifest(record.manifest) == []
    notes = record.repairs + record.warnings
    assert any("Scaled" in note and "40" in note for note in notes)
    scenes = record.manifest["scenes"]
    assert sum(s["duration"] for s in scenes) == pytest.approx(10, abs=0.01)
    assert scenes[-1]["start"] + scenes[-1]["duration"] <= 10.01
    plan_run = StepRun.objects.get(job=job, step="plan")
    assert "Scaled" in plan_run.note
    assert abs(probe(video_file(job, tmp_path)).duration_seconds - 10) <= 0.3


def test_a_treatment_without_scenes_falls_back_to_a_minimal_manifest_for_manual_review(acme):
    job = create_video(acme, "Just a wish", "!!! ??? ... --- *** ### !!!", durationSeconds=10)
    # Only the plan runs here: the fallback's media steps are like any other job's.
    plan_run = StepRun.objects.get(job=job, step="plan")
    assert engine.run_step(plan_run.pk, plan_run.attempt) == "succeeded"
    record = Manifest.objects.get(job=job)
    assert record.used_fallback and record.valid
    assert validate_manifest(record.manifest) == []
    assert any("minimal" in warning for warning in record.warnings)
    plan_run.refresh_from_db()
    assert "minimal" in plan_run.note
