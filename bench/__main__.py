"""`make bench`: every benchmark in one run, printed as a table."""

from __future__ import annotations

import sys
import time

from bench.harness import bench_database, setup_django


def main() -> int:
    setup_django()
    from django.db import connection

    from bench import engine_bench

    sections = [("Engine", engine_bench.run)]
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}")
    with bench_database() as url:
        for title, run in sections:
            started = time.perf_counter()
            rows = run(url)
            print(f"\n== {title} ({time.perf_counter() - started:.1f}s)")
            for label, value in rows:
                print(f"  {label:<66} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
