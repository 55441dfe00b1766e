"""The brand asset library: uploads checked by content, hostile files refused, tenants apart."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jobs.mediakit.fonts import BOLD
from production.models import BrandAsset
from tests.factories import api_as, login

pytestmark = pytest.mark.django_db

GOOD_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#6B3E26"/><stop offset="1" stop-color="#2F6F4E"/></linearGradient></defs>
  <rect width="200" height="100" rx="20" fill="url(#g)"/>
  <circle cx="50" cy="50" r="30" fill="#F2E3C6"/>
</svg>"""


def png_bytes(
    size: tuple[int, int] = (400, 300), colour: str = "#2F6F4E", mode: str = "RGB"
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (640, 480), "#8a5a3c")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "Firmware 1.2"  # Software
    exif[0x8825] = {2: (40.0, 1.0, 2.0), 1: "N"}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def zip_named_png() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "not an image")
    return buffer.getvalue()


def decompression_bomb() -> bytes:
    """A real bomb: about 60 KB on disk that decodes to 64 megapixels."""
    buffer = io.BytesIO()
    Image.new("L", (8000, 8000), 0).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def upload(web, data: bytes, name: str, kind: str, title: str = "", **extra):
    return web.post(
        "/brand/",
        {"kind": kind, "title": title, "file": SimpleUploadedFile(name, data), **extra},
    )


def stored_files(media_root: Path) -> list[Path]:
    root = media_root / "brand"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- what is accepted ---------------------------------------------------------------------------


def test_a_member_uploads_a_png_logo_and_sees_it_on_the_page(client, alice, media_root):
    login(client, alice)

    response = upload(
        client, png_bytes(mode="RGBA", colour="#6B3E26"), "logo.png", "logo", "Main logo"
    )

    assert response.status_code == 302
    asset = BrandAsset.objects.get()
    assert (asset.kind, asset.title, asset.mime_type, asset.source_format) == (
        "logo",
        "Main logo",
        "image/png",
        "png",
    )
    assert asset.client == alice.memberships.get().client
    assert len(stored_files(media_root)) == 1
    page = client.get("/brand/").content.decode()
    assert "Main logo" in page and f"/brand/assets/{asset.pk}/file/" in page


def test_photo_metadata_is_stripped_and_the_pixels_kept(client, alice, media_root):
    login(client, alice)
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "SecretCam"

    upload(client, original, "barista.jpg", "team_photo", "Barista at the bar")

    asset = BrandAsset.objects.get()
    served = b"".join(client.get(f"/brand/assets/{asset.pk}/file/").streaming_content)
    with Image.open(io.BytesIO(served)) as image:
        assert image.format == "JPEG" and image.size == (640, 480)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert abs(image.getpixel((320, 240))[0] - 0x8A) <= 6
    assert b"SecretCam" not in served


def test_an_svg_logo_is_sanitised_and_stored_as_a_png(client, alice, media_root):
    login(client, alice)

    response = upload(client, GOOD_SVG, "logo.svg", "logo", "Vector logo")

    assert response.status_code == 302
    asset = BrandAsset.objects.get()
    assert asset.source_format == "svg" and asset.mime_type == "image/png"
    assert (asset.width, asset.height) == (1200, 600)
    with asset.file.open("rb") as handle, Image.open(handle) as image:
        image.load()
        assert image.mode == "RGBA"
        # The drawing is there: the circle's cream at its centre, the gradient beside it.
        r, g, b, a = image.getpixel((300, 300))
        assert a == 255 and r > 220 and g > 200
        assert image.getpixel((5, 5))[3] == 0  # outside the rounded corner stays transparent


def test_a_font_is_accepted_with_its_family_name(client, alice, media_root):
    login(client, alice)

    upload(client, BOLD.read_bytes(), "brand.ttf", "font", "Headlines")

    asset = BrandAsset.objects.get()
    assert asset.kind == "font" and asset.font_family == "DejaVu Sans Bold"
    assert asset.mime_type == "font/ttf"
    response = client.get(f"/brand/assets/{asset.pk}/file/")
    assert response["Content-Disposition"].startswith("attachment")


