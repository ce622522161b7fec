"""Compliance evidence of inventory (issue 16 §4): INV-1 (storage readings recorded, excursions told to the
warehouse), INV-2 (stocktakes: every variance with its reason, approved by someone other than who counted), INV-3
(the stock analysis over the period), INV-4 (the ledger: every movement with its document), PRD-2 (the products
handled carry their identification and, for medical devices, the Chinese label), PRD-3 (received lots registered
with what the product's tracking asks and their supplier), TRC-3 (storage readings and ledger rows signed)."""

from django.db.models import Count, F, Q
from django.urls import reverse

from salesservice.core.evidence import MET, Evidence, Figure, Period, count_only, evidence, none_violating, rate

from .choices import MoveKind
from .models import Lot, StockCount, StockCountLine, StockMove, StorageReading


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


def _span(period: Period, after: str = "after", before: str = "before") -> str:
    return f"?{after}={period.start.isoformat()}&{before}={period.end.isoformat()}"


# --- INV-1 storage environment ----------------------------------------------------------------------------


def _readings(period: Period):
    return StorageReading.objects.in_unit(period.unit).filter(**period.during("recorded_at"))


@evidence("INV-1")
def storage_readings_recorded(period: Period) -> Evidence:
    """储存环境（温湿度）有记录"""
    from salesservice.catalog.models import Product

    figures = _readings(period).aggregate(
        n=Count("pk"), locations=Count("location_id", distinct=True), excursions=Count("pk", filter=Q(excursion=True))
    )
    ranged = Product.objects.filter(is_active=True).filter(
        Q(storage_temp_min__isnull=False)
        | Q(storage_temp_max__isnull=False)
        | Q(storage_humidity_min__isnull=False)
        | Q(storage_humidity_max__isnull=False)
    )
    return count_only(
        "储存环境温湿度记录",
        count=figures["n"],
        noun="次",
        records_url=reverse("inventory:readings") + _span(period),
        extra=(
            Figure("记录的库位", figures["locations"], "个"),
            Figure("超限", figures["excursions"], "次"),
            Figure("登记储存条件的商品（全公司）", ranged.count(), "种"),
        ),
        note="各商品的温湿度范围登记在商品资料（全公司）；读数超出在库商品的范围即为超限",
    )


@evidence("INV-1")
def excursions_reminded(period: Period) -> Evidence:
    """储存环境超限已提醒仓管"""
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Substr

    from salesservice.core.models import Notification

    excursions = _readings(period).filter(excursion=True)
    told = Exists(
        Notification.objects.filter(kind="inventory.excursion", body=Substr(OuterRef("excursion_detail"), 1, 200))
    )
    counts = excursions.aggregate(
        total=Count("pk", distinct=True),
        good=Count("pk", filter=Q(told), distinct=True),
        ncs=Count("nonconformances", distinct=True),
    )
    rows = (
        excursions.filter(~Q(told))
        .order_by("recorded_at", "id")
        .values("location_id", "warehouse__code", "location__code", "recorded_at")[:20]
    )
    url = reverse("inventory:readings")
    return rate(
        "储存环境超限已通知仓管",
        good=counts["good"],
        total=counts["total"],
        noun="次",
        good_label="已通知",
        shortfalls=[
            (
                f"{row['warehouse__code']}/{row['location__code']} {row['recorded_at']:%Y-%m-%d %H:%M}",
                f"{url}?location={row['location_id']}&excursion=true",
            )
            for row in rows
        ],
        records_url=url + _span(period) + "&excursion=true",
        extra=(Figure("超限登记的不合格品（批次已冻结）", counts["ncs"], "项"),),
        note="超限时系统登记不合格品、冻结批次并通知仓管；按通知内容与超限说明核对",
    )


# --- INV-3 stock analysis --------------------------------------------------------------------------------


