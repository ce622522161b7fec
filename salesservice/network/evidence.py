"""Compliance evidence of the outsourced network (issue 16 §4): NET-1 — a weekly service quality report for every
Monday of the period; NET-2 — a monthly roll-up for every month ended in it. The reports are company-wide (rows per
provider); a unit's report counts the same archive. NET-3 — every provider-month whose violation count reaches a rung
of `network.violation_ladder` has that rung's notice (or a higher one still in force); NET-4 — technicians past
`network.failed_quarters_to_stop` failed quarters are stopped, those failing again after the stop have the contract
end proposed, and each provider's quarterly pass rate reaches `network.training_pass_rate_min`; NET-5 — every
provider of the unit has a submitted evaluation covering each quarter ended in the period."""

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.choices import EventType as CoreEventType
from salesservice.core.evidence import (
    SHORTFALL_ROWS,
    Evidence,
    Figure,
    Period,
    evidence,
    none_violating,
    percent,
    rate,
)
from salesservice.core.exceptions import DomainError
from salesservice.core.models import Event
from salesservice.core.policy import policy_value

from .choices import EvaluationStatus, EventType, ProviderStatus, ReportKind, TechnicianStatus
from .models import (
    ProviderEvaluation,
    ProviderReport,
    ProviderSanction,
    ProviderViolation,
    ServiceProvider,
    TechnicianTraining,
)
from .training import quarter_bounds, quarter_of
from .workflows import LADDER


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


def _policy(key: str, period: Period):
    """The parameter in force at the period's end (now for a period not yet over); the value in force now when the
    period predates every value."""
    try:
        return policy_value(key, min(period.bounds[1], timezone.now()))
    except DomainError:
        return policy_value(key)


# --- NET-3: the sanction ladder by the month's violation count ------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@evidence("NET-3")
def violations_sanctioned(period: Period) -> Evidence:
    """违规达到处理阶梯的网点已按阶梯处理"""
    aspect = "当月违规次数达到处理阶梯的网点已签发相应处理通知"
    providers = ServiceProvider.objects.in_unit(period.unit)
    in_period = ProviderViolation.objects.filter(provider__in=providers, **period.dates("occurred_on"))
    # the ladder counts whole calendar months: every violation of a month that has one in the period
    first, last = _month_start(period.start), _next_month(period.end)
    rows = list(
        ProviderViolation.objects.filter(
            provider__in=providers.filter(pk__in=in_period.values("provider_id")), occurred_on__gte=first
        )
        .filter(occurred_on__lt=last)
        .values_list("provider_id", "provider__name", "occurred_on", "recorded_at")
    )
    months: dict[tuple[int, dt.date], dict] = {}
    for provider_id, name, occurred_on, recorded_at in rows:
        month = _month_start(occurred_on)
        entry = months.setdefault((provider_id, month), {"name": name, "count": 0, "in_period": False, "last": None})
        entry["count"] += 1
        entry["in_period"] |= period.start <= occurred_on <= period.end
        entry["last"] = max(entry["last"] or recorded_at, recorded_at)
    months = {key: entry for key, entry in months.items() if entry["in_period"]}
    if not months:
        return Evidence.none(aspect, "本期无网点违规记录")
    ladder = _policy("network.violation_ladder", period) or {}
    rank = {status: index for index, status in enumerate(LADDER)}
    provider_ids = {provider_id for provider_id, _month in months}
    sanctions: dict[int, list] = {}
    for provider_id, rung, month, issued_at in ProviderSanction.objects.filter(
        provider_id__in=provider_ids, month__lt=last
    ).values_list("provider_id", "rung", "month", "issued_at"):
        sanctions.setdefault(provider_id, []).append((rank.get(rung, 0), month, issued_at))
    restored: dict[int, list] = {}
    for target_id, at in Event.objects.filter(
        target_type=ContentType.objects.get_for_model(ServiceProvider),
        target_id__in=[str(pk) for pk in provider_ids],
        event_type=CoreEventType.STATUS_CHANGED,
        new__status=ProviderStatus.ACTIVE,
    ).values_list("target_id", "created_at"):
        restored.setdefault(int(target_id), []).append(at)

    def covered(provider_id, month, entry, needed) -> bool:
        for level, sanction_month, issued_at in sanctions.get(provider_id, []):
            if level < needed or sanction_month > month:
                continue
            if sanction_month == month:
                return True
            # an earlier rung still in force: not restored to 正常 between its notice and the month's violations
            if not any(issued_at < at <= entry["last"] for at in restored.get(provider_id, [])):
                return True
        return False

    missing = []
    for (provider_id, month), entry in sorted(months.items(), key=lambda item: (item[0][1], item[1]["name"])):
        reached = None
        for status in LADDER[1:]:
            threshold = ladder.get(status)
            if threshold is not None and entry["count"] >= int(threshold):
                reached = status
        if reached and not covered(provider_id, month, entry, rank[reached]):
            label = f"{entry['name']} {month:%Y-%m} 违规 {entry['count']} 次，应{ProviderStatus(reached).label}"
            missing.append((label, reverse("network:provider-case-file", args=[provider_id])))
    url = reverse("network:providers") + (f"?org_unit={period.unit.pk}" if period.unit else "")
    return none_violating(
        aspect,
        checked=len(months),
        violations=missing[:SHORTFALL_ROWS],
        violation_count=len(missing),
        noun="网点·月",
        records_url=url,
        extra=(
            Figure("本期违规", in_period.count(), "次"),
            Figure(
                "本期处理通知",
                ProviderSanction.objects.filter(provider__in=providers, **period.during("issued_at")).count(),
                "份",
            ),
        ),
    )


