"""A page's stream carries the page's new fragment: after a committed change each viewer gets
the fragment the fetch would give them (on a job page their own CSRF token; one render shared
by everyone watching that version), a viewer who loses access stops receiving, and a fragment
that cannot be built falls back to a plain notice, on which the page fetches it. The
dashboard's stream carries its job list the same way, for the list's filters and page, and a
render is shared only between viewers who may see the same clients."""

from __future__ import annotations

import queue
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import job_list, live_fragments, live_push
from jobs import lifecycle
from jobs.models import Status
from production.models import Membership
from tests.factories import make_job, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


@pytest.fixture
def open_stream(open_live):
    def start(job, user, seen: str = ""):
        query = "?fragments=1" + (f"&seen={seen}" if seen else "")
        return open_live(f"/jobs/{job.pk}/live/{query}", user)

    return start


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
    pusher = live_push.JobPusher(request, job.pk, seen=None)
    notice = '{"at": 1.0}'
    assert pusher([notice]) is not None  # the first builds the fragment

    with CaptureQueriesContext(connection) as queries:
        again = live_push.JobPusher(request, job.pk, seen=None)([notice])
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


def test_the_other_panels_reload_when_the_status_changes_with_no_step_finished(
    open_stream, acme, alice
):
    """Publishing opens on approval: an open page reloads its publishing panel, outputs and
    manifest (outside the fragment) when the job's status changes, steps or no steps."""
    job = make_job(acme, user=alice)
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    stream = open_stream(job, alice)
    lifecycle.record_event(job, "note", note="Before the change.")
    name, data = stream.next()
    assert name == "fragment" and data["outputs"] is False
    lifecycle.transition(job, Status.CANCELLED, actor=alice)
    name, data = stream.next()
    assert name == "fragment" and data["outputs"] is True and "Cancelled" in data["html"]


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


# --- the dashboard's job list ------------------------------------------------------------------


def lists(renders: list[str]) -> list[str]:
    return [name for name in renders if name == job_list.TEMPLATE]


def rows_in(html: str) -> list[str]:
    return re.findall(r'<a href="/jobs/[^"]+/" title="([^"]+)">', html)


def test_every_viewer_of_a_dashboard_gets_its_new_list_from_one_render(
    open_list, acme, alice, list_renders
):
    carol = make_user("carol", acme, "member")
    make_job(acme, user=alice, title="Older post")
    first, second = open_list(alice), open_list(carol)

    sent = time.time()
    make_job(acme, user=alice, title="Fresh launch email")
    pushed = [first.next(), second.next()]

    assert [name for name, _ in pushed] == ["fragment", "fragment"]
    html = pushed[0][1]["html"]
    assert html == pushed[1][1]["html"]
    assert 'id="job-list"' in html and rows_in(html) == ["Fresh launch email", "Older post"]
    assert len(pushed[0][1]["at"]) == 1 and sent <= pushed[0][1]["at"][0] <= time.time()
    assert lists(list_renders) == ["dashboards/_job_list.html"]


def test_a_render_is_shared_only_between_viewers_who_see_the_same_clients(
    open_list, acme, globex, alice, list_renders
):
    both = make_user("dora", acme, "member")
    Membership.objects.create(user=both, client=globex, role="member")
    make_job(globex, title="Globex only recipe card")
    alices, doras = open_list(alice), open_list(both)

    make_job(acme, user=alice, title="Acme trail guide")
    alice_rows = rows_in(alices.next()[1]["html"])
    dora_rows = rows_in(doras.next()[1]["html"])

    assert alice_rows == ["Acme trail guide"]
    assert sorted(dora_rows) == ["Acme trail guide", "Globex only recipe card"]
    assert len(lists(list_renders)) == 2


def test_the_stream_carries_the_list_its_page_shows_filtered_and_paged(open_list, acme, alice):
    queued = make_job(acme, user=alice, title="Queued banner")
    make_job(acme, user=alice, title="Pending post")
    stream = open_list(alice, "&status=queued")

    lifecycle.transition(queued, Status.QUEUED, actor=alice)
    name, data = stream.next()

    assert name == "fragment" and rows_in(data["html"]) == ["Queued banner"]
    assert "fragments=1" in data["html"] and "status=queued" in data["html"]


