"""供应与库存 — receiving inspection pass rate (quantities accepted of those inspected), nonconformances by source and
by supplier, supplier standings, stock turnover, lots near or past expiry, storage excursions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone

from salesservice.core.evidence import Period
from salesservice.core.policy import policy_value
from salesservice.inspection.choices import NonconformanceSource
from salesservice.inspection.models import Nonconformance
from salesservice.inventory.choices import MoveKind
from salesservice.inventory.models import StockMove, StockQuant, StorageReading
from salesservice.purchasing.models import Receipt, ReceiptLine
from salesservice.suppliers.choices import Standing
from salesservice.suppliers.models import Supplier

from .base import (
    Breakdown,
    Column,
    answer,
    chart,
    choice_counts,
    grouped,
    in_unit,
    kpi,
    level_of,
    link,
    num,
    pct,
    store_param,
)

TITLE = "供应与库存"
INSPECTED = {"accepted": Sum("accepted_quantity"), "rejected": Sum("rejected_quantity"), "lines": Count("pk")}


def _receipt_lines(period: Period):
    lines = ReceiptLine.objects.filter(accepted_quantity__isnull=False, **period.during("inspected_at"))
    if period.unit is not None:
        lines = lines.filter(receipt__in=in_unit(Receipt.objects.all(), period.unit).values("pk"))
    return lines


def _rate(values) -> float | None:
    accepted, rejected = values["accepted"] or 0, values["rejected"] or 0
    return pct(accepted, accepted + rejected)


def supply_data(period: Period) -> dict:
    today = timezone.localdate()
    lines = _receipt_lines(period)
    receiving = lines.aggregate(**INSPECTED)
    ncs = in_unit(Nonconformance.objects.all(), period.unit).filter(**period.during("opened_at"))
    sources, source_labels, source_counts = choice_counts(ncs, "source", NonconformanceSource.choices)
    by_supplier = list(
        lines.filter(nonconformance__isnull=False)
        .values("receipt__order__supplier", "receipt__order__supplier__name")
        .annotate(n=Count("nonconformance", distinct=True))
        .order_by("-n", "receipt__order__supplier__name")[:10]
    )
    suppliers = Supplier.objects.filter(is_active=True)
    standings, standing_labels, standing_counts = choice_counts(suppliers, "standing", Standing.choices)

    quants = in_unit(StockQuant.objects.all(), period.unit).filter(quantity__gt=0)
    moves = in_unit(StockMove.objects.all(), period.unit).filter(kind=MoveKind.SHIP, **period.during("at"))
    on_hand = quants.aggregate(n=Sum("quantity"))["n"] or 0
    shipped = moves.aggregate(n=Sum("quantity"))["n"] or 0
    near_days = int(policy_value("inventory.near_expiry_days"))
    horizon = today + dt.timedelta(days=near_days)
    expiry = quants.filter(lot__expiry_date__isnull=False).aggregate(
        expiring=Count("lot", distinct=True, filter=Q(lot__expiry_date__gte=today, lot__expiry_date__lte=horizon)),
        expired=Count("lot", distinct=True, filter=Q(lot__expiry_date__lt=today)),
    )
    readings = in_unit(StorageReading.objects.all(), period.unit).filter(**period.during("recorded_at"))
    excursions = readings.aggregate(readings=Count("pk"), excursions=Count("pk", filter=Q(excursion=True)))

    unit = store_param(period, store_filter=False)
    receipt_url = link("purchasing:receipts", received_after=period.start, received_before=period.end, **unit)
    kpis = [
        kpi(
            "receipt_pass_rate",
            "进货检验合格率",
            _rate(receiving),
            "%",
            receipt_url,
            note=f"检验 {receiving['lines']} 行，合格 {receiving['accepted'] or 0}、不合格 {receiving['rejected'] or 0} 件",
        ),
        kpi("nonconformances", "不合格品", sum(source_counts), "单", link("inspection:nonconformances", **unit)),
        kpi(
            "suppliers_disqualified",
            "不合格供应商",
            standing_counts[standings.index(Standing.DISQUALIFIED)],
            "家",
            link("suppliers:suppliers", standing=Standing.DISQUALIFIED),
        ),
        kpi(
            "stock_turnover",
            "库存周转（期间出库 ÷ 当前库存）",
            num(shipped / on_hand, 2) if on_hand else None,
            "次",
            link("inventory:moves", kind=MoveKind.SHIP, after=period.start, before=period.end, **unit),
            note=f"出库 {shipped} 件，当前库存 {on_hand} 件",
        ),
        kpi(
            "lots_expiring",
            f"近效期批次（{near_days} 天内）",
            expiry["expiring"],
            "批",
            link("inventory:lots", expires_before=horizon),
        ),
        kpi(
            "lots_expired",
            "已过期在库批次",
            expiry["expired"],
            "批",
            link("inventory:lots", expires_before=today - dt.timedelta(days=1)),
        ),
        kpi(
            "excursions",
            "温湿度超限",
            excursions["excursions"],
            "次",
            link("inventory:readings", excursion="true", after=period.start, before=period.end, **unit),
            note=f"记录 {excursions['readings']} 次",
        ),
    ]
    charts = [
        chart(
            "nc_by_source",
            "不合格品来源",
            "pie",
            source_labels,
            [{"name": "不合格品", "data": source_counts}],
            [link("inspection:nonconformances", source=value, **unit) for value in sources],
        ),
        chart(
            "nc_by_supplier",
            "进货不合格（按供应商，前 10）",
            "bar",
            [row["receipt__order__supplier__name"] or "—" for row in by_supplier],
            [{"name": "不合格品", "data": [row["n"] for row in by_supplier]}],
            [link("purchasing:receipts", supplier=row["receipt__order__supplier"]) for row in by_supplier],
        ),
        chart(
            "supplier_standings",
            "供应商评价结果（全公司）",
            "pie",
            standing_labels,
            [{"name": "供应商", "data": standing_counts}],
            [link("suppliers:suppliers", standing=value) for value in standings],
        ),
    ]
    columns = [
        Column("receipt_pass_rate", "进货检验合格率", "%"),
        Column("nonconformances", "不合格品", "单"),
        Column("excursions", "温湿度超限", "次"),
    ]
    breakdown = Breakdown(period, columns)
    staff = level_of(period.unit) == "staff"
    breakdown.add(
        grouped(
            lines,
            period,
            unit_field="receipt__warehouse__org_unit",
            staff_field="inspector" if staff else None,
            **INSPECTED,
        ),
        lambda v: {"receipt_pass_rate": _rate(v)},
    )
    breakdown.add(
        grouped(ncs, period, unit_field="org_unit", staff_field="opened_by" if staff else None, n=Count("pk")),
        lambda v: {"nonconformances": v["n"]},
    )
    breakdown.add(
        grouped(
            readings,
            period,
            unit_field="warehouse__org_unit",
            staff_field="recorded_by" if staff else None,
            n=Count("pk", filter=Q(excursion=True)),
        ),
        lambda v: {"excursions": v["n"]},
    )
    for row in breakdown.values.values():
        row.setdefault("nonconformances", 0)
        row.setdefault("excursions", 0)
    return answer("supply", TITLE, period, kpis, charts, breakdown)
