"""Issue 16 §2 in the browser: the Monday job has produced last week's 周服务质量报告; 徐汇's store manager opens the
archive (only their store's report), reads it, downloads the Excel (it appears in the download history), and
generates last month's KPI pack with 「立即生成」 after confirming."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import shot
from tests.browser.test_shell import login

MONDAY = dt.datetime(2026, 11, 30, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_store_manager_reads_downloads_and_generates(demo_site, page):
    from salesservice.reports import tasks
    from salesservice.reports.models import ReportDownload, ReportRun

    base = demo_site.url
    tasks.weekly_service(now=MONDAY)
    own = ReportRun.objects.get(kind="weekly_service", org_unit__code="sh-xuhui")

    login(page, base, "xuhui_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/reports/scheduled/")
    table = page.inner_text("table")
    assert "上海徐汇店" in table and "广州天河店" not in table and "全公司" not in table
    shot(page, "reports-archive")

    page.click(f"a[href='/reports/scheduled/{own.pk}/']")
    page.wait_for_selector("#report-summary")
    assert "受理服务请求" in page.inner_text("#report-summary")
    assert "张徐汇" in page.inner_text("#deliveries")
    with page.expect_download() as download:
        page.click("#download-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.reload()
    assert "Excel" in page.inner_text("#downloads")
    assert ReportDownload.objects.filter(run=own, user__username="xuhui_manager", fmt="xlsx").count() == 1
    shot(page, "reports-detail")

    page.goto(f"{base}/reports/scheduled/generate/")
    page.select_option("#id_kind", "monthly_kpi")
    page.fill("#id_date", "2026-12-01")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#generate-button")
    page.wait_for_selector("#report-summary")
    run = ReportRun.objects.get(kind="monthly_kpi")
    assert page.url.endswith(f"/reports/scheduled/{run.pk}/")
    assert (run.org_unit.code, str(run.period_start)) == ("sh-xuhui", "2026-11-01")
    assert "等级分布" in page.inner_text("body")
    shot(page, "reports-generated")
