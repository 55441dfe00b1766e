"""`/api/v1/` answers with an index of resources and docs instead of a 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_it_lists_every_resource_with_a_working_link(alice):
    index = APIClient().get("/api/v1/")

    assert index.status_code == 200
    body = index.json()
    assert set(body["docs"]) == {"swagger", "redoc", "schema"}
    api = APIClient()
    api.force_authenticate(alice)
    for name, resource in body["resources"].items():
        path = resource["url"].removeprefix("http://testserver")
        # The POST-only resources answer a GET with 405: the route exists.
        assert api.get(path).status_code in {200, 405}, name


def test_it_shows_no_data(alice):
    body = APIClient().get("/api/v1/").content.decode()

    assert "acme" not in body.lower() and "alice" not in body
