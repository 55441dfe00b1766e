"""Audio: espeak-ng narration, the synthesised music bed, WAV helpers and the soundtrack mix."""

from __future__ import annotations

import numpy as np
import pytest

from jobs.mediakit import speech
from jobs.mediakit.mix import Cue, mix_soundtrack
from jobs.mediakit.music import MOODS, level_dbfs, synthesise_music_bed
from jobs.mediakit.speech import SpeechError, SpeechUnavailable, espeak_available, synthesise_speech
from jobs.mediakit.wav import concat, pad, read_wav, silence, wav_info, write_wav

needs_espeak = pytest.mark.skipif(
    not espeak_available(), reason="espeak-ng is not installed (apt-get install espeak-ng)"
)


def tone(seconds: float, rate: int = 22050, level: float = 0.5) -> bytes:
    t = np.arange(round(seconds * rate)) / rate
    return write_wav(level * np.sin(2 * np.pi * 440 * t), rate)


@needs_espeak
def test_it_speaks_text_to_a_wav_with_positive_duration():
    info = wav_info(synthesise_speech("Welcome to the studio. Your video is ready."))
    assert info["duration_seconds"] > 1.0
    assert info["sample_rate"] == 22050
    assert (info["channels"], info["sample_width"]) == (1, 2)


@needs_espeak
def test_it_speaks_longer_text_for_longer():
    short = wav_info(synthesise_speech("One sentence."))["duration_seconds"]
    long = wav_info(synthesise_speech("One sentence. " * 12))["duration_seconds"]
    assert long > 4 * short


@needs_espeak
def test_it_speaks_slower_at_a_lower_word_rate():
    text = "Every deliverable is checked before it ships to the client."
    fast = wav_info(synthesise_speech(text, words_per_minute=220))["duration_seconds"]
    slow = wav_info(synthesise_speech(text, words_per_minute=110))["duration_seconds"]
    assert slow > 1.5 * fast


@needs_espeak
def test_it_reads_hostile_text_literally_instead_of_as_options():
    audio = synthesise_speech(
        '--help -w /etc/passwd "quoted" $(rm -rf /) <speak>markup</speak>\x00\x07'
    )
    assert wav_info(audio)["duration_seconds"] > 1.0


@needs_espeak
def test_it_refuses_text_with_nothing_to_say():
    with pytest.raises(SpeechError, match="nothing speakable"):
        synthesise_speech("  ... !!! \n\t ")


@needs_espeak
def test_it_reports_an_unknown_voice_as_a_speech_error():
    with pytest.raises(SpeechError, match="no voice named 'nonexistent'"):
        synthesise_speech("Hello", voice="nonexistent")


def test_it_says_clearly_when_espeak_is_missing(monkeypatch):
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    assert not espeak_available()
    with pytest.raises(SpeechUnavailable, match="espeak-ng is not installed"):
        synthesise_speech("Hello")


@pytest.mark.parametrize("seconds", [0.5, 7.3, 30.0])
def test_it_makes_a_music_bed_of_exactly_the_requested_duration(seconds):
    info = wav_info(synthesise_music_bed(seconds))
    assert info["sample_rate"] == 44100
    assert round(info["duration_seconds"] * 44100) == round(seconds * 44100)


@pytest.mark.parametrize("mood", sorted(MOODS))
def test_it_levels_every_mood_around_minus_18_dbfs_without_clipping(mood):
    samples, _ = read_wav(synthesise_music_bed(20, mood=mood))
    assert -19.0 <= level_dbfs(samples) <= -17.0
    assert np.max(np.abs(samples)) < 0.9


def test_it_fades_the_music_bed_in_and_out():
    samples, rate = read_wav(synthesise_music_bed(12))
    edge = rate // 10
    assert level_dbfs(samples[:edge]) < level_dbfs(samples[rate * 5 : rate * 6]) - 20
    assert level_dbfs(samples[-edge:]) < level_dbfs(samples[rate * 5 : rate * 6]) - 20


def test_it_synthesises_a_whole_minute_of_music():
    # How fast is for `make bench` to say; a shared machine makes a timed assertion flaky.
    info = wav_info(synthesise_music_bed(60, mood="upbeat"))
    assert info["duration_seconds"] == pytest.approx(60.0, abs=0.05)


def test_it_makes_the_same_bed_for_the_same_arguments_and_another_for_another_seed():
    assert synthesise_music_bed(4, seed=1) == synthesise_music_bed(4, seed=1)
    assert synthesise_music_bed(4, seed=1) != synthesise_music_bed(4, seed=2)
    assert synthesise_music_bed(4, mood="calm") != synthesise_music_bed(4, mood="dramatic")


def test_it_follows_a_requested_tempo_and_tolerates_an_unknown_mood():
    assert synthesise_music_bed(4, tempo_bpm=90) != synthesise_music_bed(4, tempo_bpm=130)
    assert wav_info(synthesise_music_bed(3, mood="no such mood"))["duration_seconds"] == 3.0


def test_it_refuses_a_music_bed_without_duration():
    with pytest.raises(ValueError):
        synthesise_music_bed(0)


def test_it_makes_silence_pads_and_joins_wavs_to_exact_lengths():
    assert wav_info(silence(1.5, 16000))["duration_seconds"] == 1.5
    assert wav_info(pad(tone(1.0), 2.5))["duration_seconds"] == 2.5
    assert wav_info(pad(tone(3.0), 1.0))["duration_seconds"] == 1.0
    joined = concat([tone(1.0), silence(0.5, 44100, 2), tone(0.25, 8000)])
    info = wav_info(joined)
    assert info["duration_seconds"] == pytest.approx(1.75, abs=0.001)
    assert (info["sample_rate"], info["channels"]) == (22050, 1)


def test_it_round_trips_samples_through_16_bit_wav():
    samples = np.linspace(-0.9, 0.9, 1000, dtype=np.float32)
    restored, rate = read_wav(write_wav(samples, 8000))
    assert rate == 8000
    assert np.max(np.abs(restored[:, 0] - samples)) < 1e-4


def test_it_places_narration_at_its_cue_and_cuts_it_at_the_end_of_its_slot():
    track, rate = read_wav(mix_soundtrack([Cue(start=2.0, length=1.0, wav=tone(3.0))], 4.0))
    assert len(track) == 4 * rate
    assert np.max(np.abs(track[: int(1.99 * rate)])) == 0
    assert level_dbfs(track[int(2.1 * rate) : int(2.9 * rate)]) > -12
    assert np.max(np.abs(track[int(3.01 * rate) :])) == 0


def test_it_ducks_music_under_narration():
    bed = synthesise_music_bed(6, mood="calm")
    music_only, rate = read_wav(mix_soundtrack([], 6.0, music_wav=bed))
    ducked, _ = read_wav(mix_soundtrack([Cue(2.0, 2.0, silence(2.0))], 6.0, music_wav=bed))
    # Silent narration still counts as narration: the music underneath must dip.
    during = slice(int(2.5 * rate), int(3.5 * rate))
    assert level_dbfs(ducked[during]) < level_dbfs(music_only[during]) - 4


def test_it_makes_a_silent_soundtrack_when_there_is_nothing_to_play():
    track, rate = read_wav(mix_soundtrack([], 2.0))
    assert track.shape == (2 * rate, 2)
    assert not track.any()
