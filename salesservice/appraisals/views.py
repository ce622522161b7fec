"""Appraisal pages (Simplified Chinese, server-rendered): KPI definitions (KPI-1), cycles with progress (KPI-3), a
cycle's appraisals, an appraisal with its KPI table and the workflow's forms (self-evaluation, evaluation,
finalisation: KPI-4, KPI-5), 我的考核, and the printable 考核表 as PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history

from . import services
from .api.views import cycles_with_progress
from .forms import CycleOpenForm, KpiForm
from .metrics import METRICS
from .models import Appraisal, AppraisalCycle, KpiDefinition
from .workflows import APPRAISAL_WORKFLOW, CYCLE_WORKFLOW


class KpiListView(ListPageView):
    """KPI-1 / KPI-2 / KPI-6: the KPIs of each post — metric, weight, target, direction."""

    permission_required = "appraisals.view_kpidefinition"
    title = gettext_lazy("考核指标")
    default_sort = "post"
    export_filename = "kpis"
    actions = [(gettext_lazy("新增指标"), "appraisals:kpi-create", "appraisals.add_kpidefinition")]
    columns = [
        Column(gettext_lazy("岗位"), "post", sort="post"),
        Column(gettext_lazy("编码"), "code", sort="code"),
        Column(gettext_lazy("名称"), "name"),
        Column(gettext_lazy("指标"), lambda k: METRICS[k.metric].label if k.metric in METRICS else k.metric),
        Column(gettext_lazy("权重（%）"), "weight", sort="weight"),
        Column(gettext_lazy("目标值"), "target"),
        Column(gettext_lazy("方向"), lambda k: _("越高越好") if k.higher_is_better else _("越低越好")),
        Column(gettext_lazy("启用"), lambda k: _("是") if k.active else _("否")),
    ]

    def base_queryset(self):
        return KpiDefinition.objects.all()


class CycleListView(ListPageView):
    """KPI-3: the cycles with their progress — appraisals, pending self-evaluation, pending evaluation, finalised."""

    permission_required = "appraisals.view_appraisalcycle"
    title = gettext_lazy("考核周期")
    default_sort = "-period_start"
    export_filename = "appraisal-cycles"
    detail_url_name = "appraisals:cycle-detail"
    columns = [
        Column(gettext_lazy("周期"), lambda c: str(c), link=True),
        Column(gettext_lazy("期间开始"), "period_start", sort="period_start"),
        Column(gettext_lazy("完成期限"), "deadline", sort="deadline"),
        Column(gettext_lazy("考核人数"), "total"),
        Column(gettext_lazy("待自评"), "pending_self"),
        Column(gettext_lazy("待上级评价"), "pending_supervisor"),
        Column(gettext_lazy("已定稿"), "finalised"),
        Column(gettext_lazy("状态"), lambda c: CYCLE_WORKFLOW.badge(c.status), export="get_status_display"),
    ]

    def base_queryset(self):
        return cycles_with_progress(AppraisalCycle.objects.all())

    actions = [(gettext_lazy("开启考核周期"), "appraisals:cycle-open", "appraisals.add_appraisalcycle")]


@login_required
@permission_required("appraisals.add_appraisalcycle", raise_exception=True)
def cycle_open(request):
    """KPI-3: HR opens the cycle of the previous period of a kind now (idempotent: an open one is shown)."""
    form = CycleOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_open(actor=request.user, kind=form.cleaned_data["kind"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("考核周期：%(cycle)s") % {"cycle": cycle})
            return redirect("appraisals:cycle-detail", cycle.pk)
    return render(
        request,
        "appraisals/form.html",
        {"form": form, "title": _("开启考核周期（上一期间）"), "back": "appraisals:cycles"},
    )


@login_required
@permission_required("appraisals.view_appraisalcycle", raise_exception=True)
def cycle_detail(request, pk):
    cycle = get_object_or_404(cycles_with_progress(AppraisalCycle.objects.all()), pk=pk)
    appraisals = (
        Appraisal.objects.visible_to(request.user)
        .filter(cycle=cycle)
        .select_related("appraisee", "org_unit")
        .order_by("org_unit__path", "appraisee_id")
    )
    return render(
        request,
        "appraisals/cycle_detail.html",
        {"cycle": cycle, "appraisals": appraisals, "title": str(cycle), **audit_history(cycle)},
    )


@login_required
@permission_required("appraisals.view_own_appraisal", raise_exception=True)
def my_appraisals(request):
    """KPI-4: 我的考核 — the user's own appraisals, newest first."""
    appraisals = (
        Appraisal.objects.filter(appraisee=request.user).select_related("cycle").order_by("-cycle__period_start")
    )
    return render(request, "appraisals/mine.html", {"appraisals": appraisals, "title": _("我的考核")})


