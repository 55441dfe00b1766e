"""Two test runs at once on one machine: each has its own Redis databases and test database,
and neither empties what the other holds."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import redis
from django.conf import settings

from tests import redis_isolation
from tests.conftest import ROOT

SENTINEL = "concurrent-run:sentinel"


def second_run_env(probe: str) -> dict[str, str]:
    """The environment a second `make test` would start with: the same databases' servers,
    but no run id and no Redis databases of its own yet."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TEST_RUN_ID", "REDIS_URL", "TEST_SCRATCH_REDIS_URL"}
        and k != "PYTEST_CURRENT_TEST"
    }
    if redis_isolation.GIVEN_REDIS_URL:
        env["REDIS_URL"] = redis_isolation.GIVEN_REDIS_URL
    env["CONCURRENT_RUN_PROBE"] = probe
    return env


def test_a_second_run_at_the_same_time_uses_its_own_redis_and_database(
    run_redis, scratch_redis_url, tmp_path
):
    scratch = redis.Redis.from_url(scratch_redis_url)
    run_redis.set(SENTINEL, "queues")
    scratch.set(SENTINEL, "scratch")
    probe = tmp_path / "probe.json"
    second = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/test_lifecycle.py::test_a_forbidden_transition_names_the_job_and_both_statuses",
            "tests/test_lifecycle.py::test_a_transition_writes_one_history_row_with_actor_and_note",
            "tests/concurrent_run_probe.py",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=second_run_env(str(probe)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # While the second run empties its databases before each of its tests, ours keep their keys.
    while second.poll() is None:
        assert run_redis.get(SENTINEL) == b"queues"
        assert scratch.get(SENTINEL) == b"scratch"
        time.sleep(0.1)
    output = second.stdout.read().decode(errors="replace") if second.stdout else ""

    assert second.returncode == 0, output
    assert "3 passed" in output, output
    assert run_redis.get(SENTINEL) == b"queues"
    assert scratch.get(SENTINEL) == b"scratch"
    seen = json.loads(probe.read_text())
    assert seen["run_id"] != os.environ["TEST_RUN_ID"]
    assert {seen["redis"], seen["scratch"]}.isdisjoint({os.environ["REDIS_URL"], scratch_redis_url})
    assert seen["database"] != str(settings.DATABASES["default"]["TEST"]["NAME"])
    # The second run gave back what it held: its databases are empty again (or gone).
    leftover = redis.Redis.from_url(seen["redis"])
    with contextlib.suppress(redis.ConnectionError):  # its private server stopped with it
        assert leftover.get("probe:alive") is None
    scratch.close()
