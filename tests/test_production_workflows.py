"""Production workflows as data, and the engine paths they use, run in this process.

Definitions are validated on save (schema, capabilities, DAG); gates route a rejection to the
step that produced the work and re-run only it and what follows; branches and conditional
gates are recorded as skipped with the reason; a StepFailure fails once with its message.
"""

from __future__ import annotations

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from approvals.models import ApprovalRequest
from jobs.inline import run_inline
from jobs.models import JobEvent, Output, ProductionJob, ProductionWorkflow, StepRun
from jobs.workflows.production.definition import build_steps
from jobs.workflows.production.estimates import estimate_for
from jobs.workflows.production.seeds import ADVERTISING, FILM, seed_workflows
from jobs.workflows.production.services import ProductionError, decide_gate, start_production

pytestmark = pytest.mark.django_db(transaction=True)

FILM_BRIEF = (
    "Launch film for the Ridgeline 40 hiking pack: a 45-second spot for weekend hikers aged "
    "25-45. The pack carries a full day's kit without strain. Its frame adjusts in ten seconds. "
    "Recycled fabric, repairable buckles. Warm, cinematic, honest; shot on a mountain trail and "
    "in a kitchen at dawn."
)


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    seed_workflows()


def pending(job: ProductionJob) -> ApprovalRequest:
    return ApprovalRequest.objects.get(job=job, status="pending")


def runs(job: ProductionJob, revision: int | None = None) -> dict[str, StepRun]:
    job.refresh_from_db()
    rev = revision or job.revision
    return {r.step: r for r in StepRun.objects.filter(job=job, revision=rev)}


def data(job: ProductionJob, step: str) -> dict:
    job.refresh_from_db()
    return json.loads(
        Output.objects.get(job=job, revision=job.revision, step=step, key="data").text
    )


def until_gate(job: ProductionJob) -> ApprovalRequest:
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "review", job.error
    return pending(job)


# --- definitions ----------------------------------------------------------------------------


def test_the_three_workflows_are_seeded_valid_and_estimated():
    assert set(ProductionWorkflow.objects.values_list("slug", flat=True)) == {
        "film",
        "advertising",
        "social",
    }
    film = ProductionWorkflow.objects.get(slug="film")
    estimate = estimate_for(film)
    assert estimate.gates == 5 and 0 < estimate.minutes_low < estimate.minutes_high
    assert 0 < estimate.cost_low < estimate.cost_high
    assert seed_workflows() == 3  # seeding again updates in place
    assert ProductionWorkflow.objects.count() == 3


def test_a_fanout_becomes_parallel_batches_and_its_successor_waits_for_all():
    steps = {s.name: s for s in build_steps(ADVERTISING)}
    batches = [n for n in steps if n.startswith("concepts.")]
    assert len(batches) == 10 and steps["concepts.03"].params["batch"] == 3
    assert steps["concepts.03"].depends_on == ("cd_gate",)
    assert steps["shortlist"].depends_on == tuple(batches)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["steps"][0].update(depends_on=["qc"]), "cycle"),
        (lambda d: d["steps"][1].update(capability="film.nothing"), "unknown capability"),
        (lambda d: d["steps"][2].update(reviews="qc"), "not upstream"),
        (
            lambda d: d["steps"][1].update(output_schema={"type": "nonsense"}),
            "not a valid JSON Schema",
        ),
        (lambda d: d["steps"][3].update(depends_on=["nowhere"]), "unknown steps"),
        (lambda d: d["steps"].append(dict(d["steps"][0])), "duplicate"),
        (lambda d: d["steps"][2].pop("approver"), "needs “approver”"),
        (lambda d: d["steps"][0].update(kind="loop"), "is not one of"),
    ],
)
def test_a_broken_definition_is_refused_on_save_with_the_reason(change, message):
    definition = copy.deepcopy(FILM)
    change(definition)
    record = ProductionWorkflow(
        slug="broken", name="Broken", workflow_type="film", definition=definition
    )
    with pytest.raises(ValidationError) as caught:
        record.save()
    assert message in " ".join(caught.value.message_dict["definition"])
    assert not ProductionWorkflow.objects.filter(slug="broken").exists()


