"""Frames that show how the video moves: a crossfade between two scenes, a burned-in caption
and the end card, extracted from one video job rendered through the real workflow.

Run from the project root: `.venv/bin/python docs/deliverables/video_transitions.py`. Like
render.py it seeds the demo client Northwind Coffee with its brand assets in a throwaway
database, runs the job with captions burned in, and writes video-crossfade.png,
video-caption.png, video-end-card.png and the delivered captions (video-captions.srt) here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

TREATMENT = """# Northwind cold brew

## Scene 1: Hook
Narration: Cold brew takes patience, and that is the point.
Visual: Coffee steeping in a glass jar on a kitchen counter.
On-screen text: Steeped for 18 hours

## Scene 2: Craft
Narration: Every batch rests overnight, so it pours smooth and never bitter.
Visual: Cold brew poured over ice.

## Scene 3: Call to action
Narration: Northwind cold brew. Find it in our cafés.
On-screen text: Order at northwind.example
"""


def frame(mp4: Path, seconds: float, target: Path) -> Path:
    from jobs.mediakit.ffmpeg import ffmpeg_exe

    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-ss", f"{seconds:.2f}", "-i", str(mp4)]
        + ["-frames:v", "1", "-vf", "scale=640:-2", "-y", str(target)],
        check=True,
        timeout=120,
    )
    return target


def render() -> list[Path]:
    from jobs import services
    from jobs.inline import run_inline
    from jobs.models import Output
    from production.demo import seed_clients
    from production.demo_assets import seed_demo_assets

    client = seed_clients()["northwind"]
    seed_demo_assets(client)
    job = services.job_create(
        client=client,
        job_type="video",
        title="Northwind cold brew",
        input_data={"treatment": TREATMENT, "durationSeconds": 15, "burnCaptions": True},
        auto_process=True,
    )
    run_inline(job.pk)
    video = Output.objects.get(job=job, key="video")
    starts = video.metadata["scene_starts"]
    captions = Output.objects.get(job=job, key="captions_srt")
    srt = HERE / "video-captions.srt"
    srt.write_text(captions.text, encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        mp4 = Path(tmp) / "video.mp4"
        with video.file.open("rb") as handle:
            mp4.write_bytes(handle.read())
        duration = float(video.metadata["duration_seconds"])
        return [
            frame(mp4, starts[1] - 0.25, HERE / "video-crossfade.png"),
            frame(mp4, starts[1] + 1.2, HERE / "video-caption.png"),
            frame(mp4, duration - 0.3, HERE / "video-end-card.png"),
            srt,
        ]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="deliverables-")
    from bench.harness import bench_database, setup_django

    setup_django()
    with bench_database():
        for path in render():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
