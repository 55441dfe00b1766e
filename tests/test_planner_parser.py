"""The deterministic parser over treatments in many styles, and how inputs are settled."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from jobs.planner import PlannerInputError, normalise_inputs, parse_treatment, plan
from jobs.planner.hints import aspect_from_text, duration_from_text
from jobs.planner.text import sanitise

TREATMENTS = Path(__file__).parent / "planner_treatments"
CASES = sorted(p for p in TREATMENTS.iterdir() if p.suffix in (".md", ".txt"))


def _expected(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def _text(path: Path) -> str:
    # Bytes, so Windows line endings reach the parser as written.
    return path.read_bytes().decode("utf-8")


def _check_snippets(kind: str, actual: list[str], wanted: list[str | None]) -> None:
    assert len(actual) == len(wanted), kind
    for number, (got, snippet) in enumerate(zip(actual, wanted, strict=True), start=1):
        if snippet is None:
            continue
        if snippet == "":
            assert got == "", f"scene {number} {kind} should be empty, got {got!r}"
        else:
            assert snippet in got, f"scene {number} {kind}: {snippet!r} not in {got!r}"


def test_there_are_at_least_twenty_two_treatments_in_different_styles() -> None:
    assert len(CASES) >= 22
    assert all(case.with_suffix(".json").exists() for case in CASES)


@pytest.mark.parametrize("path", CASES, ids=[case.stem for case in CASES])
def test_it_reads_each_treatment_as_written(path: Path) -> None:
    expected = _expected(path)
    text = _text(path)
    if expected.get("crlf"):
        assert "\r\n" in text
    parsed = parse_treatment(text)
    scenes = parsed.scenes
    assert len(scenes) == expected["scene_count"]
    assert [s.index for s in scenes] == list(range(1, len(scenes) + 1))
    if "titles" in expected:
        assert [s.title for s in scenes] == expected["titles"]
    if "purposes" in expected:
        assert [s.purpose for s in scenes] == expected["purposes"]
    for kind, values in (
        ("narration", [s.narration for s in scenes]),
        ("visuals", ["; ".join(s.visuals) for s in scenes]),
        ("on_screen_text", [s.on_screen_text for s in scenes]),
        ("effects", ["; ".join(s.effects) for s in scenes]),
        ("music", [s.music for s in scenes]),
    ):
        if kind in expected:
            _check_snippets(kind, values, expected[kind])
    if "visual_counts" in expected:
        assert [len(s.visuals) for s in scenes] == expected["visual_counts"]
    charts = expected.get("charts", {})
    for number, scene in enumerate(scenes, start=1):
        points = [[p["label"], p["value"]] for p in scene.chart]
        assert points == charts.get(str(number), []), f"scene {number} chart"
    for number, title in expected.get("chart_titles", {}).items():
        assert scenes[int(number) - 1].chart_title == title
    if "timing" in expected:
        assert [[s.start, s.end] for s in scenes] == expected["timing"]
    if "durations" in expected:
        assert [s.explicit_duration() for s in scenes] == expected["durations"]
    for key, value in expected.get("hints", {}).items():
        assert parsed.hints.get(key) == value, key


@pytest.mark.parametrize("path", CASES, ids=[case.stem for case in CASES])
def test_each_treatment_plans_to_a_valid_manifest_without_fallback(path: Path) -> None:
    expected = _expected(path)
    result = plan(_text(path))
    assert result.valid
    assert result.used_fallback == (expected["scene_count"] == 0)
    if expected["scene_count"]:
        assert not result.used_repair, result.repairs
        assert len(result.manifest["scenes"]) == expected["scene_count"]
        assert [s["purpose"] for s in result.manifest["scenes"]] == [
            s.purpose for s in parse_treatment(_text(path)).scenes
        ]


def test_it_gives_the_same_result_for_the_same_text() -> None:
    text = _text(CASES[0])
    assert parse_treatment(text).to_dict() == parse_treatment(text).to_dict()
    assert plan(text).manifest == plan(text).manifest


def test_it_honours_a_scenes_own_timecodes_in_the_manifest() -> None:
    result = plan(_text(TREATMENTS / "03_scene_caps_timecodes.txt"), user={"duration": 30})
    scenes = result.manifest["scenes"]
    assert [(s["start"], s["duration"]) for s in scenes] == [
        (0.0, 5.0),
        (5.0, 7.0),
        (12.0, 10.0),
        (22.0, 8.0),
    ]
    assert result.warnings == []


def test_it_scales_timecodes_to_the_requested_length_and_says_so() -> None:
    result = plan(_text(TREATMENTS / "03_scene_caps_timecodes.txt"), user={"duration": 15})
    durations = [s["duration"] for s in result.manifest["scenes"]]
    assert sum(durations) == pytest.approx(15)
    assert durations == [2.5, 3.5, 5.0, 4.0]
    assert any("from 30.0s to 15s" in w for w in result.warnings)


def test_it_returns_no_scenes_for_empty_or_blank_text() -> None:
    for text in ("", "   ", "\n\n\t\n", "\x00\x01\x02", "---\n***\n___"):
        assert parse_treatment(text).scenes == []


def test_it_returns_no_scenes_for_something_that_is_not_text() -> None:
    assert parse_treatment(None).scenes == []  # type: ignore[arg-type]
    assert parse_treatment(b"Scene 1: Hook").scenes == []  # type: ignore[arg-type]


def test_it_removes_control_characters_tags_and_lone_surrogates() -> None:
    cleaned = sanitise("a\x00b\x1b[1mc<b>d</b>\ud800e\r\nf<!-- hidden -->g")
    assert cleaned == "abc d ?e\nfg"


def test_it_parses_a_sixty_scene_treatment_well_under_the_budget() -> None:
    text = "\n\n".join(
        f"## Scene {n}: Beat {n}\nVisual: Shot {n} of the product.\nVO: Line {n} of the script."
        for n in range(1, 61)
    )
    parse_treatment(text)
    started = time.perf_counter()
    parsed = parse_treatment(text)
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert len(parsed.scenes) == 60
    assert elapsed_ms < 100


def test_it_reads_a_megabyte_of_text_without_trouble() -> None:
    text = ("Scene 1: Hook\nVO: words " * 20_000)[:1_000_000]
    started = time.perf_counter()
    parsed = parse_treatment(text)
    assert time.perf_counter() - started < 5
    assert 1 <= len(parsed.scenes) <= 200


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("60 seconds", 60), ("60s", 60), ("1:30", 90), ("1 minute", 60), ("1.5 min", 90), ("45", 45)],
)
def test_it_reads_durations_as_people_write_them(text: str, seconds: int) -> None:
    assert duration_from_text(text) == seconds


@pytest.mark.parametrize(
    ("text", "ratio"),
    [("16:9", "16:9"), ("9x16 vertical", "9:16"), ("square", "1:1"), ("4:5 portrait", "4:5")],
)
def test_it_reads_aspect_ratios_as_people_write_them(text: str, ratio: str) -> None:
    assert aspect_from_text(text) == ratio


def test_it_prefers_the_user_then_the_analyzer_then_the_treatment() -> None:
    hints = {"duration_seconds": 45, "platform": "tiktok", "tone": "playful", "language": "fr"}
    analyzer = {"durationSeconds": 30, "language": "de"}
    inputs = normalise_inputs({"durationSeconds": 20}, analyzer, hints)
    assert (inputs.duration_seconds, inputs.language, inputs.platform) == (20, "de", "tiktok")
    assert inputs.sources["duration_seconds"] == "user"
    assert inputs.sources["language"] == "analyzer"
    assert inputs.sources["platform"] == "treatment"
    assert normalise_inputs({}, None, {}).duration_seconds == 60


@pytest.mark.parametrize(
    ("platform", "ratio", "size"),
    [
        ("youtube", "16:9", (1280, 720)),
        ("TikTok", "9:16", (720, 1280)),
        ("Instagram Reels", "9:16", (720, 1280)),
        ("instagram", "4:5", (720, 900)),
        ("linkedin", "16:9", (1280, 720)),
        ("somewhere-new", "16:9", (1280, 720)),
    ],
)
def test_smart_auto_picks_the_ratio_from_the_platform(
    platform: str, ratio: str, size: tuple[int, int]
) -> None:
    inputs = normalise_inputs({"aspectRatio": "Smart Auto", "platform": platform})
    assert (inputs.aspect_ratio, inputs.resolution) == (ratio, size)


def test_smart_auto_still_listens_to_a_treatment_that_names_a_ratio() -> None:
    inputs = normalise_inputs({"aspect_ratio": "Smart Auto"}, None, {"aspect_ratio": "1:1"})
    assert inputs.aspect_ratio == "1:1"


@pytest.mark.parametrize(
    ("user", "field"),
    [
        ({"duration": "abc"}, "duration_seconds"),
        ({"duration": 3}, "duration_seconds"),
        ({"duration": 601}, "duration_seconds"),
        ({"duration": True}, "duration_seconds"),
        ({"aspect_ratio": "7:3"}, "aspect_ratio"),
        ({"language": "Klingon!"}, "language"),
        ({"platform": ["tiktok"]}, "platform"),
        ({"tone": "x" * 61}, "tone"),
    ],
)
def test_it_refuses_user_choices_it_cannot_use(user: dict[str, Any], field: str) -> None:
    with pytest.raises(PlannerInputError) as caught:
        normalise_inputs(user)
    assert caught.value.field == field


def test_it_clamps_an_out_of_range_duration_from_the_analyzer_with_a_warning() -> None:
    inputs = normalise_inputs({}, {"duration": 9000})
    assert inputs.duration_seconds == 600
    assert inputs.warnings
