"""Issue 16 §2: the 周服务质量报告 produced by the Monday job with a fixed clock — the previous ISO week, for the
company, each region and each store; figures equal to the records; a rerun adds nothing; the right recipients."""

import datetime as dt

import pytest

from salesservice.complaints.tests.factories import make_complaint
from salesservice.core.models import Notification
from salesservice.service.models import Escalation, ServiceRequest
from salesservice.service.tests.factories import make_request

from .. import tasks
from ..choices import ReportKind, RunOutcome
from ..kinds import previous_month, previous_week
from ..models import ReportDelivery, ReportRun
from .conftest import MONDAY, at

pytestmark = pytest.mark.django_db


def _figures(run) -> dict:
    return {item["key"]: item["value"] for item in run.figures["summary"]}


@pytest.fixture
def week(demo):
    """Last week (2026-11-23 … 29): two requests in 徐汇 (one contacted on time and resolved in 5 h, one contacted
    late and escalated), one in 天河 never contacted; one the week before; a complaint in 徐汇."""
    on_time = make_request(received_at=at(24, 10))
    ServiceRequest.objects.filter(pk=on_time.pk).update(first_contacted_at=at(24, 11), resolved_at=at(24, 15))
    late = make_request(received_at=at(25, 10))
    late.refresh_from_db()
    ServiceRequest.objects.filter(pk=late.pk).update(
        first_contacted_at=late.first_contact_due_at + dt.timedelta(hours=1)
    )
    Escalation.objects.create(
        request=late, from_level=0, to_level=1, due_at=at(26, 9), at=at(26, 9), next_due_at=at(27, 9)
    )
    make_request(actor="tianhe_cs", store_code="gz-tianhe", received_at=at(26, 9))
    make_request(received_at=at(20, 9))  # the week before
    make_complaint(received_at=at(27, 14))
    return demo


def test_periods():
    assert previous_week(dt.date(2026, 11, 30)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert previous_week(dt.date(2026, 12, 2)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert previous_month(dt.date(2026, 12, 1)) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert previous_month(dt.date(2026, 1, 1)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def test_monday_job_reports_last_week_for_company_regions_and_stores(week, users):
    result = tasks.weekly_service(now=MONDAY)
    assert result["failed"] == []
    runs = ReportRun.objects.filter(kind=ReportKind.WEEKLY_SERVICE)
    assert runs.count() == 7  # company, 华东区, 华南区 and four stores
    assert {(r.period_start, r.period_end) for r in runs} == {(dt.date(2026, 11, 23), dt.date(2026, 11, 29))}
    assert all(r.outcome == RunOutcome.DONE and r.as_of == MONDAY for r in runs)

    company = _figures(runs.get(org_unit=None))
    assert company["received"] == 3
    assert company["first_contact_on_time"] == 33.3  # 1 of 3
    assert company["resolved_24h"] == 33.3
    assert company["escalations"] == 1 and company["complaints"] == 1
    assert company["backlog"] == 4  # all four are still open (the one of the week before too)
    xuhui = _figures(runs.get(org_unit=week["sh-xuhui"]))
    assert (xuhui["received"], xuhui["first_contact_on_time"], xuhui["resolved_24h"]) == (2, 50.0, 50.0)
    assert xuhui["escalations"] == 1 and xuhui["complaints"] == 1 and xuhui["backlog"] == 3
    assert _figures(runs.get(org_unit=week["east"]))["received"] == 2
    tianhe = _figures(runs.get(org_unit=week["gz-tianhe"]))
    assert (tianhe["received"], tianhe["first_contact_on_time"], tianhe["complaints"]) == (1, 0.0, 0)
    xihu = _figures(runs.get(org_unit=week["hz-xihu"]))
    assert xihu["received"] == 0 and xihu["first_contact_on_time"] is None  # no data, not 0 %
    channels = {row[0]: row[1] for row in runs.get(org_unit=None).figures["sections"][0]["rows"]}
    assert channels["400热线"] == 3


def test_rerun_adds_no_report_and_no_notification(week):
    first = tasks.weekly_service(now=MONDAY)
    notifications = Notification.objects.filter(kind="reports.run").count()
    again = tasks.weekly_service(now=MONDAY + dt.timedelta(hours=2))
    assert sorted(again["runs"]) == sorted(first["runs"])
    assert ReportRun.objects.count() == 7
    assert Notification.objects.filter(kind="reports.run").count() == notifications
    assert ReportDelivery.objects.count() == notifications


def test_recipients_are_the_managers_of_each_unit(week, users):
    tasks.weekly_service(now=MONDAY)

    def recipients(unit):
        run = ReportRun.objects.get(kind=ReportKind.WEEKLY_SERVICE, org_unit=unit)
        return set(run.deliveries.values_list("recipient__username", flat=True))

    assert recipients(None) == {"hq_service_manager", "gm"}
    assert recipients(week["east"]) == {"east_manager"}
    assert recipients(week["sh-xuhui"]) == {"xuhui_manager"}
    assert recipients(week["gz-tianhe"]) == set()  # no store manager there in the demo org
    store_run = ReportRun.objects.get(kind=ReportKind.WEEKLY_SERVICE, org_unit=week["sh-xuhui"])
    note = Notification.objects.get(recipient=users["xuhui_manager"], kind="reports.run")
    assert note.url == f"/reports/scheduled/{store_run.pk}/"
    for outsider in ("xuhui_cs", "tianhe_cs", "hr_trainer", "auditor"):
        assert not Notification.objects.filter(recipient=users[outsider], kind="reports.run").exists()


def test_one_unit_failing_does_not_stop_the_others(week, monkeypatch):
    from .. import kinds

    original = kinds.KINDS[ReportKind.WEEKLY_SERVICE].compute

    def broken_for_tianhe(period, now):
        if period.unit is not None and period.unit.code == "gz-tianhe":
            raise RuntimeError("天河数据源故障")
        return original(period, now)

    spec = kinds.KINDS[ReportKind.WEEKLY_SERVICE]
    monkeypatch.setitem(
        kinds.KINDS, ReportKind.WEEKLY_SERVICE, type(spec)(**{**spec.__dict__, "compute": broken_for_tianhe})
    )
    result = tasks.weekly_service(now=MONDAY)
    assert len(result["runs"]) == 6 and len(result["failed"]) == 1
    failed = ReportRun.objects.get(pk=result["failed"][0])
    assert failed.outcome == RunOutcome.FAILED and "天河数据源故障" in failed.error and not failed.pdf
    monkeypatch.undo()
    retried = tasks.weekly_service(now=MONDAY)  # the next run retries the failed unit only
    assert retried["failed"] == []
    failed.refresh_from_db()
    assert failed.outcome == RunOutcome.DONE and failed.pdf and failed.error == ""
    assert ReportRun.objects.count() == 7


def test_jobs_are_in_the_beat_schedule():
    from celery.schedules import crontab

    from salesservice.celery import app
    from salesservice.core.registry import periodic_tasks

    by_task = {task.task: task for task in periodic_tasks()}
    weekly, kpi, management = (by_task[f"reports.{n}"] for n in ("weekly_service", "monthly_kpi", "monthly_management"))
    assert weekly.schedule == crontab(day_of_week=1, hour=7, minute=0)
    assert kpi.schedule == crontab(day_of_month=1, hour=7, minute=30)
    assert management.schedule == crontab(day_of_month=1, hour=8, minute=0)
    app.loader.import_default_modules()
    app.finalize()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"reports.weekly_service", "reports.monthly_kpi", "reports.monthly_management"} <= scheduled
