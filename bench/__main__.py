"""`make bench`: every benchmark in one run, printed as a table."""

from __future__ import annotations

import sys
import time

from bench.harness import bench_database, setup_django


def planner_rows(database_url: str) -> list[tuple[str, str]]:
    from bench import planner_bench

    figures = planner_bench.run()
    return [
        (f"planner: {name}", f"{value:.2f}" if isinstance(value, float) else str(value))
        for name, value in figures.items()
    ]


def main() -> int:
    setup_django()
    from django.db import connection

    from bench import (
        api_bench,
        dashboard_bench,
        engine_bench,
        hosted_bench,
        job_types_bench,
        live_bench,
        production_bench,
        safety_bench,
        video_bench,
    )

    sections = [
        ("Engine (the offline lifecycle beside its query count)", engine_bench.run),
        ("Hosted model: many slow steps in flight", hosted_bench.run),
        ("Job types through the built-in providers", job_types_bench.run),
        ("Safety scorer", safety_bench.run),
        ("Planner", planner_rows),
        ("API through gunicorn", api_bench.run),
        ("Dashboard with 100,000 jobs", dashboard_bench.run),
        ("Live pages: 200 viewers while workers are busy", live_bench.run),
        ("Video: treatment to MP4", video_bench.run),
        ("Productions (the advertising workflow, 100 concepts)", production_bench.run),
    ]
    only = set(sys.argv[1:])
    if only:
        sections = [s for s in sections if s[0].split()[0].lower() in only]
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
