"""Every write of the supervision app.

- SUV-1 / SUV-3 `check_plan`, `check_start`, `check_complete`: the auditor plans and performs checks anywhere;
  a store manager performs spot checks (`spot_check`) in its own store. Completing needs every checklist
  item answered; each failed item (with its note) raises a finding.
- SUV-2 `finding_raise`, `finding_rectify` (the owner), `finding_verify` (anyone but the owner; failed → open),
  `finding_close` (only from verified), `findings_remind` (due within 2 days or overdue, once a day each).
- COM-1 `issue_open`, `issue_resolve`, `issue_close`, `issues_escalate` (overdue and open: once, to the heads
  of the departments involved).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import OrgUnitKind
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError, PermissionDeniedError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.models import OrgUnit
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.scoping import visible_unit_ids

from .choices import CheckMethod, EventType, ItemResult, Severity
from .choices import CheckStatus as C
from .choices import FindingStatus as F
from .choices import IssueStatus as I
from .errors import SupervisionErrorCode as E
from .models import CheckItem, CoordinationIssue, Finding, SupervisionCheck
from .workflows import CHECK_WORKFLOW, FINDING_WORKFLOW, ISSUE_WORKFLOW

DEFAULT_RECTIFICATION_DAYS = 7
REMIND_WITHIN_DAYS = 2
# COM-1: the heads of a department (or store / region) — the manager roles held at that very unit.
HEAD_ROLES = ("service_manager", "purchasing_manager", "region_manager", "store_manager", "cs_supervisor")


def _refuse(code, message, *, status: int = 409, **fields) -> DomainError:
    error = DomainError(code, message, fields=fields or None)
    error.status_code = status
    return error


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _get_check(actor, check_id) -> SupervisionCheck:
    return scoped_get(
        SupervisionCheck, actor, check_id, code=E.CHECK_NOT_FOUND, message=_("检查不存在或不在您的范围内")
    )


def _get_finding(actor, finding_id) -> Finding:
    return scoped_get(Finding, actor, finding_id, code=E.FINDING_NOT_FOUND, message=_("整改项不存在或不在您的范围内"))


def _get_issue(actor, issue_id) -> CoordinationIssue:
    return scoped_get(
        CoordinationIssue, actor, issue_id, code=E.ISSUE_NOT_FOUND, message=_("协调事项不存在或不在您的范围内")
    )


def _unit_in_scope(actor, unit_id) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    visible = visible_unit_ids(actor) if actor is not None else None
    if unit is None or (visible is not None and unit.pk not in visible):
        raise _refuse(E.UNIT_OUT_OF_SCOPE, _("所选单位不在您的范围内"), status=400, org_unit=[_("无效")])
    return unit


def check_url(check) -> str:
    return reverse("supervision:check-detail", args=[check.pk])


def finding_url(finding) -> str:
    return reverse("supervision:finding-detail", args=[finding.pk])


def issue_url(issue) -> str:
    return reverse("supervision:issue-detail", args=[issue.pk])


# --- SUV-1 / SUV-3: checks -------------------------------------------------------------------------


@service
def check_plan(
    *, actor, org_unit, method: str, title: str, planned_on: dt.date, items: list[str], checker=None
) -> SupervisionCheck:
    """SUV-1 / SUV-3: plan a service-quality check of a unit with its checklist. The auditor (supervision
    role, `plan_any_check`) plans any method anywhere; others (the store manager) only spot checks."""
    require_perm(actor, "supervision.add_supervisioncheck")
    unit = _unit_in_scope(actor, getattr(org_unit, "pk", org_unit))
    lines = [_text(text, 300) for text in items or [] if _text(text, 300)]
    title = _text(title, 200)
    if method not in CheckMethod.values or not title or not planned_on or not lines:
        raise _refuse(E.CHECK_INVALID, _("请填写检查方式、标题、计划日期和至少一项检查内容"), status=400)
    if actor is not None and not actor.has_perm("supervision.plan_any_check") and method != CheckMethod.SPOT_CHECK:
        raise PermissionDeniedError(E.METHOD_NOT_ALLOWED, _("店长只能在本店做店长抽查（SUV-3）"))
    check = SupervisionCheck(
        number=next_number("supervision_check", series=dict(name="服务质量检查", prefix="JC", reset="yearly")),
        org_unit=unit,
        method=method,
        title=title,
        planned_on=planned_on,
        checker=checker or actor,
        created_by=actor,
    )
    CHECK_WORKFLOW.initial(check, C.PLANNED)
    check.save()
    CheckItem.objects.bulk_create(
        CheckItem(check_record=check, position=index, text=text) for index, text in enumerate(lines, start=1)
    )
    record_event(event_type=EventType.CHECK_PLANNED, target=check, actor=actor, new={"method": method})
    return check


@service
def check_start(*, actor, check_id, expected_version=None) -> SupervisionCheck:
    """SUV-1: the checker starts the check."""
    require_perm(actor, "supervision.perform_supervisioncheck")
    check = _get_check(actor, check_id)
    check_version(check, expected_version)
    CHECK_WORKFLOW.check(check, "start")
    check.started_at = timezone.now()
    CHECK_WORKFLOW.move(check, C.IN_PROGRESS, actor=actor, fields=("started_at",))
    record_event(event_type=EventType.CHECK_STARTED, target=check, actor=actor)
    return check


@service
def check_complete(
    *,
    actor,
    check_id,
    results: list[dict],
    summary: str = "",
    improvements: str = "",
    finding_owner=None,
    rectification_deadline: dt.date | None = None,
    expected_version=None,
) -> SupervisionCheck:
    """SUV-2: record every item's result (a failure needs a note), the summary and improvements, complete the
    check, and raise one finding per failed item — owned by `finding_owner` (default: the unit's store
    manager, else the checker), due `rectification_deadline` (default: in 7 days)."""
    require_perm(actor, "supervision.perform_supervisioncheck")
    check = _get_check(actor, check_id)
    check_version(check, expected_version)
    CHECK_WORKFLOW.check(check, "complete")
    items = {item.pk: item for item in check.items.all()}
    given = {}
    for row in results or []:
        try:
            item_id = int(row.get("item"))
        except (TypeError, ValueError):
            item_id = None
        if item_id not in items:
            raise _refuse(E.ITEM_UNKNOWN, _("检查项不属于本次检查"), status=400)
        given[item_id] = (row.get("result") or "", _text(row.get("note"), 500))
    for item in items.values():
        result, note = given.get(item.pk, (item.result, item.note))
        if result not in ItemResult.values:
            raise _refuse(E.CHECKLIST_INCOMPLETE, _("每一项都须给出结论：%(item)s") % {"item": item.text})
        if result == ItemResult.FAIL and not note:
            raise _refuse(E.FAIL_NOTE_REQUIRED, _("不合格项须写明说明：%(item)s") % {"item": item.text}, status=400)
        item.result, item.note = result, note
    CheckItem.objects.bulk_update(items.values(), ["result", "note"])
    check.summary = _text(summary, 5000)
    check.improvements = _text(improvements, 5000)
    check.completed_at = timezone.now()
    CHECK_WORKFLOW.move(check, C.COMPLETED, actor=actor, fields=("summary", "improvements", "completed_at"))
    record_event(event_type=EventType.CHECK_COMPLETED, target=check, actor=actor)
    owner = finding_owner or next(iter(holders("store_manager", check.org_unit, exact=True)), None) or check.checker
    deadline = rectification_deadline or timezone.localdate() + dt.timedelta(days=DEFAULT_RECTIFICATION_DAYS)
    for item in sorted(items.values(), key=lambda i: (i.position, i.pk)):
        if item.result == ItemResult.FAIL:
            _raise_finding(
                actor=actor,
                check=check,
                item=item,
                description=f"{item.text}：{item.note}",
                owner=owner,
                deadline=deadline,
                severity=Severity.MINOR,
            )
    return check


@service
def check_attach(*, actor, check_id, file, description: str = ""):
    """SUV-2: evidence of a check — a call-recording transcript, photos, the mystery shopper's report."""
    from salesservice.core.attachments import attachment_add

    require_perm(actor, "supervision.perform_supervisioncheck")
    check = _get_check(actor, check_id)
    attachment = attachment_add(actor=actor, target=check, file=file, description=_text(description, 200))
    record_event(
        event_type=EventType.EVIDENCE_ATTACHED, target=check, actor=actor, new={"file": attachment.original_name}
    )
    return attachment


