"""Writes to engineer certifications (PPL-4), and the dispatch gate the service desk calls.

Every write runs in one transaction (`@service`), checks the actor's permission and scope,
and records a typed timeline event (`people.*`).
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.attachments import attachment_add
from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.events import apply_changes, record_event
from salesservice.core.exceptions import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.guards import require_perm
from salesservice.core.models import Membership, User
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.reasons import Reason

from .choices import EventType, ExamAttemptStatus, ExamKind
from .errors import PeopleErrorCode as E
from .models import Certification, Course, ExamAttempt, Question
from .selectors import ENGINEER_GROUP, valid_certifications

CERTIFICATION_EDITABLE = ("category", "certificate_no", "issued_by", "issued_at", "valid_until", "notes")


def _jsonable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _full_clean(obj, code: str) -> None:
    try:
        obj.full_clean(exclude=["user", "category", "evidence", "revoked_by"])
    except ValidationError as exc:
        fields = exc.message_dict
        name, messages = next(iter(fields.items()))
        label = str(obj._meta.get_field(name).verbose_name) + "：" if name != "__all__" else ""
        raise DomainError(code, label + "".join(messages[:1]), fields=fields) from exc


def _validate(certification: Certification) -> None:
    certification.certificate_no = (certification.certificate_no or "").strip()
    certification.issued_by = (certification.issued_by or "").strip()
    if not certification.certificate_no:
        raise DomainError(E.CERTIFICATION_NUMBER_REQUIRED, _("请填写证书编号"), fields={"certificate_no": [_("必填")]})
    if certification.issued_at is None:
        raise DomainError(E.CERTIFICATION_ISSUED_AT_REQUIRED, _("请填写发证日期"), fields={"issued_at": [_("必填")]})
    if certification.valid_until is not None and certification.valid_until < certification.issued_at:
        raise DomainError(
            E.CERTIFICATION_INVALID_PERIOD,
            _("有效期至不能早于发证日期"),
            fields={"valid_until": [_("不能早于发证日期")]},
        )
    _full_clean(certification, E.CERTIFICATION_INVALID)


# --- the dispatch gate ------------------------------------------------------------------


def certification_check(engineer, product=None, at=None) -> list[Reason]:
    """PPL-4 (seed 001 第十九条; 004 §4.1.4): may `engineer` be dispatched for `product` on `at`?

    Empty when the engineer is active and holds a certification in force on `at` (date or aware
    datetime; default now), not revoked, whose category is the product's category or an ancestor
    of it; without a product (or a product without category) any certification in force suffices.
    """
    reasons: list[Reason] = []
    name = getattr(engineer, "name", None) or str(engineer)
    if not engineer.is_active:
        reasons.append(
            Reason(E.DISPATCH_ENGINEER_INACTIVE, _("工程师 %(name)s 的账号已停用，不能派工") % {"name": name})
        )
    category = getattr(product, "category", None) if product is not None else None
    if not valid_certifications(product, at).filter(user_id=engineer.pk).exists():
        if category is not None:
            message = _("工程师 %(name)s 没有“%(category)s”类商品的有效上岗资格证，不能派工") % {
                "name": name,
                "category": category.name,
            }
        else:
            message = _("工程师 %(name)s 没有有效的上岗资格证，不能派工") % {"name": name}
        reasons.append(Reason(E.DISPATCH_UNCERTIFIED, message))
    return reasons


# --- writes -----------------------------------------------------------------------------


def _user_in_scope(actor, user: User) -> User:
    if actor is not None and not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise DomainError(
            E.CERTIFICATION_USER_NOT_FOUND,
            _("该人员不存在或不在您的管辖范围内"),
            fields={"user": [_("无效")]},
        )
    return user


@service
def certification_add(
    *,
    actor,
    user: User,
    category,
    certificate_no: str,
    issued_at: dt.date,
    valid_until: dt.date | None = None,
    issued_by: str = "",
    evidence=None,
    notes: str = "",
) -> Certification:
    """Record that `user` passed the exam for `category` (PPL-4); `evidence` is the scanned certificate."""
    require_perm(actor, "people.add_certification")
    _user_in_scope(actor, user)
    certification = Certification(
        user=user,
        category=category,
        certificate_no=certificate_no,
        issued_by=issued_by or "",
        issued_at=issued_at,
        valid_until=valid_until,
        notes=(notes or "").strip(),
    )
    _validate(certification)
    if Certification.objects.filter(
        user=user, certificate_no=certification.certificate_no, revoked_at__isnull=True
    ).exists():
        raise ConflictError(
            E.CERTIFICATION_DUPLICATE,
            _("%(name)s 已登记证书 %(no)s") % {"name": user.name, "no": certification.certificate_no},
            fields={"certificate_no": [_("已存在")]},
        )
    certification.save()
    if evidence is not None:
        certification.evidence = attachment_add(
            actor=actor, target=certification, file=evidence, description=_("上岗资格证扫描件")
        )
        certification.save(update_fields=["evidence"])
    record_event(
        event_type=EventType.CERTIFICATION_ADDED,
        target=certification,
        actor=actor,
        new={
            "user": user.pk,
            "category": category.pk,
            "certificate_no": certification.certificate_no,
            "valid_until": _jsonable(valid_until),
        },
    )
    return certification


@service
def certification_update(*, actor, certification_id: int, expected_version: int, **changes) -> Certification:
    """Correct a certification's data; a stale `expected_version` → 409; a revoked one is frozen."""
    require_perm(actor, "people.change_certification")
    unknown = set(changes) - set(CERTIFICATION_EDITABLE)
    if unknown:
        raise DomainError(E.CERTIFICATION_UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    base = Certification.objects.visible_to(actor) if actor is not None else Certification.objects.all()
    certification = lock_current(base, certification_id, expected_version)
    if certification.revoked_at is not None:
        raise ConflictError(E.CERTIFICATION_REVOKED, _("该上岗资格已吊销，不能修改"))
    apply_changes(certification, changes, actor=actor, event_type=EventType.CERTIFICATION_UPDATED, validate=_validate)
    return certification


@service
def certification_revoke(*, actor, certification_id: int, reason: str) -> Certification:
    """Withdraw a certification with a reason (PPL-4); the engineer can no longer be dispatched on it."""
    require_perm(actor, "people.change_certification")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.CERTIFICATION_REASON_REQUIRED, _("请填写吊销原因"), fields={"reason": [_("必填")]})
    base = Certification.objects.visible_to(actor) if actor is not None else Certification.objects.all()
    certification = base.select_for_update().get(pk=certification_id)
    if certification.revoked_at is not None:
        raise ConflictError(E.CERTIFICATION_ALREADY_REVOKED, _("该上岗资格已吊销"))
    certification.revoked_at = timezone.now()
    certification.revoked_by = actor
    certification.revoked_reason = reason
    certification.version += 1
    certification.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "version", "updated_at"])
    record_event(
        event_type=EventType.CERTIFICATION_REVOKED,
        target=certification,
        actor=actor,
        old={"revoked": False},
        new={"revoked": True},
        message=reason,
    )
    return certification


