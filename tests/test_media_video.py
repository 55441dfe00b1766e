"""MP4 rendering with the bundled ffmpeg, probing media back, and the Shotstack-style edit."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from jobs.mediakit.ffmpeg import RenderError, ffmpeg_exe, parse_probe, probe, run_ffmpeg
from jobs.mediakit.images import render_scene_frame
from jobs.mediakit.music import synthesise_music_bed
from jobs.mediakit.speech import espeak_available, synthesise_speech
from jobs.mediakit.video import (
    SceneClip,
    Segment,
    frame_boundaries,
    render_segment,
    render_video,
    shotstack_timeline,
)
from jobs.mediakit.wav import wav_info, write_wav

BRAND = {"colors": ["#1b998b", "#2d3047", "#ff9b71"]}
LINES = [
    "Meet the studio in a box.",
    "Order a video and watch it being made.",
    "Every deliverable is checked before it ships.",
]


def narration(text: str) -> bytes:
    """Real speech where espeak-ng is installed, otherwise a spoken-length tone."""
    if espeak_available():
        return synthesise_speech(text)
    t = np.arange(int(1.5 * 22050)) / 22050
    return write_wav(0.3 * np.sin(2 * np.pi * 220 * t), 22050)


def plain_png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def landscape_video(tmp_path_factory) -> tuple[Path, object]:
    scenes = [
        SceneClip(
            image_png=render_scene_frame(1280, 720, brand=BRAND, prompt=line, seed=i),
            duration=2.0,
            narration_wav=narration(line),
            caption=line,
        )
        for i, line in enumerate(LINES)
    ]
    output = tmp_path_factory.mktemp("video") / "three-scenes.mp4"
    result = render_video(
        scenes, width=1280, height=720, output_path=output, music_wav=synthesise_music_bed(6.0)
    )
    return output, result


def test_it_renders_three_two_second_scenes_to_a_six_second_720p_mp4(landscape_video):
    output, result = landscape_video
    assert output.stat().st_size > 10_000
    assert result.duration_seconds == pytest.approx(6.0, abs=0.2)
    assert (result.width, result.height) == (1280, 720)
    assert result.has_video and result.has_audio
    assert (result.video_codec, result.audio_codec) == ("h264", "aac")
    assert result.fps == pytest.approx(25.0)


def test_it_reads_the_same_properties_back_from_the_file(landscape_video):
    output, result = landscape_video
    assert probe(output) == result


def test_it_puts_the_index_before_the_media_for_streaming(landscape_video):
    output, _ = landscape_video
    head = output.read_bytes()[:200_000]
    assert 0 <= head.find(b"moov") < head.find(b"mdat")


def test_it_renders_a_vertical_9_16_video_with_an_audio_track_even_without_sound(tmp_path):
    scenes = [
        SceneClip(render_scene_frame(720, 1280, brand=BRAND, prompt="city at night", seed=1), 1.5),
        SceneClip(
            plain_png(400, 400, (200, 60, 60)), 1.0, caption="A square image, cropped to fill"
        ),
    ]
    result = render_video(scenes, width=720, height=1280, output_path=tmp_path / "story.mp4")
    assert (result.width, result.height) == (720, 1280)
    assert result.duration_seconds == pytest.approx(2.5, abs=0.2)
    assert result.has_audio


def test_it_burns_captions_into_the_frames(tmp_path):
    white = plain_png(640, 360, (255, 255, 255))
    output = tmp_path / "caption.mp4"
    scene = SceneClip(white, 1.0, caption="Burned in with Pillow")
    render_video([scene], width=640, height=360, output_path=output, ken_burns=False)
    still = tmp_path / "frame.png"
    run_ffmpeg(["-ss", "0.5", "-i", str(output), "-frames:v", "1", str(still)], timeout=60)
    frame = np.asarray(Image.open(still).convert("RGB"), dtype=int)
    assert frame[:150].min() > 230  # the top stays white
    assert frame[260:340].sum(axis=2).min() < 3 * 120  # the caption band is dark


def test_it_raises_render_error_with_the_tail_of_ffmpeg_output(tmp_path):
    with pytest.raises(RenderError) as caught:
        run_ffmpeg(["-i", str(tmp_path / "missing.png"), str(tmp_path / "out.mp4")], timeout=30)
    assert "No such file or directory" in str(caught.value)
    assert "missing.png" in caught.value.stderr_tail


def test_it_raises_render_error_for_a_scene_that_is_not_an_image(tmp_path):
    with pytest.raises(RenderError, match="not a readable image"):
        render_video(
            [SceneClip(b"not a png", 1.0)], width=640, height=360, output_path=tmp_path / "x.mp4"
        )


def test_it_refuses_odd_sizes_and_empty_scene_lists(tmp_path):
    with pytest.raises(ValueError, match="even"):
        render_video(
            [SceneClip(plain_png(8, 8, (0, 0, 0)), 1.0)],
            width=641,
            height=360,
            output_path=tmp_path / "a.mp4",
        )
    with pytest.raises(ValueError, match="at least one scene"):
        render_video([], width=640, height=360, output_path=tmp_path / "b.mp4")


def test_it_probes_a_wav_as_audio_only(tmp_path):
    path = tmp_path / "bed.wav"
    path.write_bytes(synthesise_music_bed(2.0))
    result = probe(path)
    assert result.has_audio and not result.has_video
    assert result.duration_seconds == pytest.approx(2.0, abs=0.05)
    assert wav_info(path.read_bytes())["duration_seconds"] == 2.0


def test_it_refuses_to_probe_a_file_that_is_not_media(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(RenderError):
        probe(path)


def test_it_parses_ffmpeg_stream_lines():
    stderr = (
        "Input #0, mov,mp4, from 'x.mp4':\n  Duration: 00:01:02.50, start: 0.000000\n"
        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive),"
        " 1920x1080 [SAR 1:1 DAR 16:9], 300 kb/s, 30 fps, 30 tbr, 15360 tbn (default)\n"
        "  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo\n"
    )
    result = parse_probe(stderr)
    assert result.duration_seconds == 62.5
    assert (result.width, result.height, result.fps) == (1920, 1080, 30.0)
    assert (result.video_codec, result.audio_codec) == ("h264", "aac")


def test_it_rounds_scene_boundaries_on_the_running_total():
    bounds = frame_boundaries([1 / 3, 1 / 3, 1 / 3], 25)
    assert bounds[-1] == 25
    assert all(b > a for a, b in zip(bounds, bounds[1:], strict=False))


def test_it_builds_a_shotstack_style_timeline_with_consecutive_clips():
    scenes = [
        {
            "image_src": "https://cdn/1.png",
            "duration": 5,
            "narration_src": "https://cdn/1.wav",
            "caption": "Hook",
        },
        {"image_src": "https://cdn/2.png", "duration": 7.5, "caption": ""},
        {"image_src": "https://cdn/3.png", "duration": 0},
    ]
    edit = shotstack_timeline(scenes, width=1080, height=1920, music_src="https://cdn/bed.wav")
    assert edit["output"] == {
        "format": "mp4",
        "fps": 25,
        "size": {"width": 1080, "height": 1920},
        "aspectRatio": "9:16",
    }
    captions, images, narration = edit["timeline"]["tracks"]
    assert [(c["start"], c["length"]) for c in images["clips"]] == [(0.0, 5.0), (5.0, 7.5)]
    assert images["clips"][0]["asset"] == {"type": "image", "src": "https://cdn/1.png"}
    assert captions["clips"][0]["asset"]["type"] == "title"
    assert narration["clips"][0]["asset"]["type"] == "audio"
    assert edit["timeline"]["soundtrack"]["src"] == "https://cdn/bed.wav"


def test_it_leaves_empty_tracks_out_of_the_timeline():
    edit = shotstack_timeline([{"image_src": "a.png", "duration": 2}], width=1280, height=720)
    assert len(edit["timeline"]["tracks"]) == 1
    assert "soundtrack" not in edit["timeline"]
    assert edit["output"]["aspectRatio"] == "16:9"


def marked_png(width: int, height: int, column: int, row: int) -> bytes:
    """Black with a two-pixel white column and row, to follow where the motion takes them."""
    image = np.zeros((height, width, 3), dtype=np.uint8)
    image[:, column : column + 2] = 255
    image[row : row + 2, :] = 255
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def marks(path: Path, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, the centre of the bright column (x) and of the bright row (y)."""
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-vf", "format=gray", "-f", "rawvideo", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width).astype(float)
    columns = frames[:, height // 2 :, :].mean(axis=1)
    rows = frames[:, :, width // 2 :].mean(axis=2)
    x = (columns * np.arange(width)).sum(axis=1) / columns.sum(axis=1)
    y = (rows * np.arange(height)).sum(axis=1) / rows.sum(axis=1)
    return x, y


def test_a_push_in_zooms_on_the_centre_within_a_pixel_of_the_exact_zoom(tmp_path):
    width, height, frames = 640, 360, 250  # ten seconds: the full 12% push-in
    segment = Segment(index=0, image_png=marked_png(width, height, 100, 60), frames=frames)
    output = tmp_path / "push.mp4"
    render_segment(segment, width=width, height=height, output_path=output, captions=False)
    x, y = marks(output, width, height)
    zoom = 1 + 0.12 * np.arange(frames) / (frames - 1)
    # A point keeps its place relative to the centre, scaled by the zoom (pixel centres).
    assert np.abs(x - (width / 2 + (101 - width / 2) * zoom - 0.5)).max() < 0.9
    assert np.abs(y - (height / 2 + (61 - height / 2) * zoom - 0.5)).max() < 0.9
    assert x[-1] < x[0] - 20  # it did move outwards


def test_a_pan_moves_by_about_the_same_fraction_of_a_pixel_every_frame(tmp_path):
    width, height, frames = 1280, 720, 250  # ten seconds at 720p: about half a pixel a frame
    segment = Segment(index=1, image_png=marked_png(width, height, 300, 100), frames=frames)
    output = tmp_path / "pan.mp4"
    render_segment(segment, width=width, height=height, output_path=output, captions=False)
    x, y = marks(output, width, height)
    steps = np.diff(x)
    # Left to right across the still: the mark moves left by half a pixel or a whole one
    # every frame, never held for a frame and then jumping (that pan stuttered: std 0.56).
    assert steps.min() > -1.1 and steps.max() < -0.3
    assert steps.std() < 0.3
    assert np.ptp(y) < 0.5  # and it does not drift up or down


def test_a_still_made_of_type_only_breathes_and_keeps_its_margins(tmp_path):
    # Index 1 pans a picture; a card's first letters, 40 px in, must stay on screen.
    width, height, frames = 640, 360, 250
    segment = Segment(
        index=1, image_png=marked_png(width, height, 40, 60), frames=frames, type_only=True
    )
    output = tmp_path / "card.mp4"
    render_segment(segment, width=width, height=height, output_path=output, captions=False)
    x, y = marks(output, width, height)
    # A centred zoom of at most 2.5%: the mark moves a few pixels towards or from the centre.
    assert np.abs(x - 40.5).max() <= 0.025 * (width / 2 - 41) + 0.9
    assert np.ptp(x) > 2  # it still moves
    assert np.abs(y - 60.5).max() <= 0.025 * (height / 2 - 61) + 0.9
