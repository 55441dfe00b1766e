"""Tenants never see each other's jobs."""

from __future__ import annotations

import pytest
from django.http import Http404

from jobs.selectors import job_for, jobs_for
from production.tenancy import clients_for, has_role
from tests.factories import PASSWORD, make_job


def test_a_user_sees_only_their_clients_jobs(acme, globex, alice, bob):
    mine = make_job(acme, title="Acme job")
    theirs = make_job(globex, title="Globex job")
    assert list(jobs_for(alice)) == [mine]
    assert list(jobs_for(bob)) == [theirs]


def test_another_clients_job_is_a_404(acme, globex, alice):
    theirs = make_job(globex, title="Globex job")
    with pytest.raises(Http404):
        job_for(alice, theirs.pk)


def test_staff_see_every_client(acme, globex, staff):
    assert set(clients_for(staff)) == {acme, globex}


def test_the_dashboard_lists_only_the_users_jobs(client, acme, globex, alice):
    make_job(acme, title="Acme spring campaign")
    make_job(globex, title="Globex secret launch")
    client.login(username="alice", password=PASSWORD)
    page = client.get("/").content.decode()
    assert "Acme spring campaign" in page
    assert "Globex secret launch" not in page


def test_roles_rank_member_below_reviewer_below_owner(acme, alice, rita, olga):
    assert has_role(olga, acme.pk, "reviewer") and has_role(rita, acme.pk, "reviewer")
    assert not has_role(alice, acme.pk, "reviewer")
    assert not has_role(rita, acme.pk, "owner")


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
