"""`make chaos`: the whole system under faults, one line of figures per scenario.

Exits non-zero when any scenario lost or duplicated work or failed its own checks (a step left
open on a failed job, say). `python -m chaos ci` runs the short versions the test suite runs;
names after it (e.g. `python -m chaos "redis flushed"`) pick scenarios.
"""

from __future__ import annotations

import shutil
import sys
import time

from bench.harness import REDIS_DIR, ROOT, bench_database, setup_django


def main(arguments: list[str]) -> int:
    started = setup_django()
    from django.conf import settings
    from django.db import connection

    from chaos.scenarios import CI, FULL, SCENARIOS, NotOurs
    from chaos.system import System
    from production.embedded_redis import crash_and_restart, embedded_port

    restart = None
    if started is not None:  # the embedded Redis this run started: ours to crash
        server = {"process": started}

        def restart(down: float) -> None:
            server["process"] = crash_and_restart(
                server["process"], REDIS_DIR, embedded_port(), down
            )

    size = CI if "ci" in arguments else FULL
    chosen = [name for name in SCENARIOS if name in arguments] or list(SCENARIOS)
    media_root = ROOT / "var" / "chaos" / "media"
    shutil.rmtree(media_root, ignore_errors=True)
    media_root.mkdir(parents=True)
    print(f"database: {connection.vendor}; redis: {settings.REDIS_URL}; {size}")
    failures = 0
    with bench_database("chaos") as url:
        system = System(url, media_root, workers=2, threads=8, restart_redis=restart)
        system.start()
        try:
            for name in chosen:
                began = time.monotonic()
                try:
                    result = SCENARIOS[name](system, size, media_root)
                except NotOurs as reason:
                    print(f"{name:<24} skipped: {reason}", flush=True)
                    continue
                print(f"{result.line(name)}  ({time.monotonic() - began:.0f} s)", flush=True)
                failures += not result.clean
        finally:
            system.stop()
    print(f"total: {len(chosen)} scenarios, {failures} with lost, duplicated or stuck work")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
