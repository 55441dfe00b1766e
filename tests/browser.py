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
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def open_new_job_dialog(page: Any, job_type: str) -> None:
    """Open the dialog and pick a type; the type's brief is loaded into the form."""
    if not page.locator("#new-job-dialog").evaluate("d => d.open"):
        page.get_by_role("button", name="New job").click()
    page.wait_for_selector("#new-job-form")
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
