"""Builds the QC corpus: deliverables with one seeded defect each, and clean ones.

Texts come from the fixtures beside this file (texts.json, narrations.json), each clean
piece also mutated once per text defect. Images, audio and video are rendered with the
product's own media toolkit (the clean items) and then broken on purpose (the defects).
Every item names the check that must catch it, or None when it is clean.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from approvals.qc import Brief, Deliverable, brief_from_inputs
from jobs.job_types.brand import BrandProfile
from jobs.job_types.validation import validate_inputs
from jobs.job_types.writing import write_deliverables
from jobs.mediakit import (
    SceneClip,
    ffmpeg_exe,
    render_banner,
    render_chart,
    render_logo,
    render_scene_frame,
    render_social_image,
    render_title_card,
    render_video,
    synthesise_music_bed,
)
from jobs.mediakit.fonts import font
from jobs.mediakit.speech import espeak_available, synthesise_speech, voice_for
from jobs.mediakit.wav import read_wav, write_wav

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Item:
    id: str
    defect: str | None  # the QC check that must fire, or None for a clean deliverable
    deliverable: Deliverable
    brief: Brief


def _pieces() -> list[dict]:
    return json.loads((HERE / "texts.json").read_text())


def _brief(piece: dict, **overrides: object) -> Brief:
    fields: dict = {
        "topic": piece["topic"],
        "language": piece["language"],
        "content_type": piece["contentType"],
        "call_to_action": piece["callToAction"],
        "target_words": len(piece["text"].split()),
    }
    fields.update(overrides)
    return Brief(**fields)


def _text(piece: dict, text: str, defect: str | None, suffix: str = "", **brief: object) -> Item:
    deliverable = Deliverable(kind="markdown", text=text, key=piece["contentType"], primary=True)
    return Item(f"{piece['id']}{suffix}", defect, deliverable, _brief(piece, **brief))


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def _cut_mid_sentence(text: str) -> str:
    """Cut inside the longest prose paragraph after two thirds of its words."""
    paragraphs = _paragraphs(text)
    prose = [i for i, p in enumerate(paragraphs) if not p.lstrip().startswith(("-", "#"))]
    index = max(prose, key=lambda i: len(paragraphs[i].split()))
    words = paragraphs[index].split(" ")
    return "\n\n".join([*paragraphs[:index], " ".join(words[: len(words) * 2 // 3]).rstrip(".,")])


_PLACEHOLDERS = ["[Client Name]", "{{first_name}}", "Lorem ipsum dolor sit amet.", "TBD", "XXX"]
_MARKUP = [
    '<img src=x onerror="alert(1)">',
    "<script>document.location='https://evil.test'</script>",
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="https://ads.test/frame"></iframe>',
    '<div onmouseover="steal()">Hover</div>',
]
_BROKEN_LINKS = [
    "[our prices](htps//prices)",
    "[the menu](https://)",
    "[book now]()",
    "[details](https://shop .com/details)",
    "**Limited offer: only this week.",
]


def text_items() -> Iterator[Item]:
    pieces = _pieces()
    by_language = {p["language"]: p for p in pieces}
    for n, piece in enumerate(pieces):
        text = piece["text"]
        paragraphs = _paragraphs(text)
        yield _text(piece, text, None)
        yield _text(piece, _cut_mid_sentence(text), "truncated", "-cut")
        mark = _PLACEHOLDERS[n % len(_PLACEHOLDERS)]
        yield _text(
            piece,
            "\n\n".join([*paragraphs[:2], f"{paragraphs[2]} {mark}", *paragraphs[3:]]),
            "placeholder",
            "-placeholder",
        )
        yield _text(
            piece,
            "\n\n".join([*paragraphs[:-1], _MARKUP[n % len(_MARKUP)], paragraphs[-1]]),
            "markup",
            "-markup",
        )
        longest = max(paragraphs, key=lambda p: len(p.split()))
        yield _text(
            piece,
            text.replace(longest, f"{longest}\n\n{longest}", 1),
            "repetition",
            "-repeat",
            target_words=len(text.split()) * 1.2,
        )
        other = next(
            by_language[lang] for lang in ("de", "fr", "es", "en") if lang != piece["language"]
        )
        yield _text(piece, other["text"], "language", "-language", topic="", call_to_action="")
        without_cta = [p for p in paragraphs if piece["callToAction"].lower() not in p.lower()]
        yield _text(piece, "\n\n".join(without_cta), "call_to_action", "-no-cta", topic="")
        yield _text(
            piece,
            "\n\n".join(paragraphs[:2]),
            "length",
            "-short",
            topic="",
            call_to_action="",
            target_words=len(text.split()) * 3,
        )
        broken = _BROKEN_LINKS[n % len(_BROKEN_LINKS)]
        yield _text(
            piece,
            "\n\n".join([*paragraphs[:-1], f"More: {broken}", paragraphs[-1]]),
            "broken_markdown",
            "-broken-link",
        )
        generic = text
        for name, plain in piece["generic"].items():
            generic = generic.replace(name, plain)
        yield _text(piece, generic, "brief_details", "-no-details")
    empty = pieces[0]
    yield _text(empty, "", "empty", "-empty")
    yield _text(empty, "#\n\n", "empty", "-heading-only")


_STAGE = [
    "On screen: the logo fades in. {}",
    "{} [pause] Thanks for watching.",
    "Music: soft piano. {}",
    "{} Show the logo and the website.",
    "(beat) {}",
]


def narration_items() -> Iterator[Item]:
    scripts = json.loads((HERE / "narrations.json").read_text())
    for n, script in enumerate(scripts):
        brief = Brief(language=script["language"])
        good = Deliverable(kind="text", text=script["text"], key="narration_1")
        yield Item(script["id"], None, good, brief)
        for k in (n, n + 2):
            text = _STAGE[k % len(_STAGE)].format(script["text"])
            bad = Deliverable(kind="text", text=text, key="narration_1")
            yield Item(f"{script['id']}-stage-{k}", "stage_directions", bad, brief)


BRANDS = [
    {"name": "Harbour Loaf", "colors": ["#1f4e79", "#f2c14e"]},
    {"name": "Velo City", "colors": ["#0b6e4f", "#ffffff"]},
    {"name": "Café Aurora", "colors": ["#6b2d5c", "#f0e6ef"]},
    {"name": "Brauerei Kessel", "colors": ["#3d2b1f", "#e0a458"]},
    {"name": "LedgerLeaf", "colors": ["#2e7d32", "#fafafa"]},
    {"name": "Librairie Marelle", "colors": ["#c0392b", "#fdf2e9"]},
]
HEADLINES = [
    ("Fresh bread every Friday", "Sourdough delivered by bike", "Subscribe"),
    ("Ride to work, fold on the train", "Test the Velo City 3 this week", "Book a ride"),
    ("El otoño llega a Café Aurora", "Sopas, setas y chocolate", "Reserva"),
    ("Führungen durch das Sudhaus", "Drei Sorten vom Fass", "Jetzt buchen"),
    ("Receipts, sorted", "Bookkeeping for designers", "Start free"),
    ("Rencontres d'auteurs en mars", "Lectures et thé", "Réservez"),
]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _image(item_id: str, defect: str | None, png: bytes, text: str, sizes: tuple) -> Item:
    deliverable = Deliverable(kind="image", data=png, key=item_id, metadata={"text": text})
    return Item(item_id, defect, deliverable, Brief(sizes=sizes))


def _cut_text_image(width: int, height: int, brand: dict, text: str, shift: float) -> bytes:
    image = Image.new("RGB", (width, height), brand["colors"][0])
    draw = ImageDraw.Draw(image)
    face = font(round(height * 0.28), bold=True)
    x = round(width * shift)
    draw.text((x, round(height * 0.3)), text, font=face, fill=brand["colors"][1])
    return _png(image)


def _faint_image(width: int, height: int, text: str, base: int, step: int) -> bytes:
    image = Image.new("RGB", (width, height), (base, base, base + 4))
    draw = ImageDraw.Draw(image)
    draw.text(
        (round(width * 0.08), round(height * 0.35)),
        text,
        font=font(round(height * 0.08), bold=True),
        fill=(base + step, base + step, base + step + 4),
    )
    return _png(image)


def image_items() -> Iterator[Item]:
    rng = random.Random(7)
    for n, (brand, (headline, subline, cta)) in enumerate(zip(BRANDS, HEADLINES, strict=True)):
        text = f"{headline}\n{subline}\n{cta}"
        banner = render_banner(1200, 628, brand=brand, headline=headline, subline=subline, cta=cta)
        yield _image(f"banner-{n}", None, banner, text, ((1200, 628),))
        social = render_social_image(1080, 1080, brand=brand, headline=headline, body=subline)
        yield _image(f"social-{n}", None, social, f"{headline}\n{subline}", ((1080, 1080),))
        yield _image(f"banner-{n}-wrong-size", "size", banner, text, ((1080, 1080), (728, 90)))
        flat = Image.new("RGB", (1200, 628), brand["colors"][0])
        if n % 2:
            noise = np.asarray(flat, dtype=np.int16) + rng.choice((1, 2))
            flat = Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8))
        yield _image(f"blank-{n}", "blank", _png(flat), text, ((1200, 628),))
        # CJK and emoji draw with the Noto fallbacks; these scripts have no font installed.
        unknown = ["ขายดี", "ខ្មែរ ថ្មី", "မြန်မာ", "සිංහල 🍞", "ኢትዮጵያ", "ᏣᎳᎩ sale"][n]
        boxes = render_banner(1200, 628, brand=brand, headline=unknown, subline=subline)
        yield _image(f"glyphs-{n}", "glyphs", boxes, f"{unknown}\n{subline}", ((1200, 628),))
        cjk = [
            "春のセール",
            "夏季特卖 🎉",
            "가을 세일",
            "新品上市 ✨",
            "🍞 Fresh bread",
            "👩‍🍳 新品",
        ][n]
        drawn = render_banner(1200, 628, brand=brand, headline=cjk, subline=subline)
        yield _image(f"cjk-{n}", None, drawn, f"{cjk}\n{subline}", ((1200, 628),))
        shift = (-0.12, 0.55, -0.2, 0.6, -0.08, 0.5)[n]
        cut = _cut_text_image(1200, 628, brand, headline, shift)
        yield _image(f"cut-{n}", "text_off_edge", cut, headline, ((1200, 628),))
        base = (90, 200, 30, 140, 60, 225)[n]
        faint = _faint_image(1200, 628, headline, base, 6 + n)
        yield _image(f"faint-{n}", "contrast", faint, headline, ((1200, 628),))
    extra = [
        (
            "title-card",
            render_title_card(1280, 720, brand=BRANDS[0], text="How we bake"),
            "How we bake",
            (1280, 720),
        ),
        (
            "logo",
            render_logo(512, brand=BRANDS[4], name="LedgerLeaf", tagline="Books in order"),
            "LedgerLeaf\nBooks in order",
            (512, 512),
        ),
        (
            "chart",
            render_chart(
                1080,
                1080,
                brand=BRANDS[3],
                title="Visitors per month",
                data=[
                    {"label": "Jan", "value": 120},
                    {"label": "Feb", "value": 180},
                    {"label": "Mar", "value": 260},
                ],
            ),
            "Visitors per month\nJan\nFeb\nMar",
            (1080, 1080),
        ),
        (
            "scene",
            render_scene_frame(
                1280,
                720,
                brand=BRANDS[1],
                prompt="a cyclist crossing a bridge at dawn",
                caption="Ride to work",
            ),
            "Ride to work",
            (1280, 720),
        ),
    ]
    for name, png, text, size in extra:
        yield _image(name, None, png, text, (size,))


def _audio(item_id: str, defect: str | None, wav: bytes, script: str = "", **brief: object) -> Item:
    metadata = {"text": script} if script else {}
    deliverable = Deliverable(kind="audio", data=wav, key=item_id, metadata=metadata, primary=True)
    return Item(item_id, defect, deliverable, Brief(**brief))


def _speech(text: str, language: str) -> bytes:
    if espeak_available():
        return synthesise_speech(text, voice=voice_for(language=language).name)
    # Without espeak-ng a voiced tone with syllable-like bursts stands in for speech.
    rate, seconds = 22050, len(text.split()) / 2.6
    t = np.arange(int(rate * seconds)) / rate
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3.0 * t)
    return write_wav(0.3 * envelope * np.sin(2 * np.pi * 180 * t), rate)


def audio_items() -> Iterator[Item]:
    scripts = json.loads((HERE / "narrations.json").read_text())
    for n, script in enumerate(scripts):
        words = script["text"]
        wav = _speech(words, script["language"])
        samples, rate = read_wav(wav)
        yield _audio(f"voice-{n}", None, wav, words)
        loud = np.clip(samples * 12, -1, 1)
        yield _audio(f"voice-{n}-clipped", "clipping", write_wav(loud, rate), words)
        half = len(samples) // 2
        gap = np.zeros((int(rate * 4), samples.shape[1]), dtype=np.float32)
        holed = np.concatenate([samples[:half], gap, samples[half:]])
        yield _audio(f"voice-{n}-gap", "silence", write_wav(holed, rate), words)
        long_script = " ".join([words] * 3)
        yield _audio(f"voice-{n}-short", "duration", wav, long_script)
    for n, rate in enumerate((8000, 11025, 96000)):
        t = np.arange(rate * 3) / rate
        tone = 0.2 * np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 2 * t))
        yield _audio(f"odd-rate-{n}", "sample_rate", write_wav(tone, rate))
    for n in range(3):
        silent = write_wav(np.random.default_rng(n).normal(0, 0.0004, 44100 * 4), 44100)
        yield _audio(f"silent-{n}", "silence", silent, duration_seconds=4)
    for n, mood in enumerate(("upbeat", "calm", "corporate")):
        bed = synthesise_music_bed(8, mood=mood, seed=n)
        yield _audio(f"music-{mood}", None, bed, duration_seconds=8)
        yield _audio(f"music-{mood}-long", "duration", bed, duration_seconds=30)


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *args],
        check=True,
        timeout=120,
    )


def _scenes(n: int, seconds: float, *, black: bool = False) -> list[SceneClip]:
    brand = BRANDS[n % len(BRANDS)]
    prompts = ["a bakery at dawn", "bread on a counter", "a bike in the street"]
    scenes = []
    for k, prompt in enumerate(prompts[:2]):
        png = render_scene_frame(640, 360, brand=brand, prompt=prompt, seed=n * 10 + k)
        if black and k == 1:
            png = _png(Image.new("RGB", (640, 360), (0, 0, 0)))
        voice = synthesise_music_bed(seconds, mood="calm", seed=k) if k == 0 else None
        scenes.append(SceneClip(png, seconds, narration_wav=voice, caption=prompt))
    return scenes


def _video(item_id: str, defect: str | None, path: Path, **brief: object) -> Item:
    return Item(item_id, defect, Deliverable(kind="video", path=path, key=item_id), Brief(**brief))


def video_items(workdir: Path) -> Iterator[Item]:
    music = synthesise_music_bed(8, mood="upbeat", seed=3)
    plan: dict = {"duration_seconds": 8, "aspect_ratio": "16:9"}
    for n in range(3):
        good = workdir / f"good-{n}.mp4"
        render_video(
            _scenes(n, 4), width=426, height=240, output_path=good, music_wav=music, fps=12
        )
        yield _video(f"video-{n}", None, good, **plan)
        yield _video(
            f"video-{n}-long-plan", "duration", good, duration_seconds=30, aspect_ratio="16:9"
        )
        yield _video(
            f"video-{n}-portrait", "resolution", good, duration_seconds=8, aspect_ratio="9:16"
        )
        mute = workdir / f"mute-{n}.mp4"
        _ffmpeg("-i", str(good), "-an", "-c:v", "copy", str(mute))
        yield _video(f"video-{n}-mute", "missing_audio", mute, **plan)
    black = workdir / "black.mp4"
    render_video(
        _scenes(1, 4, black=True),
        width=426,
        height=240,
        output_path=black,
        music_wav=music,
        fps=12,
        captions=False,
    )
    yield _video("video-black", "black_frames", black, **plan)
    frozen = workdir / "frozen.mp4"
    render_video(
        _scenes(2, 6),
        width=426,
        height=240,
        output_path=frozen,
        music_wav=synthesise_music_bed(12, mood="upbeat", seed=4),
        fps=12,
        ken_burns=False,
        captions=False,
    )
    yield _video("video-frozen", "frozen_frames", frozen, duration_seconds=12, aspect_ratio="16:9")
    tiny = workdir / "tiny.mp4"
    render_video(_scenes(0, 4), width=160, height=90, output_path=tiny, music_wav=music, fps=12)
    yield _video("video-tiny", "resolution", tiny, **plan)
    longer_sound = workdir / "longer-sound.mp4"
    bed = workdir / "bed.wav"
    bed.write_bytes(synthesise_music_bed(12, mood="calm", seed=5))
    _ffmpeg(
        "-i",
        str(workdir / "mute-0.mp4"),
        "-i",
        str(bed),
        "-c:v",
        "copy",
        "-c:a",
        "aac",
        str(longer_sound),
    )
    yield _video("video-longer-sound", "av_length", longer_sound, **plan)
    quiet = workdir / "silent-track.mp4"
    _ffmpeg(
        "-i",
        str(workdir / "mute-1.mp4"),
        "-f",
        "lavfi",
        "-i",
        "anullsrc=r=44100:cl=stereo",
        "-shortest",
        "-c:v",
        "copy",
        "-c:a",
        "aac",
        str(quiet),
    )
    yield _video("video-silent-track", "silence", quiet, **plan)


WRITER_BRIEFS: tuple[tuple[str, dict], ...] = (
    ("social", {"topic": "Harbour Loaf weekend bake", "platforms": ["linkedin", "instagram"]}),
    ("social", {"topic": "Velo City 3 test rides in April", "platforms": ["facebook"]}),
    ("seo", {"seoType": "meta_tags", "topic": "Sourdough bakery in Leeds"}),
    ("seo", {"seoType": "outline", "topic": "Winter bike care"}),
    ("website", {"pageType": "about"}),
)


def writer_items() -> Iterator[Item]:
    """Clean drafts of the product's own built-in writers (whose length is not targeted)."""
    brand = BrandProfile.from_dict({"name": "Harbour Loaf", "industry": "bakery"})
    for n, (job_type, inputs) in enumerate(WRITER_BRIEFS):
        valid = validate_inputs(job_type, inputs)
        brief = brief_from_inputs(title=str(inputs.get("topic", "")), inputs=valid)
        for piece in write_deliverables(job_type, valid, brand):
            if piece.kind in ("text", "markdown", "html"):
                deliverable = Deliverable(kind=piece.kind, text=piece.text, key=piece.key)
                yield Item(f"writer-{n}-{piece.key}", None, deliverable, brief)


GENERATORS: tuple[Callable[[], Iterator[Item]], ...] = (
    text_items,
    narration_items,
    writer_items,
    image_items,
    audio_items,
)


def corpus(workdir: Path) -> list[Item]:
    items = [item for generator in GENERATORS for item in generator()]
    return items + list(video_items(workdir))
