"""工作台 queue of the inspection app: nonconformance records awaiting a disposition (SUP-8)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, queue_total, workbench_panel

from .choices import NonconformanceStatus
from .models import Nonconformance

PANEL_ROWS = 6


@workbench_panel(order=41)
def open_nonconformances(request):
    user = request.user
    if not user.has_perm("inspection.change_nonconformance"):
        return None
    queryset = (
        Nonconformance.objects.visible_to(user)
        .filter(status=NonconformanceStatus.OPEN)
        .select_related("product")
        .order_by("opened_at", "id")
    )
    rows = [
        PanelRow(
            text=f"{nc.number} · {nc.product.name}",
            url=reverse("inspection:nonconformance-detail", args=[nc.pk]),
            meta=timezone.localtime(nc.opened_at).strftime("%m-%d %H:%M"),
            badge=nc.get_source_display(),
            badge_class="bg-orange-lt",
        )
        for nc in queryset[:PANEL_ROWS]
    ]
    return Panel(
        key="nonconformances-open",
        title=_("待处置的不合格品"),
        rows=rows,
        **queue_total(queryset),
        more_url=reverse("inspection:nonconformances") + "?status=open",
        empty_text=_("暂无"),
    )
