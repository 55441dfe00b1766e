"""Data for the publishing tests: approved jobs whose outputs are real files made by the
production media code (a PNG from the image renderer, an H.264/AAC MP4 from the video renderer),
and connected accounts pointing at the local fake platforms."""

from __future__ import annotations

from functools import cache

from django.core.files.base import ContentFile

from approvals.models import ApprovalRequest, ApprovalStatus, ApprovalType
from jobs.mediakit import images
from jobs.mediakit.video import SceneClip
from jobs.models import Output, ProductionJob, Status
from jobs.workflows.production.media import render_mp4
from production.models import Client
from publishing import services
from publishing.models import Connection
from tests.factories import make_job

BRAND = {"name": "Acme Outdoor", "colors": ["#0B6E4F", "#F4F1DE", "#E07A5F"]}
POST_MARKDOWN = (
    "# Trail running for beginners\n\n"
    "Start with **twenty minutes** on soft ground.\n\n"
    "- Shoes with grip\n- Water\n\n"
    "Acme Outdoor ships to 12 countries."
)
WP_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"


@cache
def square_png() -> bytes:
    return images.render_social_image(1080, 1080, brand=BRAND, headline="Hit the trail")


@cache
def wide_png() -> bytes:
    """728x90: far wider than Instagram's 1.91:1."""
    return images.render_banner(728, 90, brand=BRAND, headline="Autumn sale")


@cache
def reel_mp4(seconds: float = 4.0) -> bytes:
    still = images.render_social_image(540, 960, brand=BRAND, headline="Trail season")
    data, _ = render_mp4([SceneClip(still, seconds / 2), SceneClip(still, seconds / 2)], 540, 960)
    return data


def add_output(job: ProductionJob, step: str, kind: str, **fields) -> Output:  # noqa: ANN003
    data = fields.pop("data", None)
    name = fields.pop("name", None)
    output = Output(job=job, step=step, revision=job.revision, kind=kind, **fields)
    if data is not None:
        output.size_bytes = len(data)
        output.file.save(name, ContentFile(data), save=False)
    output.save()
    return output


def approved_job(
    client: Client,
    *,
    title: str = "Trail running for beginners",
    status: str = Status.APPROVED,
    high_impact: bool = False,
    signed_off: bool = False,
    video_seconds: float = 4.0,
) -> ProductionJob:
    """A job at `status` (set directly: no engine run) with a post, an image and a video."""
    job = make_job(client, title=title)
    add_output(job, "write", "markdown", title="Blog post", text=POST_MARKDOWN)
    add_output(
        job,
        "visual",
        "image",
        title="Square image",
        data=square_png(),
        name="square.png",
        mime_type="image/png",
    )
    add_output(
        job,
        "render",
        "video",
        title="Reel",
        data=reel_mp4(video_seconds),
        name="reel.mp4",
        mime_type="video/mp4",
    )
    ProductionJob.objects.filter(pk=job.pk).update(status=status, high_impact=high_impact)
    if signed_off:
        ApprovalRequest.objects.create(
            job=job,
            gate="owner_signoff",
            approval_type=ApprovalType.OWNER_SIGNOFF,
            approver_role="owner",
            revision=job.revision,
            status=ApprovalStatus.APPROVED,
        )
    job.refresh_from_db()
    return job


def output_of(job: ProductionJob, kind: str) -> Output:
    return Output.objects.get(job=job, kind=kind)


def wordpress_account(client: Client, site_url: str, password: str = WP_PASSWORD) -> Connection:
    return services.connection_create(
        client=client,
        platform="wordpress",
        name="Blog",
        account={"site_url": site_url, "username": "editor"},
        secrets={"application_password": password},
    )


def youtube_account(
    client: Client, *, access_token: str = "ya29.first-token", expires_in: int = 3600
) -> Connection:
    return services.connection_create(
        client=client,
        platform="youtube",
        name="Channel",
        account={"channel": "Acme Outdoor"},
        secrets={
            "access_token": access_token,
            "refresh_token": "1//refresh",
            "client_id": "1234.apps.googleusercontent.com",
            "client_secret": "GOCSPX-secret-value",
        },
        expires_in=expires_in,
    )


def instagram_account(
    client: Client, *, access_token: str = "IGQVJfirst", expires_in: int = 50 * 24 * 3600
) -> Connection:
    return services.connection_create(
        client=client,
        platform="instagram",
        name="Instagram",
        account={"ig_user_id": "17841400000000001", "username": "acme.outdoor"},
        secrets={"access_token": access_token},
        expires_in=expires_in,
    )
