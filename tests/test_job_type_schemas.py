"""The job types' input schemas, their validation messages and the catalogue built on them."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator

from jobs.job_types import (
    INPUT_SCHEMAS,
    JOB_TYPES,
    SELECTOR_FIELDS,
    VISUAL_SIZES,
    InputValidationError,
    output_types_for,
    validate_inputs,
)

# The job types whose built-in writer makes the output a selector field chooses.
JOB_TYPE_NAMES = ("content", "visual", "brand", "social", "seo", "website", "voice")
ALL_JOB_TYPES = (*JOB_TYPE_NAMES, "video")


def errors_for(job_type: str, data: dict) -> dict[str, list[str]]:
    with pytest.raises(InputValidationError) as caught:
        validate_inputs(job_type, data)
    return caught.value.errors


def fields(schema: dict):
    """Every property schema, nested ones included, with its path."""
    for name, field in schema.get("properties", {}).items():
        yield name, field
        items = field.get("items", {})
        if isinstance(items, dict):
            yield from ((f"{name}.{n}", f) for n, f in fields(items))


def test_it_has_a_schema_for_each_job_type_video_included():
    assert set(INPUT_SCHEMAS) == set(ALL_JOB_TYPES)
    assert set(JOB_TYPES) == set(ALL_JOB_TYPES)
    assert set(SELECTOR_FIELDS) == set(JOB_TYPE_NAMES)


@pytest.mark.parametrize("job_type", ALL_JOB_TYPES)
def test_it_declares_valid_draft_2020_12_schemas(job_type):
    schema = INPUT_SCHEMAS[job_type]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("job_type", ALL_JOB_TYPES)
def test_it_gives_every_field_a_title_and_a_description(job_type):
    for name, field in fields(INPUT_SCHEMAS[job_type]):
        assert field.get("title"), f"{job_type}.{name} has no title"
        if "." not in name:
            assert field.get("description"), f"{job_type}.{name} has no description"


@pytest.mark.parametrize("job_type", JOB_TYPE_NAMES)
def test_it_requires_the_output_type_selector(job_type):
    selector = SELECTOR_FIELDS[job_type]
    assert selector in INPUT_SCHEMAS[job_type]["required"]
    assert errors_for(job_type, {"topic": "Spring launch"})[f"inputData.{selector}"] == [
        "This field is required."
    ]


@pytest.mark.parametrize(
    ("job_type", "example"),
    [(job_type, ex) for job_type in ALL_JOB_TYPES for ex in INPUT_SCHEMAS[job_type]["examples"]],
)
def test_it_accepts_every_schema_example(job_type, example):
    cleaned = validate_inputs(job_type, example)
    for key, value in example.items():
        assert cleaned[key] == value or key == "hashtags"


def test_it_accepts_the_seed_documents_content_request():
    cleaned = validate_inputs(
        "content",
        {"contentType": "blog_post", "topic": "Industry trends 2024", "tone": "professional"},
    )
    assert cleaned["length"] == "medium"


def test_it_applies_defaults_from_the_schema():
    content = validate_inputs("content", {"contentType": "email", "topic": "Spring launch"})
    assert (content["tone"], content["length"]) == ("professional", "medium")
    social = validate_inputs("social", {"platforms": ["twitter"], "topic": "Opening hours"})
    assert (social["hashtags"], social["includeEmoji"], social["postsPerPlatform"]) == (3, False, 1)
    assert (
        validate_inputs("voice", {"scriptType": "promo", "topic": "Spring"})["durationSeconds"]
        == 60
    )


@pytest.mark.parametrize("visual_type", sorted(VISUAL_SIZES))
def test_it_defaults_visual_sizes_to_ones_allowed_for_the_type(visual_type):
    data = {"visualType": visual_type}
    if visual_type == "infographic":
        data["data"] = [{"label": "A", "value": 1}, {"label": "B", "value": 2}]
    sizes = validate_inputs("visual", data)["sizes"]
    assert sizes and set(sizes) <= set(VISUAL_SIZES[visual_type])


def test_it_does_not_change_the_callers_data():
    data = {"contentType": "blog_post", "topic": "  Spring   launch "}
    before = copy.deepcopy(data)
    cleaned = validate_inputs("content", data)
    assert data == before
    assert cleaned["topic"] == "Spring launch"


def test_it_lists_the_allowed_values_when_an_enum_is_wrong():
    errors = errors_for("content", {"contentType": "poem", "topic": "Spring launch"})
    assert errors == {
        "inputData.contentType": ["Must be one of: blog_post, email, landing_page, case_study."]
    }


def test_it_names_the_length_limit_of_a_topic():
    assert errors_for("content", {"contentType": "email", "topic": "x" * 201}) == {
        "inputData.topic": ["Must be at most 200 characters."]
    }
    assert errors_for("content", {"contentType": "email", "topic": "ab"}) == {
        "inputData.topic": ["Must be at least 3 characters."]
    }


def test_it_keeps_word_count_between_150_and_3000():
    base = {"contentType": "blog_post", "topic": "Spring launch"}
    assert errors_for("content", {**base, "wordCount": 149}) == {
        "inputData.wordCount": ["Must be at least 150."]
    }
    assert errors_for("content", {**base, "wordCount": 3001}) == {
        "inputData.wordCount": ["Must be at most 3000."]
    }
    assert errors_for("content", {**base, "wordCount": "many"}) == {
        "inputData.wordCount": ["Must be a whole number."]
    }
    assert validate_inputs("content", {**base, "wordCount": 150})["wordCount"] == 150


def test_it_allows_at_most_ten_keywords():
    data = {"contentType": "blog_post", "topic": "Spring", "keywords": [f"k{i}" for i in range(11)]}
    assert errors_for("content", data) == {"inputData.keywords": ["Must contain at most 10 items."]}


def test_it_points_at_the_size_that_does_not_suit_the_visual_type():
    errors = errors_for("visual", {"visualType": "banner", "sizes": ["1200x628", "1080x1080"]})
    assert errors == {"inputData.sizes.1": ["Must be one of: 1200x628, 728x90, 300x250, 1500x500."]}


def test_it_requires_chart_data_for_an_infographic_only():
    assert errors_for("visual", {"visualType": "infographic"}) == {
        "inputData.data": ["This field is required."]
    }
    validate_inputs("visual", {"visualType": "banner", "headline": "Hello"})


def test_it_names_the_field_inside_a_chart_data_point():
    data = {"visualType": "infographic", "data": [{"label": "A", "value": 1}, {"label": "B"}]}
    assert errors_for("visual", data) == {"inputData.data.1.value": ["This field is required."]}


def test_it_requires_a_location_for_local_seo_only():
    assert errors_for("seo", {"seoType": "local_seo", "topic": "Plumbing"}) == {
        "inputData.location": ["This field is required."]
    }
    validate_inputs("seo", {"seoType": "meta_tags", "topic": "Plumbing"})


def test_it_explains_a_bad_url_in_plain_words():
    errors = errors_for("seo", {"seoType": "meta_tags", "topic": "Plumbing", "url": "ftp://x"})
    assert errors == {"inputData.url": ["Must be a web address starting with http:// or https://."]}


def test_it_needs_at_least_one_platform_and_no_repeats():
    assert errors_for("social", {"platforms": [], "topic": "Opening hours"}) == {
        "inputData.platforms": ["Must contain at least 1 item."]
    }
    assert errors_for("social", {"platforms": ["twitter", "twitter"], "topic": "Opening"}) == {
        "inputData.platforms": ["Must not contain duplicates."]
    }
    assert errors_for("social", {"platforms": ["myspace"], "topic": "Opening hours"}) == {
        "inputData.platforms.0": ["Must be one of: linkedin, twitter, facebook, instagram."]
    }


def test_it_accepts_a_hashtag_count_or_a_list_and_strips_the_hash():
    base = {"platforms": ["instagram"], "topic": "Opening hours"}
    assert validate_inputs("social", {**base, "hashtags": 0})["hashtags"] == 0
    tags = validate_inputs("social", {**base, "hashtags": ["#Leeds", "SmallBusiness"]})["hashtags"]
    assert tags == ["Leeds", "SmallBusiness"]
    message = ["Must be a whole number from 0 to 10, or a list of up to 10 hashtags."]
    assert errors_for("social", {**base, "hashtags": 11}) == {"inputData.hashtags": message}
    assert errors_for("social", {**base, "hashtags": ["two words"]}) == {
        "inputData.hashtags": [
            "“two words” is not a hashtag the platforms link: use letters (any language), "
            "digits and _ only, no spaces or punctuation, at most 30 characters, "
            "and not digits alone."
        ]
    }


def test_it_keeps_voice_durations_between_10_and_300_seconds():
    base = {"scriptType": "intro", "topic": "Welcome"}
    assert errors_for("voice", {**base, "durationSeconds": 5}) == {
        "inputData.durationSeconds": ["Must be at least 10."]
    }
    assert errors_for("voice", {**base, "durationSeconds": 301}) == {
        "inputData.durationSeconds": ["Must be at most 300."]
    }


def test_it_names_each_unknown_field():
    errors = errors_for("brand", {"brandType": "voice", "colour": "red", "mood": "calm"})
    assert errors == {
        "inputData.colour": ["This field is not allowed."],
        "inputData.mood": ["This field is not allowed."],
    }


def test_it_reports_several_problems_at_once():
    errors = errors_for("content", {"contentType": "poem", "tone": "grumpy"})
    assert set(errors) == {"inputData.contentType", "inputData.tone", "inputData.topic"}


def test_it_rejects_an_unknown_job_type_on_the_job_type_field():
    errors = errors_for("podcast", {"topic": "Hello"})
    assert list(errors) == ["jobType"]
    assert errors["jobType"][0].startswith("Must be one of: content, visual")


def test_it_rejects_input_that_is_not_an_object():
    assert errors_for("content", ["blog_post"]) == {"inputData": ["Must be an object."]}


def test_it_says_what_went_wrong_when_printed():
    with pytest.raises(InputValidationError, match=r"inputData\.topic: This field is required"):
        validate_inputs("content", {"contentType": "email"})


@pytest.mark.parametrize("job_type", JOB_TYPE_NAMES)
def test_it_catalogues_one_output_type_per_selector_value(job_type):
    field = INPUT_SCHEMAS[job_type]["properties"][SELECTOR_FIELDS[job_type]]
    allowed = field.get("enum") or field["items"]["enum"]
    assert [o.key for o in output_types_for(job_type)] == list(allowed)
    info = JOB_TYPES[job_type]
    assert info.label and info.description and info.icon
    assert all(o.label for o in info.output_types)


def test_it_marks_brand_and_website_work_as_high_impact():
    assert {k for k, info in JOB_TYPES.items() if info.high_impact} == {"brand", "website"}


def test_it_labels_output_types_for_display():
    assert JOB_TYPES["social"].output_label("twitter") == "Twitter/X post"
    with pytest.raises(KeyError):
        output_types_for("podcast")
