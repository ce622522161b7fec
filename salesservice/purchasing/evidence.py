"""Compliance evidence of purchasing (issue 16 §4): SUP-7 — nothing put away before its inspection."""

from django.db.models import F, Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Period, evidence, none_violating

from .models import Receipt


@evidence("SUP-7")
def inspected_before_putaway(period: Period) -> Evidence:
    """上架前逐批检验"""
    put_away = Receipt.objects.in_unit(period.unit).filter(**period.during("put_away_at"))
    early = put_away.filter(Q(inspected_at__isnull=True) | Q(put_away_at__lt=F("inspected_at")))
    rows = early.order_by("put_away_at").values("pk", "number")[:20]
    return none_violating(
        "入库验收单先检验后上架",
        checked=put_away.count(),
        violations=[(row["number"], reverse("purchasing:receipt-detail", args=[row["pk"]])) for row in rows],
        violation_count=early.count(),
        noun="单",
        records_url=reverse("purchasing:receipts"),
    )
