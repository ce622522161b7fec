"""工作台 panel of the reports app: the scheduled reports delivered to me that I have not opened yet (issue 16 §2)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from .models import ReportDelivery, ReportRun

PANEL_ROWS = 6
MAX_COUNTED = 100  # rows and count from one query


@workbench_panel(order=96)
def new_reports(request):
    """The reports delivered to the user, not yet read, newest first (one query)."""
    user = request.user
    if not user.has_perm("reports.view_reportrun"):
        return None
    deliveries = list(
        ReportDelivery.objects.filter(
            recipient=user, read_at__isnull=True, run__in=ReportRun.objects.visible_to(user).values("pk")
        )
        .select_related("run__org_unit")
        .order_by("-notified_at", "-id")[:MAX_COUNTED]
    )
    if not deliveries:
        return None
    rows = [
        PanelRow(
            text=f"{d.run.get_kind_display()} · {d.run.unit_name}",
            url=d.run.get_absolute_url(),
            meta=d.run.period_label,
        )
        for d in deliveries[:PANEL_ROWS]
    ]
    return Panel(
        key="reports-new",
        title=_("新到定期报告"),
        rows=rows,
        total=len(deliveries),
        more_url=reverse("reports:list"),
    )
