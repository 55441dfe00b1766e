"""The chaos scenarios at a size the suite can afford, on real worker and reconciler processes."""

from __future__ import annotations

import pytest

from chaos.scenarios import CI, SCENARIOS, NotOurs
from chaos.system import System
from tests import redis_isolation
from tests.conftest import database_url_for_subprocess

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def system(media_root, redis_conn):
    # Only a Redis this run started may be crashed ("redis restarted" skips on a shared one).
    restart = redis_isolation.restart_own_server if redis_isolation.OWN_SERVER else None
    running = System(
        database_url_for_subprocess(), media_root, workers=2, threads=4, restart_redis=restart
    )
    running.start()
    yield running
    running.stop()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_no_work_is_lost_or_done_twice(name, system, media_root):
    try:
        result = SCENARIOS[name](system, CI, media_root)
    except NotOurs as reason:
        pytest.skip(str(reason))
    assert result.recovered_seconds is not None, result.line(name)
    assert result.clean, result.line(name)
    assert result.finished == result.tries
    if name == "a step fails permanently":  # one job in four fails: its audit checks how
        assert result.failed == CI.jobs // 4, result.line(name)
    elif name != "worker kills":  # three kills may land on one step and spend its attempts
        assert result.failed == 0, result.line(name)
