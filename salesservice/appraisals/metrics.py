"""The metric registry of the KPI engine (KPI-1, KPI-2, KPI-6): each metric computes, SET-BASED from the
system's records, `(user_ids, start, end) -> {user_id: Figure(value, numerator, denominator)}` for every user at
once with a few aggregate queries (never one per user). The period is [start, end], both dates inclusive.
A user with no records behind a metric gets `Figure(None, 0, 0)`: no data, the line is not scored.

Formulas (docs/appraisals.md repeats them):

- `sla_first_contact` 首次联系及时率 (%): service requests the user received (`created_by`, 受理人) in the period,
  not cancelled → denominator; of them first contacted by `first_contact_due_at` → numerator.
- `csat` 客户满意度 (1–5): mean `satisfaction` of the service requests closed in the period that the user was the
  responsible engineer (`assignee`) or the receiving rep (`created_by`) of.
- `complaint_satisfaction` 投诉处理满意度 (1–5): mean `satisfaction` of the complaints the user handled
  (`handler`) closed in the period.
- `return_success` 退换货处理成功率 (%): returns the user handled (`handler`) closed in the period → denominator;
  of them resolved (refunded, exchanged or repaired: `resolved_at` set) → numerator.
- `order_on_time` 订单按时交付率 (%): the rep's (`sales_rep`) sales orders with a requested date in the period, not
  draft or cancelled → denominator; delivered (`delivered_at`) on or before the requested date → numerator.
- `sales_vs_plan` 销售计划完成率 (%): the rep's confirmed-or-later orders' `total` by order date in the period →
  numerator; the unit's monthly sales targets (`SalesPlanMonth`) of the months in the period divided
  evenly among the unit's sales reps → denominator (the plan is per unit; there are no per-rep targets).
- `training_completion` 培训完成率 (%): `people.selectors.training_completion` — completed / required.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal("100")


@dataclasses.dataclass(frozen=True)
class Figure:
    """A metric's figure for one person: `value` (None: no data), and what it was computed from."""

    value: Decimal | None
    numerator: Decimal = Decimal("0")
    denominator: Decimal = Decimal("0")


NO_DATA = Figure(None)


@dataclasses.dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    compute: Callable[[list[int], dt.date, dt.date], dict[int, Figure]]
    clause: str = "KPI-1"


def _ids(user_ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in user_ids))


