"""Compliance evidence of purchasing (issue 16 §4): SUP-7 — nothing put away before its inspection."""

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Period, evidence, none_violating, rate

from .models import PurchaseOrder, Receipt


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


def _orders(period: Period):
    return PurchaseOrder.objects.in_unit(period.unit).filter(**period.during("approved_at"))


def _order_links(queryset):
    rows = queryset.order_by("approved_at").values("pk", "number")[:20]
    return [(row["number"], reverse("purchasing:order-detail", args=[row["pk"]])) for row in rows]


@evidence("SUP-2")
def ordered_from_listed_suppliers(period: Period) -> Evidence:
    """只向合格供方采购"""
    from salesservice.suppliers.choices import QualifiedListStatus as L
    from salesservice.suppliers.models import QualifiedListEntry

    orders = _orders(period)
    listed = QualifiedListEntry.objects.filter(
        supplier=OuterRef("supplier"),
        qualified_list__status__in=[L.APPROVED, L.SUPERSEDED],
        qualified_list__approved_at__lte=OuterRef("approved_at"),
    ).filter(
        Q(qualified_list__superseded_at__isnull=True) | Q(qualified_list__superseded_at__gt=OuterRef("approved_at"))
    )
    off_list = orders.annotate(listed=Exists(listed)).filter(listed=False)
    return none_violating(
        "批准的采购订单其供应商当时在合格供方名单上",
        checked=orders.count(),
        violations=_order_links(off_list),
        violation_count=off_list.count(),
        noun="单",
        records_url=reverse("purchasing:orders"),
    )


@evidence("SUP-3")
def suppliers_with_quality_agreement(period: Period) -> Evidence:
    """与供应商签订质量保证协议"""
    from salesservice.suppliers.choices import DocumentKind
    from salesservice.suppliers.models import SupplierDocument

    orders = _orders(period)
    agreement = SupplierDocument.objects.filter(
        supplier=OuterRef("supplier"),
        kind=DocumentKind.QUALITY_AGREEMENT,
        valid_from__lte=OuterRef("approved_at__date"),
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=OuterRef("approved_at__date")))
    without = orders.annotate(agreed=Exists(agreement)).filter(agreed=False)
    return none_violating(
        "采购时供应商的质量保证协议有效",
        checked=orders.count(),
        violations=_order_links(without),
        violation_count=without.count(),
        noun="单",
        records_url=reverse("purchasing:orders"),
    )


@evidence("SUP-5")
def order_lines_completed_on_time(period: Period) -> Evidence:
    """采购合同按时按量执行"""
    from django.utils import timezone

    from .models import PurchaseOrderLine

    today = timezone.localdate()
    orders = PurchaseOrder.objects.in_unit(period.unit).filter(approved_at__isnull=False).values("pk")
    lines = PurchaseOrderLine.objects.filter(order__in=orders, **period.dates("due_date")).filter(
        Q(completed_at__isnull=False) | Q(due_date__lt=today)
    )
    late = lines.filter(Q(completed_at__date__gt=F("due_date")) | Q(completed_at__isnull=True))
    rows = late.order_by("due_date").values("order_id", "order__number")[:20]
    return rate(
        "采购订单行在交货日期前到齐",
        good=lines.count() - late.count(),
        total=lines.count(),
        noun="行",
        good_label="按期到齐",
        shortfalls=[(row["order__number"], reverse("purchasing:order-detail", args=[row["order_id"]])) for row in rows],
        records_url=reverse("purchasing:orders"),
        note="未到交货日期且未到齐的订单行不计入",
    )