def _appraisal(request, pk) -> Appraisal:
    if not request.user.has_perm("appraisals.view_own_appraisal"):
        raise PermissionDenied
    return get_object_or_404(
        Appraisal.objects.visible_to(request.user).select_related(
            "cycle", "appraisee", "org_unit", "supervisor", "finalised_by", "training_course"
        ),
        pk=pk,
    )


@login_required
def appraisal_detail(request, pk):
    appraisal = _appraisal(request, pk)
    lines = list(appraisal.lines.all())
    for line in lines:
        line.metric_label = METRICS[line.metric].label if line.metric in METRICS else line.metric
        line.unit = METRICS[line.metric].unit if line.metric in METRICS else ""
    return render(
        request,
        "appraisals/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "lines": lines,
            "is_appraisee": appraisal.appraisee_id == request.user.pk,
            "evaluation_mean": services.evaluation_mean(appraisal),
            "title": f"{appraisal.cycle} · {appraisal.appraisee.name}",
            **audit_history(appraisal),
        },
    )


@login_required
def appraisal_pdf(request, pk):
    """The printable 考核表: KPI lines, evaluations, result and consequences, signature lines."""
    from salesservice.core.pdf import Document, render_document

    appraisal = _appraisal(request, pk)
    doc = Document(title="员工绩效考核表", number=f"{appraisal.cycle.label}-{appraisal.appraisee.username}")
    doc.fields(
        [
            ("考核周期", str(appraisal.cycle)),
            ("被考核人", appraisal.appraisee.name),
            ("单位", appraisal.org_unit.name),
            ("岗位", appraisal.post_label),
            ("完成期限", appraisal.cycle.deadline),
            ("状态", appraisal.get_status_display()),
        ]
    )
    doc.table(
        "KPI 指标",
        ["指标", "权重%", "目标", "实际", "分子/分母", "得分"],
        [
            [
                line.name,
                line.weight,
                line.target,
                "—" if line.value is None else line.value,
                f"{line.numerator}/{line.denominator}",
                "—" if line.score is None else line.score,
            ]
            for line in appraisal.lines.all()
        ],
    )
    doc.fields(
        [
            ("KPI 加权得分", appraisal.kpi_score if appraisal.kpi_score is not None else "—"),
            ("自评分", appraisal.self_score if appraisal.self_score is not None else "—"),
            ("自评说明", appraisal.self_comment or "—"),
            ("上级评分", appraisal.supervisor_score if appraisal.supervisor_score is not None else "—"),
            ("工作态度（评定）", appraisal.attitude_score if appraisal.attitude_score is not None else "—"),
            ("工作能力（评定）", appraisal.ability_score if appraisal.ability_score is not None else "—"),
            ("客户评价分", appraisal.customer_score if appraisal.customer_score is not None else "—"),
            ("客户评价来源", appraisal.get_customer_source_display() or "—"),
            ("上级评语", appraisal.supervisor_comment or "—"),
        ],
        title="评价",
    )
    doc.fields(
        [
            ("最终得分（70% KPI + 30% 评价均分）", appraisal.final_score if appraisal.final_score is not None else "—"),
            ("等级", appraisal.get_grade_display() or "—"),
            ("奖金档次", appraisal.get_bonus_tier_display() or "—"),
            ("建议晋升", "是" if appraisal.promotion_proposed else "否"),
            ("针对性培训", str(appraisal.training_course or "—")),
            ("结果说明", appraisal.result_note or "—"),
        ],
        title="考核结果",
    )
    doc.fields([("被考核人签字", ""), ("上级签字", ""), ("打印时间", timezone.now())], title="签字")
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="appraisal-{appraisal.pk}.pdf"'
    return response


@login_required
@permission_required("appraisals.add_kpidefinition", raise_exception=True)
def kpi_create(request):
    """KPI-1: HR adds a KPI of a post."""
    form = KpiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新增考核指标"))
            return redirect("appraisals:kpis")
    return render(
        request, "appraisals/form.html", {"form": form, "title": _("新增考核指标"), "back": "appraisals:kpis"}
    )


__all__ = ["APPRAISAL_WORKFLOW"]