# --- SUV-2: findings -------------------------------------------------------------------------------


def _raise_finding(*, actor, check, item, description, owner, deadline, severity) -> Finding:
    finding = Finding(
        number=next_number("supervision_finding", series=dict(name="整改项", prefix="ZG", reset="yearly")),
        check_record=check,
        item=item,
        org_unit_id=check.org_unit_id,
        description=description,
        severity=severity,
        owner=owner,
        deadline=deadline,
        created_by=actor,
    )
    FINDING_WORKFLOW.initial(finding, F.OPEN)
    finding.save()
    record_event(
        event_type=EventType.FINDING_RAISED,
        target=finding,
        actor=actor,
        new={"check": check.number},
        message=description[:300],
    )
    title = _("整改项 %(number)s：请在 %(deadline)s 前完成整改") % {"number": finding.number, "deadline": deadline}
    transaction.on_commit(lambda: notify(recipients=[owner], title=title, url=finding_url(finding)))
    return finding


@service
def finding_raise(
    *, actor, check_id, description: str, owner, deadline: dt.date, severity: str = Severity.MINOR, item=None
) -> Finding:
    """SUV-2: the checker records a finding of a check (beyond those its failed items raised)."""
    require_perm(actor, "supervision.add_finding")
    check = _get_check(actor, check_id)
    description = _text(description, 5000)
    if not description or owner is None or not deadline or severity not in Severity.values:
        raise _refuse(E.FINDING_INVALID, _("整改项须写明问题、责任人和整改期限"), status=400)
    item_obj = None
    if item is not None:
        item_obj = check.items.filter(pk=getattr(item, "pk", item)).first()
        if item_obj is None:
            raise _refuse(E.ITEM_UNKNOWN, _("检查项不属于本次检查"), status=400)
    return _raise_finding(
        actor=actor,
        check=check,
        item=item_obj,
        description=description,
        owner=owner,
        deadline=deadline,
        severity=severity,
    )


