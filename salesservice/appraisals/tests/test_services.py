"""KPI-1…KPI-5: weights per post, cycles opened idempotently by the daily job with a fixed clock, the appraisal
workflow end to end (open → self → evaluate → finalise → grade and consequences), refusals and the reminder."""

import datetime as dt
from decimal import Decimal

import pytest

from salesservice.appraisals import services
from salesservice.appraisals.choices import AppraisalStatus, BonusTier, CycleKind, EventType, Grade
from salesservice.appraisals.errors import AppraisalsErrorCode as E
from salesservice.appraisals.models import Appraisal, AppraisalCycle, KpiLine
from salesservice.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.models import Event, Notification, User


def u(name: str) -> User:
    return User.objects.get(username=name)


def test_weights_over_100_are_refused(kpis):
    """KPI-1: a post's active weights never exceed 100."""
    with pytest.raises(DomainError) as refused:
        services.kpi_create(
            actor=u("hr_trainer"), post="cs_rep", code="extra", name="额外", metric="csat", weight=5, target=4
        )
    assert refused.value.code == E.WEIGHTS_OVER_100


def test_only_hr_defines_kpis(kpis):
    """KPI-1: HR defines the KPIs; a CS rep may not."""
    with pytest.raises(PermissionDeniedError):
        services.kpi_create(actor=u("xuhui_cs"), post="cs_rep", code="x", name="x", metric="csat", weight=1, target=1)


def test_a_cycle_does_not_open_while_a_posts_weights_do_not_sum_to_100(kpis):
    """KPI-1: opening refuses with the post and its sum."""
    services.kpi_update(actor=u("hr_trainer"), kpi_id=kpis[("cs_rep", "csat")].pk, active=False)
    with pytest.raises(DomainError) as refused:
        services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    assert refused.value.code == E.WEIGHTS_NOT_100
    assert "cs_rep=70%" in refused.value.message


def test_the_daily_job_opens_last_months_cycle_once_with_the_policy_deadline(kpis):
    """KPI-3: on the 1st the previous month's cycle opens, deadline day 10 of the policy; rerun: nothing new."""
    opened = services.open_due_cycles(today=dt.date(2026, 11, 1))
    assert [(c.kind, c.period_start, c.period_end, c.deadline) for c in opened] == [
        (CycleKind.MONTHLY, dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 11, 10))
    ]
    count = Appraisal.objects.count()
    assert count == Appraisal.objects.filter(post__in=["cs_rep", "engineer", "sales_rep"]).count() > 0
    assert {a.appraisee.username for a in Appraisal.objects.select_related("appraisee")} >= {
        "xuhui_cs",
        "xuhui_engineer",
        "tianhe_cs",
        "sales_rep",
    }
    again = services.open_due_cycles(today=dt.date(2026, 11, 1))
    assert [c.pk for c in again] == [opened[0].pk]
    assert AppraisalCycle.objects.count() == 1 and Appraisal.objects.count() == count
    assert services.open_due_cycles(today=dt.date(2026, 11, 2)) == []


def test_quarter_and_year_open_on_their_days(kpis):
    """KPI-3: 1 January opens December, Q4 and the year (annual month 1 by policy)."""
    opened = services.open_due_cycles(today=dt.date(2027, 1, 1))
    assert {(c.kind, c.period_start, c.deadline) for c in opened} == {
        (CycleKind.MONTHLY, dt.date(2026, 12, 1), dt.date(2027, 1, 10)),
        (CycleKind.QUARTERLY, dt.date(2026, 10, 1), dt.date(2027, 1, 10)),
        (CycleKind.ANNUAL, dt.date(2026, 1, 1), dt.date(2027, 1, 10)),
    }
    assert [c.kind for c in services.open_due_cycles(today=dt.date(2027, 4, 1))] == [
        CycleKind.MONTHLY,
        CycleKind.QUARTERLY,
    ]


