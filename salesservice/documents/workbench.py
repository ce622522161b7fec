"""工作台 queue of document control (DOC-1): 待阅读确认的文件 — the issued versions the user must read and has not
confirmed yet."""

from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from .choices import VersionStatus
from .models import Acknowledgement

PANEL_ROWS = 6


@workbench_panel(order=95)
def documents_to_acknowledge(request):
    user = request.user
    if not user.has_perm("documents.view_controlleddocument"):
        return None
    queryset = (
        Acknowledgement.objects.filter(user=user, acknowledged_at__isnull=True, version__status=VersionStatus.ISSUED)
        .select_related("version", "version__document")
        .order_by("version__issued_at", "pk")
    )
    unread = list(queryset[:PANEL_ROWS])
    rows = [
        PanelRow(
            text=f"{row.version.document.code} · {row.version.document.title} · {row.version.label}",
            url=reverse("documents:version-detail", args=[row.version_id]),
            meta=row.version.issue_date.strftime("%m-%d") if row.version.issue_date else "",
            badge=_("未阅读"),
            badge_class="bg-orange-lt",
        )
        for row in unread
    ]
    return Panel(
        key="documents-to-acknowledge",
        title=_("待阅读确认的文件"),
        rows=rows,
        total=len(unread) if len(unread) < PANEL_ROWS else queryset.count(),  # one query unless the page is full
        more_url=reverse("documents:mine"),
        empty_text=_("没有待阅读确认的文件"),
    )
