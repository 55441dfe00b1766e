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
    # This stream had the push before: the four new rows come as a patch of it.
    assert name == "patch" and len(burst["at"]) == 4
    assert len(burst["rows"]) == 5
    assert sorted(burst["html"]) == sorted(
        [*(job for job, _ in burst["rows"][:4]), "cards", "pager"]
    )
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


def render_of(rows: list[tuple[str, str]], cards="c1", pager="p1", live=True):
    return job_list.ListRender(
        html="<div id='job-list'>…</div>",
        rows=tuple(job_list.Row(job, rev, f"<tr data-job='{job}'>{rev}</tr>") for job, rev in rows),
        cards=(cards, f"<nav>{cards}</nav>"),
        pager=(pager, f"<nav>{pager}</nav>"),
        live=live,
    )


def test_a_patch_carries_the_pieces_that_changed_and_names_every_piece_in_order():
    before = render_of([("a", "1"), ("b", "1"), ("c", "1")])
    # "d" is new at the top, "b" changed, "c" left the page, the counts changed.
    after = render_of([("d", "1"), ("a", "1"), ("b", "2")], cards="c2")
    changes = after.changes_since(before)
    assert changes == {
        "rows": [["d", "1"], ["a", "1"], ["b", "2"]],
        "cards": "c2",
        "pager": "p1",
        "html": {
            "d": "<tr data-job='d'>1</tr>",
            "b": "<tr data-job='b'>2</tr>",
            "cards": "<nav>c2</nav>",
        },
    }
    assert render_of([("a", "1")]).changes_since(render_of([("a", "1")]))["html"] == {}


def test_the_whole_list_goes_out_when_a_patch_cannot_say_it():
    rows = [("a", "1")]
    assert render_of([]).changes_since(render_of(rows)) is None  # the empty list's message
    assert render_of(rows).changes_since(render_of([])) is None
    # Its polling changes with whether a listed job is active: that is on the list itself.
    assert render_of(rows, live=False).changes_since(render_of(rows)) is None


def test_a_stream_sends_the_patch_only_after_the_push_it_applies_to():
    push = list_feeds.ListPush(version=7, whole="whole", base=5, patch="patch")
    assert push.event_after(5) == "patch"
    assert push.event_after(4) == "whole" and push.event_after(None) == "whole"
    first = list_feeds.ListPush(version=5, whole="whole", base=0, patch=None)
    assert first.event_after(0) == "whole"
