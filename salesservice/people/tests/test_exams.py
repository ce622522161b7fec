"""Training that certifies (PPL-4; seed 001 第十九条, 004 §4.1.4): the exam issues, renews and stops certificates."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.core.events import events_for
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.models import Notification
from salesservice.people import services
from salesservice.people.errors import PeopleErrorCode
from salesservice.people.models import Certification
from salesservice.people.selectors import failure_streak
from salesservice.people.services import certification_check

from .factories import CertificationFactory, CourseFactory, EngineerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(demo):
    course = CourseFactory()
    for _ in range(3):
        QuestionFactory(course=course, answer="B")
    return course


@pytest.fixture
def engineer(demo):
    return EngineerFactory()


def take(engineer, course, right: int):
    """Start and submit the written exam with `right` correct answers out of the course's questions."""
    attempt = services.exam_attempt_start(actor=engineer, course_id=course.pk)
    answers = {str(pk): ("B" if index < right else "C") for index, pk in enumerate(attempt.question_ids)}
    return services.exam_attempt_submit(actor=engineer, attempt_id=attempt.pk, answers=answers)


def codes(reasons):
    return [reason.code for reason in reasons]


def test_passing_the_exam_issues_a_certificate_and_dispatch_is_allowed(course, engineer):
    """PPL-4: a pass (score ≥ pass mark) issues a certificate for the course's category, valid for its months."""
    product = ProductFactory(category=course.category)
    assert codes(certification_check(engineer, product)) == ["dispatch.uncertified"]
    attempt = take(engineer, course, right=3)
    assert (attempt.score, attempt.passed, attempt.status) == (100, True, "scored")
    [certification] = Certification.objects.filter(user=engineer)
    today = timezone.localdate()
    assert certification.exam_attempt == attempt and certification.category == course.category
    assert certification.issued_by == "公司培训考核" and certification.issued_at == today
    assert certification.valid_until == today + relativedelta(months=24)
    assert certification.certificate_no.startswith("SG-")
    assert certification_check(engineer, product) == []
    assert "people.certification_issued" in [e.event_type for e in events_for(certification)]
    assert "people.exam_submitted" in [e.event_type for e in events_for(attempt)]


def test_a_pass_renews_the_certificate_in_force(course, engineer):
    """PPL-4: passing again extends the engineer's current certificate instead of issuing a second one."""
    current = CertificationFactory(
        user=engineer, category=course.category, valid_until=timezone.localdate() + dt.timedelta(days=10)
    )
    attempt = take(engineer, course, right=3)
    current.refresh_from_db()
    assert Certification.objects.filter(user=engineer).count() == 1
    assert current.valid_until == timezone.localdate() + relativedelta(months=24)
    assert current.exam_attempt == attempt
    assert "people.certification_renewed" in [e.event_type for e in events_for(current)]


def test_score_is_computed_from_the_answers(course, engineer):
    """PPL-4: 2 of 3 right is 67 — below the pass mark of 80, no certificate; the score is never typed in."""
    attempt = take(engineer, course, right=2)
    assert (attempt.score, attempt.passed, attempt.failure_streak) == (67, False, 1)
    assert not Certification.objects.filter(user=engineer).exists()
    with pytest.raises(TypeError):  # the service has no `score` parameter for a written exam
        services.exam_attempt_submit(actor=engineer, attempt_id=attempt.pk, answers={}, score=100)
    second = services.exam_attempt_start(actor=engineer, course_id=course.pk)
    with pytest.raises(ConflictError) as error:
        services.exam_attempt_grade(actor=None, attempt_id=second.pk, score=100)
    assert error.value.code == PeopleErrorCode.EXAM_NOT_PRACTICAL


def test_three_failures_in_a_row_revoke_the_certificate_and_a_later_pass_certifies_again(course, engineer):
    """004 §4.1.4 / PPL-4: the third failure in a row stops the engineer; dispatch refuses; a pass restores."""
    certification = CertificationFactory(user=engineer, category=course.category)
    product = ProductFactory(category=course.category)
    take(engineer, course, right=0)
    take(engineer, course, right=1)
    assert certification_check(engineer, product) == []  # two failures: still certified
    assert failure_streak(engineer, course) == 2
    third = take(engineer, course, right=2)
    assert third.failure_streak == 3
    certification.refresh_from_db()
    assert certification.revoked_at is not None and "连续 3 次" in certification.revoked_reason
    assert codes(certification_check(engineer, product)) == ["dispatch.uncertified"]

    passed = take(engineer, course, right=3)
    assert passed.failure_streak == 0 and failure_streak(engineer, course) == 0
    assert certification_check(engineer, product) == []
    new = Certification.objects.valid_on().get(user=engineer)
    assert new.pk != certification.pk and new.exam_attempt == passed


