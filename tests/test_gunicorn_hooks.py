"""The web server's process hooks: what each gunicorn process sets up when it starts."""

from __future__ import annotations

import signal
import sys

from django.test import override_settings

from production import gunicorn_hooks


@override_settings(WEB_SWITCH_INTERVAL=0.002)
def test_a_web_process_hands_the_interpreter_between_threads_at_the_set_interval():
    interval = sys.getswitchinterval()
    handler = signal.getsignal(signal.SIGTERM)
    try:
        gunicorn_hooks.post_worker_init(worker=None)
        assert sys.getswitchinterval() == 0.002
        assert signal.getsignal(signal.SIGTERM) is not handler  # streams end on a stop
    finally:
        sys.setswitchinterval(interval)
        signal.signal(signal.SIGTERM, handler)
