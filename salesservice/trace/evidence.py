"""Compliance evidence read from the sales records and the ledger (issue 16 §4) — here because the trace app sits
above sales, purchasing, inventory, customers and catalog:

- PRD-1: nothing sold on a day its product was not sellable (a QA flag in force, or a derived reason);
- BUY-1: every medical device sold to a buyer whose qualification, valid on the sale date, covers its class;
- TRC-2: the trace path of every medical-device sales record complete (shipment, lot, supplier); recall tasks
  contacted within the notification deadline;
- TRC-4: no medical-device sales record anonymised while under retention; no receipt-inspection or sales record
  missing for a ledger movement still under retention.

Each function is set-based: a count with the condition in SQL and the first 20 offending records.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, Replace
from django.urls import reverse

from salesservice.core.evidence import SHORTFALL_ROWS, Evidence, Figure, Period, evidence, none_violating, rate


def _records(period: Period):
    from salesservice.sales.models import SalesRecord

    return SalesRecord.objects.in_unit(period.unit).filter(**period.dates("sale_date"))


def _record_links(queryset) -> list[tuple[str, str]]:
    rows = queryset.order_by("sale_date", "id").values("order_id", "order__number", "product_name")[:SHORTFALL_ROWS]
    return [
        (f"{row['order__number']} {row['product_name']}", reverse("sales:order-detail", args=[row["order_id"]]))
        for row in rows
    ]


def _records_url(period: Period, *, medical: bool = False) -> str:
    query = f"sold_after={period.start.isoformat()}&sold_before={period.end.isoformat()}"
    return reverse("sales:records") + "?" + ("medical=true&" if medical else "") + query


# --- PRD-1 -----------------------------------------------------------------------------------------------


def unsellable_on_sale_date() -> Q:
    """`catalog.sellability.unsellable_q` with the record's own sale date in place of one date: a QA flag set on or
    before that day and not lifted by its end, or a reason derived from the product's attributes."""
    from salesservice.catalog.choices import DeviceClass
    from salesservice.catalog.models import ProductRestriction

    flagged = ProductRestriction.objects.filter(
        product=OuterRef("product_id"), set_at__date__lte=OuterRef("sale_date")
    ).filter(Q(lifted_at__isnull=True) | Q(lifted_at__date__gt=OuterRef("sale_date")))
    medical = ~Q(product__device_class=DeviceClass.NONE)
    return (
        Q(product__has_certificate_of_conformity=False)
        | Q(product__production_licence_required=True, product__production_licence_no="")
        | Q(product__name="")
        | Q(product__manufacturer="")
        | Q(product__origin="")
        | (medical & Q(product__registration_no=""))
        | Q(product__registration_expiry__lt=F("sale_date"))
        | (medical & Q(product__has_chinese_label=False))
        | Q(Exists(flagged))
    )


@evidence("PRD-1")
def nothing_sold_unsellable(period: Period) -> Evidence:
    """不销售禁售商品"""
    records = _records(period)
    bad = unsellable_on_sale_date()
    counts = records.aggregate(checked=Count("pk"), bad=Count("pk", filter=bad))
    return none_violating(
        "售出（出库）的商品在销售日可销售",
        checked=counts["checked"],
        violations=_record_links(records.filter(bad)),
        violation_count=counts["bad"],
        noun="条",
        records_url=_records_url(period),
        note="按销售记录（每批出库一条）核对：销售日有效的禁售标记，及按商品资料当前登记判定的合格证、生产许可、"
        "标识、注册证与中文标签",
    )


# --- BUY-1 -----------------------------------------------------------------------------------------------


def unqualified_buyer() -> Q:
    """`customers.buyer.buyer_check` as SQL on a sales record: a non-individual buyer of a class I/II/III device with
    no qualification of an accepted kind, valid on the sale date, whose scope lists the class where it must."""
    from salesservice.customers.buyer import REQUIREMENTS
    from salesservice.customers.choices import CustomerType
    from salesservice.customers.models import Qualification

    scopes = Qualification.objects.annotate(
        scope=Concat(Value(","), Replace("scope_classes", Value(" "), Value("")), Value(","), output_field=CharField())
    ).filter(customer=OuterRef("customer_id"), valid_from__lte=OuterRef("sale_date"))
    valid = scopes.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("sale_date")))
    condition = Q(pk__in=[])
    for device_class, accepted in REQUIREMENTS.items():
        covers = Q(pk__in=[])
        for kind, scoped in accepted:
            covers |= Q(kind=kind, scope__contains=f",{device_class},") if scoped else Q(kind=kind)
        condition |= Q(product__device_class=device_class) & ~Q(Exists(valid.filter(covers)))
    return condition & ~Q(customer__customer_type=CustomerType.INDIVIDUAL)


