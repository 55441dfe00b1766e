"""Pre-flight: a brief's unbacked claims come back as questions before anything is generated."""

from __future__ import annotations

import pytest

from approvals.preflight import preflight_brief
from tests.factories import login, make_job

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("topic", "excerpt"),
    [
        ("Our tea cures fatigue", "cures fatigue"),
        ("Nuestro té cura la fatiga", "cura la fatiga"),
        ("Notre thé guérit la fatigue", "guérit la fatigue"),
        ("Unser Tee heilt Müdigkeit", "heilt Müdigkeit"),
    ],
)
def test_a_health_promise_in_any_covered_language_becomes_a_question(acme, topic, excerpt):
    result = preflight_brief(acme, inputs={"topic": topic})
    assert not result.clear
    assert any(excerpt.lower() in q.lower() for q in result.questions), result.questions


def test_a_claim_the_clients_facts_back_raises_no_question(acme):
    assert preflight_brief(acme, inputs={"topic": "Acme Outdoor was founded in 2009"}).clear


def test_the_job_page_asks_the_briefs_questions(acme, alice, client):
    job = make_job(acme, inputs={"contentType": "blog_post", "topic": "The #1 trail shoe"})
    page = login(client, alice).get(f"/jobs/{job.pk}/").content.decode()
    assert "Questions about the brief" in page
    assert "The brief makes the superlative or comparison “The #1 trail”" in page


def test_a_plain_brief_shows_no_questions(acme, alice, client):
    job = make_job(
        acme, inputs={"contentType": "blog_post", "topic": "Trail running for beginners"}
    )
    page = login(client, alice).get(f"/jobs/{job.pk}/").content.decode()
    assert "Questions about the brief" not in page
