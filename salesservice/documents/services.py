"""Every write of document control (DOC-1).

- `document_create`: a controlled document (code, title, kind, owning unit in the actor's scope, the clauses it
  covers — checked against the clause inventory — and the roles who must read it) with its first draft version.
- `version_draft`, `version_edit`: a new revision (one open revision per document) and edits of a draft; the
  file is a PDF or Word attachment.
- `version_submit` → `version_approve` (not by the author: maker-checker) or `version_reject` →
  `version_issue` (issue date today, effective date today or later; when it takes effect the version current
  until then is superseded, so one version is current at any time) → `version_supersede` (retire with reason);
  `version_withdraw` retires a version never issued.
- `version_acknowledge`: a concerned user confirms having read an issued version — once (a second time is 409).
- `versions_apply_effective` and `acknowledgements_remind`: the daily job — supersede what a newly effective
  version replaces; remind, at most once a day, the concerned users who have not confirmed after
  `documents.ack_reminder_days`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.attachments import attachment_add, attachments_for
from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.guards import check_version, require_perm
from salesservice.core.models import OrgUnit, User
from salesservice.core.notifications import notify
from salesservice.core.policy import policy_value
from salesservice.core.roles import ROLES_BY_CODE
from salesservice.core.scoping import visible_unit_ids

from .choices import OPEN_STATUSES, DocumentKind, EventType
from .choices import VersionStatus as S
from .clauses import unknown_clauses
from .errors import DocumentsErrorCode as E
from .models import Acknowledgement, ControlledDocument, DocumentClause, DocumentVersion
from .workflows import VERSION_WORKFLOW

CODE_PATTERN = r"^[A-Z0-9][A-Z0-9.\-/]{1,38}[A-Z0-9]$"
FILE_SUFFIXES = (".pdf", ".doc", ".docx")
ACK_REMINDER_KEY = "documents.ack_reminder_days"


def _refuse(code, message, /, *, status: int = 400, **fields) -> DomainError:
    error = DomainError(code, message, fields=fields or None)
    error.status_code = status
    return error


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def version_url(version) -> str:
    return reverse("documents:version-detail", args=[version.pk])


def document_url(document) -> str:
    return reverse("documents:document-detail", args=[document.pk])


def _get_document(actor, document_id, *, manage: bool = True) -> ControlledDocument:
    queryset = ControlledDocument.objects.all()
    if actor is not None:
        queryset = queryset.managed_by(actor) if manage else queryset.visible_to(actor)
    try:
        return queryset.select_for_update(of=("self",)).select_related("org_unit").get(pk=document_id)
    except (ControlledDocument.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(E.DOCUMENT_NOT_FOUND, _("受控文件不存在或不在您的范围内")) from None


def _get_version(actor, version_id, *, manage: bool = True) -> DocumentVersion:
    """The version locked, in the actor's write scope (`manage`) or read scope; else 404."""
    queryset = DocumentVersion.objects.all()
    if actor is not None:
        queryset = queryset.managed_by(actor) if manage else queryset.visible_to(actor)
    try:
        return (
            queryset.select_for_update(of=("self",))
            .select_related("document", "document__org_unit")
            .get(pk=getattr(version_id, "pk", version_id))
        )
    except (DocumentVersion.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(E.VERSION_NOT_FOUND, _("文件版本不存在或不在您的范围内")) from None


def _unit_in_scope(actor, unit) -> OrgUnit:
    unit_id = getattr(unit, "pk", unit)
    found = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    visible = visible_unit_ids(actor) if actor is not None and not actor.is_superuser else None
    if found is None or (visible is not None and found.pk not in visible):
        raise _refuse(E.UNIT_OUT_OF_SCOPE, _("所选单位不在您的范围内"), org_unit=[_("无效")])
    return found


def _clean_clauses(clauses) -> list[str]:
    ids = sorted({_text(str(c), 12).upper() for c in clauses or [] if _text(str(c), 12)})
    unknown = unknown_clauses(ids)
    if unknown:
        raise _refuse(
            E.CLAUSE_UNKNOWN,
            _("条款编号不在政策条款清单中：%(ids)s") % {"ids": "、".join(unknown)},
            clauses=[_("未知条款")],
        )
    return ids


def _clean_roles(roles) -> list[str]:
    codes = sorted({str(r).strip() for r in roles or [] if str(r).strip()})
    unknown = [code for code in codes if code not in ROLES_BY_CODE]
    if unknown:
        raise _refuse(E.ROLE_UNKNOWN, _("岗位不存在：%(codes)s") % {"codes": "、".join(unknown)}, concerned_roles=[""])
    return codes


def _attach(actor, version, file) -> None:
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(FILE_SUFFIXES):
        raise _refuse(E.FILE_TYPE, _("文件正文只接受 PDF 或 Word（.pdf / .doc / .docx）"), file=[_("文件类型不支持")])
    attachment_add(actor=actor, target=version, file=file, description=_("文件正文"))


def version_has_file(version) -> bool:
    return attachments_for(version).exists()


def concerned_users(document):
    """DOC-1: active users holding a role the document names, at its unit's scope (a department's document
    applies to its parent's subtree: a quality-department procedure concerns the whole company)."""
    unit = document.org_unit
    root = unit.parent if unit.kind == "department" and unit.parent_id else unit
    if not document.concerned_roles:
        return User.objects.none()
    matching = User.objects.filter(
        is_active=True,
        memberships__role__name__in=document.concerned_roles,
        memberships__org_unit__path__startswith=root.path,
    ).values("pk")
    return User.objects.filter(pk__in=matching).order_by("pk")


# --- documents and drafts --------------------------------------------------------------------------------


@service
def document_create(
    *,
    actor,
    code: str,
    title: str,
    kind: str,
    org_unit,
    clauses=(),
    concerned_roles=(),
    description: str = "",
    change_summary: str = "",
    file=None,
) -> ControlledDocument:
    """DOC-1: register a controlled document with its number and its first draft (V1)."""
    import re

    require_perm(actor, "documents.add_controlleddocument")
    code, title = _text(code, 40).upper(), _text(title, 200)
    if not code or not title or kind not in DocumentKind.values or not org_unit:
        raise _refuse(E.DOCUMENT_INVALID, _("请填写文件编号、名称、类别和归口单位"))
    if not re.match(CODE_PATTERN, code):
        raise _refuse(E.CODE_INVALID, _("文件编号只能由大写字母、数字和连字符组成，如 SS-QP-001"), code=[_("格式不符")])
    unit = _unit_in_scope(actor, org_unit)
    clause_ids = _clean_clauses(clauses)
    roles = _clean_roles(concerned_roles)
    if ControlledDocument.objects.filter(code=code).exists():
        raise ConflictError(
            E.CODE_TAKEN, _("文件编号 %(code)s 已被使用") % {"code": code}, fields={"code": [_("已存在")]}
        )
    document = ControlledDocument.objects.create(
        code=code,
        title=title,
        kind=kind,
        org_unit=unit,
        concerned_roles=roles,
        description=_text(description, 5000),
        created_by=actor,
    )
    DocumentClause.objects.bulk_create(DocumentClause(document=document, clause=c) for c in clause_ids)
    record_event(
        event_type=EventType.DOCUMENT_CREATED,
        target=document,
        actor=actor,
        new={"code": code, "clauses": clause_ids, "concerned_roles": roles},
    )
    _draft(actor, document, change_summary or _("首次发布"), file)
    return document


def _draft(actor, document, change_summary, file) -> DocumentVersion:
    summary = _text(change_summary, 5000)
    if not summary:
        raise _refuse(E.CHANGE_SUMMARY_REQUIRED, _("请写明本版本的修订说明"), change_summary=[_("必填")])
    if document.versions.filter(status__in=OPEN_STATUSES).exists():
        raise _refuse(E.REVISION_OPEN, _("该文件已有未发布的版本，请先完成或作废"), status=409)
    last = document.versions.order_by("-revision").values_list("revision", flat=True).first() or 0
    version = DocumentVersion(document=document, revision=last + 1, change_summary=summary, author=actor)
    VERSION_WORKFLOW.initial(version, S.DRAFT)
    version.save()
    if file is not None:
        _attach(actor, version, file)
    record_event(event_type=EventType.VERSION_DRAFTED, target=version, actor=actor, new={"revision": version.revision})
    return version


@service
def version_draft(*, actor, document_id, change_summary: str, file=None) -> DocumentVersion:
    """DOC-1: start a revision of a document (changes go through the document-control procedure)."""
    require_perm(actor, "documents.change_controlleddocument")
    document = _get_document(actor, document_id)
    return _draft(actor, document, change_summary, file)


@service
def version_edit(*, actor, version_id, change_summary: str, file=None, expected_version=None) -> DocumentVersion:
    """Edit a draft: its change summary and (a new) file. Only drafts change; what was submitted stays."""
    require_perm(actor, "documents.change_controlleddocument")
    version = _get_version(actor, version_id)
    check_version(version, expected_version)
    if version.status != S.DRAFT:
        raise _refuse(E.NOT_EDITABLE, _("只有草稿可以修改"), status=409)
    summary = _text(change_summary, 5000)
    if not summary:
        raise _refuse(E.CHANGE_SUMMARY_REQUIRED, _("请写明本版本的修订说明"), change_summary=[_("必填")])
    old = version.change_summary
    version.change_summary = summary
    version.version += 1
    version.save(update_fields=["change_summary", "version", "updated_at"])
    if file is not None:
        _attach(actor, version, file)
    record_event(
        event_type=EventType.VERSION_EDITED,
        target=version,
        actor=actor,
        old={"change_summary": old},
        new={"change_summary": summary, "file": getattr(file, "name", None)},
    )
    return version


# --- approval ---------------------------------------------------------------------------------------------


@service
def version_submit(*, actor, version_id, expected_version=None) -> DocumentVersion:
    """DOC-1: the author (or the document's owner) submits a draft with its file for approval."""
    require_perm(actor, "documents.change_controlleddocument")
    version = _get_version(actor, version_id)
    check_version(version, expected_version)
    VERSION_WORKFLOW.check(version, "submit")
    if not version_has_file(version):
        raise _refuse(E.FILE_REQUIRED, _("提交审批前须上传文件正文（PDF 或 Word）"), file=[_("必填")])
    version.submitted_at = timezone.now()
    VERSION_WORKFLOW.move(version, S.SUBMITTED, actor=actor, fields=("submitted_at",))
    record_event(event_type=EventType.VERSION_SUBMITTED, target=version, actor=actor)
    return version


@service
def version_approve(*, actor, version_id, note: str = "", expected_version=None) -> DocumentVersion:
    """DOC-1: approval by someone other than the author (maker-checker)."""
    require_perm(actor, "documents.approve_documentversion")
    version = _get_version(actor, version_id)
    check_version(version, expected_version)
    VERSION_WORKFLOW.check(version, "approve")
    if actor is not None and version.author_id == actor.pk:
        raise PermissionDeniedError(E.SELF_APPROVAL, _("编制人不能批准自己编制的版本"))
    version.approver = actor
    version.approved_at = timezone.now()
    version.approval_note = _text(note, 500)
    VERSION_WORKFLOW.move(version, S.APPROVED, actor=actor, fields=("approver", "approved_at", "approval_note"))
    record_event(event_type=EventType.VERSION_APPROVED, target=version, actor=actor, message=version.approval_note)
    return version


@service
def version_reject(*, actor, version_id, reason: str, expected_version=None) -> DocumentVersion:
    """Send a submitted version back to its author with the reason."""
    require_perm(actor, "documents.approve_documentversion")
    version = _get_version(actor, version_id)
    check_version(version, expected_version)
    VERSION_WORKFLOW.check(version, "reject")
    reason = _text(reason, 500)
    if not reason:
        raise _refuse(E.REJECT_NOTE_REQUIRED, _("退回须写明原因"), reason=[_("必填")])
    version.approval_note = reason
    VERSION_WORKFLOW.move(version, S.DRAFT, actor=actor, reason=reason, fields=("approval_note",))
    record_event(event_type=EventType.VERSION_REJECTED, target=version, actor=actor, message=reason)
    notify(
        recipients=[version.author],
        title=_("文件版本被退回：%(doc)s") % {"doc": version},
        body=reason,
        url=version_url(version),
        kind="documents.rejected",
    )
    return version


# --- issue, supersession ----------------------------------------------------------------------------------


def _supersede_replaced(version, *, actor, today) -> list[DocumentVersion]:
    """Supersede every other issued version of the document that `version` (now in force) replaces."""
    replaced = list(
        DocumentVersion.objects.select_for_update()
        .filter(document_id=version.document_id, status=S.ISSUED, effective_date__lte=today)
        .exclude(pk=version.pk)
        .filter(Q(effective_date__lt=version.effective_date) | Q(revision__lt=version.revision))
    )
    now = timezone.now()
    for old in replaced:
        old.superseded_by = version
        old.retired_at = now
        old.retire_reason = _("由 %(label)s 替代") % {"label": version.label}
        VERSION_WORKFLOW.move(
            old,
            S.SUPERSEDED,
            actor=actor,
            reason=old.retire_reason,
            fields=("superseded_by", "retired_at", "retire_reason"),
        )
        record_event(
            event_type=EventType.VERSION_SUPERSEDED,
            target=old,
            actor=actor,
            new={"superseded_by": version.pk, "label": version.label},
            message=old.retire_reason,
        )
    return replaced


def _sync_acknowledgements(version) -> set[int]:
    """The pending read confirmations of an issued version: one per concerned user (new holders too). Returns the
    ids of the users concerned now."""
    users = set(concerned_users(version.document).values_list("pk", flat=True))
    have = set(version.acknowledgements.values_list("user_id", flat=True))
    rows = [Acknowledgement(version=version, user_id=pk) for pk in sorted(users - have)]
    Acknowledgement.objects.bulk_create(rows, ignore_conflicts=True)
    return users


@service
def version_issue(
    *, actor, version_id, effective_date: dt.date | None = None, expected_version=None
) -> DocumentVersion:
    """DOC-1: issue an approved version — issue date today, effective date today or later. In force at once, it
    supersedes the current version (so there is one current version); with a later date the daily job does
    that on the day. The concerned users are notified to read it."""
    require_perm(actor, "documents.issue_documentversion")
    version = _get_version(actor, version_id)
    check_version(version, expected_version)
    VERSION_WORKFLOW.check(version, "issue")
    today = timezone.localdate()
    effective_date = effective_date or today
    if effective_date < today:
        raise _refuse(E.EFFECTIVE_DATE_INVALID, _("生效日期不能早于发布日期"), effective_date=[_("不能早于今天")])
    pending = (
        DocumentVersion.objects.filter(document_id=version.document_id, status=S.ISSUED, effective_date__gt=today)
        .exclude(pk=version.pk)
        .first()
    )
    if pending is not None:
        raise _refuse(
            E.PENDING_ISSUE,
            _("%(label)s 将于 %(day)s 生效，须待其生效后再发布新版本")
            % {"label": pending.label, "day": pending.effective_date},
            status=409,
        )
    version.issued_by = actor
    version.issued_at = timezone.now()
    version.issue_date = today
    version.effective_date = effective_date
    VERSION_WORKFLOW.move(
        version, S.ISSUED, actor=actor, fields=("issued_by", "issued_at", "issue_date", "effective_date")
    )
    record_event(
        event_type=EventType.VERSION_ISSUED,
        target=version,
        actor=actor,
        new={"issue_date": str(today), "effective_date": str(effective_date)},
    )
    if effective_date <= today:
        _supersede_replaced(version, actor=actor, today=today)
    _sync_acknowledgements(version)
    document = version.document
    readers = list(concerned_users(document))
    if readers:
        notify(
            recipients=readers,
            title=_("请阅读并确认新发布的文件：%(code)s %(title)s %(label)s")
            % {"code": document.code, "title": document.title, "label": version.label},
            body=_("生效日期 %(day)s。%(summary)s") % {"day": effective_date, "summary": version.change_summary[:200]},
            url=version_url(version),
            kind="documents.issued",
        )
    return version


@service
def version_supersede(*, actor, version_id, reason: str, expected_version=None) -> DocumentVersion:
    """DOC-1: retire an issued version explicitly (the document withdrawn, or replaced outside the system);
    it stays readable, marked 被替代/废止."""
    require_perm(actor, "documents.issue_documentversion")
    version = _get_version(actor, version_id)
    check_version(version, expected_version)
    VERSION_WORKFLOW.check(version, "supersede")
    reason = _text(reason, 500)
    if not reason:
        raise _refuse(E.REASON_REQUIRED, _("请写明废止原因"), reason=[_("必填")])
    version.retired_at = timezone.now()
    version.retire_reason = reason
    VERSION_WORKFLOW.move(version, S.SUPERSEDED, actor=actor, reason=reason, fields=("retired_at", "retire_reason"))
    record_event(event_type=EventType.VERSION_SUPERSEDED, target=version, actor=actor, message=reason)
    return version


@service
def version_withdraw(*, actor, version_id, reason: str, expected_version=None) -> DocumentVersion:
    """Withdraw (作废) a version that was never issued, with the reason; the document may then be revised anew."""
    require_perm(actor, "documents.change_controlleddocument")
    version = _get_version(actor, version_id)
    check_version(version, expected_version)
    VERSION_WORKFLOW.check(version, "withdraw")
    reason = _text(reason, 500)
    if not reason:
        raise _refuse(E.REASON_REQUIRED, _("请写明作废原因"), reason=[_("必填")])
    version.retired_at = timezone.now()
    version.retire_reason = reason
    VERSION_WORKFLOW.move(version, S.WITHDRAWN, actor=actor, reason=reason, fields=("retired_at", "retire_reason"))
    record_event(event_type=EventType.VERSION_WITHDRAWN, target=version, actor=actor, message=reason)
    return version


# --- acknowledgements -------------------------------------------------------------------------------------


@service
def version_acknowledge(*, actor, version_id) -> Acknowledgement:
    """DOC-1: a user whose role the document names confirms having read an issued version. Once: a second
    confirmation is refused (409 `documents.already_acknowledged`) and changes nothing."""
    version = _get_version(actor, version_id, manage=False)
    VERSION_WORKFLOW.check(version, "acknowledge")
    if not concerned_users(version.document).filter(pk=actor.pk).exists():
        raise PermissionDeniedError(E.NOT_CONCERNED, _("您不是须阅读该文件的岗位人员"))
    row, _created = Acknowledgement.objects.select_for_update().get_or_create(version=version, user=actor)
    if row.acknowledged_at is not None:
        raise ConflictError(
            E.ALREADY_ACKNOWLEDGED,
            _("您已于 %(at)s 确认阅读该版本")
            % {"at": timezone.localtime(row.acknowledged_at).strftime("%Y-%m-%d %H:%M")},
        )
    row.acknowledged_at = timezone.now()
    row.save(update_fields=["acknowledged_at"])
    record_event(event_type=EventType.VERSION_ACKNOWLEDGED, target=version, actor=actor, new={"user": actor.pk})
    return row


# --- the daily job ----------------------------------------------------------------------------------------


@service
def versions_apply_effective(*, actor=None, today: dt.date | None = None) -> int:
    """DOC-1: on its effective date a version issued in advance replaces the one current until then."""
    today = today or timezone.localdate()
    count = 0
    newest = (
        DocumentVersion.objects.filter(status=S.ISSUED, effective_date__lte=today)
        .order_by("document_id", "-effective_date", "-revision")
        .select_related("document")
    )
    seen = set()
    for version in newest:
        if version.document_id in seen:
            continue
        seen.add(version.document_id)
        count += len(_supersede_replaced(version, actor=actor, today=today))
    return count


@service
def acknowledgements_remind(*, actor=None, now: dt.datetime | None = None) -> int:
    """DOC-1: remind the concerned users who have not confirmed an issued version `documents.ack_reminder_days`
    after its issue — one notification per user a day, however often the job runs. Returns the users reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = int(policy_value(ACK_REMINDER_KEY, now))
    due = now - dt.timedelta(days=days)
    issued = DocumentVersion.objects.filter(status=S.ISSUED).select_related("document", "document__org_unit")
    concerned = {version.pk: _sync_acknowledgements(version) for version in issued}
    pending = [
        row
        for row in Acknowledgement.objects.select_for_update(of=("self",))
        .filter(version__status=S.ISSUED, version__issued_at__lte=due, acknowledged_at__isnull=True)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related("version", "version__document", "user")
        .order_by("user_id", "version_id")
        if row.user_id in concerned.get(row.version_id, ())  # who left the role is no longer asked
    ]
    by_user: dict[int, list[Acknowledgement]] = defaultdict(list)
    for row in pending:
        by_user[row.user_id].append(row)
    for rows in by_user.values():
        titles = "；".join(f"{r.version.document.code} {r.version.document.title} {r.version.label}" for r in rows)
        notify(
            recipients=[rows[0].user],
            title=_("您有 %(n)s 份文件尚未确认阅读") % {"n": len(rows)},
            body=titles,
            url=reverse("documents:mine"),
            kind="documents.ack_reminder",
        )
    for row in pending:
        row.reminded_on = today
        row.reminders += 1
    Acknowledgement.objects.bulk_update(pending, ["reminded_on", "reminders"])
    versions = {row.version_id: row.version for row in pending}
    for version_id, version in versions.items():
        record_event(
            event_type=EventType.ACK_REMINDED,
            target=version,
            actor=actor,
            new={"users": sum(1 for row in pending if row.version_id == version_id)},
        )
    return len(by_user)
