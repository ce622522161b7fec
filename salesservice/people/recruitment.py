"""Services of posts and recruitment (PPL-1; seeds 000 招聘標準, 004 §4.3.2.1 岗位说明书).

- `post_create` / `post_update`: HR writes the post description 岗位说明书 with the recruitment criteria.
- `candidate_add`: a candidate for a post in an org unit of the actor's scope.
- `candidate_interview`, `candidate_written_test`, `candidate_background_check`: each step's record
  (assessor = the actor, date, score, passed, notes) and the move to the next state.
- `candidate_hire`: only with a passing record of all three steps (`candidate.steps_incomplete`, 409);
  `candidate_reject`: only with a reason.
Every write: one transaction (`@service`), permission and scope checked, a `people.*` timeline event.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.events import apply_changes, record_event
from salesservice.core.exceptions import ConflictError, DomainError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.models import OrgUnit
from salesservice.core.numbering import next_number
from salesservice.core.scoping import visible_unit_ids

from .choices import CandidateSource, EventType, RecruitmentStep
from .choices import CandidateStatus as C
from .errors import PeopleErrorCode as E
from .models import Candidate, CandidateStepRecord, Post

POST_FIELDS = (
    "name",
    "code",
    "level",
    "reports_to",
    "duties",
    "education",
    "experience",
    "skills",
    "certificates",
    "criteria",
    "is_active",
)
CANDIDATE_SERIES = {"name": "应聘登记", "prefix": "RC", "reset": "yearly", "padding": 4}
STEPS_FOR_HIRE = (RecruitmentStep.INTERVIEW, RecruitmentStep.WRITTEN_TEST, RecruitmentStep.BACKGROUND_CHECK)


def refuse(code, message, *, status: int = 400, **fields) -> DomainError:
    error = DomainError(code, message, fields=fields or None)
    error.status_code = status
    return error


def text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def unit_in_scope(actor, unit_id, code) -> OrgUnit:
    """The org unit if the actor's role covers it, else 400 with `code`."""
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    visible = visible_unit_ids(actor) if actor is not None else None
    if unit is None or (visible is not None and unit.pk not in visible):
        raise refuse(code, _("所选单位不在您的范围内"), org_unit=[_("无效")])
    return unit


# --- posts ---------------------------------------------------------------------------------------------------


def _validate_post(post: Post) -> None:
    post.name = text(post.name, 60)
    post.code = text(post.code, 40)
    fields = {}
    if not post.name:
        fields["name"] = [_("必填")]
    if not post.code or not post.code.replace("-", "").replace("_", "").isalnum() or not post.code.isascii():
        fields["code"] = [_("须为字母、数字、- 或 _")]
    if not text(post.duties, 5000):
        fields["duties"] = [_("必填")]
    if fields:
        raise refuse(E.POST_INVALID, _("岗位信息有误，请检查标红的字段"), **fields)
    if Post.objects.filter(code=post.code).exclude(pk=post.pk).exists():
        raise ConflictError(
            E.POST_DUPLICATE, _("岗位代码 %(code)s 已存在") % {"code": post.code}, fields={"code": [_("已存在")]}
        )


@service
def post_create(*, actor, name: str, code: str, duties: str, **rest) -> Post:
    """PPL-1 (004 §4.3.2.1): HR writes a post description — duties, requirements, recruitment criteria."""
    require_perm(actor, "people.add_post")
    unknown = set(rest) - set(POST_FIELDS)
    if unknown:
        raise refuse(E.POST_INVALID, _("不可填写的字段：%s") % ", ".join(sorted(unknown)))
    post = Post(name=name, code=code, duties=duties, **rest)
    _validate_post(post)
    post.save()
    record_event(event_type=EventType.POST_SAVED, target=post, actor=actor, new={"name": post.name, "code": post.code})
    return post