def _bounds(start: dt.date, end: dt.date):
    """Aware datetimes [start 00:00, end+1 00:00) in the current time zone."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return begin, stop


def rate(numerator, denominator) -> Figure:
    numerator, denominator = Decimal(numerator or 0), Decimal(denominator or 0)
    if not denominator:
        return Figure(None, numerator, denominator)
    return Figure((HUNDRED * numerator / denominator).quantize(Decimal("0.01")), numerator, denominator)


def mean(total, count) -> Figure:
    total, count = Decimal(total or 0), Decimal(count or 0)
    if not count:
        return Figure(None, total, count)
    return Figure((total / count).quantize(Decimal("0.01")), total, count)


def _fill(ids, found: dict[int, Figure]) -> dict[int, Figure]:
    return {pk: found.get(pk, NO_DATA) for pk in ids}


# --- the metrics ---------------------------------------------------------------------------------


def sla_first_contact(user_ids, start, end) -> dict[int, Figure]:
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    ids = _ids(user_ids)
    begin, stop = _bounds(start, end)
    rows = (
        ServiceRequest.objects.filter(created_by_id__in=ids, received_at__gte=begin, received_at__lt=stop)
        .exclude(status=ServiceRequestStatus.CANCELLED)
        .values("created_by_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(first_contacted_at__lte=F("first_contact_due_at"))),
        )
    )
    return _fill(ids, {row["created_by_id"]: rate(row["on_time"], row["total"]) for row in rows})


def csat(user_ids, start, end) -> dict[int, Figure]:
    from salesservice.service.models import ServiceRequest

    ids = _ids(user_ids)
    begin, stop = _bounds(start, end)
    closed = ServiceRequest.objects.filter(closed_at__gte=begin, closed_at__lt=stop, satisfaction__isnull=False)
    sums: dict[int, list] = defaultdict(lambda: [0, 0])
    as_engineer = (
        closed.filter(assignee_id__in=ids).values("assignee_id").annotate(s=Sum("satisfaction"), n=Count("pk"))
    )
    for row in as_engineer:
        sums[row["assignee_id"]][0] += row["s"]
        sums[row["assignee_id"]][1] += row["n"]
    # The receiving rep, unless the same person was also the engineer (counted once).
    as_rep = (
        closed.filter(created_by_id__in=ids)
        .exclude(assignee_id=F("created_by_id"))
        .values("created_by_id")
        .annotate(s=Sum("satisfaction"), n=Count("pk"))
    )
    for row in as_rep:
        sums[row["created_by_id"]][0] += row["s"]
        sums[row["created_by_id"]][1] += row["n"]
    return _fill(ids, {pk: mean(s, n) for pk, (s, n) in sums.items()})


def complaint_satisfaction(user_ids, start, end) -> dict[int, Figure]:
    from salesservice.complaints.models import Complaint

    ids = _ids(user_ids)
    begin, stop = _bounds(start, end)
    rows = (
        Complaint.objects.filter(
            handler_id__in=ids, closed_at__gte=begin, closed_at__lt=stop, satisfaction__isnull=False
        )
        .values("handler_id")
        .annotate(s=Sum("satisfaction"), n=Count("pk"))
    )
    return _fill(ids, {row["handler_id"]: mean(row["s"], row["n"]) for row in rows})


def return_success(user_ids, start, end) -> dict[int, Figure]:
    from salesservice.returns.models import ReturnRequest

    ids = _ids(user_ids)
    begin, stop = _bounds(start, end)
    rows = (
        ReturnRequest.objects.filter(handler_id__in=ids, closed_at__gte=begin, closed_at__lt=stop)
        .values("handler_id")
        .annotate(total=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False)))
    )
    return _fill(ids, {row["handler_id"]: rate(row["resolved"], row["total"]) for row in rows})


def order_on_time(user_ids, start, end) -> dict[int, Figure]:
    from salesservice.sales.choices import OrderStatus
    from salesservice.sales.models import SalesOrder

    ids = _ids(user_ids)
    rows = (
        SalesOrder.objects.filter(sales_rep_id__in=ids, requested_date__gte=start, requested_date__lte=end)
        .exclude(status__in=[OrderStatus.DRAFT, OrderStatus.CANCELLED])
        .values("sales_rep_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(delivered_at__date__lte=F("requested_date"))),
        )
    )
    return _fill(ids, {row["sales_rep_id"]: rate(row["on_time"], row["total"]) for row in rows})


SOLD_STATUSES = ("confirmed", "allocated", "shipped", "delivered", "closed")


def sales_vs_plan(user_ids, start, end) -> dict[int, Figure]:
    from salesservice.core.models import Membership
    from salesservice.core.roles import ROLES_BY_CODE
    from salesservice.sales.models import SalesOrder
    from salesservice.sales.models.presales import SalesPlanMonth

    ids = _ids(user_ids)
    rep_group = ROLES_BY_CODE["sales_rep"].group_name
    unit_of: dict[int, int] = {}
    for user_id, unit_id in (
        Membership.objects.filter(user_id__in=ids, role__name=rep_group)
        .order_by("user_id", "id")
        .values_list("user_id", "org_unit_id")
    ):
        unit_of.setdefault(user_id, unit_id)
    units = set(unit_of.values())
    reps_per_unit = dict(
        Membership.objects.filter(org_unit_id__in=units, role__name=rep_group, user__is_active=True)
        .values("org_unit_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("org_unit_id", "n")
    )
    months = []
    cursor = start.replace(day=1)
    while cursor <= end:
        months.append((cursor.year, cursor.month))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    month_q = Q()
    for year, month in months:
        month_q |= Q(plan__year=year, month=month)
    plan_of = dict(
        SalesPlanMonth.objects.filter(month_q, plan__org_unit_id__in=units)
        .values("plan__org_unit_id")
        .annotate(t=Sum("target"))
        .values_list("plan__org_unit_id", "t")
    )
    actual_of = dict(
        SalesOrder.objects.filter(
            sales_rep_id__in=ids, order_date__gte=start, order_date__lte=end, status__in=SOLD_STATUSES
        )
        .values("sales_rep_id")
        .annotate(t=Sum("total"))
        .values_list("sales_rep_id", "t")
    )
    found = {}
    for user_id, unit_id in unit_of.items():
        plan = plan_of.get(unit_id)
        if not plan:
            continue
        share = (Decimal(plan) / max(reps_per_unit.get(unit_id, 1), 1)).quantize(Decimal("0.01"))
        found[user_id] = rate(actual_of.get(user_id) or 0, share)
    return _fill(ids, found)


def training_completion(user_ids, start, end) -> dict[int, Figure]:
    from salesservice.people.selectors import training_completion as completion

    ids = _ids(user_ids)
    return {pk: rate(completed, required) for pk, (required, completed) in completion(ids, start, end).items()}


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in [
        Metric("sla_first_contact", _("首次联系及时率"), "%", sla_first_contact, "KPI-2"),
        Metric("csat", _("客户满意度（服务单）"), "分(1–5)", csat, "KPI-1"),
        Metric("complaint_satisfaction", _("投诉处理满意度"), "分(1–5)", complaint_satisfaction, "KPI-1"),
        Metric("return_success", _("退换货处理成功率"), "%", return_success, "KPI-1"),
        Metric("order_on_time", _("订单按时交付率"), "%", order_on_time, "KPI-1"),
        Metric("sales_vs_plan", _("销售计划完成率"), "%", sales_vs_plan, "KPI-6"),
        Metric("training_completion", _("培训完成率"), "%", training_completion, "KPI-2"),
    ]
}

METRIC_CHOICES = [(metric.key, metric.label) for metric in METRICS.values()]


def compute(metric_keys: Iterable[str], user_ids: Iterable[int], start: dt.date, end: dt.date):
    """{metric key: {user_id: Figure}} for every metric asked, each computed once for all users."""
    ids = _ids(user_ids)
    return {key: METRICS[key].compute(ids, start, end) for key in dict.fromkeys(metric_keys)}


def score(value, target, higher_is_better: bool) -> Decimal | None:
    """A KPI line's score 0–100 (KPI-1): higher-is-better `min(100, 100·value/target)`; lower-is-better 100 at or
    under target, minus the overshoot in % of the target. No value → None (the line is not scored)."""
    if value is None:
        return None
    value, target = Decimal(value), Decimal(target)
    if higher_is_better:
        result = HUNDRED if target <= 0 else min(HUNDRED, HUNDRED * value / target)
    elif value <= target:
        result = HUNDRED
    else:
        result = Decimal(0) if target <= 0 else max(Decimal(0), HUNDRED - HUNDRED * (value - target) / target)
    return max(Decimal(0), result).quantize(Decimal("0.1"))
