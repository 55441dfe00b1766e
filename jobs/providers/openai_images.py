"""An image provider for servers speaking the OpenAI images protocol (POST /v1/images/generations,
`b64_json` replies); the picture is fitted to the exact size the spec asks for."""

from __future__ import annotations

import base64
import binascii
import io
import json
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from .base import MediaResult, ProviderError
from .hosted_http import excerpt, post
from .requests import MediaRequest

# The sizes image models generate; the one closest in shape to the spec is asked for.
SIZES = ((1024, 1024), (1536, 1024), (1024, 1536))


def closest_size(width: int, height: int) -> tuple[int, int]:
    ratio = width / height
    return min(SIZES, key=lambda s: abs(s[0] / s[1] - ratio))


def prompt_for(params: dict[str, Any], brand: str = "") -> str:
    """A picture description from a visual spec: what it is for and what the words say."""
    kind = str(params.get("visualType") or "banner").replace("_", " ")
    subject = params.get("prompt") or params.get("topic") or params.get("headline") or ""
    parts = [
        f"A {kind} image"
        + (f" for {brand}" if brand else "")
        + (f": {subject}" if subject else ".")
    ]
    colours = params.get("colors") or params.get("colours")
    if colours:
        parts.append("Colours: " + ", ".join(map(str, colours)) + ".")
    parts.append("Leave calm space for a headline; no text, letters or logos in the picture.")
    return " ".join(parts)


class OpenAIImagesProvider:
    """POSTs to {base_url}/images/generations and returns a PNG of the spec's width and height."""

    capability = "image"

    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        model: str = "gpt-image-1",
        timeout: float = 120.0,
        name: str = "openai-images",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.timeout = float(timeout)
        self.name = name

    @property
    def url(self) -> str:
        return f"{self.base_url}/images/generations"

    def call(self, request: MediaRequest) -> MediaResult:
        params = dict(request.params)
        try:
            width, height = int(params["width"]), int(params["height"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ProviderError(f"{self.name} needs a width and a height") from exc
        size = closest_size(width, height)
        payload = {
            "model": self.model,
            "prompt": prompt_for(params, str(params.get("brand") or "")),
            "n": 1,
            "size": f"{size[0]}x{size[1]}",
            "response_format": "b64_json",
        }
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        raw, _ = post(self.name, self.url, json.dumps(payload).encode(), headers, self.timeout)
        picture = self._decode(raw)
        png = _fit(picture, width, height)
        meta = {"kind": request.kind, "generated_size": f"{picture.width}x{picture.height}"}
        return MediaResult(data=png, mime="image/png", meta=meta, model=self.model)

    def _decode(self, raw: bytes) -> Image.Image:
        try:
            b64 = json.loads(raw)["data"][0]["b64_json"]
            picture = Image.open(io.BytesIO(base64.b64decode(b64, validate=True)))
            picture.load()
        except (ValueError, KeyError, IndexError, TypeError, binascii.Error) as exc:
            raise ProviderError(f"{self.name} sent no b64_json image: {excerpt(raw)}") from exc
        except (UnidentifiedImageError, OSError) as exc:
            raise ProviderError(f"{self.name} sent data that is not an image") from exc
        return picture


def _fit(picture: Image.Image, width: int, height: int) -> bytes:
    """Scale and centre-crop to exactly width x height, as a PNG."""
    fitted = ImageOps.fit(picture.convert("RGB"), (width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    fitted.save(out, format="PNG", optimize=True)
    return out.getvalue()
