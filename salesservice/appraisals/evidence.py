"""Compliance evidence of appraisal (issue 16 §4): KPI-3 — a monthly cycle for every month ended in the period;
KPI-4 — finalised appraisals carry the self, supervisor and customer evaluations; KPI-5 — each has its grade and
consequences recorded; KPI-1/KPI-2/KPI-6 — the period's appraisals carry the indicators the clause names (KPI lines
computed from the records when the cycle opened) and the judged attitude/ability; KPI-6 — every sales rep
appraised every month."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import (
    MET,
    SHORT,
    SHORTFALL_ROWS,
    Evidence,
    Figure,
    Period,
    RecordLink,
    evidence,
    rate,
)
from salesservice.core.models import Membership

from .choices import AppraisalStatus, CycleKind
from .metrics import METRICS
from .models import Appraisal, AppraisalCycle, KpiLine


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


# --- KPI-1, KPI-2, KPI-6: the indicators the clauses name, computed in the period's appraisals --------------


def _period_appraisals(period: Period, *, post: str | None = None, monthly: bool = False):
    """Appraisals of the unit in the cycles whose period ends inside the report's period."""
    appraisals = Appraisal.objects.in_unit(period.unit).filter(**period.dates("cycle__period_end"))
    if post:
        appraisals = appraisals.filter(post=post)
    if monthly:
        appraisals = appraisals.filter(cycle__kind=CycleKind.MONTHLY)
    return appraisals


def _coverage(period: Period, aspect: str, metrics: tuple[str, ...], **scope) -> Evidence:
    """The metrics `metrics` each appear as KPI lines of the period's appraisals (computed when the cycle opened);
    a metric no appraisal carries is listed. The lines with a value (records behind them) are shown per metric."""
    appraisals = _period_appraisals(period, **scope)
    total = appraisals.count()
    if not total:
        return Evidence.none(aspect, "本期无考核")
    rows = {
        row["metric"]: row
        for row in KpiLine.objects.filter(appraisal__in=appraisals, metric__in=metrics)
        .values("metric")
        .annotate(lines=Count("pk"), valued=Count("pk", filter=Q(value__isnull=False)))
    }
    missing = [metric for metric in metrics if metric not in rows]
    url = reverse("appraisals:kpis")
    figures = [Figure("考核份数", total, "份")]
    for metric in metrics:
        row = rows.get(metric, {"lines": 0, "valued": 0})
        figures.append(Figure(f"{METRICS[metric].label}（有数据/考核）", f"{row['valued']}/{row['lines']}", ""))
    return Evidence(
        aspect=aspect,
        status=SHORT if missing else MET,
        figures=tuple(figures),
        note="指标在考核开启时按记录计算并留存；无记录的指标行不计分",
        shortfalls=tuple(RecordLink(f"未考核：{METRICS[metric].label}", url) for metric in missing),
        shortfall_count=len(missing),
        records_url=reverse("appraisals:cycles"),
    )


def _judged(period: Period, aspect: str, fields: tuple[str, ...], **scope) -> Evidence:
    """The evaluated appraisals of the period carry the judged scores `fields` (attitude, ability)."""
    evaluated = _period_appraisals(period, **scope).filter(evaluated_at__isnull=False)
    missing = Q()
    for field in fields:
        missing |= Q(**{f"{field}__isnull": True})
    bad = evaluated.filter(missing)
    rows = bad.order_by("cycle__period_start", "pk").values("pk", "appraisee__display_name", "cycle__period_start")
    total, short = evaluated.count(), bad.count()
    return rate(
        aspect,
        good=total - short,
        total=total,
        noun="份",
        good_label="已评定",
        shortfalls=[
            (
                f"{row['appraisee__display_name']} {row['cycle__period_start']:%Y-%m}",
                reverse("appraisals:appraisal-detail", args=[row["pk"]]),
            )
            for row in rows[:SHORTFALL_ROWS]
        ],
        records_url=reverse("appraisals:cycles"),
    )