@evidence("BUY-1")
def devices_sold_to_qualified_buyers(period: Period) -> Evidence:
    """购货者资格审查"""
    from salesservice.catalog.choices import DeviceClass

    records = _records(period).exclude(product__device_class=DeviceClass.NONE)
    bad = unqualified_buyer()
    counts = records.aggregate(checked=Count("pk"), bad=Count("pk", filter=bad))
    return none_violating(
        "售出的医疗器械，购货单位在销售日持有覆盖该类别的有效资格",
        checked=counts["checked"],
        violations=_record_links(records.filter(bad)),
        violation_count=counts["bad"],
        noun="条",
        records_url=_records_url(period, medical=True),
        note="按医疗器械销售记录与客户的资格证照（类型、经营范围、有效期）核对；个人客户无需资格",
    )


# --- TRC-2 -----------------------------------------------------------------------------------------------


@evidence("TRC-2")
def trace_path_complete(period: Period) -> Evidence:
    """追溯路径完整"""
    records = _records(period).filter(is_medical_device=True)
    broken = Q(shipment_number="") | Q(lot__supplier_id__isnull=True)
    counts = records.aggregate(total=Count("pk"), bad=Count("pk", filter=broken))
    return rate(
        "医疗器械销售记录可追溯：出库批次 → 发货单 → 销售订单 → 供货者",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="条",
        good_label="路径完整",
        shortfalls=_record_links(records.filter(broken)),
        records_url=_records_url(period, medical=True),
        note="缺发货单号或批次未登记供应商的记录计为不完整",
    )


@evidence("TRC-2")
def recall_tasks_contacted_in_time(period: Period) -> Evidence:
    """召回按时限通知客户"""
    from django.utils import timezone

    from salesservice.trace.models import RecallTask

    now = timezone.now()
    tasks = RecallTask.objects.in_unit(period.unit).filter(
        due_at__isnull=False, **period.during("campaign__launched_at")
    )
    due = tasks.filter(Q(contacted_at__isnull=False) | Q(due_at__lt=now) | Q(closed_at__isnull=False))
    late = Q(contacted_at__gt=F("due_at")) | Q(
        Q(contacted_at__isnull=True) & (Q(closed_at__isnull=True, due_at__lt=now) | Q(closed_at__gt=F("due_at")))
    )
    counts = due.aggregate(
        total=Count("pk"), bad=Count("pk", filter=late), campaigns=Count("campaign_id", distinct=True)
    )
    rows = due.filter(late).order_by("due_at", "id").values("pk", "campaign__number", "customer__name")[:SHORTFALL_ROWS]
    hours = [
        (contacted - launched).total_seconds() / 3600
        for contacted, launched in due.filter(contacted_at__isnull=False).values_list(
            "contacted_at", "campaign__launched_at"
        )
    ]
    extra = (Figure("召回", counts["campaigns"], "次"),)
    if hours:
        extra += (Figure("启动至联系客户平均用时", round(sum(hours) / len(hours), 1), "小时"),)
    return rate(
        "召回任务在通知时限内联系客户",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="户",
        good_label="按时联系",
        shortfalls=[
            (f"{row['campaign__number']} {row['customer__name']}", reverse("trace:task-detail", args=[row["pk"]]))
            for row in rows
        ],
        records_url=reverse("trace:recalls"),
        extra=extra,
        note="按本期启动的召回计；时限未到且尚未联系的任务不计入。追溯查询即时完成，查询用时本身不记录",
    )


# --- TRC-4 -----------------------------------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    from salesservice.catalog.retention import add_years

    return add_years(day, years)


