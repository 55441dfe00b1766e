"""Video jobs: plan the treatment into a manifest, then run its DAG of media steps to an MP4.

The step list grows once the plan exists: before, the workflow is just "plan"; after, it is
plan plus one step per DAG node (speech, image, chart, music, timeline, render), so the
engine runs independent media steps in parallel and the render waits for all of them.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from jobs.mediakit import images, stills
from jobs.mediakit.brand_assets import brand_kit
from jobs.mediakit.captions import Cue, cues_from_words, to_srt, to_vtt
from jobs.mediakit.ffmpeg import probe
from jobs.mediakit.music import synthesise_music_bed
from jobs.mediakit.narration import Narration, narrate, timed_clip
from jobs.mediakit.scenefit import fit_scenes
from jobs.mediakit.speech import espeak_available, synthesise_speech, voice_for
from jobs.mediakit.video import (
    TRANSITION_SECONDS,
    SceneClip,
    Segment,
    join_segments,
    plan_segments,
    render_segment,
    shotstack_timeline,
    soundtrack_for,
)
from jobs.mediakit.wav import silence, wav_info
from jobs.models import Manifest, ProductionJob
from jobs.planner.extractor import Complete
from jobs.planner.pipeline import plan
from jobs.provider_runtime import configured_providers
from jobs.providers import Attempt, MediaRequest, TextRequest, is_local
from jobs.workflows.base import OutputSpec, Step, StepContext
from jobs.workflows.media import call_media
from jobs.workflows.scene_stills import Still, scene_still

PLAN = "plan"
FPS = 25
# How long a video whose last scene is a chart shows its end card (at most 40% of the scene).
END_CARD_SECONDS = 2.0


def planner_user_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "duration": inputs.get("durationSeconds"),
        "aspectRatio": inputs.get("aspectRatio"),
        "platform": inputs.get("platform"),
        "tone": inputs.get("tone"),
        "language": inputs.get("language"),
        "resolution": inputs.get("resolution"),
    }


def model_completion(attempts: list[Attempt]) -> Complete | None:
    """A completion through the text chain when a hosted model is configured, else None.

    The built-in text provider only echoes drafts, so a chain of built-ins has no model to
    ask; the parser is then the whole plan. Every try of the chain is added to `attempts`.
    """
    providers = configured_providers()
    if providers.is_offline("text"):
        return None
    chain = providers.chain("text")

    def complete(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        # No draft: if every hosted provider fails, the built-in one fails too and the
        # planner falls back to its parser instead of reading an echo as a model's answer.
        request = TextRequest(messages=messages, max_tokens=max_tokens, temperature=0.0)
        result = chain.call(request, on_attempt=attempts.append)
        return "" if is_local(result.provider) else result.value.text

    return complete


def plan_video(context: StepContext) -> None:
    job = context.job
    attempts: list[Attempt] = []
    complete = model_completion(attempts)
    try:
        result = plan(
            context.inputs.get("treatment", ""),
            user=planner_user_inputs(context.inputs),
            title=job.title,
            profile=context.brand,
            complete=complete,
            use_model=complete is not None,
        )
    finally:
        context.record_attempts(list(attempts))
    dag = [node_as_dict(node) for node in result.dag]
    Manifest.objects.update_or_create(
        job=job,
        defaults={
            "client_id": job.client_id,
            "treatment": context.inputs.get("treatment", ""),
            "inputs": context.inputs,
            "manifest": result.manifest,
            "dag": dag,
            "valid": result.valid,
            "repairs": result.repairs,
            "warnings": result.warnings,
            "used_repair": result.used_repair,
            "used_fallback": result.used_fallback,
            "used_model": result.used_model,
            "processing_ms": result.processing_ms,
        },
    )
    if result.warnings or result.repairs:
        context.note = "; ".join([*result.repairs, *result.warnings])[:2000]
    # The words the audience will hear, as plain text: bracketed timecodes would read as
    # leftover placeholders to the safety scorer.
    narration = "\n\n".join(
        scene["narration"].strip()
        for scene in result.manifest.get("scenes", [])
        if scene.get("narration", "").strip()
    )
    context.add_output(
        OutputSpec(
            kind="json",
            key="manifest",
            title="Production manifest",
            text=json.dumps(result.manifest, indent=2),
            metadata={
                "repairs": result.repairs,
                "warnings": result.warnings,
                "valid": result.valid,
                "scenes": len(result.manifest.get("scenes", [])),
            },
            scored_text=narration,
        )
    )


def node_as_dict(node: Any) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind,
        "scene_id": node.scene_id,
        "depends_on": list(node.depends_on),
        "params": node.params,
    }


def remember_manifest(job: ProductionJob, record: Manifest) -> None:
    """Hand an already loaded manifest to the workflow, so listing the steps needs no query."""
    job._manifest_cache = record  # type: ignore[attr-defined]


def _manifest(job: ProductionJob) -> Manifest | None:
    cached = getattr(job, "_manifest_cache", None)
    if cached is None:
        cached = Manifest.objects.filter(job=job).first()
        if cached is not None:
            job._manifest_cache = cached  # type: ignore[attr-defined]
    return cached


def video_steps(job: ProductionJob) -> list[Step]:
    steps = [Step(PLAN, "Plan the production", plan_video)]
    record = _manifest(job)
    if record is None or record.inputs.get("treatment") != (job.input_data or {}).get("treatment"):
        return steps
    # Labels name scenes by their number as the treatment counts them ("Narrate scene 2").
    numbers = {s["id"]: s.get("index", s["id"]) for s in record.manifest.get("scenes", [])}
    for node in record.dag:
        kind = node["kind"]
        scene = numbers.get(node.get("scene_id"), node.get("scene_id") or "")
        steps.append(
            Step(
                node["id"],
                NODE_LABELS.get(kind, kind).format(scene=scene),
                NODE_HANDLERS[kind],
                depends_on=(PLAN, *node["depends_on"]),
                capability=NODE_CAPABILITY.get(kind, "render"),
            )
        )
    return steps


def _scene(context: StepContext, scene_id: str) -> dict[str, Any]:
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    return next(s for s in manifest["scenes"] if s["id"] == scene_id)


def _resolution(context: StepContext) -> tuple[int, int]:
    resolution = _manifest(context.job).manifest["metadata"]["resolution"]  # type: ignore[union-attr]
    return int(resolution["width"]), int(resolution["height"])


def _node(context: StepContext) -> dict[str, Any]:
    record = _manifest(context.job)
    return next(n for n in record.dag if n["id"] == context.step.name)  # type: ignore[union-attr]


def _media(
    context: StepContext, capability: str, kind: str, params: dict, render, mime: str
) -> bytes:  # noqa: ANN001
    request = MediaRequest(kind=kind, params=params, render=render, mime=mime)
    return call_media(context, capability, request).data


def speech_step(context: StepContext) -> None:
    """The scene's narration, with every word's timing for captions and scene fitting."""
    node = _node(context)
    scene = _scene(context, node["scene_id"])
    text = scene.get("narration", "")
    meta = _manifest(context.job).manifest["metadata"]  # type: ignore[union-attr]
    # The plan's language picks the espeak-ng voice; its tone the pace and pitch.
    voice = voice_for(meta.get("tone") or "", node["params"].get("language") or meta["language"])
    spoken: list[Narration] = []
    if not espeak_available():
        context.note = "Narration skipped: espeak-ng is not installed on this worker."
        wav = silence(float(scene["duration"]))
        timed = Narration(wav, (), 0.0)
    else:
        if voice.substituted:
            context.note = f"No espeak-ng voice for “{voice.substituted}”: read in English."

        def render() -> bytes:
            said = narrate(
                text,
                lambda sentence: synthesise_speech(
                    sentence,
                    voice=voice.name,
                    words_per_minute=voice.words_per_minute,
                    pitch=voice.pitch,
                ),
            )
            spoken.append(said)
            return said.wav

        wav = _media(
            context, "speech", "speech", {"text": text, "voice": voice.name}, render, "audio/wav"
        )
        # A hosted voice brings no timings: estimate them from its audio.
        timed = spoken[-1] if spoken and spoken[-1].wav == wav else timed_clip(text, wav)
    context.add_output(
        OutputSpec(
            kind="audio",
            key=f"narration_{scene['id']}",
            title=f"Narration, scene {scene['index']}",
            content=wav,
            filename=f"narration-{scene['id']}.wav",
            mime_type="audio/wav",
            metadata={
                **wav_info(wav),
                "scene_id": scene["id"],
                "text": text,
                "voice": voice.name,
                "speech_seconds": timed.speech_seconds,
                "words": [word.as_list() for word in timed.words],
            },
            scored_text=text,
        )
    )


def image_step(context: StepContext) -> None:
    """The scene's still: the client's photo of it, a typographic card or the end card."""
    node = _node(context)
    scene = _scene(context, node["scene_id"])
    width, height = _resolution(context)
    visual = scene.get("visual") or {}
    prompt = visual.get("prompt") or scene.get("narration", "") or context.job.title
    scenes = _manifest(context.job).manifest["scenes"]  # type: ignore[union-attr]
    brand = context.brand
    kit = brand_kit(context.job.client)
    made: list[Still] = []

    def render() -> bytes:
        still = scene_still(
            scene, scenes, width=width, height=height, brand=brand, kit=kit, title=context.job.title
        )
        made.append(still)
        return still.png

    png = _media(
        context,
        "image",
        "image",
        {"prompt": prompt, "width": width, "height": height},
        render,
        "image/png",
    )
    # What the built-in renderer drew; a hosted image provider's picture has no such note.
    drawn = {"source": made[-1].source, "photo": made[-1].photo_title} if made else {}
    context.add_output(
        OutputSpec(
            kind="image",
            key=f"frame_{scene['id']}",
            title=f"Scene {scene['index']} frame",
            content=png,
            filename=f"frame-{scene['id']}.png",
            mime_type="image/png",
            metadata={
                **images.image_info(png),
                "scene_id": scene["id"],
                "prompt": prompt,
                **drawn,
            },
            scored_text=scene.get("on_screen_text") or None,
        )
    )


def chart_step(context: StepContext) -> None:
    node = _node(context)
    scene = _scene(context, node["scene_id"])
    width, height = _resolution(context)
    data = (scene.get("chart") or {}).get("data") or node["params"].get("data") or []
    title = scene.get("on_screen_text") or scene.get("title") or "In numbers"
    brand = context.brand
    # In the brand's font and colours, with its logo, like every other frame of the video.
    kit = brand_kit(context.job.client)
    png = _media(
        context,
        "image",
        "chart",
        {"data": data},
        lambda: images.render_chart(width, height, brand=brand, title=title, data=data, kit=kit),
        "image/png",
    )
    labels = " ".join(str(d.get("label", "")) for d in data)
    context.add_output(
        OutputSpec(
            kind="image",
            key=f"chart_{scene['id']}",
            title=f"Scene {scene['index']} chart",
            content=png,
            filename=f"chart-{scene['id']}.png",
            mime_type="image/png",
            metadata={**images.image_info(png), "scene_id": scene["id"], "data": data},
            scored_text=f"{title} {labels}",
        )
    )


def music_step(context: StepContext) -> None:
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    duration = float(manifest["metadata"]["duration_seconds"])
    cues = (manifest.get("audio") or {}).get("music") or [{}]
    mood = cues[0].get("mood") or "upbeat"
    wav = _media(
        context,
        "music",
        "music",
        {"mood": mood, "duration": duration},
        lambda: synthesise_music_bed(duration, mood=mood),
        "audio/wav",
    )
    context.add_output(
        OutputSpec(
            kind="audio",
            key="music_bed",
            title="Music bed",
            content=wav,
            filename="music-bed.wav",
            mime_type="audio/wav",
            metadata={**wav_info(wav), "mood": mood},
        )
    )


def _by_scene(context: StepContext, kind: str) -> dict[str, Any]:
    found = {}
    for outputs in context.upstream.values():
        for output in outputs:
            if output.kind == kind and output.metadata.get("scene_id"):
                found[output.metadata["scene_id"]] = output
    return found


def _fitted(context: StepContext) -> dict[str, Any]:
    """The fitted timeline the timeline step worked out: durations, starts, cues, burn-in."""
    timeline = next(o for o in context.upstream["timeline"] if o.key == "timeline")
    return timeline.metadata


def timeline_step(context: StepContext) -> None:
    """Fit the scenes to their narration (never cut a word), lay out the edit, and write the
    captions as SRT and WebVTT from the words' timings."""
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    width, height = _resolution(context)
    frames = _by_scene(context, "image")
    voices = _by_scene(context, "audio")
    music = [o for outs in context.upstream.values() for o in outs if o.key == "music_bed"]
    scenes = manifest["scenes"]
    speech = [
        float(voices[s["id"]].metadata.get("speech_seconds") or 0) if s["id"] in voices else 0.0
        for s in scenes
    ]
    fit = fit_scenes([float(s["duration"]) for s in scenes], speech)
    starts = [round(sum(fit.durations[:i]), 3) for i in range(len(scenes))]
    words = []
    scenes_meta = []
    for scene, start, duration in zip(scenes, starts, fit.durations, strict=True):
        frame = frames.get(scene["id"])
        voice = voices.get(scene["id"])
        if voice is not None:
            words += [(w, start + a, start + b) for w, a, b in voice.metadata.get("words", [])]
        scenes_meta.append(
            {
                "image_src": frame.file.name if frame else "",
                "duration": duration,
                "start": start,
                "narration_src": voice.file.name if voice else None,
                "caption": scene.get("on_screen_text", ""),
            }
        )
    cues = cues_from_words(words)
    timeline = shotstack_timeline(
        scenes_meta, width=width, height=height, music_src=music[0].file.name if music else None
    )
    if fit.warnings:
        context.note = "; ".join(fit.warnings)[:2000]
    burn = bool(context.inputs.get("burnCaptions"))
    context.add_output(
        OutputSpec(
            kind="json",
            key="timeline",
            title="Render timeline (Shotstack-style)",
            text=json.dumps(timeline, indent=2),
            metadata={
                "tracks": len(timeline.get("timeline", {}).get("tracks", [])),
                "durations": list(fit.durations),
                "starts": starts,
                "total_seconds": fit.total,
                "warnings": list(fit.warnings),
                "cues": [[c.start, c.end, c.text] for c in cues],
                "burn_captions": burn,
            },
        )
    )
    if not cues:
        return
    spoken = " ".join(c.text for c in cues)
    for item, (key, text, filename, mime) in enumerate(
        (
            ("captions_srt", to_srt(cues), "captions.srt", "application/x-subrip"),
            ("captions_vtt", to_vtt(cues), "captions.vtt", "text/vtt"),
        ),
        start=1,
    ):
        context.add_output(
            OutputSpec(
                kind="text",
                key=key,
                title=f"Captions ({filename.rsplit('.', 1)[1].upper()})",
                text=text,
                content=text.encode("utf-8"),
                filename=filename,
                mime_type=mime,
                metadata={"cues": len(cues), "format": filename.rsplit(".", 1)[1]},
                scored_text=spoken,
                item=item,
            )
        )


