"""Browser journeys in Debian's Chromium via Playwright. Skipped, with the reason, without Chromium."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


def pytest_collection_modifyitems(config, items):
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not installed ({CHROMIUM}); install Debian's 'chromium' to run browser tests"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is not installed"
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM in the test body is
    # still synchronous code, so allow it while browsers run (no connection is shared across threads).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The demo org, users, products, customers, engineers and providers — what the journeys start from.
    The service, complaint and feedback demo records (8 s per test) only where a journey needs them."""
    from django.utils.module_loading import import_string

    from salesservice.core.demo import load_demo_org

    load_demo_org()
    for app in ("catalog", "customers", "people", "network"):
        import_string(f"salesservice.{app}.demo.load_demo")()
    return live_server


@pytest.fixture
def demo_site_full(transactional_db, live_server):
    """Every app's demo records (dashboards, queues)."""
    from salesservice.core.demo import load_demo_org
    from salesservice.core.demo_records import load_demo_records

    load_demo_org()
    load_demo_records()
    return live_server


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
