"""What each video scene shows: the client's photo of it, a typographic card, or the end card.

A described shot gets an uploaded photo only when the photo's description shares words with
it; otherwise the scene becomes a typographic card of its key words in the brand's colours,
never an abstract picture standing in for the shot. The last scene is the end card with the
uploaded logo. Photos are assigned over the whole manifest at once, in scene order, so two
scenes do not show the same picture while another fits as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jobs.mediakit import images, stills
from jobs.mediakit.kit import BrandKit, Photo, photo_for


@dataclass(frozen=True)
class Still:
    png: bytes
    source: str  # "photo", "card", "title_card" or "end_card"
    photo_title: str = ""


def _description(scene: dict[str, Any]) -> str:
    visual = scene.get("visual") or {}
    return f"{visual.get('prompt', '')} {scene.get('title', '')}"


def assign_photos(scenes: list[dict[str, Any]], kit: BrandKit | None) -> dict[str, Photo]:
    """Scene id -> the photo it shows, for the scenes a photo fits (all but the last)."""
    chosen: dict[str, Photo] = {}
    if kit is None or not kit.photos:
        return chosen
    used: set[int] = set()
    for scene in scenes[:-1]:
        if (scene.get("visual") or {}).get("kind") != "generated_image":
            continue
        photo = photo_for(kit, _description(scene), used=used)
        if photo is not None:
            chosen[scene["id"]] = photo
            used.add(kit.photos.index(photo))
    return chosen


def scene_still(
    scene: dict[str, Any],
    scenes: list[dict[str, Any]],
    *,
    width: int,
    height: int,
    brand: dict[str, Any],
    kit: BrandKit | None,
    title: str,
) -> Still:
    """The still for `scene` at the video's size."""
    visual = scene.get("visual") or {}
    position = next(i for i, s in enumerate(scenes) if s["id"] == scene["id"])
    if position == len(scenes) - 1:
        line = brand.get("tagline") or ""
        backdrop = photo_for(kit, _description(scene)) if kit else None
        png = stills.end_card(
            width,
            height,
            brand=brand,
            name=brand.get("name", ""),
            line=line,
            kit=kit,
            photo=backdrop,
        )
        return Still(png, "end_card", backdrop.title if backdrop else "")
    photo = assign_photos(scenes, kit).get(scene["id"])
    if photo is not None:
        return Still(stills.photo_still(photo, width, height), "photo", photo.title)
    if visual.get("kind") == "title_card":
        text = scene.get("on_screen_text") or visual.get("prompt") or title
        return Still(
            images.render_title_card(width, height, brand=brand, text=text, kit=kit), "title_card"
        )
    text = stills.card_text(scene.get("narration", ""), fallback=visual.get("prompt") or title)
    png = stills.motion_card(
        width,
        height,
        brand=brand,
        text=text,
        kicker=scene.get("title", ""),
        kit=kit,
        variant=position,
    )
    return Still(png, "card")