def test_kpi_lines_are_snapshotted_with_value_target_score_and_weight(kpis):
    """KPI-1 / KPI-2: each appraisal holds its post's KPIs as computed at opening."""
    cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    appraisal = Appraisal.objects.get(cycle=cycle, appraisee=u("xuhui_cs"))
    lines = {line.code: line for line in appraisal.lines.all()}
    assert set(lines) == {"first-contact", "csat", "complaint-csat", "training"}
    assert sum(line.weight for line in lines.values()) == 100
    assert lines["csat"].target == Decimal("4.5")
    assert KpiLine.objects.filter(appraisal__cycle=cycle).count() == sum(
        len([k for k in kpis if k[0] == a.post]) for a in cycle.appraisals.all()
    )


def _open_and_self(kpis):
    cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    appraisal = Appraisal.objects.get(cycle=cycle, appraisee=u("xuhui_cs"))
    Appraisal.objects.filter(pk=appraisal.pk).update(kpi_score=Decimal("90"))
    return services.appraisal_self_evaluate(
        actor=u("xuhui_cs"), appraisal_id=appraisal.pk, self_score=90, self_comment="本月首次联系全部及时。"
    )


def test_end_to_end_self_evaluate_evaluate_finalise_gives_grade_and_consequences(kpis):
    """KPI-4 / KPI-5: final = 0.7 × 90 + 0.3 × mean(90, 80, 85, 75, 70) = 63 + 24 = 87.0 → B, bonus full (default),
    promotion proposed and a targeted course recorded."""
    from salesservice.people.tests.factories import CourseFactory

    appraisal = _open_and_self(kpis)
    assert appraisal.status == AppraisalStatus.PENDING_SUPERVISOR
    appraisal = services.appraisal_evaluate(
        actor=u("xuhui_manager"),
        appraisal_id=appraisal.pk,
        supervisor_score=80,
        attitude_score=85,
        ability_score=75,
        customer_score=70,
        customer_source="survey",
        supervisor_comment="态度好。",
        expected_version=appraisal.version,
    )
    assert appraisal.status == AppraisalStatus.EVALUATED
    course = CourseFactory()
    appraisal = services.appraisal_finalise(
        actor=u("hr_trainer"),
        appraisal_id=appraisal.pk,
        promotion_proposed=True,
        training_course=course,
        result_note="建议晋升客服主管。",
    )
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.FINALISED
    assert appraisal.final_score == Decimal("87.0")
    assert appraisal.grade == Grade.B and appraisal.bonus_tier == BonusTier.FULL
    assert appraisal.promotion_proposed and appraisal.training_course_id == course.pk
    types = set(Event.objects.filter(target_id=str(appraisal.pk)).values_list("event_type", flat=True))
    assert {EventType.SELF_EVALUATED, EventType.EVALUATED, EventType.FINALISED} <= types
    assert Notification.objects.filter(recipient=u("xuhui_cs"), kind="appraisals.finalised").exists()


@pytest.mark.parametrize(
    ("score", "grade"), [(90, Grade.A), (89.9, Grade.B), (75, Grade.B), (60, Grade.C), (59.9, Grade.D)]
)
def test_grades(score, grade):
    """KPI-5: A ≥ 90, B ≥ 75, C ≥ 60, else D."""
    assert services.grade_of(Decimal(str(score))) == grade


def test_finalise_before_evaluate_is_an_invalid_transition(kpis):
    """KPI-4: no result without the supervisor's evaluation (409)."""
    appraisal = _open_and_self(kpis)
    with pytest.raises(DomainError) as refused:
        services.appraisal_finalise(actor=u("hr_trainer"), appraisal_id=appraisal.pk)
    assert refused.value.code == "status.invalid_transition" and refused.value.status_code == 409


def test_self_evaluating_someone_elses_appraisal_is_forbidden(kpis):
    """KPI-4: a manager who sees it may not self-evaluate it (403)."""
    cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    appraisal = Appraisal.objects.get(cycle=cycle, appraisee=u("xuhui_cs"))
    with pytest.raises(PermissionDeniedError) as refused:
        services.appraisal_self_evaluate(actor=u("xuhui_manager"), appraisal_id=appraisal.pk, self_score=100)
    assert refused.value.code == E.NOT_APPRAISEE


