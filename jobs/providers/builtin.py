"""Offline providers that always work: the draft text as written, media from the local toolkit."""

from __future__ import annotations

from .base import MediaResult, ProviderError, TextResult
from .requests import MediaRequest, TextRequest

DEFAULT_MIME: dict[str, str] = {
    "image": "image/png",
    "speech": "audio/wav",
    "music": "audio/wav",
    "render": "video/mp4",
}


def count_words(text: str) -> int:
    """The built-in stand-in for a token count."""
    return len(text.split())


class BuiltinTextProvider:
    """Returns the request's draft unchanged; costs nothing and never times out."""

    capability = "text"
    timeout = 0.0
    model = "builtin"

    def __init__(self, name: str = "builtin-text") -> None:
        self.name = name

    def call(self, request: TextRequest) -> TextResult:
        if not request.draft.strip():
            raise ProviderError("the request carries no draft to return")
        prompt_words = sum(count_words(str(m.get("content", ""))) for m in request.messages)
        return TextResult(
            text=request.draft,
            tokens_in=prompt_words,
            tokens_out=count_words(request.draft),
            model=self.model,
        )


class BuiltinMediaProvider:
    """Runs the request's render callable, so the chain needs no knowledge of the toolkit."""

    timeout = 0.0
    model = "builtin"

    def __init__(self, capability: str, name: str | None = None) -> None:
        self.capability = capability
        self.name = name or f"builtin-{capability}"

    def call(self, request: MediaRequest) -> MediaResult:
        if request.render is None:
            raise ProviderError(f"{self.name} needs a render callable for {request.kind!r}")
        produced = request.render()
        if isinstance(produced, MediaResult):
            return produced
        if not isinstance(produced, bytes | bytearray):
            raise ProviderError(
                f"{self.name} renderer for {request.kind!r} returned "
                f"{type(produced).__name__}, not bytes"
            )
        mime = request.mime or DEFAULT_MIME.get(self.capability, "application/octet-stream")
        return MediaResult(
            data=bytes(produced), mime=mime, meta={"kind": request.kind}, model=self.model
        )
