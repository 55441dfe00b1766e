"""Video jobs: plan the treatment into a manifest, then run its DAG of media steps to an MP4.

The step list grows once the plan exists: before, the workflow is just "plan"; after, it is
plan plus one step per DAG node (speech, image, chart, music, timeline, render), so the
engine runs independent media steps in parallel and the render waits for all of them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from jobs.mediakit import images
from jobs.mediakit.brand_assets import brand_kit
from jobs.mediakit.music import synthesise_music_bed
from jobs.mediakit.speech import espeak_available, synthesise_speech, voice_for
from jobs.mediakit.video import SceneClip, render_video, shotstack_timeline
from jobs.mediakit.wav import silence, wav_info
from jobs.models import Manifest, ProductionJob
from jobs.planner.extractor import Complete
from jobs.planner.pipeline import plan
from jobs.provider_runtime import registry
from jobs.providers import Attempt, MediaRequest, TextRequest
from jobs.workflows.base import OutputSpec, Step, StepContext
from jobs.workflows.scene_stills import Still, scene_still
from jobs.workflows.media import call_media

PLAN = "plan"


def planner_user_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "duration": inputs.get("durationSeconds"),
        "aspectRatio": inputs.get("aspectRatio"),
        "platform": inputs.get("platform"),
        "tone": inputs.get("tone"),
        "language": inputs.get("language"),
    }


def model_completion(attempts: list[Attempt]) -> Complete | None:
    """A completion through the text chain when a hosted model is configured, else None.

    The built-in text provider only echoes drafts, so a chain of built-ins has no model to
    ask; the parser is then the whole plan. Every try of the chain is added to `attempts`.
    """
    chain = registry().chain("text")
    if all(name.startswith("builtin-") for name in chain.names):
        return None

    def complete(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        # No draft: if every hosted provider fails, the built-in one fails too and the
        # planner falls back to its parser instead of reading an echo as a model's answer.
        request = TextRequest(messages=messages, max_tokens=max_tokens, temperature=0.0)
        result = chain.call(request, on_attempt=attempts.append)
        return "" if result.provider.startswith("builtin-") else result.value.text

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
    node = _node(context)
    scene = _scene(context, node["scene_id"])
    text = scene.get("narration", "")
    meta = _manifest(context.job).manifest["metadata"]  # type: ignore[union-attr]
    # The plan's language picks the espeak-ng voice; its tone the pace and pitch.
    voice = voice_for(meta.get("tone") or "", node["params"].get("language") or meta["language"])
    if not espeak_available():
        context.note = "Narration skipped: espeak-ng is not installed on this worker."
        wav = silence(float(scene["duration"]))
    else:
        if voice.substituted:
            context.note = f"No espeak-ng voice for “{voice.substituted}”: read in English."
        wav = _media(
            context,
            "speech",
            "speech",
            {"text": text, "voice": voice.name},
            lambda: synthesise_speech(
                text, voice=voice.name, words_per_minute=voice.words_per_minute, pitch=voice.pitch
            ),
            "audio/wav",
        )
    context.add_output(
        OutputSpec(
            kind="audio",
            key=f"narration_{scene['id']}",
            title=f"Narration, scene {scene['index']}",
            content=wav,
            filename=f"narration-{scene['id']}.wav",
            mime_type="audio/wav",
            metadata={**wav_info(wav), "scene_id": scene["id"], "text": text},
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
    png = _media(
        context,
        "image",
        "chart",
        {"data": data},
        lambda: images.render_chart(width, height, brand=brand, title=title, data=data),
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


def timeline_step(context: StepContext) -> None:
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    width, height = _resolution(context)
    frames = _by_scene(context, "image")
    voices = _by_scene(context, "audio")
    music = [o for outs in context.upstream.values() for o in outs if o.key == "music_bed"]
    scenes_meta = []
    for scene in manifest["scenes"]:
        frame = frames.get(scene["id"])
        voice = voices.get(scene["id"])
        scenes_meta.append(
            {
                "image_src": frame.file.name if frame else "",
                "duration": float(scene["duration"]),
                "start": float(scene["start"]),
                "narration_src": voice.file.name if voice else None,
                "caption": scene.get("on_screen_text", ""),
            }
        )
    timeline = shotstack_timeline(
        scenes_meta, width=width, height=height, music_src=music[0].file.name if music else None
    )
    context.add_output(
        OutputSpec(
            kind="json",
            key="timeline",
            title="Render timeline (Shotstack-style)",
            text=json.dumps(timeline, indent=2),
            metadata={"tracks": len(timeline.get("timeline", {}).get("tracks", []))},
        )
    )


def _read(output: Any) -> bytes:
    with output.file.open("rb") as handle:
        return handle.read()


def render_step(context: StepContext) -> None:
    manifest = _manifest(context.job).manifest  # type: ignore[union-attr]
    width, height = _resolution(context)
    frames = _by_scene(context, "image")
    voices = _by_scene(context, "audio")
    music = [o for outs in context.upstream.values() for o in outs if o.key == "music_bed"]
    clips = []
    for scene in manifest["scenes"]:
        frame = frames.get(scene["id"])
        png = (
            _read(frame)
            if frame
            else images.render_title_card(
                width,
                height,
                brand=context.brand,
                text=scene.get("on_screen_text") or context.job.title,
            )
        )
        voice = voices.get(scene["id"])
        clips.append(
            SceneClip(
                image_png=png,
                duration=float(scene["duration"]),
                narration_wav=_read(voice) if voice else None,
                caption=scene.get("on_screen_text", ""),
            )
        )
    music_wav = _read(music[0]) if music else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "video.mp4"

        def render() -> bytes:
            render_video(clips, width=width, height=height, output_path=path, music_wav=music_wav)
            return path.read_bytes()

        mp4 = _media(
            context, "render", "video", {"width": width, "height": height}, render, "video/mp4"
        )
        from jobs.mediakit.ffmpeg import probe

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
            metadata=info,
        )
    )


NODE_HANDLERS = {
    "speech": speech_step,
    "image": image_step,
    "chart": chart_step,
    "music": music_step,
    "timeline": timeline_step,
    "render": render_step,
}
NODE_LABELS = {
    "speech": "Narrate scene {scene}",
    "image": "Draw the frame for scene {scene}",
    "chart": "Draw the chart for scene {scene}",
    "music": "Compose the music bed",
    "timeline": "Build the render timeline",
    "render": "Render the MP4",
}
NODE_CAPABILITY = {
    "speech": "speech",
    "image": "image",
    "chart": "image",
    "music": "music",
    "render": "render",
}
