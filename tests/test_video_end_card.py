"""Every video ends on the end card with the client's logo, also when its last scene is a
chart: read back from the rendered MP4 with ffmpeg."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from jobs.inline import run_inline
from jobs.mediakit.ffmpeg import probe, run_ffmpeg
from jobs.models import Output, StepRun
from production.brand_library import brand_asset_create
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)

MAGENTA = np.array([255, 0, 255])
# The chart is the last scene: the video must still close on the logo.
TREATMENT = """# Trailhead Repair in numbers

## Scene 1: Hook
Narration: Your favourite boots deserve a second life.
Visual: Worn hiking boots on a wooden bench, morning light.
On-screen text: Repair, don't replace

## Scene 2: In numbers
Narration: Every year we repair more pairs than the last.
Chart: Pairs repaired per year
- 2022: 1200
- 2023: 1850
- 2024: 2600
"""


def logo_png() -> bytes:
    logo = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    logo.paste(Image.new("RGBA", (260, 80), (255, 0, 255, 255)), (20, 10))
    out = io.BytesIO()
    logo.save(out, format="PNG")
    return out.getvalue()


def frame_at(path: Path, args: list[str], out: Path) -> np.ndarray:
    run_ffmpeg([*args, "-i", str(path), "-frames:v", "1", str(out)])
    with Image.open(out) as image:
        return np.asarray(image.convert("RGB"), dtype=np.float32)


def picture(output: Output, size: tuple[int, int]) -> np.ndarray:
    with Image.open(default_storage.open(output.file.name)) as image:
        return np.asarray(image.convert("RGB").resize(size), dtype=np.float32)


def near(frame: np.ndarray, colour: np.ndarray, tolerance: int = 60) -> int:
    return int((np.abs(frame - colour).sum(axis=2) < tolerance).sum())


def magenta(frame: np.ndarray) -> int:
    return near(frame, MAGENTA, 90)


def bar_colour(chart: np.ndarray) -> np.ndarray:
    """The chart's commonest colour that is not its light page: the bars."""
    pixels = chart.reshape(-1, 3)
    dark = pixels[pixels.sum(axis=1) < 450]
    colours, counts = np.unique((dark // 8).astype(int), axis=0, return_counts=True)
    return colours[counts.argmax()] * 8 + 4


def test_a_video_whose_last_scene_is_a_chart_ends_on_the_end_card_with_the_logo(
    acme, media_root, clean_queues, tmp_path
):
    brand_asset_create(client=acme, kind="logo", data=logo_png(), user=None)
    job = make_job(
        acme,
        job_type="video",
        title="Trailhead Repair in numbers",
        inputs={"treatment": TREATMENT, "durationSeconds": 10, "aspectRatio": "16:9"},
        auto_process=True,
    )
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review", (
        job.error,
        list(StepRun.objects.filter(job=job).values_list("step", "error")),
    )
    chart = Output.objects.get(job=job, key__startswith="chart_")
    last_part = Output.objects.filter(job=job, key__startswith="segment_").order_by("-item", "-id")
    part = max(last_part, key=lambda o: o.metadata["position"])
    assert part.metadata["scene_id"] == chart.metadata["scene_id"]
    assert part.metadata["end_card_frames"] == 50  # two seconds at 25 fps

    video = Output.objects.get(job=job, key="video")
    path = tmp_path / "video.mp4"
    path.write_bytes(default_storage.open(video.file.name).read())
    info = probe(path)
    size = (info.width, info.height)
    starts = video.metadata["scene_starts"]

    last = frame_at(path, ["-sseof", "-0.2"], tmp_path / "last.png")
    on_chart = frame_at(path, ["-ss", f"{starts[-1] + 0.8:.3f}"], tmp_path / "chart.png")
    chart_png = picture(chart, size)

    # The chart is on screen in its scene (its bars, a small logo in its header); the
    # closing frame is the end card: the uploaded logo large and centred, no bars.
    bars = bar_colour(chart_png)
    assert near(on_chart, bars) > 0.15 * on_chart.shape[0] * on_chart.shape[1]
    assert 0 < magenta(on_chart) < magenta(last) / 4
    assert near(last, bars) < near(on_chart, bars) / 10
    ys, xs = np.nonzero(np.abs(last - MAGENTA).sum(axis=2) < 90)
    assert abs(xs.mean() - info.width / 2) < info.width * 0.05
    assert ys.mean() < info.height / 2  # above the brand line and the caption space
