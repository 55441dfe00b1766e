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

from chaos import broken_speech
from chaos.audit import (
    Audit,
    audit,
    permanent_failure_audit,
    settled_count,
    wait_closed,
    wait_settled,
    wait_under_way,
)
from chaos.system import System
from production import tenant_scope


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
    return create_jobs(job_mix(count, size), label)


def job_mix(count: int, size: Size) -> list[tuple[str, dict]]:
    """(job type, demo inputs) for a mix of every job type but video (videos every
    `video_every`)."""
    from jobs.job_types.specs import JOB_TYPE_SPECS

    kinds = [key for key in JOB_TYPE_SPECS if key != "video"]
    chosen = []
    for index in range(count):
        video = size.video_every and index % size.video_every == size.video_every - 1
        key = "video" if video else kinds[index % len(kinds)]
        chosen.append((key, dict(JOB_TYPE_SPECS[key].demo_inputs)))
    return chosen


def create_jobs(chosen: list[tuple[str, dict]], label: str) -> list:
    """One job per (job type, inputs) for the demo client, each queued on commit."""
    from jobs import services
    from production.demo import seed_clients

    client = seed_clients()["northwind"]
    ids = []
    for index, (key, inputs) in enumerate(chosen):
        job = services.job_create(
            client=client,
            job_type=key,
            title=f"{label} {index}",
            input_data=inputs,
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


class Missing(NotOurs):
    """The scenario needs a tool this machine does not have, so it cannot inject its fault."""


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
            # The login role: the application role may not end other roles' sessions.
            with tenant_scope.as_owner(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
    return audit(ids, media_root, wait_settled(ids, size.settle_timeout))


def step_fails_permanently(system: System, size: Size, media_root: Path) -> Audit:
    """One step of a multi-step job fails the same way on every attempt: the speech engine
    has no pronunciation for a word in that job's narration (chaos/broken_speech.py).

    One job in four carries the word, videos and voice jobs in turn: a video's second scene
    fails while the other scenes' speech and images and the music run beside it, and the
    timeline and render wait on it. Each such job must fail at once, saying which step failed
    and why; the steps beside it finish or are cancelled, those after it never open or are
    cancelled, and nothing is left queued, running or waiting. Every other job finishes.
    """
    from jobs.job_types.specs import JOB_TYPE_SPECS

    env = broken_speech.install(media_root.parent / "fault-bin", system.env.get("PATH", ""))
    if env is None:
        raise Missing("espeak-ng is not installed, so no narration can fail")
    faulty = {
        "video": {**JOB_TYPE_SPECS["video"].demo_inputs, "treatment": broken_speech.TREATMENT},
        "voice": {**JOB_TYPE_SPECS["voice"].demo_inputs, "topic": broken_speech.VOICE_TOPIC},
    }
    # Every fourth job carries the fault, among the others so that they run side by side
    # (never in a fault-free video's place: those come at index 60k - 1).
    chosen = job_mix(size.jobs, size)
    marked = set(range(2, size.jobs, 4))
    for turn, index in enumerate(sorted(marked)):
        key = "video" if turn % 2 == 0 else "voice"
        chosen[index] = (key, dict(faulty[key]))
    with system.workers_with(env):
        began = time.monotonic()  # the fault is there from the first job: time from then
        ids = create_jobs(chosen, "Step fails")
        closed = wait_closed(ids, size.settle_timeout)
        settled = None if closed is None else time.monotonic() - began
    faulted = [job_id for index, job_id in enumerate(ids) if index in marked]
    others = [job_id for index, job_id in enumerate(ids) if index not in marked]
    return permanent_failure_audit(faulted, others, media_root, settled)


SCENARIOS: dict[str, Callable[[System, Size, Path], Audit]] = {
    "worker kills": worker_kills,
    "workers scaled to zero": workers_to_zero,
    "redis flushed": redis_flushed,
    "redis restarted": redis_restarted,
    "storage timeouts": storage_timeouts,
    "enqueue lost": lost_enqueue,
    "db connections killed": database_connections_killed,
    "a step fails permanently": step_fails_permanently,
}
