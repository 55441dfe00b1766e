"""Titles and descriptions: one set of rules in the services, the dashboard form and the API."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from jobs.job_fields import DESCRIPTION_MAX, description_problems, title_problems
from jobs.models import ProductionJob
from jobs.services import JobError, job_create
from tests.factories import BLOG_INPUTS, PASSWORD, api_as, make_job

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "title",
    ["Launch \u202egnp.exe", "Zero\u200bwidth", "Bell\x07", "Isolate \u2066x\u2069", "Mark\u200f"],
)
def test_it_refuses_titles_that_hide_or_reorder_text(title):
    [problem] = title_problems(title)
    assert "invisible or direction-changing character (U+" in problem


@pytest.mark.parametrize(
    "title",
    ["Café crème", "北风 launch", "کافه\u200cها", "Family 👨\u200d👩\u200d👧", "שלום world"],
)
def test_it_accepts_titles_in_any_script_with_their_joiners(title):
    assert title_problems(title) == []


def test_it_limits_descriptions_and_says_the_limit():
    assert description_problems("x" * DESCRIPTION_MAX) == []
    assert description_problems("line one\nline two\ttabbed") == []
    [problem] = description_problems("x" * (DESCRIPTION_MAX + 1))
    assert problem == "The description must be at most 5,000 characters (it has 5,001)."
    assert "direction-changing" in description_problems("Price \u202e01$")[0]


def test_the_service_refuses_them_and_writes_nothing(acme):
    with pytest.raises(JobError) as caught:
        job_create(client=acme, job_type="content", title="A\u202eB", input_data=dict(BLOG_INPUTS))
    assert caught.value.field == "title"
    with pytest.raises(JobError) as caught:
        job_create(
            client=acme,
            job_type="content",
            title="Fine",
            description="x" * 228_000,
            input_data=dict(BLOG_INPUTS),
        )
    assert caught.value.field == "description"
    assert ProductionJob.objects.count() == 0


def test_the_api_refuses_them_at_the_field(acme, alice):
    body = {
        "client": str(acme.pk),
        "job_type": "content",
        "title": "Launch \u202egnp.exe",
        "description": "x" * 228_000,
        "input_data": dict(BLOG_INPUTS),
        "auto_process": False,
    }
    response = api_as(alice).post("/api/v1/jobs/", body, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "direction-changing" in " ".join(fields["title"])
    assert "5000" in " ".join(fields["description"]) or "5,000" in " ".join(fields["description"])
    assert ProductionJob.objects.count() == 0


def test_the_api_refuses_them_on_update_too(acme, alice):
    job = make_job(acme, title="Plain")
    response = api_as(alice).patch(
        f"/api/v1/jobs/{job.pk}/", {"title": "Zero\u200bwidth"}, format="json"
    )
    assert response.status_code == 400
    job.refresh_from_db()
    assert job.title == "Plain"


def test_the_dashboard_form_reports_both_with_the_other_errors(acme, alice):
    client = HttpClient()
    assert client.login(username="alice", password=PASSWORD)
    response = client.post(
        "/jobs/new/",
        {
            "jobType": "content",
            "title": "A\u202eB",
            "description": "x" * (DESCRIPTION_MAX + 1),
            "inputData.contentType": "blog_post",
            "inputData.topic": "",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="f-title-error"' in html and 'id="f-description-error"' in html
    assert 'id="f-inputData-topic-error"' in html
    assert "At most 5,000 characters" in html
    assert ProductionJob.objects.count() == 0


def test_the_model_refuses_them_in_model_forms_such_as_the_admin(acme, staff):
    from django.core.exceptions import ValidationError

    job = make_job(acme, title="Plain")
    job.title, job.description = "Zero\u200bwidth", "x" * (DESCRIPTION_MAX + 1)
    with pytest.raises(ValidationError) as caught:
        job.full_clean()
    assert set(caught.value.message_dict) == {"title", "description"}

    client = HttpClient()
    client.force_login(staff)
    job.refresh_from_db()
    response = client.post(
        f"/admin/jobs/productionjob/{job.pk}/change/",
        {"title": "Launch \u202egnp.exe", "description": "", "priority": "normal"},
    )
    assert response.status_code == 200  # the form again, with the error at the title
    assert "direction-changing character" in response.content.decode()
    job.refresh_from_db()
    assert job.title == "Plain"
