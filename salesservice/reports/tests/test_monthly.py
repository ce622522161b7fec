"""Issue 16 §2: the monthly jobs on the 1st with a fixed clock — the 月度KPI考核汇总 of the previous month (per
person, per KPI, the grade distribution) for HR and the unit's managers, and the 月度经营管理报告 (every dashboard
area's headline KPIs and the compliance summary) for the general manager and the region managers."""

import datetime as dt
from decimal import Decimal

import pytest

from salesservice.appraisals.choices import AppraisalStatus, CycleKind, CycleStatus
from salesservice.appraisals.models import Appraisal, AppraisalCycle, KpiLine

from .. import tasks
from ..choices import ReportKind, RunOutcome
from ..models import ReportRun
from .conftest import FIRST

pytestmark = pytest.mark.django_db


def _figures(run) -> dict:
    return {item["key"]: item["value"] for item in run.figures["summary"]}


def _section(run, key) -> dict:
    return next(part for part in run.figures["sections"] if part["key"] == key)


def _appraisal(cycle, user, unit, post, *, kpi, final, grade, status=AppraisalStatus.FINALISED):
    appraisal = Appraisal.objects.create(
        cycle=cycle,
        appraisee=user,
        org_unit=unit,
        post=post,
        status=status,
        kpi_score=Decimal(kpi),
        final_score=Decimal(final) if final else None,
        grade=grade,
    )
    KpiLine.objects.create(
        appraisal=appraisal,
        code="first-contact",
        name="首次联系及时率",
        metric="sla_first_contact",
        weight=60,
        target=Decimal("95"),
        value=Decimal(kpi),
        score=Decimal(kpi),
    )
    return appraisal


@pytest.fixture
def november(demo, users):
    """November's monthly cycle: 陈小客 (徐汇) A 92, 赵工 (徐汇) C 65, 黄天河 (天河) not yet finalised; October's cycle
    (not in the pack)."""
    cycle = AppraisalCycle.objects.create(
        kind=CycleKind.MONTHLY,
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 30),
        deadline=dt.date(2026, 12, 10),
        status=CycleStatus.OPEN,
    )
    october = AppraisalCycle.objects.create(
        kind=CycleKind.MONTHLY,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        deadline=dt.date(2026, 11, 10),
        status=CycleStatus.CLOSED,
    )
    _appraisal(cycle, users["xuhui_cs"], demo["sh-xuhui"], "cs_rep", kpi="92.0", final="92.0", grade="A")
    _appraisal(cycle, users["xuhui_engineer"], demo["sh-xuhui"], "engineer", kpi="65.0", final="65.0", grade="C")
    _appraisal(
        cycle,
        users["tianhe_cs"],
        demo["gz-tianhe"],
        "cs_rep",
        kpi="80.0",
        final=None,
        grade="",
        status=AppraisalStatus.PENDING_SUPERVISOR,
    )
    _appraisal(october, users["xuhui_cs"], demo["sh-xuhui"], "cs_rep", kpi="50.0", final="50.0", grade="D")
    return cycle


def test_kpi_pack_on_the_first_for_last_month(november, demo):
    result = tasks.monthly_kpi(now=FIRST)
    assert result["failed"] == []
    runs = ReportRun.objects.filter(kind=ReportKind.MONTHLY_KPI)
    assert runs.count() == 7
    assert {(r.period_start, r.period_end) for r in runs} == {(dt.date(2026, 11, 1), dt.date(2026, 11, 30))}
    company = runs.get(org_unit=None)
    figures = _figures(company)
    assert (figures["appraised"], figures["finalised"], figures["grade_a"], figures["grade_d"]) == (3, 2, 1, 0)
    assert figures["kpi_average"] == 79.0  # (92 + 65 + 80) / 3
    assert figures["final_average"] == 78.5  # the finalised two
    grades = {row[0]: row[1:] for row in _section(company, "grades")["rows"]}
    assert grades["A 优秀"] == [1, 33.3] and grades["C 合格"] == [1, 33.3] and grades["未定级"] == [1, 33.3]
    assert grades["D 待改进"] == [0, 0.0]
    people = {row[0]: row for row in _section(company, "people")["rows"]}
    assert people["陈小客"][4:7] == [92.0, 92.0, "A"]
    assert len(_section(company, "kpis")["rows"]) == 3
    xuhui = _figures(runs.get(org_unit=demo["sh-xuhui"]))
    assert (xuhui["appraised"], xuhui["kpi_average"]) == (2, 78.5)
    assert _figures(runs.get(org_unit=demo["hz-xihu"]))["appraised"] == 0


def test_kpi_pack_goes_to_hr_and_the_managers(november, demo):
    tasks.monthly_kpi(now=FIRST)

    def recipients(unit):
        run = ReportRun.objects.get(kind=ReportKind.MONTHLY_KPI, org_unit=unit)
        return set(run.deliveries.values_list("recipient__username", flat=True))

    assert recipients(None) == {"hr_trainer", "gm"}
    assert recipients(demo["east"]) == {"east_manager"}
    assert recipients(demo["sh-xuhui"]) == {"xuhui_manager"}


def test_kpi_pack_rerun_is_idempotent(november):
    first = tasks.monthly_kpi(now=FIRST)
    assert tasks.monthly_kpi(now=FIRST + dt.timedelta(minutes=5))["runs"] == first["runs"]
    assert ReportRun.objects.count() == 7


def test_management_report_has_every_area_and_the_compliance_summary(demo):
    from salesservice.dashboards.areas import AREAS

    result = tasks.monthly_management(now=FIRST.replace(hour=8, minute=0))
    assert result["failed"] == []
    runs = ReportRun.objects.filter(kind=ReportKind.MONTHLY_MANAGEMENT)
    assert set(runs.values_list("org_unit__code", flat=True)) == {None, "east", "south"}  # no store edition
    company = runs.get(org_unit=None)
    assert company.outcome == RunOutcome.DONE
    assert company.period_start == dt.date(2026, 11, 1)
    figures = _figures(company)
    assert figures["met"] + figures["short"] + figures["no_data"] == figures["clauses"] > 0
    areas = {row[0] for row in _section(company, "kpis")["rows"]}
    assert areas == set(AREAS.values())
    compliance = {row[0]: row[1] for row in _section(company, "compliance")["rows"]}
    assert compliance == {"达标": figures["met"], "未达标": figures["short"], "无数据": figures["no_data"]}
    assert len(_section(company, "short")["rows"]) == min(figures["short"], 40)

    def recipients(unit):
        return set(runs.get(org_unit=unit).deliveries.values_list("recipient__username", flat=True))

    assert recipients(None) == {"gm"}
    assert recipients(demo["east"]) == {"east_manager"}