def _analyse(period: Period, params, product_model) -> list:
    """`reports.stock_analysis`'s rows over the unit's warehouses (the same two grouped queries and products)."""
    import datetime as dt

    from django.db.models import Case, F, IntegerField, Max, Min, Sum, Value, When

    from .models import StockQuant
    from .reports import COUNTED, ProductStock, _moment

    quants = StockQuant.objects.in_unit(period.unit)
    moves = StockMove.objects.in_unit(period.unit)
    on_hand = dict(
        quants.filter(location__kind__in=COUNTED)
        .order_by()
        .values("product_id")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "total")
    )
    start_at, end_at = _moment(params.start), _moment(params.end + dt.timedelta(days=1))
    inflow = Case(When(to_location__kind__in=COUNTED, then=F("quantity")), default=Value(0))
    outflow = Case(When(from_location__kind__in=COUNTED, then=F("quantity")), default=Value(0))
    ship = Q(kind=MoveKind.SHIP)
    figures = {
        row["product_id"]: row
        for row in moves.order_by()
        .values("product_id")
        .annotate(
            issued=Sum("quantity", filter=ship & Q(at__gte=start_at, at__lt=end_at)),
            net_since_start=Sum(inflow - outflow, filter=Q(at__gte=start_at), output_field=IntegerField()),
            net_since_end=Sum(inflow - outflow, filter=Q(at__gte=end_at), output_field=IntegerField()),
            last_issue=Max("at", filter=ship),
            first_in=Min("at", filter=Q(from_location__isnull=True)),
        )
    }
    rows = []
    for pk, product in product_model.objects.in_bulk(set(on_hand) | set(figures)).items():
        now = on_hand.get(pk) or 0
        row = figures.get(pk, {})
        item = ProductStock(
            product=product,
            on_hand=now,
            opening=now - (row.get("net_since_start") or 0),
            closing=now - (row.get("net_since_end") or 0),
            issued=row.get("issued") or 0,
            last_issue=row.get("last_issue"),
            first_in=row.get("first_in"),
            params=params,
        )
        if item.on_hand or item.issued or item.opening or item.closing:
            rows.append(item)
    return rows


@evidence("INV-3")
def stock_structure_analysed(period: Period) -> Evidence:
    """库存结构与周转分析"""
    from decimal import ROUND_HALF_UP, Decimal

    from django.utils import timezone

    from salesservice.catalog.models import Product
    from salesservice.core.policy import policy_value

    from .reports import POLICY, Parameters

    aspect = "库存结构与周转分析（呆滞、缺货风险、补货建议）"
    end = min(period.end, timezone.localdate())
    if period.start > end:
        return Evidence.none(aspect, "期间尚未开始")
    try:
        policy = {name: int(policy_value(key)) for name, (key, _default) in POLICY.items()}
    except Exception:  # noqa: BLE001 — a missing parameter is missing evidence, not an error
        return Evidence.none(aspect, "未设置库存分析的政策参数（呆滞天数、补货提前期、目标可供天数）")
    params = Parameters(start=period.start, end=end, **policy)
    rows = _analyse(period, params, Product)
    if not rows:
        return Evidence.none(aspect, "本期本单位仓库没有库存与出入库")
    issued = sum(row.issued for row in rows)
    average = sum((row.average for row in rows), Decimal(0))
    turnover = (Decimal(issued) / average).quantize(Decimal("0.01"), ROUND_HALF_UP) if average > 0 else None
    figures = [Figure("分析商品", len(rows), "种"), Figure("期间出库", issued, "件")]
    if turnover is not None:
        figures.append(Figure("周转次数", turnover, "次"))
    figures += [
        Figure("呆滞商品", sum(1 for row in rows if row.slow), "种"),
        Figure("缺货风险商品", sum(1 for row in rows if row.at_risk), "种"),
        Figure("建议补货商品", sum(1 for row in rows if row.reorder > 0), "种"),
        Figure("呆滞判定天数", params.slow_moving_days, "天"),
        Figure("补货提前期", params.lead_time_days, "天"),
        Figure("目标可供天数", params.target_cover_days, "天"),
    ]
    return Evidence(
        aspect=aspect,
        status=MET,
        figures=tuple(figures),
        note="按政策参数计算；补货建议只在库存分析页显示，系统不发送也不记录补货提醒（提醒无法取证）",
        records_url=reverse("inventory:analysis") + f"?start={period.start.isoformat()}&end={end.isoformat()}",
    )


# --- INV-4 the ledger ------------------------------------------------------------------------------------


def _moves(period: Period):
    return StockMove.objects.in_unit(period.unit).filter(**period.during("at"))


@evidence("INV-4")
def ledger_rows_with_their_document(period: Period) -> Evidence:
    """库存账：每笔变动有流水及来源单据"""
    moves = _moves(period)
    missing = Q(reference_number="")
    counts = moves.aggregate(
        total=Count("pk"), bad=Count("pk", filter=missing), warehouses=Count("warehouse_id", distinct=True)
    )
    rows = moves.filter(missing).order_by("at", "id").values("lot_id", "kind", "lot__product__code", "at")[:20]
    kinds = dict(MoveKind.choices)
    return rate(
        "库存流水注明来源单据",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="笔",
        good_label="有来源单据",
        shortfalls=[
            (
                f"{row['at']:%Y-%m-%d %H:%M} {kinds.get(row['kind'], row['kind'])} {row['lot__product__code']}",
                reverse("inventory:lot-detail", args=[row["lot_id"]]),
            )
            for row in rows
        ],
        records_url=reverse("inventory:moves") + _span(period),
        extra=(Figure("仓库", counts["warehouses"], "个"),),
        note="库存流水只追加、不可修改或删除；在库数量只随流水变动",
    )


# --- PRD-2 / PRD-3 products and lots ---------------------------------------------------------------------


