"""Properties of the planner: any text plans to a valid manifest or a clear input error."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobs.planner import (
    PlannerInputError,
    check_dag,
    parse_treatment,
    plan,
    validate_manifest,
)
from jobs.planner.pipeline import MAX_TREATMENT_CHARS

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = [
    "",
    " " * 5000,
    "\x00" * 1000,
    "a" * 50_000 + "!",
    "(" * 10_000,
    "0:00-" * 5_000,
    "Scene 1:" * 2_000,
    "|" * 20_000,
    ":" * 20_000,
    "#" * 10_000,
    "# \n" * 5_000,
    "1. \n" * 5_000,
    "\ud800\udfff\ufffe\uffff",
    '{"scenes": [{"narration": "x"}]}',
    "<script>alert(1)</script><!--" * 500,
    "VO: " + "\u202e" * 100 + "evil",
    "Q1: 1e308\nQ2: 9" + "9" * 400 + "\n",
    "\r" * 10_000 + "Scene 1: Hook",
    "Narration:\n" + '"' * 10_000,
    "SCENE 1 - HOOK (0:00-0:05)\n" * 3_000,
    ("a" * 199 + " ") * 500,
    "x " * 99_999 + "y",
]

texts = st.one_of(
    st.text(max_size=3000),
    st.binary(max_size=3000).map(lambda b: b.decode("utf-8", errors="replace")),
    st.sampled_from(HOSTILE),
    st.tuples(st.text(max_size=60), st.integers(1, 4000)).map(lambda t: t[0] * t[1]),
    st.lists(
        st.sampled_from(
            [
                "## Scene 2: ",
                "VO: ",
                "Visual: ",
                "- ",
                "| a | 1 |",
                "0:05-0:10",
                "\n",
                "\n\n",
                "Q1: 5%",
                "**",
                "HOOK:",
                "INT. ",
                "1. ",
                '"',
                "Music: ",
                "SFX: ",
                "45s",
                "word ",
            ]
        ),
        max_size=300,
    ).map("".join),
)

users = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "duration": st.one_of(st.integers(-5, 700), st.text(max_size=6), st.floats()),
            "aspect_ratio": st.sampled_from(
                ["16:9", "9:16", "1:1", "4:5", "Smart Auto", "7:3", ""]
            ),
            "platform": st.sampled_from(["tiktok", "youtube", "instagram", "web", "My Platform!"]),
            "language": st.sampled_from(["en", "pt-BR", "Spanish", "??"]),
        },
    ),
)


def _plan_or_input_error(text: str, user: dict[str, Any] | None = None) -> Any:
    try:
        return plan(text, user=user)
    except PlannerInputError as error:
        assert error.field and error.message
        return None


@SETTINGS
@given(texts)
def test_any_text_plans_to_a_valid_manifest_and_a_runnable_dag(text: str) -> None:
    result = _plan_or_input_error(text)
    if result is None:
        assert len(text) > MAX_TREATMENT_CHARS
        return
    assert result.valid
    assert validate_manifest(result.manifest) == []
    assert check_dag(result.dag) == []
    render = next(node for node in result.dag if node.id == "render")
    media = {node.id for node in result.dag if node.kind in ("speech", "image", "chart", "music")}
    assert media <= set(render.depends_on)


@SETTINGS
@given(texts, users)
def test_any_text_and_choices_give_a_manifest_or_a_clear_input_error(
    text: str, user: dict[str, Any] | None
) -> None:
    result = _plan_or_input_error(text, user)
    if result is not None:
        assert result.valid
        total = result.manifest["metadata"]["duration_seconds"]
        durations = [scene["duration"] for scene in result.manifest["scenes"]]
        assert abs(sum(durations) - total) <= 0.01


@SETTINGS
@given(texts, st.integers(5, 600))
def test_durations_sum_to_the_requested_total(text: str, seconds: int) -> None:
    result = _plan_or_input_error(text, {"duration_seconds": seconds})
    if result is None:
        return
    scenes = result.manifest["scenes"]
    assert result.manifest["metadata"]["duration_seconds"] == seconds
    assert abs(sum(scene["duration"] for scene in scenes) - seconds) <= 0.01
    assert all(scene["duration"] > 0 for scene in scenes)


@SETTINGS
@given(texts)
def test_the_same_input_gives_the_same_manifest(text: str) -> None:
    first, second = _plan_or_input_error(text), _plan_or_input_error(text)
    if first is None:
        assert second is None
        return
    assert first.manifest == second.manifest
    assert [node.id for node in first.dag] == [node.id for node in second.dag]


@SETTINGS
@given(st.text(max_size=3000))
def test_the_parser_never_raises(text: str) -> None:
    parse_treatment(text)


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
sentences = st.lists(words, min_size=2, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")


@SETTINGS
@given(
    st.lists(st.tuples(sentences, sentences), min_size=1, max_size=30),
    st.sampled_from(["## Scene {n}: Beat", "Scene {n}:", "SCENE {n} - BEAT ({a}-{b})"]),
)
def test_every_written_scene_is_found_with_its_narration(
    scenes: list[tuple[str, str]], header: str
) -> None:
    blocks = [
        header.format(n=n, a=f"0:{2 * (n - 1):02d}", b=f"0:{2 * n:02d}")
        + f"\nVisual: {visual}\nVO: {line}"
        for n, (visual, line) in enumerate(scenes, start=1)
    ]
    parsed = parse_treatment("\n\n".join(blocks))
    assert len(parsed.scenes) == len(scenes)
    for scene, (visual, line) in zip(parsed.scenes, scenes, strict=True):
        assert scene.narration == line
        assert scene.visuals == [visual]


def test_a_treatment_over_the_limit_is_an_input_error() -> None:
    with pytest.raises(PlannerInputError) as caught:
        plan("a" * (MAX_TREATMENT_CHARS + 1))
    assert caught.value.field == "treatment_text"


def test_a_treatment_that_is_not_text_is_an_input_error() -> None:
    for value in (None, 42, b"bytes", ["Scene 1"]):
        with pytest.raises(PlannerInputError):
            plan(value)  # type: ignore[arg-type]