def test_a_pass_between_failures_resets_the_count(course, engineer):
    """004 §4.1.4: only failures in a row count."""
    CertificationFactory(user=engineer, category=course.category)
    take(engineer, course, right=0)
    take(engineer, course, right=0)
    take(engineer, course, right=3)
    take(engineer, course, right=0)
    assert failure_streak(engineer, course) == 1
    assert certification_check(engineer, ProductFactory(category=course.category)) == []


def test_submitted_sheet_cannot_be_submitted_again_nor_by_another_engineer(course, engineer):
    """PPL-4: a scored attempt is final (409); only the examinee hands in his sheet (403)."""
    attempt = services.exam_attempt_start(actor=engineer, course_id=course.pk)
    other = EngineerFactory()
    with pytest.raises(PermissionDeniedError) as error:
        services.exam_attempt_submit(actor=other, attempt_id=attempt.pk, answers={})
    assert error.value.code == PeopleErrorCode.EXAM_NOT_YOURS
    services.exam_attempt_submit(actor=engineer, attempt_id=attempt.pk, answers={})
    with pytest.raises(ConflictError) as error:
        services.exam_attempt_submit(actor=engineer, attempt_id=attempt.pk, answers={})
    assert error.value.code == PeopleErrorCode.EXAM_ALREADY_SCORED


def test_answers_must_be_options_of_the_questions_asked(course, engineer):
    """PPL-4: an answer to a question not on the sheet, or not A–D, is refused."""
    attempt = services.exam_attempt_start(actor=engineer, course_id=course.pk)
    for answers in ({"999999": "A"}, {str(attempt.question_ids[0]): "E"}):
        with pytest.raises(DomainError) as error:
            services.exam_attempt_submit(actor=engineer, attempt_id=attempt.pk, answers=answers)
        assert error.value.code == PeopleErrorCode.EXAM_ANSWERS_INVALID


def test_course_without_questions_cannot_be_taken(demo, engineer):
    """PPL-4: a written exam needs a question bank."""
    with pytest.raises(ConflictError) as error:
        services.exam_attempt_start(actor=engineer, course_id=CourseFactory().pk)
    assert error.value.code == PeopleErrorCode.COURSE_NO_QUESTIONS


def test_practical_assessment_is_graded_by_the_trainer(users, engineer):
    """PPL-4: the trainer starts and scores a practical assessment with a note; a pass certifies."""
    course = CourseFactory(kind="practical", pass_mark=60, validity_months=12)
    hr = users["hr_trainer"]
    attempt = services.exam_attempt_start(actor=hr, course_id=course.pk, user=engineer)
    with pytest.raises(PermissionDeniedError):
        services.exam_attempt_grade(actor=engineer, attempt_id=attempt.pk, score=100)
    with pytest.raises(DomainError) as error:
        services.exam_attempt_grade(actor=hr, attempt_id=attempt.pk, score=101)
    assert error.value.code == PeopleErrorCode.EXAM_SCORE_INVALID
    graded = services.exam_attempt_grade(actor=hr, attempt_id=attempt.pk, score=75, note="拆装规范")
    assert (graded.passed, graded.graded_by, graded.note) == (True, hr, "拆装规范")
    certification = Certification.objects.get(user=engineer)
    assert certification.valid_until == timezone.localdate() + relativedelta(months=12)
    assert "people.exam_graded" in [e.event_type for e in events_for(graded)]


def test_engineer_cannot_start_a_practical_assessment_and_hr_only_for_engineers(users, engineer):
    """PPL-4: practical scores come from the trainer; the examinee must be an engineer in scope."""
    course = CourseFactory(kind="practical")
    with pytest.raises(PermissionDeniedError):
        services.exam_attempt_start(actor=engineer, course_id=course.pk, user=engineer)
    with pytest.raises(DomainError) as error:
        services.exam_attempt_start(actor=users["hr_trainer"], course_id=course.pk, user=users["xuhui_cs"])
    assert error.value.code == PeopleErrorCode.EXAM_ENGINEER_REQUIRED


