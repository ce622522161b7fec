"""NET-1 / NET-3 in the browser: the after-sales manager records a complaint case against a provider with its
evaluation item — the ladder issues the warning letter at once — and reads the weekly service quality report."""

import datetime as dt

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def test_case_recorded_warning_issued_and_weekly_report(demo_site, page):
    from django.utils import timezone

    from salesservice.network import tasks
    from salesservice.network.models import ServiceProvider

    base = demo_site.url
    provider = ServiceProvider.objects.get(code="WX-SH-001")
    login(page, base, "hq_service_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/network/providers/{provider.pk}/")
    page.wait_for_selector("#violation-form")
    page.select_option("#violation-form [name=item]", "punctuality")
    page.fill("#violation-form [name=description]", "上门迟到 2 小时，未提前告知顾客")
    page.click("#violation-form button[type=submit]")
    page.wait_for_selector("#sanctions .sanction-row[data-rung=warned]")
    assert "发函警告" in page.inner_text("#status-badge")
    shot(page, "network-warning-issued")

    today = timezone.localdate()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    report_id = tasks.weekly_report(today=next_monday)
    page.goto(f"{base}/network/reports/{report_id}/")
    page.wait_for_selector("#report-rows")
    row = page.locator(f".report-row[data-provider='{provider.pk}']")
    assert row.get_attribute("data-cases") == "1"
    assert "上门及时性" in row.inner_text() and "警告函" not in row.inner_text()
    shot(page, "network-weekly-report")
