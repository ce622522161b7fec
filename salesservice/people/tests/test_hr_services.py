"""Recruitment (PPL-1), training plan and attendance (PPL-2, PPL-3), effect fed back (PPL-5), career path (PPL-6)."""

import datetime as dt

import pytest

from salesservice.core.exceptions import ConflictError, DomainError, InvalidTransition, NotFoundError
from salesservice.core.models import Notification, OrgUnit, User
from salesservice.people import recruitment, training
from salesservice.people.career import is_eligible, promotion_eligibility, talk_record
from salesservice.people.models import CareerStep, PostHolding, SessionParticipant, TrainingNeed

from .factories import CandidateFactory, CertificationFactory, PostFactory, TrainingPlanFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def hr(demo):
    return User.objects.get(username="hr_trainer")


def step(action, hr, candidate, passed=True):
    service = {
        "interview": recruitment.candidate_interview,
        "written": recruitment.candidate_written_test,
        "background": recruitment.candidate_background_check,
    }[action]
    return service(actor=hr, candidate_id=candidate.pk, held_on=DAY, passed=passed, score=85 if passed else 40)


def test_hire_refused_until_interview_written_test_and_background_check_passed(hr):
    """PPL-1 (000 招聘標準): no hire without the three steps passed — 409 naming what is missing."""
    candidate = CandidateFactory()
    with pytest.raises(ConflictError) as refused:
        recruitment.candidate_hire(actor=hr, candidate_id=candidate.pk)
    assert refused.value.code == "candidate.steps_incomplete"
    assert refused.value.fields["missing"] == ["interview", "written_test", "background_check"]
    step("interview", hr, candidate)
    step("written", hr, candidate, passed=False)  # failed written test
    step("background", hr, candidate)
    with pytest.raises(ConflictError) as refused:
        recruitment.candidate_hire(actor=hr, candidate_id=candidate.pk)
    assert refused.value.fields["missing"] == ["written_test"]
    candidate.refresh_from_db()
    assert candidate.status == "background_check"


def test_hire_after_the_three_steps_records_who_assessed_each(hr):
    """PPL-1: each step's record (assessor, date, score, result); then hired."""
    candidate = CandidateFactory()
    for action in ("interview", "written", "background"):
        step(action, hr, candidate)
    hired = recruitment.candidate_hire(actor=hr, candidate_id=candidate.pk)
    assert hired.status == "hired" and hired.decided_by == hr
    assert [(r.step, r.assessor_id, r.score, r.passed) for r in hired.step_records.order_by("id")] == [
        ("interview", hr.pk, 85, True),
        ("written_test", hr.pk, 85, True),
        ("background_check", hr.pk, 85, True),
    ]


def test_steps_follow_the_order_and_dates_are_checked(hr):
    """PPL-1: a written test before the interview is refused; a step dated before the application is 400."""
    candidate = CandidateFactory()
    with pytest.raises(InvalidTransition) as refused:
        step("written", hr, candidate)
    assert refused.value.code == "status.invalid_transition"
    with pytest.raises(DomainError) as bad:
        recruitment.candidate_interview(actor=hr, candidate_id=candidate.pk, held_on=dt.date(2025, 1, 1), passed=True)
    assert bad.value.code == "candidate.step_invalid"


def test_reject_needs_a_reason(hr):
    """PPL-1: not hired only with the reason recorded."""
    candidate = CandidateFactory()
    with pytest.raises(DomainError) as refused:
        recruitment.candidate_reject(actor=hr, candidate_id=candidate.pk, reason="  ")
    assert refused.value.code == "candidate.reason_required"
    rejected = recruitment.candidate_reject(actor=hr, candidate_id=candidate.pk, reason="笔试成绩不达标")
    assert (rejected.status, rejected.reject_reason) == ("rejected", "笔试成绩不达标")


def test_candidate_of_another_unit_is_not_found_for_a_store_manager(demo):
    """PPL-1 scope: candidates visible to the units the role covers."""
    other = CandidateFactory(org_unit=OrgUnit.objects.get(code="gz-tianhe"))
    manager = User.objects.get(username="xuhui_manager")
    with pytest.raises((NotFoundError, DomainError)):
        recruitment.candidate_reject(actor=manager, candidate_id=other.pk, reason="x")