def _read(output: Any) -> bytes:
    with output.file.open("rb") as handle:
        return handle.read()


def _picture(context: StepContext, scene: dict[str, Any], frames: dict[str, Any]) -> bytes:
    """The scene's still, or a title card when no picture was made for it."""
    frame = frames.get(scene["id"])
    if frame is not None:
        return _read(frame)
    width, height = _resolution(context)
    text = scene.get("on_screen_text") or context.job.title
    return images.render_title_card(width, height, brand=context.brand, text=text)


# What the built-in stills draw with type only (see scene_stills.scene_still); a photo or a
# hosted provider's picture may pan and zoom in full.
TYPE_STILLS = ("card", "title_card", "end_card")


def _is_type(frame: Any) -> bool:
    """Whether the scene's still is made of type: a drawn card or chart, or no picture at all
    (the title card `_picture` draws then)."""
    if frame is None:
        return True
    return frame.key.startswith("chart_") or frame.metadata.get("source") in TYPE_STILLS


def _clips(context: StepContext) -> list[SceneClip]:
    """Every scene at its fitted length, without pictures or sound (those are per step)."""
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    durations = _fitted(context)["durations"]
    return [
        SceneClip(image_png=b"", duration=float(d), caption=scene.get("on_screen_text", ""))
        for scene, d in zip(manifest["scenes"], durations, strict=True)
    ]