# --- NET-4: quarterly technician training ------------------------------------------------------------------


@evidence("NET-4")
def failing_technicians_stopped(period: Period) -> Evidence:
    """连续培训不合格的技师已停止工作"""
    aspect = "连续季度培训不合格达到上限的技师已停止工作，再培训仍不合格的已建议解除合同"
    limit = int(_policy("network.failed_quarters_to_stop", period))
    trainings = TechnicianTraining.objects.filter(provider__in=ServiceProvider.objects.in_unit(period.unit))
    trained = trainings.filter(**period.dates("trained_on"))
    rows = list(
        trainings.filter(technician__in=trained.values("technician_id"))
        .order_by("technician_id", "quarter")
        .values_list(
            "technician_id",
            "technician__name",
            "technician__status",
            "provider_id",
            "provider__name",
            "quarter",
            "trained_on",
            "passed",
        )
    )
    if not rows:
        return Evidence.none(aspect, "本期无技师培训考核记录")
    proposals = {
        (new.get("technician"), new.get("quarter"))
        for new in Event.objects.filter(
            target_type=ContentType.objects.get_for_model(ServiceProvider),
            target_id__in=[str(pk) for pk in {row[3] for row in rows}],
            event_type=EventType.CONTRACT_END_PROPOSED,
        ).values_list("new", flat=True)
        if isinstance(new, dict)
    }
    bad, streaks, latest = [], {}, {}
    for tech, name, status, provider_id, provider, quarter, trained_on, passed in rows:
        streak = 0 if passed else streaks.get(tech, 0) + 1
        streaks[tech] = streak
        latest[tech] = (name, status, provider_id, provider, quarter, streak)
        # failed again after the stop (the streak went past the limit): the contract end must have been proposed
        if period.start <= trained_on <= period.end and streak > limit and (tech, quarter) not in proposals:
            url = reverse("network:provider-case-file", args=[provider_id])
            bad.append((f"{provider} {name}：停工后再培训（{quarter}）仍不合格，未建议解除合同", url))
    for name, status, provider_id, provider, quarter, streak in latest.values():
        if streak >= limit and status == TechnicianStatus.ACTIVE:  # no pass since: must not be working
            url = reverse("network:provider-case-file", args=[provider_id])
            bad.append((f"{provider} {name}：连续 {streak} 个季度不合格（至 {quarter}）仍在岗", url))
    return none_violating(
        aspect,
        checked=len(latest),
        violations=bad[:SHORTFALL_ROWS],
        violation_count=len(bad),
        noun="人",
        records_url=reverse("network:technicians"),
        extra=(Figure("连续不合格上限", limit, "个季度"),),
    )


