"""Fuzzing the dashboard's forms: every form, as every role, with hostile text; never a 500.

Values mix ordinary text with what breaks storage and parsing: NUL, unpaired surrogates
(sent as the raw bytes a client would send), digits int() refuses, numbers JSON cannot hold,
huge strings and deeply nested JSON. A refused request (4xx) must leave every table as it was.
Each example runs in a savepoint that is rolled back, so every example sees the same data.

FUZZ_EXAMPLES sets the examples per form (`make fuzz` raises it); FUZZ_RANDOM=1 explores new
inputs instead of the reproducible default ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals import services as decisions
from approvals.models import ApprovalRequest
from dashboards.actions import ACTIONS
from jobs.inputs import input_schema
from jobs.models import JobEvent, JobTemplate, JobType, Output, Priority, ProductionJob, Status
from production.models import ApiToken, Client, Membership
from tests.factories import in_review, make_job

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
DERANDOMIZE = os.environ.get("FUZZ_RANDOM", "") != "1"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
ROLES = ("member", "reviewer", "owner", "staff", "outsider")
HTMX = {"HTTP_HX_REQUEST": "true"}

# --- values ---------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "²",
    "٣",
    "-1",
    "0",
    "1",
    "1.5",
    "1e999",
    "nan",
    "inf",
    "99999999999999999999999",
    "<script>alert(1)</script>",
    "2024: nan\n2025: 1e999",
    "a: b: c",
    "x" * 5_000,
    "y" * 300_000,
]


def deep_json(depth: int) -> str:
    return '{"a": ' + "[" * depth + "]" * depth + "}"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=20),
)
json_texts = st.one_of(
    st.builds(json.dumps, json_values),
    st.integers(min_value=1, max_value=5_000).map(deep_json),
    texts,
)


def body(pairs: dict[str, Any]) -> str:
    """The form as a browser would encode it; a lone surrogate goes as its raw bytes."""
    flat = [(k, v) for k, vs in pairs.items() for v in (vs if isinstance(vs, list) else [vs])]
    return urlencode(flat, encoding="utf-8", errors="surrogatepass")


# --- the world each example starts from -------------------------------------------------------


@pytest.fixture
def world(acme, globex, alice, rita, olga, bob, staff) -> dict[str, Any]:
    pending = make_job(acme, title="Pending post", user=alice)
    review = in_review(acme, title="Post in review")
    failed = make_job(acme, title="Broken post")
    ProductionJob.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    template = JobTemplate.objects.create(
        client=acme, name="Blog", job_type="content", default_inputs={"contentType": "blog_post"}
    )
    users = {"member": alice, "reviewer": rita, "owner": olga, "staff": staff, "outsider": bob}
    clients = {}
    for role, user in users.items():
        client = HttpClient(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    return {
        "clients": clients,
        "acme": acme,
        "globex": globex,
        "jobs": [pending, review, failed],
        "review": review,
        "request": decisions.pending_request_for(review),
        "template": template,
    }


def snapshot() -> dict[str, Any]:
    """Everything a refused request must leave untouched."""
    return {
        "jobs": sorted(
            ProductionJob.objects.values_list("id", "status", "revision", "title", "input_data")
        ),
        "events": JobEvent.objects.count(),
        "templates": sorted(JobTemplate.objects.values_list("id", "name", "default_inputs")),
        "requests": sorted(ApprovalRequest.objects.values_list("id", "status", "feedback")),
        "outputs": Output.objects.count(),
        "tokens": ApiToken.objects.count(),
        "clients": Client.objects.count(),
        "memberships": Membership.objects.count(),
    }


@contextmanager
def rolled_back() -> Iterator[None]:
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def check(response, before: dict[str, Any], what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if 400 <= response.status_code < 500:
        assert snapshot() == before, f"{what}: refused ({response.status_code}) but wrote"


def post(client: HttpClient, path: str, pairs: dict[str, Any], htmx: bool) -> Any:
    extra = HTMX if htmx else {}
    return client.post(path, body(pairs), content_type="application/x-www-form-urlencoded", **extra)


def get(client: HttpClient, path: str, pairs: dict[str, Any], htmx: bool) -> Any:
    return client.get(f"{path}?{body(pairs)}", **(HTMX if htmx else {}))


# --- the forms ----------------------------------------------------------------------------------

JOB_TYPES = st.one_of(st.sampled_from(JobType.values), texts)


@st.composite
def new_job_forms(draw) -> dict[str, Any]:
    job_type = draw(JOB_TYPES)
    form = {
        "submitted": "1",
        "jobType": job_type,
        "title": draw(texts),
        "description": draw(texts),
        "priority": draw(st.one_of(st.sampled_from(Priority.values), texts)),
        "client": draw(st.one_of(st.just("ACME"), texts)),
        "template": draw(st.one_of(st.just("TEMPLATE"), texts)),
    }
    if draw(st.booleans()):
        form["autoProcess"] = draw(st.one_of(st.just("on"), texts))
    if job_type in JobType.values:
        for key, spec in input_schema(job_type).get("properties", {}).items():
            if draw(st.booleans()):
                enum = spec.get("enum") or spec.get("items", {}).get("enum")
                choices = st.sampled_from(enum) if enum else texts
                form[f"inputData.{key}"] = draw(st.lists(st.one_of(choices, texts), max_size=3))
    return form


def _placed(form: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    """Stand-ins replaced by the world's real ids, so valid posts are generated too."""
    ids = {"ACME": str(world["acme"].pk), "TEMPLATE": str(world["template"].pk)}
    return {k: ids.get(v, v) if isinstance(v, str) else v for k, v in form.items()}


