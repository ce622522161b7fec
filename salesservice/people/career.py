"""Services of the career path 职业发展 (PPL-6; seed 003): development talks and the promotion eligibility check.

The appraisal-grade criterion reads an optional `appraisals` app through the app registry when it is installed
(never imported): every finalised grade of the last year must reach the step's minimum (no finalised appraisal:
unmet); without the app the criterion is skipped with a note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.guards import require_perm
from salesservice.core.models import User

from .choices import EventType
from .errors import PeopleErrorCode as E
from .models import CareerStep, Certification, DevelopmentTalk, ExamAttempt, PostHolding
from .recruitment import refuse, text

GRADE_ORDER = ["A", "B", "C", "D", "E"]  # A best


@dataclasses.dataclass
class Criterion:
    """One criterion of a career step for a person: met (True/False) or None (skipped, with the note)."""

    label: str
    met: bool | None
    note: str = ""


@service
def talk_record(
    *,
    actor,
    user: User,
    held_on: dt.date,
    goals: str,
    actions: str = "",
    next_talk_on: dt.date | None = None,
) -> DevelopmentTalk:
    """PPL-6 (003 職業發展): the manager's development talk with a person in his scope — goals, agreed actions,
    the next talk."""
    require_perm(actor, "people.add_developmenttalk")
    fields = {}
    if user is None or not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        fields["user"] = [_("不在您的范围内")]
    if held_on is None or held_on > timezone.localdate():
        fields["held_on"] = [_("必填，且不能晚于今天")]
    if not text(goals, 3000):
        fields["goals"] = [_("必填")]
    if next_talk_on is not None and held_on is not None and next_talk_on <= held_on:
        fields["next_talk_on"] = [_("须晚于本次面谈")]
    if fields:
        raise refuse(E.TALK_INVALID, _("面谈记录有误，请检查标红的字段"), **fields)
    talk = DevelopmentTalk.objects.create(
        user=user,
        manager=actor,
        held_on=held_on,
        goals=text(goals, 3000),
        actions=text(actions, 3000),
        next_talk_on=next_talk_on,
    )
    record_event(
        event_type=EventType.TALK_RECORDED,
        target=talk,
        actor=actor,
        new={
            "user": user.pk,
            "held_on": held_on.isoformat(),
            "next_talk_on": next_talk_on and next_talk_on.isoformat(),
        },
    )
    return talk


def _appraisal_grades(user, since: dt.date) -> list[str] | None:
    """Final grades of `user` since `since` from the optional appraisals app (read through the app registry, never
    imported), or None when it is not installed or holds no grade we can read."""
    if not apps.is_installed("salesservice.appraisals"):
        return None
    try:
        model = apps.get_model("appraisals", "Appraisal")
    except LookupError:
        return None
    names = {field.name for field in model._meta.get_fields()}
    person = next((name for name in ("appraisee", "user") if name in names), None)
    if person is None or "grade" not in names:
        return None
    rows = model._default_manager.filter(**{person: user}).exclude(grade="")
    if "status" in names:
        rows = rows.filter(status="finalised")
    moment = next((name for name in ("finalised_at", "created_at") if name in names), None)
    if moment is not None:
        rows = rows.filter(**{f"{moment}__date__gte": since}).order_by(moment)
    return list(rows.values_list("grade", flat=True))


def promotion_eligibility(user, step: CareerStep, today: dt.date | None = None) -> list[Criterion]:
    """PPL-6: the criteria of `step` for `user`, each met / unmet / skipped, read from the records — the post held
    and since when, the certifications in force, the courses passed, the appraisal grades (optional app)."""
    today = today or timezone.localdate()
    result = []
    holding = (
        PostHolding.objects.filter(user=user, post=step.from_post, ended_on__isnull=True).order_by("started_on").first()
    )
    if holding is None:
        result.append(Criterion(_("现任岗位：%(post)s") % {"post": step.from_post.name}, False, _("未担任该岗位")))
        months = 0
    else:
        delta = relativedelta(today, holding.started_on)
        months = delta.years * 12 + delta.months
    result.append(
        Criterion(
            _("现岗位任职满 %(n)s 个月") % {"n": step.months_in_post},
            months >= step.months_in_post,
            _("已任职 %(m)s 个月") % {"m": months},
        )
    )
    valid = set(Certification.objects.valid_on(today).filter(user=user).values_list("category_id", flat=True))
    for category in step.required_categories.all():
        result.append(
            Criterion(
                _("持有“%(c)s”有效上岗资格") % {"c": category.name},
                category.pk in valid,
                "" if category.pk in valid else _("无有效证书"),
            )
        )
    passed = set(ExamAttempt.objects.filter(user=user, passed=True).values_list("course_id", flat=True))
    for course in step.required_courses.all():
        result.append(
            Criterion(
                _("课程“%(t)s”考试合格") % {"t": course.title},
                course.pk in passed,
                "" if course.pk in passed else _("尚无合格记录"),
            )
        )
    if step.min_grade:
        label = _("近一年考核等级不低于 %(g)s") % {"g": step.min_grade}
        grades = _appraisal_grades(user, today - relativedelta(years=1))
        if grades is None:
            result.append(Criterion(label, None, _("考核模块未安装或无考核记录，此项跳过")))
        else:
            floor = GRADE_ORDER.index(step.min_grade) if step.min_grade in GRADE_ORDER else len(GRADE_ORDER)
            ok = bool(grades) and all(GRADE_ORDER.index(g) <= floor for g in grades if g in GRADE_ORDER)
            result.append(Criterion(label, ok, "、".join(grades) or _("近一年无已定稿的考核")))
    return result


def is_eligible(criteria: list[Criterion]) -> bool:
    """Every criterion that could be checked is met."""
    return all(criterion.met is not False for criterion in criteria)
