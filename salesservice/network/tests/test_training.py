"""NET-4 (seed 004 通程): technicians trained each quarter; pass rate ≥ network.training_pass_rate_min (80 %) per
provider; network.failed_quarters_to_stop (3) consecutive failed quarters stop the technician, who is then
refused for assignment; still failing after the stop → the contract end (撤点) is proposed, not applied; the
quarterly task archives the previous quarter's rates, flags and untrained technicians, once."""

import datetime as dt
from decimal import Decimal

import pytest

from salesservice.core.exceptions import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.models import Event, Notification

from .. import tasks, training
from ..choices import EventType, ProviderStatus, TechnicianStatus
from ..models import TrainingQuarter
from .factories import ProviderFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 16)  # in 2026-Q4
QUARTER_DAY = {
    "2026-Q1": dt.date(2026, 2, 10),
    "2026-Q2": dt.date(2026, 5, 12),
    "2026-Q3": dt.date(2026, 8, 11),
    "2026-Q4": dt.date(2026, 11, 10),
}


def _train(users, technician, quarter, passed, score=None, actor="provider_dispatcher"):
    return training.training_record(
        actor=users[actor],
        technician_id=technician.pk,
        quarter=quarter,
        trained_on=QUARTER_DAY[quarter],
        topic="空调安装规范",
        score=score if score is not None else (90 if passed else 50),
        passed=passed,
        today=TODAY,
    )


@pytest.fixture
def provider(users, demo):
    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    provider.dispatchers.add(users["provider_dispatcher"])
    return provider


