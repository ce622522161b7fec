"""Provider pages (NET-*): list with status badges, detail with status buttons, violations, history; form.

The status badge and the ladder buttons come from `PROVIDER_WORKFLOW` (workflows.py). Its page action
(`change-status`) answers a refusal on the provider's page itself (400, with the message) rather than with a
redirect, and a user without the permission gets 403 — see `provider_action`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history
from salesservice.core.views.workflow import build_form, form_values

from . import services
from .choices import EvaluationItem, ProviderStatus, TechnicianStatus
from .filtersets import EvaluationFilterSet, ProviderReportFilterSet, ServiceProviderFilterSet, TechnicianFilterSet
from .forms import EvaluationForm, QuarterTrainingForm, ServiceProviderForm, TechnicianForm, ViolationForm
from .models import ProviderEvaluation, ProviderTechnician, ServiceProvider
from .selectors import provider_list
from .workflows import EVALUATION_WORKFLOW, PROVIDER_WORKFLOW


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def status_badge(provider):
    return PROVIDER_WORKFLOW.badge(provider.status, extra_class="text-white")


class ServiceProviderListView(ListPageView):
    """外协网点列表: search, status, org unit; export; 新建."""

    permission_required = "network.view_serviceprovider"
    title = gettext_lazy("外协网点")
    filterset_class = ServiceProviderFilterSet
    default_sort = "code"
    export_filename = "service-providers"
    detail_url_name = "network:provider-detail"
    actions = [(gettext_lazy("新建网点"), "network:provider-create", "network.add_serviceprovider")]
    columns = [
        Column(gettext_lazy("网点编码"), "code", sort="code", link=True),
        Column(gettext_lazy("网点名称"), "name", sort="name", link=True),
        Column(gettext_lazy("服务区域"), "org_unit.name", sort="org_unit__path"),
        Column(gettext_lazy("联系人"), "contact_name"),
        Column(gettext_lazy("服务品类"), lambda p: "、".join(c.name for c in p.categories.all())),
        Column(gettext_lazy("状态"), status_badge, sort="status", export="get_status_display"),
        Column(gettext_lazy("状态变更时间"), "status_changed_at", sort="status_changed_at"),
    ]

    def base_queryset(self):
        return provider_list(self.request.user)


def _provider_for_page(request, pk):
    return get_object_or_404(provider_list(request.user), pk=pk)


def _detail_context(request, provider, status_error=None, violation_form=None):
    can_change = request.user.has_perm("network.change_serviceprovider") and not provider.is_removed
    today = timezone.localdate()
    suggestion = services.suggested_status(provider, today)
    return {
        "provider": provider,
        "title": provider.name,
        "dispatch_reasons": services.provider_dispatch_check(provider),
        "status_error": status_error,
        "can_edit": can_change,
        "violation_form": (violation_form or ViolationForm(initial={"occurred_on": today})) if can_change else None,
        "violations": list(provider.violations.select_related("recorded_by")[:100]),
        "violations_this_month": services.violations_this_month(provider, today),
        "sanctions": list(provider.sanctions.select_related("issued_by")[:50]),
        "suggested_status": ProviderStatus(suggestion).label if suggestion else None,
        **audit_history(provider),
    }


@login_required
def provider_detail(request, pk):
    """外协网点详情: status with the allowed next moves, dispatchers, violations, history."""
    _require(request, "network.view_serviceprovider")
    provider = _provider_for_page(request, pk)
    return render(request, "network/provider_detail.html", _detail_context(request, provider))


@login_required
@require_POST
def provider_action(request, pk, action):
    """A page action of `PROVIDER_WORKFLOW` (`change-status`; also at its old address `…/status/`).

    Like the kernel's page handler (the action's form, then its service through `workflow.run`), except
    that a refusal re-renders the provider's page with the message (400) instead of redirecting, and a
    user without the action's permission gets 403 before anything is read.
    """
    declared = PROVIDER_WORKFLOW.actions.get(action)
    if declared is None or not declared.page:
        raise Http404
    _require(request, declared.permission)
    provider = _provider_for_page(request, pk)
    form = build_form(declared, provider, request.user, request.POST, request.FILES)
    if form is not None and not form.is_valid():
        error = _("请填写状态变更原因")
    else:
        try:
            PROVIDER_WORKFLOW.run(action, actor=request.user, obj=provider, values=form_values(form))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, declared.success)
            return redirect("network:provider-detail", pk=provider.pk)
    provider = _provider_for_page(request, pk)
    context = _detail_context(request, provider, status_error=error)
    return render(request, "network/provider_detail.html", context, status=400)


@login_required
@require_POST
def provider_violation_add(request, pk):
    _require(request, "network.change_serviceprovider")
    provider = _provider_for_page(request, pk)
    form = ViolationForm(request.POST)
    if form.is_valid():
        try:
            services.violation_record(actor=request.user, provider_id=provider.pk, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已登记违规"))
            return redirect("network:provider-detail", pk=provider.pk)
    context = _detail_context(request, provider, violation_form=form)
    return render(request, "network/provider_detail.html", context, status=400)


@login_required
def provider_create(request):
    _require(request, "network.add_serviceprovider")
    form = ServiceProviderForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已新建外协网点 %(name)s") % {"name": provider.name})
            return redirect("network:provider-detail", pk=provider.pk)
    return render(request, "network/provider_form.html", {"form": form, "title": _("新建外协网点")})


@login_required
def provider_edit(request, pk):
    """Edit with the version the user read: a stale save shows a clear error and saves nothing."""
    _require(request, "network.change_serviceprovider")
    provider = _provider_for_page(request, pk)
    form = ServiceProviderForm(
        request.POST or None, instance=provider, initial={"version": provider.version}, actor=request.user, editing=True
    )
    if request.method == "POST" and form.is_valid():
        changes = form.service_kwargs()
        changes.pop("code", None)
        try:
            services.provider_update(
                actor=request.user, provider_id=pk, expected_version=form.cleaned_data["version"], **changes
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("network:provider-detail", pk=pk)
    title = _("编辑外协网点 %(name)s") % {"name": provider.name}
    return render(request, "network/provider_form.html", {"form": form, "provider": provider, "title": title})


@login_required
def provider_sanction_pdf(request, pk, sanction_pk):
    """The printable notice of one rung (NET-3): 警告函 / 限期整改通知 / 停止派工通知 / 撤点通知."""
    from django.http import HttpResponse

    from salesservice.core.pdf import Document, render_document

    _require(request, "network.view_serviceprovider")
    provider = _provider_for_page(request, pk)
    sanction = get_object_or_404(provider.sanctions.select_related("issued_by"), pk=sanction_pk)
    doc = Document(title=str(services.NOTICE_TITLES[sanction.rung]), number=sanction.number)
    doc.fields(
        [
            ("外协网点", f"{provider.code} {provider.name}"),
            ("服务区域", provider.org_unit.name),
            ("处理", sanction.get_rung_display()),
            ("违规月份", sanction.month.strftime("%Y-%m")),
            ("当月违规次数", sanction.violation_count),
            ("整改期限", sanction.rectify_by or "—"),
            ("签发", f"{sanction.issued_by.name if sanction.issued_by else '系统（按违规处理阶梯）'} "
                     f"{timezone.localtime(sanction.issued_at):%Y-%m-%d %H:%M}"),
        ]
    )  # fmt: skip
    doc.text("通知内容", sanction.notice)
    doc.fields([("网点负责人签收", ""), ("签收日期", "")], title="签收")
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{sanction.number}.pdf"'
    return response


class ProviderReportListView(ListPageView):
    """服务质量周报与月度汇总 (NET-1, NET-2): the archive the scheduler fills."""

    permission_required = "network.view_providerreport"
    title = gettext_lazy("网点服务质量报告")
    filterset_class = ProviderReportFilterSet
    default_sort = "-period_start"
    export_filename = "provider-reports"
    detail_url_name = "network:report-detail"
    columns = [
        Column(gettext_lazy("类型"), "get_kind_display", sort="kind", link=True),
        Column(gettext_lazy("起始日期"), "period_start", sort="period_start", link=True),
        Column(gettext_lazy("截止日期"), "period_end", sort="period_end"),
        Column(gettext_lazy("网点数"), lambda r: r.totals.get("providers", 0)),
        Column(gettext_lazy("投诉案例"), lambda r: r.totals.get("cases", 0)),
        Column(gettext_lazy("停止派工"), lambda r: r.totals.get("stopped", 0)),
        Column(gettext_lazy("生成时间"), "generated_at", sort="generated_at"),
    ]

    def base_queryset(self):
        from .models import ProviderReport

        return ProviderReport.objects.all()


def _report(request, pk):
    from .models import ProviderReport

    _require(request, "network.view_providerreport")
    return get_object_or_404(ProviderReport, pk=pk)


def _item_labels():
    from .choices import EvaluationItem

    return dict(EvaluationItem.choices)


@login_required
def report_detail(request, pk):
    """One report: totals by evaluation item, then a row per provider in the reader's scope (weekly: its cases)."""
    from .reports import rows_for

    report = _report(request, pk)
    labels = _item_labels()
    rows = rows_for(report, request.user)
    for row in rows:
        row["by_item_labels"] = [(labels.get(k, k), n) for k, n in row["by_item"].items()]
    context = {
        "report": report,
        "rows": rows,
        "items": [(labels.get(k, k), n) for k, n in report.totals.get("by_item", {}).items()],
        "title": f"{report.get_kind_display()} {report.period_start:%Y-%m-%d} – {report.period_end:%Y-%m-%d}",
    }
    return render(request, "network/report_detail.html", context)


