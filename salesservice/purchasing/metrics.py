"""Execution tracking of purchase orders (SUP-5), fed to the supplier evaluation (SUP-1).

`execution_figures(supplier, start, end)` is registered with `salesservice.suppliers.metrics.register` in
`PurchasingConfig.ready`. Over the receipts of the period it answers the received and accepted quantities
(receipt pass rate), the order lines delivered in the period and how many of them arrived by their due date
(on-time rate) and complete (quantity rate), and the nonconformances raised at receiving — or None when the
supplier delivered nothing in the period (the evaluation then keeps the last standing).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Sum
from django.utils import timezone


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return low, high


def execution_figures(supplier, start: dt.date, end: dt.date) -> dict | None:
    """SUP-5 figures of `supplier` for receipts received from `start` to `end` (local dates, inclusive)."""
    from .models import PurchaseOrderLine, ReceiptLine

    low, high = _bounds(start, end)
    lines = ReceiptLine.objects.filter(
        receipt__order__supplier=supplier, receipt__received_at__gte=low, receipt__received_at__lt=high
    )
    if not lines.exists():
        return None
    totals = lines.aggregate(received=Sum("quantity"), accepted=Sum("accepted_quantity"))
    per_line = lines.values("order_line").annotate(last=Max("receipt__received_at"))
    last_receipt = {row["order_line"]: row["last"] for row in per_line}
    order_lines = PurchaseOrderLine.objects.filter(pk__in=last_receipt)
    on_time = complete = 0
    for order_line in order_lines:
        arrived = order_line.completed_at or last_receipt[order_line.pk]
        if timezone.localdate(arrived) <= order_line.due_date:
            on_time += 1
        if order_line.outstanding == 0:
            complete += 1
    nc_count = lines.exclude(nonconformance=None).values("nonconformance").distinct().count()
    return {
        "received_quantity": int(totals["received"] or 0),
        "accepted_quantity": int(totals["accepted"] or 0),
        "due_lines": len(last_receipt),
        "on_time_lines": on_time,
        "complete_lines": complete,
        "nc_count": nc_count,
    }
