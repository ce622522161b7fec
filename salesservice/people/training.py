"""Services of training needs, the annual plan, its sessions, attendance and effect (PPL-2, PPL-3, PPL-5;
seeds 000 培訓, 001 第十七/十八条, 003 培訓計劃 / 培訓效果評估).

- `need_raise`: a training need of a post or a person (appraisal, new hire, new product, complaint, evaluation).
- `plan_create`, `session_add` (with the participants enrolled), `plan_approve` (needs a session).
- `attendance_record`: present/absent for every participant once the session's date has come.
- `sessions_remind` (daily): trainers and enrolled staff N days before a session; HR for sessions past their
  date without attendance — each once.
- `effect_evaluate`: reaction, the exam results of the session's course, behaviour change; may raise a need.
- `plan_figures`: per plan — completion %, pass rate, average reaction (selectors-style read).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.models import User
from salesservice.core.notifications import notify

from .choices import Attendance, EventType, NeedPriority, NeedSource, SessionKind, SessionMethod
from .choices import NeedStatus as N
from .choices import PlanStatus as P
from .errors import PeopleErrorCode as E
from .models import (
    Course,
    EffectEvaluation,
    ExamAttempt,
    SessionParticipant,
    TrainingNeed,
    TrainingPlan,
    TrainingSession,
)
from .recruitment import refuse, text, unit_in_scope

SESSION_REMINDER_DAYS = 3
MAX_PARTICIPANTS = 500


# --- needs ---------------------------------------------------------------------------------------------------


@service
def need_raise(
    *,
    actor,
    org_unit,
    gap: str,
    source: str,
    priority: str = NeedPriority.MEDIUM,
    post=None,
    user=None,
    evaluation=None,
) -> TrainingNeed:
    """PPL-3 (003 培訓需求分析): record a training need of a post or a person in a unit of the actor's scope."""
    from .workflows import NEED_WORKFLOW

    if actor is not None:
        require_perm(actor, "people.add_trainingneed")
    unit = unit_in_scope(actor, getattr(org_unit, "pk", org_unit), E.NEED_INVALID)
    fields = {}
    if not text(gap, 2000):
        fields["gap"] = [_("必填")]
    if source not in NeedSource.values:
        fields["source"] = [_("无效")]
    if priority not in NeedPriority.values:
        fields["priority"] = [_("无效")]
    if user is not None and actor is not None and not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        fields["user"] = [_("不在您的范围内")]
    if fields:
        raise refuse(E.NEED_INVALID, _("培训需求有误，请检查标红的字段"), **fields)
    need = TrainingNeed(
        org_unit=unit,
        post=post,
        user=user,
        gap=text(gap, 2000),
        source=source,
        priority=priority,
        evaluation=evaluation,
        raised_by=actor,
    )
    NEED_WORKFLOW.initial(need, N.OPEN)
    need.save()
    record_event(
        event_type=EventType.NEED_RAISED,
        target=need,
        actor=actor,
        new={
            "source": source,
            "priority": priority,
            "post": getattr(post, "pk", None),
            "user": getattr(user, "pk", None),
        },
    )
    return need


# --- plans and sessions --------------------------------------------------------------------------------------


def _get_plan(actor, plan_id) -> TrainingPlan:
    return scoped_get(TrainingPlan, actor, plan_id, code=E.PLAN_NOT_FOUND, message=_("培训计划不存在或不在您的范围内"))


def get_session(actor, session_id) -> TrainingSession:
    return scoped_get(
        TrainingSession, actor, session_id, code=E.SESSION_NOT_FOUND, message=_("培训场次不存在或不在您的范围内")
    )


