"""The safety check endpoint: score, band, label, verified and flags for a text."""

from __future__ import annotations

import pytest

from approvals.scoring import score_for_client
from tests.factories import api_as

pytestmark = pytest.mark.django_db


RISKY = "Guaranteed to double your income in 30 days! Call John at 555-867-5309."


def test_it_scores_a_text_like_the_scorer_does(alice):
    response = api_as(alice).post("/api/v1/safety/check", {"text": RISKY}, format="json")

    assert response.status_code == 200
    body = response.json()
    expected = score_for_client(RISKY, None).as_dict()
    assert (body["score"], body["band"], body["verified"]) == (
        expected["score"],
        expected["band"],
        expected["verified"],
    )
    assert body["band_label"] and body["flags"]
    assert set(body["flags"][0]) == {
        "category",
        "severity",
        "message",
        "start",
        "end",
        "excerpt",
        "claim_type",
        "occurrences",
        "count",
        "points",
    }


def test_it_scores_with_the_clients_facts_when_a_client_is_given(acme, alice):
    text = f"{acme.verified_facts[0]} Visit our shop."

    body = (
        api_as(alice)
        .post("/api/v1/safety/check", {"text": text, "client": str(acme.pk)}, format="json")
        .json()
    )

    assert body["score"] == score_for_client(text, acme).score


def test_a_missing_text_is_a_400(alice):
    response = api_as(alice).post("/api/v1/safety/check", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["text"]


def test_another_clients_id_is_a_404(globex, alice):
    response = api_as(alice).post(
        "/api/v1/safety/check", {"text": "Hello", "client": str(globex.pk)}, format="json"
    )

    assert response.status_code == 404
