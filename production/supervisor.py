"""Keeps the launcher's children running: a child that dies is restarted with a growing delay.

One dead worker must never take the web server down with it. Each child runs in a process
group of its own, so stopping a child also stops what it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

STABLE_SECONDS = 60.0  # a child that ran this long starts over at the shortest delay
MAX_DELAY = 30.0


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    delay: float = 1.0
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, start_new_session=True)
        self.started_at = time.monotonic()
        self.restart_at = None

    def signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)


class Supervisor:
    def __init__(self, report: Callable[[str], None]) -> None:
        self.children: list[Child] = []
        self.report = report

    def add(self, name: str, command: list[str]) -> Child:
        child = Child(name, command)
        child.start()
        self.children.append(child)
        return child

    def tick(self) -> None:
        """Notice dead children and restart them once their delay has passed."""
        now = time.monotonic()
        for child in self.children:
            process = child.process
            if child.restart_at is None and process is not None and process.poll() is not None:
                # Whatever it started (an RQ scheduler, gunicorn workers) goes with it.
                child.signal_group(signal.SIGKILL)
                if now - child.started_at >= STABLE_SECONDS:
                    child.delay = 1.0
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
        """SIGTERM every group, wait, then SIGKILL what is left."""
        for child in reversed(self.children):
            if child.process is not None and child.process.poll() is None:
                child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in reversed(self.children):
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.signal_group(signal.SIGKILL)
                child.process.wait(timeout=5)
