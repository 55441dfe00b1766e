"""The new-job form: inputs built from a job type's JSON Schema and posted values parsed back."""

from __future__ import annotations

from dashboards.forms import build_fields, humanize, parse_inputs, split_errors

SCHEMA = {
    "type": "object",
    "required": ["kind", "topic"],
    "properties": {
        "kind": {"type": "string", "title": "Kind", "enum": ["blog_post", "local_seo"]},
        "topic": {
            "type": "string",
            "title": "Topic",
            "description": "What it is about.",
            "maxLength": 200,
        },
        "treatment": {"type": "string", "maxLength": 5000},
        "words": {
            "type": "integer",
            "title": "Words",
            "minimum": 10,
            "maximum": 100,
            "default": 40,
        },
        "ratio": {"type": "number"},
        "emoji": {"type": "boolean", "default": True},
        "platforms": {
            "type": "array",
            "items": {"type": "string", "enum": ["linkedin", "twitter"]},
        },
        "keywords": {"type": "array", "items": {"type": "string"}},
        "sizes": {"type": "array", "items": {"type": "string"}},
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"label": {"type": "string"}, "value": {"type": "number"}},
            },
        },
        "hashtags": {
            "oneOf": [{"type": "integer"}, {"type": "array", "items": {"type": "string"}}]
        },
    },
    "allOf": [
        {"if": {}, "then": {"properties": {"sizes": {"items": {"enum": ["1200x628", "300x250"]}}}}},
        {
            "if": {},
            "then": {"properties": {"sizes": {"items": {"enum": ["1080x1080", "300x250"]}}}},
        },
    ],
}


class Posted(dict):
    """A QueryDict stand-in: lists of values per name."""

    def get(self, key, default=None):
        values = super().get(key)
        return values[-1] if values else default

    def getlist(self, key):
        return list(super().get(key, []))


def by_key(fields):
    return {f.key: f for f in fields}


def test_it_picks_a_widget_for_each_kind_of_schema_field():
    fields = by_key(build_fields(SCHEMA))
    widgets = {key: f.widget for key, f in fields.items()}
    assert widgets == {
        "kind": "select",
        "topic": "text",
        "treatment": "textarea",
        "words": "number",
        "ratio": "number",
        "emoji": "checkbox",
        "platforms": "checkboxes",
        "keywords": "list",
        "sizes": "checkboxes",
        "data": "records",
        "hashtags": "text",
    }


def test_labels_help_and_required_come_from_the_schema():
    fields = by_key(build_fields(SCHEMA))
    assert (fields["topic"].label, fields["topic"].help, fields["topic"].required) == (
        "Topic",
        "What it is about.",
        True,
    )
    assert fields["treatment"].label == "Treatment" and not fields["treatment"].required
    assert fields["words"].step == "1" and fields["ratio"].step == "any"
    assert (fields["words"].minimum, fields["words"].maximum) == (10, 100)
    assert (
        fields["topic"].name == "inputData.topic" and fields["topic"].html_id == "f-inputData-topic"
    )


def test_enum_options_are_readable_and_conditional_enums_are_merged():
    fields = by_key(build_fields(SCHEMA, option_labels={"blog_post": "Blog post (long form)"}))
    assert fields["kind"].options == [
        ("blog_post", "Blog post (long form)"),
        ("local_seo", "Local SEO"),
    ]
    assert [v for v, _ in fields["sizes"].options] == ["1200x628", "300x250", "1080x1080"]


def test_values_prefill_the_fields_and_defaults_fill_the_rest():
    fields = by_key(
        build_fields(
            SCHEMA,
            {
                "topic": "Spring",
                "platforms": ["twitter"],
                "keywords": ["a", "b"],
                "data": [{"label": "Q1", "value": 4}],
            },
        )
    )
    assert fields["topic"].value == "Spring"
    assert fields["platforms"].selected == {"twitter"}
    assert fields["keywords"].value == "a, b"
    assert fields["data"].value == "Q1: 4"
    assert fields["words"].value == "40" and fields["emoji"].value is True


def test_posted_values_are_parsed_back_to_the_schemas_types():
    posted = Posted(
        {
            "inputData.kind": ["blog_post"],
            "inputData.topic": ["  Spring  "],
            "inputData.words": ["25"],
            "inputData.ratio": ["1.5"],
            "inputData.platforms": ["linkedin", "twitter"],
            "inputData.keywords": ["trail, hiking ,"],
            "inputData.data": ["2023: 120\nLabel: with colon: 3.5\n"],
            "inputData.hashtags": ["5"],
            "inputData.treatment": [""],
        }
    )
    inputs, errors = parse_inputs(SCHEMA, posted)
    assert errors == {}
    assert inputs == {
        "kind": "blog_post",
        "topic": "Spring",
        "words": 25,
        "ratio": 1.5,
        "emoji": False,
        "platforms": ["linkedin", "twitter"],
        "keywords": ["trail", "hiking"],
        "data": [{"label": "2023", "value": 120}, {"label": "Label: with colon", "value": 3.5}],
        "hashtags": 5,
    }


def test_a_oneof_field_falls_back_to_a_list():
    inputs, _ = parse_inputs(SCHEMA, Posted({"inputData.hashtags": ["#trail, #run"]}))
    assert inputs["hashtags"] == ["#trail", "#run"]


def test_values_of_the_wrong_shape_are_reported_by_path():
    posted = Posted(
        {"inputData.words": ["many"], "inputData.ratio": ["x"], "inputData.data": ["Q1: lots"]}
    )
    inputs, errors = parse_inputs(SCHEMA, posted)
    assert errors["inputData.words"] == ["Enter a whole number."]
    assert errors["inputData.ratio"] == ["Enter a number."]
    assert errors["inputData.data"] == ["Line 1: “lots” is not a number."]
    assert "words" not in inputs and "ratio" not in inputs


def test_errors_land_on_the_field_they_are_about():
    by_field, general = split_errors(
        {
            "inputData.sizes.0": ["Must be one of: 1200x628."],
            "inputData.topic": ["This field is required.", "This field is required."],
            "title": ["A title is required."],
            "inputData": ["Must be an object."],
        },
        ["title", "inputData.topic", "inputData.sizes"],
    )
    assert by_field == {
        "inputData.sizes": ["Must be one of: 1200x628."],
        "inputData.topic": ["This field is required."],
        "title": ["A title is required."],
    }
    assert general == ["inputData: Must be an object."]


def test_enum_values_read_as_words():
    assert humanize("blog_post") == "Blog post"
    assert humanize("local_seo") == "Local SEO"
    assert humanize("16:9") == "16:9"