@service
def post_update(*, actor, post_id: int, expected_version: int, **changes) -> Post:
    """PPL-1: correct a post description; a stale version → 409 `conflict.stale`."""
    require_perm(actor, "people.change_post")
    unknown = set(changes) - set(POST_FIELDS)
    if unknown:
        raise refuse(E.POST_INVALID, _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    post = lock_current(Post.objects.all(), post_id, expected_version)
    apply_changes(post, changes, actor=actor, event_type=EventType.POST_SAVED, validate=_validate_post)
    return post


# --- candidates ------------------------------------------------------------------------------------------------


def _get_candidate(actor, candidate_id) -> Candidate:
    return scoped_get(
        Candidate, actor, candidate_id, code=E.CANDIDATE_NOT_FOUND, message=_("应聘者不存在或不在您的范围内")
    )


@service
def candidate_add(
    *,
    actor,
    post,
    org_unit,
    name: str,
    applied_on: dt.date,
    phone: str = "",
    id_number: str = "",
    source: str = CandidateSource.OTHER,
    notes: str = "",
) -> Candidate:
    """PPL-1: register a candidate for a post in an org unit the actor's role covers."""
    from .workflows import CANDIDATE_WORKFLOW

    require_perm(actor, "people.add_candidate")
    unit = unit_in_scope(actor, getattr(org_unit, "pk", org_unit), E.CANDIDATE_UNIT_OUT_OF_SCOPE)
    post_obj = Post.objects.filter(pk=getattr(post, "pk", post), is_active=True).first()
    fields = {}
    if post_obj is None:
        fields["post"] = [_("无效")]
    if not text(name, 60):
        fields["name"] = [_("必填")]
    if applied_on is None or applied_on > timezone.localdate():
        fields["applied_on"] = [_("必填，且不能晚于今天")]
    if source not in CandidateSource.values:
        fields["source"] = [_("无效")]
    if fields:
        raise refuse(E.CANDIDATE_INVALID, _("应聘者信息有误，请检查标红的字段"), **fields)
    candidate = Candidate(
        number=next_number("people.candidate", series=CANDIDATE_SERIES),
        post=post_obj,
        org_unit=unit,
        name=text(name, 60),
        phone=text(phone, 30),
        id_number=text(id_number, 30),
        source=source,
        applied_on=applied_on,
        notes=text(notes, 2000),
    )
    CANDIDATE_WORKFLOW.initial(candidate, C.APPLIED)
    candidate.save()
    record_event(
        event_type=EventType.CANDIDATE_ADDED,
        target=candidate,
        actor=actor,
        new={"post": post_obj.pk, "org_unit": unit.pk, "source": source},
    )
    return candidate


def _record_step(
    action: str,
    step: str,
    target: str,
    *,
    actor,
    candidate_id,
    held_on,
    passed: bool,
    score=None,
    notes: str = "",
    expected_version=None,
) -> Candidate:
    from .workflows import CANDIDATE_WORKFLOW

    require_perm(actor, "people.change_candidate")
    candidate = _get_candidate(actor, candidate_id)
    check_version(candidate, expected_version)
    CANDIDATE_WORKFLOW.check(candidate, action)
    fields = {}
    if held_on is None or held_on > timezone.localdate() or held_on < candidate.applied_on:
        fields["held_on"] = [_("须在报名日期与今天之间")]
    if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100):
        fields["score"] = [_("须为 0–100")]
    if fields:
        raise refuse(E.CANDIDATE_STEP_INVALID, _("环节记录有误，请检查标红的字段"), **fields)
    record = CandidateStepRecord.objects.create(
        candidate=candidate,
        step=step,
        assessor=actor,
        held_on=held_on,
        score=score,
        passed=bool(passed),
        notes=text(notes, 2000),
    )
    CANDIDATE_WORKFLOW.move(candidate, target, actor=actor)
    record_event(
        event_type=EventType.CANDIDATE_STEP_RECORDED,
        target=candidate,
        actor=actor,
        new={"step": step, "held_on": held_on.isoformat(), "score": score, "passed": record.passed},
        message=record.notes[:300],
    )
    return candidate


