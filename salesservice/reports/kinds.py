"""The registry of scheduled reports (issue 16 §2): for each kind its cadence and the period it covers, the beat
schedule and task, the org unit levels it is produced for, who receives it at each level, and its figures.

Recipients follow the seeds (001 服务管理; 003 门店销售客服管理办法: 客服主管 analyses the service data, 店长 evaluates
the store's results; 004 通程: the weekly 服务质量周报 to 服务管理部, the monthly roll-up; KPI-3 monthly appraisal by
HR) — docs/reports.md lists them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from celery.schedules import crontab

from salesservice.core.choices import OrgUnitKind

from . import figures
from .choices import ReportKind

COMPANY, REGION, STORE = "company", OrgUnitKind.REGION, OrgUnitKind.STORE


def previous_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """The ISO week (Monday–Sunday) before the one `today` is in."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month before the one `today` is in."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


@dataclasses.dataclass(frozen=True)
class KindSpec:
    kind: str
    task: str
    schedule: crontab
    period: Callable[[dt.date], tuple[dt.date, dt.date]]
    compute: Callable
    # {unit level: roles} — who receives the report of a unit of that level: holders of the roles at the unit itself
    # (company: at HQ, the company or a department directly under it).
    recipients: dict[str, tuple[str, ...]]
    description: str

    @property
    def label(self) -> str:
        return str(ReportKind(self.kind).label)

    @property
    def levels(self) -> list[str]:
        return list(self.recipients)


KINDS: dict[str, KindSpec] = {
    ReportKind.WEEKLY_SERVICE: KindSpec(
        ReportKind.WEEKLY_SERVICE,
        "reports.weekly_service",
        crontab(day_of_week=1, hour=7, minute=0),
        previous_week,
        figures.weekly_service,
        {
            COMPANY: ("service_manager", "general_manager"),
            REGION: ("region_manager",),
            STORE: ("store_manager", "cs_supervisor"),
        },
        "weekly service quality report (Mondays 07:00, the previous ISO week)",
    ),
    ReportKind.MONTHLY_KPI: KindSpec(
        ReportKind.MONTHLY_KPI,
        "reports.monthly_kpi",
        crontab(day_of_month=1, hour=7, minute=30),
        previous_month,
        figures.monthly_kpi,
        {COMPANY: ("hr_trainer", "general_manager"), REGION: ("region_manager",), STORE: ("store_manager",)},
        "monthly KPI pack (the 1st 07:30, the previous month)",
    ),
    ReportKind.MONTHLY_MANAGEMENT: KindSpec(
        ReportKind.MONTHLY_MANAGEMENT,
        "reports.monthly_management",
        crontab(day_of_month=1, hour=8, minute=0),
        previous_month,
        figures.monthly_management,
        {COMPANY: ("general_manager",), REGION: ("region_manager",)},
        "monthly management report (the 1st 08:00, the previous month)",
    ),
}


def spec(kind: str) -> KindSpec:
    return KINDS[kind]


def level_of(unit) -> str:
    return COMPANY if unit is None else unit.kind


def units_for(kind: str) -> list:
    """The org units a kind is produced for, company first (None), then regions and stores by path."""
    from salesservice.core.models import OrgUnit

    levels = spec(kind).levels
    units = [None] if COMPANY in levels else []
    kinds = [level for level in levels if level != COMPANY]
    return units + list(OrgUnit.objects.filter(kind__in=kinds, is_active=True).order_by("path"))


def recipients_for(kind: str, unit) -> list:
    """Who receives `kind` for `unit`: the holders of its level's roles at the unit (company: at HQ)."""
    from salesservice.core.directory import holders

    roles = spec(kind).recipients.get(level_of(unit), ())
    if not roles:
        return []
    if unit is None:
        return holders(roles, hq=True)
    return holders(roles, unit, exact=True)
