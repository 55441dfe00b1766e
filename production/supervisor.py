"""Keeps the launcher's children running: a child that dies is restarted with a growing delay.

One dead worker must never take the web server down with it. Each child runs in a process
group of its own, so stopping a child also stops what it started (gunicorn's workers, anything
a worker forked), and the terminal's Ctrl-C reaches only the launcher, which stops the
children in order.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_SECONDS = 60.0  # a child that ran this long starts over at the shortest delay


@dataclass
class Child:
    name: str
    command: list[str]
    env: Mapping[str, str] | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    delay: float = FIRST_DELAY
    restart_at: float | None = None
    restarts: int = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, env=None if self.env is None else dict(self.env), start_new_session=True
        )
        self.started_at = time.monotonic()
        self.restart_at = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        """Signal the child and everything in its process group."""
        if self.process is None:
            return
        # The group outlives its leader when the leader dies first (an orphaned helper).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


class Supervisor:
    """Starts children, restarts the dead ones with backoff, and stops them all on request."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.children: list[Child] = []
        self.report = report

    def add(self, name: str, command: list[str], env: Mapping[str, str] | None = None) -> Child:
        child = Child(name, command, env)
        child.start()
        self.children.append(child)
        return child

    def tick(self) -> None:
        """Notice dead children and restart them once their delay has passed."""
        now = time.monotonic()
        for child in self.children:
            process = child.process
            if child.restart_at is None and process is not None and process.poll() is not None:
                # Whatever it started (gunicorn workers, a forked helper) goes with it, so a
                # restarted child never competes with its predecessor's leftovers.
                child.signal_group(signal.SIGKILL)
                if now - child.started_at >= STABLE_SECONDS:
                    child.delay = FIRST_DELAY
                child.restart_at = now + child.delay
                self.report(
                    f"{child.name} exited with {process.returncode}; "
                    f"restarting in {child.delay:g} s"
                )
                child.delay = min(MAX_DELAY, child.delay * 2)
            elif child.restart_at is not None and now >= child.restart_at:
                child.restarts += 1
                child.start()
                self.report(f"{child.name} restarted")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every group (the web first), wait, then SIGKILL whatever is left."""
        for child in reversed(self.children):
            child.restart_at = None
            if child.running:
                child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in reversed(self.children):
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.report(f"{child.name} did not stop within {timeout:g} s; killing it")
                child.signal_group(signal.SIGKILL)
                child.process.wait(timeout=5)
            # Stragglers of a group whose leader has exited.
            child.signal_group(signal.SIGKILL)

    def kill(self) -> None:
        """Stop every child and its group at once, without waiting for work in flight."""
        for child in self.children:
            child.restart_at = None
            child.signal_group(signal.SIGKILL)
