"""Pictures for productions: mood-board sheets and storyboard frames in one consistent look."""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageDraw

from jobs.mediakit.draw import to_png
from jobs.mediakit.fonts import font, wrap_text
from jobs.mediakit.images import render_scene_frame
from jobs.mediakit.palette import parse_color, readable_on

FRAME_W, FRAME_H = 640, 360
# How much of the frame's height the subject fills at each shot size.
SUBJECT_SCALE = {
    "EWS": 0.18,
    "WS": 0.35,
    "MWS": 0.55,
    "MS": 0.75,
    "MCU": 1.0,
    "CU": 1.4,
    "ECU": 2.2,
}


def reference_frame(brand: dict[str, Any], prompt: str, seed: int, caption: str) -> bytes:
    return render_scene_frame(
        FRAME_W, FRAME_H, brand=brand, prompt=prompt, caption=caption, seed=seed
    )


def mood_sheet(
    title: str, palette: list[dict[str, str]], frames: list[bytes], notes: list[str]
) -> bytes:
    """One 1280×800 sheet: the palette as swatches, four reference frames, the style notes."""
    sheet = Image.new("RGB", (1280, 800), (246, 244, 240))
    draw = ImageDraw.Draw(sheet)
    draw.text((40, 28), title, font=font(34, bold=True), fill=(30, 30, 30))
    for index, swatch in enumerate(palette[:6]):
        rgb = parse_color(swatch["hex"])
        x = 40 + index * 200
        draw.rectangle((x, 90, x + 180, 190), fill=rgb)
        draw.text((x + 10, 150), swatch["hex"], font=font(18, bold=True), fill=readable_on(rgb))
        draw.text((x, 196), swatch["role"], font=font(16), fill=(60, 60, 60))
    for index, png in enumerate(frames[:4]):
        from io import BytesIO

        frame = Image.open(BytesIO(png)).convert("RGB").resize((400, 225))
        x, y = 40 + (index % 2) * 420, 240 + (index // 2) * 245
        sheet.paste(frame, (x, y))
    y = 250
    for note in notes[:8]:
        for line in wrap_text(note, font(17), 380)[:3]:
            draw.text((880, y), line, font=font(17), fill=(40, 40, 40))
            y += 22
        y += 10
    return to_png(sheet)


def storyboard_frame(
    brand: dict[str, Any],
    *,
    look: str,
    seed: int,
    number: int,
    size: str,
    move: str,
    description: str,
    accent: str,
) -> bytes:
    """A storyboard panel: the scene's look (same seed per scene), a subject framed at the shot
    size, the camera move as an arrow, and the shot's number, size and action underneath."""
    from io import BytesIO

    base = Image.open(
        BytesIO(render_scene_frame(FRAME_W, FRAME_H, brand=brand, prompt=look, seed=seed))
    )
    panel = base.convert("RGBA")
    layer = Image.new("RGBA", panel.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    scale = SUBJECT_SCALE.get(size, 0.75)
    height = FRAME_H * 0.78 * scale
    cx, ground = FRAME_W * 0.55, FRAME_H * 0.86 + max(0.0, height - FRAME_H * 0.78)
    head = height * 0.14
    # The subject: a head and shoulders silhouette, scaled and cropped by the frame like a lens.
    draw.ellipse(
        (cx - head, ground - height, cx + head, ground - height + 2 * head), fill=(20, 20, 24, 210)
    )
    draw.rounded_rectangle(
        (cx - height * 0.28, ground - height + 2.1 * head, cx + height * 0.28, ground + height * 0.4),
        radius=int(head), fill=(20, 20, 24, 210),
    )  # fmt: skip
    colour = (*parse_color(accent), 255)
    _move_arrow(draw, move, colour)
    # Thirds guides, as on a camera monitor.
    for i in (1, 2):
        draw.line((FRAME_W * i / 3, 0, FRAME_W * i / 3, FRAME_H), fill=(255, 255, 255, 50), width=1)
        draw.line((0, FRAME_H * i / 3, FRAME_W, FRAME_H * i / 3), fill=(255, 255, 255, 50), width=1)
    panel = Image.alpha_composite(panel, layer)
    board = Image.new("RGB", (FRAME_W, FRAME_H + 90), (250, 250, 248))
    board.paste(panel.convert("RGB"), (0, 0))
    text = ImageDraw.Draw(board)
    text.text(
        (12, FRAME_H + 8),
        f"SHOT {number:02d} · {size} · {move}",
        font=font(18, bold=True),
        fill=(20, 20, 20),
    )
    for i, line in enumerate(wrap_text(description, font(15), FRAME_W - 24)[:3]):
        text.text((12, FRAME_H + 34 + i * 18), line, font=font(15), fill=(50, 50, 50))
    return to_png(board)


def _move_arrow(draw: ImageDraw.ImageDraw, move: str, colour: tuple[int, ...]) -> None:
    lowered = move.lower()
    w, h = FRAME_W, FRAME_H
    if "push" in lowered or "dolly in" in lowered:
        for inset in (0.06, 0.12):
            draw.rectangle(
                (w * inset, h * inset, w * (1 - inset), h * (1 - inset)), outline=colour, width=3
            )
        return
    if "static" in lowered or "locked" in lowered:
        return
    y = h * 0.12
    if "tilt" in lowered or "crane" in lowered:
        x = w * 0.1
        draw.line((x, h * 0.75, x, h * 0.2), fill=colour, width=5)
        draw.polygon([(x - 12, h * 0.24), (x + 12, h * 0.24), (x, h * 0.16)], fill=colour)
        return
    draw.line((w * 0.2, y, w * 0.8, y), fill=colour, width=5)
    draw.polygon([(w * 0.8, y - 12), (w * 0.8, y + 12), (w * 0.84, y)], fill=colour)