@evidence("NET-4")
def training_pass_rate(period: Period) -> Evidence:
    """网点季度培训合格率"""
    aspect = "各网点季度培训合格率不低于下限"
    minimum = Decimal(str(_policy("network.training_pass_rate_min", period)))
    quarters = list(
        TechnicianTraining.objects.filter(
            provider__in=ServiceProvider.objects.in_unit(period.unit), **period.dates("trained_on")
        )
        .values("provider_id", "provider__name", "quarter")
        .annotate(trained=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by("quarter", "provider__name")
    )
    below = [row for row in quarters if percent(row["passed"], row["trained"]) < minimum]
    trained = sum(row["trained"] for row in quarters)
    passed = sum(row["passed"] for row in quarters)
    return rate(
        aspect,
        good=len(quarters) - len(below),
        total=len(quarters),
        noun="网点·季度",
        good_label="达标",
        shortfalls=[
            (
                f"{row['provider__name']} {row['quarter']}：{row['passed']}/{row['trained']} 合格 "
                f"（{percent(row['passed'], row['trained'])}%）",
                reverse("network:provider-training", args=[row["provider_id"]]),
            )
            for row in below
        ],
        records_url=reverse("network:technicians"),
        extra=(
            Figure("参训人次", trained, "人次"),
            Figure("合格人次", passed, "人次"),
            Figure("总体合格率", percent(passed, trained), "%"),
            Figure("合格率下限", minimum, "%"),
        ),
        note="每个网点每季度的合格率须不低于下限（政策参数 network.training_pass_rate_min）",
    )


# --- NET-5: the regions' periodic evaluations ------------------------------------------------------------


def _quarters_ended(period: Period) -> list[tuple[str, dt.date, dt.date]]:
    """The quarters that end inside the period (up to today): (label, first day, last day)."""
    last = min(period.end, timezone.localdate())
    found, day = [], period.start
    while day <= last:
        start, end = quarter_bounds(quarter_of(day))
        if period.start <= end <= last:
            found.append((quarter_of(day), start, end))
        day = end + dt.timedelta(days=1)
    return found


@evidence("NET-5")
def providers_evaluated_each_quarter(period: Period) -> Evidence:
    """区域定期评价外协网点"""
    aspect = "区域每季度对辖区网点提交评价"
    first = (
        ProviderEvaluation.objects.filter(submitted_at__isnull=False)
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    if first is None:
        return Evidence.none(aspect, "尚未提交过网点评价")
    quarters = [q for q in _quarters_ended(period) if q[2] >= first]  # from the first evaluated quarter (go-live)
    providers = list(
        ServiceProvider.objects.in_unit(period.unit).values_list(
            "pk", "name", "created_at", "status", "status_changed_at"
        )
    )
    evaluations = ProviderEvaluation.objects.filter(provider_id__in=[row[0] for row in providers])
    covered: dict[int, list[dt.date]] = {}
    for provider_id, period_end in evaluations.filter(
        submitted_at__isnull=False, status__in=(EvaluationStatus.SUBMITTED, EvaluationStatus.APPROVED)
    ).values_list("provider_id", "period_end"):
        covered.setdefault(provider_id, []).append(period_end)
    due, missing = 0, []
    for label, start, end in quarters:
        for pk, name, created_at, status, changed_at in providers:
            if timezone.localdate(created_at) > end:
                continue  # not yet a point of the network in that quarter
            if status == ProviderStatus.REMOVED and changed_at is not None and timezone.localdate(changed_at) <= end:
                continue
            due += 1
            if not any(period_end >= start for period_end in covered.get(pk, [])):
                missing.append((f"{name} {label}", reverse("network:evaluation-create", args=[pk])))
    submitted = evaluations.filter(**period.during("submitted_at"))
    return rate(
        aspect,
        good=due - len(missing),
        total=due,
        noun="网点·季度",
        good_label="已评价",
        shortfalls=missing,
        records_url=reverse("network:evaluations"),
        extra=(
            Figure("本期提交评价", submitted.count(), "份"),
            Figure("建议新建网点", submitted.filter(propose_new_point=True).count(), "份"),
            Figure("建议撤点", submitted.filter(propose_removal=True).count(), "份"),
        ),
        note=f"按季度计，自首份评价的期间（{first:%Y-%m-%d} 起）所在季度起；评价期间须覆盖该季度",
    )
