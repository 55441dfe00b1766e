"""Job types come from one registry of specs: the system check, the examples, a new type's reach."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client as HttpClient
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from approvals.review import HIGH_IMPACT_TYPES, high_impact_reasons
from jobs.inputs import InputErrors, validate_job_inputs
from jobs.job_types import (
    INPUT_SCHEMAS,
    JOB_TYPE_SPECS,
    JOB_TYPES,
    WRITERS,
    Deliverable,
    JobTypeSpec,
    output_types_for,
)
from jobs.job_types.checks import check_job_type_specs
from jobs.job_types.spec import outputs
from jobs.job_types.validation import messages_for
from jobs.models import JobType, ProductionJob
from jobs.workflows import all_workflows
from tests.factories import PASSWORD, api_as, make_job, produce


def write_podcast(inputs, brand, **_options) -> list[Deliverable]:
    episode = inputs["episode"]
    text = f"# {inputs['topic']}\n\nShow notes for {brand.name}'s {episode} episode."
    return [Deliverable(key=episode, kind="markdown", title=f"{episode} notes", text=text)]


PODCAST = JobTypeSpec(
    key="podcast",
    label="Podcast",
    description="Show notes for an episode of the brand's podcast.",
    icon="headphones",
    input_schema={
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "episode": {
                "type": "string",
                "title": "Episode",
                "description": "Which kind of episode.",
                "enum": ["interview", "solo"],
            },
            "topic": {
                "type": "string",
                "title": "Topic",
                "description": "What the episode is about.",
                "minLength": 3,
                "maxLength": 120,
            },
        },
        "required": ["episode", "topic"],
        "additionalProperties": False,
    },
    output_types=outputs(("interview", "Interview notes"), ("solo", "Solo notes")),
    selector="episode",
    writer=write_podcast,
    workflow="jobs.workflows.single_purpose.write_only",
    write_label="Write the show notes",
    high_impact=True,
    demo_inputs={"episode": "interview", "topic": "Roasting at home"},
)


@pytest.fixture
def podcast(monkeypatch):
    """A job type that exists only in this test, added to the registry and nowhere else."""
    monkeypatch.setitem(JOB_TYPE_SPECS, "podcast", PODCAST)
    return PODCAST


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_registry_and_the_model_choices_agree():
    assert check_job_type_specs() == []
    assert set(JOB_TYPE_SPECS) == set(JobType.values) - {"production"}


def test_the_check_fails_for_a_spec_that_is_not_a_model_choice(podcast):
    errors = check_job_type_specs()
    assert ids(errors) == ["jobs.E001"]
    assert "'podcast' has a spec but is not a choice" in errors[0].msg


def test_the_check_fails_for_a_model_choice_without_a_spec(monkeypatch):
    monkeypatch.delitem(JOB_TYPE_SPECS, "voice")
    errors = check_job_type_specs()
    assert ids(errors) == ["jobs.E002"]
    assert "'voice' is a choice of jobs.models.JobType but has no spec" in errors[0].msg


def test_the_check_fails_when_the_labels_differ(monkeypatch):
    renamed = dataclasses.replace(JOB_TYPE_SPECS["seo"], label="Search")
    monkeypatch.setitem(JOB_TYPE_SPECS, "seo", renamed)
    assert ids(check_job_type_specs()) == ["jobs.E003"]


def test_the_check_is_registered_so_manage_check_refuses_a_mismatch(podcast):
    with pytest.raises(SystemCheckError, match="jobs.E001"):
        call_command("check")


@pytest.mark.parametrize("key", list(JOB_TYPE_SPECS))
def test_every_specs_schema_accepts_its_demo_inputs(key):
    spec = JOB_TYPE_SPECS[key]
    Draft202012Validator.check_schema(spec.input_schema)
    Draft202012Validator(spec.input_schema).validate(spec.demo_inputs)
    cleaned = validate_job_inputs(key, spec.demo_inputs)
    assert {name: cleaned[name] for name in spec.demo_inputs} == spec.demo_inputs


@pytest.mark.parametrize("key", list(JOB_TYPE_SPECS))
def test_every_spec_builds_a_workflow_and_offers_what_its_selector_allows(key):
    spec = JOB_TYPE_SPECS[key]
    assert all_workflows()[key].name == key
    if spec.selector:
        field = spec.input_schema["properties"][spec.selector]
        allowed = field.get("enum") or field["items"]["enum"]
        assert [output.key for output in spec.output_types] == allowed
        assert spec.writer is not None


def test_a_new_spec_reaches_the_catalogue_schemas_writers_workflows_and_review(podcast):
    assert JOB_TYPES["podcast"] is podcast
    assert output_types_for("podcast") == podcast.output_types
    assert INPUT_SCHEMAS["podcast"] is podcast.input_schema
    assert WRITERS["podcast"] is write_podcast
    assert [step.label for step in all_workflows()["podcast"].steps(None)] == [
        "Write the show notes"
    ]
    assert "podcast" in HIGH_IMPACT_TYPES


def test_a_new_spec_validates_its_inputs_with_its_own_schema(podcast):
    with pytest.raises(InputErrors) as caught:
        validate_job_inputs("podcast", {"episode": "panel", "topic": "Hi"})
    assert caught.value.errors == {
        "inputData.episode": ["Must be one of: interview, solo."],
        "inputData.topic": ["Must be at least 3 characters."],
    }


@pytest.mark.django_db
def test_a_new_spec_is_offered_by_the_new_job_form(podcast, acme, alice):
    client = HttpClient()
    assert client.login(username="alice", password=PASSWORD)
    dialog = client.get("/jobs/new/").content.decode()
    assert 'value="podcast"' in dialog and "Show notes for an episode" in dialog
    fields = client.get("/jobs/new/?jobType=podcast").content.decode()
    assert 'name="inputData.episode"' in fields and "Interview notes" in fields

    make_job(acme, job_type="podcast", title="Episode 9 notes", inputs=PODCAST.demo_inputs)
    make_job(acme, title="Spring blog post")
    listed = client.get("/?type=podcast").content.decode()
    assert '<option value="podcast" selected>Podcast</option>' in listed
    assert "Episode 9 notes" in listed and "Spring blog post" not in listed


@pytest.mark.django_db
def test_a_new_spec_is_accepted_by_the_api_and_run_by_its_workflow(podcast, acme, alice):
    body = {
        "client": str(acme.pk),
        "job_type": "podcast",
        "title": "Episode 12 notes",
        "input_data": {"episode": "solo", "topic": "Roasting at home"},
        "auto_process": False,
    }
    response = api_as(alice).post("/api/v1/jobs/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["input_data"] == body["input_data"]
    refused = api_as(alice).post(
        "/api/v1/jobs/", {**body, "input_data": {"episode": "panel"}}, format="json"
    )
    assert refused.status_code == 400
    fields = refused.json()["error"]["fields"]
    assert fields["input_data.episode"] == ["Must be one of: interview, solo."]
    assert fields["input_data.topic"] == ["This field is required."]

    listed = api_as(alice).get("/api/v1/jobs/?type=podcast").json()
    assert [job["title"] for job in listed["results"]] == ["Episode 12 notes"]
    seed = {"clientId": str(acme.pk), "jobType": "podcast", "title": "Episode 13 notes"}
    seed["inputData"] = {"episode": "solo", "topic": "Cold brew"}
    seeded = api_as(alice).post(
        "/api/production/jobs", {**seed, "autoProcess": False}, format="json"
    )
    assert seeded.status_code == 201, seeded.json()

    job = produce(
        acme,
        job_type="podcast",
        inputs={"episode": "interview", "topic": "Roasting at home"},
    )
    assert job.status == "review"
    [output] = job.outputs.all()
    assert output.key == "interview" and "Show notes for" in output.text
    assert high_impact_reasons(job)[0].lower() == "podcast work"  # the spec's default
    assert ProductionJob.objects.filter(job_type="podcast").count() == 3


def test_video_errors_come_from_each_errors_path_and_keyword():
    with pytest.raises(InputErrors) as caught:
        validate_job_inputs(
            "video",
            {"treatment": "Too short", "aspectRatio": "2:1", "durationSeconds": "ten", "x": 1},
        )
    assert caught.value.errors == {
        "inputData.aspectRatio": ["Must be one of: Smart Auto, 16:9, 9:16, 1:1, 4:5."],
        "inputData.durationSeconds": ["Must be a whole number."],
        "inputData.treatment": ["Must be at least 10 characters."],
        "inputData.x": ["This field is not allowed."],
    }


def test_video_keeps_the_treatments_lines_and_fills_in_defaults():
    treatment = "# Spot\n\n## Scene 1\nVO: Hello there.\n\n## Scene 2\nVO: Goodbye."
    cleaned = validate_job_inputs("video", {"treatment": treatment})
    assert cleaned["treatment"] == treatment
    assert cleaned["durationSeconds"] == 30 and cleaned["aspectRatio"] == "Smart Auto"


def test_messages_are_chosen_by_keyword_not_by_jsonschemas_wording():
    # jsonschema's own sentence is ignored: a reworded message changes nothing.
    error = ValidationError(
        "'treatment' is a required property (reworded by a newer jsonschema)",
        validator="required",
        validator_value=["treatment"],
        instance={},
        path=(),
        schema={},
    )
    assert messages_for(error) == [("inputData.treatment", "This field is required.")]
    nested = ValidationError(
        "anything", validator="maxLength", validator_value=10, instance="x" * 11, path=("language",)
    )
    assert messages_for(nested) == [("inputData.language", "Must be at most 10 characters.")]
