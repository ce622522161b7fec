"""NET-1 / NET-2: the weekly service quality report every Monday and the monthly roll-up on the 1st, produced by
the scheduler's jobs with a fixed clock: the cases of the period by evaluation item, month and cumulative counts,
the ladder's proposal and the notices; archived once per period; each reader sees the providers of their scope;
printable; read through the API."""

import datetime as dt

import pytest

from salesservice.core.models import Notification
from salesservice.core.registry import periodic_tasks

from .. import services, tasks
from ..choices import ProviderStatus as S
from ..models import ProviderReport
from ..reports import monthly_period, weekly_period
from .factories import ProviderFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 16)  # a fixed Monday in the past: the report covers 2026-11-09 … 2026-11-15


def _next_monday() -> dt.date:
    from django.utils import timezone

    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def _case(users, provider, day, item, text):
    return services.violation_record(
        actor=users["hq_service_manager"], provider_id=provider.pk, occurred_on=day, item=item, description=text
    )


def test_the_jobs_are_scheduled_monday_and_the_first():
    """NET-1 every Monday, NET-2 on the 1st (the beat schedule comes from the app registry)."""
    by_name = {task.task: task for task in periodic_tasks()}
    weekly, monthly = by_name["network.weekly_report"], by_name["network.monthly_rollup"]
    assert weekly.schedule.day_of_week == {1} and monthly.schedule.day_of_month == {1}


def test_periods():
    assert weekly_period(MONDAY) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert weekly_period(dt.date(2026, 11, 18)) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert monthly_period(dt.date(2026, 12, 1)) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert monthly_period(dt.date(2026, 1, 1)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def test_weekly_report_on_monday(users, demo):
    """NET-1: the week's cases by item, the month's and cumulative counts, the ladder's proposal and notices; the
    managers are told; a second run (a retried job) returns the archived report unchanged."""
    late = ProviderFactory(org_unit=demo["sh-xuhui"], name="迟到网点")
    ProviderFactory(org_unit=demo["gz-tianhe"], name="无投诉网点")
    _case(users, late, dt.date(2026, 11, 3), "punctuality", "上周迟到")  # the week before: month and cumulative only
    _case(users, late, dt.date(2026, 11, 10), "punctuality", "上门迟到 2 小时")
    _case(users, late, dt.date(2026, 11, 12), "cleanliness", "未清理现场")
    report = ProviderReport.objects.get(pk=tasks.weekly_report(today=MONDAY))
    assert (report.kind, report.period_start, report.period_end) == (
        "weekly",
        dt.date(2026, 11, 9),
        dt.date(2026, 11, 15),
    )
    rows = {row["name"]: row for row in report.rows}
    row = rows["迟到网点"]
    assert row["cases"] == 2 and row["by_item"] == {"punctuality": 1, "cleanliness": 1}
    assert row["month_count"] == 3 and row["cumulative"] == 3
    assert row["status"] == S.DISPATCH_STOPPED  # three in November: the ladder stopped it (NET-3)
    assert row["notices"] == []  # the notices were issued today, not in that week
    assert [c["description"] for c in row["case_list"]] == ["上门迟到 2 小时", "未清理现场"]
    assert rows["无投诉网点"]["cases"] == 0
    assert report.totals["cases"] == 2 and report.totals["stopped"] == 1
    assert Notification.objects.filter(recipient=users["hq_service_manager"], kind="network.report").count() == 1
    assert tasks.weekly_report(today=MONDAY) == report.pk
    assert ProviderReport.objects.count() == 1
    assert Notification.objects.filter(kind="network.report", recipient=users["hq_service_manager"]).count() == 1
    # the report of the current week (run next Monday) lists the notices issued today, in ladder order
    this_week = ProviderReport.objects.get(pk=tasks.weekly_report(today=_next_monday()))
    (row,) = [row for row in this_week.rows if row["provider"] == late.pk]
    assert sorted(n["rung"] for n in row["notices"]) == sorted(["warned", "rectifying", "dispatch_stopped"])


def test_monthly_rollup_on_the_first_against_the_evaluation_items(users, demo):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    _case(users, provider, dt.date(2026, 11, 2), "attitude", "态度生硬")
    _case(users, provider, dt.date(2026, 11, 19), "charging", "乱收费")
    report = ProviderReport.objects.get(pk=tasks.monthly_rollup(today=dt.date(2026, 12, 1)))
    assert (report.kind, report.period_start, report.period_end) == (
        "monthly",
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
    )
    (row,) = [row for row in report.rows if row["provider"] == provider.pk]
    assert row["by_item"] == {"attitude": 1, "charging": 1} and "case_list" not in row
    assert report.totals["by_item"] == {"attitude": 1, "charging": 1}


def test_rows_are_scoped_and_the_report_reads_through_page_api_and_pdf(users, demo, api_for, web_for):
    """INF-1: a region manager of 华东 sees the Xuhui provider's row, not Tianhe's; the page, the PDF and the API."""
    east = ProviderFactory(org_unit=demo["sh-xuhui"], name="徐汇网点")
    south = ProviderFactory(org_unit=demo["gz-tianhe"], name="天河网点")
    _case(users, east, dt.date(2026, 11, 10), "workmanship", "安装不牢固")
    _case(users, south, dt.date(2026, 11, 11), "conduct", "擅自使用顾客设备")
    report = ProviderReport.objects.get(pk=tasks.weekly_report(today=MONDAY))
    body = api_for("east_manager").get(f"/api/v1/provider-reports/{report.pk}/").json()
    assert [row["name"] for row in body["rows"]] == ["徐汇网点"]
    listed = api_for("hq_service_manager").get("/api/v1/provider-reports/", {"kind": "weekly"}).json()
    assert [r["id"] for r in listed["results"]] == [report.pk]
    assert api_for("xuhui_engineer").get("/api/v1/provider-reports/").status_code == 403
    page = web_for("east_manager").get(f"/network/reports/{report.pk}/").content.decode()
    assert "徐汇网点" in page and "天河网点" not in page and "安装维修质量" in page
    pdf = web_for("hq_service_manager").get(f"/network/reports/{report.pk}/print/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert web_for("hq_service_manager").get("/network/reports/").status_code == 200
