"""A rendered video read back from its file: scenes crossfade, the captions follow the
narration's timing, no narration is shorter than its speech, the end card is there."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from jobs.inline import run_inline
from jobs.mediakit.ffmpeg import probe, run_ffmpeg
from jobs.mediakit.speech import espeak_available
from jobs.models import Output, StepRun
from tests.factories import make_job

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not espeak_available(), reason="espeak-ng is not installed"),
]

# Scene 2's narration is far longer than its four planned seconds: it must not be cut.
TREATMENT = """# Lantern launch

## Scene 1: Hook (0:00-0:04)
VO: Meet the lantern that lasts all weekend.
Visual: A glowing lantern at a dusk campsite.
On-screen text: All weekend

## Scene 2: Proof (0:04-0:08)
VO: It runs for sixty hours on one charge, folds flat into any pack, and shrugs off rain, dust and the odd drop onto rocks.
Visual: The lantern on a wet rock in the rain.

## Scene 3: Call to action (0:08-0:14)
VO: Find it in every Acme store.
On-screen text: Shop the lantern
"""


def _frame(path: Path, seconds: float, tmp: Path) -> np.ndarray:
    out = tmp / f"frame-{seconds:.2f}.png"
    run_ffmpeg(["-ss", f"{seconds:.3f}", "-i", str(path), "-frames:v", "1", str(out)])
    with Image.open(out) as image:
        return np.asarray(image.convert("RGB"), dtype=np.float32)


def _srt_times(text: str) -> list[tuple[float, float, str]]:
    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        a, b = re.findall(r"(\d+):(\d+):(\d+),(\d+)", lines[1])
        start = int(a[0]) * 3600 + int(a[1]) * 60 + int(a[2]) + int(a[3]) / 1000
        end = int(b[0]) * 3600 + int(b[1]) * 60 + int(b[2]) + int(b[3]) / 1000
        cues.append((start, end, " ".join(lines[2:])))
    return cues


@pytest.fixture
def rendered(acme, media_root, clean_queues, tmp_path):
    job = make_job(
        acme,
        job_type="video",
        title="Lantern launch",
        inputs={"treatment": TREATMENT, "durationSeconds": 14, "aspectRatio": "16:9"},
        auto_process=True,
    )
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review", (
        job.error,
        list(StepRun.objects.filter(job=job).values_list("step", "error")),
    )
    video = Output.objects.get(job=job, key="video")
    path = tmp_path / "video.mp4"
    path.write_bytes(default_storage.open(video.file.name).read())
    return job, video, path


def test_the_video_is_read_back_with_crossfades_captions_and_whole_narration(rendered, tmp_path):
    job, video, path = rendered
    info = probe(path)
    starts = video.metadata["scene_starts"]
    assert info.has_video and info.has_audio and (info.width, info.height) == (1280, 720)
    # Scene 2's speech outgrew its plan: the scene was extended and the step says so.
    timeline = StepRun.objects.get(job=job, step="timeline")
    assert "Scene 2: narration runs" in timeline.note
    durations = Output.objects.get(job=job, key="timeline").metadata["durations"]
    for scene_id, duration in zip(("s1", "s2", "s3"), durations, strict=True):
        voice = Output.objects.get(job=job, key=f"narration_{scene_id}")
        assert duration >= voice.metadata["speech_seconds"] + 0.3
    assert info.duration_seconds == pytest.approx(sum(durations), abs=0.1)
    # Between scenes the frame is a blend of the scene before and the one after.
    for boundary in starts[1:]:
        before = _frame(path, boundary - 0.9, tmp_path)
        middle = _frame(path, boundary - 0.25, tmp_path)
        after = _frame(path, boundary + 0.4, tmp_path)
        distance = np.abs(before - after).mean()
        assert distance > 8
        assert np.abs(middle - before).mean() > 0.2 * distance
        assert np.abs(middle - after).mean() > 0.2 * distance
    # The captions follow the narration: each scene's words start at its scene start.
    srt = Output.objects.get(job=job, key="captions_srt").text
    vtt = Output.objects.get(job=job, key="captions_vtt").text
    assert vtt.startswith("WEBVTT")
    cues = _srt_times(srt)
    assert cues[0][2].startswith("Meet the lantern")
    assert any(text.startswith("It runs for sixty hours") for _, _, text in cues)
    for start, end, _ in cues:
        assert 0 <= start < end <= info.duration_seconds + 0.05
    second = next(c for c in cues if c[2].startswith("It runs"))
    assert starts[1] <= second[0] < starts[1] + 0.6
    last = next(c for c in cues if c[2].startswith("Find it"))
    assert starts[2] <= last[0] < starts[2] + 0.6
    # The end card (the last scene's still) is on screen at the end.
    end_card = Output.objects.get(job=job, key="frame_s3")
    with Image.open(io.BytesIO(default_storage.open(end_card.file.name).read())) as still:
        card = np.asarray(still.convert("RGB").resize((1280, 720)), dtype=np.float32)
    closing = _frame(path, info.duration_seconds - 0.3, tmp_path)
    assert np.abs(closing - card).mean() < np.abs(_frame(path, 1.0, tmp_path) - card).mean()
