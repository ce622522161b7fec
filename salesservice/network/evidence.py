"""Compliance evidence of the outsourced network (issue 16 §4): NET-1 — a weekly service quality report for every
Monday of the period; NET-2 — a monthly roll-up for every month ended in it. The reports are company-wide (rows per
provider); a unit's report counts the same archive."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, evidence, rate

from .choices import ReportKind
from .models import ProviderReport


def _expected(period: Period, kind: str) -> list[dt.date]:
    """The period ends the reports of `kind` due in `period` (up to today) must have."""
    last = min(period.end, timezone.localdate())
    day, ends = period.start, []
    while day <= last:
        if kind == ReportKind.WEEKLY and day.weekday() == 0:  # Monday: the week before
            ends.append(day - dt.timedelta(days=1))
        if kind == ReportKind.MONTHLY and day.day == 1:  # the 1st: the month before
            ends.append(day - dt.timedelta(days=1))
        day += dt.timedelta(days=1)
    return ends


def _archive(period: Period, kind: str, aspect: str, noun: str) -> Evidence:
    first = ProviderReport.objects.filter(kind=kind).order_by("period_end").values_list("period_end", flat=True).first()
    if first is None:
        return Evidence.none(aspect, "系统尚未生成过此类报告")
    # counted from the first report archived (the scheduler's go-live); every due one after it must exist
    expected = [end for end in _expected(period, kind) if end >= first]
    present = set(
        ProviderReport.objects.filter(kind=kind, period_end__in=expected).values_list("period_end", flat=True)
    )
    missing = [end for end in expected if end not in present]
    url = reverse("network:reports") + f"?kind={kind}"
    return rate(
        aspect,
        good=len(expected) - len(missing),
        total=len(expected),
        noun=noun,
        good_label="已生成",
        shortfalls=[(f"截至 {end:%Y-%m-%d}", url) for end in missing],
        records_url=url,
        extra=(Figure("本期报告", len(present), "份"),),
        note=f"自首份报告（截至 {first:%Y-%m-%d}）起计",
    )


@evidence("NET-1")
def weekly_reports_every_monday(period: Period) -> Evidence:
    """每周一的服务质量周报"""
    return _archive(period, ReportKind.WEEKLY, "每周一生成上周服务质量周报", "周")


@evidence("NET-2")
def monthly_rollups(period: Period) -> Evidence:
    """月度汇总"""
    return _archive(period, ReportKind.MONTHLY, "每月 1 日生成上月汇总", "月")
