"""The compliance report pages (issue 16 §4): the report for a period and unit with every clause, its status and
evidence (links to the records behind each figure), printable as PDF and exportable to Excel — each hand-out
archived as a `ComplianceSnapshot` (the download history)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, STATUS_LABELS
from salesservice.core.exceptions import DomainError, NotFoundError
from salesservice.core.models import OrgUnit
from salesservice.core.scoping import visible_unit_ids

from .clauses import MARK_LABELS
from .compliance import Report, compliance_report, report_period
from .models import ComplianceSnapshot

PERM = "dashboards.view_compliance_report"


def _units(user):
    ids = visible_unit_ids(user)
    units = OrgUnit.objects.order_by("path")
    return units if user.is_superuser or ids is None else units.filter(pk__in=ids)


def _period(request):
    today = timezone.localdate()
    start = request.GET.get("start") or today.replace(month=1, day=1).isoformat()
    end = request.GET.get("end") or today.isoformat()
    try:
        return report_period(request.user, start=start, end=end, unit_id=request.GET.get("unit")), None
    except NotFoundError:
        raise Http404 from None
    except DomainError as error:
        return None, error


def _status_filter(request) -> str:
    value = request.GET.get("status", "")
    return value if value in STATUS_LABELS else ""


@login_required
@permission_required(PERM, raise_exception=True)
def compliance(request):
    """The report on screen: a summary, then the clauses by area (filter by status), each with its aspects."""
    period, error = _period(request)
    report = compliance_report(period) if period else None
    status = _status_filter(request)
    areas: dict[str, list] = {}
    if report:
        for result in report.results:
            if not status or result.status == status:
                areas.setdefault(result.clause.area_title, []).append(result)
    context = {
        "title": "制度执行合规报告",
        "report": report,
        "period": period,
        "error": error,
        "areas": areas,
        "units": _units(request.user),
        "status": status,
        "statuses": STATUS_LABELS,
        "mark_labels": MARK_LABELS,
        "query": request.GET.urlencode(),
        "start": request.GET.get("start") or (period.start.isoformat() if period else ""),
        "end": request.GET.get("end") or (period.end.isoformat() if period else ""),
        "unit_id": str(period.unit.pk) if period and period.unit else "",
    }
    return render(request, "dashboards/compliance.html", context)


def _archive(request, report: Report, fmt: str) -> None:
    summary = report.summary
    ComplianceSnapshot.objects.create(
        org_unit=report.period.unit,
        start=report.period.start,
        end=report.period.end,
        fmt=fmt,
        inventory_version=report.inventory_version,
        met=summary[MET],
        short=summary[SHORT],
        no_data=summary[NO_DATA],
        result=report.as_dict(),
        taken_by=request.user,
    )


def _figures(item) -> str:
    return "；".join(f"{f.label} {f.value}{f.unit}" for f in item.figures) or item.note


def _checked(request) -> Report:
    period, error = _period(request)
    if error is not None:
        raise error
    return compliance_report(period)


def _unit_name(report: Report) -> str:
    return report.period.unit.name if report.period.unit else "全公司"


@login_required
@permission_required(PERM, raise_exception=True)
def compliance_pdf(request):
    """The printable report (制度执行合规报告): every clause, its status, figures and the first records short."""
    from salesservice.core.pdf import Document, render_document

    try:
        report = _checked(request)
    except DomainError as error:
        return HttpResponse(str(error.message), status=400, content_type="text/plain; charset=utf-8")
    summary = report.summary
    doc = Document(title="制度执行合规报告", number=f"{report.period.start}…{report.period.end}")
    doc.fields(
        [
            ("组织单位", _unit_name(report)),
            ("期间", f"{report.period.start} 至 {report.period.end}"),
            ("数据截至", report.as_of),
            ("条款清单版本", report.inventory_version),
            ("条款数", summary["clauses"]),
            ("达标 / 未达标 / 无数据", f"{summary[MET]} / {summary[SHORT]} / {summary[NO_DATA]}"),
        ]
    )
    rows = []
    for result in report.results:
        for item in result.evidence:
            short = "、".join(link.label for link in item.shortfalls[:5])
            rows.append(
                [
                    f"{result.clause.id} {result.clause.title}",
                    item.aspect,
                    STATUS_LABELS[item.status],
                    _figures(item),
                    short or "—",
                ]
            )
    doc.table("逐条取证", ["条款", "取证项", "结论", "数据", "未达标记录（前 5 条）"], rows)
    doc.fields([("审核人签字", ""), ("打印时间", timezone.now())], title="签字")
    _archive(request, report, "pdf")
    response = HttpResponse(render_document(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="compliance-{report.period.start}-{report.period.end}.pdf"'
    return response


@login_required
@permission_required(PERM, raise_exception=True)
def compliance_xlsx(request):
    """The report as Excel: one row per clause aspect, with the clause text, marks, status, figures and the
    records short (labels and links)."""
    from openpyxl import Workbook

    try:
        report = _checked(request)
    except DomainError as error:
        return HttpResponse(str(error.message), status=400, content_type="text/plain; charset=utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "合规报告"
    sheet.append(["组织单位", _unit_name(report), "期间", f"{report.period.start} 至 {report.period.end}"])
    sheet.append(
        [
            "数据截至",
            timezone.localtime(report.as_of).strftime("%Y-%m-%d %H:%M"),
            "条款清单版本",
            report.inventory_version,
        ]
    )
    sheet.append([])
    sheet.append(
        [
            "条款",
            "领域",
            "条款内容",
            "来源",
            "要求",
            "条款结论",
            "取证项",
            "取证结论",
            "数据",
            "未达标数",
            "未达标记录",
            "记录链接",
        ]
    )
    base = request.build_absolute_uri("/").rstrip("/")
    for result in report.results:
        marks = "、".join(MARK_LABELS[m] for m in result.clause.marks)
        for item in result.evidence:
            sheet.append(
                [
                    result.clause.id,
                    result.clause.area_title,
                    result.clause.title,
                    result.clause.text,
                    result.clause.source,
                    marks,
                    STATUS_LABELS[result.status],
                    item.aspect,
                    STATUS_LABELS[item.status],
                    _figures(item),
                    item.shortfall_count,
                    "、".join(link.label for link in item.shortfalls),
                    base + item.records_url if item.records_url else "",
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    _archive(request, report, "xlsx")
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="compliance-{report.period.start}-{report.period.end}.xlsx"'
    )
    return response


@login_required
@permission_required("dashboards.view_compliancesnapshot", raise_exception=True)
def snapshot_list(request):
    """Who took which report when (the latest 200 in the reader's scope)."""
    snapshots = ComplianceSnapshot.objects.visible_to(request.user).select_related("org_unit", "taken_by")[:200]
    return render(request, "dashboards/snapshots.html", {"title": "合规报告导出记录", "snapshots": snapshots})
