"""工作台 panels of the suppliers app: supplier documents expiring or expired (SUP-3), for purchasing; qualified
lists awaiting approval (SUP-2), for the purchasing manager."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, queue_total, workbench_panel

from .choices import QualifiedListStatus
from .models import QualifiedList, SupplierDocument
from .services import document_reminder_days

PANEL_ROWS = 6


@workbench_panel(order=50)
def expiring_supplier_documents(request):
    user = request.user
    if not user.has_perm("suppliers.change_supplierdocument"):
        return None
    today = timezone.localdate()
    queryset = (
        SupplierDocument.objects.visible_to(user)
        .filter(
            expires_on__isnull=False,
            expires_on__lte=today + dt.timedelta(days=document_reminder_days()),
            expires_on__gte=today - dt.timedelta(days=90),
            supplier__is_active=True,
        )
        .select_related("supplier")
        .order_by("expires_on", "pk")
    )
    rows = []
    for document in queryset[:PANEL_ROWS]:
        expired = document.expires_on < today
        rows.append(
            PanelRow(
                text=f"{document.supplier.name} · {document.get_kind_display()}",
                url=reverse("suppliers:supplier-detail", args=[document.supplier_id]),
                meta=document.expires_on.isoformat(),
                badge=_("已过期") if expired else _("即将到期"),
                badge_class="bg-red-lt" if expired else "bg-yellow-lt",
            )
        )
    return Panel(
        key="expiring-supplier-documents",
        title=_("供应商资质到期提醒"),
        rows=rows,
        **queue_total(queryset),
        more_url=reverse("suppliers:suppliers"),
        empty_text=_("没有即将到期的供应商资质"),
    )


@workbench_panel(order=51)
def lists_to_approve(request):
    user = request.user
    if not user.has_perm("suppliers.approve_qualifiedlist"):
        return None
    queryset = QualifiedList.objects.visible_to(user).filter(status=QualifiedListStatus.SUBMITTED).order_by("pk")
    rows = [
        PanelRow(
            text=f"{item.number} · {item.title}",
            url=reverse("suppliers:list-detail", args=[item.pk]),
            meta=timezone.localtime(item.submitted_at).strftime("%m-%d %H:%M") if item.submitted_at else "",
            badge=_("待审批"),
            badge_class="bg-azure-lt",
        )
        for item in queryset[:PANEL_ROWS]
    ]
    return Panel(
        key="qualified-lists-to-approve",
        title=_("待审批的合格供方名单"),
        rows=rows,
        **queue_total(queryset),
        more_url=reverse("suppliers:lists") + "?status=submitted",
        empty_text=_("暂无"),
    )
