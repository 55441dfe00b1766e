"""The review page in a real Chromium: pin and resolve comments on a passage, an image region and
a video timecode; reject stopping the loop until the client revises the brief; the inbox."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from approvals import services
from approvals.models import Comment
from jobs.models import Output, ProductionJob
from tests.browser import requires_chromium, sign_in, wait_for_js
from tests.factories import PASSWORD, produce

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def shot(page, name: str, *, full_page: bool = False) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=full_page)


def banner_png() -> bytes:
    image = Image.new("RGB", (1200, 628), "#1f4e79")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 560, 200), fill="#f2c14e")
    draw.ellipse((900, 380, 1100, 580), fill="#ffffff")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def short_mp4(seconds: int = 4) -> bytes:
    import imageio_ffmpeg

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "clip.mp4"
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"testsrc=duration={seconds}:size=640x360:rate=10",
                "-pix_fmt",
                "yuv420p",
                "-c:v",
                "libx264",
                "-movflags",
                "+faststart",
                str(target),
            ],
            check=True,
        )
        return target.read_bytes()


def with_media(job: ProductionJob) -> None:
    """Add an image and a video to the revision under review, as a production would."""
    for kind, key, name, data, meta in (
        ("image", "banner-1200x628", "banner.png", banner_png(), {"width": 1200, "height": 628}),
        ("video", "cut", "cut.mp4", short_mp4(), {"duration": 4.0}),
    ):
        output = Output(
            job=job,
            step=key,
            key=key,
            revision=job.revision,
            kind=kind,
            title=f"The {kind}",
            metadata=meta,
            mime_type="image/png" if kind == "image" else "video/mp4",
        )
        output.file.save(name, ContentFile(data), save=False)
        output.size_bytes = len(data)
        output.save()
    request = services.pending_request_for(job)
    request.output_ids = list(
        Output.objects.filter(job=job, revision=job.revision).values_list("pk", flat=True)
    )
    request.save(update_fields=["output_ids"])


def thread_count(page, article: str) -> int:
    return page.locator(f"{article} .thread").count()


def test_pin_and_resolve_comments_on_text_image_and_video(
    page, live_server, media_root, acme, rita
):
    job = produce(acme, title="Autumn trail days")
    with_media(job)
    request = services.pending_request_for(job)
    sign_in(page, live_server.url, "rita", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{request.pk}/")
    text_article = "article.output-markdown, article.output-text"
    text = page.locator(text_article).first
    article_id = text.get_attribute("id")
    text_sel = f"#{article_id}"

    # A passage: select words in the rendered text, comment, and the quote is shown.
    page.evaluate(
        """sel => {
          const box = document.querySelector(sel + ' .pin-text');
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          let node; while ((node = walker.nextNode()) && node.textContent.trim().split(/\\s+/).length < 6) {}
          const words = node.textContent.match(/\\S+\\s+\\S+\\s+\\S+/);
          const start = node.textContent.indexOf(words[0]);
          const range = document.createRange();
          range.setStart(node, start); range.setEnd(node, start + words[0].length);
          const s = window.getSelection(); s.removeAllRanges(); s.addRange(range);
          box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        text_sel,
    )
    label = page.locator(f"{text_sel} .pin-label")
    assert label.inner_text().startswith("Pinned to “")
    page.fill(f"{text_sel} textarea[name=body]", "This promise needs a source.")
    page.click(f"{text_sel} form.comment-new button[type=submit]")
    page.wait_for_selector(f"{text_sel} .thread .pin-quote")
    quote = page.locator(f"{text_sel} .thread .pin-quote").inner_text()
    saved = Comment.objects.get(anchor="text")
    assert quote.strip('“”"') in saved.quote or saved.quote in quote

    # An image region: click the image, a marker appears where the comment is pinned.
    image = page.locator("article.output-image .pin-surface img")
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.75)
    page.fill("article.output-image textarea[name=body]", "The circle hides the logo.")
    page.click("article.output-image form.comment-new button[type=submit]")
    page.wait_for_selector("article.output-image .thread[data-anchor=region]")
    marker = page.locator("article.output-image .pin-surface .pin-marker:not(.is-pending)")
    assert marker.count() == 1 and marker.inner_text() == "1"
    region = Comment.objects.get(anchor="region")
    assert 0.6 < region.x < 0.8 and 0.55 < region.y < 0.75

    # A video timecode: pin at 2.5 s, then the timecode jumps the player back there.
    video = "article.output-video video"
    wait_for_js(page, f"document.querySelector('{video}').readyState >= 1")
    page.eval_on_selector(video, "v => { v.currentTime = 2.5; }")
    wait_for_js(page, f"Math.abs(document.querySelector('{video}').currentTime - 2.5) < 0.05")
    page.click("article.output-video .pin-time")
    page.fill("article.output-video textarea[name=body]", "Hold this shot longer.")
    page.click("article.output-video form.comment-new button[type=submit]")
    page.wait_for_selector("article.output-video .thread .timecode")
    assert Comment.objects.get(anchor="time").at_seconds == pytest.approx(2.5, abs=0.05)
    page.eval_on_selector(video, "v => { v.currentTime = 0; }")
    page.click("article.output-video .thread .timecode")
    wait_for_js(page, f"Math.abs(document.querySelector('{video}').currentTime - 2.5) < 0.05")
    shot(page, "review-page", full_page=False)
    page.locator(text_sel).scroll_into_view_if_needed()
    shot(page, "review-page-comments", full_page=True)

    # Resolve each, in the page.
    for article in (text_sel, "article.output-image", "article.output-video"):
        page.click(f"{article} .thread button.resolve")
        page.wait_for_selector(f"{article} .thread.is-resolved")
    assert Comment.objects.filter(resolved_at__isnull=False).count() == 3
    assert page.locator("article.output-image .pin-surface .pin-marker.is-resolved").count() == 1