@FUZZ
@given(role=st.sampled_from(ROLES), form=new_job_forms(), htmx=st.booleans())
def test_the_new_job_form_never_fails(world, role, form, htmx):
    client = world["clients"][role]
    with rolled_back():
        before = snapshot()
        check(post(client, reverse("new_job"), _placed(form, world), htmx), before, "new job")
    with rolled_back():
        before = snapshot()
        check(get(client, reverse("new_job"), _placed(form, world), htmx), before, "new job form")


@FUZZ
@given(
    role=st.sampled_from(ROLES),
    query=st.fixed_dictionaries(
        {},
        optional={
            "q": texts,
            "status": st.one_of(st.sampled_from(Status.values), texts),
            "type": JOB_TYPES,
            "priority": texts,
            "page": texts,
        },
    ),
    htmx=st.booleans(),
)
def test_the_job_list_and_its_search_never_fail(world, role, query, htmx):
    with rolled_back():
        before = snapshot()
        check(get(world["clients"][role], reverse("dashboard"), query, htmx), before, "list")


@FUZZ
@given(role=st.sampled_from(ROLES), choice=st.one_of(st.just("ACME"), texts), htmx=st.booleans())
def test_the_client_switcher_never_fails(world, role, choice, htmx):
    with rolled_back():
        before = snapshot()
        form = _placed({"client": choice}, world)
        check(post(world["clients"][role], reverse("switch_client"), form, htmx), before, "switch")


@FUZZ
@given(
    role=st.sampled_from(ROLES),
    job=st.integers(min_value=0, max_value=2),
    action=st.one_of(st.sampled_from(ACTIONS), st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)),
    form=st.fixed_dictionaries({}, optional={"feedback": texts, "revision": texts}),
    htmx=st.booleans(),
)
def test_job_actions_and_decision_feedback_never_fail(world, role, job, action, form, htmx):
    job_id = world["jobs"][job].pk
    with rolled_back():
        before = snapshot()
        path = f"/jobs/{job_id}/actions/{action}/"
        check(post(world["clients"][role], path, form, htmx), before, f"action {action}")


@FUZZ
@given(
    role=st.sampled_from(ROLES),
    job=st.integers(min_value=0, max_value=2),
    part=st.sampled_from(["", "parts/live/", "parts/outputs/", "parts/timeline/", "parts/x/"]),
    query=st.fixed_dictionaries({}, optional={"revision": texts, "seen": texts, "inline": texts}),
    htmx=st.booleans(),
)
def test_a_job_s_page_and_partials_never_fail(world, role, job, part, query, htmx):
    path = f"/jobs/{world['jobs'][job].pk}/{part}"
    with rolled_back():
        before = snapshot()
        check(get(world["clients"][role], path, query, htmx), before, f"job page {part}")


@FUZZ
@given(
    role=st.sampled_from(ROLES),
    form=st.fixed_dictionaries(
        {},
        optional={
            "decision": st.one_of(
                st.sampled_from(["approve", "request_changes", "reject", "cancel"]), texts
            ),
            "feedback": texts,
            "expected_revision": texts,
        },
    ),
)
def test_the_review_decision_form_never_fails(world, role, form):
    path = reverse("reviews:decide", args=[world["request"].pk])
    with rolled_back():
        before = snapshot()
        check(post(world["clients"][role], path, form, False), before, "decide")


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "client": st.one_of(st.just("ACME"), st.just(""), texts),
            "name": texts,
            "description": texts,
            "job_type": JOB_TYPES,
            "default_inputs": json_texts,
            "priority": st.one_of(st.sampled_from(Priority.values), texts),
        },
        optional={"is_active": st.just("on"), "high_impact": st.just("on")},
    ),
    existing=st.booleans(),
)
def test_the_admin_template_form_never_fails(world, form, existing):
    template = world["template"]
    path = reverse(
        "admin:jobs_jobtemplate_change" if existing else "admin:jobs_jobtemplate_add",
        args=[template.pk] if existing else [],
    )
    with rolled_back():
        before = snapshot()
        check(post(world["clients"]["staff"], path, _placed(form, world), False), before, "admin")


@FUZZ
@given(
    model=st.sampled_from(["productionjob", "jobtemplate"]),
    query=st.fixed_dictionaries({}, optional={"q": texts, "status__exact": texts, "p": texts}),
)
def test_the_admin_searches_never_fail(world, model, query):
    with rolled_back():
        before = snapshot()
        path = reverse(f"admin:jobs_{model}_changelist")
        check(get(world["clients"]["staff"], path, query, False), before, f"admin {model}")


@FUZZ
@given(note=texts, action=st.sampled_from(["send_back", "sign_off", "cancel_jobs"]))
def test_the_admin_bulk_actions_never_fail(world, note, action):
    form = {
        "action": action,
        "_selected_action": [str(job.pk) for job in world["jobs"]],
        "apply": "1",
        "note": note,
    }
    with rolled_back():
        before = snapshot()
        path = reverse("admin:jobs_productionjob_changelist")
        check(post(world["clients"]["staff"], path, form, False), before, f"admin {action}")


@FUZZ
@given(username=texts, password=texts)
def test_the_sign_in_form_never_fails(db, username, password):
    with rolled_back():
        before = snapshot()
        client = HttpClient(raise_request_exception=False)
        form = {"username": username, "password": password}
        check(post(client, reverse("login"), form, False), before, "sign in")
