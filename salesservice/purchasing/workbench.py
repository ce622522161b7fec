"""工作台 queues of the purchasing app: orders to approve (approvers, within their tier — SUP-4), late
deliveries and receiving nonconformances to settle with the supplier (purchasers — SUP-5, SUP-8), receipts
waiting inspection (QA — SUP-6/SUP-7) and inspected receipts waiting put-away (warehouse clerk)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import PanelRow, queue_panel, workbench_panel

from .choices import OrderStatus, ReceiptStatus
from .filtersets import late_lines
from .models import PurchaseOrder, Receipt, ReceiptLine


def _panel(key, title, queryset, row, more_url):
    return queue_panel(key, title, queryset, row, more_url)


@workbench_panel(order=30)
def orders_to_approve(request):
    from . import services

    user = request.user
    if not user.has_perm("purchasing.approve_purchaseorder"):
        return None
    ceiling = services.approval_ceiling(user)
    queryset = (
        PurchaseOrder.objects.visible_to(user)
        .filter(status=OrderStatus.SUBMITTED)
        .exclude(submitted_by=user)
        .exclude(created_by=user)
        .select_related("supplier")
        .order_by("submitted_at", "id")
    )
    if ceiling is not None:
        queryset = queryset.filter(total__lte=ceiling)
    return _panel(
        "purchase-orders-to-approve",
        _("待审批的采购订单"),
        queryset,
        lambda o: PanelRow(
            text=f"{o.number} · {o.supplier.name}",
            url=reverse("purchasing:order-detail", args=[o.pk]),
            meta=f"{o.total} 元",
            badge=_("待审批"),
            badge_class="bg-blue-lt",
        ),
        reverse("purchasing:orders") + "?status=submitted",
    )


@workbench_panel(order=31)
def late_deliveries(request):
    user = request.user
    if not user.has_perm("purchasing.change_purchaseorder"):
        return None
    queryset = (
        PurchaseOrder.objects.visible_to(user)
        .filter(Exists(late_lines()), status__in=(OrderStatus.APPROVED, OrderStatus.PARTIALLY_RECEIVED))
        .select_related("supplier")
        .order_by("order_date", "id")
    )
    return _panel(
        "late-deliveries",
        _("逾期未到货"),
        queryset,
        lambda o: PanelRow(
            text=f"{o.number} · {o.supplier.name}",
            url=reverse("purchasing:order-detail", args=[o.pk]),
            meta=o.order_date.strftime("%m-%d"),
            badge=_("逾期"),
            badge_class="bg-red-lt",
        ),
        reverse("purchasing:orders") + "?late=true",
    )


@workbench_panel(order=32)
def receiving_nonconformances(request):
    """SUP-8: receiving NCs still open — the purchaser settles them with the supplier."""
    from salesservice.inspection.choices import NonconformanceStatus
    from salesservice.inspection.models import Nonconformance

    user = request.user
    if not user.has_perm("purchasing.change_purchaseorder"):
        return None
    queryset = (
        Nonconformance.objects.filter(source="receiving")
        .exclude(status=NonconformanceStatus.CLOSED)
        .filter(Exists(ReceiptLine.objects.filter(nonconformance=OuterRef("pk"))))
        .select_related("product")
        .order_by("opened_at", "id")
    )
    return _panel(
        "receiving-ncs",
        _("进货不合格待与供应商协商"),
        queryset,
        lambda nc: PanelRow(
            text=f"{nc.number} · {nc.product.name} × {nc.quantity}",
            url=reverse("inspection:nonconformance-detail", args=[nc.pk]),
            meta=timezone.localtime(nc.opened_at).strftime("%m-%d"),
            badge=nc.get_status_display(),
            badge_class="bg-orange-lt",
        ),
        reverse("purchasing:receipts"),
    )


def _receipt_row(receipt):
    return PanelRow(
        text=f"{receipt.number} · {receipt.order.supplier.name}",
        url=reverse("purchasing:receipt-detail", args=[receipt.pk]),
        meta=timezone.localtime(receipt.received_at).strftime("%m-%d %H:%M"),
        badge=receipt.get_status_display(),
        badge_class="bg-orange-lt" if receipt.status == ReceiptStatus.RECEIVED else "bg-azure-lt",
    )


@workbench_panel(order=33)
def receipts_to_inspect(request):
    user = request.user
    if not user.has_perm("purchasing.inspect_receipt"):
        return None
    queryset = (
        Receipt.objects.visible_to(user)
        .filter(status=ReceiptStatus.RECEIVED)
        .select_related("order__supplier")
        .order_by("received_at", "id")
    )
    return _panel(
        "receipts-to-inspect",
        _("到货待检"),
        queryset,
        _receipt_row,
        reverse("purchasing:receipts") + "?status=received",
    )


@workbench_panel(order=34)
def receipts_to_put_away(request):
    user = request.user
    if not user.has_perm("purchasing.put_away_receipt"):
        return None
    queryset = (
        Receipt.objects.visible_to(user)
        .filter(status=ReceiptStatus.INSPECTED)
        .select_related("order__supplier")
        .order_by("inspected_at", "id")
    )
    return _panel(
        "receipts-to-put-away",
        _("验收合格待上架"),
        queryset,
        _receipt_row,
        reverse("purchasing:receipts") + "?status=inspected",
    )