# --- training and exams (PPL-4: only those who pass the exam after training take up the post) -----

FAILURES_TO_REVOKE = 3  # seed 004 §4.1.4 (and NET-4's rule for providers) applied to our own staff
EXPIRY_REMINDER_DAYS = 30
ISSUED_BY_EXAM = "公司培训考核"
CERTIFICATE_SERIES = {"name": "上岗资格证（考试颁发）", "prefix": "SG", "reset": "yearly", "padding": 4}
COURSE_FIELDS = ("title", "category", "kind", "validity_months", "pass_mark", "content", "is_active")


def _validate_course(course: Course) -> None:
    course.title = (course.title or "").strip()
    fields = {}
    if not course.title:
        fields["title"] = [_("必填")]
    if course.category_id is None:
        fields["category"] = [_("必填")]
    if not course.validity_months or course.validity_months > 120:
        fields["validity_months"] = [_("须为 1–120 个月")]
    if course.pass_mark is None or not 0 <= course.pass_mark <= 100:
        fields["pass_mark"] = [_("须为 0–100")]
    if course.kind not in ExamKind.values:
        fields["kind"] = [_("无效")]
    if fields:
        raise DomainError(E.COURSE_INVALID, _("课程信息有误，请检查标红的字段"), fields=fields)


@service
def course_create(*, actor, title: str, category, validity_months: int = 24, pass_mark: int = 80, **rest) -> Course:
    """PPL-2/PPL-4: HR defines a course whose passed exam certifies engineers for `category`."""
    require_perm(actor, "people.add_course")
    unknown = set(rest) - set(COURSE_FIELDS)
    if unknown:
        raise DomainError(E.COURSE_INVALID, _("不可填写的字段：%s") % ", ".join(sorted(unknown)))
    course = Course(title=title, category=category, validity_months=validity_months, pass_mark=pass_mark, **rest)
    _validate_course(course)
    course.save()
    record_event(
        event_type=EventType.COURSE_SAVED,
        target=course,
        actor=actor,
        new={"title": course.title, "category": category.pk, "pass_mark": course.pass_mark},
    )
    return course


