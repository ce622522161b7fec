"""工作台 queues of the inventory app: goods waiting for inspection in quarantine (QA and clerk, SUP-7),
inspected goods waiting to be put away (clerk), stocktakes to count or approve (INV-2), recent excursions
(INV-1)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, queue_total, workbench_panel

from .choices import LocationKind
from .choices import StockCountStatus as C
from .models import StockCount, StockQuant, StorageReading

PANEL_ROWS = 6


def _quants(request, kind):
    return (
        StockQuant.objects.visible_to(request.user)
        .filter(location__kind=kind, quantity__gt=0)
        .select_related("product", "lot", "warehouse")
        .order_by("updated_at", "id")
    )


def _quant_panel(request, kind, key, title):
    queryset = _quants(request, kind)
    rows = [
        PanelRow(
            text=f"{q.product.name} · {q.lot}",
            url=reverse("inventory:lot-detail", args=[q.lot_id]),
            meta=f"{q.warehouse.code} × {q.quantity}",
        )
        for q in queryset[:PANEL_ROWS]
    ]
    return Panel(
        key=key,
        title=title,
        rows=rows,
        **queue_total(queryset),
        more_url=reverse("inventory:stock") + f"?location_kind={kind}",
        empty_text=_("暂无"),
    )


@workbench_panel(order=50)
def awaiting_inspection(request):
    if not request.user.has_perm("inventory.release_stock"):
        return None
    return _quant_panel(request, LocationKind.QUARANTINE, "stock-quarantine", _("待验区：待检验的到货"))


@workbench_panel(order=51)
def awaiting_put_away(request):
    if not request.user.has_perm("inventory.move_stock"):
        return None
    return _quant_panel(request, LocationKind.STAGING, "stock-staging", _("合格待上架"))


@workbench_panel(order=52)
def stock_counts(request):
    user = request.user
    if user.has_perm("inventory.approve_stockcount"):
        statuses, title = [C.SUBMITTED], _("盘点差异待审批")
    elif user.has_perm("inventory.change_stockcount"):
        statuses, title = [C.DRAFT, C.COUNTING], _("进行中的盘点")
    else:
        return None
    queryset = (
        StockCount.objects.visible_to(user).filter(status__in=statuses).select_related("warehouse").order_by("id")
    )
    rows = [
        PanelRow(
            text=f"{c.number} · {c.warehouse.name}",
            url=reverse("inventory:count-detail", args=[c.pk]),
            badge=c.get_status_display(),
            badge_class="bg-orange-lt",
        )
        for c in queryset[:PANEL_ROWS]
    ]
    return Panel(
        key="stock-counts",
        title=title,
        rows=rows,
        **queue_total(queryset),
        more_url=reverse("inventory:counts"),
        empty_text=_("暂无"),
    )


@workbench_panel(order=53)
def excursions(request):
    if not request.user.has_perm("inventory.add_storagereading"):
        return None
    queryset = (
        StorageReading.objects.visible_to(request.user)
        .filter(excursion=True)
        .select_related("location")
        .order_by("-recorded_at", "-id")
    )
    rows = [
        PanelRow(
            text=f"{r.location.code} · {r.excursion_detail[:40]}",
            url=reverse("inventory:readings") + f"?location={r.location_id}",
            meta=f"{r.recorded_at:%m-%d %H:%M}",
            badge=_("超限"),
            badge_class="bg-red-lt",
        )
        for r in queryset[:PANEL_ROWS]
    ]
    return Panel(
        key="stock-excursions",
        title=_("储存环境超限"),
        rows=rows,
        **queue_total(queryset),
        more_url=reverse("inventory:readings") + "?excursion=true",
        empty_text=_("暂无"),
    )
