"""/healthz, /readyz and /metrics: probes that say what failed, and metrics any process agrees on."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import django_rq
import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from approvals.models import ApprovalRequest
from jobs.models import ProductionJob, StepRun
from jobs.step_worker import live_step_workers
from operations import readiness
from production.embedded_redis import free_port
from tests.conftest import ROOT, worker_env
from tests.factories import make_job

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, timeout: float = 20, every: float = 0.1):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample of an exposition, keyed by name and sorted labels."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_healthz_says_alive(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def test_readyz_is_503_and_names_the_missing_worker(client, redis_conn):
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["failed"] == ["workers"]
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]
    assert body["checks"]["workers"]["error"] == "no worker is heartbeating"


def test_readyz_is_200_with_a_live_step_worker(client, worker_factory):
    worker_factory(burst=False, threads=1)
    assert wait_for(lambda: live_step_workers(django_rq.get_connection("normal")))

    response = client.get("/readyz")

    assert response.status_code == 200, response.json()
    assert response.json()["failed"] == []
    assert response.json()["checks"]["workers"]["step_workers"] == 1


def test_readyz_fails_on_queue_lag_over_the_limit(client, settings, redis_conn):
    # No worker serves the queue, so the message waits at its head.
    django_rq.get_queue("low").enqueue("operations.health_views.healthz", None)
    settings.READY_MAX_QUEUE_LAG_SECONDS = 0.5

    def lagging():
        body = client.get("/readyz").json()
        return body if "queue_lag" in body["failed"] else None

    body = wait_for(lagging, timeout=10)

    assert body is not None
    assert body["status"] == "not ready"
    assert body["checks"]["queue_lag"]["per_queue"]["low"] > 0.5
    assert body["checks"]["queue_lag"]["per_queue"]["urgent"] == 0
    assert "oldest queued message waited" in body["checks"]["queue_lag"]["error"]


def test_readyz_accepts_a_short_queue_under_the_limit(client, redis_conn):
    django_rq.get_queue("low").enqueue("operations.health_views.healthz", None)

    body = client.get("/readyz").json()

    assert "queue_lag" not in body["failed"]
    assert body["checks"]["queue_lag"]["limit"] == 300


def test_readyz_names_redis_when_it_is_unreachable(client, monkeypatch):
    dead = redis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    monkeypatch.setattr(readiness, "shared_redis", lambda: dead)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["redis", "workers", "queue_lag"]
    assert "ConnectionError" in response.json()["checks"]["redis"]["error"]


def test_metrics_asks_for_the_token_when_one_is_set(client, settings):
    settings.METRICS_TOKEN = "scrape-secret"

    assert client.get("/metrics").status_code == 401
    answered = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret")
    assert answered.status_code == 200
    assert answered["Content-Type"].startswith("text/plain; version=")


class WebProcess:
    """A real gunicorn process serving the project on a port of its own."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "production.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=worker_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as answer:
            return answer.read().decode()

    def scrape(self) -> dict[tuple[str, tuple], float]:
        return samples(self.get("/metrics"))

    def up(self) -> bool:
        try:
            return self.get("/healthz") != ""
        except OSError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def test_metrics_scraped_from_two_processes_agree_with_the_database(acme, redis_conn):
    for n in range(3):
        make_job(acme, title=f"Queued {n}", auto_process=True)
    failed = make_job(acme, title="Failed")
    ProductionJob.objects.filter(pk=failed.pk).update(status="failed", cost_usd="1.250000")
    webs = [WebProcess(), WebProcess()]
    try:
        assert all(wait_for(web.up, timeout=30) for web in webs)
        first, second = webs[0].scrape(), webs[1].scrape()
        waited = ("production_queue_oldest_wait_seconds", (("queue", "normal"),))
        # The oldest message's wait grows between the two scrapes; the rest is equal.
        assert first.pop(waited) > 0 and second.pop(waited) > 0

        assert first == second
        assert first[("production_jobs", (("status", "queued"),))] == 3
        assert first[("production_jobs", (("status", "failed"),))] == 1
        assert first[("production_jobs", (("status", "completed"),))] == 0
        assert first[("production_step_runs", (("status", "queued"),))] == 3
        assert first[("production_cost_usd_total", ())] == 1.25
        assert first[("production_queue_depth", (("queue", "normal"),))] == 3
        assert first[("production_step_workers", ())] == 0
        assert first[("production_webhook_deliveries", (("status", "failed"),))] == 0

        # A change made by anyone shows in every process's next scrape.
        ProductionJob.objects.filter(title="Queued 0").update(status="completed")
        StepRun.objects.filter(job__title="Queued 0").update(status="succeeded")
        ApprovalRequest.objects.create(job=failed, gate="final", approval_type="final", revision=1)
        for web in webs:
            again = web.scrape()
            assert again[("production_jobs", (("status", "queued"),))] == 2
            assert again[("production_jobs", (("status", "completed"),))] == 1
            assert again[("production_step_runs", (("status", "succeeded"),))] == 1
            assert again[("production_approvals_pending", (("role", "reviewer"),))] == 1
    finally:
        for web in webs:
            web.stop()
