"""工作台 queues of the complaints app: my open complaints, overdue first responses (CMP-2), complaints at my
level (CMP-7), over-limit payouts waiting for my approval (CMP-8), my open improvement actions (CMP-5)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from . import selectors

PANEL_ROWS = 6


def _first(queryset) -> tuple[list, int]:
    """The first rows and the total — counted only when the rows fill the panel (one query per empty queue)."""
    rows = list(queryset[:PANEL_ROWS])
    return rows, (len(rows) if len(rows) < PANEL_ROWS else queryset.count())


def _complaint_panel(key, title, queryset, *, meta, badge=None, badge_class="bg-secondary-lt", more_url=""):
    complaints, total = _first(queryset)
    rows = [
        PanelRow(
            text=f"{c.number} · {c.customer.name} · {c.subject[:20]}",
            url=reverse("complaints:complaint-detail", args=[c.pk]),
            meta=meta(c),
            badge=badge or c.get_status_display(),
            badge_class=badge_class,
        )
        for c in complaints
    ]
    return Panel(key=key, title=title, rows=rows, total=total, more_url=more_url, empty_text=_("暂无"))


def _due(complaint) -> str:
    if complaint.first_responded_at is None:
        return _("首次答复 %(t)s") % {"t": timezone.localtime(complaint.first_response_due_at).strftime("%m-%d %H:%M")}
    return _("升级 %(t)s") % {"t": timezone.localtime(complaint.escalation_due_at).strftime("%m-%d %H:%M")}


@workbench_panel(order=30)
def my_open_complaints(request):
    user = request.user
    if not user.has_perm("complaints.change_complaint"):
        return None
    return _complaint_panel(
        "my-complaints", _("我的投诉"), selectors.my_open(user), meta=_due, more_url=reverse("complaints:complaints")
    )


@workbench_panel(order=31)
def overdue_first_responses(request):
    user = request.user
    if not user.has_perm("complaints.view_complaint") or not user.has_perm("complaints.change_complaint"):
        return None
    return _complaint_panel(
        "complaint-first-response-overdue",
        _("投诉首次答复超时"),
        selectors.first_response_overdue(user),
        meta=_due,
        badge=_("超时"),
        badge_class="bg-red-lt",
        more_url=reverse("complaints:complaints") + "?overdue=true",
    )


@workbench_panel(order=32)
def complaints_at_my_level(request):
    user = request.user
    if not user.has_perm("complaints.close_complaint"):
        return None
    from .compensation import authority_level

    if authority_level(user) == 0:  # level 0 is the store's own work, not an escalation
        return None
    return _complaint_panel(
        "complaints-my-level",
        _("升级到我这一级的投诉"),
        selectors.at_my_level(user),
        meta=_due,
        badge_class="bg-orange-lt",
        more_url=reverse("complaints:complaints"),
    )


@workbench_panel(order=33)
def pending_compensation_approvals(request):
    user = request.user
    if not user.has_perm("complaints.approve_compensation"):
        return None
    requests, total = _first(selectors.pending_approvals(user))
    rows = [
        PanelRow(
            text=f"{r.complaint.number} · ¥{r.amount} · {r.requested_by.name}",
            url=reverse("complaints:complaint-detail", args=[r.complaint_id]) + "#pending-approvals",
            meta=timezone.localtime(r.requested_at).strftime("%m-%d %H:%M"),
            badge=_("待审批"),
            badge_class="bg-yellow-lt",
        )
        for r in requests
    ]
    return Panel(
        key="compensation-approvals",
        title=_("待我审批的超权限赔付"),
        rows=rows,
        total=total,
        empty_text=_("暂无"),
    )


@workbench_panel(order=34)
def my_improvement_actions(request):
    user = request.user
    queryset = (
        selectors.improvement_action_list(user).filter(owner=user, done_at__isnull=True).order_by("due_date", "pk")
    )
    actions, total = _first(queryset)
    if not actions:
        return None
    today = timezone.localdate()
    rows = [
        PanelRow(
            text=f"{a.complaint.number} · {a.description[:30]}",
            url=reverse("complaints:actions") + f"?show=mine#action-{a.pk}",
            meta=a.due_date.isoformat(),
            badge=_("已逾期") if a.due_date < today else _("未完成"),
            badge_class="bg-red-lt" if a.due_date < today else "bg-yellow-lt",
        )
        for a in actions
    ]
    return Panel(
        key="my-improvement-actions",
        title=_("我负责的改进措施"),
        rows=rows,
        total=total,
        more_url=reverse("complaints:actions") + "?show=mine",
        empty_text=_("暂无"),
    )