def _plan_with_session(hr, planned_on=dt.date(2026, 3, 10)):
    plan = TrainingPlanFactory()
    people = [User.objects.get(username="xuhui_cs"), User.objects.get(username="xuhui_engineer")]
    session = training.session_add(
        actor=hr, plan_id=plan.pk, topic="投诉处理技巧", kind="skills", planned_on=planned_on, trainer=hr,
        participants=people,
    )  # fmt: skip
    return plan, session, people


def test_attendance_recorded_after_the_date_absent_by_default(hr):
    """PPL-2: attendance only once the session's date has come; anyone not marked present is absent."""
    plan, session, (cs, engineer) = _plan_with_session(hr)
    with pytest.raises(ConflictError) as early:
        training.attendance_record(actor=hr, session_id=session.pk, attendance={}, today=dt.date(2026, 3, 9))
    assert early.value.code == "session.not_held"
    with pytest.raises(DomainError) as bad:
        training.attendance_record(
            actor=hr, session_id=session.pk, attendance={"999999": "present"}, today=DAY.replace(day=11)
        )
    assert bad.value.code == "attendance.invalid"
    training.attendance_record(
        actor=hr, session_id=session.pk, attendance={str(cs.pk): "present"}, today=dt.date(2026, 3, 11)
    )
    rows = dict(SessionParticipant.objects.filter(session=session).values_list("user_id", "attendance"))
    assert rows == {cs.pk: "present", engineer.pk: "absent"}
    with pytest.raises(ConflictError) as stale:
        training.attendance_record(
            actor=hr, session_id=session.pk, attendance={}, expected_version=1, today=dt.date(2026, 3, 11)
        )
    assert stale.value.code == "conflict.stale"


def test_plan_approval_needs_a_session_and_freezes_the_plan(hr):
    """PPL-3: an empty plan cannot be approved; an approved plan takes no more sessions."""
    plan = TrainingPlanFactory()
    with pytest.raises(ConflictError) as empty:
        training.plan_approve(actor=hr, plan_id=plan.pk)
    assert empty.value.code == "plan.no_sessions"
    plan, session, _ = _plan_with_session(hr)
    training.plan_approve(actor=hr, plan_id=plan.pk)
    with pytest.raises(ConflictError) as frozen:
        training.session_add(actor=hr, plan_id=plan.pk, topic="x", kind="skills", planned_on=DAY, trainer=hr)
    assert frozen.value.code == "session.plan_approved"


def test_reminders_before_a_session_and_for_missing_attendance_once(hr):
    """PPL-3 with a fixed clock: 3 days ahead the trainer and participants; the day after, HR — each once."""
    plan, session, (cs, engineer) = _plan_with_session(hr)
    training.plan_approve(actor=hr, plan_id=plan.pk)
    assert training.sessions_remind(today=dt.date(2026, 3, 1)) == (0, 0)
    assert training.sessions_remind(today=dt.date(2026, 3, 7)) == (1, 0)
    assert Notification.objects.filter(recipient=cs, title__contains="投诉处理技巧").count() == 1
    assert training.sessions_remind(today=dt.date(2026, 3, 8)) == (0, 0)
    assert training.sessions_remind(today=dt.date(2026, 3, 11)) == (0, 1)
    assert Notification.objects.filter(recipient=hr, title__contains="尚未登记出勤").count() == 1
    assert training.sessions_remind(today=dt.date(2026, 3, 12)) == (0, 0)


