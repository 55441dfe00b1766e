"""A video whose last scene is a chart, rendered through the real workflow: a frame of the
chart (the brand's font, colours and logo) and the closing frame (the end card after it).

Run from the project root: `.venv/bin/python docs/deliverables/chart_closing.py`. Like
video_transitions.py it seeds Northwind Coffee with its brand assets in a throwaway database,
adds DejaVu Serif Bold as its brand font (from the system's fonts), runs the job and writes
video-chart.png and video-chart-end-card.png here.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")

TREATMENT = """# Northwind in numbers

## Scene 1: Hook
Narration: Cold brew takes patience, and our regulars noticed.
Visual: Coffee steeping in a glass jar on a kitchen counter.
On-screen text: Steeped for 18 hours

## Scene 2: In numbers
Narration: Every year more of them order it by the litre.
Chart: Litres of cold brew sold per month
- 2024: 1200
- 2025: 1850
- 2026: 2600
"""


def render() -> list[Path]:
    sys.path.insert(0, str(HERE))
    from video_transitions import frame

    from jobs import services
    from jobs.inline import run_inline
    from jobs.models import Output
    from production.brand_library import brand_asset_create
    from production.demo import seed_clients
    from production.demo_assets import seed_demo_assets

    client = seed_clients()["northwind"]
    seed_demo_assets(client)
    if SERIF.exists():
        brand_asset_create(
            client=client, kind="font", data=SERIF.read_bytes(), title="Headlines", user=None
        )
    job = services.job_create(
        client=client,
        job_type="video",
        title="Northwind in numbers",
        input_data={"treatment": TREATMENT, "durationSeconds": 12},
        auto_process=True,
    )
    run_inline(job.pk)
    video = Output.objects.get(job=job, key="video")
    starts = video.metadata["scene_starts"]
    with tempfile.TemporaryDirectory() as tmp:
        mp4 = Path(tmp) / "video.mp4"
        with video.file.open("rb") as handle:
            mp4.write_bytes(handle.read())
        duration = float(video.metadata["duration_seconds"])
        return [
            frame(mp4, starts[-1] + 1.0, HERE / "video-chart.png"),
            frame(mp4, duration - 0.2, HERE / "video-chart-end-card.png"),
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
