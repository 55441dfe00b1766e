"""Regenerates the example images in this folder through the real visual workflow.

Run from the project root: `.venv/bin/python docs/deliverables/render.py`. It seeds the demo
client Northwind Coffee in a throwaway database, runs one visual job per image through the
workflow engine with the built-in providers, and copies each stored PNG here.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# (file name, inputs of one visual job that renders exactly one image)
IMAGES: list[tuple[str, dict[str, Any]]] = [
    (
        "banner-1200x628.png",
        {
            "visualType": "banner",
            "headline": "Autumn roasts are here",
            "subline": "Small-batch coffee, roasted within 48 hours of shipping",
            "callToAction": "Shop the roasts",
            "sizes": ["1200x628"],
        },
    ),
    (
        "banner-728x90.png",
        {
            "visualType": "banner",
            "headline": "Autumn roasts are here",
            "subline": "Roasted within 48 hours of shipping",
            "callToAction": "Shop the roasts",
            "sizes": ["728x90"],
        },
    ),
    (
        "social-1080x1080.png",
        {
            "visualType": "social_image",
            "headline": "Meet our new Ethiopian single origin",
            "subline": "Bright, floral and sweet: brew it as a pour-over",
            "sizes": ["1080x1080"],
        },
    ),
    (
        "infographic-1080x1350.png",
        {
            "visualType": "infographic",
            "headline": "Where our partner farms are",
            "subline": "Partner farms by country",
            "data": [
                {"label": "Colombia", "value": 6},
                {"label": "Ethiopia", "value": 5},
                {"label": "Guatemala", "value": 3},
            ],
            "sizes": ["1080x1350"],
        },
    ),
    ("logo-512x512.png", {"visualType": "logo", "style": "minimal", "sizes": ["512x512"]}),
]


def render_all() -> list[Path]:
    from jobs import services
    from jobs.inline import run_inline
    from jobs.models import Output
    from production.demo import seed_clients

    client = seed_clients()["northwind"]
    written = []
    for name, inputs in IMAGES:
        job = services.job_create(
            client=client,
            job_type="visual",
            title=f"Example {name}",
            input_data=inputs,
            auto_process=True,
        )
        run_inline(job.pk)
        image = Output.objects.get(job=job, step="render")
        with image.file.open("rb") as handle:
            target = HERE / name
            target.write_bytes(handle.read())
        written.append(target)
    return written


def main() -> int:
    sys.path.insert(0, str(ROOT))
    # Stored outputs go to a scratch folder; only the copies made here are kept.
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="deliverables-")
    from bench.harness import bench_database, setup_django

    setup_django()
    with bench_database():
        for path in render_all():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