def test_effect_evaluation_feeds_a_new_training_need(hr):
    """PPL-5 (003 培訓效果評估): reaction and behaviour change recorded; the gap found raises a training need;
    the plan's figures show completion and average reaction."""
    plan, session, (cs, engineer) = _plan_with_session(hr)
    with pytest.raises(ConflictError) as early:
        training.effect_evaluate(actor=hr, session_id=session.pk, reaction_score=4, behaviour_change="好")
    assert early.value.code == "evaluation.not_ready"
    training.attendance_record(
        actor=hr, session_id=session.pk, attendance={str(cs.pk): "present"}, today=dt.date(2026, 3, 11)
    )
    with pytest.raises(DomainError) as bad:
        training.effect_evaluate(actor=hr, session_id=session.pk, reaction_score=9, behaviour_change="好")
    assert bad.value.code == "evaluation.invalid"
    evaluation = training.effect_evaluate(
        actor=hr, session_id=session.pk, reaction_score="4.5", behaviour_change="投诉电话回访更及时",
        evaluated_on=dt.date(2026, 3, 20), need_gap="情绪安抚话术仍不熟练",
    )  # fmt: skip
    [need] = TrainingNeed.objects.filter(evaluation=evaluation)
    assert (need.source, need.status, need.org_unit_id) == ("evaluation", "open", plan.org_unit_id)
    figures = training.plan_figures([plan.pk])[plan.pk]
    assert figures == {"completion": 50.0, "pass_rate": None, "reaction": 4.5}


def test_promotion_eligibility_lists_criteria_from_records(hr, demo, monkeypatch):
    """PPL-6: months in post and certifications read from the records; the appraisal grade is skipped with a note
    when no appraisals app is installed."""
    from django.apps import apps

    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "salesservice.appraisals" and installed(name))
    specialist, supervisor = PostFactory(name="客服专员"), PostFactory(name="客服主管")
    cs = User.objects.get(username="xuhui_cs")
    certification = CertificationFactory(user=cs, issued_at=dt.date(2025, 6, 1), valid_until=dt.date(2027, 6, 1))
    step_ = CareerStep.objects.create(from_post=specialist, to_post=supervisor, months_in_post=12, min_grade="B")
    step_.required_categories.add(certification.category)
    PostHolding.objects.create(user=cs, post=specialist, started_on=dt.date(2025, 6, 1))
    criteria = promotion_eligibility(cs, step_, today=dt.date(2026, 3, 1))
    assert [c.met for c in criteria] == [False, True, None]
    assert "9" in criteria[0].note and "跳过" in criteria[2].note
    assert not is_eligible(criteria)
    criteria = promotion_eligibility(cs, step_, today=dt.date(2026, 6, 1))
    assert [c.met for c in criteria] == [True, True, None] and is_eligible(criteria)


def test_development_talk_next_date_after_this_one(hr):
    """PPL-6: a talk records goals and actions; the next talk must be later."""
    cs = User.objects.get(username="xuhui_cs")
    with pytest.raises(DomainError) as bad:
        talk_record(actor=hr, user=cs, held_on=DAY, goals="晋升客服主管", next_talk_on=DAY)
    assert bad.value.code == "talk.invalid"
    talk = talk_record(actor=hr, user=cs, held_on=DAY, goals="晋升客服主管", next_talk_on=dt.date(2026, 9, 1))
    assert talk.manager == hr


def test_promotion_eligibility_reads_appraisal_grades_when_the_app_is_there(hr, demo, monkeypatch):
    """PPL-6: with grades from the appraisals app, every grade of the last year must reach the minimum."""
    from salesservice.people import career

    specialist, supervisor = PostFactory(name="客服专员"), PostFactory(name="客服主管")
    cs = User.objects.get(username="xuhui_cs")
    step_ = CareerStep.objects.create(from_post=specialist, to_post=supervisor, months_in_post=0, min_grade="B")
    PostHolding.objects.create(user=cs, post=specialist, started_on=dt.date(2025, 6, 1))
    monkeypatch.setattr(career, "_appraisal_grades", lambda user, since: ["A", "B"])
    assert [c.met for c in promotion_eligibility(cs, step_, today=dt.date(2026, 3, 1))] == [True, True]
    monkeypatch.setattr(career, "_appraisal_grades", lambda user, since: ["A", "C"])
    criteria = promotion_eligibility(cs, step_, today=dt.date(2026, 3, 1))
    assert [c.met for c in criteria] == [True, False] and "C" in criteria[1].note
    monkeypatch.setattr(career, "_appraisal_grades", lambda user, since: [])
    assert promotion_eligibility(cs, step_, today=dt.date(2026, 3, 1))[1].met is False
