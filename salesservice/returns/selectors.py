"""Reads of the returns app that need care: scoped (INF-1), prefetched (no N+1), and the RET-2 metrics.

Metrics (they feed the KPIs later): over requests made in a date range, per handler or per store —
  success rate = closed with a refund, exchange or repair ÷ decided (approved or rejected);
  average handling time = mean of `handling_seconds` (requested → closed, business time) of closed ones.
Both are computed by the database in one grouped query, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from .choices import RESOLVED_STATUSES
from .choices import ReturnStatus as R
from .models import ReturnRequest


def return_request_list(user) -> QuerySet:
    """Requests `user` may see, with what a list row shows."""
    return ReturnRequest.objects.visible_to(user).select_related("customer", "store", "product", "handler")


def awaiting_approval(user) -> QuerySet:
    return return_request_list(user).filter(status=R.REQUESTED).order_by("requested_at", "id")


def awaiting_receipt(user) -> QuerySet:
    return return_request_list(user).filter(status=R.APPROVED).order_by("decided_at", "id")


def awaiting_inspection(user) -> QuerySet:
    return return_request_list(user).filter(status=R.GOODS_RECEIVED).order_by("received_at", "id")


@dataclass
class ReturnMetricsRow:
    """One line of the metrics table (a handler, a store, or the total)."""

    key: int | None
    label: str
    requested: int
    decided: int
    successful: int
    closed: int
    avg_handling_seconds: float | None

    @property
    def success_rate(self) -> Decimal | None:
        """Successful ÷ decided, as a percentage with one decimal; None when nothing was decided."""
        if not self.decided:
            return None
        return (Decimal(self.successful) * 100 / Decimal(self.decided)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def avg_handling_hours(self) -> Decimal | None:
        if self.avg_handling_seconds is None:
            return None
        return (Decimal(str(self.avg_handling_seconds)) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "requested": self.requested,
            "decided": self.decided,
            "successful": self.successful,
            "closed": self.closed,
            "success_rate": self.success_rate,
            "avg_handling_hours": self.avg_handling_hours,
        }


GROUPS = {
    "handler": ("handler_id", ("handler__display_name", "handler__username")),
    "store": ("store_id", ("store__name",)),
}

_AGGREGATES = {
    "requested": Count("id"),
    "decided": Count("id", filter=Q(decided_at__isnull=False)),
    "successful": Count("id", filter=Q(status=R.CLOSED, resolution__in=RESOLVED_STATUSES)),
    "closed": Count("id", filter=Q(status=R.CLOSED)),
    "avg_handling": Avg("handling_seconds", filter=Q(status=R.CLOSED)),
}


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return begin, finish


def return_metrics(user, *, start: dt.date, end: dt.date, group_by: str = "handler") -> tuple[list, ReturnMetricsRow]:
    """RET-2: success rate and average handling time of the requests made from `start` to `end`
    (local dates, inclusive) that `user` may see, grouped by `handler` or `store`; plus the total row."""
    if group_by not in GROUPS:
        raise ValueError(group_by)
    begin, finish = _bounds(start, end)
    queryset = ReturnRequest.objects.visible_to(user).filter(requested_at__gte=begin, requested_at__lt=finish)
    key_field, label_fields = GROUPS[group_by]
    grouped = queryset.order_by().values(key_field, *label_fields).annotate(**_AGGREGATES).order_by(key_field)
    rows = []
    for values in grouped:
        label = next((values[f] for f in label_fields if values.get(f)), "") or "—"
        rows.append(
            ReturnMetricsRow(
                key=values[key_field],
                label=label,
                requested=values["requested"],
                decided=values["decided"],
                successful=values["successful"],
                closed=values["closed"],
                avg_handling_seconds=values["avg_handling"],
            )
        )
    total = queryset.order_by().aggregate(**_AGGREGATES)
    total_row = ReturnMetricsRow(
        key=None,
        label="合计",
        requested=total["requested"],
        decided=total["decided"],
        successful=total["successful"],
        closed=total["closed"],
        avg_handling_seconds=total["avg_handling"],
    )
    rows.sort(key=lambda row: (-row.requested, row.label))
    return rows, total_row
