"""工作台 panels of the appraisals app: my pending self-evaluation (KPI-4), appraisals waiting for my evaluation or
finalisation (KPI-4, KPI-5), and for HR the progress of the open cycles (KPI-3). One query each."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.workbench import Panel, PanelRow, workbench_panel

from .choices import AppraisalStatus as A
from .choices import CycleStatus
from .models import Appraisal, AppraisalCycle
from .workflows import APPRAISAL_WORKFLOW

PANEL_ROWS = 6


def _row(appraisal, text):
    return PanelRow(
        text=text,
        url=reverse("appraisals:appraisal-detail", args=[appraisal.pk]),
        meta=appraisal.cycle.deadline.strftime("%m-%d"),
        badge=APPRAISAL_WORKFLOW.label(appraisal.status),
        badge_class=APPRAISAL_WORKFLOW.color(appraisal.status),
    )


@workbench_panel(order=90)
def my_self_evaluation(request):
    user = request.user
    if not user.has_perm("appraisals.self_evaluate_appraisal"):
        return None
    rows = list(
        Appraisal.objects.filter(appraisee=user, status=A.PENDING_SELF)
        .select_related("cycle")
        .order_by("cycle__deadline", "id")[:PANEL_ROWS]
    )
    if not rows:
        return None
    return Panel(
        key="appraisals-my-self",
        title=_("我的待自评考核"),
        rows=[_row(a, str(a.cycle)) for a in rows],
        total=len(rows),
        more_url=reverse("appraisals:mine"),
        empty_text=_("没有待自评的考核"),
    )


@workbench_panel(order=91)
def waiting_for_me(request):
    user = request.user
    if not user.has_perm("appraisals.evaluate_appraisal"):
        return None
    rows = list(
        Appraisal.objects.visible_to(user)
        .filter(status__in=(A.PENDING_SUPERVISOR, A.EVALUATED))
        .exclude(appraisee=user)
        .select_related("cycle", "appraisee")
        .order_by("cycle__deadline", "id")[:PANEL_ROWS]
    )
    if not rows:
        return None
    return Panel(
        key="appraisals-waiting",
        title=_("待我评价/定稿的考核"),
        rows=[_row(a, f"{a.appraisee.name} · {a.cycle}") for a in rows],
        total=len(rows),
        more_url=reverse("appraisals:cycles"),
        empty_text=_("没有待评价的考核"),
    )


@workbench_panel(order=92)
def cycle_progress(request):
    if not request.user.has_perm("appraisals.add_appraisalcycle"):
        return None
    cycles = list(
        AppraisalCycle.objects.filter(status=CycleStatus.OPEN)
        .annotate(total=Count("appraisals"), done=Count("appraisals", filter=Q(appraisals__status=A.FINALISED)))
        .order_by("deadline")[:PANEL_ROWS]
    )
    return Panel(
        key="appraisals-cycles",
        title=_("考核周期进度"),
        rows=[
            PanelRow(
                text=str(cycle),
                url=reverse("appraisals:cycle-detail", args=[cycle.pk]),
                meta=cycle.deadline.strftime("%m-%d"),
                badge=f"{cycle.done}/{cycle.total}",
                badge_class="bg-azure-lt",
            )
            for cycle in cycles
        ],
        total=len(cycles),
        more_url=reverse("appraisals:cycles"),
        empty_text=_("没有进行中的考核周期"),
    )
