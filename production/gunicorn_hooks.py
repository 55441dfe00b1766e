"""gunicorn server hooks (loaded with `--config python:production.gunicorn_hooks`)."""

from __future__ import annotations

import signal
import sys
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Load every view now, hand the interpreter between threads sooner
    (settings.WEB_SWITCH_INTERVAL), and on SIGTERM end this worker's live streams at once:
    they would otherwise hold the graceful shutdown until their deadline."""
    # Imported here: gunicorn reads this module before Django is set up.
    from django.conf import settings
    from django.urls import resolve

    from dashboards.live_stream import HUB

    # Resolving a path imports the URLconf and every view (0.4 s): otherwise the first
    # request each new process serves waits for it.
    resolve("/healthz")
    sys.setswitchinterval(settings.WEB_SWITCH_INTERVAL)

    previous = signal.getsignal(signal.SIGTERM)

    def stop_streams(signum: int, frame: Any) -> None:
        HUB.close()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, stop_streams)
