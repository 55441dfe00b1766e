"""A speech provider for servers speaking the ElevenLabs text-to-speech protocol:
POST /v1/text-to-speech/{voice_id} with an `xi-api-key` header, audio bytes back.

Raw 16-bit PCM is asked for (`output_format=pcm_22050`) and wrapped as WAV, the format the
narration steps measure and mix; a server that sends WAV anyway is taken as it is.
"""

from __future__ import annotations

import io
import json
import wave
from urllib.parse import quote

from .base import MediaResult, ProviderError
from .hosted_http import post
from .requests import MediaRequest

SAMPLE_RATE = 22050


class ElevenLabsSpeechProvider:
    """Reads `params["text"]` aloud with the configured voice; bills per character."""

    capability = "speech"

    def __init__(
        self,
        api_key: str,
        voice_id: str,
        base_url: str = "https://api.elevenlabs.io",
        model: str = "eleven_multilingual_v2",
        timeout: float = 60.0,
        name: str = "elevenlabs",
    ) -> None:
        self.api_key = api_key
        self.voice_id = voice_id
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = float(timeout)
        self.name = name

    @property
    def url(self) -> str:
        voice = quote(self.voice_id, safe="")
        return f"{self.base_url}/v1/text-to-speech/{voice}?output_format=pcm_{SAMPLE_RATE}"

    def call(self, request: MediaRequest) -> MediaResult:
        text = str(request.params.get("text") or "").strip()
        if not text:
            raise ProviderError(f"{self.name} was given no text to read")
        body = json.dumps({"text": text, "model_id": self.model}).encode()
        headers = {
            "xi-api-key": self.api_key,
            "Content-Type": "application/json",
            "Accept": "audio/*",
        }
        audio, content_type = post(self.name, self.url, body, headers, self.timeout)
        if audio.startswith(b"RIFF") and audio[8:12] == b"WAVE":
            wav = audio
        elif content_type.startswith(("audio/pcm", "audio/l16", "application/octet-stream")) or (
            not content_type
        ):
            if not audio or len(audio) % 2:
                raise ProviderError(f"{self.name} sent {len(audio)} bytes, not 16-bit PCM")
            wav = _wav(audio)
        else:
            raise ProviderError(
                f"{self.name} sent {content_type or 'unknown'} audio, not PCM or WAV"
            )
        # ElevenLabs bills by character: the characters are the "tokens" the price table uses.
        return MediaResult(
            data=wav,
            mime="audio/wav",
            meta={"kind": request.kind, "voice_id": self.voice_id},
            tokens_in=len(text),
            model=self.model,
        )


def _wav(pcm: bytes) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm)
    return out.getvalue()
