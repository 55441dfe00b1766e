"""Job decomposition: a manifest as a DAG of media jobs, a timeline, one render per scene
(in parallel) and the join of those segments into the video."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jobs.dag import Dag, DagError, problems
from jobs.planner.timeline import shotstack_edit

__all__ = ["DagError", "DagNode", "check_dag", "decompose", "parallel_levels", "topological_order"]

MEDIA_KINDS = ("speech", "image", "chart", "music")


@dataclass(frozen=True)
class DagNode:
    """One job: what it makes (kind), for which scene, after which jobs, with what inputs."""

    id: str
    kind: str  # "speech" | "image" | "chart" | "music" | "timeline" | "segment" | "render"
    scene_id: str | None
    depends_on: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def decompose(manifest: dict[str, Any]) -> list[DagNode]:
    """The jobs a valid manifest needs, in a stable order with deterministic ids: per scene
    its speech, image or chart; one music bed; then the timeline and the render that wait
    for every media job."""
    meta = manifest["metadata"]
    width, height = meta["resolution"]["width"], meta["resolution"]["height"]
    look = manifest["consistency"]
    nodes: list[DagNode] = []
    voiced = {line["scene_id"]: line for line in manifest["audio"]["narration"]}
    for scene in manifest["scenes"]:
        sid, visual = scene["id"], scene["visual"]
        if sid in voiced:
            line = voiced[sid]
            nodes.append(
                DagNode(
                    f"speech:{sid}",
                    "speech",
                    sid,
                    params={
                        "text": line["text"],
                        "voice": look["voice"],
                        "language": meta["language"],
                        "asset_id": line["asset_id"],
                        "target_seconds": scene["duration"],
                    },
                )
            )
        common = {
            "asset_id": visual["asset_id"],
            "width": width,
            "height": height,
            "palette": list(look["palette"]),
            "font": look["font"],
        }
        if visual["kind"] == "chart":
            chart = scene["chart"]
            params = {**common, "title": chart["title"] or scene["title"], "data": chart["data"]}
            nodes.append(DagNode(f"chart:{sid}", "chart", sid, params=params))
        else:
            params = {
                **common,
                "visual_kind": visual["kind"],
                "prompt": visual["prompt"],
                "text": scene["on_screen_text"]
                or (visual["prompt"] if visual["kind"] == "title_card" else ""),
                "style": look["style"],
            }
            nodes.append(DagNode(f"image:{sid}", "image", sid, params=params))
    for cue in manifest["audio"]["music"]:
        node_id = "music:bed" if cue["cue_id"] == "bed" else f"music:{cue['cue_id']}"
        params = {
            "asset_id": cue["asset_id"],
            "mood": cue["mood"],
            "start": cue["start"],
            "duration": cue["duration"],
            "description": cue.get("description", ""),
        }
        nodes.append(DagNode(node_id, "music", None, params=params))
    media = tuple(node.id for node in nodes)
    nodes.append(
        DagNode("timeline", "timeline", None, media, params={"shotstack": shotstack_edit(manifest)})
    )
    # Each scene renders on its own once the timeline is fitted to the narration; it needs its
    # own picture and the next scene's, which its last frames crossfade into.
    pictures = {node.scene_id: node.id for node in nodes if node.kind in ("image", "chart")}
    scene_ids = [scene["id"] for scene in manifest["scenes"]]
    segments = []
    for position, sid in enumerate(scene_ids):
        following = scene_ids[position + 1] if position + 1 < len(scene_ids) else None
        needs = [pictures[sid]] + ([pictures[following]] if following else [])
        segments.append(
            DagNode(
                f"segment:{sid}",
                "segment",
                sid,
                ("timeline", *needs),
                params={"position": position, "next_scene_id": following},
            )
        )
    nodes.extend(segments)
    nodes.append(
        DagNode(
            "render",
            "render",
            None,
            (*media, "timeline", *(node.id for node in segments)),
            params={
                "width": width,
                "height": height,
                "duration": meta["duration_seconds"],
                "aspect_ratio": meta["aspect_ratio"],
                "format": "mp4",
            },
        )
    )
    return nodes


def check_dag(nodes: list[DagNode]) -> list[str]:
    """Every reason the DAG cannot run; empty when it can."""
    return problems((node.id, node.depends_on) for node in nodes)


def topological_order(nodes: list[DagNode]) -> list[DagNode]:
    """Nodes so each comes after its dependencies; ties keep the given order."""
    return [node for level in parallel_levels(nodes) for node in level]


def parallel_levels(nodes: list[DagNode]) -> list[list[DagNode]]:
    """Waves of nodes that can run at the same time, each wave after the one before."""
    dag = Dag((node.id, node.depends_on) for node in nodes)
    by_id = {node.id: node for node in nodes}
    return [[by_id[name] for name in layer] for layer in dag.layers]