@service
def finding_rectify(*, actor, finding_id, rectification: str, expected_version=None) -> Finding:
    """SUV-2: the owner records what was done; the finding waits for verification."""
    require_perm(actor, "supervision.rectify_finding")
    finding = _get_finding(actor, finding_id)
    check_version(finding, expected_version)
    FINDING_WORKFLOW.check(finding, "rectify")
    if actor is not None and finding.owner_id != actor.pk:
        raise PermissionDeniedError(E.NOT_OWNER, _("只有整改责任人可以登记整改"))
    rectification = _text(rectification, 5000)
    if not rectification:
        raise _refuse(E.RECTIFICATION_REQUIRED, _("请写明整改措施"), status=400, rectification=[_("必填")])
    finding.rectification = rectification
    finding.rectified_at = timezone.now()
    finding.rectified_by = actor
    FINDING_WORKFLOW.move(finding, F.RECTIFIED, actor=actor, fields=("rectification", "rectified_at", "rectified_by"))
    record_event(event_type=EventType.FINDING_RECTIFIED, target=finding, actor=actor, message=rectification[:300])
    return finding


@service
def finding_verify(*, actor, finding_id, passed: bool = True, note: str = "", expected_version=None) -> Finding:
    """SUV-2: someone other than the owner (the checker, the auditor) verifies the rectification: passed →
    verified; not passed → back to open with the reason."""
    require_perm(actor, "supervision.verify_finding")
    finding = _get_finding(actor, finding_id)
    check_version(finding, expected_version)
    target = F.VERIFIED if passed else F.OPEN
    FINDING_WORKFLOW.check(finding, "verify", target=target)
    if actor is not None and actor.pk in (finding.owner_id, finding.rectified_by_id):
        raise PermissionDeniedError(E.SELF_VERIFICATION, _("整改责任人不能验证自己的整改"))
    note = _text(note, 500)
    if not passed and not note:
        raise _refuse(E.VERIFICATION_NOTE_REQUIRED, _("验证未通过须写明原因"), status=400, note=[_("必填")])
    finding.verification_note = note
    finding.verified_by = actor
    finding.verified_at = timezone.now() if passed else None
    FINDING_WORKFLOW.move(
        finding, target, actor=actor, reason=note, fields=("verification_note", "verified_by", "verified_at")
    )
    record_event(
        event_type=EventType.FINDING_VERIFIED, target=finding, actor=actor, new={"passed": bool(passed)}, message=note
    )
    if not passed:
        title = _("整改项 %(number)s 验证未通过：%(note)s") % {"number": finding.number, "note": note}
        owner = finding.owner
        transaction.on_commit(lambda: notify(recipients=[owner], title=title[:200], url=finding_url(finding)))
    return finding


