"""Compliance evidence of inventory (issue 16 §4): INV-2 — stocktakes done, every variance with its reason and
approved by someone other than who counted."""

from django.db.models import Count, F, Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Figure, Period, evidence, none_violating

from .models import StockCount, StockCountLine


@evidence("INV-2")
def counts_with_reasoned_variances(period: Period) -> Evidence:
    """盘点差异有原因并经他人批准"""
    approved = StockCount.objects.in_unit(period.unit).filter(approved_at__isnull=False, **period.during("approved_at"))
    unexplained = StockCountLine.objects.filter(count__in=approved, reason="").exclude(
        counted_quantity=F("system_quantity")
    )
    bad = approved.filter(Q(pk__in=unexplained.values("count_id")) | Q(approved_by=F("submitted_by")))
    variances = (
        StockCountLine.objects.filter(count__in=approved, counted_quantity__isnull=False)
        .exclude(counted_quantity=F("system_quantity"))
        .aggregate(n=Count("pk"))["n"]
    )
    rows = bad.order_by("approved_at").values("pk", "number")[:20]
    return none_violating(
        "盘点差异有原因并经他人批准",
        checked=approved.count(),
        violations=[(row["number"], reverse("inventory:count-detail", args=[row["pk"]])) for row in rows],
        violation_count=bad.count(),
        noun="单",
        records_url=reverse("inventory:counts"),
        extra=(Figure("差异行", variances, "行"),),
    )
