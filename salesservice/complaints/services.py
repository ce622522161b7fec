"""Every write of a complaint's handling (CMP-1 … CMP-7). Compensation and the fund are in `compensation.py`.

Each service runs in one transaction (`@service`), locks the complaint it changes, checks the actor's
permission and scope (out of scope → 404, never revealing existence), checks and moves the status only
through `COMPLAINT_WORKFLOW` (`workflows.py`: `check(complaint, "<action>")`, `move(...)`), records a typed
timeline event and notifies whom it concerns. Keyword-only arguments; `actor` is the user acting (None = the system).

State-changing services take an optional `at` (default now) so demo data and imports can replay a past
complaint; it may not lie in the future nor before the complaint was received.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import NotificationLevel, OrgUnitKind
from salesservice.core.directory import level_managers
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
    PermissionDeniedError,
)
from salesservice.core.guards import check_version, checked_moment, require_perm, scoped_get
from salesservice.core.models import Event, OrgUnit, User
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.reasons import Reason
from salesservice.core.scoping import can_see_unit

from . import sla
from .choices import (
    FINAL_STATUSES,
    MAX_LEVEL,
    OPEN_STATUSES,
    CompensationRequestStatus,
    ComplaintChannel,
    ComplaintLevel,
    EventType,
    ResponsibleParty,
)
from .choices import ComplaintStatus as C
from .errors import ComplaintsErrorCode
from .models import Complaint, ComplaintDecision, ComplaintEscalation, ImprovementAction
from .workflows import COMPENSATION_REQUEST_WORKFLOW, COMPLAINT_WORKFLOW

SERIES = "complaint"
# CMP-7 major criteria: the amount at or above which a claim makes a complaint major, when the policy
# parameter `complaint.major_claim_amount` has not been configured yet (a core policy default to add).
DEFAULT_MAJOR_CLAIM_AMOUNT = Decimal("5000")
# CMP-1: a customer in front of us (phone, counter) is told by when we will have handled it.
LIVE_CHANNELS = (ComplaintChannel.HOTLINE, ComplaintChannel.WALK_IN, ComplaintChannel.STORE)
LEVEL_NAMES = {0: "门店", 1: "区部", 2: "总部"}


# --- helpers ---------------------------------------------------------------------------------


def moment(at: dt.datetime | None, complaint: Complaint | None = None) -> dt.datetime:
    return checked_moment(at, prefix="complaint", not_before=complaint.received_at if complaint else None)


def get_complaint(actor, complaint_id, *, lock: bool = True) -> Complaint:
    return scoped_get(
        Complaint,
        actor,
        complaint_id,
        lock=lock,
        code=ComplaintsErrorCode.COMPLAINT_NOT_FOUND,
        message=_("投诉不存在或不在您的范围内"),
    )


WORKFLOW = COMPLAINT_WORKFLOW


def event(complaint, event_type, *, actor, at=None, old=None, new=None, message="") -> Event:
    return record_event(event_type=event_type, target=complaint, actor=actor, old=old, new=new, message=message, at=at)


def _text(value, field: str, code: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(code, message, fields={field: [_("必填")]})
    return value


def money(value, field: str = "amount") -> Decimal:
    """A positive amount of yuan with at most two decimals (bad input → a clear 400)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(
            ComplaintsErrorCode.AMOUNT_INVALID, _("金额无效"), fields={field: [_("请输入金额")]}
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError(ComplaintsErrorCode.AMOUNT_INVALID, _("金额必须大于 0"), fields={field: [_("须大于 0")]})
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(
            ComplaintsErrorCode.AMOUNT_INVALID, _("金额最多两位小数"), fields={field: [_("最多两位小数")]}
        )
    if amount >= Decimal("10000000000"):
        raise DomainError(ComplaintsErrorCode.AMOUNT_INVALID, _("金额过大"), fields={field: [_("金额过大")]})
    return amount.quantize(Decimal("0.01"))


def complaint_url(complaint: Complaint) -> str:
    try:
        return reverse("complaints:complaint-detail", args=[complaint.pk])
    except NoReverseMatch:  # pragma: no cover - before the pages are wired
        return f"/api/v1/complaints/{complaint.pk}/"


def major_claim_amount(at: dt.datetime | None = None) -> Decimal:
    """CMP-7: the claimed amount from which a complaint is major (policy `complaint.major_claim_amount`)."""
    from salesservice.core.policy import policy_value

    try:
        return Decimal(str(policy_value("complaint.major_claim_amount", at)))
    except DomainError:
        return DEFAULT_MAJOR_CLAIM_AMOUNT


def major_reasons(complaint: Complaint, at: dt.datetime | None = None) -> list[str]:
    """Why a complaint is major (CMP-7): amount, media exposure, safety, or flagged by staff."""
    reasons = []
    threshold = major_claim_amount(at)
    if complaint.claimed_amount and complaint.claimed_amount >= threshold:
        reasons.append(
            _("索赔金额 ¥%(amount)s ≥ ¥%(limit)s") % {"amount": complaint.claimed_amount, "limit": threshold}
        )
    if complaint.media_exposure:
        reasons.append(_("媒体曝光"))
    if complaint.safety_issue:
        reasons.append(_("涉及人身/财产安全"))
    return reasons


# --- intake (CMP-1, CMP-2, CMP-7) ----------------------------------------------------------


@service
def complaint_create(
    *,
    actor,
    customer=None,
    channel: str,
    subject: str,
    description: str,
    customer_demand: str = "",
    store: OrgUnit | None = None,
    service_request=None,
    product=None,
    promised_by: dt.datetime | None = None,
    claimed_amount=Decimal("0"),
    media_exposure: bool = False,
    safety_issue: bool = False,
    is_major: bool = False,
    handler=None,
    received_at: dt.datetime | None = None,
) -> Complaint:
    """CMP-1: record a complaint from any channel in full, with the handling deadline promised to the
    customer (required when the customer is in front of us or on the phone); CMP-2: start the 2-hour
    first-response clock; CMP-7: a major complaint (claimed amount ≥ policy threshold, media exposure,
    safety, or flagged) goes straight to HQ.

    `service_request` links a complaint escalated from a service request (both ways: the request lists
    it as `request.complaints`); customer, store and product default to the request's.
    """
    require_perm(actor, "complaints.add_complaint")
    from salesservice.customers.models import Customer
    from salesservice.service.models import ServiceRequest

    if service_request is not None:
        requests = ServiceRequest.objects.all() if actor is None else ServiceRequest.objects.visible_to(actor)
        request_pk = service_request.pk if isinstance(service_request, ServiceRequest) else service_request
        service_request = requests.select_related("customer", "store", "product").filter(pk=request_pk).first()
        if service_request is None:
            raise DomainError(
                ComplaintsErrorCode.COMPLAINT_SERVICE_REQUEST_NOT_FOUND,
                _("服务单不存在或不在您的范围内"),
                fields={"service_request": [_("无效")]},
            )
        customer = customer or service_request.customer
        store = store or service_request.store
        product = product or service_request.product
    customers = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    customer_pk = customer.pk if isinstance(customer, Customer) else customer
    customer = customers.select_related("store").filter(pk=customer_pk).first() if customer_pk else None
    if customer is None:
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_CUSTOMER_NOT_FOUND,
            _("客户不存在或不在您的范围内"),
            fields={"customer": [_("无效")]},
        )
    if service_request is not None and service_request.customer_id != customer.pk:
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_SERVICE_REQUEST_CUSTOMER,
            _("服务单 %(number)s 不属于该客户") % {"number": service_request.number},
            fields={"service_request": [_("客户不一致")]},
        )
    store = store or customer.store
    if store.kind != OrgUnitKind.STORE:
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_INVALID_STORE, _("受理门店必须是门店"), fields={"store": [_("请选择门店")]}
        )
    if actor is not None and not can_see_unit(actor, store.pk):
        raise PermissionDeniedError(
            ComplaintsErrorCode.COMPLAINT_STORE_OUT_OF_SCOPE,
            _("所选门店不在您的管辖范围内"),
            fields={"store": [_("超出范围")]},
        )
    if channel not in ComplaintChannel.values:
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_INVALID_CHANNEL, _("无效的渠道"), fields={"channel": [_("无效")]}
        )
    subject = _text(subject, "subject", ComplaintsErrorCode.COMPLAINT_SUBJECT_REQUIRED, _("请填写投诉主题"))[:200]
    description = _text(
        description, "description", ComplaintsErrorCode.COMPLAINT_DESCRIPTION_REQUIRED, _("请填写投诉内容")
    )
    claimed_amount = Decimal("0") if claimed_amount in (None, "") else claimed_amount
    try:
        claimed_amount = Decimal(str(claimed_amount))
    except (InvalidOperation, ValueError):
        raise DomainError(
            ComplaintsErrorCode.AMOUNT_INVALID, _("索赔金额无效"), fields={"claimed_amount": [_("请输入金额")]}
        ) from None
    if not claimed_amount.is_finite() or claimed_amount < 0:
        raise DomainError(
            ComplaintsErrorCode.AMOUNT_INVALID, _("索赔金额不能为负"), fields={"claimed_amount": [_("无效")]}
        )
    if claimed_amount:
        claimed_amount = money(claimed_amount, "claimed_amount")
    received_at = moment(received_at)
    if promised_by is not None:
        if timezone.is_naive(promised_by):
            raise DomainError(
                ComplaintsErrorCode.COMPLAINT_NAIVE_DATETIME, _("时间必须带时区"), fields={"promised_by": [_("无效")]}
            )
        if promised_by <= received_at:
            raise DomainError(
                ComplaintsErrorCode.COMPLAINT_PROMISE_IN_PAST,
                _("承诺处理时限须晚于受理时间"),
                fields={"promised_by": [_("须晚于受理时间")]},
            )
    elif channel in LIVE_CHANNELS:
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_PROMISE_REQUIRED,
            _("请填写向客户承诺的处理时限"),
            fields={"promised_by": [_("必填")]},
        )
    if handler is not None and not can_see_unit(handler, store.pk):
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_HANDLER_OUT_OF_SCOPE,
            _("处理人不属于该门店的范围"),
            fields={"handler": [_("超出范围")]},
        )
    complaint = Complaint(
        number=next_number(SERIES, at=received_at, series=dict(name="投诉单", prefix="CP", reset="daily")),
        customer=customer,
        store=store,
        channel=channel,
        service_request=service_request,
        product=product,
        subject=subject,
        description=description,
        customer_demand=(customer_demand or "").strip(),
        promised_by=promised_by,
        claimed_amount=claimed_amount,
        media_exposure=bool(media_exposure),
        safety_issue=bool(safety_issue),
        received_at=received_at,
        handler=handler or actor,
        created_by=actor,
    )
    reasons = major_reasons(complaint, received_at)
    complaint.is_major = bool(is_major) or bool(reasons)
    terms = sla.terms_at(received_at)
    sla.start_clocks(complaint, terms)
    if complaint.is_major:
        complaint.level = ComplaintLevel.HQ
    complaint.save()
    event(
        complaint,
        EventType.COMPLAINT_CREATED,
        actor=actor,
        at=received_at,
        new={
            "number": complaint.number,
            "channel": channel,
            "store": store.pk,
            "is_major": complaint.is_major,
            "service_request": service_request.pk if service_request else None,
        },
    )
    if complaint.is_major:
        why = "、".join(reasons) or _("人工标记")
        ComplaintEscalation.objects.create(
            complaint=complaint,
            from_level=ComplaintLevel.STORE,
            to_level=ComplaintLevel.HQ,
            at=received_at,
            automatic=False,
            next_due_at=complaint.escalation_due_at,
            reason=(_("重大投诉直接由总部处理：%(why)s") % {"why": why})[:300],
            escalated_by=actor,
        )
        event(
            complaint,
            EventType.ESCALATED,
            actor=actor,
            at=received_at,
            old={"level": 0},
            new={"level": 2, "major": True},
            message=why,
        )
        notify(
            recipients=level_managers(store, ComplaintLevel.HQ),
            title=_("重大投诉：%(number)s") % {"number": complaint.number},
            body=_("%(store)s 受理重大投诉（%(why)s）：%(subject)s")
            % {"store": store.name, "why": why, "subject": subject[:60]},
            url=complaint_url(complaint),
            kind="complaints.major",
            level=NotificationLevel.URGENT,
        )
    return complaint


