"""The progress page in a real browser: charts drawn from json_script under the CSP, prints on A4."""

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import factories
from tests.browser import signin

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium():
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable or not Path(executable).exists():
        if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium not found")
        pytest.skip("Chromium not found")
    return executable


def drive(executable: str, base: str, username: str) -> dict:
    """Runs in its own thread: Playwright's sync API must not share a thread with another instance."""
    from playwright.sync_api import sync_playwright

    seen = {"console": [], "failed": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
        page.on("console", lambda m: seen["console"].append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        page.on("response", lambda r: seen["failed"].append(r.url)
                if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        signin.second_step(page)
        page.wait_for_url(f"{base}/reports/")
        page.goto(base + "/reports/?year=2025")
        page.locator("canvas[data-kind=bands]").wait_for()
        seen["chart"] = page.evaluate(
            "() => { const c = window.Chart && window.Chart.getChart(document.querySelector('canvas'));"
            " return c ? c.data.datasets[0].data : null; }"
        )
        seen["bar_width"] = page.evaluate(
            "() => document.querySelector('[data-target-key=\"2025-band-13\"] .progress-bar')"
            ".getBoundingClientRect().width"
        )
        page.emulate_media(media="print")
        seen["controls_hidden_in_print"] = page.locator("form[aria-label]").first.is_hidden()
        seen["pdf_size"] = len(page.pdf(format="A4", landscape=True))
        browser.close()
    return seen


def test_progress_page_draws_the_band_chart(chromium, live_server, scenario):
    signin.prepare(factories.province_viewer(username="tinh"))
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(drive, chromium, live_server.url, "tinh").result(timeout=120)
    assert seen["chart"] == [4, 3, 3, 1, 2, 4]  # drawn from json_script by the static JS, under the CSP
    assert not seen["console"], seen["console"]  # e.g. a CSP violation
    assert not seen["failed"], seen["failed"]  # every script and stylesheet was served
    assert seen["bar_width"] > 0  # widths come from CSS classes, not inline styles
    assert seen["controls_hidden_in_print"]
    assert seen["pdf_size"] > 1000
