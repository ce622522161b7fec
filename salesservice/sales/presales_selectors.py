"""Reads of the pre-sales part that other code relies on: QA-approved product claims (PRE-2), a rep's valid
authorisation letter and the flag an order carries without one (BUY-2), and the actual sales a plan is
measured against (SAL-4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ClaimStatus, InquiryStatus, OrderStatus

# Orders that count as sales (SAL-4): everything entered and not cancelled.
NOT_SALES = (OrderStatus.DRAFT, OrderStatus.CANCELLED)


def approved_claims(product_ids: Iterable[int]) -> dict[int, list[str]]:
    """PRE-2: {product id: [claim text, …]} of the QA-approved claims of the products (one query) — the only
    claims a quotation or page may show a customer. Products without one are absent."""
    from .models import ProductClaim

    ids = [pk for pk in product_ids if pk is not None]
    result: dict[int, list[str]] = {}
    if not ids:
        return result
    rows = (
        ProductClaim.objects.filter(product_id__in=ids, status=ClaimStatus.APPROVED)
        .order_by("product_id", "id")
        .values_list("product_id", "text")
    )
    for product_id, text in rows:
        result.setdefault(product_id, []).append(text)
    return result


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def valid_authorisations(day: dt.date):
    """BUY-2: the letters valid on `day` — within their dates and not revoked on or before it."""
    from .models import RepAuthorisation

    next_day = _day_start(day + dt.timedelta(days=1))
    return RepAuthorisation.objects.filter(valid_from__lte=day, valid_until__gte=day).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gte=next_day)
    )


def rep_authorisation_for(rep, day: dt.date | None = None):
    """BUY-2: the rep's authorisation letter valid on `day` (the one running longest), or None."""
    if rep is None:
        return None
    day = day or timezone.localdate()
    return valid_authorisations(day).filter(rep=rep).order_by("-valid_until", "-id").first()


def rep_flag(rep, day: dt.date | None = None) -> str:
    """BUY-2: '' when the rep holds a letter valid on `day`; otherwise why not, in Chinese — what an order
    taken by the rep stores in `SalesOrder.rep_flag`."""
    day = day or timezone.localdate()
    if rep is None:
        return _("订单未指定销售人员，无法核对授权书")
    if rep_authorisation_for(rep, day) is not None:
        return ""
    return _("销售人员 %(name)s 在 %(day)s 无有效授权书") % {"name": rep.name, "day": day.isoformat()}


def letter_state(letter, day: dt.date | None = None) -> tuple[str, str, str]:
    """BUY-2: (state, label, badge colour) of a letter on `day`: revoked, expired, not yet valid or valid."""
    day = day or timezone.localdate()
    if letter.revoked_at is not None and timezone.localdate(letter.revoked_at) <= day:
        return "revoked", _("已收回"), "bg-red-lt"
    if letter.valid_until < day:
        return "expired", _("已过期"), "bg-secondary-lt"
    if letter.valid_from > day:
        return "future", _("未生效"), "bg-blue-lt"
    return "valid", _("有效"), "bg-green-lt"


def _orders_of_unit(org_unit, year: int):
    from .models import SalesOrder

    return SalesOrder.objects.filter(org_unit__path__startswith=org_unit.path, order_date__year=year).exclude(
        status__in=NOT_SALES
    )


def sales_actual(org_unit, year: int) -> Decimal:
    """SAL-4: the unit's actual sales of `year` — the sum of the totals of the orders of its subtree dated that
    year, drafts and cancelled orders excluded."""
    total = _orders_of_unit(org_unit, year).aggregate(total=Sum("total"))["total"]
    return total or Decimal("0.00")


def sales_actual_by_month(org_unit, year: int) -> dict[int, Decimal]:
    """SAL-4: {month: actual sales} of the unit's subtree in `year` (months without sales are 0)."""
    rows = (
        _orders_of_unit(org_unit, year)
        .annotate(month=ExtractMonth("order_date"))
        .values("month")
        .annotate(total=Sum("total"))
        .order_by("month")
    )
    result = {month: Decimal("0.00") for month in range(1, 13)}
    for row in rows:
        result[row["month"]] = row["total"] or Decimal("0.00")
    return result


def plan_progress(plan) -> list[dict]:
    """SAL-4: per month of the plan, the target, the actual (from orders) and the share reached, plus a total
    row (month None)."""
    actual = sales_actual_by_month(plan.org_unit, plan.year)
    rows = []
    for month in plan.months.all():
        done = actual.get(month.month, Decimal("0"))
        rows.append(
            {
                "month": month.month,
                "target": month.target,
                "actual": done,
                "rate": (done / month.target * 100).quantize(Decimal("0.1")) if month.target else None,
            }
        )
    total_actual = sum((row["actual"] for row in rows), Decimal("0.00"))
    rows.append(
        {
            "month": None,
            "target": plan.target,
            "actual": total_actual,
            "rate": (total_actual / plan.target * 100).quantize(Decimal("0.1")) if plan.target else None,
        }
    )
    return rows


def overdue_inquiries(now: dt.datetime | None = None):
    """PRE-1: open inquiries past their reply time."""
    from .models import Inquiry

    return Inquiry.objects.filter(status=InquiryStatus.OPEN, reply_due_at__lt=now or timezone.now())