def test_reject_stops_the_loop_and_the_member_restarts_it_from_the_inbox(
    page, chromium, live_server, acme, rita, alice
):
    job = produce(acme, title="Spring blog post", user=alice)
    request = services.pending_request_for(job)
    sign_in(page, live_server.url, "rita", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{request.pk}/")

    page.check("input[name=decision][value=reject]")
    page.fill("#decision textarea[name=feedback]", "Wrong audience: this is for first-time hikers.")
    page.click("#decision button[type=submit]")
    # The queue (the browser keeps the form's #decision on the redirect).
    page.wait_for_url(re.compile(r".*/reviews/(#decision)?$"))
    assert "it stops here" in page.locator(".messages").inner_text()
    job.refresh_from_db()
    assert (job.status, job.revision) == ("revision", 1)

    member = chromium.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(member, live_server.url, "alice", PASSWORD)
    member.goto(f"{live_server.url}/notifications/")
    member.wait_for_selector("#unread-badge .count")
    assert member.locator("#unread-badge .count").inner_text() == "1"
    assert "rita rejected “Spring blog post”" in member.locator(".inbox-list").inner_text()
    shot(member, "inbox")
    member.click("text=rita rejected")
    member.wait_for_url(re.compile(r".*/reviews/jobs/.*/revise/$"))
    assert "Wrong audience" in member.locator(".rejection-reason").inner_text()
    member.fill("textarea[name=description]", "A first hike: what to pack, for first-time hikers.")
    member.click("button:has-text('Start the next revision')")
    member.wait_for_url(re.compile(r".*/jobs/[0-9a-f-]{36}/$"))
    job.refresh_from_db()
    assert (job.status, job.revision) == ("queued", 2)
    member.context.close()


def test_a_guest_link_comments_and_approves_then_is_revoked(
    page, chromium, live_server, media_root, acme, rita, olga
):
    from approvals import guests

    job = produce(acme, title="Autumn trail days")
    with_media(job)
    link = guests.issue(user=rita, job=job, days=7, note="Dana at Legal")
    url = f"{live_server.url}/reviews/guest/{guests.token_for(link)}/"
    guest = chromium.new_context(viewport={"width": 1366, "height": 900}).new_page()

    guest.goto(url)
    guest.fill("#guest-name", "Dana Legal")
    guest.fill("#guest-email", "dana@client.test")
    guest.click("button:has-text('Start reviewing')")
    guest.wait_for_selector("article.output-image .pin-surface img")
    image = guest.locator("article.output-image .pin-surface img")
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    guest.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.2)
    guest.fill("article.output-image textarea[name=body]", "Legal: the claim box needs a source.")
    guest.click("article.output-image form.comment-new button[type=submit]")
    guest.wait_for_selector("article.output-image .thread[data-anchor=region]")
    assert "Dana Legal (guest)" in guest.locator("article.output-image .thread").inner_text()
    shot(guest, "guest-review")
    guest.check("input[name=decision][value=approve]")
    guest.click("button:has-text('Send decision')")
    guest.wait_for_selector("text=your decision is recorded")
    # What was reviewed stays on the page, without a form.
    assert guest.locator("article.output-image").count() == 1
    request = services.pending_request_for(job) or job.approvals.get(gate="final")
    request.refresh_from_db()
    assert request.decided_by_label.startswith("Dana Legal (guest)")

    # The owner revokes it on the links page; the guest's next request is refused.
    sign_in(page, live_server.url, "olga", PASSWORD)
    page.goto(f"{live_server.url}/reviews/jobs/{job.pk}/guest-links/")
    assert "Dana at Legal" in page.locator("table.guest-links").inner_text()
    page.click("table.guest-links button:has-text('Revoke')")
    page.wait_for_selector("table.guest-links td:has-text('Revoked')")
    shot(page, "guest-links")
    response = guest.goto(url)
    assert response.status == 403
    assert "revoked" in guest.locator(".guest-gone").inner_text()
    guest.context.close()