@service
def finding_close(*, actor, finding_id, expected_version=None) -> Finding:
    """SUV-2: close a verified finding — never one that was not verified (409 `status.invalid_transition`)."""
    require_perm(actor, "supervision.verify_finding")
    finding = _get_finding(actor, finding_id)
    check_version(finding, expected_version)
    FINDING_WORKFLOW.check(finding, "close")
    finding.closed_at = timezone.now()
    FINDING_WORKFLOW.move(finding, F.CLOSED, actor=actor, fields=("closed_at",))
    record_event(event_type=EventType.FINDING_CLOSED, target=finding, actor=actor)
    return finding


@service
def findings_remind(*, actor=None, today: dt.date | None = None) -> int:
    """SUV-2: tell each owner of an open finding due within 2 days or overdue — once a day per finding."""
    today = today or timezone.localdate()
    due = list(
        Finding.objects.select_for_update()
        .filter(status=F.OPEN, deadline__lte=today + dt.timedelta(days=REMIND_WITHIN_DAYS))
        .exclude(reminded_on=today)
        .select_related("owner")
        .order_by("pk")
    )
    for finding in due:
        overdue = finding.deadline < today
        template = (
            _("整改项 %(number)s 已逾期（期限 %(deadline)s）")
            if overdue
            else _("整改项 %(number)s 将于 %(deadline)s 到期")
        )
        title = template % {"number": finding.number, "deadline": finding.deadline}
        notify(recipients=[finding.owner], title=title, url=finding_url(finding), level="warning")
        record_event(
            event_type=EventType.FINDING_REMINDED, target=finding, actor=actor, new={"overdue": overdue}, message=title
        )
    Finding.objects.filter(pk__in=[f.pk for f in due]).update(reminded_on=today)
    return len(due)


# --- COM-1: cross-department issues ----------------------------------------------------------------