@evidence("KPI-1")
def kpi1_indicators(period: Period) -> Evidence:
    """客户满意度、销售、订单按时率、退换货成功率、投诉满意度"""
    return _coverage(
        period,
        "考核包含客户满意度、销售、订单按时交付率、退换货成功率、投诉处理满意度",
        ("csat", "sales_vs_plan", "order_on_time", "return_success", "complaint_satisfaction"),
    )


@evidence("KPI-2")
def kpi2_indicators(period: Period) -> Evidence:
    """服务质量、满意度、效率、培训"""
    return _coverage(
        period,
        "考核包含服务质量与效率（首次联系及时率）、满意度、培训完成率",
        ("sla_first_contact", "csat", "training_completion"),
    )


@evidence("KPI-2")
def kpi2_attitude_and_ability(period: Period) -> Evidence:
    """工作态度与工作能力评定"""
    return _judged(period, "上级评价评定了工作态度与工作能力", ("attitude_score", "ability_score"))


SALES_POST = "sales_rep"


@evidence("KPI-6")
def sales_staff_appraised_monthly(period: Period) -> Evidence:
    """销售人员每月考核"""
    aspect = "销售人员每月都有考核"
    cycles = list(
        AppraisalCycle.objects.filter(kind=CycleKind.MONTHLY, **period.dates("period_end"))
        .order_by("period_start")
        .values_list("pk", "period_start", "period_end")
    )
    members = Membership.objects.filter(role__name=SALES_POST, user__is_active=True)
    if period.unit is not None:
        members = members.filter(org_unit__path__startswith=period.unit.path)
    reps = dict(members.values_list("user_id", "user__date_joined").distinct())
    names = dict(members.values_list("user_id", "user__display_name").distinct())
    if not cycles or not reps:
        return Evidence.none(aspect, "本期无月度考核或无销售人员")
    appraised = set(
        Appraisal.objects.filter(cycle_id__in=[pk for pk, _s, _e in cycles], appraisee_id__in=reps).values_list(
            "cycle_id", "appraisee_id"
        )
    )
    # on the roll from the day joined, or from the first month appraised when that is earlier (imported staff)
    first_appraised = dict(
        Appraisal.objects.filter(appraisee_id__in=reps)
        .values("appraisee_id")
        .annotate(first=Min("cycle__period_start"))
        .values_list("appraisee_id", "first")
    )
    since = {
        user_id: min(filter(None, (timezone.localdate(joined), first_appraised.get(user_id))))
        for user_id, joined in reps.items()
    }
    due, missing = 0, []
    for cycle_id, start, end in cycles:
        for user_id in reps:
            if since[user_id] > end:
                continue  # not yet with the company that month
            due += 1
            if (cycle_id, user_id) not in appraised:
                missing.append((f"{names[user_id]} {start:%Y-%m}", reverse("appraisals:cycle-detail", args=[cycle_id])))
    return rate(
        aspect,
        good=due - len(missing),
        total=due,
        noun="人·月",
        good_label="已考核",
        shortfalls=missing,
        records_url=reverse("appraisals:cycles"),
        note="按本期结束的月度考核周期与在职销售人员（自入职或首次考核起）计",
    )


@evidence("KPI-6")
def sales_staff_indicators(period: Period) -> Evidence:
    """销售人员考核指标：投诉、及时性与效率、业绩"""
    return _coverage(
        period,
        "销售人员月度考核包含投诉处理、订单按时交付（及时性与效率）、销售业绩",
        ("complaint_satisfaction", "order_on_time", "sales_vs_plan"),
        post=SALES_POST,
        monthly=True,
    )


@evidence("KPI-6")
def sales_staff_attitude(period: Period) -> Evidence:
    """销售人员服务态度评定"""
    return _judged(period, "销售人员月度考核评定了服务态度", ("attitude_score",), post=SALES_POST, monthly=True)
