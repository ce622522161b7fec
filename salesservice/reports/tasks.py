"""The scheduled reports' beat jobs (issue 16 §2): thin and idempotent, calling `services.reports_generate` for the
period before `now` (default: the moment the job runs; tests pass a fixed clock)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from salesservice.core import context

from .choices import ReportKind


def _run(kind: str, now: dt.datetime | str | None) -> dict:
    from .services import reports_generate

    if isinstance(now, str):  # a clock passed through the broker arrives as ISO text
        now = dt.datetime.fromisoformat(now)
    token = context.activate(context.RequestContext(via="job"))
    try:
        result = reports_generate(kind=kind, now=now)
    finally:
        context.reset(token)
    return {"runs": [run.pk for run in result.runs], "failed": [run.pk for run in result.failed]}


@shared_task(name="reports.weekly_service", ignore_result=True)
def weekly_service(now=None) -> dict:
    """Mondays 07:00: the 周服务质量报告 of the previous ISO week, for the company, each region and each store."""
    return _run(ReportKind.WEEKLY_SERVICE, now)


@shared_task(name="reports.monthly_kpi", ignore_result=True)
def monthly_kpi(now=None) -> dict:
    """The 1st, 07:30: the 月度KPI考核汇总 of the previous month, for the company, each region and each store."""
    return _run(ReportKind.MONTHLY_KPI, now)


@shared_task(name="reports.monthly_management", ignore_result=True)
def monthly_management(now=None) -> dict:
    """The 1st, 08:00: the 月度经营管理报告 of the previous month, for the company and each region."""
    return _run(ReportKind.MONTHLY_MANAGEMENT, now)
