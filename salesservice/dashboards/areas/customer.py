"""客户闭环 — complaints by level and cause, the after-sales fund (balance, payouts), return handling time, follow-up
coverage of closed service requests (FBK-2, the coverage page's rule) and CSAT / NPS (FBK-4, feedback's own
`metrics`: CSAT = ratings ≥ 4 of 1–5, NPS = % 9–10 − % 0–6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from salesservice.complaints.choices import ComplaintLevel, EntryKind, ResponsibleParty
from salesservice.complaints.models import CompensationEntry, CompensationFund, Complaint
from salesservice.core.evidence import Period
from salesservice.feedback import metrics
from salesservice.feedback.choices import QuestionKind
from salesservice.feedback.models import FollowUp, SurveyAnswer
from salesservice.returns.models import ReturnRequest
from salesservice.service.choices import ServiceRequestStatus
from salesservice.service.models import ServiceRequest

from .base import (
    Breakdown,
    Column,
    answer,
    chart,
    choice_aggregates,
    grouped,
    grouped_total,
    in_unit,
    kpi,
    level_of,
    link,
    num,
    pct,
    store_param,
)

TITLE = "客户闭环"
TREND_MONTHS = 6


def _months_back(end: dt.date, months: int) -> dt.date:
    year, month = end.year, end.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def _answers(period: Period, start: dt.date, end: dt.date):
    since, until = Period(start, end).bounds
    answers = SurveyAnswer.objects.filter(
        kind__in=(QuestionKind.RATING, QuestionKind.NPS),
        response__submitted_at__gte=since,
        response__submitted_at__lt=until,
    )
    if period.unit is not None:
        answers = answers.filter(response__store__path__startswith=period.unit.path)
    return answers


def _closed_requests(period: Period):
    return in_unit(ServiceRequest.objects.all(), period.unit).filter(
        status=ServiceRequestStatus.CLOSED, **period.during("closed_at")
    )


def _followed_up(closed):
    """Completed follow-ups of the closed requests — counted from the follow-ups' side (a semi-join on the closed
    requests), not a correlated EXISTS per closed request (the FBK-2 evidence's lesson at 1 M requests)."""
    return FollowUp.objects.filter(completed_at__isnull=False, service_request__in=closed.values("pk"))


FOLLOWED = {"followed": Count("service_request", distinct=True)}
HANDLING = ExpressionWrapper(F("decided_at") - F("requested_at"), output_field=DurationField())


def _return_aggregates() -> dict:
    due = Q(handling_due_at__isnull=False) & (Q(decided_at__isnull=False) | Q(handling_due_at__lt=timezone.now()))
    late = Q(decided_at__gt=F("handling_due_at")) | Q(decided_at__isnull=True)
    return {
        "returns": Count("pk"),
        "decided": Count("pk", filter=Q(decided_at__isnull=False)),
        "sum_handling": Sum(HANDLING, filter=Q(decided_at__isnull=False)),
        "due": Count("pk", filter=due),
        "late": Count("pk", filter=due & late),
    }


def _hours(duration, count) -> float | None:
    if not count or duration is None:
        return None
    if not isinstance(duration, dt.timedelta):  # SQLite may answer microseconds
        duration = dt.timedelta(microseconds=int(duration))
    return num(duration.total_seconds() / 3600 / count)


def customer_data(period: Period) -> dict:
    where = {"received_after": period.start, "received_before": period.end, **store_param(period)}
    staff = level_of(period.unit) == "staff"
    complaints = in_unit(Complaint.objects.all(), period.unit).filter(**period.during("received_at"))
    cause_choices = [*ResponsibleParty.choices, ("", "未认定")]
    complaint_groups, complaint_figures = grouped_total(
        complaints,
        period,
        unit_field="store",
        staff_field="handler" if staff else None,
        total=Count("pk"),
        major=Count("pk", filter=Q(is_major=True)),
        **choice_aggregates("level", "level", ComplaintLevel.choices),
        **choice_aggregates("cause", "responsible_party", cause_choices),
    )
    levels, level_labels = [v for v, _ in ComplaintLevel.choices], [str(label) for _, label in ComplaintLevel.choices]
    level_counts = [complaint_figures[f"level_{value}"] for value in levels]
    causes, cause_labels = [v for v, _ in cause_choices], [str(label) for _, label in cause_choices]
    cause_counts = [complaint_figures[f"cause_{value}"] for value in causes]

    fund_balance = CompensationFund.objects.aggregate(total=Sum("balance"))["total"] or Decimal("0")
    entries = CompensationEntry.objects.filter(**period.during("created_at"))
    if period.unit is not None:
        entries = entries.filter(complaint__in=in_unit(Complaint.objects.all(), period.unit).values("pk"))
    payouts = entries.aggregate(
        count=Count("pk", filter=Q(kind=EntryKind.PAYOUT)),
        paid=Sum("amount", filter=Q(kind=EntryKind.PAYOUT)),
        recovered=Sum("amount", filter=Q(kind=EntryKind.RECOVERY)),
    )

    returns = in_unit(ReturnRequest.objects.all(), period.unit).filter(**period.during("requested_at"))
    return_groups, return_figures = grouped_total(
        returns, period, unit_field="store", staff_field="handler" if staff else None, **_return_aggregates()
    )
    return_url = link(
        "returns:returns", requested_after=period.start, requested_before=period.end, **store_param(period)
    )

    closed = _closed_requests(period)
    closed_groups, closed_total = grouped_total(
        closed, period, unit_field="store", staff_field="assignee" if staff else None, closed=Count("pk")
    )
    followed_groups, followed_total = grouped_total(
        _followed_up(closed),
        period,
        unit_field="service_request__store",
        staff_field="service_request__assignee" if staff else None,
        **FOLLOWED,
    )
    coverage = {"closed": closed_total["closed"], "followed": followed_total["followed"]}

    answers = _answers(period, period.start, period.end)
    overall = metrics.summarise(answers)
    trend_start = min(period.start, _months_back(period.end, TREND_MONTHS))
    trend = metrics.metrics_by(_answers(period, trend_start, period.end), "month")

    kpis = [
        kpi("complaints", "受理投诉", complaint_figures["total"], "件", link("complaints:complaints", **where)),
        kpi(
            "complaints_major",
            "重大投诉",
            complaint_figures["major"],
            "件",
            link("complaints:complaints", is_major="true", **where),
        ),
        kpi(
            "complaints_hq",
            "总部级处理投诉",
            level_counts[levels.index(ComplaintLevel.HQ)],
            "件",
            link("complaints:complaints", level=ComplaintLevel.HQ, **where),
        ),
        kpi("fund_balance", "售后基金余额（全公司）", float(fund_balance), "元", link("complaints:fund")),
        kpi(
            "fund_payouts",
            "先行赔付金额",
            float(payouts["paid"] or 0),
            "元",
            link("complaints:fund"),
            note=f"{payouts['count']} 笔",
        ),
        kpi("returns", "退换货申请", return_figures["returns"], "单", return_url),
        kpi(
            "return_handling_hours",
            "退换货平均审批用时",
            _hours(return_figures["sum_handling"], return_figures["decided"]),
            "小时",
            return_url,
            note=f"已审批 {return_figures['decided']} 单",
        ),
        kpi(
            "returns_on_time",
            "退换货按时处理率",
            pct(return_figures["due"] - return_figures["late"], return_figures["due"]),
            "%",
            return_url,
        ),
        kpi(
            "follow_up_coverage",
            "回访覆盖率",
            pct(coverage["followed"], coverage["closed"]),
            "%",
            link("feedback:coverage", start=period.start, end=period.end),
            note=f"结案 {coverage['closed']} 单，已回访 {coverage['followed']} 单",
        ),
        kpi(
            "csat",
            "客户满意度 CSAT",
            num(overall["csat"]["csat"]),
            "%",
            link("feedback:dashboard", start=period.start, end=period.end),
            note=f"评分 {overall['csat']['count']} 个",
        ),
        kpi(
            "nps",
            "净推荐值 NPS",
            num(overall["nps"]["nps"]),
            "",
            link("feedback:dashboard", start=period.start, end=period.end),
            note=f"NPS 答卷 {overall['nps']['count']} 个",
        ),
    ]
    charts = [
        chart(
            "complaints_by_level",
            "投诉处理级别",
            "bar",
            level_labels,
            [{"name": "投诉", "data": level_counts}],
            [link("complaints:complaints", level=value, **where) for value in levels],
        ),
        chart(
            "complaints_by_cause",
            "投诉责任方",
            "pie",
            cause_labels,
            [{"name": "投诉", "data": cause_counts}],
            [link("complaints:complaints", responsible_party=value, **where) if value else "" for value in causes],
        ),
        chart(
            "satisfaction_trend",
            "CSAT / NPS 趋势",
            "line",
            [row["label"] for row in trend],
            [
                {"name": "CSAT %", "data": [num(row["csat"]["csat"]) for row in trend]},
                {"name": "NPS", "data": [num(row["nps"]["nps"]) for row in trend]},
            ],
        ),
    ]

    columns = [
        Column("complaints", "投诉", "件"),
        Column("complaints_major", "重大投诉", "件"),
        Column("returns", "退换货", "单"),
        Column("returns_on_time", "退换货按时率", "%"),
        Column("follow_up_coverage", "回访覆盖率", "%"),
        Column("csat", "CSAT", "%"),
    ]
    breakdown = Breakdown(period, columns)
    breakdown.add(complaint_groups, lambda v: {"complaints": v["total"], "complaints_major": v["major"]})
    breakdown.add(
        return_groups, lambda v: {"returns": v["returns"], "returns_on_time": pct(v["due"] - v["late"], v["due"])}
    )
    for key, values in closed_groups.items():
        followed = followed_groups.get(key, {}).get("followed") or 0
        breakdown.values.setdefault(key, {})["follow_up_coverage"] = pct(followed, values["closed"])
    rating = Q(kind=QuestionKind.RATING)
    breakdown.add(
        grouped(
            answers,
            period,
            unit_field="response__store",
            staff_field="response__staff" if staff else None,
            ratings=Count("pk", filter=rating),
            satisfied=Count("pk", filter=rating & Q(score__gte=metrics.SATISFIED_MIN)),
        ),
        lambda v: {"csat": pct(v["satisfied"], v["ratings"])},
    )
    for row in breakdown.values.values():
        for key in ("complaints", "complaints_major", "returns"):
            row.setdefault(key, 0)
    return answer("customer", TITLE, period, kpis, charts, breakdown)
