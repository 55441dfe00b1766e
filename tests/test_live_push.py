"""A job page's stream carries the page's new fragment: after a committed change each viewer
gets the fragment the fetch would give them (their own CSRF token, one render shared by
everyone watching that version), a viewer who loses access stops receiving, and a fragment
that cannot be built falls back to a plain notice, on which the page fetches it."""

from __future__ import annotations

import queue
import re
import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import live_fragments, live_push
from jobs import lifecycle
from jobs.models import Status
from production.models import Membership
from tests.factories import make_job, make_user
from tests.test_live_stream import Stream, cookies_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.fixture
def open_stream(live_server) -> Iterator:
    opened: list[Stream] = []

    def start(job, user, seen: str = "") -> Stream:
        query = "?fragments=1" + (f"&seen={seen}" if seen else "")
        stream = Stream(f"{live_server.url}/jobs/{job.pk}/live/{query}", cookies_for(user))
        opened.append(stream)
        assert stream.response.status_code == 200
        assert stream.next()[0] == "hello"
        return stream

    yield start
    for stream in opened:
        stream.close()


def token_in(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the fragment carries a form with the viewer's token"
    return found.group(1)


def test_each_viewer_gets_the_new_fragment_with_their_own_token_from_one_render(
    open_stream, acme, alice, renders
):
    bob = make_user("bob", acme, "member")
    job = make_job(acme, user=alice, title="Trail guide")
    first, second = open_stream(job, alice), open_stream(job, bob)

    sent = time.time()
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    pushed = [first.next(), second.next()]

    assert [name for name, _ in pushed] == ["fragment", "fragment"]
    for _, data in pushed:
        assert 'id="job-poller"' in data["html"] and "Trail guide" in data["html"]
        assert "Queued" in data["html"]
        assert len(data["at"]) == 1 and sent <= data["at"][0] <= time.time()
    assert len(renders) == 1
    assert token_in(pushed[0][1]["html"]) != token_in(pushed[1][1]["html"])
    assert live_fragments.CSRF_SLOT not in pushed[0][1]["html"]


def test_a_reused_fragment_reads_no_rows(acme, alice, rf, monkeypatch):
    job = make_job(acme, user=alice)
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    request = rf.get(f"/jobs/{job.pk}/live/?fragments=1")
    request.user = alice
    request.COOKIES["csrftoken"] = "x" * 32
    pusher = live_push.FragmentPusher(request, job.pk, seen=None)
    notice = '{"at": 1.0}'
    assert pusher([notice]) is not None  # the first builds the fragment

    with CaptureQueriesContext(connection) as queries:
        again = live_push.FragmentPusher(request, job.pk, seen=None)([notice])
    assert again is not None and again.startswith("event: fragment\n")
    # Nothing but the tenant scope's own statements (PostgreSQL; the capture opens a
    # connection, where a waiting stream has none and sends not even those).
    assert [q["sql"] for q in queries if "set_config(" not in q["sql"]] == []


def test_outputs_reload_when_the_pipeline_changed_since_the_page_was_drawn(
    open_stream, acme, alice
):
    job = make_job(acme, user=alice)
    stream = open_stream(job, alice, seen="drawn-before-the-change")
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    name, data = stream.next()
    assert name == "fragment" and data["outputs"] is True
    lifecycle.record_event(job, "note", note="Nothing new in the pipeline.")
    name, data = stream.next()
    assert name == "fragment" and data["outputs"] is False


def test_a_viewer_removed_from_the_client_stops_receiving(open_stream, acme, alice, monkeypatch):
    monkeypatch.setattr(live_push, "ACCESS_RECHECK_SECONDS", 0.0)
    bob = make_user("bob", acme, "member")
    job = make_job(acme, user=alice, title="Launch plan")
    stream = open_stream(job, bob)
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    assert stream.next()[0] == "fragment"

    Membership.objects.filter(user=bob, client=acme).delete()
    lifecycle.record_event(job, "note", note="Seen by members only.")
    with pytest.raises(queue.Empty):
        stream.next(timeout=1.5)


def test_a_fragment_that_cannot_be_built_becomes_a_notice(open_stream, acme, alice, monkeypatch):
    def broken(request, job_id):
        raise RuntimeError("template missing")

    monkeypatch.setattr(live_push, "live_fragment_html", broken)
    job = make_job(acme, user=alice)
    stream = open_stream(job, alice)
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    name, notice = stream.next()
    assert name == "change" and notice["job"] == str(job.pk)
