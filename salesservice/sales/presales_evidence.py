"""Compliance evidence of the pre-sales part (issue 16 §4), imported by `sales.evidence`:

- PRE-2 — the product claims QA decided in the period were decided by someone other than their author, and each
  approved one names what it rests on (registration certificate, test report …); company-wide (claims belong to
  no unit).
- PRE-3 — every contract signed in the period had the customer's needs confirmed before: on the inquiry it came
  from (`needs_confirmed`) or by the passed “顾客要求明确” item of the contract review of the signed revision.
- SAL-4 — the annual plans of the period's years: complete (company target, 12 monthly targets, approved by
  someone other than their author); and the actual sales of the complete months of the period against the
  plans' monthly targets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import SHORTFALL_ROWS, Evidence, Figure, Period, evidence, rate

from .choices import ClaimStatus, ContractStatus, ReviewItem, ReviewResult
from .models import Contract, ContractReview, ProductClaim, SalesOrder, SalesPlan
from .presales_selectors import NOT_SALES

IN_FORCE = (ContractStatus.SIGNED, ContractStatus.EXECUTING, ContractStatus.COMPLETED)


@evidence("PRE-2")
def claims_decided_by_qa(period: Period) -> Evidence:
    """产品宣传用语经质量部审核"""
    aspect = "宣传用语经质量部审核（审核人非提交人），批准的写明依据"
    if period.unit is not None:
        return Evidence.none(aspect, "宣传用语由质量部全公司统一审核，只在全公司口径统计")
    decided = ProductClaim.objects.filter(**period.during("decided_at"))
    # withdrawn with a decision time: it was approved before it was withdrawn (withdrawing sets no decision)
    approved = Q(status__in=(ClaimStatus.APPROVED, ClaimStatus.WITHDRAWN))
    bad = decided.filter(
        Q(decided_by__isnull=True)
        | Q(decided_by=F("submitted_by"))
        | (approved & Q(evidence=""))
        | Q(status=ClaimStatus.REJECTED, decision_note="")
    )
    total = decided.count()
    bad_count = bad.count() if total else 0
    rows = bad.order_by("decided_at", "id").values("pk", "text")[:SHORTFALL_ROWS] if bad_count else []
    return rate(
        aspect,
        good=total - bad_count,
        total=total,
        noun="条",
        good_label="审核记录完整",
        shortfalls=[(row["text"][:30], reverse("sales:productclaim-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("sales:productclaims"),
        extra=(Figure("其中批准", decided.filter(approved).count() if total else 0, "条"),),
        note="报价单与页面只展示已批准的宣传用语（系统强制）；本项统计本期质量部的审核记录",
    )


@evidence("PRE-3")
def needs_confirmed_before_contract(period: Period) -> Evidence:
    """签订合同前确认顾客需求"""
    signed = Contract.objects.in_unit(period.unit).filter(status__in=IN_FORCE, **period.dates("signed_on"))
    via_inquiry = Q(quotation__inquiry__needs_confirmed=True)
    via_review = Exists(
        ContractReview.objects.filter(
            contract=OuterRef("pk"),
            revision=OuterRef("revision"),
            item=ReviewItem.REQUIREMENTS,
            result=ReviewResult.PASS,
        )
    )
    counts = signed.aggregate(
        total=Count("pk"),
        good=Count("pk", filter=via_inquiry | Q(via_review)),
        inquiry=Count("pk", filter=via_inquiry),
    )
    missing = counts["total"] - counts["good"]
    rows = (
        signed.exclude(via_inquiry)
        .filter(~via_review)
        .order_by("signed_on", "id")
        .values("pk", "number")[:SHORTFALL_ROWS]
        if missing
        else []
    )
    return rate(
        "签订的合同签订前已确认顾客需求（咨询中确认，或合同评审“顾客要求明确”通过）",
        good=counts["good"],
        total=counts["total"],
        noun="份",
        good_label="需求已确认",
        shortfalls=[(row["number"], reverse("sales:contract-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("sales:contracts") + f"?signed_after={period.start}&signed_before={period.end}",
        extra=(Figure("其中咨询中确认", counts["inquiry"], "份"),),
    )


def _plans(period: Period):
    return SalesPlan.objects.in_unit(period.unit).filter(year__gte=period.start.year, year__lte=period.end.year)


def _plans_url(period: Period) -> str:
    url = reverse("sales:salesplans")
    if period.start.year == period.end.year:
        url += f"?year={period.start.year}"
    return url


@evidence("SAL-4")
def annual_plans_complete(period: Period) -> Evidence:
    """年度销售计划依据上年实际与公司目标编制并经批准"""
    plans = _plans(period).annotate(month_count=Count("months"))
    incomplete = (
        Q(company_target__lte=0)
        | Q(month_count__lt=12)
        | Q(approved_at__isnull=True)
        | Q(approved_by__isnull=True)
        | Q(approved_by=F("created_by"))
    )
    total = plans.count()
    short = plans.filter(incomplete)
    short_count = short.count() if total else 0
    rows = (
        short.order_by("year", "org_unit__path").values("pk", "year", "org_unit__name")[:SHORTFALL_ROWS]
        if short_count
        else []
    )
    return rate(
        "年度销售计划齐全（公司下达目标、12 个月度目标，经非编制人批准）",
        good=total - short_count,
        total=total,
        noun="份",
        good_label="计划完整并已批准",
        shortfalls=[
            (f"{row['org_unit__name']} {row['year']}", reverse("sales:salesplan-detail", args=[row["pk"]]))
            for row in rows
        ],
        records_url=_plans_url(period),
        note="上年实际由订单自动计算；哪些单位须编制计划无规则，未编制的单位不计入",
    )


def _complete_months(period: Period) -> list[tuple[int, int]]:
    """(year, month) of the months wholly inside the period and already over."""
    months = []
    today = timezone.localdate()
    day = period.start.replace(day=1)
    while day <= period.end:
        following = (day + dt.timedelta(days=32)).replace(day=1)
        last = following - dt.timedelta(days=1)
        if day >= period.start and last <= period.end and last < today:
            months.append((day.year, day.month))
        day = following
    return months


@evidence("SAL-4")
def plans_met(period: Period) -> Evidence:
    """依照年度销售计划执行：实际销售对月度目标"""
    from .models import SalesPlanMonth

    aspect = "计划执行：本期完整月份的实际销售额达到月度目标"
    months = _complete_months(period)
    if not months:
        return Evidence.none(aspect, "本期没有已结束的完整月份")
    years = sorted({year for year, _ in months})
    plans = {
        row["pk"]: row
        for row in _plans(period)
        .filter(year__in=years, approved_at__isnull=False)
        .values("pk", "year", "org_unit__path", "org_unit__name")
    }
    if not plans:
        return Evidence.none(aspect, "本期无已批准的年度销售计划")
    wanted = set(months)
    targets: dict[int, Decimal] = defaultdict(Decimal)
    for row in SalesPlanMonth.objects.filter(plan_id__in=plans).values("plan_id", "month", "target"):
        if (plans[row["plan_id"]]["year"], row["month"]) in wanted:
            targets[row["plan_id"]] += row["target"]
    # actual sales of the months, by unit path (one grouped query), summed into each plan's subtree below
    start = dt.date(*months[0], 1)
    last_year, last_month = months[-1]
    end = (dt.date(last_year, last_month, 1) + dt.timedelta(days=32)).replace(day=1)
    sales = (
        SalesOrder.objects.in_unit(period.unit)
        .filter(order_date__gte=start, order_date__lt=end)
        .exclude(status__in=NOT_SALES)
        .annotate(y=ExtractYear("order_date"), m=ExtractMonth("order_date"))
        .values("org_unit__path", "y", "m")
        .annotate(total=Sum("total"))
    )
    actual: dict[int, Decimal] = defaultdict(Decimal)
    for row in sales:
        if (row["y"], row["m"]) not in wanted:
            continue
        for pk, plan in plans.items():
            if plan["year"] == row["y"] and row["org_unit__path"].startswith(plan["org_unit__path"]):
                actual[pk] += row["total"] or Decimal("0")
    short = [pk for pk in plans if actual[pk] < targets[pk]]
    ordered = sorted(short, key=lambda pk: (plans[pk]["year"], plans[pk]["org_unit__path"]))
    return rate(
        aspect,
        good=len(plans) - len(short),
        total=len(plans),
        noun="份",
        good_label="达到目标",
        shortfalls=[
            (
                f"{plans[pk]['org_unit__name']} {plans[pk]['year']}：实际 {actual[pk]} / 目标 {targets[pk]} 元",
                reverse("sales:salesplan-detail", args=[pk]),
            )
            for pk in ordered
        ],
        records_url=_plans_url(period),
        extra=(
            Figure("完整月份", len(months), "个"),
            Figure("计划目标合计", sum(targets.values(), Decimal("0")), "元"),
            Figure("实际销售合计", sum((actual[pk] for pk in plans), Decimal("0")), "元"),
        ),
        note="只计已批准的计划与已结束的完整月份；实际为订单金额（草稿、取消除外）",
    )
