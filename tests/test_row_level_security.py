"""PostgreSQL row-level security: the database itself keeps each client's rows to itself.

These run on PostgreSQL only (CI's database); on SQLite the application's checks are all there
is. The rest of the suite runs under the same policies, as the application role.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.http import HttpResponse
from django.test import RequestFactory

from jobs.engine import running
from jobs.models import Output, ProductionJob
from production import tenant_scope
from production.models import Client
from tests.factories import api_as, make_client, make_job, make_user, produce

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _tenant_models() -> list[type[Model]]:
    """Models with a client, or under a model that has one (a job, a request, a message)."""
    found: list[type[Model]] = [Client]
    candidates = [m for m in apps.get_models() if m is not Client]
    grew = True
    while grew:
        grew = False
        for model in list(candidates):
            parents = [
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.name not in ("created_by", "updated_by", "uploaded_by")
            ]
            if any(parent in found for parent in parents) and model.__name__ != "User":
                found.append(model)
                candidates.remove(model)
                grew = True
    return found


@pytest.fixture
def two_clients(db) -> tuple[Client, Client, ProductionJob, ProductionJob]:
    acme = make_client("acme", "Acme Outdoor")
    globex = make_client("globex", "Globex Foods")
    return acme, globex, produce(acme), produce(globex)


def test_every_tenant_table_forces_a_policy() -> None:
    models = _tenant_models()
    tables = [m._meta.db_table for m in models]
    assert "jobs_output" in tables and "approvals_outputdecision" in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)"
            " FROM pg_class c WHERE c.relname = ANY(%s)",
            [tables],
        )
        rows = {name: flags for name, *flags in cursor.fetchall()}
    unprotected = sorted(t for t in tables if rows.get(t) != [True, True, True])
    assert unprotected == []


def test_the_application_role_cannot_bypass_the_policies() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, r.rolbypassrls,"
            " (SELECT count(*) FROM pg_tables t WHERE t.tableowner = current_user)"
            " FROM pg_roles r WHERE r.rolname = current_user"
        )
        superuser, bypass, owned = cursor.fetchone()
    assert (superuser, bypass, owned) == (False, False, 0)
    # Neither switching row security off nor disabling it on a table is open to the role.
    off = "SET LOCAL row_security = off; SELECT count(*) FROM jobs_productionjob"
    disable = "ALTER TABLE jobs_productionjob DISABLE ROW LEVEL SECURITY"
    for statement, refusal in ((off, "row-level security"), (disable, "must be owner")):
        with (
            pytest.raises(DatabaseError, match=refusal),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_raw_sql_with_no_tenant_set_sees_nothing(two_clients) -> None:
    with tenant_scope.scoped(tenant_scope.NONE):
        for table in (
            "production_client",
            "production_membership",
            "jobs_productionjob",
            "jobs_output",
            "jobs_steprun",
            "jobs_jobevent",
            "approvals_approvalrequest",
        ):
            assert _count(table) == 0, table
        assert ProductionJob.objects.count() == 0
    # The same connection, every client: the rows were there all along.
    assert _count("jobs_productionjob") == 2
    assert _count("jobs_output") > 0


def test_a_client_scope_shows_that_client_and_its_jobs_children_only(two_clients) -> None:
    acme, globex, acme_job, globex_job = two_clients
    with tenant_scope.clients([acme.pk]):
        assert list(Client.objects.values_list("slug", flat=True)) == ["acme"]
        assert list(ProductionJob.objects.values_list("pk", flat=True)) == [acme_job.pk]
        assert set(Output.objects.values_list("job_id", flat=True)) == {acme_job.pk}
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT job_id FROM approvals_approvalrequest")
            assert [row[0] for row in cursor.fetchall()] == [acme_job.pk]
    with tenant_scope.clients([acme.pk, globex.pk]):
        assert ProductionJob.objects.count() == 2


def test_writes_outside_the_scope_are_refused_or_touch_nothing(two_clients) -> None:
    acme, globex, _, globex_job = two_clients
    with tenant_scope.clients([acme.pk]):
        assert ProductionJob.objects.filter(pk=globex_job.pk).update(title="Taken") == 0
        assert Output.objects.filter(job=globex_job).delete()[0] == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            make_job(globex, title="Planted")
    globex_job.refresh_from_db()
    assert globex_job.title != "Taken"
    assert Output.objects.filter(job=globex_job).exists()
    assert not ProductionJob.objects.filter(title="Planted").exists()


def _scope_seen(get_response_user: Any) -> str:
    """The scope the database had while a request of this user ran."""
    seen: dict[str, str] = {}

    def view(request: Any) -> HttpResponse:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.tenant_scope', true)")
            seen["scope"] = cursor.fetchone()[0]
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = get_response_user
    tenant_scope.TenantScopeMiddleware(view)(request)
    return seen["scope"]


def test_a_request_sees_its_users_clients_and_the_scope_is_restored(two_clients) -> None:
    from django.contrib.auth.models import AnonymousUser

    acme, globex, _, _ = two_clients
    member = make_user("alice", acme, "member")
    staff = make_user("sam", None, "member", is_staff=True)
    assert _scope_seen(member) == str(acme.pk)
    assert _scope_seen(staff) == tenant_scope.ALL
    assert _scope_seen(AnonymousUser()) == tenant_scope.NONE
    # After each request the connection is back to what it was (here, the test's own).
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.tenant_scope', true)")
        assert cursor.fetchone()[0] == tenant_scope.ALL


def test_an_api_token_scopes_the_request_to_its_users_clients(two_clients) -> None:
    acme, _, acme_job, _ = two_clients
    response = api_as(make_user("alice", acme, "member")).get("/api/v1/jobs/")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [str(acme_job.pk)]


def test_a_step_runs_scoped_to_its_jobs_client(two_clients, monkeypatch) -> None:
    acme, _, _, _ = two_clients
    job = make_job(acme, auto_process=True)
    run = job.step_runs.get(status="queued")
    seen: list[str] = []

    def spy(step_run: Any, attempt: int) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.tenant_scope', true)")
            seen.append(cursor.fetchone()[0])
        return "succeeded"

    monkeypatch.setattr(running, "_run", spy)
    assert running.run_step(run.pk, run.attempt) == "succeeded"
    assert seen == [str(acme.pk)]
    assert tenant_scope.current() == tenant_scope.ALL
