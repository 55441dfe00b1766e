"""Captions and scene fitting: words grouped into short cues, SRT and WebVTT as players read
them, scenes that never end before their narration, and word timings from real speech."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from jobs.mediakit.captions import Cue, cues_from_words, subtitle_frame, to_srt, to_vtt
from jobs.mediakit.narration import narrate, sentences, timed_clip
from jobs.mediakit.scenefit import TAIL, fit_scenes
from jobs.mediakit.speech import espeak_available, synthesise_speech
from jobs.mediakit.video import SceneClip, plan_segments
from jobs.mediakit.wav import wav_info

WORDS = [
    ("Every", 0.0, 0.3),
    ("trail", 0.3, 0.6),
    ("starts", 0.6, 1.0),
    ("with", 1.0, 1.2),
    ("one", 1.2, 1.4),
    ("step.", 1.4, 1.8),
    ("Try", 2.3, 2.5),
    ("a", 2.5, 2.6),
    ("pair!", 2.6, 3.0),
]


def test_cues_break_at_sentence_ends_and_keep_their_words_times():
    cues = cues_from_words(WORDS)
    assert [c.text for c in cues] == ["Every trail starts with one step.", "Try a pair!"]
    assert (cues[0].start, cues[0].end) == (0.0, 1.8)
    assert (cues[1].start, cues[1].end) == (2.3, 3.0)


def test_a_long_sentence_is_split_into_short_cues_that_never_overlap():
    words = [(f"word{n}", n * 0.4, n * 0.4 + 0.35) for n in range(30)]
    cues = cues_from_words(words)
    assert len(cues) > 3
    assert all(len(c.text) <= 42 for c in cues)
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))
    assert " ".join(c.text for c in cues) == " ".join(w for w, _, _ in words)


def test_srt_and_webvtt_are_written_as_players_expect():
    cues = [Cue(0.0, 1.8, "Every trail starts."), Cue(62.25, 65.5, "Try a pair!")]
    assert to_srt(cues) == (
        "1\n00:00:00,000 --> 00:00:01,800\nEvery trail starts.\n\n"
        "2\n00:01:02,250 --> 00:01:05,500\nTry a pair!\n"
    )
    assert to_vtt(cues) == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.800\nEvery trail starts.\n\n"
        "00:01:02.250 --> 00:01:05.500\nTry a pair!\n"
    )


def test_a_subtitle_frame_is_transparent_except_for_its_text_near_the_bottom():
    layer = subtitle_frame(1280, 720, "Every trail starts with one step.")
    alpha = np.asarray(layer)[:, :, 3]
    rows = np.flatnonzero(alpha.max(axis=1))
    assert rows.min() > 720 * 0.75 and rows.max() < 720
    assert alpha[:360].max() == 0


def test_a_scene_whose_speech_runs_long_takes_time_from_scenes_with_room():
    fit = fit_scenes([8, 10, 12], [7.0, 11.5, 4.0])
    assert fit.durations[1] == pytest.approx(11.5 + TAIL)
    assert fit.total == pytest.approx(30.0)
    assert all(d >= s + TAIL - 1e-6 for d, s in zip(fit.durations, [7.0, 11.5, 4.0], strict=True))
    assert any("Scene 2: narration runs 11.5 s" in w for w in fit.warnings)


def test_when_no_scene_has_room_the_video_runs_longer_and_says_so():
    fit = fit_scenes([5, 5], [6.0, 6.0])
    assert fit.durations == (6.4, 6.4)
    assert "runs 12.8 s instead of 10.0 s" in fit.warnings[-1]


def test_scenes_that_fit_are_left_alone():
    fit = fit_scenes([8, 10, 12], [5.0, 6.0, 0.0])
    assert fit.durations == (8.0, 10.0, 12.0) and fit.warnings == ()


def test_segments_crossfade_into_the_next_scene_and_start_inside_their_own_motion():
    png = io.BytesIO()
    Image.new("RGB", (64, 36), "red").save(png, format="PNG")
    scenes = [SceneClip(png.getvalue(), d) for d in (2.0, 3.0, 2.0)]
    cues = [Cue(0.5, 1.5, "one"), Cue(2.2, 4.4, "two")]
    first, second, last = plan_segments(scenes, fps=25, transition=0.5, subtitles=cues)
    assert [s.frames for s in (first, second, last)] == [50, 75, 50]
    assert (first.lead_in, first.fade, second.lead_in, second.fade, last.fade) == (0, 12, 12, 12, 0)
    assert second.next_frames == 12 + 50
    assert [c.text for c in first.subtitles] == ["one"]
    assert second.subtitles[0].start == pytest.approx(0.2)


def test_sentences_are_found_in_running_text():
    assert sentences("One step. Then another!  And... a third?") == [
        "One step.",
        "Then another!",
        "And...",
        "a third?",
    ]


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng is not installed")
def test_real_speech_is_timed_word_by_word_within_its_audio():
    text = "Every trail starts with one step. Try a pair this weekend!"
    said = narrate(text, synthesise_speech)
    duration = wav_info(said.wav)["duration_seconds"]
    assert [w.text for w in said.words] == text.split()
    assert all(a.end <= b.start + 1e-6 for a, b in zip(said.words, said.words[1:], strict=False))
    assert 0 < said.words[0].start < 0.3
    assert duration - 0.6 < said.speech_seconds <= duration
    # The second sentence starts after the pause between them.
    step, try_ = said.words[5], said.words[6]
    assert try_.start - step.end > 0.15
    estimated = timed_clip(text, said.wav)
    assert estimated.speech_seconds == pytest.approx(said.speech_seconds, abs=0.05)


def test_a_burned_in_caption_shows_only_while_its_cue_lasts(tmp_path):
    from jobs.mediakit.ffmpeg import run_ffmpeg
    from jobs.mediakit.video import render_video

    png = io.BytesIO()
    Image.new("RGB", (640, 360), (30, 60, 120)).save(png, format="PNG")
    scenes = [SceneClip(png.getvalue(), 2.0), SceneClip(png.getvalue(), 2.0)]
    output = tmp_path / "captioned.mp4"
    render_video(
        scenes,
        width=640,
        height=360,
        output_path=output,
        subtitles=[Cue(0.5, 1.5, "Every trail starts here")],
    )

    def bottom(seconds: float) -> np.ndarray:
        still = tmp_path / f"at-{seconds}.png"
        run_ffmpeg(["-ss", str(seconds), "-i", str(output), "-frames:v", "1", str(still)])
        with Image.open(still) as image:
            return np.asarray(image.convert("L"), dtype=np.float32)[300:350]

    shown, gone = bottom(1.0), bottom(3.0)
    assert shown.max() > 200  # white letters on the dark box
    assert gone.max() < 120
