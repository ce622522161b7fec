"""The outsourced network's service quality reports (NET-1, NET-2; seed 004 通程: 周反馈、月度汇总、逐月累计).

Stores record each complaint case about a provider as a violation with its evaluation item (`violation_record`).
Every Monday the scheduler produces the **weekly service quality report** 服务质量周报 of the previous Monday–Sunday:
per provider the cases of the week (date, item, what happened), the month's and cumulative counts, the status and
the rung the ladder reaches (the penalty proposal of the 周回访总结), the notices issued. On the 1st it produces the
**monthly roll-up** 月度汇总 of the previous month against the evaluation items. Both are archived once per period
(re-running the job finds the report and does nothing), sent to the after-sales and region managers, printable,
and read through `/api/v1/provider-reports/`; a reader sees the rows of the providers in their scope.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.exceptions import DomainError
from salesservice.core.guards import require_perm
from salesservice.core.notifications import notify

from .choices import EvaluationItem, ProviderStatus, ReportKind
from .errors import NetworkErrorCode as E
from .models import ProviderReport, ProviderSanction, ProviderViolation, ServiceProvider
from .services import suggested_status
from .training import latest_quarter

RECIPIENT_ROLES = ("service_manager", "region_manager")


def weekly_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday–Sunday week before the one `today` is in."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


def monthly_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month before the one `today` is in."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _rows(kind: str, start: dt.date, end: dt.date) -> tuple[list[dict], dict]:
    """One row per provider not removed before the period, or with a case in it; four queries in all."""
    month_start = end.replace(day=1)
    violations = ProviderViolation.objects.filter(occurred_on__lte=end).values_list(
        "provider_id", "occurred_on", "item", "description"
    )
    in_period: dict[int, list] = defaultdict(list)
    month_count: Counter = Counter()
    cumulative: Counter = Counter()
    for provider_id, day, item, description in violations.order_by("occurred_on", "id"):
        cumulative[provider_id] += 1
        if day >= month_start:
            month_count[provider_id] += 1
        if start <= day:
            in_period[provider_id].append((day, item, description))
    notices: dict[int, list] = defaultdict(list)
    for provider_id, number, rung in ProviderSanction.objects.filter(
        issued_at__date__gte=start, issued_at__date__lte=end
    ).values_list("provider_id", "number", "rung"):
        notices[provider_id].append({"number": number, "rung": rung, "label": str(ProviderStatus(rung).label)})
    providers = list(ServiceProvider.objects.select_related("org_unit").order_by("org_unit__path", "code"))
    quarters = latest_quarter(p.pk for p in providers)  # NET-4: the last closed quarter's pass rate
    labels = dict(EvaluationItem.choices)
    rows, totals = [], Counter()
    for provider in providers:
        cases = in_period.get(provider.pk, [])
        if provider.status == ProviderStatus.REMOVED and not cases:
            continue
        by_item = Counter(item for _day, item, _text in cases)
        reached = suggested_status(provider, end)
        row = {
            "provider": provider.pk,
            "code": provider.code,
            "name": provider.name,
            "org_unit": provider.org_unit_id,
            "org_unit_name": provider.org_unit.name,
            "status": provider.status,
            "status_label": str(provider.get_status_display()),
            "cases": len(cases),
            "by_item": {item: by_item[item] for item in EvaluationItem.values if by_item[item]},
            "month_count": month_count[provider.pk],
            "cumulative": cumulative[provider.pk],
            "proposal": str(ProviderStatus(reached).label) if reached else "",
            "notices": notices.get(provider.pk, []),
        }
        quarter = quarters.get(provider.pk)
        row["training_quarter"] = quarter.quarter if quarter else ""
        row["training_pass_rate"] = str(quarter.pass_rate) if quarter and quarter.pass_rate is not None else ""
        row["training_flagged"] = bool(quarter and quarter.flagged)
        if kind == ReportKind.WEEKLY:
            row["case_list"] = [
                {"date": day.isoformat(), "item": str(labels.get(item, item)), "description": text}
                for day, item, text in cases
            ]
        rows.append(row)
        totals["cases"] += len(cases)
        for item, n in by_item.items():
            totals[f"item:{item}"] += n
    summary = {
        "providers": len(rows),
        "cases": totals["cases"],
        "by_item": {item: totals[f"item:{item}"] for item in EvaluationItem.values if totals[f"item:{item}"]},
        "stopped": sum(1 for row in rows if row["status"] == ProviderStatus.DISPATCH_STOPPED),
        "with_proposal": sum(1 for row in rows if row["proposal"]),
        "training_flagged": sum(1 for row in rows if row["training_flagged"]),
    }
    return rows, summary


@service
def provider_report_generate(*, actor=None, kind: str, today: dt.date | None = None) -> ProviderReport:
    """NET-1 / NET-2: the weekly report (the week before `today`) or the monthly roll-up (the month before), once
    per period — a second run returns the archived one unchanged. `actor` None is the scheduler; a person needs
    `network.add_providerreport`. The after-sales and region managers are told."""
    if actor is not None:
        require_perm(actor, "network.add_providerreport")
    if kind not in ReportKind.values:
        raise DomainError(E.REPORT_INVALID_KIND, _("无效的报告类型"), fields={"kind": [_("无效的选项")]})
    today = today or timezone.localdate()
    start, end = weekly_period(today) if kind == ReportKind.WEEKLY else monthly_period(today)
    found = ProviderReport.objects.filter(kind=kind, period_start=start).first()
    if found is not None:
        return found
    rows, totals = _rows(kind, start, end)
    try:
        with transaction.atomic():  # two runs at once (a retried job): one insert wins
            report = ProviderReport.objects.create(
                kind=kind, period_start=start, period_end=end, rows=rows, totals=totals, generated_by=actor
            )
    except IntegrityError:
        return ProviderReport.objects.get(kind=kind, period_start=start)
    title = _("%(kind)s %(start)s–%(end)s：%(n)s 个网点，投诉案例 %(c)s 件") % {
        "kind": report.get_kind_display(),
        "start": start,
        "end": end,
        "n": totals["providers"],
        "c": totals["cases"],
    }
    notify(
        recipients=holders(RECIPIENT_ROLES),
        title=title,
        url=reverse("network:report-detail", args=[report.pk]),
        kind="network.report",
    )
    return report


def rows_for(report: ProviderReport, user) -> list[dict]:
    """The report's rows of the providers `user` may see (INF-1)."""
    visible = set(ServiceProvider.objects.visible_to(user).values_list("pk", flat=True))
    return [row for row in report.rows if row["provider"] in visible]