@evidence("PRD-2")
def handled_products_identified(period: Period) -> Evidence:
    """经手商品标识完整、医疗器械有中文标签"""
    from salesservice.catalog.choices import DeviceClass
    from salesservice.catalog.models import Product

    medical = ~Q(device_class=DeviceClass.NONE)
    lacking = (
        Q(name="")
        | Q(manufacturer="")
        | Q(origin="")
        | (medical & Q(registration_no=""))
        | (medical & Q(has_chinese_label=False))
    )
    products = Product.objects.filter(pk__in=_moves(period).values("product_id"))
    counts = products.aggregate(total=Count("pk"), bad=Count("pk", filter=lacking))
    rows = products.filter(lacking).order_by("code").values("pk", "code", "name")[:20]
    return rate(
        "本期出入库的商品有名称、生产者、产地，医疗器械有注册证号和中文标签",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="种",
        good_label="标识完整",
        shortfalls=[
            (f"{row['code']} {row['name']}", reverse("catalog:product-detail", args=[row["pk"]])) for row in rows
        ],
        records_url=reverse("inventory:moves") + _span(period),
        note="商品标识按商品资料当前登记判定；库存状态（待验、合格、不合格、冻结）由库位与批次记录",
    )


@evidence("PRD-3")
def received_lots_registered(period: Period) -> Evidence:
    """到货批次按编号登记供应商与日期"""
    from salesservice.catalog.choices import TrackingMode

    received = _moves(period).filter(kind=MoveKind.RECEIVE).values("lot_id")
    lacking = (
        Q(supplier_id__isnull=True)
        | Q(product__tracking_mode=TrackingMode.BATCH, lot_number="")
        | Q(product__tracking_mode=TrackingMode.SERIAL, serial_number="")
        | Q(product__shelf_life_tracked=True, production_date__isnull=True)
        | Q(product__shelf_life_tracked=True, expiry_date__isnull=True)
        | Q(product__manufacturer="")
    )
    lots = Lot.objects.filter(pk__in=received)
    counts = lots.aggregate(total=Count("pk"), bad=Count("pk", filter=lacking))
    rows = (
        lots.filter(lacking)
        .order_by("product__code", "id")
        .values("pk", "product__code", "lot_number", "serial_number")[:20]
    )
    return rate(
        "本期到货的批次/序列号登记供应商、生产日期与有效期（按追踪方式）",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="批",
        good_label="登记完整",
        shortfalls=[
            (
                f"{row['product__code']} {row['lot_number'] or row['serial_number'] or '—'}",
                reverse("inventory:lot-detail", args=[row["pk"]]),
            )
            for row in rows
        ],
        records_url=reverse("inventory:moves") + _span(period) + f"&kind={MoveKind.RECEIVE}",
        note="客户与发货日期由销售记录登记（TRC-1）",
    )


# --- TRC-3 signatures ------------------------------------------------------------------------------------


@evidence("TRC-3")
def readings_signed(period: Period) -> Evidence:
    """储存环境记录有记录人"""
    readings = _readings(period)
    unsigned = Q(recorded_by__isnull=True)
    counts = readings.aggregate(total=Count("pk"), bad=Count("pk", filter=unsigned))
    rows = (
        readings.filter(unsigned)
        .order_by("recorded_at", "id")
        .values("location_id", "warehouse__code", "location__code", "recorded_at")[:20]
    )
    url = reverse("inventory:readings")
    return rate(
        "储存环境记录有记录人签名",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="次",
        good_label="已签名",
        shortfalls=[
            (
                f"{row['warehouse__code']}/{row['location__code']} {row['recorded_at']:%Y-%m-%d %H:%M}",
                f"{url}?location={row['location_id']}",
            )
            for row in rows
        ],
        records_url=url + _span(period),
    )


@evidence("TRC-3")
def ledger_rows_signed(period: Period) -> Evidence:
    """库存流水有经办人"""
    moves = _moves(period)
    unsigned = Q(actor__isnull=True)
    counts = moves.aggregate(total=Count("pk"), bad=Count("pk", filter=unsigned))
    rows = (
        moves.filter(unsigned)
        .order_by("at", "id")
        .values("lot_id", "kind", "reference_number", "lot__product__code", "at")[:20]
    )
    kinds = dict(MoveKind.choices)
    return rate(
        "库存流水有经办人签名",
        good=counts["total"] - counts["bad"],
        total=counts["total"],
        noun="笔",
        good_label="已签名",
        shortfalls=[
            (
                f"{row['at']:%Y-%m-%d %H:%M} {kinds.get(row['kind'], row['kind'])} {row['reference_number']}".strip(),
                reverse("inventory:lot-detail", args=[row["lot_id"]]),
            )
            for row in rows
        ],
        records_url=reverse("inventory:moves") + _span(period),
    )