# --- hostile files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind", "message"),
    [
        ("photo.png", zip_named_png(), "product_photo", "not an image"),
        ("logo.png", zip_named_png(), "logo", "not an image"),
        ("bomb.png", decompression_bomb(), "product_photo", "megapixels"),
        ("photo.gif", b"GIF89a" + b"\x00" * 40, "product_photo", "not an image"),
        ("truncated.png", png_bytes()[:60], "product_photo", "damaged"),
        ("font.ttf", png_bytes(), "font", "not a TrueType"),
        ("font.otf", b"OTTO" + b"\x00" * 200, "font", "cannot be loaded"),
        ("empty.png", b"", "logo", "empty"),
    ],
    ids=[
        "zip-as-photo",
        "zip-as-logo",
        "bomb",
        "gif-header-only",
        "truncated",
        "png-as-font",
        "fake-otf",
        "empty",
    ],
)
def test_a_hostile_file_is_refused_at_the_file_field_and_nothing_is_stored(
    client, alice, media_root, name, data, kind, message
):
    login(client, alice)

    response = upload(client, data, name, kind)

    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="f-file-error"' in page and message in page
    assert BrandAsset.objects.count() == 0
    assert stored_files(media_root) == []


SCRIPT_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
ONLOAD_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><rect width="10" height="10"/></svg>'
EXTERNAL_IMAGE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><image xlink:href="http://127.0.0.1:9/x.png" width="10" height="10"/></svg>'
FILE_IMAGE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image href="file:///etc/passwd" width="10" height="10"/></svg>'
FOREIGN_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject></svg>'
STYLE_IMPORT_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@import url(http://127.0.0.1:9/a.css);</style></svg>'
CSS_URL_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" style="fill: url(http://127.0.0.1:9/p)"/></svg>'
ENTITY_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&b;</text></svg>"""
XXE_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&x;</text></svg>"""
HTML_NOT_SVG = b"<?xml version='1.0'?><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SCRIPT_SVG, "&lt;script&gt;"),
        (ONLOAD_SVG, "event handlers"),
        (EXTERNAL_IMAGE_SVG, "link inside itself"),
        (FILE_IMAGE_SVG, "link inside itself"),
        (FOREIGN_SVG, "&lt;foreignobject&gt;"),
        (STYLE_IMPORT_SVG, "outside the file"),
        (CSS_URL_SVG, "outside the file"),
        (ENTITY_SVG, "DOCTYPE"),
        (XXE_SVG, "DOCTYPE"),
        (HTML_NOT_SVG, "not an SVG"),
    ],
    ids=[
        "script",
        "onload",
        "external-image",
        "file-image",
        "foreignObject",
        "css-import",
        "css-url",
        "entity-expansion",
        "xxe",
        "html",
    ],
)
def test_an_svg_with_active_or_outside_content_is_refused(client, alice, media_root, data, message):
    login(client, alice)

    response = upload(client, data, "logo.svg", "logo")

    assert response.status_code == 422
    assert message in response.content.decode()
    assert BrandAsset.objects.count() == 0 and stored_files(media_root) == []


def test_an_svg_is_not_accepted_as_a_photo(client, alice, media_root):
    login(client, alice)

    response = upload(client, GOOD_SVG, "photo.png", "product_photo")

    assert response.status_code == 422 and "PNG, JPEG or WebP" in response.content.decode()


def test_missing_kind_and_file_are_field_errors(client, alice, media_root):
    login(client, alice)

    response = client.post("/brand/", {"kind": "poster", "title": "x"})

    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-kind-error"' in page and 'id="f-file-error"' in page
    assert BrandAsset.objects.count() == 0


# --- tenants ------------------------------------------------------------------------------------


@pytest.fixture
def acme_logo(client, alice, media_root) -> BrandAsset:
    login(client, alice)
    upload(client, png_bytes(mode="RGBA"), "acme.png", "logo", "Acme secret logo")
    client.logout()
    return BrandAsset.objects.get()


def test_another_clients_assets_are_invisible_on_every_dashboard_route(client, acme_logo, bob):
    login(client, bob)

    page = client.get("/brand/").content.decode()
    assert "Acme secret logo" not in page and f"/brand/assets/{acme_logo.pk}/" not in page
    assert client.get(f"/brand/assets/{acme_logo.pk}/file/").status_code == 404
    assert client.get(f"/brand/assets/{acme_logo.pk}/file/?download=1").status_code == 404
    assert client.post(f"/brand/assets/{acme_logo.pk}/delete/").status_code == 404
    assert BrandAsset.objects.filter(pk=acme_logo.pk).exists()


