"""A worker process that runs many steps at once, each in a thread of its own.

Most steps wait on the network (a hosted model answers in 5 to 60 s), so one step per process
would make throughput workers / latency. Here one dispatcher takes step messages from the RQ
queues (urgent first) whenever a thread is free and hands each to a thread pool; the pool's size
is how many steps this process has in flight. RQ and Redis stay the transport, PostgreSQL the
truth: a message is deleted once its step ran, and a message lost with a dead process is found
again by the reconciler, which trusts the step's lease in the database, not RQ's registries.

CPU-heavy steps (rendering, scoring) share the process's interpreter lock, so a deployment runs
one process per core; each process runs `threads` steps at once. Hosted providers are guarded by
cluster-wide concurrency limits (jobs/providers/limits.py), so threads never exceed a provider's
allowance. The process also runs RQ's scheduler for delayed retries (one process holds its lock)
and writes a heartbeat (`stepworker:<name>`, expiring) that readiness checks look for.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import close_old_connections, connections
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import DequeueTimeout, InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.scheduler import RQScheduler

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "stepworker:{name}"
HEARTBEAT_SECONDS = 5.0
HEARTBEAT_TTL = 30


class StepWorker:
    """Takes messages from `queue_names` in order and runs up to `threads` of them at once."""

    def __init__(
        self,
        queue_names: list[str] | tuple[str, ...],
        connection: Redis,
        threads: int = 16,
        name: str | None = None,
        with_scheduler: bool = True,
    ) -> None:
        if threads < 1:
            raise ValueError(f"a step worker needs at least one thread, got {threads}")
        self.connection = connection
        self.queues = [Queue(name, connection=connection) for name in queue_names]
        self.threads = threads
        self.name = name or f"{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:6]}"
        self.with_scheduler = with_scheduler
        self.stopping = threading.Event()
        self._free = threading.Semaphore(threads)
        self._busy = 0
        self._done = 0
        self._lock = threading.Lock()

    # --- the main loop ---------------------------------------------------------------------

    def work(self, burst: bool = False) -> int:
        """Run until stopped (or, with `burst`, until the queues are empty); steps run."""
        helpers = [threading.Thread(target=self._heartbeat_loop, daemon=True)]
        if self.with_scheduler and not burst:
            helpers.append(threading.Thread(target=self._scheduler_loop, daemon=True))
        for helper in helpers:
            helper.start()
        log.info("step worker %s: %d threads on %s", self.name, self.threads, self._queue_list())
        with ThreadPoolExecutor(self.threads, thread_name_prefix="step") as pool:
            while not self.stopping.is_set():
                if not self._free.acquire(timeout=1):
                    continue
                message = self._next_message(timeout=None if burst else 1)
                if message is None:
                    self._free.release()
                    if burst and self.busy == 0 and self._queues_empty():
                        break
                    if burst:
                        time.sleep(0.05)
                    continue
                with self._lock:
                    self._busy += 1
                pool.submit(self._run, message)
        self.stopping.set()
        with contextlib.suppress(RedisError):
            self.connection.delete(HEARTBEAT_KEY.format(name=self.name))
        log.info("step worker %s stopped after %d steps", self.name, self._done)
        return self._done

    def stop(self) -> None:
        """Take no new messages; the steps in flight finish (the pool waits for them)."""
        self.stopping.set()

    def _queue_list(self) -> str:
        return ", ".join(queue.name for queue in self.queues)

    def _next_message(self, timeout: int | None) -> Job | None:
        try:
            found = Queue.dequeue_any(self.queues, timeout, connection=self.connection)
        except DequeueTimeout:
            return None
        except RedisError as exc:  # unreachable, restarting, still loading its snapshot
            log.warning("step worker %s: Redis unavailable (%s); retrying", self.name, exc)
            self.stopping.wait(2)
            return None
        return found[0] if found else None

    def _queues_empty(self) -> bool:
        return all(queue.count == 0 for queue in self.queues)

    @property
    def busy(self) -> int:
        """Steps running now."""
        with self._lock:
            return self._busy

    # --- one message -----------------------------------------------------------------------

    def _run(self, message: Job) -> None:
        try:
            close_old_connections()
            message.func(*message.args, **message.kwargs)
        except Exception:
            # The engine records a step's own failures; reaching here is a bug. The step's
            # lease lapses and the reconciler takes it back, so nothing is lost.
            log.exception("step worker %s: message %s raised", self.name, message.id)
        finally:
            try:
                self._forget(message)
                # A thread keeps no database connection between steps: with many threads per
                # process, idle connections would exhaust the server's limit.
                connections.close_all()
            finally:
                # Whatever went wrong above, the thread is free again: a slot never given back
                # would leave the process taking fewer messages, and at last none.
                with self._lock:
                    self._busy -= 1
                    self._done += 1
                self._free.release()

    def _forget(self, message: Job) -> None:
        """Delete the message of a step that ran. If Redis is away, or lost the message meanwhile
        (flushed, restarted empty), there is nothing to do: running a step again is a no-op
        for the engine, and the reconciler re-sends a step whose message was lost."""
        try:
            message.delete()
        except (RedisError, InvalidJobOperation, NoSuchJobError) as exc:
            log.warning(
                "step worker %s: could not delete message %s: %s", self.name, message.id, exc
            )

    # --- helpers ---------------------------------------------------------------------------

    def _heartbeat_loop(self) -> None:
        key = HEARTBEAT_KEY.format(name=self.name)
        while not self.stopping.is_set():
            state: dict[str, Any] = {
                "threads": self.threads,
                "busy": self.busy,
                "done": self._done,
                "pid": os.getpid(),
                "at": time.time(),
            }
            with contextlib.suppress(RedisError):
                self.connection.set(key, json.dumps(state), ex=HEARTBEAT_TTL)
            self.stopping.wait(HEARTBEAT_SECONDS)

    def _scheduler_loop(self) -> None:
        """Move due delayed retries into their queues; one scheduler holds each queue's lock."""
        names = [queue.name for queue in self.queues]
        scheduler = RQScheduler(names, connection=self.connection, interval=1)
        while not self.stopping.wait(1):
            try:
                if scheduler.acquired_locks != set(names):
                    scheduler.acquire_locks()
                if scheduler.acquired_locks:
                    scheduler.heartbeat()
                    scheduler.enqueue_scheduled_jobs()
            except RedisError as exc:
                log.warning(
                    "step worker %s: scheduler paused, Redis unavailable: %s", self.name, exc
                )
        with contextlib.suppress(RedisError):
            scheduler.release_locks()


def live_step_workers(connection: Redis) -> list[dict[str, Any]]:
    """The heartbeats of step workers alive now."""
    workers = []
    for key in connection.scan_iter(match=HEARTBEAT_KEY.format(name="*")):
        raw = connection.get(key)
        if raw:
            state = json.loads(raw)
            state["name"] = key.decode().split(":", 1)[1]
            workers.append(state)
    return workers
