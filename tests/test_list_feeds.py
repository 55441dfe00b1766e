"""The dashboard's feeds: in a process, the open streams of one list share one feed, which
sends each change's newest render to all of them, at most every PUSH_SECONDS, and stops with
its last stream; a list it cannot render reaches the pages as a notice, and they fetch it."""

from __future__ import annotations

import queue

import pytest

from dashboards import job_list, list_feeds, selectors
from tests.factories import make_job, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def view_of(client, **changes) -> job_list.ListView:
    values = {
        "client_ids": (str(client.pk),),
        "every_client": False,
        "chosen": str(client.pk),  # a member of one client sees that client
        "filters": selectors.JobFilters(),
        "page": 1,
        **changes,
    }
    return job_list.ListView(**values)


def test_the_streams_of_one_list_share_a_feed_and_others_get_their_own(
    open_list, acme, alice, monkeypatch
):
    renders: list[str] = []
    original = job_list.list_render

    def counting(view, version=None):
        renders.append(view.identity)
        return original(view, version)

    monkeypatch.setattr(job_list, "list_render", counting)
    carol = make_user("carol", acme, "member")
    first, second = open_list(alice), open_list(carol)
    filtered = open_list(alice, "&status=queued")
    plain = view_of(acme).identity
    queued_only = view_of(acme, filters=selectors.JobFilters(status="queued")).identity
    feeds = list_feeds._feeds
    assert len(feeds[plain].streams) == 2 and len(feeds[queued_only].streams) == 1

    make_job(acme, user=alice, title="Spring launch email")
    pushed = [first.next(), second.next()]
    assert pushed[0] == pushed[1] and pushed[0][0] == "fragment"
    assert "Spring launch email" in pushed[0][1]["html"]
    # The queued-only list changed too (its cards count the new job): its own feed, its own
    # render; one render per feed, however many streams it serves.
    assert filtered.next()[0] == "fragment"
    assert sorted(renders) == sorted([plain, queued_only])


def test_changes_that_come_while_a_feed_waits_go_out_together(open_list, acme, alice, monkeypatch):
    monkeypatch.setattr(list_feeds, "PUSH_SECONDS", 3.0)
    stream = open_list(alice)
    make_job(acme, user=alice, title="First")
    name, first = stream.next()
    assert name == "fragment" and len(first["at"]) == 1  # the first change goes out at once

    for index in range(4):
        make_job(acme, user=alice, title=f"Burst {index}")
    name, burst = stream.next(timeout=6.0)
    assert name == "fragment" and len(burst["at"]) == 4
    assert burst["html"].count('class="job-row"') == 5
    with pytest.raises(queue.Empty):
        stream.next(timeout=0.5)


def test_a_list_that_cannot_be_rendered_reaches_the_page_as_a_notice(
    open_list, acme, alice, monkeypatch
):
    def broken(view, version=None):
        raise RuntimeError("template missing")

    monkeypatch.setattr(job_list, "list_render", broken)
    stream = open_list(alice)
    job = make_job(acme, user=alice, title="Still listed after a fetch")
    name, notice = stream.next()
    assert name == "change" and notice["job"] == str(job.pk)


def test_a_feed_stops_with_its_last_stream(acme):
    view = view_of(acme)
    first, second = queue.SimpleQueue(), queue.SimpleQueue()
    leave_first = list_feeds.attach(view)(first)
    leave_second = list_feeds.attach(view)(second)
    feed = list_feeds._feeds[view.identity]
    assert feed.streams == {first, second}

    leave_first()
    assert list_feeds._feeds[view.identity] is feed
    leave_second()
    assert view.identity not in list_feeds._feeds
    feed.thread.join(timeout=2.0)
    assert not feed.thread.is_alive()
    # The next stream of the list starts a feed of its own.
    leave = list_feeds.attach(view)(queue.SimpleQueue())
    assert list_feeds._feeds[view.identity] is not feed
    leave()
