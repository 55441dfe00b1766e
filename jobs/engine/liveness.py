"""Step leases: how the reconciler tells a live step from one whose worker is gone.

A claimed step gets a lease; while its worker process lives one daemon thread per process
renews the leases of every step it runs. Once a lease lapses the reconciler takes the step
back.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection as thread_connection
from django.utils import timezone

from jobs.models import StepRun, StepStatus

log = logging.getLogger(__name__)


class LeaseRenewer:
    """Keeps running steps' leases fresh so the reconciler knows their worker is alive.

    One daemon thread per process serves every step it runs, so a short step costs a set
    insertion, not a thread start.
    """

    _lock = threading.Lock()
    _active: set[int] = set()
    _thread: threading.Thread | None = None

    def __init__(self, step_run_id: int) -> None:
        self.step_run_id = step_run_id

    def __enter__(self) -> LeaseRenewer:
        cls = type(self)
        with cls._lock:
            cls._active.add(self.step_run_id)
            if cls._thread is None or not cls._thread.is_alive():
                cls._thread = threading.Thread(target=cls._renew_forever, daemon=True)
                cls._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with type(self)._lock:
            type(self)._active.discard(self.step_run_id)

    @classmethod
    def _renew_forever(cls) -> None:

        interval = max(settings.STEP_LEASE_SECONDS / 3, 0.2)
        while True:
            time.sleep(interval)
            with cls._lock:
                active = list(cls._active)
            if not active:
                continue
            try:
                StepRun.objects.filter(pk__in=active, status=StepStatus.RUNNING).update(
                    lease_expires_at=timezone.now() + timedelta(seconds=settings.STEP_LEASE_SECONDS)
                )
            except Exception:  # noqa: BLE001 - a missed renewal is retried next interval
                log.exception("could not renew step leases")
            finally:
                # Renewals are rare (every lease/3 seconds): holding no connection between
                # them keeps the thread from pinning the database (or a test database).
                thread_connection.close()
