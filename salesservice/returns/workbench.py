"""工作台 queue of the returns app (RET-2: no stalling): the returns awaiting *my* action —
approval for approvers, receiving for the warehouse, inspection for QA. Scoped; first rows only."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from . import selectors
from .choices import ReturnStatus as R

PANEL_ROWS = 6


def _queues(user):
    """(status, label, queryset) of each queue this user acts on."""
    queues = []
    if user.has_perm("returns.approve_returnrequest"):
        queues.append((R.REQUESTED, _("待审批"), selectors.awaiting_approval(user)))
    if user.has_perm("returns.change_returnrequest") and not user.has_perm("returns.add_returnrequest"):
        # The warehouse receives, QA inspects (neither logs requests); desk staff see their approvals above.
        if user.has_perm("inspection.change_nonconformance"):
            queues.append((R.GOODS_RECEIVED, _("待检验"), selectors.awaiting_inspection(user)))
        else:
            queues.append((R.APPROVED, _("待收货"), selectors.awaiting_receipt(user)))
    return queues


@workbench_panel(order=40)
def returns_awaiting_me(request):
    user = request.user
    if not user.has_perm("returns.view_returnrequest"):
        return None
    queues = _queues(user)
    if not queues:
        return None
    rows, total = [], 0
    for _status, label, queryset in queues:
        total += queryset.count()
        for item in queryset[:PANEL_ROWS]:
            rows.append(
                PanelRow(
                    text=f"{item.number} · {item.customer.name} · {item.product.name}",
                    url=reverse("returns:return-detail", args=[item.pk]),
                    meta=timezone.localtime(item.requested_at).strftime("%m-%d %H:%M"),
                    badge=label,
                    badge_class="bg-yellow-lt" if item.eligible else "bg-red-lt",
                )
            )
    statuses = "&".join(f"status={status}" for status, _label, _q in queues)
    return Panel(
        key="returns-awaiting",
        title=_("待我处理的退换货"),
        rows=rows[:PANEL_ROWS],
        total=total,
        more_url=reverse("returns:returns") + "?" + statuses,
        empty_text=_("暂无"),
    )
