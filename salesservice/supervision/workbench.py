"""工作台 queues of the supervision app: for the auditor, checks due this week and overdue findings (SUV-1,
SUV-2); for a finding's owner, my open findings (SUV-2)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, queue_total, workbench_panel

from .choices import CheckStatus, FindingStatus
from .models import Finding, SupervisionCheck
from .workflows import CHECK_WORKFLOW, FINDING_WORKFLOW

PANEL_ROWS = 6


def _finding_row(finding):
    return PanelRow(
        text=f"{finding.number} · {finding.org_unit.name} · {finding.description[:30]}",
        url=reverse("supervision:finding-detail", args=[finding.pk]),
        meta=finding.deadline.strftime("%m-%d"),
        badge=FINDING_WORKFLOW.label(finding.status),
        badge_class=FINDING_WORKFLOW.color(finding.status),
    )


@workbench_panel(order=80)
def checks_due(request):
    user = request.user
    if not user.has_perm("supervision.plan_any_check"):
        return None
    today = timezone.localdate()
    queryset = (
        SupervisionCheck.objects.visible_to(user)
        .filter(status__in=(CheckStatus.PLANNED, CheckStatus.IN_PROGRESS), planned_on__lte=today + dt.timedelta(days=7))
        .select_related("org_unit")
        .order_by("planned_on", "id")
    )
    rows = [
        PanelRow(
            text=f"{check.number} · {check.org_unit.name} · {check.get_method_display()}",
            url=reverse("supervision:check-detail", args=[check.pk]),
            meta=check.planned_on.strftime("%m-%d"),
            badge=CHECK_WORKFLOW.label(check.status),
            badge_class=CHECK_WORKFLOW.color(check.status),
        )
        for check in queryset[:PANEL_ROWS]
    ]
    return Panel(
        key="supervision-checks-due",
        title=_("本周待检查"),
        rows=rows,
        **queue_total(queryset),
        more_url=reverse("supervision:checks") + "?status=planned&status=in_progress",
        empty_text=_("本周没有待做的检查"),
    )


@workbench_panel(order=81)
def findings_overdue(request):
    user = request.user
    if not user.has_perm("supervision.verify_finding"):
        return None
    today = timezone.localdate()
    queryset = (
        Finding.objects.visible_to(user)
        .filter(status__in=(FindingStatus.OPEN, FindingStatus.RECTIFIED))
        .filter(deadline__lt=today)
        .select_related("org_unit")
        .order_by("deadline", "id")
    )
    return Panel(
        key="supervision-findings-overdue",
        title=_("逾期整改项"),
        rows=[_finding_row(f) for f in queryset[:PANEL_ROWS]],
        **queue_total(queryset),
        more_url=reverse("supervision:findings") + f"?status=open&deadline_before={today - dt.timedelta(days=1)}",
        empty_text=_("没有逾期的整改项"),
    )


@workbench_panel(order=82)
def my_findings(request):
    user = request.user
    if not user.has_perm("supervision.rectify_finding"):
        return None
    queryset = (
        Finding.objects.visible_to(user)
        .filter(owner=user, status=FindingStatus.OPEN)
        .select_related("org_unit")
        .order_by("deadline", "id")
    )
    return Panel(
        key="supervision-my-findings",
        title=_("我的待整改项"),
        rows=[_finding_row(f) for f in queryset[:PANEL_ROWS]],
        **queue_total(queryset),
        more_url=reverse("supervision:findings") + "?mine=true&status=open",
        empty_text=_("没有待整改的问题"),
    )
