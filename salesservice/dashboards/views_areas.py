"""The management dashboards' pages (issue 16 §1): /reports/dashboards/<area>/ for a period (default this month,
quick picks 本周 / 本月 / 本季 / 本年) and an org unit in the reader's scope (default the reader's own) — KPI cards
linking to the records behind them, ECharts charts (data in a json_script block, drawn by dashboards/areas.js:
the Content-Security-Policy forbids inline scripts), the breakdown one level down, and the Excel export."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from salesservice.core.choices import OrgUnitKind
from salesservice.core.exceptions import DomainError, NotFoundError
from salesservice.core.models import OrgUnit
from salesservice.core.scoping import visible_unit_ids

from .areas import AREAS, area_data
from .compliance import report_period

PERM = "dashboards.view_dashboards"


def quick_periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return [
        ("本周", today - dt.timedelta(days=today.weekday()), today),
        ("本月", today.replace(day=1), today),
        ("本季", quarter_start, today),
        ("本年", today.replace(month=1, day=1), today),
    ]


def scope_units(user):
    """The units a reader may pick: the company, regions and stores in scope (departments report with their
    parent unit)."""
    units = OrgUnit.objects.exclude(kind=OrgUnitKind.DEPARTMENT).order_by("path")
    ids = visible_unit_ids(user)
    return units if user.is_superuser or ids is None else units.filter(pk__in=ids)


def parse_request(request):
    """(period, error) from ?start=&end=&unit=; an out-of-scope or unknown unit is 404."""
    today = timezone.localdate()
    start = request.GET.get("start") or today.replace(day=1).isoformat()
    end = request.GET.get("end") or today.isoformat()
    try:
        return report_period(request.user, start=start, end=end, unit_id=request.GET.get("unit")), None
    except NotFoundError:
        raise Http404 from None
    except DomainError as error:
        return None, error


@login_required
@permission_required(PERM, raise_exception=True)
def dashboard_index(request):
    query = request.GET.urlencode()
    return redirect(reverse("dashboards:area", args=["service"]) + ("?" + query if query else ""))


@login_required
@permission_required(PERM, raise_exception=True)
def dashboard_area(request, area: str):
    if area not in AREAS:
        raise Http404
    period, error = parse_request(request)
    data = area_data(area, period) if period else None
    unit_id = str(period.unit.pk) if period and period.unit else ""
    base = {"unit": unit_id} if unit_id else {}
    today = timezone.localdate()
    quick = [
        {
            "label": label,
            "query": urlencode({**base, "start": start.isoformat(), "end": end.isoformat()}),
            "active": period is not None and period.start == start and period.end == end,
        }
        for label, start, end in quick_periods(today)
    ]
    query = request.GET.copy()
    context = {
        "title": f"管理看板 · {AREAS[area]}",
        "area": area,
        "areas": AREAS,
        "data": data,
        "period": period,
        "error": error,
        "units": scope_units(request.user),
        "unit_id": unit_id,
        "start": request.GET.get("start") or (period.start.isoformat() if period else ""),
        "end": request.GET.get("end") or (period.end.isoformat() if period else ""),
        "quick": quick,
        "query": query.urlencode(),
        "kpis": _kpi_cards(request.user, data) if data else [],
        "charts": _charts(request.user, data) if data else [],
    }
    return render(request, "dashboards/area.html", context)


def _display(value, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and unit in ("元",):
        return f"{value:,.2f}"
    if isinstance(value, float) and value.is_integer() and unit not in ("%",):
        return f"{int(value)}"
    return f"{value}"


def can_open(user, url: str) -> bool:
    """Whether the reader may open a drill-down list: a list page names its permission (`ListPageView`); a link the
    reader would only meet as 403 is shown as plain figure instead."""
    if not url:
        return False
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    perm = getattr(getattr(match.func, "view_class", None), "permission_required", None)
    if not perm:
        return True
    return user.has_perms((perm,) if isinstance(perm, str) else perm)


def _kpi_cards(user, data: dict) -> list[dict]:
    return [
        {
            **item,
            "display": _display(item["value"], item["unit"]),
            "url": item["url"] if can_open(user, item["url"]) else "",
        }
        for item in data["kpis"]
    ]


def _charts(user, data: dict) -> list[dict]:
    return [{**item, "urls": [url if can_open(user, url) else "" for url in item["urls"]]} for item in data["charts"]]


@login_required
@permission_required(PERM, raise_exception=True)
def dashboard_export(request, area: str):
    """The dashboard as Excel: the KPIs (with the link to their records), each chart's figures, the breakdown."""
    from openpyxl import Workbook

    if area not in AREAS:
        raise Http404
    period, error = parse_request(request)
    if error is not None:
        return HttpResponse(str(error.message), status=400, content_type="text/plain; charset=utf-8")
    data = area_data(area, period)
    unit_name = period.unit.name if period.unit else "全公司"
    base = request.build_absolute_uri("/").rstrip("/")
    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["管理看板", data["title"], "组织单位", unit_name])
    sheet.append(
        ["期间", f"{period.start} 至 {period.end}", "导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")]
    )
    sheet.append([])
    sheet.append(["指标", "数值", "单位", "说明", "记录链接"])
    for item in data["kpis"]:
        sheet.append(
            [item["label"], item["value"], item["unit"], item["note"], base + item["url"] if item["url"] else ""]
        )
    charts = book.create_sheet("图表数据")
    for item in data["charts"]:
        charts.append([item["title"]])
        charts.append(["类别", *[series["name"] for series in item["series"]]])
        for index, category in enumerate(item["categories"]):
            charts.append([category, *[series["data"][index] for series in item["series"]]])
        charts.append([])
    breakdown = book.create_sheet("分解")
    columns = data["breakdown"]["columns"]
    breakdown.append(
        [
            data["breakdown"]["level_label"],
            *[f"{c['label']}（{c['unit']}）" if c["unit"] else c["label"] for c in columns],
        ]
    )
    for row in data["breakdown"]["rows"]:
        breakdown.append([row["name"], *row["values"]])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{area}-{period.start}-{period.end}.xlsx"'
    return response
