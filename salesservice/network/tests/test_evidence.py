"""Compliance evidence of the outsourced network (issue 16 §4): NET-3 the ladder's notices, NET-4 stopped
technicians and the quarterly pass rate, NET-5 the regions' quarterly evaluations — met, short with the offending
record listed, and no_data without records (never met)."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report

from .. import evaluations, services, training
from ..choices import TechnicianStatus
from ..evidence import (
    failing_technicians_stopped,
    providers_evaluated_each_quarter,
    training_pass_rate,
    violations_sanctioned,
)
from ..models import ServiceProvider, TechnicianTraining
from .factories import ProviderFactory, TechnicianFactory, ViolationFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 16)
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 11, 30))
QUARTER_DAY = {"2026-Q1": dt.date(2026, 2, 10), "2026-Q2": dt.date(2026, 5, 12), "2026-Q3": dt.date(2026, 8, 11)}


@pytest.fixture
def provider(users, demo):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"], name="徐汇测试网点")
    provider.dispatchers.add(users["provider_dispatcher"])
    return provider


def _period(demo, code="sh-xuhui"):
    return Period(*YEAR, demo[code])


def test_net3_violations_with_their_notices_met_a_bypassed_ladder_short(users, demo, provider):
    """NET-3: two violations in a month through the service (警告函, 限期整改 issued) → met; a month whose count
    reached the ladder without a notice (recorded around the service) → short with the provider and month."""
    assert violations_sanctioned(_period(demo)).status == NO_DATA
    day = dt.date(2026, 10, 12)
    for text in ("上门迟到", "乱收费"):
        services.violation_record(
            actor=users["hq_service_manager"], provider_id=provider.pk, occurred_on=day, description=text
        )
    result = violations_sanctioned(_period(demo))
    assert result.status == MET and result.figures[0].value == 1
    other = ProviderFactory(org_unit=demo["sh-xuhui"], name="漏发通知网点")
    ViolationFactory(provider=other, occurred_on=dt.date(2026, 9, 3))
    result = violations_sanctioned(_period(demo))
    assert result.status == SHORT and result.shortfall_count == 1
    assert result.shortfalls[0].label.startswith("漏发通知网点 2026-09 违规 1 次")
    assert f"/providers/{other.pk}/case-file/" in result.shortfalls[0].url
    assert violations_sanctioned(_period(demo, "gz-tianhe")).status == NO_DATA


def test_net3_an_earlier_rung_still_in_force_covers_the_next_month(users, demo, provider):
    """NET-3: stopped from dispatch in September, one violation in October needs no new notice."""
    for n in range(3):
        services.violation_record(
            actor=users["hq_service_manager"],
            provider_id=provider.pk,
            occurred_on=dt.date(2026, 9, 2 + n),
            description=f"违规 {n}",
        )
    ViolationFactory(provider=provider, occurred_on=dt.date(2026, 10, 5))
    assert violations_sanctioned(_period(demo)).status == MET


def _train(users, technician, quarter, passed):
    return training.training_record(
        actor=users["provider_dispatcher"],
        technician_id=technician.pk,
        quarter=quarter,
        trained_on=QUARTER_DAY[quarter],
        topic="空调安装规范",
        score=90 if passed else 50,
        passed=passed,
        today=TODAY,
    )


def test_net4_failing_technicians_stopped_met_then_short_when_one_still_works(users, demo, provider):
    """NET-4: three failed quarters through the service stop the technician → met; three failed quarters recorded
    around the rule while the technician stays 在岗 → short with him listed."""
    assert failing_technicians_stopped(_period(demo)).status == NO_DATA
    stopped = TechnicianFactory(provider=provider, name="钱师傅")
    for quarter in QUARTER_DAY:
        _train(users, stopped, quarter, passed=False)
    stopped.refresh_from_db()
    assert stopped.status == TechnicianStatus.STOPPED
    assert failing_technicians_stopped(_period(demo)).status == MET
    working = TechnicianFactory(provider=provider, name="孙师傅")
    for quarter, day in QUARTER_DAY.items():
        TechnicianTraining.objects.create(
            technician=working,
            provider=provider,
            quarter=quarter,
            trained_on=day,
            topic="安装",
            score=40,
            passed=False,
            recorded_by=users["provider_dispatcher"],
        )
    result = failing_technicians_stopped(_period(demo))
    assert result.status == SHORT and result.shortfall_count == 1
    assert "孙师傅：连续 3 个季度不合格" in result.shortfalls[0].label


def test_net4_pass_rate_against_the_policy_minimum(users, demo, provider):
    """NET-4: 2 of 2 passed in a quarter → met; a quarter with 1 of 2 (50 % < network.training_pass_rate_min 80 %)
    → short with the provider and quarter listed; no training → no_data."""
    assert training_pass_rate(_period(demo)).status == NO_DATA
    first, second = TechnicianFactory(provider=provider), TechnicianFactory(provider=provider)
    _train(users, first, "2026-Q2", passed=True)
    _train(users, second, "2026-Q2", passed=True)
    result = training_pass_rate(_period(demo))
    assert result.status == MET and {f.label: f.value for f in result.figures}["合格率下限"] == 80
    _train(users, first, "2026-Q3", passed=True)
    _train(users, second, "2026-Q3", passed=False)
    result = training_pass_rate(_period(demo))
    assert result.status == SHORT and result.shortfall_count == 1
    assert result.shortfalls[0].label == "徐汇测试网点 2026-Q3：1/2 合格 （50.0%）"
    assert f"/providers/{provider.pk}/training/" in result.shortfalls[0].url


def _evaluate(users, provider, start, end):
    draft = evaluations.evaluation_create(
        actor=users["east_manager"],
        provider_id=provider.pk,
        period_start=start,
        period_end=end,
        scores={"punctuality": 90, "attitude": 90, "workmanship": 90},
        conclusion="keep",
        comment="良好",
    )
    return evaluations.evaluation_submit(actor=users["east_manager"], evaluation_id=draft.pk)


def test_net5_every_provider_evaluated_each_quarter(users, demo, provider):
    """NET-5: a quarter (2026-Q3) whose provider has a submitted evaluation covering it → met; a second provider of
    the region without one → short, listed with the link to evaluate it; nothing submitted yet → no_data."""
    q3 = Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30), demo["sh-xuhui"])
    ServiceProvider.objects.filter(pk=provider.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 1, 5)))
    assert providers_evaluated_each_quarter(q3).status == NO_DATA
    _evaluate(users, provider, dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    result = providers_evaluated_each_quarter(q3)
    assert result.status == MET and result.figures[0].value == 1
    other = ProviderFactory(org_unit=demo["sh-xuhui"], name="未评价网点")
    ServiceProvider.objects.filter(pk=other.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 3, 5)))
    result = providers_evaluated_each_quarter(q3)
    assert result.status == SHORT and result.shortfall_count == 1
    assert result.shortfalls[0].label == "未评价网点 2026-Q3"
    assert f"/providers/{other.pk}/evaluate/" in result.shortfalls[0].url


def test_network_clauses_through_the_report(users, demo, provider):
    """NET-3, NET-4, NET-5 through compliance_report: no records → no_data; the ladder applied → NET-3 met."""
    report = compliance_report(_period(demo), only={"NET-3", "NET-4", "NET-5"})
    assert [r.status for r in report.results] == [NO_DATA, NO_DATA, NO_DATA]
    before_any_policy = Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31))  # no parameter in force yet: no error
    assert all(f(before_any_policy).status == NO_DATA for f in (training_pass_rate, failing_technicians_stopped))
    services.violation_record(
        actor=users["hq_service_manager"],
        provider_id=provider.pk,
        occurred_on=dt.date(2026, 10, 1),
        description="上门迟到",
    )
    report = compliance_report(_period(demo), only={"NET-3"})
    assert report.results[0].status == MET