# --- the flow (CMP-2 … CMP-5) ---------------------------------------------------------------


@service
def complaint_respond(
    *, actor, complaint_id: int, note: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> Complaint:
    """CMP-2: the first reply to the customer (within 2 h) — stops the first-response clock."""
    require_perm(actor, "complaints.change_complaint")
    note = _text(note, "note", ComplaintsErrorCode.COMPLAINT_NOTE_REQUIRED, _("请填写答复内容"))
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    if complaint.status in FINAL_STATUSES:
        raise ConflictError(ComplaintsErrorCode.COMPLAINT_FINAL, _("已结案、取消或撤诉的投诉不能再操作"))
    if complaint.first_responded_at is not None:
        raise ConflictError(ComplaintsErrorCode.COMPLAINT_ALREADY_RESPONDED, _("已记录过首次答复"))
    now = moment(at, complaint)
    complaint.first_responded_at = now
    complaint.first_response_note = note[:500]
    complaint.version += 1
    complaint.save(update_fields=["first_responded_at", "first_response_note", "version", "updated_at"])
    event(
        complaint,
        EventType.COMPLAINT_RESPONDED,
        actor=actor,
        at=at,
        new={"first_responded_at": now.isoformat(), "within_sla": now <= complaint.first_response_due_at},
        message=note,
    )
    return complaint


@service
def complaint_verify(
    *,
    actor,
    complaint_id: int,
    notes: str,
    departments: str = "",
    responsible_party: str = "",
    responsible_provider=None,
    responsible_user=None,
    responsible_detail: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Complaint:
    """CMP-3 (seed 003 問題核實): verify with the departments involved and find the responsible party.

    The first call moves 受理 → 核实; later calls while 核实 add notes (another department's answer).
    CMP-2: the departments that must help are told (`departments` is recorded on the complaint).
    """
    require_perm(actor, "complaints.change_complaint")
    notes = _text(notes, "notes", ComplaintsErrorCode.COMPLAINT_NOTES_REQUIRED, _("请填写核实情况"))
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    WORKFLOW.check(complaint, "verify")  # from 核实 it records further notes without a move
    now = moment(at, complaint)
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    author = actor.name if actor is not None else _("系统")
    entry = f"[{stamp} {author}] {notes}"
    complaint.verification_notes = f"{complaint.verification_notes}\n{entry}".strip()
    departments = (departments or "").strip()
    if departments:
        known = [d for d in complaint.departments_consulted.split("、") if d]
        for name in departments.replace(",", "、").replace("，", "、").split("、"):
            if name.strip() and name.strip() not in known:
                known.append(name.strip())
        complaint.departments_consulted = "、".join(known)[:300]
    fields = ["verification_notes", "departments_consulted"]
    if responsible_party:
        _set_responsibility(complaint, responsible_party, responsible_provider, responsible_user, responsible_detail)
        fields += ["responsible_party", "responsible_provider", "responsible_user", "responsible_detail"]
    if complaint.status == C.VERIFYING:
        complaint.version += 1
        complaint.save(update_fields=[*fields, "version", "updated_at"])
    else:
        WORKFLOW.move(complaint, C.VERIFYING, actor=actor, reason=notes, fields=fields, at=now)
    event(
        complaint,
        EventType.COMPLAINT_VERIFIED,
        actor=actor,
        at=at,
        new={"departments": complaint.departments_consulted, "responsible_party": complaint.responsible_party},
        message=notes,
    )
    if responsible_party:
        from .compensation import sync_recovery

        sync_recovery(complaint, actor=actor)
    return complaint


def responsibility_refusals(party: str, provider, user, detail: str) -> list[Reason]:
    """CMP-3: who exactly is responsible — a provider, a staff member, or the manufacturer/department named."""
    reasons = []
    if party not in ResponsibleParty.values:
        return [Reason(ComplaintsErrorCode.COMPLAINT_RESPONSIBLE_PARTY_REQUIRED, _("请选择责任方"))]
    if party == ResponsibleParty.PROVIDER and provider is None:
        reasons.append(
            Reason(ComplaintsErrorCode.COMPLAINT_RESPONSIBLE_PROVIDER_REQUIRED, _("责任方为外协网点时须选择网点"))
        )
    if party == ResponsibleParty.STAFF and user is None:
        reasons.append(
            Reason(ComplaintsErrorCode.COMPLAINT_RESPONSIBLE_USER_REQUIRED, _("责任方为员工时须选择责任员工"))
        )
    if party in (ResponsibleParty.MANUFACTURER, ResponsibleParty.OUR_DEPARTMENT) and not (detail or "").strip():
        reasons.append(
            Reason(ComplaintsErrorCode.COMPLAINT_RESPONSIBLE_DETAIL_REQUIRED, _("请填写责任厂家或责任部门名称"))
        )
    return reasons


def _set_responsibility(complaint, party, provider, user, detail) -> None:
    reasons = responsibility_refusals(party, provider, user, detail)
    if reasons:
        raise DomainError(reasons[0].code, reasons[0].message, fields={"responsible_party": [reasons[0].message]})
    complaint.responsible_party = party
    complaint.responsible_provider = provider if party == ResponsibleParty.PROVIDER else None
    complaint.responsible_user = user if party == ResponsibleParty.STAFF else None
    complaint.responsible_detail = (detail or "").strip()[:200]


@service
def complaint_propose(
    *,
    actor,
    complaint_id: int,
    solution: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Complaint:
    """CMP-4 (seed 003 解決方案制定): a solution for the customer — or a revised one after a refusal."""
    require_perm(actor, "complaints.change_complaint")
    solution = _text(solution, "solution", ComplaintsErrorCode.COMPLAINT_SOLUTION_REQUIRED, _("请填写解决方案"))
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    WORKFLOW.check(complaint, "propose")
    now = moment(at, complaint)
    old = complaint.solution
    complaint.solution = solution
    complaint.solution_proposed_at = now
    WORKFLOW.move(complaint, C.SOLUTION_PROPOSED, actor=actor, fields=("solution", "solution_proposed_at"), at=now)
    event(complaint, EventType.SOLUTION_PROPOSED, actor=actor, at=at, old={"solution": old[:200]} if old else None,
          new={"solution": solution[:200]}, message=solution[:200])  # fmt: skip
    return complaint


@service
def complaint_agree(
    *, actor, complaint_id: int, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> Complaint:
    """CMP-4 (seed 003 溝通反饋): the customer accepts the proposed solution."""
    require_perm(actor, "complaints.change_complaint")
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    WORKFLOW.check(complaint, "agree")
    now = moment(at, complaint)
    ComplaintDecision.objects.create(
        complaint=complaint, agreed=True, solution=complaint.solution, reason=(note or "").strip(),
        decided_at=now, recorded_by=actor,
    )  # fmt: skip
    complaint.agreed_at = now
    WORKFLOW.move(complaint, C.AGREED, actor=actor, reason=note, fields=("agreed_at",), at=now)
    event(complaint, EventType.CUSTOMER_AGREED, actor=actor, at=at, message=note)
    return complaint


@service
def complaint_refuse(
    *, actor, complaint_id: int, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> Complaint:
    """CMP-4: the customer does not accept the solution — recorded with the reason; the complaint stays at
    方案 (solution_proposed) for a revised proposal."""
    require_perm(actor, "complaints.change_complaint")
    reason = _text(reason, "reason", ComplaintsErrorCode.COMPLAINT_REASON_REQUIRED, _("请填写客户不认可的原因"))
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    WORKFLOW.check(complaint, "refuse")  # only an answer to a proposed solution, not a way out of 核实
    now = moment(at, complaint)
    ComplaintDecision.objects.create(
        complaint=complaint, agreed=False, solution=complaint.solution, reason=reason, decided_at=now,
        recorded_by=actor,
    )  # fmt: skip
    WORKFLOW.move(complaint, C.SOLUTION_PROPOSED, actor=actor, reason=reason, at=now)
    event(complaint, EventType.CUSTOMER_REFUSED, actor=actor, at=at, message=reason)
    notify(
        recipients=[complaint.handler] if complaint.handler_id and complaint.handler_id != getattr(actor, "pk", None)
        else [],
        title=_("客户不认可方案：%(number)s") % {"number": complaint.number},
        body=reason[:200],
        url=complaint_url(complaint),
        kind="complaints.refused",
    )  # fmt: skip
    return complaint


@service
def complaint_implement(
    *, actor, complaint_id: int, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> Complaint:
    """CMP-4: handle the complaint as agreed. From 结果反馈 it means the customer was not satisfied with the
    result and it is handled again (CMP-6, tracked to satisfaction) — a note is then required."""
    require_perm(actor, "complaints.change_complaint")
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    WORKFLOW.check(complaint, "implement")
    note = (note or "").strip()
    if complaint.status == C.FEEDBACK_GIVEN and not note:
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_REASON_REQUIRED,
            _("请填写客户对结果不满意的原因"),
            fields={"note": [_("必填")]},
        )
    now = moment(at, complaint)
    fields = ["implementation_notes"]
    if complaint.implemented_at is None:
        complaint.implemented_at = now
        fields.append("implemented_at")
    if note:
        stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
        complaint.implementation_notes = f"{complaint.implementation_notes}\n[{stamp}] {note}".strip()
    WORKFLOW.move(complaint, C.IMPLEMENTING, actor=actor, reason=note, fields=fields, at=now)
    event(complaint, EventType.IMPLEMENTING, actor=actor, at=at, message=note)
    return complaint


@service
def complaint_feedback(
    *,
    actor,
    complaint_id: int,
    feedback: str,
    satisfaction: int | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Complaint:
    """CMP-4 (seed 003 "及時向客戶反饋處理結果"): the result told to the customer, with their satisfaction (CMP-6)."""
    require_perm(actor, "complaints.change_complaint")
    feedback = _text(
        feedback, "feedback", ComplaintsErrorCode.COMPLAINT_FEEDBACK_REQUIRED, _("请填写向客户反馈的处理结果")
    )
    if satisfaction is not None and not (isinstance(satisfaction, int) and 1 <= satisfaction <= 5):
        raise DomainError(
            ComplaintsErrorCode.COMPLAINT_INVALID_SATISFACTION, _("满意度须为 1–5"), fields={"satisfaction": [_("1–5")]}
        )
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    WORKFLOW.check(complaint, "feedback")
    now = moment(at, complaint)
    complaint.feedback = feedback
    complaint.feedback_given_at = now
    fields = ["feedback", "feedback_given_at"]
    if satisfaction is not None:
        complaint.satisfaction = satisfaction
        fields.append("satisfaction")
    WORKFLOW.move(complaint, C.FEEDBACK_GIVEN, actor=actor, fields=fields, at=now)
    event(complaint, EventType.FEEDBACK_GIVEN, actor=actor, at=at, new={"satisfaction": satisfaction},
          message=feedback[:200])  # fmt: skip
    return complaint


def close_refusals(complaint: Complaint, *, root_cause: str, responsible_party: str, responsible_provider=None,
                   responsible_user=None, responsible_detail: str = "", new_actions: int = 0) -> list[Reason]:  # fmt: skip
    """CMP-5 (seed 003 總結改進): everything closing needs — empty means the complaint may close."""
    reasons = []
    if not (root_cause or "").strip():
        reasons.append(Reason(ComplaintsErrorCode.CLOSE_ROOT_CAUSE_REQUIRED, _("结案须填写根本原因")))
    reasons += responsibility_refusals(responsible_party, responsible_provider, responsible_user, responsible_detail)
    if not new_actions and not complaint.improvement_actions.exists():
        reasons.append(
            Reason(ComplaintsErrorCode.CLOSE_IMPROVEMENT_REQUIRED, _("结案须至少登记一项改进措施（负责人、完成期限）"))
        )
    if complaint.compensation_requests.filter(status=CompensationRequestStatus.PENDING).exists():
        reasons.append(
            Reason(ComplaintsErrorCode.CLOSE_PENDING_COMPENSATION, _("还有待审批的超权限赔付申请，不能结案"))
        )
    return reasons


def require_level_authority(actor, complaint: Complaint, what) -> None:
    """CMP-7 (issue 12 §12): the handling level limits who decides. A complaint escalated to the region is
    closed or paid by the region or HQ, one escalated to HQ by HQ — a store manager is refused (403)."""
    if actor is None:
        return
    from .compensation import authority_level

    if authority_level(actor) < complaint.level:
        raise PermissionDeniedError(
            ComplaintsErrorCode.COMPLAINT_LEVEL_AUTHORITY,
            _("该投诉已升级至%(level)s处理，您所在层级不能%(what)s")
            % {"level": complaint.get_level_display(), "what": what},
        )


@service
def complaint_close(
    *,
    actor,
    complaint_id: int,
    root_cause: str,
    responsible_party: str,
    responsible_provider=None,
    responsible_user=None,
    responsible_detail: str = "",
    improvement_actions=(),
    satisfaction: int | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Complaint:
    """CMP-5: close with the root cause, the responsible party and at least one improvement action (owner,
    due date) — given here (`improvement_actions`: dicts of description, owner, due_date) or added before.

    CMP-8: when the responsible party is a manufacturer, a provider or a staff member and the fund paid
    out on this complaint, a recovery is opened for what was paid. Refused → 400 with every reason.
    """
    require_perm(actor, "complaints.close_complaint")
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    WORKFLOW.check(complaint, "close")
    require_level_authority(actor, complaint, _("结案"))
    now = moment(at, complaint)
    actions = list(improvement_actions or ())
    reasons = close_refusals(
        complaint,
        root_cause=root_cause,
        responsible_party=responsible_party,
        responsible_provider=responsible_provider,
        responsible_user=responsible_user,
        responsible_detail=responsible_detail,
        new_actions=len(actions),
    )
    if reasons:
        fields = {"reasons": [r.as_dict() for r in reasons]}
        field_of = {
            ComplaintsErrorCode.CLOSE_ROOT_CAUSE_REQUIRED: "root_cause",
            ComplaintsErrorCode.CLOSE_IMPROVEMENT_REQUIRED: "improvement_description",
        }
        for reason in reasons:
            fields.setdefault(field_of.get(reason.code, "responsible_party"), [str(reason.message)])
        raise DomainError(reasons[0].code, "；".join(str(r.message) for r in reasons), fields=fields)
    for item in actions:
        _add_action(complaint, actor=actor, **item)
    if satisfaction is not None:
        if not (isinstance(satisfaction, int) and 1 <= satisfaction <= 5):
            raise DomainError(
                ComplaintsErrorCode.COMPLAINT_INVALID_SATISFACTION,
                _("满意度须为 1–5"),
                fields={"satisfaction": [_("1–5")]},
            )
        complaint.satisfaction = satisfaction
    _set_responsibility(complaint, responsible_party, responsible_provider, responsible_user, responsible_detail)
    complaint.root_cause = root_cause.strip()
    complaint.closed_at = now
    complaint.closed_by = actor
    WORKFLOW.move(
        complaint,
        C.CLOSED,
        actor=actor,
        at=now,
        fields=(
            "root_cause", "responsible_party", "responsible_provider", "responsible_user", "responsible_detail",
            "closed_at", "closed_by", "satisfaction",
        ),
    )  # fmt: skip
    event(
        complaint,
        EventType.COMPLAINT_CLOSED,
        actor=actor,
        at=at,
        new={"responsible_party": responsible_party, "improvement_actions": complaint.improvement_actions.count()},
        message=complaint.root_cause[:200],
    )
    from .compensation import sync_recovery

    sync_recovery(complaint, actor=actor)
    return complaint


def _end(complaint_id, *, actor, action, reason, event_type, expected_version, at) -> Complaint:
    require_perm(actor, "complaints.change_complaint")
    reason = _text(reason, "reason", ComplaintsErrorCode.COMPLAINT_REASON_REQUIRED, _("请填写原因"))
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    to_status = WORKFLOW.check(complaint, action).target
    if complaint.compensation_entries.exists():
        raise ConflictError(
            ComplaintsErrorCode.COMPLAINT_HAS_PAYOUTS, _("已先行赔付的投诉不能取消或撤诉，请按流程结案")
        )
    now = moment(at, complaint)
    complaint.cancelled_at = now
    complaint.cancel_reason = reason[:300]
    WORKFLOW.move(complaint, to_status, actor=actor, reason=reason, fields=("cancelled_at", "cancel_reason"), at=now)
    # Over-limit payouts still waiting for approval are rejected with the complaint.
    pending = complaint.compensation_requests.select_for_update().filter(status=CompensationRequestStatus.PENDING)
    for request in pending:
        request.decided_at = now
        request.decision_note = _("投诉已取消/撤诉")
        COMPENSATION_REQUEST_WORKFLOW.move(
            request, CompensationRequestStatus.REJECTED, actor=actor, reason=request.decision_note,
            fields=("decided_at", "decision_note"), at=now,
        )  # fmt: skip
    event(complaint, event_type, actor=actor, at=at, message=reason)
    return complaint


@service
def complaint_cancel(
    *, actor, complaint_id: int, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> Complaint:
    """Cancel a complaint registered in error or twice (before the customer agreed a solution)."""
    return _end(complaint_id, actor=actor, action="cancel", reason=reason,
                event_type=EventType.COMPLAINT_CANCELLED, expected_version=expected_version, at=at)  # fmt: skip


@service
def complaint_withdraw(
    *, actor, complaint_id: int, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> Complaint:
    """The customer withdraws the complaint (before the work starts)."""
    return _end(complaint_id, actor=actor, action="withdraw", reason=reason,
                event_type=EventType.COMPLAINT_WITHDRAWN, expected_version=expected_version, at=at)  # fmt: skip


# --- three-level handling (CMP-7) -------------------------------------------------------------


@service
def complaint_escalate(
    *, actor, complaint_id: int, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> Complaint:
    """CMP-7 (seed 004 通程): pass the complaint up — store → region → HQ (服管处) — with the reason.

    The new level gets a full escalation window and its managers are told.
    """
    require_perm(actor, "complaints.change_complaint")
    reason = _text(reason, "reason", ComplaintsErrorCode.COMPLAINT_REASON_REQUIRED, _("请填写升级原因"))
    complaint = get_complaint(actor, complaint_id)
    check_version(complaint, expected_version)
    if complaint.status in FINAL_STATUSES:
        raise ConflictError(ComplaintsErrorCode.COMPLAINT_FINAL, _("已结案、取消或撤诉的投诉不能升级"))
    if complaint.level >= MAX_LEVEL:
        raise ConflictError(ComplaintsErrorCode.ESCALATION_MAX_LEVEL, _("投诉已由总部处理，不能再升级"))
    now = moment(at, complaint)
    terms = sla.terms_at(complaint.received_at)
    next_due = sla.restart_escalation_clock(complaint, now, terms)
    escalate_to(complaint, level=complaint.level + 1, at=now, next_due=next_due, reason=reason, actor=actor)
    complaint.version += 1
    complaint.save(update_fields=["level", "escalation_due_at", "escalation_exhausted_at", "version", "updated_at"])
    return complaint


def escalate_to(complaint, *, level, at, next_due, reason, actor=None, automatic=False, due_at=None) -> None:
    """Record one step up (the row, the event, the notification); the caller saves the complaint."""
    old_level = complaint.level
    ComplaintEscalation.objects.create(
        complaint=complaint, from_level=old_level, to_level=level, at=at, automatic=automatic, due_at=due_at,
        next_due_at=next_due, reason=str(reason)[:300], escalated_by=actor,
    )  # fmt: skip
    complaint.level = level
    complaint.escalation_due_at = next_due
    complaint.escalation_exhausted_at = None
    event(
        complaint,
        EventType.ESCALATED,
        actor=actor,
        old={"level": old_level},
        new={"level": level, "escalation_due_at": next_due.isoformat(), "automatic": automatic},
        message=reason,
    )
    store = OrgUnit.objects.get(pk=complaint.store_id)
    notify(
        recipients=level_managers(store, level),
        title=_("投诉升级至%(level)s：%(number)s") % {"level": LEVEL_NAMES[level], "number": complaint.number},
        body=_("%(store)s 的投诉 %(number)s（%(subject)s）已升级到%(level)s：%(reason)s")
        % {
            "store": store.name,
            "number": complaint.number,
            "subject": complaint.subject[:60],
            "level": LEVEL_NAMES[level],
            "reason": reason,
        },
        url=complaint_url(complaint),
        kind="complaints.escalated",
        level=NotificationLevel.URGENT,
    )


# --- improvement actions (CMP-5) ------------------------------------------------------------


def _add_action(complaint, *, actor, description, owner, due_date) -> ImprovementAction:
    description = _text(
        description,
        "improvement_description",
        ComplaintsErrorCode.IMPROVEMENT_DESCRIPTION_REQUIRED,
        _("请填写改进措施"),
    )
    if owner is None or not isinstance(owner, User) or not owner.is_active:
        raise DomainError(
            ComplaintsErrorCode.IMPROVEMENT_OWNER_REQUIRED,
            _("请选择改进措施负责人"),
            fields={"improvement_owner": [_("必填")]},
        )
    if due_date is None:
        raise DomainError(
            ComplaintsErrorCode.IMPROVEMENT_DUE_DATE_REQUIRED,
            _("请填写改进措施完成期限"),
            fields={"improvement_due_date": [_("必填")]},
        )
    if due_date < timezone.localdate():
        raise DomainError(
            ComplaintsErrorCode.IMPROVEMENT_DUE_DATE_PAST,
            _("完成期限不能早于今天"),
            fields={"improvement_due_date": [_("不能早于今天")]},
        )
    action = ImprovementAction.objects.create(
        complaint=complaint, description=description, owner=owner, due_date=due_date, created_by=actor
    )
    event(complaint, EventType.IMPROVEMENT_ADDED, actor=actor,
          new={"action": action.pk, "owner": owner.pk, "due_date": due_date.isoformat()},
          message=description[:200])  # fmt: skip
    if owner.pk != getattr(actor, "pk", None):
        notify(
            recipients=[owner],
            title=_("改进措施：%(number)s") % {"number": complaint.number},
            body=_("%(desc)s（期限 %(due)s）") % {"desc": description[:100], "due": due_date.isoformat()},
            url=complaint_url(complaint),
            kind="complaints.improvement",
        )
    return action


@service
def improvement_action_add(
    *, actor, complaint_id: int, description: str, owner, due_date: dt.date
) -> ImprovementAction:
    """CMP-5: a measure to prevent recurrence, with an owner and a due date (also after closing)."""
    require_perm(actor, "complaints.change_complaint")
    complaint = get_complaint(actor, complaint_id)
    if complaint.status in (C.CANCELLED, C.WITHDRAWN):
        raise ConflictError(ComplaintsErrorCode.COMPLAINT_FINAL, _("已取消或撤诉的投诉不能登记改进措施"))
    return _add_action(complaint, actor=actor, description=description, owner=owner, due_date=due_date)


@service
def improvement_action_done(
    *, actor, action_id: int, note: str = "", at: dt.datetime | None = None
) -> ImprovementAction:
    """CMP-5: the measure is in place — confirmed by its owner or by someone who may close complaints."""
    queryset = ImprovementAction.objects.all() if actor is None else ImprovementAction.objects.visible_to(actor)
    owned = ImprovementAction.objects.filter(owner=actor) if actor is not None else ImprovementAction.objects.none()
    action = (queryset | owned).select_related("complaint").filter(pk=action_id).first()
    if action is None:
        raise NotFoundError(ComplaintsErrorCode.IMPROVEMENT_NOT_FOUND, _("改进措施不存在或不在您的范围内"))
    if actor is not None and action.owner_id != actor.pk and not actor.has_perm("complaints.close_complaint"):
        raise PermissionDeniedError(
            ComplaintsErrorCode.PERMISSION_DENIED, _("只有负责人或有结案权限的人员可以确认完成")
        )
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at is not None:
        raise ConflictError(ComplaintsErrorCode.IMPROVEMENT_ALREADY_DONE, _("该改进措施已确认完成"))
    action.done_at = moment(at)
    action.done_by = actor
    action.done_note = (note or "").strip()[:300]
    action.save(update_fields=["done_at", "done_by", "done_note"])
    event(action.complaint, EventType.IMPROVEMENT_DONE, actor=actor, new={"action": action.pk},
          message=(note or action.description)[:200])  # fmt: skip
    return action


__all__ = [
    "OPEN_STATUSES",
    "complaint_agree",
    "complaint_cancel",
    "complaint_close",
    "complaint_create",
    "complaint_escalate",
    "complaint_feedback",
    "complaint_implement",
    "complaint_propose",
    "complaint_refuse",
    "complaint_respond",
    "complaint_verify",
    "complaint_withdraw",
    "improvement_action_add",
    "improvement_action_done",
]