@service
def issue_open(
    *,
    actor,
    title: str,
    description: str,
    responsible_department,
    responsible_person,
    deadline: dt.date,
    departments=(),
) -> CoordinationIssue:
    """COM-1: a cross-department issue with a responsible department and person, the departments involved and a
    deadline."""
    require_perm(actor, "supervision.add_coordinationissue")
    title, description = _text(title, 200), _text(description, 5000)
    department = OrgUnit.objects.filter(pk=getattr(responsible_department, "pk", responsible_department)).first()
    if not title or not description or department is None or responsible_person is None or not deadline:
        raise _refuse(E.ISSUE_INVALID, _("协调事项须写明标题、说明、责任部门、责任人和期限"), status=400)
    if department.kind != OrgUnitKind.DEPARTMENT:
        raise _refuse(E.ISSUE_INVALID, _("责任部门须为部门"), status=400, responsible_department=[_("无效")])
    issue = CoordinationIssue(
        number=next_number("supervision_issue", series=dict(name="协调事项", prefix="XT", reset="yearly")),
        title=title,
        description=description,
        responsible_department=department,
        responsible_person=responsible_person,
        deadline=deadline,
        created_by=actor,
    )
    ISSUE_WORKFLOW.initial(issue, I.OPEN)
    issue.save()
    ids = {getattr(d, "pk", d) for d in departments or ()} | {department.pk}
    issue.departments.set(OrgUnit.objects.filter(pk__in=ids))
    record_event(event_type=EventType.ISSUE_OPENED, target=issue, actor=actor)
    person = responsible_person
    note = _("协调事项 %(number)s 由您负责：%(title)s") % {"number": issue.number, "title": title}
    transaction.on_commit(lambda: notify(recipients=[person], title=note[:200], url=issue_url(issue)))
    return issue


@service
def issue_resolve(*, actor, issue_id, resolution: str, expected_version=None) -> CoordinationIssue:
    """COM-1: record how the issue was resolved."""
    require_perm(actor, "supervision.resolve_coordinationissue")
    issue = _get_issue(actor, issue_id)
    check_version(issue, expected_version)
    ISSUE_WORKFLOW.check(issue, "resolve")
    resolution = _text(resolution, 5000)
    if not resolution:
        raise _refuse(E.RESOLUTION_REQUIRED, _("请写明解决情况"), status=400, resolution=[_("必填")])
    issue.resolution = resolution
    issue.resolved_at = timezone.now()
    ISSUE_WORKFLOW.move(issue, I.RESOLVED, actor=actor, fields=("resolution", "resolved_at"))
    record_event(event_type=EventType.ISSUE_RESOLVED, target=issue, actor=actor, message=resolution[:300])
    return issue


@service
def issue_close(*, actor, issue_id, expected_version=None) -> CoordinationIssue:
    """COM-1: close a resolved issue."""
    require_perm(actor, "supervision.resolve_coordinationissue")
    issue = _get_issue(actor, issue_id)
    check_version(issue, expected_version)
    ISSUE_WORKFLOW.check(issue, "close")
    issue.closed_at = timezone.now()
    ISSUE_WORKFLOW.move(issue, I.CLOSED, actor=actor, fields=("closed_at",))
    record_event(event_type=EventType.ISSUE_CLOSED, target=issue, actor=actor)
    return issue


def issue_heads(issue) -> list:
    """COM-1: the heads of the departments involved (and the responsible one): the managers at those units;
    the general manager when a department has none."""
    heads = {}
    for unit in issue.departments.all():
        for user in holders(HEAD_ROLES, unit, exact=True):
            heads[user.pk] = user
    if not heads:
        for user in holders("general_manager", hq=True):
            heads[user.pk] = user
    return list(heads.values())


@service
def issues_escalate(*, actor=None, today: dt.date | None = None) -> int:
    """COM-1: an open issue past its deadline is escalated once to the heads of the departments involved."""
    today = today or timezone.localdate()
    overdue = list(
        CoordinationIssue.objects.select_for_update()
        .filter(status=I.OPEN, deadline__lt=today, escalated_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    for issue in overdue:
        heads = issue_heads(issue)
        title = _("协调事项 %(number)s 已逾期未解决：%(title)s") % {"number": issue.number, "title": issue.title}
        if heads:
            notify(recipients=heads, title=title[:200], url=issue_url(issue), level="warning")
        record_event(
            event_type=EventType.ISSUE_ESCALATED,
            target=issue,
            actor=actor,
            new={"heads": [user.pk for user in heads]},
            message=title[:300],
        )
    CoordinationIssue.objects.filter(pk__in=[i.pk for i in overdue]).update(escalated_at=now)
    return len(overdue)