def _effects(context: StepContext) -> dict[str, Any]:
    return _manifest(context.job).manifest.get("effects") or {}  # type: ignore[union-attr]


def _end_card_after(context: StepContext, segment: Segment) -> Segment:
    """A video whose last scene is a chart still ends on the end card with the logo: the
    chart holds for most of the scene, then crossfades into the card for its last seconds
    (the timeline, narration and captions keep their times)."""
    hold = min(round(END_CARD_SECONDS * FPS), segment.frames * 2 // 5)
    fade = min(round(TRANSITION_SECONDS * FPS), hold // 2)
    if fade < 1:
        return segment
    width, height = _resolution(context)
    brand = context.brand
    card = stills.end_card(
        width,
        height,
        brand=brand,
        name=brand.get("name", ""),
        line=brand.get("tagline") or "",
        kit=brand_kit(context.job.client),
    )
    return replace(
        segment,
        next_png=card,
        fade=fade,
        tail=hold,
        next_frames=hold,
        next_caption="",
        next_type_only=True,
    )


def segment_step(context: StepContext) -> None:
    """Render one scene's stretch of the video (its motion, crossfade and captions) as a
    silent MP4, in parallel with the other scenes."""
    node = _node(context)
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    width, height = _resolution(context)
    fitted = _fitted(context)
    effects = _effects(context)
    position = int(node["params"]["position"])
    scenes = manifest["scenes"]
    frames = _by_scene(context, "image")
    cues = [Cue(a, b, text) for a, b, text in fitted.get("cues", [])]
    fade = float(effects.get("transition_seconds", TRANSITION_SECONDS))
    segment = plan_segments(
        _clips(context),
        fps=FPS,
        transition=max(fade, TRANSITION_SECONDS) if effects.get("transition") != "cut" else 0,
        subtitles=cues if fitted.get("burn_captions") else (),
    )[position]
    following = scenes[position + 1] if position + 1 < len(scenes) else None
    segment = replace(
        segment,
        image_png=_picture(context, scenes[position], frames),
        next_png=_picture(context, following, frames) if following else None,
        type_only=_is_type(frames.get(scenes[position]["id"])),
        next_type_only=following is not None and _is_type(frames.get(following["id"])),
    )
    closing = frames.get(scenes[position]["id"])
    if following is None and closing is not None and closing.key.startswith("chart_"):
        segment = _end_card_after(context, segment)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "segment.mp4"

        def render() -> bytes:
            render_segment(
                segment,
                width=width,
                height=height,
                output_path=path,
                fps=FPS,
                ken_burns=bool(effects.get("ken_burns", True)),
            )
            return path.read_bytes()

        mp4 = _media(context, "render", "segment", {"scene": position + 1}, render, "video/mp4")
    scene = scenes[position]
    part = {
        "scene_id": scene["id"],
        "position": position,
        "frames": segment.frames,
        "crossfade_frames": segment.fade,
        "subtitles": len(segment.subtitles),
        "end_card_frames": segment.tail,
    }
    # A part of the render, not a deliverable: listed with the specifications, its MP4
    # attached, so the job's one video is the joined one.
    context.add_output(
        OutputSpec(
            kind="json",
            key=f"segment_{scene['id']}",
            title=f"Render part: scene {scene['index']}",
            text=json.dumps(part, indent=2),
            content=mp4,
            filename=f"segment-{scene['id']}.mp4",
            mime_type="video/mp4",
            metadata=part,
        )
    )


def render_step(context: StepContext) -> None:
    """Join the scene segments without re-encoding the picture, under the soundtrack:
    narration at each scene's fitted start, never cut, with the music bed beneath it."""
    fitted = _fitted(context)
    voices = _by_scene(context, "audio")
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    width, height = _resolution(context)
    segments = sorted(
        (o for outs in context.upstream.values() for o in outs if o.key.startswith("segment_")),
        key=lambda o: o.metadata["position"],
    )
    music = [o for outs in context.upstream.values() for o in outs if o.key == "music_bed"]
    clips = [
        replace(clip, narration_wav=_read(voices[s["id"]]) if s["id"] in voices else None)
        for clip, s in zip(_clips(context), manifest["scenes"], strict=True)
    ]
    soundtrack, total = soundtrack_for(clips, fps=FPS, music_wav=_read(music[0]) if music else None)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for segment in segments:
            paths.append(Path(tmp) / f"segment-{segment.metadata['position']:03d}.mp4")
            paths[-1].write_bytes(_read(segment))
        path = Path(tmp) / "video.mp4"

        def render() -> bytes:
            join_segments(paths, soundtrack, output_path=path, total_seconds=total)
            return path.read_bytes()

        mp4 = _media(
            context, "render", "video", {"width": width, "height": height}, render, "video/mp4"
        )
        path.write_bytes(mp4)
        info = probe(path).as_dict()
    context.add_output(
        OutputSpec(
            kind="video",
            key="video",
            title=context.job.title,
            content=mp4,
            filename="video.mp4",
            mime_type="video/mp4",
            metadata={
                **info,
                "scene_starts": fitted["starts"],
                "transition": "crossfade",
                "captions_burned": bool(fitted.get("burn_captions")),
                "warnings": fitted.get("warnings", []),
            },
        )
    )


NODE_HANDLERS = {
    "speech": speech_step,
    "image": image_step,
    "chart": chart_step,
    "music": music_step,
    "timeline": timeline_step,
    "segment": segment_step,
    "render": render_step,
}
NODE_LABELS = {
    "speech": "Narrate scene {scene}",
    "image": "Draw the frame for scene {scene}",
    "chart": "Draw the chart for scene {scene}",
    "music": "Compose the music bed",
    "timeline": "Fit the timeline and captions",
    "segment": "Render scene {scene}",
    "render": "Join the scenes into the MP4",
}
NODE_CAPABILITY = {
    "speech": "speech",
    "image": "image",
    "chart": "image",
    "music": "music",
    "segment": "render",
    "render": "render",
}