@service
def course_update(*, actor, course_id: int, expected_version: int, **changes) -> Course:
    """PPL-4: correct a course; attempts already made keep the pass mark they were taken under."""
    require_perm(actor, "people.change_course")
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise DomainError(E.COURSE_INVALID, _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    course = lock_current(Course.objects.all(), course_id, expected_version)
    apply_changes(course, changes, actor=actor, event_type=EventType.COURSE_SAVED, validate=_validate_course)
    return course


@service
def question_add(
    *, actor, course_id: int, text: str, option_a: str, option_b: str, option_c: str, option_d: str, answer: str
) -> Question:
    """PPL-4: add a single-choice question (options A–D, one correct answer) to a course's question bank."""
    require_perm(actor, "people.change_course")
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise NotFoundError(E.COURSE_NOT_FOUND, _("课程不存在"))
    values = {
        "text": (text or "").strip(),
        "option_a": (option_a or "").strip(),
        "option_b": (option_b or "").strip(),
        "option_c": (option_c or "").strip(),
        "option_d": (option_d or "").strip(),
    }
    fields = {name: [_("必填")] for name, value in values.items() if not value}
    answer = (answer or "").strip().upper()
    if answer not in ("A", "B", "C", "D"):
        fields["answer"] = [_("须为 A、B、C 或 D")]
    if fields:
        raise DomainError(E.QUESTION_INVALID, _("考题须有题干、四个选项和正确答案"), fields=fields)
    position = (course.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    question = Question.objects.create(course=course, answer=answer, position=position, **values)
    record_event(
        event_type=EventType.QUESTION_ADDED,
        target=course,
        actor=actor,
        new={"question": question.pk, "text": question.text[:100]},
    )
    return question


@service
def question_remove(*, actor, question_id: int) -> Question:
    """PPL-4: take a question out of the bank; it is kept (inactive) so past attempts still read."""
    require_perm(actor, "people.change_course")
    question = Question.objects.select_for_update().filter(pk=question_id, is_active=True).first()
    if question is None:
        raise DomainError(E.QUESTION_INVALID, _("考题不存在或已停用"))
    question.is_active = False
    question.save(update_fields=["is_active"])
    record_event(
        event_type=EventType.QUESTION_REMOVED,
        target=question.course,
        actor=actor,
        old={"question": question.pk, "active": True},
        new={"question": question.pk, "active": False},
    )
    return question


def _is_engineer(user) -> bool:
    return Membership.objects.filter(user=user, role__name=ENGINEER_GROUP).exists()


@service
def exam_attempt_start(*, actor, course_id: int, user: User | None = None, at=None) -> ExamAttempt:
    """PPL-4: an engineer starts the written exam of a course (for himself); for a practical assessment
    the trainer starts it for an engineer in his scope and records the score later (`exam_attempt_grade`)."""
    from .workflows import ATTEMPT_WORKFLOW

    course = Course.objects.filter(pk=course_id, is_active=True).select_related("category").first()
    if course is None:
        raise NotFoundError(E.COURSE_NOT_FOUND, _("课程不存在或已停用"))
    moment = at or timezone.now()
    if course.kind == ExamKind.WRITTEN:
        require_perm(actor, "people.take_exam")
        if user is not None and user.pk != actor.pk:
            raise DomainError(E.EXAM_NOT_YOURS, _("笔试只能由工程师本人参加"), fields={"user": [_("无效")]})
        engineer = actor
        question_ids = list(course.questions.filter(is_active=True).values_list("pk", flat=True))
        if not question_ids:
            raise ConflictError(E.COURSE_NO_QUESTIONS, _("该课程还没有考题，暂不能考试"))
    else:
        require_perm(actor, "people.grade_examattempt")
        if user is None or not User.objects.visible_to(actor).filter(pk=user.pk).exists() or not _is_engineer(user):
            raise DomainError(E.EXAM_ENGINEER_REQUIRED, _("请选择在您范围内的工程师"), fields={"user": [_("无效")]})
        engineer = user
        question_ids = []
    attempt = ExamAttempt(
        course=course,
        user=engineer,
        kind=course.kind,
        started_at=moment,
        started_by=actor,
        question_ids=question_ids,
        pass_mark=course.pass_mark,
    )
    ATTEMPT_WORKFLOW.initial(attempt, ExamAttemptStatus.STARTED)
    attempt.save()
    record_event(
        event_type=EventType.EXAM_STARTED,
        target=attempt,
        actor=actor,
        new={"course": course.pk, "user": engineer.pk, "kind": course.kind},
        at=moment,
    )
    return attempt


def _lock_attempt(actor, attempt_id: int) -> ExamAttempt:
    base = ExamAttempt.objects.visible_to(actor) if actor is not None else ExamAttempt.objects.all()
    attempt = base.select_for_update().filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFoundError(E.EXAM_NOT_FOUND, _("考试记录不存在或不在您的范围内"))
    if attempt.status != ExamAttemptStatus.STARTED:
        raise ConflictError(E.EXAM_ALREADY_SCORED, _("该次考试已评分，不能再次提交"))
    return attempt


def written_score(attempt: ExamAttempt, answers: dict) -> int:
    """Percentage of the attempt's questions answered correctly, rounded half up (PPL-4)."""
    correct = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("pk", "answer"))
    total = len(attempt.question_ids)
    right = sum(1 for pk in attempt.question_ids if answers.get(str(pk)) == correct.get(pk))
    return (right * 200 + total) // (2 * total) if total else 0


@service
def exam_attempt_submit(*, actor, attempt_id: int, answers: dict, at=None) -> ExamAttempt:
    """PPL-4 (seed 001 第十九条): the engineer hands in his answers; the system scores them — a client never
    sends a score. Unanswered questions count as wrong. Passing issues or renews the certification; the
    third failure in a row revokes it (004 §4.1.4)."""
    from .workflows import ATTEMPT_WORKFLOW

    require_perm(actor, "people.take_exam")
    attempt = _lock_attempt(actor, attempt_id)
    if attempt.user_id != actor.pk:
        raise PermissionDeniedError(E.EXAM_NOT_YOURS, _("只能提交自己的答卷"))
    if attempt.kind != ExamKind.WRITTEN:
        raise ConflictError(E.EXAM_NOT_WRITTEN, _("实操考核由培训人员录入成绩"))
    ATTEMPT_WORKFLOW.check(attempt, "submit")
    if not isinstance(answers, dict):
        raise DomainError(E.EXAM_ANSWERS_INVALID, _("答案格式有误"), fields={"answers": [_("无效")]})
    asked = {str(pk) for pk in attempt.question_ids}
    cleaned = {}
    for key, value in answers.items():
        choice = str(value or "").strip().upper()
        if str(key) not in asked or choice not in ("A", "B", "C", "D", ""):
            raise DomainError(
                E.EXAM_ANSWERS_INVALID, _("答案须为本次考题的 A–D 选项"), fields={"answers": [str(key)[:20]]}
            )
        if choice:
            cleaned[str(key)] = choice
    attempt.answers = cleaned
    score = written_score(attempt, cleaned)
    _score(attempt, actor=actor, score=score, action="submit", at=at)
    record_event(
        event_type=EventType.EXAM_SUBMITTED,
        target=attempt,
        actor=actor,
        new={"score": score, "passed": attempt.passed, "failure_streak": attempt.failure_streak},
        at=at,
    )
    return attempt


@service
def exam_attempt_grade(*, actor, attempt_id: int, score: int, note: str = "", at=None) -> ExamAttempt:
    """PPL-4: the trainer records the score (0–100) and a note of a practical assessment; passing issues or
    renews the certification, the third failure in a row revokes it (004 §4.1.4)."""
    from .workflows import ATTEMPT_WORKFLOW

    require_perm(actor, "people.grade_examattempt")
    attempt = _lock_attempt(actor, attempt_id)
    if attempt.kind != ExamKind.PRACTICAL:
        raise ConflictError(E.EXAM_NOT_PRACTICAL, _("笔试成绩由系统按答案计算，不能录入分数"))
    ATTEMPT_WORKFLOW.check(attempt, "grade")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise DomainError(E.EXAM_SCORE_INVALID, _("成绩须为 0–100 的整数"), fields={"score": [_("无效")]})
    attempt.note = (note or "").strip()
    attempt.graded_by = actor
    _score(attempt, actor=actor, score=score, action="grade", at=at, extra=("note", "graded_by"))
    record_event(
        event_type=EventType.EXAM_GRADED,
        target=attempt,
        actor=actor,
        new={"score": score, "passed": attempt.passed, "failure_streak": attempt.failure_streak},
        message=attempt.note[:300],
        at=at,
    )
    return attempt


def _score(attempt: ExamAttempt, *, actor, score: int, action: str, at=None, extra=()) -> None:
    from .workflows import ATTEMPT_WORKFLOW

    moment = at or timezone.now()
    attempt.score = score
    attempt.passed = score >= attempt.pass_mark
    attempt.scored_at = moment
    if attempt.passed:
        attempt.failure_streak = 0
    else:
        previous = (
            ExamAttempt.objects.filter(user_id=attempt.user_id, course_id=attempt.course_id, scored_at__isnull=False)
            .exclude(pk=attempt.pk)
            .order_by("-scored_at", "-id")
            .values_list("failure_streak", flat=True)
            .first()
        )
        attempt.failure_streak = (previous or 0) + 1
    ATTEMPT_WORKFLOW.move(
        attempt,
        ExamAttemptStatus.SCORED,
        actor=actor,
        fields=("answers", "score", "passed", "scored_at", "failure_streak", *extra),
        at=at,
    )
    if attempt.passed:
        _certify(attempt, actor=actor, day=timezone.localdate(moment))
    elif attempt.failure_streak >= FAILURES_TO_REVOKE:
        _revoke_for_failures(attempt, actor=actor, moment=moment)


def _certify(attempt: ExamAttempt, *, actor, day: dt.date) -> Certification:
    """PPL-4: a passed attempt issues a certification for the course's category, or extends the one in force."""
    course = attempt.course
    valid_until = day + relativedelta(months=course.validity_months)
    current = (
        Certification.objects.select_for_update()
        .filter(user_id=attempt.user_id, category_id=course.category_id)
        .valid_on(day)
        .order_by("-valid_until")
        .first()
    )
    if current is not None and current.valid_until is not None:
        old_until = current.valid_until
        current.valid_until = max(old_until, valid_until)
        current.exam_attempt = attempt
        current.version += 1
        current.save(update_fields=["valid_until", "exam_attempt", "version", "updated_at"])
        record_event(
            event_type=EventType.CERTIFICATION_RENEWED,
            target=current,
            actor=actor,
            old={"valid_until": _jsonable(old_until)},
            new={"valid_until": _jsonable(current.valid_until), "exam_attempt": attempt.pk},
        )
        return current
    if current is not None:  # long-term: nothing to extend, the pass is on record
        return current
    certification = Certification.objects.create(
        user_id=attempt.user_id,
        category_id=course.category_id,
        certificate_no=next_number("people.certification", series=CERTIFICATE_SERIES),
        issued_by=ISSUED_BY_EXAM,
        issued_at=day,
        valid_until=valid_until,
        exam_attempt=attempt,
        notes=_("%(course)s 考试合格（%(score)s 分）") % {"course": course.title, "score": attempt.score},
    )
    record_event(
        event_type=EventType.CERTIFICATION_ISSUED,
        target=certification,
        actor=actor,
        new={
            "user": attempt.user_id,
            "category": course.category_id,
            "certificate_no": certification.certificate_no,
            "valid_until": _jsonable(valid_until),
            "exam_attempt": attempt.pk,
        },
    )
    return certification


def _revoke_for_failures(attempt: ExamAttempt, *, actor, moment) -> None:
    """004 §4.1.4: the third failed exam in a row stops the engineer — his certifications for the course's
    category are revoked with the reason, so dispatch refuses him until he passes again."""
    reason = _("%(course)s 连续 %(n)s 次考试不合格，暂停上岗资格（004 §4.1.4）") % {
        "course": attempt.course.title,
        "n": attempt.failure_streak,
    }
    for certification in Certification.objects.select_for_update().filter(
        user_id=attempt.user_id, category_id=attempt.course.category_id, revoked_at__isnull=True
    ):
        certification.revoked_at = moment
        certification.revoked_by = actor
        certification.revoked_reason = reason
        certification.version += 1
        certification.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "version", "updated_at"])
        record_event(
            event_type=EventType.CERTIFICATION_REVOKED,
            target=certification,
            actor=actor,
            old={"revoked": False},
            new={"revoked": True, "exam_attempt": attempt.pk},
            message=reason,
        )