@login_required
def report_pdf(request, pk):
    """The printable 服务质量周报 / 月度汇总 (NET-1, NET-2), the reader's providers."""
    from django.http import HttpResponse

    from salesservice.core.pdf import Document, render_document

    from .reports import rows_for

    report = _report(request, pk)
    labels = _item_labels()
    rows = rows_for(report, request.user)
    doc = Document(title=str(report.get_kind_display()), number=f"{report.period_start:%Y%m%d}")
    doc.fields(
        [
            ("期间", f"{report.period_start:%Y-%m-%d} 至 {report.period_end:%Y-%m-%d}"),
            ("网点数", len(rows)),
            ("投诉案例", sum(row["cases"] for row in rows)),
            ("生成时间", f"{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M}"),
        ]
    )
    doc.table(
        "网点汇总",
        ["网点", "服务区域", "本期案例", "按评测项目", "当月累计", "总累计", "状态", "阶梯建议", "处理通知"],
        [
            [
                f"{row['code']} {row['name']}",
                row["org_unit_name"],
                row["cases"],
                "、".join(f"{labels.get(k, k)} {n}" for k, n in row["by_item"].items()) or "—",
                row["month_count"],
                row["cumulative"],
                row["status_label"],
                row["proposal"] or "—",
                "、".join(f"{n['number']} {n['label']}" for n in row["notices"]) or "—",
            ]
            for row in rows
        ],
    )
    cases = [
        [row["name"], case["date"], case["item"], case["description"]]
        for row in rows
        for case in row.get("case_list", [])
    ]
    if cases:
        doc.table("投诉案例明细", ["网点", "日期", "评测项目", "情况"], cases)
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="provider-report-{report.period_start:%Y%m%d}.pdf"'
    return response


