"""工作台 queue of document control (DOC-1): 待阅读确认的文件 — the issued versions the user must read and has not
confirmed yet."""

from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.workbench import PanelRow, queue_panel, workbench_panel

from .choices import VersionStatus
from .models import Acknowledgement


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

    def row(acknowledgement):
        version = acknowledgement.version
        return PanelRow(
            text=f"{version.document.code} · {version.document.title} · {version.label}",
            url=reverse("documents:version-detail", args=[acknowledgement.version_id]),
            meta=version.issue_date.strftime("%m-%d") if version.issue_date else "",
            badge=_("未阅读"),
            badge_class="bg-orange-lt",
        )

    return queue_panel(
        "documents-to-acknowledge",
        _("待阅读确认的文件"),
        queryset,
        row,
        reverse("documents:mine"),
        empty_text=_("没有待阅读确认的文件"),
    )
