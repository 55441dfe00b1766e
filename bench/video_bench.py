"""Video benchmark: planning a 60-scene treatment, and treatment to finished MP4 on two workers."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import planner_bench  # noqa: E402
from bench.harness import Workers, wait_until  # noqa: E402

VIDEO_SECONDS = 60
TARGET_SECONDS = 300.0  # the studio's target: a finished video in under five minutes
GOAL_SECONDS = 8.0  # this bench's goal with two workers

SIX_SCENES = """# Ridgeline boots: the 60-second story

## Scene 1: Hook (0:00-0:08)
Narration: Every trail starts with one step, and every step needs a boot you can trust.
Visual: A hiker at dawn on a misty ridge.
On-screen text: One step at a time

## Scene 2: The problem (0:08-0:18)
Narration: Wet rock, loose gravel and long descents wear ordinary boots out in a season.
Visual: Worn boots slipping on a wet granite slab.

## Scene 3: The boot (0:18-0:30)
VO: The Ridgeline has a new grip compound and a stitched welt our cobblers can rebuild.
Visual: Close-up of the Ridgeline sole on wet rock.
On-screen text: Grip that holds

## Scene 4: In numbers (0:30-0:40)
Narration: Walkers who switched report fewer slips every year.
Chart: Reported slips per 100 walkers
- 2022: 18
- 2023: 11
- 2024: 6

## Scene 5: Repair, don't replace (0:40-0:50)
Narration: And when the sole is done, bring it back: we resole it in a week.
Visual: A cobbler resoling a boot in a bright workshop.
On-screen text: Resoled in 7 days

## Scene 6: Call to action (0:50-1:00)
Narration: Try a pair this weekend at your nearest store.
Visual: The store front at golden hour.
On-screen text: Try a pair
Music: warm acoustic
"""


def treatment_to_mp4(database_url: str) -> dict[str, float | str]:
    """Seconds from creating the job to the job waiting for review with its MP4, two workers."""
    from jobs import services
    from jobs.mediakit.ffmpeg import probe
    from jobs.models import Output, ProductionJob, Status, StepRun
    from production.demo import seed_clients

    client = seed_clients()["helix"]  # reviewers decide there: the job stops at review
    with tempfile.TemporaryDirectory() as media:
        # Step workers, as the launcher runs them: each takes many steps at once, so the
        # scenes render side by side. They do not wait for RQ's suspension: start the clock
        # before the job exists.
        with Workers(2, database_url, command="stepworker", MEDIA_ROOT=media) as workers:
            started = workers.go()
            job = services.job_create(
                client=client,
                job_type="video",
                title="Ridgeline boots: the 60-second story",
                input_data={
                    "treatment": SIX_SCENES,
                    "durationSeconds": VIDEO_SECONDS,
                    "aspectRatio": "16:9",
                    "platform": "youtube",
                },
                auto_process=True,
            )
            settled = ProductionJob.objects.filter(
                pk=job.pk, status__in=(Status.REVIEW, Status.FAILED)
            )
            finished = wait_until(settled.exists, timeout=900, interval=0.2)
        job.refresh_from_db()
        if job.status != Status.REVIEW:
            raise RuntimeError(f"the bench video failed: {job.error}")
        video = Output.objects.get(job=job, kind="video")
        info = probe(Path(media) / video.file.name)
    runs = StepRun.objects.filter(job=job)
    render = runs.get(step="render")
    segments = [r.duration_ms / 1000 for r in runs.filter(step__startswith="segment:")]
    plan_run, timeline = runs.get(step="plan"), runs.get(step="timeline")
    first_segment = min(r.started_at for r in runs.filter(step__startswith="segment:"))
    phases = {
        "plan": (plan_run.finished_at - plan_run.started_at).total_seconds(),
        "media": (timeline.started_at - plan_run.finished_at).total_seconds(),
        "timeline": (timeline.finished_at - timeline.started_at).total_seconds(),
        "segments": (render.started_at - first_segment).total_seconds(),
        "join": (render.finished_at - render.started_at).total_seconds(),
    }
    return {
        "phases": " / ".join(f"{value:.1f}" for value in phases.values()),
        "wall_s": finished - started,
        "steps": runs.count(),
        "render_s": render.duration_ms / 1000,
        "segment_max_s": max(segments, default=0.0),
        "segment_sum_s": sum(segments),
        "step_time_s": sum(
            (r.finished_at - r.started_at).total_seconds()
            for r in runs.exclude(started_at=None).exclude(finished_at=None)
        ),
        "duration_s": info.duration_seconds,
        "resolution": f"{info.width}x{info.height}",
    }


def run(database_url: str) -> list[tuple[str, str]]:
    figures = planner_bench.run()
    started = time.perf_counter()
    video = treatment_to_mp4(database_url)
    total = time.perf_counter() - started
    wall = float(video["wall_s"])
    return [
        (
            f"plan: parse + validate + decompose, {planner_bench.SCENES} scenes (ms, median)",
            f"{figures['parse_validate_decompose_ms']:.2f}",
        ),
        (
            f"plan: parse alone (ms; budget {planner_bench.PARSE_BUDGET_MS:.0f})",
            f"{figures['parse_ms']:.2f}",
        ),
        (
            f"plan: whole planner, {planner_bench.SCENES} scenes (ms, median)",
            f"{figures['plan_ms']:.2f}",
        ),
        (
            f"video: treatment to MP4, {VIDEO_SECONDS} s / 6 scenes, 2 workers (s)",
            f"{wall:.1f}",
        ),
        (
            "video: scene renders in parallel, longest / summed (s)",
            f"{float(video['segment_max_s']):.1f} / {float(video['segment_sum_s']):.1f}",
        ),
        ("video: join of the scenes, picture copied (s)", f"{float(video['render_s']):.1f}"),
        ("video: plan / media / timeline / scenes / join, wall (s)", str(video["phases"])),
        (
            "video: step time summed over both workers (s)",
            f"{float(video['step_time_s']):.1f}",
        ),
        ("video: steps in the DAG (plan included)", str(video["steps"])),
        (
            "video: MP4 read back (duration s, resolution)",
            f"{float(video['duration_s']):.2f}, {video['resolution']}",
        ),
        (f"video: within the {TARGET_SECONDS:.0f} s target", str(wall < TARGET_SECONDS)),
        (f"video: within the {GOAL_SECONDS:.0f} s goal", str(wall <= GOAL_SECONDS)),
        ("video: bench total incl. worker start (s)", f"{total:.1f}"),
    ]


if __name__ == "__main__":
    from bench.harness import bench_database, setup_django

    setup_django()
    with bench_database() as url:
        for label, value in run(url):
            print(f"  {label:<66} {value}")