# --- technicians and quarterly training (NET-4) ----------------------------------------------------


def _technician_status(technician):
    from .choices import TechnicianStatus

    colors = {TechnicianStatus.ACTIVE: "bg-green-lt", TechnicianStatus.STOPPED: "bg-red-lt"}
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        colors.get(technician.status, "bg-secondary-lt"),
        technician.status,
        technician.get_status_display(),
    )


class TechnicianListView(ListPageView):
    """网点技师: search, status, provider; export. A provider's dispatcher sees its own technicians."""

    permission_required = "network.view_providertechnician"
    title = gettext_lazy("网点技师培训")
    filterset_class = TechnicianFilterSet
    default_sort = "provider__code"
    export_filename = "provider-technicians"
    columns = [
        Column(gettext_lazy("外协网点"), "provider.name", sort="provider__code"),
        Column(gettext_lazy("技师"), "name", sort="name"),
        Column(gettext_lazy("技能"), "skills"),
        Column(gettext_lazy("状态"), _technician_status, sort="status", export="get_status_display"),
        Column(gettext_lazy("停止原因"), "stopped_reason"),
    ]

    def base_queryset(self):
        return ProviderTechnician.objects.visible_to(self.request.user).select_related("provider")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("network.record_technician_training"):
            providers = ServiceProvider.objects.visible_to(self.request.user).exclude(status=ProviderStatus.REMOVED)
            context["page_actions"] += [
                {
                    "label": _("登记培训：%(name)s") % {"name": p.name},
                    "url": reverse("network:provider-training", args=[p.pk]),
                }
                for p in providers.order_by("code")[:10]
            ]
        return context