def test_a_colleague_and_another_units_manager_do_not_see_it(kpis):
    """KPI-4: out of scope → 404 (a colleague; the Tianhe appraisal for the Xuhui manager)."""
    cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    mine = Appraisal.objects.get(cycle=cycle, appraisee=u("xuhui_cs"))
    tianhe = Appraisal.objects.get(cycle=cycle, appraisee=u("tianhe_cs"))
    with pytest.raises(NotFoundError):
        services.appraisal_self_evaluate(actor=u("xuhui_engineer"), appraisal_id=mine.pk, self_score=1)
    services.appraisal_self_evaluate(actor=u("tianhe_cs"), appraisal_id=tianhe.pk, self_score=80)
    with pytest.raises(NotFoundError) as refused:
        services.appraisal_evaluate(
            actor=u("xuhui_manager"), appraisal_id=tianhe.pk, supervisor_score=1, attitude_score=1, ability_score=1
        )
    assert refused.value.code == E.APPRAISAL_NOT_FOUND


def test_stale_version_and_customer_score_without_source_are_refused(kpis):
    """KPI-4: a stale version → 409 conflict.stale; a customer score needs its source."""
    appraisal = _open_and_self(kpis)
    with pytest.raises(DomainError) as stale:
        services.appraisal_evaluate(
            actor=u("xuhui_manager"),
            appraisal_id=appraisal.pk,
            supervisor_score=80,
            attitude_score=80,
            ability_score=80,
            expected_version=appraisal.version - 1,
        )
    assert stale.value.code == "conflict.stale"
    with pytest.raises(DomainError) as missing:
        services.appraisal_evaluate(
            actor=u("xuhui_manager"),
            appraisal_id=appraisal.pk,
            supervisor_score=80,
            attitude_score=80,
            ability_score=80,
            customer_score=90,
        )
    assert missing.value.code == E.CUSTOMER_SOURCE_REQUIRED


def test_reminder_within_three_days_of_the_deadline_once_a_day(kpis):
    """KPI-3: deadline 10 Nov — on 6 Nov nothing, on 7 Nov the appraisees (self) and the Xuhui manager (evaluate)."""
    appraisal = _open_and_self(kpis)
    pending_self = Appraisal.objects.filter(status=AppraisalStatus.PENDING_SELF).count()
    assert services.appraisals_remind(today=dt.date(2026, 11, 6)) == 0
    assert services.appraisals_remind(today=dt.date(2026, 11, 7)) == pending_self + 1
    assert Notification.objects.filter(recipient=u("xuhui_manager"), kind="appraisals.reminder").count() == 1
    assert Notification.objects.filter(recipient=appraisal.appraisee, kind="appraisals.reminder").count() == 0
    assert services.appraisals_remind(today=dt.date(2026, 11, 7)) == 0


def test_opening_costs_the_same_queries_for_more_staff(kpis, django_assert_max_num_queries):
    """KPI-1: opening a cycle is set-based — a fixed number of queries whatever the staff count."""
    from django.contrib.auth.models import Group

    from salesservice.core.models import Membership, OrgUnit

    group, unit = Group.objects.get(name="cs_rep"), OrgUnit.objects.get(code="sh-xuhui")
    for n in range(30):
        person = User.objects.create(username=f"cs{n}", display_name=f"客服{n}")
        Membership.objects.create(user=person, org_unit=unit, role=group)
    with django_assert_max_num_queries(40):
        cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    assert cycle.appraisals.count() >= 34


def test_finalise_with_an_unknown_course_is_refused(kpis):
    """KPI-5: the targeted training must be a real course."""
    appraisal = _open_and_self(kpis)
    services.appraisal_evaluate(
        actor=u("xuhui_manager"), appraisal_id=appraisal.pk, supervisor_score=80, attitude_score=80, ability_score=80
    )
    with pytest.raises(DomainError) as refused:
        services.appraisal_finalise(actor=u("hr_trainer"), appraisal_id=appraisal.pk, training_course=999_999)
    assert refused.value.code == E.COURSE_UNKNOWN


def test_a_cycle_closes_only_when_every_appraisal_is_finalised(kpis):
    """KPI-3: closing with pending appraisals is refused with its code."""
    cycle = services.cycle_open(kind=CycleKind.MONTHLY, today=dt.date(2026, 11, 1))
    with pytest.raises(DomainError) as refused:
        services.cycle_close(actor=u("hr_trainer"), cycle_id=cycle.pk)
    assert refused.value.code == E.CYCLE_HAS_PENDING
