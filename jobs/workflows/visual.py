"""Visual jobs: write the copy for each size, then render every image as a real PNG."""

from __future__ import annotations

import json
from typing import Any

from jobs.mediakit import images
from jobs.mediakit.brand_assets import brand_kit
from jobs.mediakit.kit import BrandKit
from jobs.provider_runtime import configured_providers
from jobs.providers import MediaRequest
from jobs.workflows.base import OutputSpec, StepContext


def image_text(spec: dict[str, Any]) -> str:
    """The words a viewer reads on the image: these are what safety scores."""
    parts = [spec.get("headline", ""), spec.get("subline", ""), spec.get("cta", "")]
    parts += [str(d.get("label", "")) for d in spec.get("data") or []]
    return "\n".join(p for p in parts if p)


def render_spec(spec: dict[str, Any], brand: dict[str, Any], kit: BrandKit | None = None) -> bytes:
    """The PNG for one spec, drawn with the client's uploaded logo, photos and font."""
    kind = spec.get("visualType", "banner")
    width, height = int(spec["width"]), int(spec["height"])
    headline = spec.get("headline", "")
    if kind == "logo":
        # The spec's headline is the name the job was given; the brand's name is only the
        # writer's default for it.
        return images.render_logo(
            size=width,
            brand=brand,
            name=headline or brand.get("name", ""),
            tagline=spec.get("subline", ""),
            kit=kit,
        )
    if kind == "infographic":
        return images.render_infographic(
            width,
            height,
            brand=brand,
            title=headline,
            data=spec.get("data") or [],
            caption=spec.get("subline", ""),
            kit=kit,
        )
    if kind == "social_image":
        return images.render_social_image(
            width,
            height,
            brand=brand,
            headline=headline,
            body=spec.get("subline", ""),
            handle=spec.get("handle", ""),
            cta=spec.get("cta", ""),
            kit=kit,
        )
    return images.render_banner(
        width,
        height,
        brand=brand,
        headline=headline,
        subline=spec.get("subline", ""),
        cta=spec.get("cta", ""),
        kit=kit,
    )


def render_images(context: StepContext) -> None:
    """Fan-out: one image per spec written upstream, with "X of Y" progress."""
    specs = [
        json.loads(o.text)
        if o.kind == "json" and o.text.startswith("{")
        else o.metadata.get("data", {})
        for o in context.upstream.get("copy", [])
    ]
    specs = [s for s in specs if s.get("width") and s.get("height")]
    total = len(specs)
    context.progress(0, total)
    chain = configured_providers().chain("image")
    brand = context.brand
    kit = brand_kit(context.job.client)
    for item, spec in enumerate(specs):
        if context.is_cancelled():
            return
        result = chain.call(
            MediaRequest(
                kind="image",
                params=spec,
                render=lambda s=spec: render_spec(s, brand, kit),
                mime="image/png",
            )
        )
        context.record_attempts(result.attempts)
        png = result.value.data
        info = images.image_info(png)
        kind = spec.get("visualType", "banner")
        context.add_output(
            OutputSpec(
                kind="image",
                key=f"{kind}_{info['width']}x{info['height']}",
                title=f"{kind.replace('_', ' ').title()} {info['width']}×{info['height']}",
                content=png,
                filename=f"{kind}-{info['width']}x{info['height']}.png",
                mime_type="image/png",
                metadata={**info, "visualType": kind, "text": image_text(spec)},
                item=item,
                scored_text=image_text(spec),
            )
        )
        context.progress(item + 1, total)