@login_required
def provider_training(request, pk):
    """Record a quarter's training of a provider's technicians on one page (390 px phone; NET-4), and add a
    technician. Each row goes to `training_record`, which applies the stop rule."""
    from .training import quarter_figures, quarter_of, technician_add, training_record

    _require(request, "network.record_technician_training")
    provider = get_object_or_404(ServiceProvider.objects.visible_to(request.user), pk=pk)
    technicians = list(provider.technicians.exclude(status=TechnicianStatus.LEFT).order_by("name", "id"))
    today = timezone.localdate()
    form = QuarterTrainingForm(
        request.POST if request.POST.get("form") == "training" else None,
        technicians=technicians,
        initial={"quarter": quarter_of(today), "trained_on": today},
    )
    tech_form = TechnicianForm(request.POST if request.POST.get("form") == "technician" else None)
    status = 200
    if request.method == "POST" and request.POST.get("form") == "technician":
        if tech_form.is_valid():
            try:
                technician_add(actor=request.user, provider_id=provider.pk, **tech_form.cleaned_data)
            except DomainError as error:
                apply_domain_error(tech_form, error)
            else:
                messages.success(request, _("已登记技师 %(name)s") % {"name": tech_form.cleaned_data["name"]})
                return redirect("network:provider-training", provider.pk)
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            entries = form.entries()
            if not entries:
                form.add_error(None, _("请至少为一名技师填写成绩"))
            else:
                stopped_before = {t.pk for t in technicians if t.status == TechnicianStatus.STOPPED}
                try:
                    with transaction.atomic():
                        for technician, score, passed in entries:
                            training_record(
                                actor=request.user,
                                technician_id=technician.pk,
                                quarter=form.cleaned_data["quarter"],
                                trained_on=form.cleaned_data["trained_on"],
                                topic=form.cleaned_data["topic"],
                                score=score,
                                passed=passed,
                            )
                except DomainError as error:
                    apply_domain_error(form, error)
                else:
                    messages.success(request, _("已登记 %(n)s 名技师的季度培训考核") % {"n": len(entries)})
                    stopped = provider.technicians.filter(status=TechnicianStatus.STOPPED).exclude(
                        pk__in=stopped_before
                    )
                    for technician in stopped:
                        messages.warning(
                            request, _("技师 %(name)s 连续季度培训不合格，已停止工作") % {"name": technician.name}
                        )
                    return redirect("network:provider-training", provider.pk)
        status = 400
    quarter = quarter_of(today)
    figures = quarter_figures(quarter, [provider]).get(provider.pk)
    context = {
        "provider": provider,
        "title": _("技师季度培训：%(name)s") % {"name": provider.name},
        "form": form,
        "tech_form": tech_form,
        "technicians": technicians,
        "quarter": quarter,
        "figures": figures,
    }
    return render(request, "network/provider_training.html", context, status=status)


# --- the case file (NET-2…NET-5) ----------------------------------------------------------------------


@login_required
def provider_case_file(request, pk):
    """网点售后案宗: everything on the provider's record in time order, with the quarterly training table."""
    from .casefile import case_file, training_quarters

    _require(request, "network.view_serviceprovider")
    provider = _provider_for_page(request, pk)
    return render(
        request,
        "network/provider_case_file.html",
        {
            "provider": provider,
            "title": _("网点售后案宗：%(name)s") % {"name": provider.name},
            "entries": case_file(provider),
            "quarters": training_quarters(provider),
            "evaluations": provider.evaluations.all()[:20],
            "can_evaluate": request.user.has_perm("network.add_providerevaluation") and not provider.is_removed,
        },
    )