@service
def plan_create(*, actor, year: int, org_unit, title: str, notes: str = "") -> TrainingPlan:
    """PPL-3 (003 培訓計劃): HR drafts a unit's annual training plan — one per unit and year."""
    from .workflows import PLAN_WORKFLOW

    require_perm(actor, "people.add_trainingplan")
    unit = unit_in_scope(actor, getattr(org_unit, "pk", org_unit), E.PLAN_INVALID)
    fields = {}
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        fields["year"] = [_("须为 2000–2100")]
    if not text(title, 120):
        fields["title"] = [_("必填")]
    if fields:
        raise refuse(E.PLAN_INVALID, _("培训计划有误，请检查标红的字段"), **fields)
    if TrainingPlan.objects.filter(year=year, org_unit=unit).exists():
        raise ConflictError(E.PLAN_DUPLICATE, _("%(unit)s %(year)s 年已有培训计划") % {"unit": unit.name, "year": year})
    plan = TrainingPlan(year=year, org_unit=unit, title=text(title, 120), notes=text(notes, 3000), created_by=actor)
    PLAN_WORKFLOW.initial(plan, P.DRAFT)
    plan.save()
    record_event(event_type=EventType.PLAN_SAVED, target=plan, actor=actor, new={"year": year, "org_unit": unit.pk})
    return plan


@service
def session_add(
    *,
    actor,
    plan_id: int,
    kind: str,
    planned_on: dt.date,
    trainer,
    topic: str = "",
    method: str = SessionMethod.LECTURE,
    course=None,
    location: str = "",
    participants=(),
) -> TrainingSession:
    """PPL-2 (001 第十七/十八条): a session of a draft plan — course or topic, kind (induction, periodic, product,
    skills), date within the plan's year, trainer, method — with the staff enrolled (in the actor's scope)."""
    require_perm(actor, "people.change_trainingplan")
    plan = _get_plan(actor, plan_id)
    if plan.status != P.DRAFT:
        raise ConflictError(E.SESSION_PLAN_APPROVED, _("已批准的计划不能再增加场次"))
    if course is not None and not isinstance(course, Course):
        course = Course.objects.filter(pk=course).first()
    topic = text(topic, 200) or (course.title if course is not None else "")
    people = list(participants or ())
    visible = set(User.objects.visible_to(actor).filter(pk__in=[u.pk for u in people]).values_list("pk", flat=True))
    fields = {}
    if not topic:
        fields["topic"] = [_("必填（或选择课程）")]
    if kind not in SessionKind.values:
        fields["kind"] = [_("无效")]
    if method not in SessionMethod.values:
        fields["method"] = [_("无效")]
    if planned_on is None or planned_on.year != plan.year:
        fields["planned_on"] = [_("须在计划年度 %(year)s 内") % {"year": plan.year}]
    if trainer is None:
        fields["trainer"] = [_("必填")]
    if len(people) > MAX_PARTICIPANTS or any(u.pk not in visible for u in people):
        fields["participants"] = [_("参训人员须在您的范围内")]
    if fields:
        raise refuse(E.SESSION_INVALID, _("培训场次有误，请检查标红的字段"), **fields)
    session = TrainingSession.objects.create(
        plan=plan,
        course=course,
        topic=topic,
        kind=kind,
        planned_on=planned_on,
        trainer=trainer,
        method=method,
        location=text(location, 200),
    )
    SessionParticipant.objects.bulk_create(
        [SessionParticipant(session=session, user=user) for user in dict.fromkeys(people)]
    )
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    record_event(
        event_type=EventType.SESSION_SAVED,
        target=plan,
        actor=actor,
        new={"session": session.pk, "topic": topic, "planned_on": planned_on.isoformat(), "participants": len(people)},
    )
    return session


@service
def plan_approve(*, actor, plan_id, expected_version=None) -> TrainingPlan:
    """PPL-3: the plan is approved (needs at least one session); its sessions are then reminded and recorded."""
    from .workflows import PLAN_WORKFLOW

    require_perm(actor, "people.approve_trainingplan")
    plan = _get_plan(actor, plan_id)
    check_version(plan, expected_version)
    PLAN_WORKFLOW.check(plan, "approve")
    if not plan.sessions.exists():
        raise ConflictError(E.PLAN_NO_SESSIONS, _("计划还没有培训场次，不能批准"))
    plan.approved_at = timezone.now()
    plan.approved_by = actor
    PLAN_WORKFLOW.move(plan, P.APPROVED, actor=actor, fields=("approved_at", "approved_by"))
    record_event(event_type=EventType.PLAN_APPROVED, target=plan, actor=actor, new={"sessions": plan.sessions.count()})
    return plan


