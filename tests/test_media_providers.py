"""Hosted image and speech providers against local servers speaking their protocols (OpenAI
images, ElevenLabs text-to-speech): the same chain, breaker, concurrency limit and cost
accounting as text, and the built-in provider last, taking over when the hosted one fails."""

from __future__ import annotations

import base64
import io
import json
import math
import struct
import threading
import wave
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image

from jobs.models import Output, StepRun
from jobs.providers import (
    BuiltinMediaProvider,
    ElevenLabsSpeechProvider,
    MediaRequest,
    OpenAIImagesProvider,
    ProviderChain,
    configure_providers,
    provider_config_from_env,
)
from jobs.providers.config import DEFAULT_PRICES
from tests.conftest import worker_env
from tests.factories import make_job

ORANGE = (232, 112, 40)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class LocalServer:
    """A 127.0.0.1 server answering POSTs with `answer(path, body) -> (status, type, bytes)`."""

    answer: Any
    seen: list[Seen] = field(default_factory=list)

    def __enter__(self) -> LocalServer:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw or b"{}")
                outer.seen.append(
                    Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status, kind, data = outer.answer(self.path, body)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


def images_api(path: str, body: dict[str, Any]) -> tuple[int, str, bytes]:
    """OpenAI images: a solid orange picture of the size asked for, as b64_json."""
    if path != "/v1/images/generations" or body.get("response_format") != "b64_json":
        return 404, "application/json", b'{"error": {"message": "unknown route"}}'
    width, height = (int(n) for n in body["size"].split("x"))
    out = io.BytesIO()
    Image.new("RGB", (width, height), ORANGE).save(out, format="PNG")
    reply = {"created": 0, "data": [{"b64_json": base64.b64encode(out.getvalue()).decode()}]}
    return 200, "application/json", json.dumps(reply).encode()


def tts_api(path: str, body: dict[str, Any]) -> tuple[int, str, bytes]:
    """ElevenLabs: 0.1 s of a 440 Hz tone per character, as raw 16-bit PCM at 22,050 Hz."""
    if not path.startswith("/v1/text-to-speech/voice-123?output_format=pcm_22050"):
        return 404, "application/json", b'{"detail": "unknown voice"}'
    frames = int(22050 * 0.1 * len(body["text"]))
    pcm = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 22050)))
        for i in range(frames)
    )
    return 200, "audio/pcm", pcm


def failing(status: int):
    return lambda path, body: (status, "application/json", b'{"error": {"message": "down"}}')


def builtin_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 628), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def builtin_wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(b"\0\0" * 1600)
    return out.getvalue()


def image_chain(url: str) -> ProviderChain:
    hosted = OpenAIImagesProvider(f"{url}/v1", api_key="img-key")
    return ProviderChain(
        "image",
        [hosted, BuiltinMediaProvider("image")],
        prices=DEFAULT_PRICES,
    )


def speech_chain(url: str) -> ProviderChain:
    hosted = ElevenLabsSpeechProvider("xi-key", "voice-123", base_url=url)
    return ProviderChain(
        "speech",
        [hosted, BuiltinMediaProvider("speech")],
        prices=DEFAULT_PRICES,
    )


BANNER = MediaRequest(
    kind="image",
    params={"visualType": "banner", "width": 1200, "height": 628, "headline": "Cold brew is back"},
    render=builtin_png,
    mime="image/png",
)
NARRATION = MediaRequest(
    kind="speech", params={"text": "Cold brew is back.", "voice": "en"}, render=builtin_wav
)


# --- images -------------------------------------------------------------------------------------


def test_a_hosted_image_is_asked_for_in_the_closest_shape_and_fitted_to_the_spec():
    with LocalServer(images_api) as server:
        result = image_chain(server.url).call(BANNER)
        [seen] = server.seen
    assert seen.headers["authorization"] == "Bearer img-key"
    assert seen.body["size"] == "1536x1024" and seen.body["model"] == "gpt-image-1"
    assert "banner image" in seen.body["prompt"] and "Cold brew is back" in seen.body["prompt"]
    picture = Image.open(io.BytesIO(result.value.data))
    assert (picture.format, picture.size) == ("PNG", (1200, 628))
    assert picture.convert("RGB").getpixel((600, 314)) == ORANGE
    assert result.provider == "openai-images"
    assert result.cost_usd == 0.04  # one picture at the default price


def test_a_failing_images_server_falls_back_to_the_built_in_renderer_and_costs_nothing():
    with LocalServer(failing(503)) as server:
        result = image_chain(server.url).call(BANNER)
    hosted, builtin = result.attempts
    assert (hosted.provider, hosted.outcome, hosted.cost_usd) == ("openai-images", "error", 0)
    assert "HTTP 503" in hosted.error
    assert (builtin.provider, builtin.outcome) == ("builtin-image", "ok")
    assert Image.open(io.BytesIO(result.value.data)).getpixel((10, 10)) == (0, 0, 255)
    assert result.cost_usd == 0


