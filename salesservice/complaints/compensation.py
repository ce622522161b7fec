"""Advance compensation from the after-sales fund — CMP-8 (seed 004 通程 先行理赔垫付).

- The fund's balance is the sum of its ledger (top-ups + recoveries − payouts). Every change locks the
  fund row (`SELECT … FOR UPDATE`) first, so parallel payouts queue and the balance can **never** go
  negative (`fund.insufficient`, 409); a CHECK constraint backs it up.
- A handler pays within the authority of **their own org level** (policy
  `complaint.compensation_limit_store` / `_region` / `_hq`): store staff the store limit, region staff the
  region's, HQ staff HQ's. Above it the payout becomes a `CompensationRequest` that someone of a higher
  level whose limit covers the amount approves (the payout is then made) or rejects.
- When the responsible party is a manufacturer, a provider or a staff member, what was paid on the
  complaint is recovered from them: an open `Recovery` follows the payouts; settling it writes a
  `recovery` line that puts the money back into the fund.

Requests and recoveries change status only through their workflows (`workflows.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import NotificationLevel, OrgUnitKind
from salesservice.core.directory import level_managers
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.guards import require_perm
from salesservice.core.policy import policy_value
from salesservice.core.scoping import visible_unit_ids

from .choices import (
    PAYABLE_STATUSES,
    RECOVERABLE_PARTIES,
    CompensationRequestStatus,
    ComplaintLevel,
    EntryKind,
    EventType,
    RecoveryStatus,
    ResponsibleParty,
)
from .errors import ComplaintsErrorCode
from .models import CompensationEntry, CompensationFund, CompensationRequest, Complaint, Recovery
from .services import NotFoundError, complaint_url, event, get_complaint, money
from .workflows import COMPENSATION_REQUEST_WORKFLOW, RECOVERY_WORKFLOW

LIMIT_KEYS = {
    ComplaintLevel.STORE: "complaint.compensation_limit_store",
    ComplaintLevel.REGION: "complaint.compensation_limit_region",
    ComplaintLevel.HQ: "complaint.compensation_limit_hq",
}
FUND_CODE = "company"


@dataclass
class PayOutcome:
    """What `compensation_pay` did: paid (`entry`) or sent for approval (`pending`)."""

    entry: CompensationEntry | None = None
    pending: CompensationRequest | None = None

    @property
    def paid(self) -> bool:
        return self.entry is not None


# --- authority (CMP-7, CMP-8) ----------------------------------------------------------------


def authority_level(user) -> int:
    """The org level a user acts at: HQ (the company or an HQ department) 2, a region 1, a store 0."""
    if user is None or user.is_superuser or visible_unit_ids(user) is None:
        return ComplaintLevel.HQ
    kinds = {m.org_unit.kind for m in user.memberships.select_related("org_unit")}
    if OrgUnitKind.REGION in kinds:
        return ComplaintLevel.REGION
    return ComplaintLevel.STORE


def authority_limit(level: int, at: dt.datetime | None = None) -> Decimal:
    """CMP-8: the single-payout limit of a level, from the policy in force."""
    return Decimal(str(policy_value(LIMIT_KEYS[ComplaintLevel(level)], at))).quantize(Decimal("0.01"))


def actor_limit(user, at: dt.datetime | None = None) -> tuple[int, Decimal]:
    level = authority_level(user)
    return level, authority_limit(level, at)


def approving_level(amount: Decimal, above: int, at: dt.datetime | None = None) -> int | None:
    """The lowest level above `above` whose limit covers `amount` (None: beyond HQ's authority)."""
    for level in range(above + 1, ComplaintLevel.HQ + 1):
        if authority_limit(level, at) >= amount:
            return level
    return None


# --- the fund ----------------------------------------------------------------------------------


def fund_get() -> CompensationFund:
    """The company's after-sales fund (created empty on first use)."""
    fund, _created = CompensationFund.objects.get_or_create(code=FUND_CODE, defaults={"name": "售后服务基金"})
    return fund


def _locked_fund() -> CompensationFund:
    fund_get()
    return CompensationFund.objects.select_for_update().get(code=FUND_CODE)


def _write(fund: CompensationFund, *, kind, amount, actor, note="", complaint=None, approved_by=None, at=None):
    """Add one ledger line and move the balance — the caller holds the fund's row lock."""
    if kind == EntryKind.PAYOUT:
        if fund.balance < amount:
            raise ConflictError(
                ComplaintsErrorCode.FUND_INSUFFICIENT,
                _("售后基金余额不足：余额 ¥%(balance)s，需支付 ¥%(amount)s")
                % {"balance": fund.balance, "amount": amount},
                fields={"amount": [_("超过基金余额")], "balance": str(fund.balance)},
            )
        fund.balance -= amount
    else:
        fund.balance += amount
    fund.save(update_fields=["balance", "updated_at"])
    return CompensationEntry.objects.create(
        fund=fund, kind=kind, amount=amount, balance_after=fund.balance, complaint=complaint,
        note=(note or "").strip()[:300], created_by=actor, approved_by=approved_by, created_at=at or timezone.now(),
    )  # fmt: skip


@service
def fund_top_up(*, actor, amount, note: str = "", at: dt.datetime | None = None) -> CompensationEntry:
    """CMP-8: money put into the after-sales fund (needs `manage_compensation_fund`)."""
    require_perm(actor, "complaints.manage_compensation_fund")
    amount = money(amount)
    note = (note or "").strip()
    if not note:
        raise DomainError(
            ComplaintsErrorCode.FUND_NOTE_REQUIRED, _("请填写注资说明（来源/批文）"), fields={"note": [_("必填")]}
        )
    fund = _locked_fund()
    entry = _write(fund, kind=EntryKind.TOP_UP, amount=amount, actor=actor, note=note, at=at)
    from salesservice.core.events import record_event

    record_event(event_type=EventType.FUND_TOPPED_UP, target=fund, actor=actor,
                 new={"amount": str(amount), "balance": str(fund.balance)}, message=note)  # fmt: skip
    return entry


# --- payouts -----------------------------------------------------------------------------------


def _payable(complaint: Complaint) -> None:
    if complaint.status not in PAYABLE_STATUSES:
        raise ConflictError(
            ComplaintsErrorCode.COMPENSATION_INVALID_STATUS,
            _("投诉当前为“%(status)s”，不能先行赔付") % {"status": complaint.get_status_display()},
        )


def _pay(complaint, *, amount, actor, approved_by=None, note="", at=None) -> CompensationEntry:
    fund = _locked_fund()
    entry = _write(fund, kind=EntryKind.PAYOUT, amount=amount, actor=actor, approved_by=approved_by, note=note,
                   complaint=complaint, at=at)  # fmt: skip
    event(complaint, EventType.COMPENSATION_PAID, actor=approved_by or actor, at=at,
          new={"amount": str(amount), "entry": entry.pk, "balance": str(fund.balance),
               "approved_by": approved_by.pk if approved_by else None},
          message=note)  # fmt: skip
    sync_recovery(complaint, actor=approved_by or actor)
    return entry


@service
def compensation_pay(*, actor, complaint_id: int, amount, note: str = "", at: dt.datetime | None = None) -> PayOutcome:
    """CMP-8: pay the customer from the fund on this complaint.

    Within the actor's level authority it is paid at once (balance checked under the fund's row lock:
    `fund.insufficient`). Above it a pending `CompensationRequest` is created for the lowest higher level
    whose limit covers the amount, and its managers are told; beyond HQ's limit it is refused
    (`compensation.over_hq_limit`: the general manager decides outside the system).
    """
    require_perm(actor, "complaints.pay_compensation")
    amount = money(amount)
    complaint = get_complaint(actor, complaint_id)
    _payable(complaint)
    note = (note or "").strip()
    level, limit = actor_limit(actor, at)
    if amount <= limit and level >= complaint.level:
        return PayOutcome(entry=_pay(complaint, amount=amount, actor=actor, note=note, at=at))
    # CMP-7 (issue 12 §12): on a complaint escalated above the actor's level, the level handling it decides
    # the payout — sent for its approval even within the actor's own limit.
    required = approving_level(amount, max(level, complaint.level - 1), at)
    if required is None:
        raise ConflictError(
            ComplaintsErrorCode.COMPENSATION_OVER_HQ_LIMIT,
            _("¥%(amount)s 超出总部先行赔付权限（¥%(limit)s），须报总经理审批")
            % {"amount": amount, "limit": authority_limit(ComplaintLevel.HQ, at)},
            fields={"amount": [_("超出总部权限")]},
        )
    request = CompensationRequest.objects.create(
        complaint=complaint, amount=amount, note=note[:300], requested_by=actor, requested_level=level,
        required_level=required, requested_at=at or timezone.now(),
    )  # fmt: skip
    event(complaint, EventType.COMPENSATION_REQUESTED, actor=actor, at=at,
          new={"amount": str(amount), "request": request.pk, "limit": str(limit), "required_level": required},
          message=note)  # fmt: skip
    from salesservice.core.models import OrgUnit

    notify_recipients = level_managers(OrgUnit.objects.get(pk=complaint.store_id), required)
    from salesservice.core.notifications import notify

    notify(
        recipients=notify_recipients,
        title=_("超权限赔付待审批：%(number)s ¥%(amount)s") % {"number": complaint.number, "amount": amount},
        body=_("%(who)s 申请先行赔付 ¥%(amount)s，超出其权限 ¥%(limit)s。%(note)s")
        % {"who": actor.name if actor else "", "amount": amount, "limit": limit, "note": note},
        url=complaint_url(complaint),
        kind="complaints.compensation_pending",
        level=NotificationLevel.WARNING,
    )
    return PayOutcome(pending=request)


def approval_refusals(actor, request: CompensationRequest, at=None) -> list[str]:
    """Why `actor` may not decide this request (empty = may): a higher level than the requester's whose
    limit covers the amount — a store manager never approves a store's request."""
    if actor is None:
        return []
    reasons = []
    if not actor.has_perm("complaints.approve_compensation"):
        reasons.append(_("没有审批超权限赔付的权限"))
        return reasons
    level, limit = actor_limit(actor, at)
    if level <= request.requested_level:
        reasons.append(_("须由上一级（%(level)s）审批") % {"level": ComplaintLevel(request.required_level).label})
    elif limit < request.amount:
        reasons.append(_("¥%(amount)s 超出您的审批权限 ¥%(limit)s") % {"amount": request.amount, "limit": limit})
    return reasons


@service
def compensation_approve(
    *,
    actor,
    request_id: int,
    approve: bool = True,
    note: str = "",
    at: dt.datetime | None = None,
    complaint_id: int | None = None,
) -> CompensationRequest:
    """CMP-8: a higher level approves (the payout is made from the fund, the balance checked) or rejects
    (a reason is required) a payout above the requester's authority."""
    require_perm(actor, "complaints.approve_compensation")
    queryset = CompensationRequest.objects.all() if actor is None else CompensationRequest.objects.visible_to(actor)
    if complaint_id is not None:  # decided from a complaint's page or action: it must be that complaint's
        queryset = queryset.filter(complaint_id=complaint_id)
    request = queryset.select_for_update().filter(pk=request_id).first()
    if request is None and complaint_id is not None:
        raise NotFoundError(ComplaintsErrorCode.COMPENSATION_REQUEST_NOT_FOUND, _("该投诉没有此赔付申请"))
    if request is None:
        raise NotFoundError(ComplaintsErrorCode.COMPENSATION_REQUEST_NOT_FOUND, _("赔付申请不存在或不在您的范围内"))
    if not COMPENSATION_REQUEST_WORKFLOW.allows(request, "approve" if approve else "reject"):
        raise ConflictError(
            ComplaintsErrorCode.COMPENSATION_ALREADY_DECIDED,
            _("该申请已%(status)s") % {"status": request.get_status_display()},
        )
    refusals = approval_refusals(actor, request, at)
    if refusals:
        raise PermissionDeniedError(ComplaintsErrorCode.COMPENSATION_APPROVER_LEVEL, refusals[0])
    complaint = get_complaint(actor, request.complaint_id)
    note = (note or "").strip()
    now = at or timezone.now()
    if approve:
        _payable(complaint)
        entry = _pay(complaint, amount=request.amount, actor=request.requested_by, approved_by=actor,
                     note=request.note or note, at=at)  # fmt: skip
        target = CompensationRequestStatus.APPROVED
        request.entry = entry
        event_type = EventType.COMPENSATION_APPROVED
    else:
        if not note:
            raise DomainError(
                ComplaintsErrorCode.COMPENSATION_REASON_REQUIRED, _("驳回须填写理由"), fields={"note": [_("必填")]}
            )
        target = CompensationRequestStatus.REJECTED
        event_type = EventType.COMPENSATION_REJECTED
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note[:300]
    COMPENSATION_REQUEST_WORKFLOW.move(
        request, target, actor=actor, reason=note, fields=["entry", "decided_by", "decided_at", "decision_note"], at=at
    )
    event(complaint, event_type, actor=actor, at=at, new={"request": request.pk, "amount": str(request.amount)},
          message=note)  # fmt: skip
    from salesservice.core.notifications import notify

    notify(
        recipients=[request.requested_by],
        title=(_("赔付已批准：%(number)s ¥%(amount)s") if approve else _("赔付被驳回：%(number)s ¥%(amount)s"))
        % {"number": complaint.number, "amount": request.amount},
        body=note,
        url=complaint_url(complaint),
        kind="complaints.compensation_decided",
    )
    return request


def compensation_decide(
    *, actor, complaint_id: int, request_id: int, approve: bool = True, note: str = "", at: dt.datetime | None = None
) -> CompensationRequest:
    """The decision on an over-limit payout of this complaint (its page's approve-payment / reject-payment and
    `POST /complaints/{id}/approve-payment/`): the request must belong to the complaint, then
    `compensation_approve`, whose locked read looks for it among the complaint's requests."""
    return compensation_approve(
        actor=actor, request_id=request_id, approve=approve, note=note, at=at, complaint_id=complaint_id
    )


# --- recoveries --------------------------------------------------------------------------------


def _party_name(complaint: Complaint) -> str:
    if complaint.responsible_party == ResponsibleParty.PROVIDER and complaint.responsible_provider_id:
        return complaint.responsible_provider.name
    if complaint.responsible_party == ResponsibleParty.STAFF and complaint.responsible_user_id:
        return complaint.responsible_user.name
    return complaint.responsible_detail or ResponsibleParty(complaint.responsible_party).label


def sync_recovery(complaint: Complaint, *, actor=None) -> Recovery | None:
    """CMP-8: keep the complaint's open recovery equal to what the fund paid and nobody has paid back yet,
    claimed from the current responsible party; cancel it when responsibility moves to us or the customer
    before anything was recovered. Called by the services that pay or attribute responsibility."""
    paid = complaint.compensation_entries.filter(kind=EntryKind.PAYOUT).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    settled = complaint.recoveries.filter(status=RecoveryStatus.SETTLED).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    outstanding = paid - settled
    open_recovery = complaint.recoveries.select_for_update().filter(status=RecoveryStatus.OPEN).first()
    recoverable = complaint.responsible_party in RECOVERABLE_PARTIES
    if not recoverable or outstanding <= 0:
        if open_recovery is not None:
            open_recovery.note = _("责任认定变更，撤销追偿")
            RECOVERY_WORKFLOW.move(
                open_recovery, RecoveryStatus.CANCELLED, actor=actor, reason=open_recovery.note, fields=["note"]
            )
            event(complaint, EventType.RECOVERY_CANCELLED, actor=actor, new={"recovery": open_recovery.pk})
        return None
    party = {
        "party": complaint.responsible_party,
        "provider_id": complaint.responsible_provider_id if complaint.responsible_party == ResponsibleParty.PROVIDER
        else None,
        "staff_id": complaint.responsible_user_id if complaint.responsible_party == ResponsibleParty.STAFF else None,
        "party_name": _party_name(complaint)[:200],
    }  # fmt: skip
    if open_recovery is None:
        open_recovery = Recovery.objects.create(complaint=complaint, amount=outstanding, **party)
        event(complaint, EventType.RECOVERY_OPENED, actor=actor,
              new={"recovery": open_recovery.pk, "amount": str(outstanding), "party": party["party_name"]})  # fmt: skip
        return open_recovery
    changed = open_recovery.amount != outstanding or any(getattr(open_recovery, k) != v for k, v in party.items())
    if changed:
        open_recovery.amount = outstanding
        for key, value in party.items():
            setattr(open_recovery, key, value)
        open_recovery.save(update_fields=["amount", "party", "provider", "staff", "party_name"])
    return open_recovery


@service
def recovery_settle(*, actor, recovery_id: int, note: str = "", at: dt.datetime | None = None) -> Recovery:
    """CMP-8: the responsible party paid back — a `recovery` ledger line returns the money to the fund."""
    require_perm(actor, "complaints.manage_compensation_fund")
    queryset = Recovery.objects.all() if actor is None else Recovery.objects.visible_to(actor)
    recovery = queryset.select_for_update().select_related("complaint").filter(pk=recovery_id).first()
    if recovery is None:
        raise NotFoundError(ComplaintsErrorCode.RECOVERY_NOT_FOUND, _("追偿记录不存在或不在您的范围内"))
    if not RECOVERY_WORKFLOW.allows(recovery, "settle"):
        raise ConflictError(
            ComplaintsErrorCode.RECOVERY_NOT_OPEN, _("该追偿已%(status)s") % {"status": recovery.get_status_display()}
        )
    fund = _locked_fund()
    note = (note or "").strip()
    entry = _write(fund, kind=EntryKind.RECOVERY, amount=recovery.amount, actor=actor, complaint=recovery.complaint,
                   note=note or _("向%(party)s追偿") % {"party": recovery.party_name}, at=at)  # fmt: skip
    recovery.settled_at = at or timezone.now()
    recovery.settled_by = actor
    recovery.entry = entry
    if note:
        recovery.note = note[:300]
    RECOVERY_WORKFLOW.move(
        recovery, RecoveryStatus.SETTLED, actor=actor, reason=note, fields=["settled_at", "settled_by", "entry", "note"],
        at=at,
    )  # fmt: skip
    event(recovery.complaint, EventType.RECOVERY_SETTLED, actor=actor, at=at,
          new={"recovery": recovery.pk, "amount": str(recovery.amount), "balance": str(fund.balance)},
          message=note)  # fmt: skip
    return recovery


__all__ = [
    "PayOutcome",
    "actor_limit",
    "authority_level",
    "authority_limit",
    "compensation_approve",
    "compensation_decide",
    "compensation_pay",
    "fund_get",
    "fund_top_up",
    "recovery_settle",
    "sync_recovery",
]
