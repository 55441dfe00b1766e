"""Script hidden in a brief never runs for the reviewer or staff who open its outputs (Chromium)."""

from __future__ import annotations

import os

import pytest

from approvals.models import ApprovalRequest
from jobs.models import Output
from tests.browser import requires_chromium, screenshot, sign_in
from tests.factories import PASSWORD, produce

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

# Focus alone approves the job in the victim's name, as the reported attack did.
APPROVE_ON_FOCUS = (
    "window.__pwned=1;var f=document.querySelector('.decision-form');"
    "if(f){f.querySelector('[value=approve]').checked=true;f.submit()}"
)
PAYLOADS = [
    f'[a](https://x/`"autofocus onfocus="{APPROVE_ON_FOCUS}"`)',
    '[b](https://x/`"onmouseover="window.__pwned=2"`)',
    "[c](javascript:window.__pwned=3)",
    "<img src=x onerror=window.__pwned=4>",
    '<input autofocus onfocus="window.__pwned=5">',
    "<script>window.__pwned=6</script>",
    "[d](data:text/html,<script>window.__pwned=7</script>)",
    '[e](https://x/`"onmouseover="alert(1)" style="display:block;width:100vw;height:100vh"`)',
    "<svg onload=alert(2)>",
]
# Brief fields have length limits; these fit and reach the writers' outputs verbatim.
TOPIC = 'Trail shoes [t](https://x/`"onmouseover="window.__pwned=9"`)'
CALL_TO_ACTION = '[cta](https://x/`"onfocus="window.__pwned=8" tabindex="0"`)'


def test_injected_markup_in_outputs_runs_for_nobody(live_server, page, acme, rita, staff):
    payload = "\n\n".join(PAYLOADS)
    job = produce(
        acme,
        title="Injected brief",
        inputs={
            "contentType": "blog_post",
            "topic": TOPIC,
            "callToAction": CALL_TO_ACTION,
        },
    )
    # Whatever the writer kept of the brief, the output holds every payload as well.
    output = Output.objects.filter(job=job, kind="markdown").first() or job.outputs.first()
    output.text = f"{output.text}\n\n{payload}"
    output.save(update_fields=["text"])
    approval = ApprovalRequest.objects.get(job=job)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    for user, password in ((rita, PASSWORD), (staff, "pw-sam-12345")):
        page.context.clear_cookies()
        sign_in(page, live_server.url, user.username, password)
        for path in (
            f"/jobs/{job.pk}/",
            f"/jobs/{job.pk}/parts/outputs/",
            f"/reviews/{approval.pk}/",
        ):
            page.goto(f"{live_server.url}{path}")
            # The payloads are on the page, shown as text.
            assert "window.__pwned=6" in page.inner_text("body"), (user.username, path)
            page.mouse.move(200, 300)
            page.mouse.move(400, 500)
            page.keyboard.press("Tab")
            # Hovering or focusing any link in an output runs nothing either.
            for link in page.locator(".prose a, .flagged-text a").all():
                link.dispatch_event("mouseover")
                link.dispatch_event("focus")
            page.wait_for_timeout(200)
            assert page.evaluate("window.__pwned") is None, (user.username, path)
            for link in page.locator("a[href]").all():
                href = link.get_attribute("href") or ""
                assert not href.lower().startswith(("javascript:", "data:")), href
        screenshot(page, f"xss-review-{user.username}")

    assert dialogs == []
    approval.refresh_from_db()
    assert approval.status == "pending"
