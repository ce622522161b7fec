"""定期报告 pages (issue 16 §2): the archive (filters, pagination), one report with its figures, deliveries and
download history, the logged PDF / Excel download, and 「立即生成」 for the managers who may."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesservice.core.exceptions import DomainError
from salesservice.core.views.generic import Column, ListPageView

from . import services
from .filtersets import ReportRunFilterSet
from .forms import GenerateForm
from .models import ReportRun

VIEW = "reports.view_reportrun"


def _outcome(run):
    from django.utils.html import format_html

    css = "bg-green-lt" if run.outcome == "done" else "bg-red-lt"
    return format_html('<span class="badge {}">{}</span>', css, run.get_outcome_display())


class ReportRunListView(ListPageView):
    """定期报告: the archive the scheduler fills, in the reader's scope."""

    permission_required = VIEW
    title = gettext_lazy("定期报告")
    filterset_class = ReportRunFilterSet
    default_sort = "-period_start"
    export_filename = "scheduled-reports"
    detail_url_name = "reports:detail"
    actions = [(gettext_lazy("立即生成"), "reports:generate", "reports.generate_report")]
    columns = [
        Column(gettext_lazy("报告类型"), "get_kind_display", sort="kind", link=True),
        Column(gettext_lazy("期间"), "period_label", sort="period_start", link=True),
        Column(gettext_lazy("组织单位"), "unit_name", sort="org_unit__path"),
        Column(gettext_lazy("生成结果"), _outcome, sort="outcome", export="get_outcome_display"),
        Column(gettext_lazy("数据截至"), "as_of", sort="as_of"),
        Column(gettext_lazy("生成时间"), "generated_at", sort="generated_at"),
    ]

    def base_queryset(self):
        return ReportRun.objects.visible_to(self.request.user).select_related("org_unit")


def _run(request, pk) -> ReportRun:
    return get_object_or_404(ReportRun.objects.visible_to(request.user).select_related("org_unit"), pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def detail(request, pk):
    """One report: the headline figures, each section's table, who received it and who downloaded it."""
    run = _run(request, pk)
    services.report_mark_read(actor=request.user, run=run)
    context = {
        "title": f"{run.get_kind_display()} · {run.unit_name} · {run.period_label}",
        "run": run,
        "summary": run.figures.get("summary", []),
        "sections": [
            {**part, "cells": [list(zip(part["header"], row, strict=False)) for row in part["rows"]]}
            for part in run.figures.get("sections", [])
        ],
        "deliveries": run.deliveries.select_related("recipient"),
        "downloads": run.downloads.select_related("user")[:100],
    }
    return render(request, "reports/detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def download(request, pk, fmt):
    """The stored PDF or Excel of a report in the reader's scope (else 404), written to the download history."""
    run = _run(request, pk)
    try:
        content, content_type, filename = services.report_download(actor=request.user, run=run, fmt=fmt)
    except DomainError as error:
        return HttpResponse(str(error.message), status=error.status_code, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@permission_required("reports.generate_report", raise_exception=True)
def generate(request):
    """「立即生成」: a kind, a date and a unit (in the user's scope); an archived report opens as it is."""
    form = GenerateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.manual_generate(
                actor=request.user, kind=data["kind"], day=data["date"], unit_id=data["unit"] or None
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("报告已生成：%(run)s") % {"run": run})
            return redirect(run.get_absolute_url())
    return render(request, "reports/generate.html", {"title": _("立即生成定期报告"), "form": form})
