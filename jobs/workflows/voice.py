"""Voice jobs: write the timed script, then narrate it to WAV with espeak-ng when installed."""

from __future__ import annotations

import re

from jobs.mediakit.speech import espeak_available, synthesise_speech, voice_for
from jobs.mediakit.wav import wav_info
from jobs.providers import MediaRequest
from jobs.workflows.base import OutputSpec, StepContext
from jobs.workflows.media import call_media

TIMING_MARK = re.compile(r"^\s*\[\d+:\d{2}\s*[-–]\s*\d+:\d{2}\][^\n]*$", re.MULTILINE)
STAGE_NOTE = re.compile(
    r"\((?:[^)]{0,80})\)|^#+.*$|^\s*[-*]\s*(?:Visual|Music|SFX)[^\n]*$",
    re.MULTILINE | re.IGNORECASE,
)


def spoken_text(script: str) -> str:
    """The words to say: the script without timing marks, headings and stage directions."""
    text = TIMING_MARK.sub("", script)
    text = STAGE_NOTE.sub("", text)
    text = re.sub(r"[*_>#`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def narrate(context: StepContext) -> None:
    scripts = [o for o in context.upstream.get("script", []) if o.kind in ("markdown", "text")]
    if not espeak_available():
        context.note = (
            "Narration skipped: espeak-ng is not installed on this worker. "
            "Install the espeak-ng package to get a WAV narration."
        )
        return
    context.progress(0, len(scripts))
    for item, script in enumerate(scripts):
        # The writer keeps the spoken lines apart from directions and speaker labels;
        # scripts from elsewhere fall back to stripping those from the text.
        words = (script.metadata.get("data") or {}).get("narration") or spoken_text(script.text)
        # "voice" is the delivery (warm, energetic...): it sets pace and pitch, not the
        # espeak-ng voice name, which follows the language.
        voice = voice_for(context.inputs.get("voice") or "", context.inputs.get("language") or "en")
        if voice.substituted:
            context.note = f"No espeak-ng voice for “{voice.substituted}”: read in English."
        result = call_media(
            context,
            "speech",
            MediaRequest(
                kind="speech",
                params={"text": words, "voice": voice.name},
                render=lambda w=words, v=voice: synthesise_speech(
                    w, voice=v.name, words_per_minute=v.words_per_minute, pitch=v.pitch
                ),
                mime="audio/wav",
            ),
        )
        wav = result.data
        info = wav_info(wav)
        context.add_output(
            OutputSpec(
                kind="audio",
                key=f"narration_{script.key}",
                title=f"Narration: {script.title}",
                content=wav,
                filename=f"narration-{item + 1}.wav",
                mime_type="audio/wav",
                metadata={**info, "words": len(words.split())},
                item=item,
            )
        )
        context.progress(item + 1, len(scripts))