def test_quarters_and_pass_rate_numbers():
    """NET-4: 5 trained, 4 passed → 80 % meets the 80 % minimum; 3 of 5 → 60 % is flagged."""
    assert training.quarter_of(dt.date(2026, 10, 1)) == "2026-Q4"
    assert training.quarter_bounds("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert training.quarter_bounds("2026-Q1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert training.previous_quarter("2026-Q1") == "2025-Q4"
    minimum = training.rate_minimum()
    assert minimum == Decimal("80")
    assert training.pass_rate(5, 4) == Decimal("80.0") and not training.below_minimum(Decimal("80.0"), minimum)
    assert training.pass_rate(5, 3) == Decimal("60.0") and training.below_minimum(Decimal("60.0"), minimum)
    assert training.pass_rate(0, 0) is None
    for bad in ("2026-Q5", "2026Q4", "", "9999-Q1", None):
        with pytest.raises(DomainError) as err:
            training.quarter_bounds(bad)
        assert err.value.code == "training.invalid_quarter"


def test_three_consecutive_failed_quarters_stop_the_technician_and_refuse_assignment(users, provider):
    """NET-4: fail, fail → still active; the third failed quarter stops him (event, notice to the provider's
    dispatchers and managers); a stopped technician is refused for assignment (dispatch.technician_stopped)."""
    technician = TechnicianFactory(provider=provider)
    _train(users, technician, "2026-Q2", False)
    _train(users, technician, "2026-Q3", False)
    technician.refresh_from_db()
    assert technician.status == TechnicianStatus.ACTIVE
    assert training.technician_assign_check(technician) == []
    _train(users, technician, "2026-Q4", False)
    technician.refresh_from_db()
    assert technician.status == TechnicianStatus.STOPPED and "3" in technician.stopped_reason
    [reason] = training.technician_assign_check(technician)
    assert reason.code == "dispatch.technician_stopped"
    assert Event.objects.filter(event_type=EventType.TECHNICIAN_STOPPED, target_id=str(provider.pk)).count() == 1
    assert Notification.objects.filter(recipient=users["provider_dispatcher"], kind="network.technician").exists()


def test_a_pass_in_between_resets_the_count(users, provider):
    """NET-4: fail, pass, fail, fail — never three in a row, so not stopped."""
    technician = TechnicianFactory(provider=provider)
    for quarter, passed in [("2026-Q1", False), ("2026-Q2", True), ("2026-Q3", False), ("2026-Q4", False)]:
        _train(users, technician, quarter, passed)
    technician.refresh_from_db()
    assert technician.status == TechnicianStatus.ACTIVE
    assert training.failed_streak(technician) == 2


def test_the_stop_reads_the_policy_parameter(users, provider):
    """NET-4: `network.failed_quarters_to_stop` is read, never hard-coded — with 2, two failures stop."""
    from salesservice.core.policy import policy_set
    from salesservice.documents.testing import approved_version

    policy_set(
        actor=users["admin"],
        key="network.failed_quarters_to_stop",
        value=2,
        reason="测试",
        document_version=approved_version("NET-4"),  # DOC-1
    )
    technician = TechnicianFactory(provider=provider)
    _train(users, technician, "2026-Q3", False)
    _train(users, technician, "2026-Q4", False)
    technician.refresh_from_db()
    assert technician.status == TechnicianStatus.STOPPED


def test_still_failing_after_the_stop_proposes_ending_the_contract_without_removing(users, provider):
    """NET-4 '培训后仍无法达标的，将解除合同': a stopped technician trained again in a later quarter who fails again
    → the removal rung is proposed to the HQ after-sales manager (event + notice); the provider is not removed."""
    technician = TechnicianFactory(provider=provider)
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
        _train(users, technician, quarter, False)
    technician.refresh_from_db()
    assert technician.status == TechnicianStatus.STOPPED
    assert not Event.objects.filter(event_type=EventType.CONTRACT_END_PROPOSED).exists()
    _train(users, technician, "2026-Q4", False)
    proposal = Event.objects.get(event_type=EventType.CONTRACT_END_PROPOSED, target_id=str(provider.pk))
    assert proposal.new["proposed"] == ProviderStatus.REMOVED
    assert Notification.objects.filter(recipient=users["hq_service_manager"], kind="network.contract_end").exists()
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.ACTIVE  # a proposal, not a removal


def test_training_refusals(users, provider, demo):
    """NET-4: one per technician per quarter (409), bad quarter/date/score/topic (400), other region → 404,
    a role without the permission → 403."""
    technician = TechnicianFactory(provider=provider)
    _train(users, technician, "2026-Q4", True)
    with pytest.raises(ConflictError) as err:
        _train(users, technician, "2026-Q4", False)
    assert err.value.code == "training.duplicate"
    cases = [
        (dict(quarter="2027-Q1"), "training.invalid_quarter"),
        (dict(quarter="2026-Q3"), "training.invalid_date"),  # 11-10 is not in Q3
        (dict(trained_on=dt.date(2026, 11, 30)), "training.invalid_date"),  # after today
        (dict(score=101), "training.invalid_score"),
        (dict(score=-1), "training.invalid_score"),
        (dict(topic="x" * 201), "training.topic_required"),
        (dict(topic="  "), "training.topic_required"),
    ]
    other = TechnicianFactory(provider=provider)
    for override, code in cases:
        kwargs = dict(quarter="2026-Q4", trained_on=dt.date(2026, 11, 10), topic="课程", score=80, passed=True)
        kwargs.update(override)
        with pytest.raises(DomainError) as err:
            training.training_record(actor=users["provider_dispatcher"], technician_id=other.pk, today=TODAY, **kwargs)
        assert err.value.code == code, override
    south = TechnicianFactory(provider=ProviderFactory(org_unit=demo["south"]))
    with pytest.raises(NotFoundError) as err:
        _train(users, south, "2026-Q4", True)  # the dispatcher's provider only
    assert err.value.code == "technician.not_found"
    with pytest.raises(PermissionDeniedError):
        _train(users, other, "2026-Q4", True, actor="xuhui_cs")


def test_quarterly_task_flags_low_pass_rate_and_untrained_once(users, provider, demo):
    """NET-4, the task on the first day of the quarter (fixed clock 2027-01-01 → 2026-Q4): a provider with 3 of 5
    passed (60 %) is flagged, one with 4 of 5 (80 %) is not; a technician trained zero times is listed; a second
    run creates nothing."""
    good = ProviderFactory(org_unit=demo["sh-xuhui"])
    low = [TechnicianFactory(provider=provider) for _ in range(5)]
    ok = [TechnicianFactory(provider=good) for _ in range(5)]
    untrained = TechnicianFactory(provider=provider, name="未参训技师")
    for i, t in enumerate(low):
        _train(users, t, "2026-Q4", i < 3, actor="hq_service_manager")
    for i, t in enumerate(ok):
        _train(users, t, "2026-Q4", i < 4, actor="hq_service_manager")
    assert tasks.training_quarter(today=dt.date(2027, 1, 1)) >= 2
    low_q = TrainingQuarter.objects.get(provider=provider, quarter="2026-Q4")
    ok_q = TrainingQuarter.objects.get(provider=good, quarter="2026-Q4")
    assert (low_q.trained, low_q.passed, low_q.pass_rate, low_q.flagged) == (5, 3, Decimal("60.0"), True)
    assert (ok_q.trained, ok_q.passed, ok_q.pass_rate, ok_q.flagged) == (5, 4, Decimal("80.0"), False)
    assert low_q.untrained == [{"id": untrained.pk, "name": "未参训技师"}]
    count = TrainingQuarter.objects.count()
    assert tasks.training_quarter(today=dt.date(2027, 1, 1)) == 0
    assert TrainingQuarter.objects.count() == count
    assert Notification.objects.filter(recipient=users["hq_service_manager"], kind="network.training").count() == 1


def test_monthly_rollup_carries_the_last_quarter_pass_rate(users, provider):
    """NET-2 + NET-4: the monthly roll-up row shows the last closed quarter's rate and the flag."""
    from ..choices import ReportKind
    from ..reports import provider_report_generate

    for i in range(5):
        _train(users, TechnicianFactory(provider=provider), "2026-Q4", i < 3, actor="hq_service_manager")
    training.training_quarter_close(today=dt.date(2027, 1, 1))
    report = provider_report_generate(kind=ReportKind.MONTHLY, today=dt.date(2027, 1, 1))
    row = next(r for r in report.rows if r["provider"] == provider.pk)
    assert row["training_quarter"] == "2026-Q4" and row["training_pass_rate"] == "60.0" and row["training_flagged"]
    assert report.totals["training_flagged"] >= 1


def test_periodic_task_is_registered_for_the_first_day_of_each_quarter():
    from django.apps import apps

    [periodic] = [p for p in apps.get_app_config("network").periodic_tasks if p.task == "network.training_quarter"]
    assert periodic.schedule.day_of_month == {1} and periodic.schedule.month_of_year == {1, 4, 7, 10}
