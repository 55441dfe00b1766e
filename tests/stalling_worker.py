"""A step worker whose content writer first runs ffmpeg with the arguments in FFMPEG_ARGS
(separated by "|"): started by tests/test_step_liveness.py to render something that stalls, or
something that takes a while but reports progress, inside a real worker process."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "production.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from jobs.mediakit.ffmpeg import run_ffmpeg  # noqa: E402
from jobs.workflows import copy  # noqa: E402

write_deliverables = copy.write_deliverables


def render_then_write(*args: Any, **kwargs: Any) -> Any:
    run_ffmpeg(os.environ["FFMPEG_ARGS"].split("|"))
    return write_deliverables(*args, **kwargs)


copy.write_deliverables = render_then_write
call_command("stepworker", threads=int(os.environ.get("STEP_WORKER_THREADS", "2")))