@login_required
def provider_case_file_pdf(request, pk):
    from django.http import HttpResponse

    from salesservice.core.pdf import Document, render_document

    from .casefile import case_file, training_quarters

    _require(request, "network.view_serviceprovider")
    provider = _provider_for_page(request, pk)
    doc = Document(title="网点售后案宗", number=provider.code)
    doc.fields(
        [
            ("网点", f"{provider.code} {provider.name}"),
            ("服务区域", provider.org_unit.name),
            ("状态", provider.get_status_display()),
            ("打印时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        ]
    )
    doc.table(
        "技师季度培训合格率",
        ["季度", "参训", "合格", "合格率", "是否达标"],
        [
            [
                q["quarter"],
                q["trained"],
                q["passed"],
                f"{q['pass_rate']}%" if q["pass_rate"] is not None else "—",
                "未达标" if q["flagged"] else "达标",
            ]
            for q in training_quarters(provider)
        ],
    )
    doc.table(
        "案宗记录（按时间）",
        ["时间", "类别", "事项", "说明"],
        [
            [f"{timezone.localtime(e.at):%Y-%m-%d}", CASE_KINDS.get(e.kind, e.kind), e.title, e.detail[:300]]
            for e in case_file(provider)
        ],
    )
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="case-file-{provider.code}.pdf"'
    return response


CASE_KINDS = {
    "violation": "违规",
    "sanction": "处理通知",
    "report": "周报/月度汇总",
    "training": "技师培训",
    "evaluation": "区域评价",
    "status": "状态变更",
    "technician_stopped": "技师停止工作",
    "contract_end_proposed": "建议解除合同",
}


# --- region evaluations (NET-5) ---------------------------------------------------------------------


class EvaluationListView(ListPageView):
    permission_required = "network.view_providerevaluation"
    title = gettext_lazy("网点评价")
    filterset_class = EvaluationFilterSet
    default_sort = "-period_end"
    export_filename = "provider-evaluations"
    detail_url_name = "network:evaluation-detail"
    columns = [
        Column(gettext_lazy("评价编号"), "number", sort="number", link=True),
        Column(gettext_lazy("外协网点"), "provider.name", sort="provider__code"),
        Column(gettext_lazy("评价期间止"), "period_end", sort="period_end"),
        Column(gettext_lazy("结论"), "get_conclusion_display", sort="conclusion"),
        Column(
            gettext_lazy("状态"),
            lambda e: EVALUATION_WORKFLOW.badge(e.status),
            sort="status",
            export="get_status_display",
        ),
    ]

    def base_queryset(self):
        return ProviderEvaluation.objects.visible_to(self.request.user).select_related("provider")


@login_required
def evaluation_create(request, pk):
    """A region manager drafts the evaluation of a provider (NET-5)."""
    from .evaluations import evaluation_create as create

    _require(request, "network.add_providerevaluation")
    provider = _provider_for_page(request, pk)
    today = timezone.localdate()
    form = EvaluationForm(request.POST or None, initial={"period_start": today.replace(day=1), "period_end": today})
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = create(actor=request.user, provider_id=provider.pk, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("已起草评价 %(n)s") % {"n": evaluation.number})
            return redirect("network:evaluation-detail", evaluation.pk)
    return render(
        request,
        "network/evaluation_form.html",
        {"form": form, "provider": provider, "title": _("评价网点：%(name)s") % {"name": provider.name}},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def evaluation_detail(request, pk):
    _require(request, "network.view_providerevaluation")
    evaluation = get_object_or_404(
        ProviderEvaluation.objects.visible_to(request.user).select_related("provider", "created_by", "decided_by"),
        pk=pk,
    )
    labels = dict(EvaluationItem.choices)
    return render(
        request,
        "network/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "title": f"{evaluation.number} · {evaluation.provider.name}",
            "scores": [(labels.get(k, k), v) for k, v in evaluation.scores.items()],
            "computed_items": [(labels.get(k, k), v) for k, v in (evaluation.computed.get("by_item") or {}).items()],
            **audit_history(evaluation),
        },
    )