def test_another_clients_assets_are_invisible_on_every_api_route(acme_logo, bob):
    api = api_as(bob)

    listed = api.get("/api/v1/brand-assets").json()
    assert listed["count"] == 0 and listed["results"] == []
    for path in (
        f"/api/v1/brand-assets/{acme_logo.pk}",
        f"/api/v1/brand-assets/{acme_logo.pk}/file",
    ):
        response = api.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert api.delete(f"/api/v1/brand-assets/{acme_logo.pk}").status_code == 404
    assert BrandAsset.objects.filter(pk=acme_logo.pk).exists()


def test_a_user_cannot_upload_for_a_client_they_do_not_belong_to(client, acme, bob, media_root):
    login(client, bob)

    response = upload(client, png_bytes(), "x.png", "logo", client=str(acme.pk))
    assert response.status_code == 422 and 'id="f-client-error"' in response.content.decode()
    assert not BrandAsset.objects.exists()

    api = api_as(bob)
    response = api.post(
        "/api/v1/brand-assets",
        {"client": str(acme.pk), "kind": "logo", "file": SimpleUploadedFile("x.png", png_bytes())},
        format="multipart",
    )
    assert response.status_code == 404
    assert not BrandAsset.objects.filter(client=acme).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, acme_logo):
    assert client.get("/brand/").status_code == 302
    assert client.get(f"/brand/assets/{acme_logo.pk}/file/").status_code == 302


# --- the API ------------------------------------------------------------------------------------


def test_the_api_uploads_lists_downloads_and_removes_an_asset(alice, media_root):
    api = api_as(alice)

    response = api.post(
        "/api/v1/brand-assets",
        {
            "kind": "product_photo",
            "title": "Cold brew bottles",
            "file": SimpleUploadedFile("b.jpg", jpeg_with_exif()),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "product_photo" and body["mime_type"] == "image/jpeg"
    assert api.get("/api/v1/brand-assets").json()["count"] == 1
    download = api.get(f"/api/v1/brand-assets/{body['id']}/file")
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert Image.open(io.BytesIO(data)).size == (640, 480) and b"SecretCam" not in data
    assert api.delete(f"/api/v1/brand-assets/{body['id']}").status_code == 204
    assert BrandAsset.objects.count() == 0


def test_the_api_refuses_hostile_files_in_its_error_shape(alice, media_root):
    api = api_as(alice)

    for name, data, kind in (
        ("logo.svg", SCRIPT_SVG, "logo"),
        ("p.png", zip_named_png(), "product_photo"),
        ("bomb.png", decompression_bomb(), "team_photo"),
    ):
        response = api.post(
            "/api/v1/brand-assets",
            {"kind": kind, "file": SimpleUploadedFile(name, data)},
            format="multipart",
        )
        assert response.status_code == 400, name
        error = response.json()["error"]
        assert error["code"] == "invalid_file" and error["fields"]["file"]
    assert BrandAsset.objects.count() == 0 and stored_files(media_root) == []


def test_the_api_wants_multipart_for_uploads(alice, media_root):
    response = api_as(alice).post("/api/v1/brand-assets", {"kind": "logo"}, format="json")

    assert response.status_code == 415


# --- the demo client's assets -------------------------------------------------------------------


def test_the_demo_assets_pass_the_upload_checks_once(acme, media_root):
    from production.demo_assets import DEMO_ASSETS, seed_demo_assets

    assert seed_demo_assets(acme) == len(DEMO_ASSETS)
    assert seed_demo_assets(acme) == 0  # a client with assets keeps them

    stored = {a.title: a for a in BrandAsset.objects.filter(client=acme)}
    assert set(stored) == {title for _, title, _, _ in DEMO_ASSETS}
    logo = stored["Northwind Coffee logo"]
    assert (logo.kind, logo.mime_type, logo.width, logo.height) == ("logo", "image/png", 900, 300)
    for asset in stored.values():
        if asset.kind == "product_photo":
            assert asset.mime_type == "image/jpeg" and (asset.width, asset.height) == (1800, 1200)
            with asset.file.open("rb") as handle, Image.open(handle) as image:
                # A picture, not noise or a flat fill: neighbouring pixels agree, the frame varies.
                pixels = np.asarray(image.convert("L"), dtype=int)
                assert pixels.std() > 12
                assert np.abs(np.diff(pixels, axis=1)).mean() < 6


def test_staff_see_every_clients_assets_in_the_admin_read_only(client, acme_logo, staff):
    client.force_login(staff)

    listing = client.get("/admin/production/brandasset/")
    assert listing.status_code == 200 and "Acme secret logo" in listing.content.decode()
    assert client.get("/admin/production/brandasset/add/").status_code == 403
