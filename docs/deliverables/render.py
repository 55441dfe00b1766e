"""Regenerates the example images in this folder through the real visual workflow.

Run from the project root: `.venv/bin/python docs/deliverables/render.py`. It seeds the demo
client Northwind Coffee in a throwaway database with its brand assets (the logo and photos
that `seed_demo` uploads), runs one visual job per image through the workflow engine with
the built-in providers, and copies each stored PNG here. Then it renders one video job and
extracts a frame from the middle of each scene of the MP4 (video-frame-N.png).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# (file name, inputs of one visual job that renders exactly one image)
IMAGES: list[tuple[str, dict[str, Any]]] = [
    (
        "banner-1200x628.png",
        {
            "visualType": "banner",
            "headline": "Autumn roasts are here",
            "subline": "Small-batch coffee, roasted within 48 hours of shipping",
            "callToAction": "Shop the roasts",
            "sizes": ["1200x628"],
        },
    ),
    (
        "banner-728x90.png",
        {
            "visualType": "banner",
            "headline": "Autumn roasts are here",
            "subline": "Roasted within 48 hours of shipping",
            "callToAction": "Shop the roasts",
            "sizes": ["728x90"],
        },
    ),
    (
        "banner-300x250.png",
        {
            "visualType": "banner",
            "headline": "Slow-steeped cold brew",
            "subline": "Bottled by hand in Portland",
            "callToAction": "Order today",
            "sizes": ["300x250"],
        },
    ),
    (
        "social-1080x1080.png",
        {
            "visualType": "social_image",
            "headline": "Iced cold brew with milk is back",
            "subline": "Smooth, low in acidity, poured over ice",
            "callToAction": "Order today",
            "sizes": ["1080x1080"],
        },
    ),
    (
        "infographic-1080x1350.png",
        {
            "visualType": "infographic",
            "headline": "Where our partner farms are",
            "subline": "Partner farms by country",
            "data": [
                {"label": "Colombia", "value": 6},
                {"label": "Ethiopia", "value": 5},
                {"label": "Guatemala", "value": 3},
            ],
            "sizes": ["1080x1350"],
        },
    ),
    (
        "logo-512x512.png",
        {
            "visualType": "logo",
            "headline": "Northwind Cold Brew",
            "style": "minimal",
            "sizes": ["512x512"],
        },
    ),
]

VIDEO_TREATMENT = """## Scene 1: Beans
Narration: Great cold brew starts with beans roasted close to home, in Portland.
Visual: Close-up of freshly roasted coffee beans.

## Scene 2: The wait
Narration: We steep every batch for 18 hours in cold water, never heat.
Visual: A kitchen timer ticking beside the steeping jars.

## Scene 3: Bottled
Narration: Then we bottle it by hand, one batch at a time.
Visual: Cold brew bottles lined up on the counter.

## Scene 4: Serve
Narration: Pour it over ice and add a splash of milk.
Visual: An iced cold brew glass with milk.

## Scene 5: Call to action
Narration: Northwind cold brew. Find it in our cafés.
On-screen text: Order at northwind.example
"""


def render_all() -> list[Path]:
    from jobs import services
    from jobs.inline import run_inline
    from jobs.models import Output
    from production.demo import seed_clients
    from production.demo_assets import seed_demo_assets

    client = seed_clients()["northwind"]
    seed_demo_assets(client)
    written = []
    for name, inputs in IMAGES:
        job = services.job_create(
            client=client,
            job_type="visual",
            title=f"Example {name}",
            input_data=inputs,
            auto_process=True,
        )
        run_inline(job.pk)
        image = Output.objects.get(job=job, step="render")
        with image.file.open("rb") as handle:
            target = HERE / name
            target.write_bytes(handle.read())
        written.append(target)
    return written + render_video_frames(client)


def render_video_frames(client: Any) -> list[Path]:
    """One video job through every step, then a frame from the middle of each scene."""
    import subprocess

    from jobs import services
    from jobs.inline import run_inline
    from jobs.mediakit.ffmpeg import ffmpeg_exe
    from jobs.models import Manifest, Output

    job = services.job_create(
        client=client,
        job_type="video",
        title="Northwind cold brew",
        input_data={"treatment": VIDEO_TREATMENT, "durationSeconds": 20},
        auto_process=True,
    )
    run_inline(job.pk)
    video = Output.objects.get(job=job, kind="video")
    scenes = Manifest.objects.get(job=job).manifest["scenes"]
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        mp4 = Path(tmp) / "video.mp4"
        with video.file.open("rb") as handle:
            mp4.write_bytes(handle.read())
        for scene in scenes:
            middle = float(scene["start"]) + float(scene["duration"]) / 2
            target = HERE / f"video-frame-{scene['index']}.png"
            subprocess.run(
                [ffmpeg_exe(), "-v", "error", "-ss", f"{middle:.2f}", "-i", str(mp4)]
                + ["-frames:v", "1", "-vf", "scale=640:-2", "-y", str(target)],
                check=True,
                timeout=120,
            )
            written.append(target)
    return written


def main() -> int:
    sys.path.insert(0, str(ROOT))
    # Stored outputs go to a scratch folder; only the copies made here are kept.
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="deliverables-")
    from bench.harness import bench_database, setup_django

    setup_django()
    with bench_database():
        for path in render_all():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
