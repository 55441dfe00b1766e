"""Validation and repair: each kind of broken manifest is repaired or replaced, and recorded."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from jobs.planner import (
    MANIFEST_SCHEMA,
    minimal_manifest,
    normalise_inputs,
    plan,
    plan_from_manifest_or_fallback,
    repair_manifest,
    validate_manifest,
)
from jobs.planner.extractor import extract_with_model
from jobs.planner.vocabulary import MOODS, PURPOSES
from tests.planner_samples import FOUR_SCENES as TREATMENT

INPUTS = normalise_inputs({"duration_seconds": 30, "aspect_ratio": "16:9"})


@pytest.fixture
def manifest() -> dict[str, Any]:
    return copy.deepcopy(plan(TREATMENT, user={"duration_seconds": 30}).manifest)


def _repaired(broken: Any) -> Any:
    result = repair_manifest(broken, INPUTS)
    assert result.valid, result.issues
    assert validate_manifest(result.manifest) == []
    assert result.repairs
    return result


def test_the_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(MANIFEST_SCHEMA)
    assert MANIFEST_SCHEMA["$schema"].endswith("2020-12/schema")
    scene = MANIFEST_SCHEMA["$defs"]["scene"]["properties"]
    assert scene["purpose"]["enum"] == list(PURPOSES)
    assert MANIFEST_SCHEMA["$defs"]["asset"]["properties"]["mood"]["enum"] == list(MOODS)


def test_a_built_manifest_validates_and_repair_leaves_it_alone(manifest: dict[str, Any]) -> None:
    assert validate_manifest(manifest) == []
    result = repair_manifest(manifest, INPUTS)
    assert result.valid
    assert result.repairs == []
    assert result.manifest == manifest


def test_validation_names_where_the_problem_is(manifest: dict[str, Any]) -> None:
    manifest["scenes"][1]["duration"] = -2
    issues = validate_manifest(manifest)
    assert [issue.path for issue in issues] == ["/scenes/1/duration"]
    assert issues[0].dotted == "scenes.1.duration"


def test_durations_that_do_not_sum_are_scaled_and_starts_recomputed(
    manifest: dict[str, Any],
) -> None:
    for scene, seconds in zip(manifest["scenes"], (12, 10, 10, 10), strict=True):
        scene["duration"] = seconds
    assert any("sum to 42.00s" in issue.message for issue in validate_manifest(manifest))
    result = _repaired(manifest)
    durations = [s["duration"] for s in result.manifest["scenes"]]
    assert sum(durations) == pytest.approx(30)
    assert durations[0] > durations[1]
    assert "Scaled 4 scene durations from 42.0s to 30s total" in result.repairs
    assert any(r.startswith("Recomputed start times") for r in result.repairs)


def test_negative_zero_and_missing_durations_are_replaced(manifest: dict[str, Any]) -> None:
    manifest["scenes"][0]["duration"] = -5
    manifest["scenes"][1]["duration"] = 0
    del manifest["scenes"][2]["duration"]
    manifest["scenes"][3]["duration"] = float("nan")
    result = _repaired(manifest)
    assert all(s["duration"] > 0 for s in result.manifest["scenes"])
    assert any("Replaced 4 missing, non-positive" in r for r in result.repairs)


def test_missing_scene_fields_are_filled_from_context(manifest: dict[str, Any]) -> None:
    for key in ("title", "purpose", "narration", "visual", "on_screen_text", "effects", "index"):
        manifest["scenes"][1].pop(key)
    result = _repaired(manifest)
    scene = result.manifest["scenes"][1]
    assert scene["index"] == 2
    assert scene["purpose"] in PURPOSES
    assert scene["title"]
    assert scene["visual"]["asset_id"] == "img_s2"
    assert scene["narration"] == ""
    assert not any(line["scene_id"] == "s2" for line in result.manifest["audio"]["narration"])
    assert any("Filled a missing title" in r for r in result.repairs)


def test_missing_top_level_sections_are_rebuilt(manifest: dict[str, Any]) -> None:
    for key in ("metadata", "assets", "audio", "effects", "consistency", "version"):
        del manifest[key]
    result = _repaired(manifest)
    assert result.manifest["metadata"]["duration_seconds"] == 30
    assert {a["id"] for a in result.manifest["assets"]} >= {"img_s1", "vo_s1", "chart_s3"}
    assert any("Rebuilt missing metadata" in r for r in result.repairs)


def test_unknown_fields_are_dropped_everywhere(manifest: dict[str, Any]) -> None:
    manifest["mood_board"] = ["x"]
    manifest["metadata"]["director"] = "someone"
    manifest["scenes"][0]["camera_lens"] = "35mm"
    manifest["effects"]["glitter"] = True
    result = _repaired(manifest)
    assert "mood_board" not in result.manifest
    assert "director" not in result.manifest["metadata"]
    assert "camera_lens" not in result.manifest["scenes"][0]
    assert "glitter" not in result.manifest["effects"]
    assert "Dropped unknown top-level fields: mood_board" in result.repairs
    assert "Dropped unknown scene fields: camera_lens" in result.repairs


def test_duplicate_and_malformed_ids_are_made_unique(manifest: dict[str, Any]) -> None:
    manifest["scenes"][1]["id"] = "s1"
    manifest["scenes"][2]["id"] = "scene three"
    result = _repaired(manifest)
    ids = [s["id"] for s in result.manifest["scenes"]]
    assert len(set(ids)) == 4
    assert ids[0] == "s1" and ids[3] == "s4"
    assert any(r.startswith("Gave 2 scene(s) a unique id") for r in result.repairs)


def test_duplicate_ids_are_reported_by_validation(manifest: dict[str, Any]) -> None:
    manifest["scenes"][1]["id"] = "s1"
    messages = [issue.message for issue in validate_manifest(manifest)]
    assert "duplicate scene id s1" in messages


def test_dangling_asset_and_audio_references_are_rebuilt(manifest: dict[str, Any]) -> None:
    manifest["assets"].append(
        {
            "id": "img_s9",
            "kind": "image",
            "scene_id": "s9",
            "role": "generated_image",
            "prompt": "x",
        }
    )
    manifest["assets"] = [a for a in manifest["assets"] if a["id"] != "vo_s2"]
    manifest["audio"]["narration"].append({"scene_id": "s7", "text": "ghost", "asset_id": "vo_s7"})
    issues = validate_manifest(manifest)
    assert {"/assets/7/scene_id", "/audio/narration/3/scene_id"} <= {i.path for i in issues}
    result = _repaired(manifest)
    ids = {a["id"] for a in result.manifest["assets"]}
    assert "img_s9" not in ids and "vo_s2" in ids
    assert [n["scene_id"] for n in result.manifest["audio"]["narration"]] == ["s1", "s2", "s4"]
    assert any("Removed 1 asset(s) no scene uses: img_s9" in r for r in result.repairs)
    assert any("Added 1 asset(s) the scenes need: vo_s2" in r for r in result.repairs)


def test_wrong_types_are_coerced_or_replaced(manifest: dict[str, Any]) -> None:
    scene = manifest["scenes"][0]
    scene["duration"] = "7"
    scene["narration"] = ["Your inbox", "never sleeps."]
    scene["effects"] = "whoosh"
    scene["visual"] = "A phone on a desk"
    scene["purpose"] = "Opening hook!"
    manifest["scenes"][2]["chart"]["data"][0]["value"] = "lots"
    manifest["effects"]["transition_seconds"] = 99
    manifest["consistency"]["palette"] = "blue"
    result = _repaired(manifest)
    fixed = result.manifest["scenes"][0]
    assert fixed["narration"] == "Your inbox never sleeps."
    assert fixed["effects"] == ["whoosh"]
    assert fixed["visual"] == {
        "kind": "generated_image",
        "prompt": "A phone on a desk",
        "asset_id": "img_s1",
    }
    assert fixed["purpose"] == "hook"
    assert result.manifest["scenes"][2]["chart"]["data"] == [{"label": "Week 2", "value": 5.0}]
    assert result.manifest["effects"]["transition_seconds"] == 2.0


def test_a_chart_visual_without_data_becomes_a_card(manifest: dict[str, Any]) -> None:
    del manifest["scenes"][2]["chart"]
    result = _repaired(manifest)
    scene = result.manifest["scenes"][2]
    assert scene["visual"]["kind"] != "chart"
    assert scene["visual"]["asset_id"] == "img_s3"


def test_too_many_scenes_for_the_length_are_dropped(manifest: dict[str, Any]) -> None:
    inputs = normalise_inputs({"duration_seconds": 5})
    extra = [dict(manifest["scenes"][0], id=f"s{n}") for n in range(1, 10)]
    result = repair_manifest({**manifest, "scenes": extra}, inputs)
    assert result.valid
    assert len(result.manifest["scenes"]) == 5
    assert any("beyond the 5 that fit in 5s" in r for r in result.repairs)


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        42,
        "manifest",
        [],
        [1, 2],
        {},
        {"scenes": "many"},
        {"scenes": [1, "two", None]},
        {"metadata": 5, "scenes": []},
    ],
)
def test_a_garbage_manifest_falls_back_to_a_valid_minimal_one(garbage: Any) -> None:
    result = repair_manifest(garbage, INPUTS)
    assert result.valid
    assert result.used_fallback
    assert validate_manifest(result.manifest) == []
    assert result.repairs


def test_the_minimal_manifest_groups_sentences_into_title_cards() -> None:
    text = "One. Two! Three? Four. Five. Six."
    manifest = minimal_manifest(INPUTS, text)
    assert validate_manifest(manifest) == []
    assert len(manifest["scenes"]) == 4
    assert all(s["visual"]["kind"] == "title_card" for s in manifest["scenes"])
    assert " ".join(s["narration"] for s in manifest["scenes"]) == text
    single = minimal_manifest(INPUTS, "")
    assert len(single["scenes"]) == 1 and validate_manifest(single) == []


def test_a_valid_manifest_passes_straight_through(manifest: dict[str, Any]) -> None:
    recovery = plan_from_manifest_or_fallback(manifest, INPUTS, TREATMENT)
    assert recovery.valid and not recovery.used_repair and recovery.repairs == []


def test_an_unrepairable_manifest_falls_back_with_a_warning() -> None:
    recovery = plan_from_manifest_or_fallback({"scenes": []}, INPUTS, TREATMENT)
    assert recovery.valid and recovery.used_fallback
    assert recovery.warnings and "Review it by hand" in recovery.warnings[0]
    assert recovery.repairs[-1] == "Replaced the manifest with the minimal fallback"


def test_the_model_is_asked_only_when_deterministic_repair_fails(manifest: dict[str, Any]) -> None:
    calls: list[int] = []

    def complete(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        calls.append(max_tokens)
        return json.dumps(manifest)

    broken = copy.deepcopy(manifest)
    broken["scenes"][0]["duration"] = 99
    recovery = plan_from_manifest_or_fallback(broken, INPUTS, TREATMENT, complete=complete)
    assert recovery.valid and not recovery.used_model and calls == []
    recovery = plan_from_manifest_or_fallback({"scenes": 3}, INPUTS, TREATMENT, complete=complete)
    assert recovery.used_fallback and calls == []  # nothing to repair: straight to the fallback


def test_a_model_repair_is_used_when_deterministic_repair_is_not_enough(
    manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import jobs.planner.repair as repair_module

    real = repair_module.repair_manifest
    attempts: list[int] = []

    def first_attempt_fails(candidate: Any, inputs: Any) -> Any:
        attempts.append(1)
        result = real(candidate, inputs)
        if len(attempts) == 1:
            result.valid = False
        return result

    def complete(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        assert "Issues:" in messages[1]["content"]
        return json.dumps(manifest)

    monkeypatch.setattr(repair_module, "repair_manifest", first_attempt_fails)
    broken = copy.deepcopy(manifest)
    broken["scenes"][0]["duration"] = 99
    recovery = plan_from_manifest_or_fallback(broken, INPUTS, TREATMENT, complete=complete)
    assert recovery.valid and recovery.used_model and not recovery.used_fallback
    assert recovery.manifest == manifest
    assert any(r.startswith("A model repaired") for r in recovery.repairs)


def test_the_model_extractor_result_is_used_when_it_validates() -> None:
    reply = {
        "title": "From the model",
        "scenes": [
            {
                "title": "Open",
                "purpose": "hook",
                "narration": "Hello there.",
                "visuals": ["A wave"],
            },
            {
                "title": "Close",
                "purpose": "made-up",
                "narration": "Goodbye.",
                "chart": [{"label": "A", "value": 1}, {"label": "B", "value": 2}],
            },
        ],
    }
    seen: list[list[dict[str, str]]] = []

    def complete(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        seen.append(messages)
        return "Sure! ```json\n" + json.dumps(reply) + "\n```"

    text = "Open on a wave. See https://secret.example/x?token=abc api_key=sk-abcdefghijklmnop"
    result = plan(text, complete=complete, use_model=True, user={"duration": 10})
    assert result.used_model and result.valid
    assert [s["title"] for s in result.manifest["scenes"]] == ["Open", "Close"]
    assert result.manifest["scenes"][1]["purpose"] == "cta"
    assert result.manifest["scenes"][1]["visual"]["kind"] == "chart"
    sent = seen[0][1]["content"]
    assert "https://" not in sent and "sk-abcdefghijklmnop" not in sent


@pytest.mark.parametrize(
    "reply",
    ["not json", "{}", '{"scenes": []}', '{"scenes": [{"narration": 5}]}', "[1, 2]", "{" * 5000],
)
def test_a_bad_model_reply_falls_back_to_the_parser(reply: str) -> None:
    def complete(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        return reply

    assert extract_with_model(TREATMENT, complete) is None
    result = plan(TREATMENT, complete=complete, use_model=True)
    assert result.valid and not result.used_model
    assert len(result.manifest["scenes"]) == 4
    assert any("used the parser" in w for w in result.warnings)


def test_a_failing_or_slow_model_falls_back_to_the_parser() -> None:
    import time

    def boom(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        raise ConnectionError("provider down")

    def slow(messages: list[dict[str, str]], max_tokens: int, timeout: float) -> str:
        time.sleep(0.5)
        return "{}"

    assert extract_with_model(TREATMENT, boom) is None
    started = time.perf_counter()
    assert extract_with_model(TREATMENT, slow, timeout=0.05) is None
    assert time.perf_counter() - started < 0.4