def test_a_reply_without_an_image_is_an_error_not_a_picture():
    with LocalServer(lambda p, b: (200, "application/json", b'{"data": [{"url": "x"}]}')) as server:
        result = image_chain(server.url).call(BANNER)
    assert result.provider == "builtin-image"
    assert "sent no b64_json image" in result.attempts[0].error


# --- speech -------------------------------------------------------------------------------------


def test_hosted_speech_is_read_with_the_voice_and_key_and_comes_back_as_wav():
    with LocalServer(tts_api) as server:
        result = speech_chain(server.url).call(NARRATION)
        [seen] = server.seen
    assert seen.headers["xi-api-key"] == "xi-key"
    assert seen.body == {"text": "Cold brew is back.", "model_id": "eleven_multilingual_v2"}
    with wave.open(io.BytesIO(result.value.data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert wav.getnframes() / wav.getframerate() == pytest.approx(1.8, abs=0.01)
    assert result.provider == "elevenlabs"
    # Billed per character: 18 characters at $0.30 per 1,000.
    assert Decimal(str(result.cost_usd)) == Decimal("0.0054")


def test_a_refused_key_falls_back_to_the_built_in_voice():
    with LocalServer(failing(401)) as server:
        result = speech_chain(server.url).call(NARRATION)
        assert len(server.seen) == 1  # 401 is not retried
    hosted, builtin = result.attempts
    assert (hosted.provider, hosted.outcome, hosted.cost_usd) == ("elevenlabs", "error", 0)
    assert (builtin.provider, builtin.outcome) == ("builtin-speech", "ok")
    assert result.value.data == builtin_wav()


# --- configuration ------------------------------------------------------------------------------


def test_the_environment_puts_the_hosted_providers_first_and_the_built_ins_last():
    config = provider_config_from_env(
        {
            "OPENAI_IMAGES_BASE_URL": "http://127.0.0.1:9/v1",
            "IMAGE_PROVIDERS": "openai-images",
            "ELEVENLABS_API_KEY": "xi-key",
            "ELEVENLABS_VOICE_ID": "voice-123",
            "SPEECH_PROVIDERS": "elevenlabs",
        }
    )
    registry = configure_providers(config)
    assert registry.chains["image"] == ["openai-images", "builtin-image"]
    assert registry.chains["speech"] == ["elevenlabs", "builtin-speech"]
    assert config["concurrency"] == {"openai": 64, "openai-images": 8, "elevenlabs": 4}


def test_breakers_and_concurrency_limits_cover_the_hosted_media_providers(redis_conn):
    config = provider_config_from_env(
        {
            "OPENAI_IMAGES_BASE_URL": "http://127.0.0.1:9/v1",
            "IMAGE_PROVIDERS": "openai-images",
            "ELEVENLABS_API_KEY": "xi-key",
            "ELEVENLABS_VOICE_ID": "voice-123",
            "SPEECH_PROVIDERS": "elevenlabs",
            "BREAKER_FAILURES": "1",
        }
    )
    registry = configure_providers(config, redis_client=redis_conn)
    assert {"openai-images", "elevenlabs"} <= set(registry.breakers) & set(registry.limits)
    with LocalServer(failing(500)) as server:
        registry.providers["openai-images"].base_url = f"{server.url}/v1"
        registry.chain("image").call(BANNER)  # fails once: the breaker opens
        again = registry.chain("image").call(BANNER)
        assert len(server.seen) == 1
    assert [a.outcome for a in again.attempts] == ["circuit_open", "ok"]


# --- through a real worker ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_banners_with_the_hosted_images_and_records_their_cost(
    acme, worker_factory, media_root
):
    with LocalServer(images_api) as server:
        job = make_job(
            acme,
            job_type="visual",
            title="Hosted banner",
            inputs={"visualType": "banner", "headline": "Trail season is here"},
            auto_process=True,
        )
        env = worker_env(
            OPENAI_IMAGES_BASE_URL=f"{server.url}/v1",
            IMAGE_PROVIDERS="openai-images,builtin-image",
        )
        log = worker_factory(burst=True, env=env).wait(timeout=120)
        calls = len(server.seen)
    job.refresh_from_db()
    assert job.status == "review", log[-2000:]
    images = list(Output.objects.filter(job=job, kind="image"))
    assert images and calls == len(images)
    for image in images:
        picture = Image.open(image.file)
        assert (picture.width, picture.height) == (
            image.metadata["width"],
            image.metadata["height"],
        )
        assert picture.convert("RGB").getpixel((picture.width // 2, picture.height // 2)) == ORANGE
    run = StepRun.objects.get(job=job, step="render")
    assert {a["provider"] for a in run.provider_attempts} == {"openai-images"}
    assert run.cost_usd == Decimal("0.04") * len(images)
    assert job.cost_usd == run.cost_usd
