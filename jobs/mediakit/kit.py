"""A client's brand kit as the renderers see it: logo, photos and font, already decoded."""

from __future__ import annotations

import os
import re
from collections.abc import Collection
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


# A photo fits a description when its matching words weigh this much: two distinct words,
# or more when the words are shared with other photos of the library.
FIT = 1.5


def _same(a: str, b: str) -> bool:
    """One word in two forms: "bottles"/"bottled", "roast"/"roasted"; not "milk"/"mild"."""
    if a == b:
        return True
    shared = len(os.path.commonprefix([a, b]))
    return shared >= 4 and shared >= max(len(a), len(b)) - 3


def photo_for(
    kit: BrandKit | None, description: str, *, used: Collection[int] = frozenset()
) -> Photo | None:
    """The photo whose description matches `description` best, or None when none fits.

    Each of a photo's words that the description also uses counts 1 divided by how many
    photos share it, so "cold brew" on every product photo tells them apart less than
    "bottles" does; a photo fits at FIT. One that does not fit is not used: the caller draws
    a typographic card instead of putting an unrelated picture behind a described shot.
    Photos in `used` (indexes) lose ties, so consecutive scenes do not repeat a picture.
    """
    if kit is None or not kit.photos:
        return None
    wanted = {w for w in _WORD.findall(description.lower()) if w not in _STOP}
    if wanted & {"team", "staff", "people", "founder", "founders", "barista", "crew"}:
        wanted.add("team")
    words = [photo.words() for photo in kit.photos]
    best: tuple[float, int, int] | None = None
    for index, own in enumerate(words):
        score = 0.0
        for word in own:
            if any(_same(word, w) for w in wanted):
                sharing = sum(1 for other in words if any(_same(word, o) for o in other))
                score += 1 / sharing
        if score < FIT:
            continue
        rank = (score, 0 if index in used else 1, -index)
        if best is None or rank > best:
            best = rank
    return kit.photos[-best[2]] if best else None