@service
def candidate_interview(*, actor, candidate_id, held_on, passed, score=None, notes="", expected_version=None):
    """PPL-1 (000 招聘標準): the interview's record — interviewer (the actor), date, score, result, notes."""
    return _record_step(
        "interview", RecruitmentStep.INTERVIEW, C.INTERVIEWED, actor=actor, candidate_id=candidate_id,
        held_on=held_on, passed=passed, score=score, notes=notes, expected_version=expected_version,
    )  # fmt: skip


@service
def candidate_written_test(*, actor, candidate_id, held_on, passed, score=None, notes="", expected_version=None):
    """PPL-1: the written test's record — marker, date, score, result."""
    return _record_step(
        "written-test", RecruitmentStep.WRITTEN_TEST, C.WRITTEN_TEST, actor=actor, candidate_id=candidate_id,
        held_on=held_on, passed=passed, score=score, notes=notes, expected_version=expected_version,
    )  # fmt: skip


@service
def candidate_background_check(*, actor, candidate_id, held_on, passed, score=None, notes="", expected_version=None):
    """PPL-1: the background check's record — who checked, when, the conclusion."""
    return _record_step(
        "background-check", RecruitmentStep.BACKGROUND_CHECK, C.BACKGROUND_CHECK, actor=actor,
        candidate_id=candidate_id, held_on=held_on, passed=passed, score=score, notes=notes,
        expected_version=expected_version,
    )  # fmt: skip


def missing_steps(candidate: Candidate) -> list[str]:
    """The steps without a passing record, in order (PPL-1)."""
    passed = candidate.passed_steps()
    return [step for step in STEPS_FOR_HIRE if step not in passed]


@service
def candidate_hire(*, actor, candidate_id, expected_version=None) -> Candidate:
    """PPL-1 (000 招聘標準): hire only a candidate who passed the interview, the written test and the background
    check — otherwise 409 `candidate.steps_incomplete` naming the missing steps."""
    from .workflows import CANDIDATE_WORKFLOW

    require_perm(actor, "people.decide_candidate")
    candidate = _get_candidate(actor, candidate_id)
    check_version(candidate, expected_version)
    CANDIDATE_WORKFLOW.check(candidate, "hire")
    missing = missing_steps(candidate)
    if missing:
        labels = "、".join(str(RecruitmentStep(step).label) for step in missing)
        raise ConflictError(
            E.CANDIDATE_STEPS_INCOMPLETE,
            _("尚未通过：%(steps)s，不能录用") % {"steps": labels},
            fields={"missing": missing},
        )
    candidate.decided_at = timezone.now()
    candidate.decided_by = actor
    CANDIDATE_WORKFLOW.move(candidate, C.HIRED, actor=actor, fields=("decided_at", "decided_by"))
    record_event(event_type=EventType.CANDIDATE_HIRED, target=candidate, actor=actor, new={"post": candidate.post_id})
    return candidate


@service
def candidate_reject(*, actor, candidate_id, reason: str, expected_version=None) -> Candidate:
    """PPL-1: not hired, with the reason (required)."""
    from .workflows import CANDIDATE_WORKFLOW

    require_perm(actor, "people.decide_candidate")
    candidate = _get_candidate(actor, candidate_id)
    check_version(candidate, expected_version)
    CANDIDATE_WORKFLOW.check(candidate, "reject")
    reason = text(reason, 500)
    if not reason:
        raise refuse(E.CANDIDATE_REASON_REQUIRED, _("请写明不录用的原因"), reason=[_("必填")])
    candidate.reject_reason = reason
    candidate.decided_at = timezone.now()
    candidate.decided_by = actor
    CANDIDATE_WORKFLOW.move(
        candidate, C.REJECTED, actor=actor, reason=reason, fields=("reject_reason", "decided_at", "decided_by")
    )
    record_event(event_type=EventType.CANDIDATE_REJECTED, target=candidate, actor=actor, message=reason)
    return candidate
