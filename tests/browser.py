"""Playwright fixtures and helpers for the browser tests: Debian's Chromium, a page, signing in,
the dialog, screenshots."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
JOB_URL = re.compile(r".*/jobs/[0-9a-f-]{36}/$")

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)",
)


def launch(playwright: Any) -> Any:
    """Debian's Chromium; the test suite never downloads a browser of its own."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# Registered from conftest.py: one browser per test module, a fresh context for every test.
@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def chromium(playwright_instance: Any) -> Iterator[Any]:
    browser = launch(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A page that fails its test if anything it showed broke the content security policy."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert violations == [], "content security policy violations:\n" + "\n".join(violations)


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in and wait for the first page: the dashboard, or a reviewer's queue."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base_url) + r"/(reviews/)?$"))


def wait_for_js(page: Any, expression: str, timeout: float = 15.0) -> None:
    """Wait until a JavaScript expression is true, asked from here through the protocol.

    Playwright's wait_for_function compiles its predicate inside the page, which the content
    security policy refuses (no string evaluation); page.evaluate is not subject to it.
    """
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{page.url}: still false after {timeout:.0f} s: {expression}")
        time.sleep(0.05)


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def open_new_job_dialog(page: Any, job_type: str) -> None:
    """Open the dialog and pick a type; the type's brief is loaded into the form."""
    if not page.locator("#new-job-dialog").evaluate("d => d.open"):
        # Each opening loads a fresh form; mark the one from an earlier opening so the wait
        # below is for the new one, not the old one still on the page.
        page.evaluate(
            "() => { const f = document.getElementById('new-job-form');"
            " if (f) f.dataset.stale = '1'; }"
        )
        page.get_by_role("button", name="New job").click()
    page.wait_for_selector("#new-job-form:not([data-stale])")
    page.locator(f"input[name=jobType][value={job_type}]").check()
    page.wait_for_selector(f"#new-job-form .type-option.is-selected input[value={job_type}]")
    page.wait_for_selector("#f-title")


def fill_brief(page: Any, values: dict[str, Any]) -> None:
    """Fill schema fields by input name: strings, list of checkbox values, or select values."""
    for key, value in values.items():
        name = f"inputData.{key}"
        field = page.locator(f"[name='{name}']")
        if isinstance(value, list):
            for item in value:
                page.locator(f"input[name='{name}'][value='{item}']").check()
        elif field.first.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(str(value))


# --- page checks: accessibility, fitting the width, screenshots kept in the docs ---------------

DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def accessibility_violations(page: Any, *, impact: str = "critical") -> list[dict[str, Any]]:
    """axe-core's violations of the given impact on the page as it is now (vendored, offline)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # From the site's own static files: the content security policy refuses inline scripts.
        page.add_script_tag(url="/static/js/axe.min.js")
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return [v for v in result if v["impact"] == impact]


def assert_accessible(page: Any) -> None:
    """No critical axe-core violation on the page."""
    violations = accessibility_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def overflow_px(page: Any) -> int:
    """How far the page is wider than the viewport (0 when it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def assert_fits(page: Any) -> None:
    assert overflow_px(page) <= 0, f"{page.url} is {overflow_px(page)} px wider than the window"


def docs_screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """A screenshot kept with the docs (docs/screenshots/NAME.png), also under var/."""
    screenshot(page, name, full_page=full_page)
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = DOCS_SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
