"""Each platform's limits, checked before anything is sent, so a refusal comes from us and says
exactly what to change. Figures from the platforms' publishing documentation."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image

from jobs.mediakit.ffmpeg import RenderError
from jobs.models import Output, OutputKind
from jobs.workflows.production.media import probe_bytes
from publishing.models import Platform

YOUTUBE_TITLE_MAX = 100
YOUTUBE_DESCRIPTION_MAX_BYTES = 5000
YOUTUBE_PRIVACY = ("private", "unlisted", "public")
WORDPRESS_STATUSES = ("draft", "publish")
WORDPRESS_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
INSTAGRAM_CAPTION_MAX = 2200
INSTAGRAM_HASHTAGS_MAX = 30
INSTAGRAM_MENTIONS_MAX = 20
INSTAGRAM_IMAGE_MAX_BYTES = 8 * 1024 * 1024
INSTAGRAM_IMAGE_RATIO = (4 / 5, 1.91)
INSTAGRAM_REEL_SECONDS = (3.0, 15 * 60.0)
INSTAGRAM_REEL_MAX_BYTES = 300 * 1024 * 1024
INSTAGRAM_REEL_RATIO = (0.01, 10.0)
INSTAGRAM_REEL_FPS = (23.0, 60.0)


@dataclass(frozen=True)
class Draft:
    """What a person asked to publish, before it is stored."""

    platform: str
    output: Output
    image: Output | None
    title: str
    caption: str
    visibility: str


def read_bytes(output: Output) -> bytes:
    with output.file.open("rb") as handle:
        return handle.read()


def problems(draft: Draft) -> list[str]:
    """Every reason the platform would refuse this, in words for a person (empty: fine)."""
    check = {
        Platform.WORDPRESS: _wordpress,
        Platform.YOUTUBE: _youtube,
        Platform.INSTAGRAM: _instagram,
    }[draft.platform]
    return check(draft)


def _wordpress(draft: Draft) -> list[str]:
    found = []
    if not draft.title.strip():
        found.append("A WordPress post needs a title.")
    if not (draft.output.text or "").strip():
        found.append("The chosen text output is empty.")
    if draft.visibility not in WORDPRESS_STATUSES:
        found.append("Post status must be “draft” or “publish”.")
    if draft.image is not None and draft.image.mime_type not in WORDPRESS_IMAGE_TYPES:
        found.append(f"WordPress takes PNG, JPEG, GIF or WebP images, not {draft.image.mime_type}.")
    return found


def _youtube(draft: Draft) -> list[str]:
    found = []
    title = draft.title.strip()
    if not title:
        found.append("A YouTube video needs a title.")
    if len(title) > YOUTUBE_TITLE_MAX:
        found.append(f"YouTube titles are at most {YOUTUBE_TITLE_MAX} characters ({len(title)}).")
    if "<" in title + draft.caption or ">" in title + draft.caption:
        found.append("YouTube refuses “<” and “>” in titles and descriptions.")
    if len(draft.caption.encode()) > YOUTUBE_DESCRIPTION_MAX_BYTES:
        found.append(f"YouTube descriptions are at most {YOUTUBE_DESCRIPTION_MAX_BYTES} bytes.")
    if draft.visibility not in YOUTUBE_PRIVACY:
        found.append("Privacy must be private, unlisted or public.")
    if draft.output.kind != OutputKind.VIDEO:
        found.append("YouTube takes a video output.")
    return found


def _instagram(draft: Draft) -> list[str]:
    found = _caption_problems(draft.caption)
    if draft.output.kind == OutputKind.IMAGE:
        found += _instagram_image(draft.output)
    elif draft.output.kind == OutputKind.VIDEO:
        found += _instagram_reel(draft.output)
    else:
        found.append("Instagram takes an image or a video output.")
    return found


def _caption_problems(caption: str) -> list[str]:
    found = []
    if len(caption) > INSTAGRAM_CAPTION_MAX:
        found.append(f"Instagram captions are at most {INSTAGRAM_CAPTION_MAX} characters.")
    if len(re.findall(r"(?<!\w)#\w+", caption)) > INSTAGRAM_HASHTAGS_MAX:
        found.append(f"Instagram allows at most {INSTAGRAM_HASHTAGS_MAX} hashtags in a caption.")
    if len(re.findall(r"(?<!\w)@\w+", caption)) > INSTAGRAM_MENTIONS_MAX:
        found.append(f"Instagram allows at most {INSTAGRAM_MENTIONS_MAX} @-mentions in a caption.")
    return found


def _instagram_image(output: Output) -> list[str]:
    try:
        with Image.open(io.BytesIO(read_bytes(output))) as image:
            width, height = image.size
    except (OSError, ValueError):
        return ["The image could not be read."]
    ratio = width / height
    low, high = INSTAGRAM_IMAGE_RATIO
    if not low - 0.005 <= ratio <= high + 0.005:
        return [
            f"Instagram feed images must be between 4:5 and 1.91:1; this one is "
            f"{width}×{height} ({ratio:.2f}:1)."
        ]
    if len(instagram_jpeg(output)) > INSTAGRAM_IMAGE_MAX_BYTES:
        return ["Instagram images are at most 8 MB as JPEG."]
    return []


def _instagram_reel(output: Output) -> list[str]:
    data = read_bytes(output)
    if len(data) > INSTAGRAM_REEL_MAX_BYTES:
        return ["Instagram Reels are at most 300 MB."]
    try:
        info = probe_bytes(data)
    except RenderError:
        return ["The video could not be read."]
    found = []
    low, high = INSTAGRAM_REEL_SECONDS
    if not low <= info.duration_seconds <= high:
        found.append(
            f"Instagram Reels last 3 seconds to 15 minutes; this one is "
            f"{info.duration_seconds:.1f} s."
        )
    if (
        info.width
        and info.height
        and not (INSTAGRAM_REEL_RATIO[0] <= info.width / info.height <= INSTAGRAM_REEL_RATIO[1])
    ):
        found.append("Instagram Reels must be between 0.01:1 and 10:1.")
    if info.fps and not INSTAGRAM_REEL_FPS[0] <= info.fps <= INSTAGRAM_REEL_FPS[1]:
        found.append(f"Instagram Reels run at 23 to 60 frames a second, not {info.fps:g}.")
    if info.video_codec and info.video_codec not in ("h264", "hevc"):
        found.append(f"Instagram Reels are H.264 or HEVC video, not {info.video_codec}.")
    return found


def instagram_jpeg(output: Output) -> bytes:
    """Instagram publishes JPEG images only: other formats are converted (on white)."""
    data = read_bytes(output)
    if output.mime_type == "image/jpeg":
        return data
    with Image.open(io.BytesIO(data)) as image:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        buffer = io.BytesIO()
        flat.save(buffer, "JPEG", quality=92)
        return buffer.getvalue()
