"""Live notices: sent after commit, heard by the job's and its client's open streams only."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from django.db import transaction
from django.test import Client as DjangoClient

from dashboards.live_stream import HUB, KEEPALIVE_SECONDS
from jobs import lifecycle, live
from jobs.models import Status
from production.embedded_redis import free_port
from tests.conftest import ROOT, worker_env
from tests.factories import PASSWORD, make_job

pytestmark = pytest.mark.django_db(transaction=True)


class Stream:
    """An open event stream read on a thread of its own: (event, data) pairs in a queue."""

    def __init__(self, url: str, cookies: dict[str, str]) -> None:
        self.response = requests.get(url, cookies=cookies, stream=True, timeout=10)
        self.events: queue.Queue[tuple[str, dict]] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        name = "message"
        try:
            for line in self.response.iter_lines(chunk_size=1, decode_unicode=True):
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    self.events.put((name, json.loads(line[6:])))
        except (requests.RequestException, AttributeError):
            pass  # closed by the test

    def next(self, timeout: float = 5.0) -> tuple[str, dict]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.response.close()


def cookies_for(user) -> dict[str, str]:
    browser = DjangoClient()
    assert browser.login(username=user.username, password=PASSWORD)
    return {"sessionid": browser.cookies["sessionid"].value}


@pytest.fixture
def open_stream(live_server) -> Iterator:
    opened: list[Stream] = []

    def start(path: str, user) -> Stream:
        stream = Stream(f"{live_server.url}{path}", cookies_for(user))
        opened.append(stream)
        return stream

    yield start
    for stream in opened:
        stream.close()


def test_a_job_stream_says_hello_with_the_version_then_each_committed_change(
    open_stream, acme, alice
):
    job = make_job(acme, user=alice)
    stream = open_stream(f"/jobs/{job.pk}/live/", alice)
    assert stream.response.status_code == 200
    assert stream.response.headers["Content-Type"] == "text/event-stream"
    name, hello = stream.next()
    assert name == "hello"
    assert hello["version"] == live.version([live.job_channel(job.pk)])

    sent = time.time()
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    name, notice = stream.next()
    assert name == "change"
    assert notice["job"] == str(job.pk)
    assert sent <= notice["at"] <= time.time()
    assert live.version([live.job_channel(job.pk)]) > hello["version"]


def test_a_rolled_back_change_sends_nothing(open_stream, acme, alice):
    job = make_job(acme, user=alice)
    stream = open_stream(f"/jobs/{job.pk}/live/", alice)
    assert stream.next()[0] == "hello"
    with pytest.raises(RuntimeError), transaction.atomic():
        lifecycle.transition(job, Status.QUEUED, actor=alice)
        raise RuntimeError("rolled back")
    with pytest.raises(queue.Empty):
        stream.next(timeout=1.0)


def test_one_transaction_sends_one_notice_per_job_however_many_rows_it_saved(
    open_stream, acme, alice
):
    job = make_job(acme, user=alice)
    other = make_job(acme, user=alice, title="Another job")
    stream = open_stream(f"/jobs/{job.pk}/live/", alice)
    dashboard = open_stream("/live/", alice)
    assert stream.next()[0] == "hello" and dashboard.next()[0] == "hello"
    before = live.version([live.job_channel(job.pk)])

    with transaction.atomic():
        lifecycle.transition(job, Status.QUEUED, actor=alice)  # the job and an event
        lifecycle.record_event(job, "note", note="One more row.")
        lifecycle.transition(other, Status.QUEUED, actor=alice)

    name, notice = stream.next()
    assert (name, notice["job"]) == ("change", str(job.pk))
    assert {"event", "job"} <= set(notice["kinds"])  # and its first step, queued
    with pytest.raises(queue.Empty):
        stream.next(timeout=1.0)
    assert live.version([live.job_channel(job.pk)]) == before + 1
    heard = {dashboard.next()[1]["job"], dashboard.next()[1]["job"]}
    assert heard == {str(job.pk), str(other.pk)}
    with pytest.raises(queue.Empty):
        dashboard.next(timeout=1.0)


def test_another_tenant_gets_404_and_hears_nothing_on_its_dashboard(
    open_stream, live_server, acme, alice, globex, bob
):
    job = make_job(acme, user=alice)
    refused = requests.get(
        f"{live_server.url}/jobs/{job.pk}/live/", cookies=cookies_for(bob), timeout=5
    )
    assert refused.status_code == 404

    theirs = open_stream("/live/", bob)
    ours = open_stream("/live/", alice)
    assert theirs.next()[0] == "hello" and ours.next()[0] == "hello"
    lifecycle.transition(job, Status.QUEUED, actor=alice)
    name, notice = ours.next()
    assert (name, notice["job"]) == ("change", str(job.pk))
    with pytest.raises(queue.Empty):
        theirs.next(timeout=1.0)


def test_signed_out_visitors_get_no_stream(live_server, acme, alice):
    job = make_job(acme, user=alice)
    response = requests.get(
        f"{live_server.url}/jobs/{job.pk}/live/", allow_redirects=False, timeout=5
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


def test_past_the_limit_a_page_is_told_to_keep_polling(
    open_stream, live_server, acme, alice, settings
):
    job = make_job(acme, user=alice)
    # Streams of earlier tests leave when a keepalive finds their client gone: wait for them,
    # or one leaving mid-test would make room for the request that must be refused.
    deadline = time.monotonic() + 3 * KEEPALIVE_SECONDS
    while HUB.open_streams and time.monotonic() < deadline:
        time.sleep(0.1)
    settings.LIVE_STREAMS_PER_PROCESS = HUB.open_streams + 1
    first = open_stream(f"/jobs/{job.pk}/live/", alice)
    assert first.next()[0] == "hello"
    refused = requests.get(
        f"{live_server.url}/jobs/{job.pk}/live/", cookies=cookies_for(alice), timeout=5
    )
    # 204: EventSource does not reconnect, and the page's polling carries on.
    assert refused.status_code == 204


def test_a_stream_ends_at_its_deadline_and_gives_its_place_back(open_stream, acme, alice, settings):
    settings.LIVE_STREAM_SECONDS = 0.5
    job = make_job(acme, user=alice)
    stream = open_stream(f"/jobs/{job.pk}/live/", alice)
    assert stream.next()[0] == "hello"
    during = HUB.open_streams
    assert during >= 1
    stream.reader.join(timeout=5)
    assert not stream.reader.is_alive(), "the stream did not end at its deadline"
    # Streams of earlier tests may end meanwhile too: ours is gone, whatever they do.
    assert HUB.open_streams <= during - 1


def test_through_gunicorn_a_change_reaches_the_stream_and_sigterm_ends_it_at_once(acme, alice):
    """Two web processes, as served: the notice crosses processes through Redis, and a stop
    does not wait for open streams (the hook in production.gunicorn_hooks ends them)."""
    port = free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "production.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "12",
            "--graceful-timeout",
            "20",
            "--config",
            "python:production.gunicorn_hooks",
        ],  # fmt: skip
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    streams: list[Stream] = []
    try:
        job = make_job(acme, user=alice)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while not _answers(f"{base}/healthz") and time.monotonic() < deadline:
            time.sleep(0.2)
        streams = [Stream(f"{base}/jobs/{job.pk}/live/", cookies_for(alice)) for _ in range(4)]
        assert all(stream.next(timeout=10)[0] == "hello" for stream in streams)
        lifecycle.transition(job, Status.QUEUED, actor=alice)
        assert all(stream.next(timeout=5)[1]["job"] == str(job.pk) for stream in streams)

        stopping = time.monotonic()
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=45)
        # Without the hook the streams would hold it for their whole 25 s.
        assert time.monotonic() - stopping < 12, "open streams held the stop"
    finally:
        for stream in streams:
            stream.close()
        if web.poll() is None:
            web.kill()
            web.wait()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
