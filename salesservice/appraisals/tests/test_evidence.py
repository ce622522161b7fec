"""Compliance evidence of the KPI clauses (issue 16 §4): KPI-1, KPI-2, KPI-6 — the indicators each clause names are
KPI lines of the period's appraisals, the judged attitude/ability are scored, sales reps appraised every month —
met, short with what is missing listed, no_data without appraisals (never met)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from salesservice.appraisals import services
from salesservice.appraisals.choices import CycleKind
from salesservice.appraisals.evidence import (
    kpi1_indicators,
    kpi2_attitude_and_ability,
    kpi2_indicators,
    sales_staff_appraised_monthly,
    sales_staff_attitude,
    sales_staff_indicators,
)
from salesservice.appraisals.models import Appraisal, KpiLine
from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.core.models import User
from salesservice.dashboards.compliance import compliance_report

OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _open():
    return services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))


def test_kpi1_the_five_indicators_are_appraised(kpis):
    """KPI-1: the October cycle carries csat, sales, on-time, return success and complaint satisfaction → met; the
    return-success lines gone → short naming it; no appraisal → no_data."""
    assert kpi1_indicators(OCTOBER).status == NO_DATA
    cycle = _open()
    result = kpi1_indicators(OCTOBER)
    assert result.status == MET and result.figures[0].value == cycle.appraisals.count()
    KpiLine.objects.filter(appraisal__cycle=cycle, metric="return_success").delete()
    result = kpi1_indicators(OCTOBER)
    assert result.status == SHORT and [s.label for s in result.shortfalls] == ["未考核：退换货处理成功率"]


def test_kpi2_indicators_and_the_judged_attitude_and_ability(kpis):
    """KPI-2: first-contact, csat and training lines → met; an evaluated appraisal with attitude and ability → met,
    one evaluated without the ability score → short, listed; nothing evaluated → no_data."""
    assert kpi2_indicators(OCTOBER).status == NO_DATA
    cycle = _open()
    assert kpi2_indicators(OCTOBER).status == MET
    assert kpi2_attitude_and_ability(OCTOBER).status == NO_DATA
    cs = Appraisal.objects.get(cycle=cycle, appraisee__username="xuhui_cs")
    services.appraisal_self_evaluate(actor=cs.appraisee, appraisal_id=cs.pk, self_score=90)
    services.appraisal_evaluate(
        actor=User.objects.get(username="xuhui_manager"),
        appraisal_id=cs.pk,
        supervisor_score=80,
        attitude_score=85,
        ability_score=75,
    )
    assert kpi2_attitude_and_ability(OCTOBER).status == MET
    engineer = Appraisal.objects.get(cycle=cycle, appraisee__username="xuhui_engineer")
    Appraisal.objects.filter(pk=engineer.pk).update(evaluated_at=timezone.now(), attitude_score=Decimal(80))
    result = kpi2_attitude_and_ability(OCTOBER)
    assert result.status == SHORT and result.shortfall_count == 1
    assert result.shortfalls[0].url.endswith(f"/appraisals/{engineer.pk}/")


def test_kpi6_sales_staff_appraised_monthly_on_the_named_indicators(kpis):
    """KPI-6: the sales rep (with the company since 2025) appraised in October on complaints, on-time delivery and
    sales → met; his attitude judged → met; his appraisal missing → short with him and the month; no cycle →
    no_data."""
    User.objects.filter(username="sales_rep").update(date_joined=timezone.make_aware(dt.datetime(2025, 1, 2)))
    assert sales_staff_appraised_monthly(OCTOBER).status == NO_DATA
    cycle = _open()
    assert sales_staff_appraised_monthly(OCTOBER).status == MET
    assert sales_staff_indicators(OCTOBER).status == MET
    rep = Appraisal.objects.get(cycle=cycle, appraisee__username="sales_rep")
    assert sales_staff_attitude(OCTOBER).status == NO_DATA
    Appraisal.objects.filter(pk=rep.pk).update(evaluated_at=timezone.now(), attitude_score=Decimal(88))
    assert sales_staff_attitude(OCTOBER).status == MET
    Appraisal.objects.filter(pk=rep.pk).update(attitude_score=None)
    assert sales_staff_attitude(OCTOBER).status == SHORT
    rep.delete()
    result = sales_staff_appraised_monthly(OCTOBER)
    assert result.status == SHORT and result.shortfalls[0].label == "刘销售 2026-10"
    assert result.shortfalls[0].url.endswith(f"/cycles/{cycle.pk}/")


def test_kpi_clauses_through_the_report(kpis, demo):
    """KPI-1, KPI-2, KPI-6 through compliance_report: no appraisal → no_data; the October cycle → KPI-1 met; a
    unit without sales reps reads KPI-6's monthly aspect as no data."""
    report = compliance_report(OCTOBER, only={"KPI-1", "KPI-2", "KPI-6"})
    assert [r.status for r in report.results] == [NO_DATA, NO_DATA, NO_DATA]
    _open()
    report = compliance_report(OCTOBER, only={"KPI-1"})
    assert report.results[0].status == MET
    store = Period(OCTOBER.start, OCTOBER.end, demo["gz-tianhe"])
    assert sales_staff_appraised_monthly(store).status == NO_DATA
