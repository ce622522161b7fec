"""The "training completion" figure per person (PPL-2, PPL-3, PPL-4; read by the KPI engine, KPI-2)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesservice.core.models import User
from salesservice.people.models import ExamAttempt, SessionParticipant
from salesservice.people.selectors import training_completion

from .factories import CourseFactory, EngineerFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def enrol(session, user, attendance=""):
    SessionParticipant.objects.create(session=session, user=user, attendance=attendance)


def attempt(user, course, day, passed):
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return ExamAttempt.objects.create(
        course=course,
        user=user,
        kind="written",
        status="scored",
        started_at=moment,
        started_by=user,
        pass_mark=80,
        score=90 if passed else 40,
        passed=passed,
        scored_at=moment,
    )


def test_training_completion_counts_recorded_sessions_and_engineers_exams(demo):
    """PPL-2/PPL-3: attended of recorded sessions in the period; PPL-4: engineers' courses examined / passed."""
    cs = User.objects.get(username="xuhui_cs")
    engineer = EngineerFactory()
    idle = User.objects.get(username="tianhe_cs")
    march_a = TrainingSessionFactory(planned_on=dt.date(2026, 3, 5))
    march_b = TrainingSessionFactory(planned_on=dt.date(2026, 3, 20))
    march_pending = TrainingSessionFactory(planned_on=dt.date(2026, 3, 30))  # attendance not recorded yet
    april = TrainingSessionFactory(planned_on=dt.date(2026, 4, 2))
    enrol(march_a, cs, "present")
    enrol(march_b, cs, "absent")
    enrol(march_pending, cs)
    enrol(april, cs, "present")
    enrol(march_a, engineer, "present")
    enrol(march_b, engineer, "present")
    course_1, course_2, course_3 = CourseFactory(), CourseFactory(), CourseFactory()
    attempt(engineer, course_1, dt.date(2026, 3, 3), passed=False)
    attempt(engineer, course_1, dt.date(2026, 3, 10), passed=True)  # same course: counted once, passed
    attempt(engineer, course_2, dt.date(2026, 3, 12), passed=False)
    attempt(engineer, course_3, dt.date(2026, 2, 12), passed=True)  # outside the period
    attempt(cs, course_2, dt.date(2026, 3, 12), passed=True)  # not an engineer: exams not counted

    with CaptureQueriesContext(connection) as queries:
        result = training_completion([cs.pk, engineer.pk, idle.pk], START, END)

    assert result == {cs.pk: (2, 1), engineer.pk: (2 + 2, 2 + 1), idle.pk: (0, 0)}
    assert len(queries) == 2


def test_training_completion_of_nobody_is_empty_without_queries(demo):
    with CaptureQueriesContext(connection) as queries:
        assert training_completion([], START, END) == {}
    assert len(queries) == 0
