"""工作台 panels of the network app: for a region manager, the providers of my region (status, violations this
month, last quarter's training pass rate, flagged first; NET-3, NET-4), the evaluations due (NET-5) and the
stopped technicians (NET-4); for the HQ network manager, the evaluations waiting for approval (NET-5)."""

from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from .choices import EvaluationStatus, ProviderStatus, TechnicianStatus
from .models import ProviderEvaluation, ProviderTechnician, ProviderViolation, ServiceProvider
from .training import latest_quarter, previous_quarter, quarter_bounds, quarter_of
from .workflows import EVALUATION_WORKFLOW, PROVIDER_WORKFLOW

PANEL_ROWS = 6
MAX_COUNTED = 100  # a panel counts up to this many (one query for rows and count)


def _evaluator(user) -> bool:
    return user.has_perm("network.add_providerevaluation") and not user.has_perm("network.approve_providerevaluation")


@workbench_panel(order=90)
def provider_standings(request):
    """NET-3/NET-4: my region's providers, the flagged ones (stopped, sanctioned, under the pass rate) first."""
    user = request.user
    if not _evaluator(user):
        return None
    providers = list(
        ServiceProvider.objects.visible_to(user).exclude(status=ProviderStatus.REMOVED).order_by("code")[:200]
    )
    if not providers:
        return None
    today = timezone.localdate()
    ids = [p.pk for p in providers]
    month = Counter(
        ProviderViolation.objects.filter(
            provider_id__in=ids, occurred_on__gte=today.replace(day=1), occurred_on__lte=today
        ).values_list("provider_id", flat=True)
    )
    quarters = latest_quarter(ids)

    def flagged(p) -> bool:
        q = quarters.get(p.pk)
        return p.status != ProviderStatus.ACTIVE or bool(q and q.flagged)

    providers.sort(key=lambda p: (not flagged(p), p.code))
    rows = []
    for p in providers[:PANEL_ROWS]:
        q = quarters.get(p.pk)
        rate = f"{q.quarter} {q.pass_rate}%" if q and q.pass_rate is not None else (f"{q.quarter} —" if q else "—")
        rows.append(
            PanelRow(
                text=f"{p.name} · {_('本月违规 %(n)s 次') % {'n': month[p.pk]}}"
                + (f" · {_('培训未达标')}" if q and q.flagged else ""),
                url=reverse("network:provider-case-file", args=[p.pk]),
                meta=rate,
                badge=PROVIDER_WORKFLOW.label(p.status),
                badge_class=f"{PROVIDER_WORKFLOW.color(p.status)} text-white",
            )
        )
    return Panel(
        key="network-provider-standings",
        title=_("辖区外协网点"),
        rows=rows,
        total=sum(1 for p in providers if flagged(p)),
        more_url=reverse("network:providers"),
        empty_text=_("辖区没有外协网点"),
    )


@workbench_panel(order=91)
def evaluations_due(request):
    """NET-5: providers of my region without an evaluation covering the last quarter, and my drafts/returns."""
    user = request.user
    if not _evaluator(user):
        return None
    start, _end = quarter_bounds(previous_quarter(quarter_of(timezone.localdate())))
    providers = ServiceProvider.objects.visible_to(user).exclude(status=ProviderStatus.REMOVED)
    evaluated = ProviderEvaluation.objects.filter(period_end__gte=start).exclude(status=EvaluationStatus.REJECTED)
    due = providers.exclude(pk__in=evaluated.values("provider_id")).order_by("code")
    mine = ProviderEvaluation.objects.visible_to(user).filter(
        created_by=user, status__in=(EvaluationStatus.DRAFT, EvaluationStatus.REJECTED)
    )
    mine = list(mine.select_related("provider")[:MAX_COUNTED])
    due = list(due[:MAX_COUNTED])
    rows = [
        PanelRow(
            text=f"{e.number} · {e.provider.name}",
            url=reverse("network:evaluation-detail", args=[e.pk]),
            badge=EVALUATION_WORKFLOW.label(e.status),
            badge_class=EVALUATION_WORKFLOW.color(e.status),
        )
        for e in mine[:PANEL_ROWS]
    ]
    rows += [
        PanelRow(
            text=p.name,
            url=reverse("network:evaluation-create", args=[p.pk]),
            meta=_("上季度未评价"),
            badge=_("待评价"),
            badge_class="bg-orange-lt",
        )
        for p in due[: max(0, PANEL_ROWS - len(rows))]
    ]
    return Panel(
        key="network-evaluations-due",
        title=_("待做的网点评价"),
        rows=rows,
        total=len(due) + len(mine),
        more_url=reverse("network:evaluations"),
        empty_text=_("辖区网点均已评价"),
    )


@workbench_panel(order=92)
def technicians_stopped(request):
    """NET-4: the technicians of my providers stopped after consecutive failed quarters."""
    user = request.user
    if user.has_perm("network.approve_providerevaluation") or not (
        _evaluator(user) or user.has_perm("network.record_technician_training")
    ):
        return None
    queryset = (
        ProviderTechnician.objects.visible_to(user)
        .filter(status=TechnicianStatus.STOPPED)
        .select_related("provider")
        .order_by("-stopped_at", "id")
    )
    stopped = list(queryset[:MAX_COUNTED])  # one query: the rows and the count
    rows = [
        PanelRow(
            text=f"{t.name} · {t.provider.name}",
            url=reverse("network:provider-case-file", args=[t.provider_id]),
            meta=t.stopped_at.strftime("%m-%d") if t.stopped_at else "",
            badge=t.get_status_display(),
            badge_class="bg-red-lt",
        )
        for t in stopped[:PANEL_ROWS]
    ]
    return Panel(
        key="network-technicians-stopped",
        title=_("停止工作的网点技师"),
        rows=rows,
        total=len(stopped),
        more_url=reverse("network:technicians") + "?status=stopped",
        empty_text=_("没有停止工作的技师"),
    )


@workbench_panel(order=93)
def evaluations_to_approve(request):
    """NET-5: evaluations submitted by the regions, for the HQ network manager."""
    user = request.user
    if not user.has_perm("network.approve_providerevaluation"):
        return None
    queryset = (
        ProviderEvaluation.objects.visible_to(user)
        .filter(status=EvaluationStatus.SUBMITTED)
        .select_related("provider")
        .order_by("submitted_at", "id")
    )
    waiting = list(queryset[:MAX_COUNTED])  # one query: the rows and the count
    rows = [
        PanelRow(
            text=f"{e.number} · {e.provider.name} · {e.get_conclusion_display()}",
            url=reverse("network:evaluation-detail", args=[e.pk]),
            badge=EVALUATION_WORKFLOW.label(e.status),
            badge_class=EVALUATION_WORKFLOW.color(e.status),
        )
        for e in waiting[:PANEL_ROWS]
    ]
    return Panel(
        key="network-evaluations-to-approve",
        title=_("待审批的网点评价"),
        rows=rows,
        total=len(waiting),
        more_url=reverse("network:evaluations") + "?status=submitted",
        empty_text=_("没有待审批的网点评价"),
    )