@evidence("TRC-4")
def retained_records_not_anonymised(period: Period) -> Evidence:
    """保存期内的销售记录未被匿名化"""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from salesservice.core.choices import EventType
    from salesservice.core.models import Event
    from salesservice.core.personal_data import REDACTED
    from salesservice.sales.models import SalesRecord

    today = timezone.localdate()
    kept = SalesRecord.objects.in_unit(period.unit).filter(
        Q(retain_until__isnull=True) | Q(retain_until__gte=period.start),
        is_medical_device=True,
        sale_date__lte=period.end,
    )
    erased = Event.objects.filter(
        event_type=EventType.PERSONAL_DATA_ERASED,
        target_type=ContentType.objects.get_for_model(SalesRecord),
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
        **period.during("created_at"),
    )
    bad = (
        Q(Exists(erased.filter(created_at__date__lte=OuterRef("retain_until"))))
        | Q(Q(retain_until__isnull=True) & Q(Exists(erased)))
        | (Q(contact=REDACTED) & (Q(retain_until__isnull=True) | Q(retain_until__gte=today)))
    )
    counts = kept.aggregate(checked=Count("pk"), bad=Count("pk", filter=bad))
    return none_violating(
        "保存期内的医疗器械销售记录未被清除或匿名化",
        checked=counts["checked"],
        violations=_record_links(kept.filter(bad)),
        violation_count=counts["bad"],
        noun="条",
        records_url=reverse("sales:records") + "?medical=true",
        note="本期内处于保存期（有效期满后 2 年、不少于 5 年，植入类永久）的记录；个人信息删除请求对其只限制处理",
    )


@evidence("TRC-4")
def retained_records_not_purged(period: Period) -> Evidence:
    """保存期内的进货查验与销售记录未被删除"""
    from django.contrib.contenttypes.models import ContentType

    from salesservice.catalog.choices import DeviceClass
    from salesservice.inventory.choices import MoveKind
    from salesservice.inventory.models import StockMove
    from salesservice.purchasing.models import Receipt, ReceiptLot
    from salesservice.sales.models import SalesOrder, SalesRecord

    in_retention = (
        Q(product__is_implantable=True)
        | Q(at__date__gte=_add_years(period.start, -5))
        | Q(lot__expiry_date__gte=_add_years(period.start, -2))
    )
    types = ContentType.objects.get_for_models(SalesOrder, Receipt)
    moves = (
        StockMove.objects.in_unit(period.unit)
        .filter(
            Q(kind=MoveKind.SHIP, reference_type=types[SalesOrder])
            | Q(kind=MoveKind.RECEIVE, reference_type=types[Receipt])
        )
        .exclude(product__device_class=DeviceClass.NONE)
        .filter(in_retention, at__lt=period.bounds[1])
    )
    has_record = Exists(SalesRecord.objects.filter(lot=OuterRef("lot_id"), order__number=OuterRef("reference_number")))
    has_receipt = Exists(
        ReceiptLot.objects.filter(lot=OuterRef("lot_id"), line__receipt__number=OuterRef("reference_number"))
    )
    missing = (Q(kind=MoveKind.SHIP) & ~Q(has_record)) | (Q(kind=MoveKind.RECEIVE) & ~Q(has_receipt))
    counts = moves.aggregate(checked=Count("pk"), bad=Count("pk", filter=missing))
    kinds = {MoveKind.SHIP: "销售记录", MoveKind.RECEIVE: "进货验收记录"}
    rows = (
        moves.filter(missing).order_by("at", "id").values("lot_id", "kind", "reference_number", "at")[:SHORTFALL_ROWS]
    )
    return none_violating(
        "保存期内的医疗器械进货验收记录与销售记录未被删除",
        checked=counts["checked"],
        violations=[
            (
                f"{row['reference_number']} 缺{kinds[row['kind']]}（{row['at']:%Y-%m-%d}）",
                reverse("inventory:lot-detail", args=[row["lot_id"]]),
            )
            for row in rows
        ],
        violation_count=counts["bad"],
        noun="笔",
        records_url=reverse("inventory:moves") + f"?kind={MoveKind.SHIP}&kind={MoveKind.RECEIVE}",
        note="按只追加的库存流水核对：每笔医疗器械到货与出库仍有对应的入库验收记录与销售记录",
    )
