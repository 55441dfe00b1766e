"""The content security policy: on every response, strict everywhere but the two staff pages
that ship inline code, and honoured by the pages (browser tests fail on any violation)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from production.content_security import INLINE_POLICY, STRICT_POLICY, policy_for
from tests.factories import login

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_pages_and_the_api_carry_the_strict_policy(client, alice):
    login(client, alice)
    for url in ("/", "/reviews/", "/api/v1/", "/accounts/login/"):
        response = client.get(url)
        assert response["Content-Security-Policy"] == STRICT_POLICY, url
        assert "camera=()" in response["Permissions-Policy"]
    assert "script-src 'self';" in STRICT_POLICY and "'unsafe-inline'" not in STRICT_POLICY
    assert "frame-ancestors 'none'" in STRICT_POLICY and "object-src 'none'" in STRICT_POLICY


def test_only_the_api_docs_and_queue_pages_allow_inline_code():
    assert policy_for("/api/docs/") == INLINE_POLICY
    assert policy_for("/admin/django-rq/") == INLINE_POLICY
    assert policy_for("/admin/jobs/productionjob/") == STRICT_POLICY
    assert policy_for("/jobs/123/") == STRICT_POLICY


def test_no_template_needs_inline_script_style_or_handlers():
    """E-mail templates are not pages and keep their inline styles."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "email" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if "<style" in text:
            offenders.append(f"{path}: <style> element")
        if re.search(r'\sstyle="', text):
            offenders.append(f"{path}: style attribute")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path}: event handler attribute")
    assert offenders == []
