"""A client's brand kit as the renderers see it: logo, photos and font, already decoded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PIL import Image

_WORD = re.compile(r"[a-z0-9]+")
# Words too common to tell one photo from another.
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "to",
        "with",
        "we",
        "you",
        "your",
        "its",
        "it",
        "is",
        "are",
        "shot",
        "scene",
        "show",
        "shows",
        "showing",
        "image",
        "photo",
        "picture",
        "close",
        "up",
        "closeup",
        "wide",
        "view",
        "over",
    ]
)


@dataclass(frozen=True, eq=False)
class Photo:
    """An uploaded photo (RGB) and what it shows, in the uploader's words."""

    image: Image.Image
    title: str = ""
    kind: str = "product_photo"

    def words(self) -> set[str]:
        described = f"{self.title} {self.kind.replace('_', ' ')}"
        return {w for w in _WORD.findall(described.lower()) if w not in _STOP}


@dataclass(frozen=True, eq=False)
class BrandKit:
    """What a client uploaded; every part is optional and renderers fall back without it."""

    logo: Image.Image | None = None  # RGBA
    photos: tuple[Photo, ...] = field(default_factory=tuple)
    font: bytes | None = None  # a TrueType/OpenType file checked on upload
    font_name: str = ""

    @property
    def empty(self) -> bool:
        return self.logo is None and not self.photos and self.font is None


def _stem(word: str) -> str:
    # Enough to match "bottles" with "bottle" and "pouring" with "pour"; not a real stemmer.
    for suffix in ("ing", "es", "s", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def photo_for(
    kit: BrandKit | None, description: str, *, used: set[int] = frozenset()
) -> Photo | None:
    """The photo whose description shares the most words with `description`, or None.

    A photo that shares no word does not fit: the caller draws a typographic card instead
    of putting an unrelated picture behind a described shot. Photos in `used` (indexes) lose
    ties, so consecutive scenes do not repeat a picture when another fits as well.
    """
    if kit is None or not kit.photos:
        return None
    wanted = {_stem(w) for w in _WORD.findall(description.lower()) if w not in _STOP}
    wanted |= (
        {"team"} if {"team", "staff", "people", "founder", "barista", "crew"} & wanted else set()
    )
    best: tuple[int, int, int] | None = None
    for index, photo in enumerate(kit.photos):
        score = len(wanted & {_stem(w) for w in photo.words()})
        if score == 0:
            continue
        rank = (score, 0 if index in used else 1, -index)
        if best is None or rank > best:
            best = rank
    return kit.photos[-best[2]] if best else None