def test_a_dashboard_viewer_removed_from_their_client_stops_receiving(
    open_list, acme, alice, monkeypatch
):
    monkeypatch.setattr(live_push, "ACCESS_RECHECK_SECONDS", 0.0)
    carol = make_user("carol", acme, "member")
    stream = open_list(carol)
    make_job(acme, user=alice, title="First")
    assert rows_in(stream.next()[1]["html"]) == ["First"]

    Membership.objects.filter(user=carol, client=acme).delete()
    make_job(acme, user=alice, title="Members only")
    # Access is read again after each push (here, every push is due): the stream ends at
    # the first push after the removal, and nothing comes after it.
    stream.reader.join(timeout=5.0)
    assert not stream.reader.is_alive()
    assert stream.events.qsize() <= 1


def test_a_deleted_job_leaves_the_open_dashboards(open_list, acme, alice):
    from jobs import services

    job = make_job(acme, user=alice, title="Draft to drop")
    make_job(acme, user=alice, title="Keeper")
    lifecycle.transition(job, Status.CANCELLED, actor=alice)
    stream = open_list(alice)

    services.job_delete(job=job, user=alice)
    name, data = stream.next()
    assert name == "fragment" and rows_in(data["html"]) == ["Keeper"]


def test_a_new_render_renders_again_only_the_rows_that_changed_and_sends_only_those(
    open_list, acme, alice, list_renders
):
    jobs = [make_job(acme, user=alice, title=f"Post {index}") for index in range(3)]
    stream = open_list(alice)
    lifecycle.transition(jobs[0], Status.QUEUED, actor=alice)
    assert stream.next()[0] == "fragment"  # the stream's first push: the whole list
    rows_before = list_renders.count(job_list.ROW_TEMPLATE)

    lifecycle.transition(jobs[1], Status.QUEUED, actor=alice)
    name, data = stream.next()
    assert list_renders.count(job_list.ROW_TEMPLATE) - rows_before == 1
    # The page has the push before: only the row and the cards that changed, and the rev of
    # every piece so it can tell it shows the rest.
    assert name == "patch" and sorted(data["html"]) == sorted([str(jobs[1].pk), "cards"])
    assert 'data-status="queued"' in data["html"][str(jobs[1].pk)]
    assert 'data-status="queued"' in data["html"]["cards"]
    assert [job for job, _ in data["rows"]] == [str(job.pk) for job in reversed(jobs)]
    assert data["pager"] and data["version"] > 0


def test_a_stream_that_missed_the_push_before_gets_the_whole_list(open_list, acme, alice):
    jobs = [make_job(acme, user=alice, title=f"Post {index}") for index in range(2)]
    early = open_list(alice)
    lifecycle.transition(jobs[0], Status.QUEUED, actor=alice)
    assert early.next()[0] == "fragment"

    late = open_list(alice)  # joins the same feed after its first push
    lifecycle.transition(jobs[1], Status.QUEUED, actor=alice)
    assert early.next()[0] == "patch"
    name, data = late.next()
    assert name == "fragment" and rows_in(data["html"]) == ["Post 1", "Post 0"]


def test_streams_opened_together_read_their_viewers_memberships_at_different_times(
    monkeypatch,
):
    opened = time.monotonic()
    rechecks = [live_push.Recheck() for _ in range(50)]
    dues = [recheck.due - opened for recheck in rechecks]
    seconds = live_push.ACCESS_RECHECK_SECONDS
    assert all(seconds * 0.5 - 0.01 <= due <= seconds + 0.01 for due in dues)
    assert max(dues) - min(dues) > seconds * 0.2  # spread, not one burst
    assert not rechecks[0].now()

    monkeypatch.setattr(live_push, "ACCESS_RECHECK_SECONDS", 0.0)
    every_push = live_push.Recheck()
    assert every_push.now() and every_push.now()