def coloured_png(colour: str) -> bytes:
    image = Image.new("RGB", (1200, 628), colour)
    ImageDraw.Draw(image).rectangle((60, 60, 560, 200), fill="#f2c14e")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_compare_shows_words_an_image_overlay_and_synced_players(
    page, live_server, media_root, acme, rita, alice
):
    from jobs.inline import run_inline

    job = produce(acme, title="Autumn trail days")
    services.job_decide(
        job=job, user=rita, decision="request_changes", feedback="Mention free shipping."
    )
    run_inline(job.pk)
    clip = short_mp4(6)
    for revision, colour in ((1, "#1f4e79"), (2, "#7a1f4e")):
        for kind, name, data in (
            ("image", "banner.png", coloured_png(colour)),
            ("video", "cut.mp4", clip),
        ):
            output = Output(
                job=job, step=kind, key=kind, revision=revision, kind=kind, title=f"The {kind}"
            )
            output.mime_type = "image/png" if kind == "image" else "video/mp4"
            output.checksum = hashlib.sha256(data).hexdigest()
            output.file.save(name, ContentFile(data), save=False)
            output.save()
    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/reviews/jobs/{job.pk}/compare/")

    assert page.locator(".diff-after ins").count() >= 1
    assert page.locator(".compare-video .unchanged").count() == 1  # the same clip twice
    assert page.locator(".compare-image .unchanged").count() == 0
    shot(page, "compare-text")

    overlay = page.locator("[data-overlay] .overlay-top")
    overlay.scroll_into_view_if_needed()
    page.locator(".overlay-slider").fill("20")
    assert "inset(0px 80% 0px 0px)" in overlay.evaluate("e => getComputedStyle(e).clipPath")
    page.locator(".compare-image").scroll_into_view_if_needed()
    shot(page, "compare-image")

    lead, follow = ".compare-video video.sync-lead", ".compare-video video.sync-follow"
    page.locator(".compare-video").scroll_into_view_if_needed()
    wait_for_js(
        page,
        f"document.querySelector('{lead}').readyState >= 1 && document.querySelector('{follow}').readyState >= 1",
    )
    page.eval_on_selector(lead, "v => { v.currentTime = 3; }")
    wait_for_js(page, f"Math.abs(document.querySelector('{follow}').currentTime - 3) < 0.1")
    page.eval_on_selector(lead, "v => { v.muted = true; return v.play(); }")
    wait_for_js(page, f"!document.querySelector('{follow}').paused")
    page.eval_on_selector(lead, "v => v.pause()")
    wait_for_js(page, f"document.querySelector('{follow}').paused")
    shot(page, "compare-video")
