"""Faults under load, one scenario each: make jobs, hit the system, wait, audit.

Every scenario makes its own jobs (a mix of every job type from their specs, with a video now
and then), runs them on the real processes of chaos.system, injects its fault, and waits for
every job to settle. `Size` scales the load: the full run of `make chaos`, or the short one
the test suite runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from redis.exceptions import ConnectionError as RedisConnectionError

from chaos.audit import Audit, audit, settled_count, wait_settled, wait_under_way
from chaos.system import System


@dataclass(frozen=True)
class Size:
    jobs: int
    kills: int
    kill_every: float
    outage: float
    settle_timeout: float
    video_every: int  # one job in this many is a video; 0 for none


FULL = Size(jobs=300, kills=50, kill_every=0.5, outage=60.0, settle_timeout=900, video_every=60)
TEST_RUN_CLAIM = "test-run:claim"

CI = Size(jobs=16, kills=3, kill_every=1.0, outage=3.0, settle_timeout=240, video_every=0)


def make_jobs(count: int, size: Size, label: str) -> list:
    """A mix of every job type but video (videos every `video_every`), queued on commit."""
    from jobs import services
    from jobs.job_types.specs import JOB_TYPE_SPECS
    from production.demo import seed_clients

    client = seed_clients()["northwind"]
    kinds = [key for key in JOB_TYPE_SPECS if key != "video"]
    ids = []
    for index in range(count):
        video = size.video_every and index % size.video_every == size.video_every - 1
        key = "video" if video else kinds[index % len(kinds)]
        job = services.job_create(
            client=client,
            job_type=key,
            title=f"{label} {index}",
            input_data=dict(JOB_TYPE_SPECS[key].demo_inputs),
            auto_process=True,
        )
        ids.append(job.pk)
    return ids


def worker_kills(system: System, size: Size, media_root: Path) -> Audit:
    """SIGKILL a random worker every few seconds until enough kills, then let it finish."""
    rng = random.Random(7)
    ids = make_jobs(size.jobs, size, "Killed")
    before = system.kills
    # Kills land only while work is in flight: once everything is done, the run is over.
    while system.kills - before < size.kills and settled_count(ids) < len(ids):
        time.sleep(size.kill_every)
        system.kill_random_worker(rng)
    result = audit(ids, media_root, wait_settled(ids, size.settle_timeout))
    result.detail = f"{system.kills - before} kills"
    return result


def workers_to_zero(system: System, size: Size, media_root: Path) -> Audit:
    """Every worker gone for a while under load, then back."""
    ids = make_jobs(size.jobs, size, "Scaled to zero")
    wait_under_way(ids)
    system.stop_workers()
    time.sleep(size.outage)
    system.start_workers()
    return audit(ids, media_root, wait_settled(ids, size.settle_timeout))


def redis_flushed(system: System, size: Size, media_root: Path) -> Audit:
    """Redis loses every queued message mid-load; the database still knows the work."""
    import django_rq

    ids = make_jobs(size.jobs, size, "Redis flushed")
    wait_under_way(ids)
    connection = django_rq.get_connection("normal")
    # Everything goes but a test run's claim on its database of a shared server
    # (tests/redis_isolation.py): without it another run could take the database over.
    claim = connection.get(TEST_RUN_CLAIM)
    connection.flushdb()
    if claim is not None:
        connection.set(TEST_RUN_CLAIM, claim, ex=6 * 3600)
    return audit(ids, media_root, wait_settled(ids, size.settle_timeout))


class NotOurs(Exception):
    """The scenario needs a part this run did not start, so it may not hurt it."""


def redis_restarted(system: System, size: Size, media_root: Path) -> Audit:
    """Redis crashes mid-load (SIGKILL: every connection breaks, what it held since its last
    snapshot is gone) and a supervisor starts it again a few seconds later."""
    if system.restart_redis is None:
        raise NotOurs("the Redis in use was not started by this run, so it is not ours to crash")
    ids = make_jobs(size.jobs, size, "Redis restarted")
    wait_under_way(ids)
    started = time.monotonic()
    system.restart_redis(min(size.outage, 10.0))
    down = time.monotonic() - started
    result = audit(ids, media_root, wait_settled(ids, size.settle_timeout))
    result.detail = f"down {down:.1f} s"
    return result


def storage_timeouts(system: System, size: Size, media_root: Path) -> Audit:
    """Every file's first write succeeds while its caller sees a timeout: the step is tried
    again and must write the same file once, leaving no second copy behind."""
    marks = media_root.parent / "storage-marks"
    marks.mkdir(parents=True, exist_ok=True)
    slow = {
        "FILE_STORAGE_BACKEND": "chaos.slow_storage.TimeoutAfterWrite",
        "CHAOS_STORAGE_MARKS": str(marks),
    }
    with system.workers_with(slow):
        ids = make_jobs(size.jobs, size, "Storage timeouts")
        result = audit(ids, media_root, wait_settled(ids, size.settle_timeout))
    timed_out = sum(1 for _ in marks.iterdir())
    result.detail = f"{timed_out} writes timed out after succeeding"
    return result


def lost_enqueue(system: System, size: Size, media_root: Path) -> Audit:
    """The web process dies after its commit and before its enqueue: nothing reaches Redis."""
    from jobs import queues

    gone = RedisConnectionError("the web process died before it could send")
    with mock.patch.object(queues, "_send", side_effect=gone):
        ids = make_jobs(size.jobs, size, "Never enqueued")
    return audit(ids, media_root, wait_settled(ids, size.settle_timeout))


def database_connections_killed(system: System, size: Size, media_root: Path) -> Audit:
    """PostgreSQL only: every other session of the database is terminated, three times."""
    from django.db import connection

    ids = make_jobs(size.jobs, size, "Connections killed")
    wait_under_way(ids)
    if connection.vendor == "postgresql":
        for _ in range(3):
            time.sleep(0.3)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
    return audit(ids, media_root, wait_settled(ids, size.settle_timeout))


SCENARIOS: dict[str, Callable[[System, Size, Path], Audit]] = {
    "worker kills": worker_kills,
    "workers scaled to zero": workers_to_zero,
    "redis flushed": redis_flushed,
    "redis restarted": redis_restarted,
    "storage timeouts": storage_timeouts,
    "enqueue lost": lost_enqueue,
    "db connections killed": database_connections_killed,
}
