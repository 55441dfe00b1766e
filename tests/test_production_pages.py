"""Production pages: the workflow selector, the job page's pipeline, run records, metrics."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals.models import ApprovalRequest
from jobs.inline import run_inline
from jobs.models import ProductionJob, StepRun
from jobs.workflows.production.seeds import seed_workflows
from jobs.workflows.production.services import decide_gate, start_production
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

BRIEF = (
    "Launch film for the Ridgeline 40 hiking pack: a 30-second spot for weekend hikers aged "
    "25-45. Its frame adjusts in ten seconds. Recycled fabric, repairable buckles."
)


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    seed_workflows()


def at_method_gate(acme, rita) -> ProductionJob:
    job = start_production(client=acme, user=rita, workflow="film", brief=BRIEF)
    run_inline(job.pk)
    gate = ApprovalRequest.objects.get(job=job, status="pending")
    decide_gate(request_id=gate.pk, user=rita, approve=True)
    run_inline(job.pk)
    return job


def test_the_selector_shows_each_workflow_with_its_estimate(client, acme, alice):
    client.force_login(alice)
    page = client.get(reverse("production_new")).content.decode()
    for name in ("Film/TV production", "Advertising campaign", "Social content"):
        assert name in page
    assert "Creative Director (Creative Director approves the script)" in page
    assert "Concept generator in 10 parallel batches" in page
    assert "min</strong> of work" in page and "(step estimates; no past runs yet)" in page


def test_the_selector_starts_a_production_or_shows_the_error_at_the_field(client, acme, alice):
    client.force_login(alice)
    bad = client.post(reverse("production_new"), {"workflow": "film", "brief": "Too short."})
    assert bad.status_code == 400
    assert 'id="f-brief-error"' in bad.content.decode()
    assert "should be non-empty" in bad.content.decode() or "too short" in bad.content.decode()
    money = client.post(
        reverse("production_new"), {"workflow": "film", "brief": BRIEF, "budget": "lots"}
    )
    assert money.status_code == 400 and 'id="f-budget-error"' in money.content.decode()
    assert not ProductionJob.objects.exists()
    ok = client.post(
        reverse("production_new"), {"workflow": "social", "brief": BRIEF, "budget": "2,500"}
    )
    job = ProductionJob.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("job_detail", args=[job.pk])
    assert job.workflow.slug == "social" and str(job.budget_usd) == "2500.00"


def test_the_job_page_shows_gates_branches_and_step_revisions(client, acme, rita):
    job = at_method_gate(acme, rita)
    client.force_login(rita)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Decided by <strong>Creative Director</strong>" in page
    assert "Decided by <strong>Producer</strong>" in page
    assert "Step revision 1" in page
    assert page.count('data-state="waiting"') == 1  # the method gate
    assert "Review and approval" not in page  # the workflow's own gates decide
    decide_gate(
        request_id=ApprovalRequest.objects.get(job=job, status="pending").pk,
        user=rita,
        approve=True,
    )
    run_inline(job.pk)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Taken: method is" in page and "Not taken: method is" in page


def test_a_run_record_shows_inputs_prompts_and_calls_to_its_client_only(client, acme, globex, rita):
    job = at_method_gate(acme, rita)
    run = StepRun.objects.get(job=job, step="script")
    client.force_login(rita)
    page = client.get(reverse("step_run", args=[run.pk])).content.decode()
    assert "Input snapshot" in page and "&quot;read&quot;" in page and "vrd" in page
    assert "Write the script" in page  # the prompt's purpose
    assert "builtin-text" in page
    client.force_login(make_user("gus", globex, "owner"))
    assert client.get(reverse("step_run", args=[run.pk])).status_code == 404


def test_the_metrics_panel_counts_each_clients_own_runs(client, acme, globex, rita):
    at_method_gate(acme, rita)
    client.force_login(rita)
    page = client.get(reverse("production_metrics")).content.decode()
    assert "Film/TV production" in page and "Script and scene breakdown" in page
    assert "100%" in page
    runs = client.get(reverse("production_step_runs", args=["film", "script"])).content.decode()
    assert "Launch film for the Ridgeline 40 hiking pack" in runs
    client.force_login(make_user("gus", globex, "owner"))
    assert "No production has run yet" in client.get(reverse("production_metrics")).content.decode()
