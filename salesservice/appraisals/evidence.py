"""Compliance evidence of appraisal (issue 16 §4): KPI-3 — a monthly cycle for every month ended in the period;
KPI-4 — finalised appraisals carry the self, supervisor and customer evaluations; KPI-5 — each has its grade and
consequences recorded."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, evidence, rate

from .choices import AppraisalStatus, CycleKind
from .models import Appraisal, AppraisalCycle


@evidence("KPI-3")
def monthly_cycles_opened(period: Period) -> Evidence:
    """月度考核周期"""
    first = (
        AppraisalCycle.objects.filter(kind=CycleKind.MONTHLY)
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    if first is None:
        return Evidence.none("每月为上月开启月度考核", "系统尚未开启过月度考核")
    last = min(period.end, timezone.localdate())
    months, day = [], period.start
    while day <= last:
        if day.day == 1:  # the previous month's cycle opens on the 1st
            months.append((day - dt.timedelta(days=1)).replace(day=1))
        day += dt.timedelta(days=1)
    present = set(
        AppraisalCycle.objects.filter(kind=CycleKind.MONTHLY, period_start__in=months).values_list(
            "period_start", flat=True
        )
    )
    months = [month for month in months if month >= first]  # from the first cycle (go-live) on
    missing = [month for month in months if month not in present]
    url = reverse("appraisals:cycles")
    return rate(
        "每月为上月开启月度考核",
        good=len(months) - len(missing),
        total=len(months),
        noun="月",
        good_label="已开启",
        shortfalls=[(f"{month:%Y-%m}", url) for month in missing],
        records_url=url,
        note=f"自首个月度考核（{first:%Y-%m}）起计",
    )


def _finalised(period: Period):
    return Appraisal.objects.in_unit(period.unit).filter(
        status=AppraisalStatus.FINALISED, **period.during("finalised_at")
    )


def _links(queryset):
    rows = queryset.order_by("finalised_at").values("pk", "appraisee__display_name")[:20]
    return [(row["appraisee__display_name"], reverse("appraisals:appraisal-detail", args=[row["pk"]])) for row in rows]


@evidence("KPI-4")
def three_evaluations(period: Period) -> Evidence:
    """自评、上级评价、客户评价"""
    finalised = _finalised(period)
    incomplete = finalised.filter(
        Q(self_evaluated_at__isnull=True) | Q(evaluated_at__isnull=True) | Q(customer_score__isnull=True)
    )
    return rate(
        "定稿的考核有自评、上级评价和客户评价",
        good=finalised.count() - incomplete.count(),
        total=finalised.count(),
        noun="份",
        good_label="三方评价齐全",
        shortfalls=_links(incomplete),
        records_url=reverse("appraisals:cycles"),
    )


@evidence("KPI-5")
def grades_with_consequences(period: Period) -> Evidence:
    """考核结果与奖惩"""
    finalised = _finalised(period)
    missing = finalised.filter(Q(grade="") | Q(bonus_tier=""))
    return rate(
        "定稿的考核有等级与奖金档次",
        good=finalised.count() - missing.count(),
        total=finalised.count(),
        noun="份",
        good_label="结果已落实",
        shortfalls=_links(missing),
        records_url=reverse("appraisals:cycles"),
        extra=(
            Figure("建议晋升", finalised.filter(promotion_proposed=True).count(), "人"),
            Figure("安排针对性培训", finalised.filter(training_course__isnull=False).count(), "人"),
        ),
    )
