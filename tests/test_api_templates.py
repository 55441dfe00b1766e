"""Templates over the API: global and own ones visible, owners edit theirs, staff the global ones."""

from __future__ import annotations

import pytest

from jobs.models import JobTemplate
from tests.factories import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(acme, globex):
    return {
        "global": JobTemplate.objects.create(name="Global blog", job_type="content"),
        "acme": JobTemplate.objects.create(client=acme, name="Acme banner", job_type="visual"),
        "globex": JobTemplate.objects.create(client=globex, name="Globex post", job_type="social"),
    }


def test_it_lists_global_templates_and_the_callers_own(templates, alice):
    body = api_as(alice).get("/api/v1/templates/").json()

    assert body["count"] == 2
    assert {t["name"] for t in body["results"]} == {"Global blog", "Acme banner"}


def test_it_retrieves_a_visible_template_and_hides_another_clients(templates, alice):
    api = api_as(alice)

    assert api.get(f"/api/v1/templates/{templates['acme'].pk}/").json()["job_type"] == "visual"
    assert api.get(f"/api/v1/templates/{templates['globex'].pk}/").status_code == 404


def test_an_owner_creates_a_template_for_their_client(acme, olga):
    response = api_as(olga).post(
        "/api/v1/templates/",
        {
            "client": str(acme.pk),
            "name": "Monthly post",
            "job_type": "content",
            "default_inputs": {"contentType": "blog_post"},
            "priority": "high",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    template = JobTemplate.objects.get(pk=response.json()["id"])
    assert (template.client, template.priority) == (acme, "high")
    assert template.default_inputs == {"contentType": "blog_post"}


def test_a_member_may_not_create_templates(acme, alice):
    response = api_as(alice).post(
        "/api/v1/templates/",
        {"client": str(acme.pk), "name": "Mine", "job_type": "content"},
        format="json",
    )

    assert response.status_code == 403
    assert not JobTemplate.objects.exists()


def test_global_templates_are_for_staff_only(olga, staff):
    body = {"name": "Everyone's", "job_type": "seo"}

    assert api_as(olga).post("/api/v1/templates/", body, format="json").status_code == 403
    assert api_as(staff).post("/api/v1/templates/", body, format="json").status_code == 201
    assert JobTemplate.objects.get().client is None


def test_an_owner_edits_their_template_but_not_the_global_one(templates, olga):
    api = api_as(olga)

    edited = api.patch(
        f"/api/v1/templates/{templates['acme'].pk}/", {"name": "Renamed"}, format="json"
    )
    refused = api.patch(
        f"/api/v1/templates/{templates['global'].pk}/", {"name": "Mine now"}, format="json"
    )

    assert edited.status_code == 200 and edited.json()["name"] == "Renamed"
    assert refused.status_code == 403
    templates["global"].refresh_from_db()
    assert templates["global"].name == "Global blog"


def test_a_template_cannot_move_to_another_client(templates, acme, globex, olga):
    response = api_as(olga).patch(
        f"/api/v1/templates/{templates['acme'].pk}/", {"client": str(globex.pk)}, format="json"
    )

    assert response.status_code == 400
    templates["acme"].refresh_from_db()
    assert templates["acme"].client == acme


def test_creating_for_another_clients_id_is_a_404(globex, olga):
    response = api_as(olga).post(
        "/api/v1/templates/",
        {"client": str(globex.pk), "name": "Sneaky", "job_type": "content"},
        format="json",
    )

    assert response.status_code == 404
    assert not JobTemplate.objects.exists()
