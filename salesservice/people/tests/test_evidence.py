"""Compliance evidence of people (issue 16 §4): PPL-1 … PPL-6 — met from complete records, short with the offending
record listed, no_data without records (never met)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.core.models import User
from salesservice.dashboards.compliance import compliance_report
from salesservice.people import recruitment
from salesservice.people.evidence import (
    annual_plans_approved,
    certified_only_after_passing,
    development_talks_held,
    hires_fully_assessed,
    next_talks_held,
    revoked_after_repeated_failures,
    session_reminders_sent,
    sessions_evaluated,
    sessions_held_and_recorded,
)
from salesservice.people.models import CandidateStepRecord, DevelopmentTalk, EffectEvaluation, ExamAttempt

from .factories import (
    CandidateFactory,
    CertificationFactory,
    CourseFactory,
    EngineerFactory,
    PostFactory,
    TrainingPlanFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def aware(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def hr(demo):
    return User.objects.get(username="hr_trainer")


@pytest.fixture
def period(demo):
    # 2026, stretched to today: what the services stamp "now" (a hire's decision, a certificate registered by hand)
    # stays inside the period whatever the date the suite runs on
    return Period(dt.date(2026, 1, 1), max(dt.date(2026, 12, 31), timezone.localdate()), demo["sh-xuhui"])


def test_ppl1_hires_with_the_three_steps_met_a_hire_without_them_short(hr, period, demo):
    """PPL-1: a hire through the service (interview, written test, background check passed; the post has criteria)
    → met; a hire recorded with only the interview → short, listed with the missing steps; none → no_data."""
    assert hires_fully_assessed(period).status == NO_DATA
    post = PostFactory(criteria="大专以上，普通话标准")
    candidate = CandidateFactory(post=post)
    recruitment.candidate_interview(actor=hr, candidate_id=candidate.pk, held_on=DAY, passed=True, score=85)
    recruitment.candidate_written_test(actor=hr, candidate_id=candidate.pk, held_on=DAY, passed=True, score=85)
    recruitment.candidate_background_check(actor=hr, candidate_id=candidate.pk, held_on=DAY, passed=True, score=85)
    recruitment.candidate_hire(actor=hr, candidate_id=candidate.pk)
    assert hires_fully_assessed(period).status == MET
    slipped = CandidateFactory(post=post, number="RC-SLIP", name="漏审者", status="hired", decided_at=timezone.now())
    CandidateStepRecord.objects.create(candidate=slipped, step="interview", assessor=hr, held_on=DAY, passed=True)
    result = hires_fully_assessed(period)
    assert result.status == SHORT and result.shortfall_count == 1
    assert result.shortfalls[0].label == "RC-SLIP 漏审者：通过 1/3 个招聘环节"
    assert f"/candidates/{slipped.pk}/" in result.shortfalls[0].url
    assert hires_fully_assessed(Period(period.start, period.end, demo["gz-tianhe"])).status == NO_DATA


def _approved_plan(**kwargs):
    return TrainingPlanFactory(status="approved", approved_at=aware(dt.date(2026, 1, 5)), **kwargs)


def test_ppl2_sessions_held_with_attendance_recorded(hr, period):
    """PPL-2: a session held with attendance recorded → met (by kind); one past its date without → short."""
    assert sessions_held_and_recorded(period).status == NO_DATA
    plan = _approved_plan()
    TrainingSessionFactory(plan=plan, kind="induction", attendance_recorded_at=aware(dt.date(2026, 3, 10)))
    result = sessions_held_and_recorded(period)
    assert result.status == MET and {f.label: f.value for f in result.figures}["岗前培训"] == 1
    missed = TrainingSessionFactory(plan=plan, topic="未登记的培训", planned_on=dt.date(2026, 4, 2))
    result = sessions_held_and_recorded(period)
    assert result.status == SHORT and result.shortfalls[0].label == "2026-04-02 未登记的培训"
    assert f"/sessions/{missed.pk}/" in result.shortfalls[0].url


def test_ppl3_plans_approved_and_reminders_sent(hr, period, demo):
    """PPL-3: the unit's 2026 plan approved → met; a draft plan of the region → short for the region; sessions
    reminded 3 days ahead → met, one never reminded → short; none → no_data."""
    assert annual_plans_approved(period).status == NO_DATA
    assert session_reminders_sent(period).status == NO_DATA
    plan = _approved_plan()
    assert annual_plans_approved(period).status == MET
    region = demo["sh-xuhui"].parent
    TrainingPlanFactory(org_unit=region, title="华东区 2026 培训计划")
    result = annual_plans_approved(Period(period.start, period.end, region))
    assert result.status == SHORT and result.shortfalls[0].label == "2026 华东区 2026 培训计划（草稿）"
    TrainingSessionFactory(
        plan=plan, reminded_on=dt.date(2026, 3, 7), attendance_recorded_at=aware(dt.date(2026, 3, 10), 17)
    )
    assert session_reminders_sent(period).status == MET
    TrainingSessionFactory(
        plan=plan,
        topic="无人提醒",
        planned_on=dt.date(2026, 5, 20),
        attendance_recorded_at=aware(dt.date(2026, 5, 22)),
        overdue_reminded_on=dt.date(2026, 5, 21),
    )
    result = session_reminders_sent(period)
    assert result.status == SHORT and result.shortfall_count == 1
    assert result.shortfalls[0].label == "2026-05-20 无人提醒"


def _attempt(user, course, *, passed, streak=0, day=dt.date(2026, 6, 1)):
    return ExamAttempt.objects.create(
        course=course,
        user=user,
        kind="written",
        status="scored",
        started_at=aware(day, 9),
        started_by=user,
        pass_mark=80,
        score=90 if passed else 50,
        passed=passed,
        scored_at=aware(day),
        failure_streak=streak,
    )


def test_ppl4_certifications_only_from_a_passed_exam(hr, period):
    """PPL-4: a certification issued on a passed exam → met (a certificate registered by hand is counted, not a
    violation); one resting on a failed exam → short, listed; nothing issued → no_data."""
    assert certified_only_after_passing(period).status == NO_DATA
    engineer = EngineerFactory(display_name="钱工")
    course = CourseFactory()
    attempt = _attempt(engineer, course, passed=True)
    CertificationFactory(user=engineer, category=course.category, exam_attempt=attempt, issued_at=dt.date(2026, 6, 1))
    CertificationFactory(user=engineer, certificate_no="SG-HAND-1")
    result = certified_only_after_passing(period)
    assert result.status == MET and {f.label: f.value for f in result.figures}["其中无证书扫描件"] == 1
    failed = _attempt(engineer, CourseFactory(), passed=False, day=dt.date(2026, 7, 1))
    slipped = CertificationFactory(user=engineer, certificate_no="SG-FAIL-1", exam_attempt=failed)
    result = certified_only_after_passing(period)
    assert result.status == SHORT and result.shortfalls[0].label == "SG-FAIL-1 钱工：考试未合格"
    assert f"/certifications/{slipped.pk}/" in result.shortfalls[0].url


def test_ppl4_third_failure_in_a_row_revokes(hr, period):
    """PPL-4 (004 §4.1.4): the third failed exam in a row with the category's certification still valid → short;
    revoked at that moment → met; no such failure → no_data."""
    assert revoked_after_repeated_failures(period).status == NO_DATA
    engineer = EngineerFactory(display_name="孙工")
    course = CourseFactory(title="空调上岗")
    certification = CertificationFactory(  # valid on the day of the third failure (2026-06-01)
        user=engineer, category=course.category, issued_at=dt.date(2025, 6, 1), valid_until=dt.date(2027, 6, 1)
    )
    attempt = _attempt(engineer, course, passed=False, streak=3)
    result = revoked_after_repeated_failures(period)
    assert result.status == SHORT and result.shortfalls[0].label == "孙工 空调上岗：连续不合格后仍持有效上岗资格"
    certification.revoked_at = attempt.scored_at
    certification.save(update_fields=["revoked_at"])
    assert revoked_after_repeated_failures(period).status == MET


def test_ppl5_sessions_held_are_evaluated(hr, period):
    """PPL-5: a session with attendance recorded and its effect evaluation → met with the reaction; a second one
    without → short, listed; none → no_data."""
    assert sessions_evaluated(period).status == NO_DATA
    plan = _approved_plan()
    session = TrainingSessionFactory(plan=plan, attendance_recorded_at=aware(dt.date(2026, 3, 10)))
    EffectEvaluation.objects.create(
        session=session,
        reaction_score=Decimal("4.50"),
        behaviour_change="接待规范明显改善",
        exam_takers=4,
        exam_passed=3,
        evaluated_on=dt.date(2026, 3, 20),
        evaluated_by=hr,
    )
    result = sessions_evaluated(period)
    figures = {f.label: f.value for f in result.figures}
    assert result.status == MET and figures["平均学员满意度"] == 4.5 and figures["考试合格率"] == Decimal("75.0")
    TrainingSessionFactory(
        plan=plan, topic="未评估", planned_on=dt.date(2026, 4, 8), attendance_recorded_at=aware(dt.date(2026, 4, 8))
    )
    result = sessions_evaluated(period)
    assert result.status == SHORT and result.shortfalls[0].label == "2026-04-08 未评估"


def test_ppl6_talks_held_and_the_next_talk_kept(hr, period, users):
    """PPL-6: a development talk → met; its agreed next talk (June) not held → short, listed; held → met."""
    assert development_talks_held(period).status == NO_DATA
    assert next_talks_held(period).status == NO_DATA
    engineer = EngineerFactory(display_name="周工")
    manager = users["xuhui_manager"]
    DevelopmentTalk.objects.create(
        user=engineer, manager=manager, held_on=dt.date(2026, 3, 1), goals="晋升主管", next_talk_on=dt.date(2026, 6, 1)
    )
    assert development_talks_held(period).status == MET
    result = next_talks_held(period)
    assert result.status == SHORT and result.shortfalls[0].label == "周工：约定 2026-06-01 面谈"
    DevelopmentTalk.objects.create(user=engineer, manager=manager, held_on=dt.date(2026, 6, 5), goals="继续")
    assert next_talks_held(period).status == MET


def test_people_clauses_through_the_report(hr, period):
    """PPL-1 … PPL-6 through compliance_report: no records → all no_data (never met); a development talk → PPL-6 met."""
    ids = {"PPL-1", "PPL-2", "PPL-3", "PPL-4", "PPL-5", "PPL-6"}
    report = compliance_report(period, only=ids)
    assert [r.status for r in report.results] == [NO_DATA] * 6
    DevelopmentTalk.objects.create(user=EngineerFactory(), manager=hr, held_on=dt.date(2026, 3, 1), goals="晋升主管")
    report = compliance_report(period, only={"PPL-6"})
    assert report.results[0].status == MET
