"""Narration voices: a delivery ("Energetic") sets pace and pitch, the language picks the
espeak-ng voice, and a speech error that would repeat itself fails its step once, clearly."""

from __future__ import annotations

import pytest

from jobs.inline import run_inline
from jobs.mediakit import speech
from jobs.mediakit.ffmpeg import RenderError
from jobs.mediakit.speech import SpeechError, espeak_available, installed_voices, voice_for
from jobs.mediakit.wav import wav_info
from jobs.models import JobEvent, Output, StepRun
from jobs.providers import AllProvidersFailed
from jobs.providers.retry import permanent_cause
from tests.factories import make_job

needs_espeak = pytest.mark.skipif(not espeak_available(), reason="espeak-ng is not installed")

DELIVERIES = ("warm", "energetic", "Energetic", "calm", "authoritative", "ENERGETIC and bright")
PROMO = {"scriptType": "promo", "topic": "Spring offer", "durationSeconds": 15}


@needs_espeak
@pytest.mark.parametrize("delivery", DELIVERIES)
def test_every_delivery_names_an_installed_voice_not_itself(delivery):
    voice = voice_for(delivery, "en")
    assert voice.name.split("+")[0] in installed_voices()
    assert delivery.lower() not in voice.name.lower()


def test_energetic_is_faster_and_higher_than_calm():
    energetic, calm = voice_for("energetic"), voice_for("calm")
    assert energetic.words_per_minute > calm.words_per_minute
    assert energetic.pitch > calm.pitch


@needs_espeak
@pytest.mark.parametrize(
    ("language", "voice"),
    [
        ("en", "en-us"),
        ("es", "es"),
        ("fr", "fr-fr"),
        ("de", "de"),
        ("pt-BR", "pt-br"),
        ("vi", "vi"),
    ],
)
def test_the_language_picks_the_espeak_voice(language, voice):
    chosen = voice_for("energetic", language)
    assert chosen.name.split("+")[0] == voice
    assert chosen.substituted == ""


@needs_espeak
def test_a_language_without_a_voice_is_read_in_english_and_says_so():
    chosen = voice_for("warm", "xx")
    assert chosen.name.startswith("en-us")
    assert chosen.substituted == "xx"


@needs_espeak
def test_an_energetic_voice_speaks_and_faster_than_a_calm_one():
    text = "Spring is here, and every pack in the shop is ready for the trail."
    fast, slow = voice_for("Energetic", "en"), voice_for("calm", "en")
    energetic = wav_info(
        speech.synthesise_speech(text, voice=fast.name, words_per_minute=fast.words_per_minute)
    )
    calm = wav_info(
        speech.synthesise_speech(text, voice=slow.name, words_per_minute=slow.words_per_minute)
    )
    assert 0 < energetic["duration_seconds"] < calm["duration_seconds"]


@needs_espeak
def test_an_unknown_voice_is_a_permanent_speech_error():
    with pytest.raises(SpeechError, match="no voice named 'energetic'") as caught:
        speech.synthesise_speech("Hello", voice="energetic")
    assert caught.value.permanent is True


def test_timeouts_are_worth_another_try_and_bad_input_is_not():
    assert SpeechError("espeak-ng timed out", permanent=False).permanent is False
    assert RenderError("ffmpeg timed out", permanent=False).permanent is False
    assert RenderError("ffmpeg exited with status 1").permanent is True


def test_a_permanent_cause_is_found_behind_the_chains_summary():
    cause = SpeechError("espeak-ng has no voice named 'x'")
    try:
        try:
            raise cause
        except SpeechError as exc:
            raise AllProvidersFailed([], "speech") from exc
    except AllProvidersFailed as summary:
        assert permanent_cause(summary) is cause
    assert permanent_cause(RuntimeError("disk full")) is None
    assert permanent_cause(SpeechError("timed out", permanent=False)) is None


@needs_espeak
@pytest.mark.django_db(transaction=True)
def test_an_energetic_voice_job_records_its_narration(acme, media_root, clean_queues):
    job = make_job(
        acme, job_type="voice", inputs={**PROMO, "voice": "energetic"}, auto_process=True
    )
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review", job.error
    narration = Output.objects.get(job=job, kind="audio")
    assert narration.metadata["duration_seconds"] > 2
    assert StepRun.objects.get(job=job, step="narration").attempt == 1


@needs_espeak
@pytest.mark.django_db(transaction=True)
def test_a_deterministic_speech_error_fails_the_step_once_with_its_message(
    acme, media_root, clean_queues, settings, monkeypatch
):
    settings.STEP_MAX_ATTEMPTS = 3
    settings.STEP_RETRY_DELAYS = [0]
    calls = []

    def broken(text, **options):
        calls.append(options)
        raise SpeechError("espeak-ng has no voice named 'robot'")

    monkeypatch.setattr("jobs.workflows.voice.synthesise_speech", broken)
    job = make_job(
        acme, job_type="voice", inputs={**PROMO, "voice": "energetic"}, auto_process=True
    )
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert len(calls) == 1
    run = StepRun.objects.get(job=job, step="narration")
    assert (run.status, run.attempt) == ("failed", 1)
    assert "no voice named 'robot'" in run.error
    assert "no voice named 'robot'" in job.error
    assert not JobEvent.objects.filter(job=job, action="step_retry").exists()
    failed = JobEvent.objects.get(job=job, to_status="failed")
    assert "no voice named 'robot'" in failed.note and "3 attempts" not in failed.note


SPANISH = """## Escena 1: Gancho
Locución: El verano sabe mejor con algo frío en la mano.
Imagen: Una playa al mediodía.

## Escena 2: Llamada
Locución: Te esperamos en el paseo marítimo.
Texto en pantalla: Paseo Marítimo, 5
"""


@needs_espeak
@pytest.mark.django_db(transaction=True)
def test_video_narration_speaks_the_plans_language_with_its_tone(acme, media_root, clean_queues):
    job = make_job(
        acme,
        job_type="video",
        title="Helados",
        inputs={"treatment": SPANISH, "durationSeconds": 10, "language": "es", "tone": "playful"},
        auto_process=True,
    )
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review", job.error
    voices = Output.objects.filter(job=job, kind="audio", key__startswith="narration_")
    assert voices.count() == 2
    for voice in voices:
        assert voice.metadata["voice"] == "es+f4"
        assert voice.metadata["speech_seconds"] > 1
        assert voice.metadata["words"][0][0] in ("El", "Te")
