"""Compliance evidence of purchasing (issue 16 §4): SUP-2/SUP-3 (qualified supplier, quality agreement at approval),
SUP-4 (the three contract terms stated on every submitted order), SUP-5 (order lines on time), SUP-6 (received
lines inspected against the product's acceptance standard, the standards covering the four groups), SUP-7 (nothing
put away before its inspection), TRC-3 (receiving inspections signed by the inspector)."""

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


def _period_query(period: Period, after: str, before: str) -> str:
    return f"?{after}={period.start.isoformat()}&{before}={period.end.isoformat()}"


@evidence("SUP-4")
def orders_state_the_contract_terms(period: Period) -> Evidence:
    """采购合同写明质量标准、验收方式、退换货条款"""
    from django.db.models import Count
    from django.db.models.functions import Trim

    submitted = PurchaseOrder.objects.in_unit(period.unit).filter(**period.during("submitted_at"))
    blank = Q(t_quality="") | Q(t_acceptance="") | Q(t_returns="")
    annotated = submitted.annotate(
        t_quality=Trim("quality_standard"), t_acceptance=Trim("acceptance_method"), t_returns=Trim("return_terms")
    )
    counts = annotated.aggregate(checked=Count("pk"), bad=Count("pk", filter=blank))
    rows = annotated.filter(blank).order_by("submitted_at", "id").values("pk", "number")[:20]
    return none_violating(
        "提交审批的采购合同写明质量标准、验收方式和退换货条款",
        checked=counts["checked"],
        violations=[(row["number"], reverse("purchasing:order-detail", args=[row["pk"]])) for row in rows],
        violation_count=counts["bad"],
        noun="单",
        records_url=reverse("purchasing:orders") + _period_query(period, "ordered_after", "ordered_before"),
        note="按提交审批时间计；草稿可暂缺条款，提交时系统拒绝缺条款的合同（拒绝不留记录，不计入）",
    )


def _inspected_lines(period: Period):
    from .models import ReceiptLine

    receipts = Receipt.objects.in_unit(period.unit).values("pk")
    return ReceiptLine.objects.filter(receipt__in=receipts, **period.during("inspected_at"))


@evidence("SUP-6")
def lines_inspected_against_the_standard(period: Period) -> Evidence:
    """按商品验收标准逐项验收"""
    from django.db.models import Count

    from .models import CheckResultRow

    lines = _inspected_lines(period)
    checked = Exists(CheckResultRow.objects.filter(line=OuterRef("pk")))
    counts = lines.aggregate(total=Count("pk"), good=Count("pk", filter=Q(checked)))
    rows = (
        lines.filter(~Q(checked))
        .order_by("inspected_at", "id")
        .values("receipt_id", "receipt__number", "product__code", "product__name")[:20]
    )
    return rate(
        "到货明细按商品验收标准逐项给出结论",
        good=counts["good"],
        total=counts["total"],
        noun="行",
        good_label="逐项验收",
        shortfalls=[
            (
                f"{row['receipt__number']} {row['product__code']} {row['product__name']}（无验收标准）",
                reverse("purchasing:receipt-detail", args=[row["receipt_id"]]),
            )
            for row in rows
        ],
        records_url=reverse("purchasing:receipts") + _period_query(period, "received_after", "received_before"),
        note="按验收时间计；商品未设验收标准时验收无逐项结论，计为不符合",
    )


@evidence("SUP-6")
def standards_cover_the_four_groups(period: Period) -> Evidence:
    """验收标准包含外观、性能、规格、数量"""
    from django.db.models import Count

    from salesservice.catalog.choices import InspectionGroup
    from salesservice.catalog.models import InspectionTemplate

    used = _inspected_lines(period).filter(product__acceptance_template__isnull=False)
    templates = InspectionTemplate.objects.filter(pk__in=used.values("product__acceptance_template")).annotate(
        groups=Count("items__group", distinct=True, filter=Q(items__group__in=InspectionGroup.values))
    )
    incomplete = templates.filter(groups__lt=len(InspectionGroup.values))
    rows = incomplete.order_by("name").values("pk", "name")[:20]
    total = templates.count()
    return rate(
        "本期使用的验收标准包含外观、性能、规格、数量四类要点",
        good=total - incomplete.count(),
        total=total,
        noun="项",
        good_label="四类齐全",
        shortfalls=[(row["name"], reverse("catalog:inspection-template-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("catalog:inspection-templates"),
        note="验收标准为全公司主数据，按本期（本单位）验收用到的标准统计",
    )


@evidence("TRC-3")
def receiving_inspections_signed(period: Period) -> Evidence:
    """进货验收记录由验收人签名"""
    from django.db.models import Count

    lines = _inspected_lines(period)
    unsigned = Q(inspector__isnull=True)
    counts = lines.aggregate(total=Count("pk"), bad=Count("pk", filter=unsigned))
    rows = lines.filter(unsigned).order_by("inspected_at", "id").values("receipt_id", "receipt__number")[:20]
    return rate(
        "进货验收记录有验收人签名",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="行",
        good_label="已签名",
        shortfalls=[
            (row["receipt__number"], reverse("purchasing:receipt-detail", args=[row["receipt_id"]])) for row in rows
        ],
        records_url=reverse("purchasing:receipts") + _period_query(period, "received_after", "received_before"),
    )