@service
def attendance_record(
    *, actor, session_id: int, attendance: dict, expected_version=None, today: dt.date | None = None
) -> TrainingSession:
    """PPL-2: present/absent for every participant enrolled, once the session's date has come; can be corrected
    (a stale version → 409). `attendance`: user id → "present" / "absent"; participants not named stay as they
    were (absent when never recorded)."""
    require_perm(actor, "people.change_trainingplan")
    session = get_session(actor, session_id)
    check_version(session, expected_version)
    today = today or timezone.localdate()
    if session.planned_on > today:
        raise ConflictError(
            E.SESSION_NOT_HELD, _("培训日期（%(day)s）未到，不能登记出勤") % {"day": session.planned_on}
        )
    enrolments = {row.user_id: row for row in session.enrolments.select_for_update()}
    if not isinstance(attendance, dict):
        raise refuse(E.ATTENDANCE_INVALID, _("出勤格式有误"), attendance=[_("无效")])
    changed = []
    for key, value in attendance.items():
        try:
            user_id = int(key)
        except (TypeError, ValueError):
            user_id = None
        if user_id not in enrolments or value not in Attendance.values:
            raise refuse(E.ATTENDANCE_INVALID, _("出勤须为本场次参训人员的出席/缺席"), attendance=[str(key)[:20]])
        enrolments[user_id].attendance = value
        changed.append(enrolments[user_id])
    for row in enrolments.values():
        if not row.attendance:
            row.attendance = Attendance.ABSENT
            changed.append(row)
    SessionParticipant.objects.bulk_update(changed, ["attendance"])
    session.attendance_recorded_at = timezone.now()
    session.version += 1
    session.save(update_fields=["attendance_recorded_at", "version", "updated_at"])
    present = sum(1 for row in enrolments.values() if row.attendance == Attendance.PRESENT)
    record_event(
        event_type=EventType.ATTENDANCE_RECORDED,
        target=session,
        actor=actor,
        new={"present": present, "enrolled": len(enrolments)},
    )
    return session


@service
def sessions_remind(*, actor=None, today: dt.date | None = None, days: int = SESSION_REMINDER_DAYS) -> tuple[int, int]:
    """PPL-3 (daily): sessions of approved plans within `days` are announced once to the trainer and the staff
    enrolled; sessions past their date without attendance are announced once to HR. Returns (ahead, overdue)."""
    today = today or timezone.localdate()
    ahead = (
        TrainingSession.objects.select_for_update(of=("self",))
        .filter(plan__status=P.APPROVED, planned_on__gte=today, planned_on__lte=today + dt.timedelta(days=days))
        .filter(reminded_on__isnull=True)
        .select_related("trainer")
        .prefetch_related("participants")
        .order_by("planned_on", "id")
    )
    count_ahead = 0
    for session in ahead:
        title = _("培训提醒：%(day)s「%(topic)s」%(place)s") % {
            "day": session.planned_on.isoformat(),
            "topic": session.topic,
            "place": session.location,
        }
        notify(
            recipients=[session.trainer, *session.participants.all()],
            title=title,
            url=reverse("people:session-detail", args=[session.pk]),
        )
        session.reminded_on = today
        session.save(update_fields=["reminded_on", "updated_at"])
        record_event(event_type=EventType.SESSION_REMINDED, target=session, actor=actor, new={"kind": "ahead"})
        count_ahead += 1
    overdue = (
        TrainingSession.objects.select_for_update(of=("self",))
        .filter(plan__status=P.APPROVED, planned_on__lt=today, attendance_recorded_at__isnull=True)
        .filter(overdue_reminded_on__isnull=True)
        .order_by("planned_on", "id")
    )
    hr = holders("hr_trainer")
    count_overdue = 0
    for session in overdue:
        title = _("培训「%(topic)s」（%(day)s）已过日期，尚未登记出勤") % {
            "topic": session.topic,
            "day": session.planned_on.isoformat(),
        }
        notify(recipients=hr, title=title, url=reverse("people:session-detail", args=[session.pk]))
        session.overdue_reminded_on = today
        session.save(update_fields=["overdue_reminded_on", "updated_at"])
        record_event(event_type=EventType.SESSION_REMINDED, target=session, actor=actor, new={"kind": "overdue"})
        count_overdue += 1
    return count_ahead, count_overdue


# --- effect (PPL-5) ------------------------------------------------------------------------------------------


