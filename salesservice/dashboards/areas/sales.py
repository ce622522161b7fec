"""销售与交付 — orders (count, amount, status), on-time delivery (delivered by the requested date), acceptance with
concession (DLV: the customer's representative approved a release with activities missing) and overdue payments."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from salesservice.core.evidence import Period
from salesservice.delivery.models import Delivery
from salesservice.sales.choices import OrderStatus
from salesservice.sales.models import Receivable, SalesOrder

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
    pct,
    store_param,
)

TITLE = "销售与交付"


def _order_aggregates() -> dict:
    live = ~Q(status__in=[OrderStatus.DRAFT, OrderStatus.CANCELLED])
    return {"orders": Count("pk"), "amount": Sum("total", filter=live)}


def _delivery_aggregates() -> dict:
    # delivered in the period against a requested date: on time when delivered (local day) by that date
    dated = Q(requested_date__isnull=False)
    return {
        "delivered_all": Count("pk"),
        "delivered": Count("pk", filter=dated),
        "on_time": Count("pk", filter=dated & Q(delivered_at__date__lte=F("requested_date"))),
    }


def _overdue(period: Period):
    today = timezone.localdate()
    return in_unit(Receivable.objects.all(), period.unit).filter(due_date__lt=today, paid_amount__lt=F("amount"))


OVERDUE = {"overdue": Count("pk"), "outstanding": Sum(F("amount") - F("paid_amount"))}
CONCESSION = {"accepted": Count("pk"), "concession": Count("pk", filter=Q(concession_approved_at__isnull=False))}


def sales_data(period: Period) -> dict:
    orders = in_unit(SalesOrder.objects.all(), period.unit).filter(**period.dates("order_date"))
    delivered = in_unit(SalesOrder.objects.all(), period.unit).filter(**period.during("delivered_at"))
    accepted = in_unit(Delivery.objects.all(), period.unit).filter(**period.during("accepted_at"))
    overdue = _overdue(period)
    order_figures = orders.aggregate(**_order_aggregates())
    delivery_figures = delivered.aggregate(**_delivery_aggregates())
    acceptance = accepted.aggregate(**CONCESSION)
    overdue_figures = overdue.aggregate(**OVERDUE)

    where = {"ordered_after": period.start, "ordered_before": period.end, **store_param(period, store_filter=False)}
    statuses, status_labels, status_counts = choice_counts(orders, "status", OrderStatus.choices)
    kpis = [
        kpi("orders", "销售订单", order_figures["orders"], "单", link("sales:orders", **where)),
        kpi(
            "order_amount",
            "订单金额（不含草稿/取消）",
            float(order_figures["amount"] or Decimal("0")),
            "元",
            link("sales:orders", **where),
        ),
        kpi(
            "on_time_delivery",
            "按期交付率",
            pct(delivery_figures["on_time"], delivery_figures["delivered"]),
            "%",
            link(
                "sales:orders",
                status=[OrderStatus.DELIVERED, OrderStatus.CLOSED],
                **store_param(period, store_filter=False),
            ),
            note=f"本期交付且有要求交货日期 {delivery_figures['delivered']} 单，按期 {delivery_figures['on_time']} 单",
        ),
        kpi(
            "accepted",
            "交付验收",
            acceptance["accepted"],
            "单",
            link("delivery:deliveries", **store_param(period, store_filter=False)),
        ),
        kpi(
            "accepted_with_concession",
            "让步接收",
            acceptance["concession"],
            "单",
            link("delivery:deliveries", **store_param(period, store_filter=False)),
            note=f"占验收 {pct(acceptance['concession'], acceptance['accepted']) or 0} %",
        ),
        kpi(
            "payments_overdue",
            "逾期应收款",
            overdue_figures["overdue"],
            "笔",
            link("sales:receivables", overdue="true", **store_param(period, store_filter=False)),
        ),
        kpi(
            "overdue_amount",
            "逾期未收金额",
            float(overdue_figures["outstanding"] or Decimal("0")),
            "元",
            link("sales:receivables", overdue="true", **store_param(period, store_filter=False)),
        ),
    ]
    charts = [
        chart(
            "orders_by_status",
            "订单状态",
            "bar",
            status_labels,
            [{"name": "订单", "data": status_counts}],
            [link("sales:orders", status=value, **where) for value in statuses],
        ),
        chart(
            "delivery",
            "交付与验收",
            "bar",
            ["本期交付", "有要求交货日期", "按期交付", "验收", "让步接收"],
            [
                {
                    "name": "单数",
                    "data": [
                        delivery_figures["delivered_all"],
                        delivery_figures["delivered"],
                        delivery_figures["on_time"],
                        acceptance["accepted"],
                        acceptance["concession"],
                    ],
                }
            ],
        ),
    ]
    columns = [
        Column("orders", "订单", "单"),
        Column("order_amount", "金额", "元"),
        Column("on_time_delivery", "按期交付率", "%"),
        Column("accepted_with_concession", "让步接收", "单"),
        Column("payments_overdue", "逾期应收", "笔"),
    ]
    breakdown = Breakdown(period, columns)
    rep = "sales_rep" if level_of(period.unit) == "staff" else None
    breakdown.add(
        grouped(orders, period, unit_field="org_unit", staff_field=rep, **_order_aggregates()),
        lambda v: {"orders": v["orders"], "order_amount": float(v["amount"] or 0)},
    )
    breakdown.add(
        grouped(delivered, period, unit_field="org_unit", staff_field=rep, **_delivery_aggregates()),
        lambda v: {"on_time_delivery": pct(v["on_time"], v["delivered"])},
    )
    breakdown.add(
        grouped(accepted, period, unit_field="org_unit", staff_field=None, **CONCESSION),
        lambda v: {"accepted_with_concession": v["concession"]},
    )
    breakdown.add(
        grouped(overdue, period, unit_field="org_unit", staff_field=None, overdue=Count("pk")),
        lambda v: {"payments_overdue": v["overdue"]},
    )
    return answer("sales", TITLE, period, kpis, charts, breakdown)
