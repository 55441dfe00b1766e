"""Decomposition: the job DAG a manifest needs, its dependencies and a valid order."""

from __future__ import annotations

import pytest

from jobs.planner import (
    DagError,
    DagNode,
    PlanResult,
    check_dag,
    decompose,
    parallel_levels,
    plan,
    shotstack_edit,
    topological_order,
)
from tests.planner_samples import FOUR_SCENES


@pytest.fixture(scope="module")
def result() -> PlanResult:
    return plan(FOUR_SCENES, user={"duration_seconds": 30, "aspect_ratio": "9:16"})


def test_it_makes_speech_image_chart_music_timeline_and_render_nodes(result: PlanResult) -> None:
    ids = [node.id for node in result.dag]
    assert ids == [
        "speech:s1",
        "image:s1",
        "speech:s2",
        "image:s2",
        "chart:s3",
        "speech:s4",
        "image:s4",
        "music:bed",
        "timeline",
        "segment:s1",
        "segment:s2",
        "segment:s3",
        "segment:s4",
        "render",
    ]
    kinds = {node.id: node.kind for node in result.dag}
    assert kinds["chart:s3"] == "chart" and kinds["image:s4"] == "image"
    assert all(node.scene_id is None for node in result.dag if node.id in ("music:bed", "render"))


def test_media_nodes_start_at_once_and_render_waits_for_all_of_them(result: PlanResult) -> None:
    media = [node for node in result.dag if node.kind in ("speech", "image", "chart", "music")]
    segments = [node.id for node in result.dag if node.kind == "segment"]
    assert all(node.depends_on == () for node in media)
    by_id = {node.id: node for node in result.dag}
    assert set(by_id["render"].depends_on) == {node.id for node in media} | {"timeline", *segments}
    assert set(by_id["timeline"].depends_on) == {node.id for node in media}
    levels = [[node.id for node in level] for level in parallel_levels(result.dag)]
    assert levels == [[node.id for node in media], ["timeline"], segments, ["render"]]


def test_each_scene_renders_after_the_timeline_with_its_picture_and_the_next(
    result: PlanResult,
) -> None:
    by_id = {node.id: node for node in result.dag}
    assert by_id["segment:s1"].depends_on == ("timeline", "image:s1", "image:s2")
    assert by_id["segment:s2"].depends_on == ("timeline", "image:s2", "chart:s3")
    assert by_id["segment:s4"].depends_on == ("timeline", "image:s4")
    assert by_id["segment:s4"].params["next_scene_id"] is None


def test_nodes_carry_what_their_worker_needs(result: PlanResult) -> None:
    by_id = {node.id: node for node in result.dag}
    assert by_id["speech:s1"].params["text"] == "Your inbox never sleeps."
    assert by_id["speech:s1"].params["asset_id"] == "vo_s1"
    assert by_id["image:s1"].params["prompt"] == "A phone buzzes on a desk."
    assert (by_id["image:s1"].params["width"], by_id["image:s1"].params["height"]) == (720, 1280)
    assert by_id["image:s4"].params["visual_kind"] == "title_card"
    assert by_id["image:s4"].params["text"] == "Start free at flux.io"
    assert by_id["chart:s3"].params["data"] == [
        {"label": "Week 1", "value": 2.0},
        {"label": "Week 2", "value": 5.0},
    ]
    assert by_id["music:bed"].params["duration"] == 30
    assert by_id["render"].params["duration"] == 30


def test_the_order_puts_every_node_after_its_dependencies(result: PlanResult) -> None:
    order = topological_order(result.dag)
    position = {node.id: i for i, node in enumerate(order)}
    assert len(order) == len(result.dag)
    for node in order:
        assert all(position[dep] < position[node.id] for dep in node.depends_on)
    assert order[-1].id == "render"
    assert check_dag(result.dag) == []


def test_decomposition_is_deterministic(result: PlanResult) -> None:
    assert decompose(result.manifest) == decompose(result.manifest)


def test_the_timeline_lays_out_visuals_narration_text_and_music(result: PlanResult) -> None:
    edit = shotstack_edit(result.manifest, {"img_s1": "https://cdn.example/img_s1.png"})
    tracks = {
        track["clips"][0]["asset"]["type"]: track["clips"] for track in edit["timeline"]["tracks"]
    }
    assert set(tracks) == {"image", "audio"}  # the only on-screen text is on a title card
    visuals = tracks["image"]
    assert [clip["start"] for clip in visuals] == [s["start"] for s in result.manifest["scenes"]]
    assert sum(clip["length"] for clip in visuals) == pytest.approx(30)
    assert visuals[0]["asset"]["src"] == "https://cdn.example/img_s1.png"
    assert visuals[1]["asset"]["src"] == "asset://img_s2"
    assert len(tracks["audio"]) == 3  # three narrated scenes
    assert edit["timeline"]["soundtrack"]["src"] == "asset://music_bed"
    assert edit["output"]["size"] == {"width": 720, "height": 1280}


def test_a_cycle_or_a_missing_dependency_is_reported() -> None:
    a = DagNode("a", "image", None, ("b",))
    b = DagNode("b", "image", None, ("a",))
    with pytest.raises(DagError, match="cycle"):
        topological_order([a, b])
    assert check_dag([a, b]) == ["cycle: a -> b -> a"]
    lonely = DagNode("render", "render", None, ("image:s9",))
    assert check_dag([lonely]) == ["render depends on missing node image:s9"]
    twice = DagNode("x", "music", None)
    assert check_dag([twice, twice]) == ["duplicate node id x"]
