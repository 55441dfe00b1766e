"""Run only by tests/test_concurrent_runs.py in a second pytest run: it writes down what that
run uses (Redis databases, test database) to the file named by CONCURRENT_RUN_PROBE."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.db import connection


@pytest.mark.django_db
def test_write_down_this_runs_redis_and_database(run_redis):
    run_redis.set("probe:alive", "1")
    Path(os.environ["CONCURRENT_RUN_PROBE"]).write_text(
        json.dumps(
            {
                "run_id": os.environ["TEST_RUN_ID"],
                "redis": os.environ["REDIS_URL"],
                "scratch": os.environ["TEST_SCRATCH_REDIS_URL"],
                "database": str(connection.settings_dict["NAME"]),
            }
        )
    )
