"""工作台 panel of the feedback app: my follow-ups due by today (FBK-1 remind), scoped to the user."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from . import selectors

PANEL_ROWS = 6


@workbench_panel(order=30)
def my_due_follow_ups(request):
    user = request.user
    if not user.has_perm("feedback.change_followup"):
        return None
    now = timezone.now()
    queryset = selectors.my_due_follow_ups(user, now)
    first = list(queryset[:PANEL_ROWS])
    # One query when the queue is short (the workbench has a query budget shared by every app's panels).
    total = len(first) if len(first) < PANEL_ROWS else queryset.count()
    rows = []
    for follow_up in first:
        overdue = follow_up.due_at <= now
        rows.append(
            PanelRow(
                text=f"{follow_up.number} · {follow_up.customer.name} · {follow_up.get_kind_display()}",
                url=reverse("feedback:follow-up-detail", args=[follow_up.pk]),
                meta=timezone.localtime(follow_up.due_at).strftime("%m-%d %H:%M"),
                badge=_("已逾期") if overdue else follow_up.get_status_display(),
                badge_class="bg-red-lt" if overdue else "bg-blue-lt",
            )
        )
    return Panel(
        key="my-follow-ups",
        title=_("我的待回访"),
        rows=rows,
        total=total,
        more_url=reverse("feedback:follow-ups") + f"?assignee={user.pk}&open=true",
        empty_text=_("暂无到期回访"),
    )
