"""The brand asset library in Chromium: upload through the page, see the tiles, a refused file
answered at its field; the page fits a desktop and a phone with no critical axe violation."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from jobs.mediakit.fonts import BOLD
from production.demo import CLIENTS
from production.demo_assets import logo_png, seed_demo_assets
from production.models import BrandAsset
from tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits,
    docs_screenshot,
    requires_chromium,
    sign_in,
)
from tests.factories import PASSWORD, make_client, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]


@pytest.fixture
def northwind(db):
    spec = CLIENTS[0]
    return make_client("northwind", spec["name"], brand_profile=spec["brand_profile"])


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a picture")
    return buffer.getvalue()


def test_a_member_uploads_assets_and_sees_them_while_a_bad_file_is_refused_at_its_field(
    live_server, page, northwind, media_root
):
    member = make_user("nina", northwind, "member")
    seed_demo_assets(northwind)
    BrandAsset.objects.filter(kind="logo").delete()  # the logo is uploaded through the page
    sign_in(page, live_server.url, member.username, PASSWORD)

    page.get_by_role("link", name="Brand assets").click()
    page.wait_for_url(f"{live_server.url}/brand/")
    page.select_option("#f-kind", "logo")
    page.fill("#f-title", "Northwind Coffee logo")
    page.set_input_files(
        "#f-file", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}]
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector(".asset-tile.is-new img")

    page.select_option("#f-kind", "font")
    page.fill("#f-title", "Headline font")
    page.set_input_files(
        "#f-file",
        files=[{"name": "headline.ttf", "mimeType": "font/ttf", "buffer": BOLD.read_bytes()}],
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector(".asset-font")

    tiles = page.locator(".asset-tile")
    assert tiles.count() == 5
    # Every image tile loads its picture through the access-checked file view.
    loaded = page.evaluate(
        "Array.from(document.querySelectorAll('.asset-tile img')).every(i => i.complete && i.naturalWidth > 0)"
    )
    assert loaded
    assert "DejaVu Sans Bold" in page.inner_text(".asset-library")

    for size, name in ((DESKTOP, "brand-assets"), (PHONE, "brand-assets-phone")):
        page.set_viewport_size(size)
        page.wait_for_timeout(200)
        assert_fits(page)
        assert_accessible(page)
        docs_screenshot(page, name)
    page.set_viewport_size(DESKTOP)

    page.select_option("#f-kind", "product_photo")
    page.set_input_files(
        "#f-file", files=[{"name": "photo.png", "mimeType": "image/png", "buffer": zip_bytes()}]
    )
    page.get_by_role("button", name="Upload").click()
    error = page.wait_for_selector("#f-file-error")
    assert "not an image" in error.inner_text()
    assert page.locator("#f-file").get_attribute("aria-describedby").endswith("f-file-error")
    assert BrandAsset.objects.filter(client=northwind).count() == 5
