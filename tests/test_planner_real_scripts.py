"""The planner on scripts shaped like real ones: AV tables in several languages, timestamped
storyboards, shot lists under scene headings, YouTube outlines, and prose treatments whose
stage directions must never be spoken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jobs.planner import PlannerInputError, parse_treatment, plan

SCRIPTS = Path(__file__).parent / "planner_scripts"
CASES = sorted(p for p in SCRIPTS.iterdir() if p.suffix in (".md", ".txt"))


def _expected(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def _snippets(kind: str, actual: list[str], wanted: list[str]) -> None:
    assert len(actual) == len(wanted), kind
    for number, (got, snippet) in enumerate(zip(actual, wanted, strict=True), start=1):
        if snippet == "":
            assert got == "", f"scene {number} {kind} should be empty, got {got!r}"
        else:
            assert snippet.lower() in got.lower(), (
                f"scene {number} {kind}: {snippet!r} not in {got!r}"
            )


def test_there_are_at_least_ten_script_shapes_with_expectations():
    assert len(CASES) >= 10
    assert all(case.with_suffix(".json").exists() for case in CASES)


@pytest.mark.parametrize("path", CASES, ids=[case.stem for case in CASES])
def test_it_reads_each_script_into_the_scenes_it_describes(path: Path):
    expected = _expected(path)
    scenes = parse_treatment(path.read_text(encoding="utf-8")).scenes
    assert len(scenes) == expected["scene_count"], [s.title or s.narration[:40] for s in scenes]
    if "titles" in expected:
        assert [s.title for s in scenes] == expected["titles"]
    _snippets("narration", [s.narration for s in scenes], expected["narration"])
    if "on_screen_text" in expected:
        _snippets("on_screen_text", [s.on_screen_text for s in scenes], expected["on_screen_text"])
    if "music" in expected:
        _snippets("music", [s.music for s in scenes], expected["music"])
    if "visual_counts" in expected:
        assert [len(s.visuals) for s in scenes] == expected["visual_counts"]
    if "timing" in expected:
        assert [[s.start, s.end] for s in scenes] == expected["timing"]
    if "durations" in expected:
        assert [s.explicit_duration() for s in scenes] == expected["durations"]


@pytest.mark.parametrize("path", CASES, ids=[case.stem for case in CASES])
def test_no_stage_direction_is_ever_in_the_narration(path: Path):
    expected = _expected(path)
    assert expected["not_in_narration"]
    narration = " ".join(s.narration for s in parse_treatment(path.read_text("utf-8")).scenes)
    for direction in expected["not_in_narration"]:
        assert direction.lower() not in narration.lower(), direction


@pytest.mark.parametrize("path", CASES, ids=[case.stem for case in CASES])
def test_each_script_plans_a_valid_manifest_with_its_scenes(path: Path):
    expected = _expected(path)
    result = plan(path.read_text(encoding="utf-8"), user={}, title=path.stem)
    assert result.valid, result.warnings
    assert not result.used_fallback
    scenes = result.manifest["scenes"]
    assert len(scenes) == expected["scene_count"]
    spoken = " ".join(line["text"] for line in result.manifest["audio"]["narration"])
    for direction in expected["not_in_narration"]:
        assert direction.lower() not in spoken.lower(), direction


@pytest.mark.parametrize(
    ("aspect", "size"),
    [("16:9", (1920, 1080)), ("9:16", (1080, 1920)), ("1:1", (1080, 1080)), ("4:5", (1080, 1350))],
)
def test_1080p_is_asked_for_by_resolution_in_every_aspect(aspect, size):
    script = (SCRIPTS / "01_av_table_five_columns.md").read_text(encoding="utf-8")
    result = plan(script, user={"resolution": "1080p", "aspect_ratio": aspect})
    resolution = result.manifest["metadata"]["resolution"]
    assert result.valid and (resolution["width"], resolution["height"]) == size
    default = plan(script, user={"aspect_ratio": aspect}).manifest["metadata"]["resolution"]
    assert min(default["width"], default["height"]) == 720


def test_an_unknown_resolution_is_refused_at_its_field():
    with pytest.raises(PlannerInputError) as refused:
        plan("## Scene 1\nVO: Hello there.", user={"resolution": "4k"})
    assert refused.value.field == "resolution"