def test_staff_see_a_definition_error_at_the_field_in_the_admin(client, django_user_model):
    staff = django_user_model.objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(staff)
    film = ProductionWorkflow.objects.get(slug="film")
    definition = copy.deepcopy(FILM)
    definition["steps"][0]["depends_on"] = ["director_gate"]
    response = client.post(
        reverse("admin:jobs_productionworkflow_change", args=[film.pk]),
        {
            "slug": "film",
            "name": film.name,
            "description": film.description,
            "workflow_type": "film",
            "definition": json.dumps(definition),
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "cycle" in response.content.decode()
    film.refresh_from_db()
    assert film.definition == FILM


# --- starting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("workflow", "brief", "field"),
    [
        ("opera", FILM_BRIEF, "workflow"),
        ("film", "Too short.", "brief.brief"),
        ("film", {"brief": FILM_BRIEF, "budget_usd": -5}, "brief.budget_usd"),
        ("film", {"brief": FILM_BRIEF, "choices": {"method": "hybrid"}}, "brief"),
        ("film", ["a list"], "brief"),
        ("film", {"brief": FILM_BRIEF, "attachments": [{"name": "x"}]}, "brief.attachments.0"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(
    acme, rita, workflow, brief, field
):
    with pytest.raises(ProductionError) as caught:
        start_production(client=acme, user=rita, workflow=workflow, brief=brief)
    assert caught.value.field == field
    assert not ProductionJob.objects.exists() and not JobEvent.objects.exists()


def test_people_of_another_client_cannot_start_productions_there(acme, globex):
    from tests.factories import make_user

    outsider = make_user("gus", globex, "owner")
    with pytest.raises(ProductionError) as caught:
        start_production(client=acme, user=outsider, workflow="film", brief=FILM_BRIEF)
    assert caught.value.code == "permission_denied"


# --- gates, rejections and branches ---------------------------------------------------------


def test_a_rejected_script_reruns_only_from_the_script_with_the_feedback(acme, rita):
    job = start_production(client=acme, user=rita, workflow="film", brief=FILM_BRIEF)
    gate = until_gate(job)
    assert gate.gate == "cd_gate" and data(job, "script")["duration"] == 45
    with pytest.raises(Exception, match="Feedback is required"):
        decide_gate(request_id=gate.pk, user=rita, approve=False, feedback="  ")

    decide_gate(request_id=gate.pk, user=rita, approve=False, feedback="Make it 30 seconds.")
    again = until_gate(job)
    assert (again.gate, again.revision) == ("cd_gate", 2)
    second = runs(job)
    assert second["vrd"].reused_from == 1 and second["vrd"].step_revision == 1
    assert second["script"].reused_from is None and second["script"].step_revision == 2
    assert second["script"].input_snapshot["feedback"] == ["Make it 30 seconds."]
    script = data(job, "script")
    assert script["duration"] == 30 and sum(s["duration"] for s in script["scenes"]) == 30
    assert "retimed the script to 30 seconds" in script["revision_notes"][0]
    text = Output.objects.get(job=job, revision=2, step="script", key="script").text
    assert "## Revision notes" in text
    # The VRD of revision 2 is revision 1's, carried over, not written again.
    assert Output.objects.get(job=job, revision=2, step="vrd", key="vrd").text == (
        Output.objects.get(job=job, revision=1, step="vrd", key="vrd").text
    )


def test_a_step_failure_fails_at_once_with_its_message(acme, rita, monkeypatch):
    from jobs.workflows.production import capabilities

    def broken(p):
        from jobs.workflows.base import StepFailure

        raise StepFailure("The brief names no product to film.")

    monkeypatch.setitem(
        capabilities.CAPABILITIES,
        "film.vrd",
        capabilities.Capability("film.vrd", "VRD", "", broken),
    )
    job = start_production(client=acme, user=rita, workflow="film", brief=FILM_BRIEF)
    run_inline(job.pk)
    job.refresh_from_db()
    run = StepRun.objects.get(job=job, step="vrd")
    assert (job.status, run.status, run.attempt) == ("failed", "failed", 1)
    assert run.error == "The brief names no product to film."
    assert job.error == "Video requirements document: The brief names no product to film."
    event = JobEvent.objects.get(job=job, to_status="failed")
    assert "StepFailure" not in event.note and "failed after" not in event.note


def test_risky_claims_route_social_posts_through_a_legal_gate(acme, olga):
    risky = (
        "Spring posts for the Ridgeline 40 hiking pack on Instagram. "
        "The pack cures back pain for good. Customers say it doubled their income."
    )
    job = start_production(client=acme, user=olga, workflow="social", brief=risky)
    decide_gate(request_id=until_gate(job).pk, user=olga, approve=True)
    gate = until_gate(job)
    assert gate.gate == "legal_gate" and gate.approval_type == "legal"
    note = runs(job)["legal_gate"].note
    assert note.startswith("Legal review added:") and "unsubstantiated health claim" in note


def test_clean_social_posts_skip_the_legal_gate_and_are_packaged(acme, olga):
    clean = (
        "Autumn posts for the Ridgeline 40 hiking pack on Instagram and TikTok. "
        "Its frame adjusts in ten seconds. Recycled fabric, repairable buckles."
    )
    job = start_production(client=acme, user=olga, workflow="social", brief=clean)
    decide_gate(request_id=until_gate(job).pk, user=olga, approve=True)
    run_inline(job.pk)
    job.refresh_from_db()
    assert job.status == "completed", job.error
    legal = runs(job)["legal_gate"]
    assert legal.status == "skipped" and legal.note.startswith("Not needed")
    schedule = Output.objects.get(job=job, step="package", key="schedule")
    assert schedule.text.splitlines()[0].startswith("post_at,platform,format")
    assert len(schedule.text.splitlines()) == 1 + 6  # three posts on each of two platforms


def test_the_briefs_attachments_are_read_as_part_of_the_brief(acme, rita):
    brief = {
        "brief": "Launch film for the Ridgeline 40 hiking pack: a 30-second spot.",
        "attachments": [
            {
                "name": "product-sheet.txt",
                "text": "The hip belt carries most of the load. Made from recycled nylon.",
            }
        ],
    }
    job = start_production(client=acme, user=rita, workflow="film", brief=brief)
    until_gate(job)
    vrd = data(job, "vrd")
    assert "The hip belt carries most of the load" in vrd["key_messages"]
    assert vrd["duration"] == 30
    script = Output.objects.get(job=job, step="script", key="script").text
    assert "Made from recycled nylon." in script


def test_a_method_over_the_clients_budget_needs_an_owner_to_go_on(acme, rita, olga):
    from approvals.services import NotAllowed

    brief = {"brief": FILM_BRIEF, "budget_usd": 2000}  # below even the AI-only route
    job = start_production(client=acme, user=rita, workflow="film", brief=brief)
    decide_gate(request_id=until_gate(job).pk, user=rita, approve=True)
    gate = until_gate(job)
    solver = data(job, "solver")
    assert (
        solver["within_budget"] is False and "No route fits the $2,000 budget" in solver["reason"]
    )
    assert (gate.gate, gate.approver_role) == ("method_gate", "owner")
    assert runs(job)["method_gate"].note == ""
    with pytest.raises(NotAllowed):
        decide_gate(request_id=gate.pk, user=rita, approve=True)
    decide_gate(request_id=gate.pk, user=olga, approve=True)
    run_inline(job.pk)
    assert runs(job)["route_ai"].status == "succeeded"


def test_a_method_within_budget_is_the_producers_to_confirm(acme, rita):
    job = start_production(
        client=acme, user=rita, workflow="film", brief={"brief": FILM_BRIEF, "budget_usd": 60000}
    )
    decide_gate(request_id=until_gate(job).pk, user=rita, approve=True)
    gate = until_gate(job)
    assert (gate.gate, gate.approver_role) == ("method_gate", "reviewer")