def session_exam_results(session: TrainingSession) -> tuple[int, int]:
    """(participants who sat the session's course exam since the session, of them passed) — PPL-5."""
    if session.course_id is None:
        return 0, 0
    since = timezone.make_aware(dt.datetime.combine(session.planned_on, dt.time.min))
    row = ExamAttempt.objects.filter(
        course_id=session.course_id,
        user__in=session.enrolments.values("user_id"),
        scored_at__gte=since,
    ).aggregate(
        takers=Count("user_id", distinct=True),
        passed=Count("user_id", distinct=True, filter=Q(passed=True)),
    )
    return row["takers"], row["passed"]


@service
def effect_evaluate(
    *,
    actor,
    session_id: int,
    reaction_score,
    behaviour_change: str,
    evaluated_on: dt.date | None = None,
    need_gap: str = "",
    need_priority: str = NeedPriority.MEDIUM,
) -> EffectEvaluation:
    """PPL-5 (003 培訓效果評估): after a session with attendance recorded — the participants' reaction (1–5), the
    exam results of its course (computed from the attempts, never typed), the behaviour change assessed by the
    trainer or manager; `need_gap` feeds back a new training need of the session's unit."""
    require_perm(actor, "people.change_trainingplan")
    session = get_session(actor, session_id)
    if session.attendance_recorded_at is None:
        raise ConflictError(E.EVALUATION_NOT_READY, _("请先登记出勤，再评估培训效果"))
    if EffectEvaluation.objects.filter(session=session).exists():
        raise ConflictError(E.EVALUATION_EXISTS, _("该场次已评估"))
    evaluated_on = evaluated_on or timezone.localdate()
    fields = {}
    try:
        reaction = Decimal(str(reaction_score)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        reaction = None
    if reaction is None or not Decimal(1) <= reaction <= Decimal(5):
        fields["reaction_score"] = [_("须为 1–5")]
    if not text(behaviour_change, 3000):
        fields["behaviour_change"] = [_("必填")]
    if evaluated_on < session.planned_on:
        fields["evaluated_on"] = [_("不能早于培训日期")]
    if fields:
        raise refuse(E.EVALUATION_INVALID, _("效果评估有误，请检查标红的字段"), **fields)
    takers, passed = session_exam_results(session)
    evaluation = EffectEvaluation.objects.create(
        session=session,
        reaction_score=reaction,
        behaviour_change=text(behaviour_change, 3000),
        exam_takers=takers,
        exam_passed=passed,
        evaluated_on=evaluated_on,
        evaluated_by=actor,
    )
    record_event(
        event_type=EventType.EFFECT_EVALUATED,
        target=session,
        actor=actor,
        new={"reaction_score": str(reaction), "exam_takers": takers, "exam_passed": passed},
    )
    if text(need_gap, 2000):
        need_raise(
            actor=actor,
            org_unit=session.plan.org_unit_id,
            gap=need_gap,
            source=NeedSource.EVALUATION,
            priority=need_priority,
            evaluation=evaluation,
        )
    return evaluation


def plan_figures(plan_ids) -> dict[int, dict]:
    """PPL-5 per plan: completion % (present of attendance recorded), pass rate (exam passed / takers of the
    evaluations), average reaction — two aggregate queries for any number of plans."""
    ids = list(plan_ids)
    figures = {pk: {"completion": None, "pass_rate": None, "reaction": None} for pk in ids}
    attendance = (
        SessionParticipant.objects.filter(session__plan_id__in=ids)
        .exclude(attendance="")
        .values("session__plan_id")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(attendance=Attendance.PRESENT)))
    )
    for row in attendance:
        figures[row["session__plan_id"]]["completion"] = round(100 * row["present"] / row["total"], 1)
    effects = (
        EffectEvaluation.objects.filter(session__plan_id__in=ids)
        .values("session__plan_id")
        .annotate(reaction=Avg("reaction_score"), taken=Sum("exam_takers"), passed=Sum("exam_passed"))
    )
    for row in effects:
        figure = figures[row["session__plan_id"]]
        figure["reaction"] = round(float(row["reaction"]), 2) if row["reaction"] is not None else None
        figure["pass_rate"] = round(100 * row["passed"] / row["taken"], 1) if row["taken"] else None
    return figures
