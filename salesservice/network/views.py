"""Provider pages (NET-*): list with status badges, detail with status buttons, violations, history; form.

The status badge and the ladder buttons come from `PROVIDER_WORKFLOW` (workflows.py). Its page action
(`change-status`) answers a refusal on the provider's page itself (400, with the message) rather than with a
redirect, and a user without the permission gets 403 — see `provider_action`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from salesservice.core.exceptions import DomainError
from salesservice.core.forms import apply_domain_error
from salesservice.core.views.generic import Column, ListPageView
from salesservice.core.views.pages import audit_history
from salesservice.core.views.workflow import build_form, form_values

from . import services
from .choices import ProviderStatus
from .filtersets import ProviderReportFilterSet, ServiceProviderFilterSet
from .forms import ServiceProviderForm, ViolationForm
from .selectors import provider_list
from .workflows import PROVIDER_WORKFLOW


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