def test_course_and_questions_are_managed_by_hr_only(users):
    """PPL-2/PPL-4: HR defines courses and their question banks; an engineer cannot."""
    from salesservice.catalog.tests.factories import CategoryFactory

    category = CategoryFactory()
    with pytest.raises(PermissionDeniedError):
        services.course_create(actor=users["xuhui_engineer"], title="x", category=category)
    with pytest.raises(DomainError) as error:
        services.course_create(actor=users["hr_trainer"], title="x", category=category, pass_mark=120)
    assert error.value.code == PeopleErrorCode.COURSE_INVALID
    course = services.course_create(actor=users["hr_trainer"], title="空调上岗", category=category)
    assert course.pass_mark == 80
    with pytest.raises(DomainError) as error:
        services.question_add(
            actor=users["hr_trainer"], course_id=course.pk, text="?", option_a="1", option_b="2", option_c="3",
            option_d="", answer="E",
        )  # fmt: skip
    assert error.value.code == PeopleErrorCode.QUESTION_INVALID
    question = services.question_add(
        actor=users["hr_trainer"], course_id=course.pk, text="?", option_a="1", option_b="2", option_c="3",
        option_d="4", answer="c",
    )  # fmt: skip
    assert question.answer == "C"


# --- lapsing certificates -------------------------------------------------------------------------


def test_expiry_reminder_is_sent_once_to_the_engineer_and_hr(users, engineer):
    """PPL-4: 30 days before its end a certificate is announced once to its holder and the HR trainers."""
    day = dt.date(2026, 3, 1)
    ending = CertificationFactory(user=engineer, issued_at=dt.date(2024, 3, 1), valid_until=dt.date(2026, 3, 20))
    CertificationFactory(issued_at=dt.date(2024, 3, 1), valid_until=dt.date(2026, 6, 1))  # not yet due
    CertificationFactory(issued_at=dt.date(2024, 3, 1), valid_until=dt.date(2026, 2, 1))  # already expired
    assert services.certifications_remind_expiring(today=day) == 1
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {engineer.username, "hr_trainer"}
    assert services.certifications_remind_expiring(today=day + dt.timedelta(days=1)) == 0
    ending.refresh_from_db()
    assert ending.expiry_reminded_for == dt.date(2026, 3, 20)
    assert "people.certification_expiry_reminded" in [e.event_type for e in events_for(ending)]


def test_a_renewed_certificate_is_reminded_again_before_its_new_end(users, engineer):
    """PPL-4: the reminder is per end date — a renewal makes the next end due for a reminder of its own."""
    ending = CertificationFactory(user=engineer, issued_at=dt.date(2024, 3, 1), valid_until=dt.date(2026, 3, 20))
    assert services.certifications_remind_expiring(today=dt.date(2026, 3, 1)) == 1
    Certification.objects.filter(pk=ending.pk).update(valid_until=dt.date(2028, 3, 20))
    assert services.certifications_remind_expiring(today=dt.date(2028, 3, 1)) == 1


def test_after_expiry_dispatch_is_refused(course, engineer):
    """PPL-4: an exam certificate expires after its months; dispatch refuses the day after."""
    take(engineer, course, right=3)
    product = ProductFactory(category=course.category)
    end = Certification.objects.get(user=engineer).valid_until
    assert certification_check(engineer, product, at=end) == []
    assert codes(certification_check(engineer, product, at=end + dt.timedelta(days=1))) == ["dispatch.uncertified"]


def test_the_daily_task_runs_the_reminder(users, engineer):
    """PPL-4: the periodic task is declared and calls the service."""
    from salesservice.people.apps import PeopleConfig
    from salesservice.people.tasks import remind_expiring_certifications

    assert "people.remind_expiring_certifications" in [p.task for p in PeopleConfig.periodic_tasks]
    CertificationFactory(user=engineer, valid_until=timezone.localdate() + dt.timedelta(days=5))
    assert remind_expiring_certifications() == 1