@service
def certifications_remind_expiring(
    *, actor=None, today: dt.date | None = None, days: int = EXPIRY_REMINDER_DAYS
) -> int:
    """PPL-4: certifications ending within `days` are announced once (per end date) to the engineer and the
    HR trainers, so he retakes the exam before dispatch refuses him. Returns how many were reminded."""
    from salesservice.core.directory import holders

    today = today or timezone.localdate()
    due = (
        Certification.objects.select_for_update()
        .valid_on(today)
        .filter(valid_until__isnull=False, valid_until__lte=today + dt.timedelta(days=days))
        .exclude(expiry_reminded_for=F("valid_until"))
        .select_related("user", "category")
        .order_by("valid_until", "id")
    )
    hr = holders("hr_trainer")
    count = 0
    for certification in due:
        certification.expiry_reminded_for = certification.valid_until
        certification.save(update_fields=["expiry_reminded_for", "updated_at"])
        record_event(
            event_type=EventType.CERTIFICATION_EXPIRY_REMINDED,
            target=certification,
            actor=actor,
            new={"valid_until": _jsonable(certification.valid_until)},
        )
        title = _("上岗资格 %(no)s（%(name)s，%(category)s）将于 %(day)s 到期，请安排复训考试") % {
            "no": certification.certificate_no,
            "name": certification.user.name,
            "category": certification.category.name,
            "day": certification.valid_until.isoformat(),
        }
        url = reverse("people:certification-detail", args=[certification.pk])
        recipients = [certification.user, *[user for user in hr if user.pk != certification.user_id]]
        notify(recipients=recipients, title=title, url=url)
        count += 1
    return count
