"""gunicorn server hooks (loaded with `--config python:production.gunicorn_hooks`)."""

from __future__ import annotations

import signal
from typing import Any


def post_worker_init(worker: Any) -> None:
    """On SIGTERM, end this worker's live streams at once: they would otherwise hold the
    graceful shutdown until their deadline."""
    # Imported here: gunicorn reads this module before Django is set up.
    from dashboards.live_stream import HUB

    previous = signal.getsignal(signal.SIGTERM)

    def stop_streams(signum: int, frame: Any) -> None:
        HUB.close()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, stop_streams)
