"""Every write of the returns app (RET-1, RET-2; SUP-8 for quality returns).

Each service runs in one transaction (`@service`), locks the request it changes, checks the actor's
permission and scope (out of scope → 404, existence never revealed), checks the step with
`RETURN_WORKFLOW.check` and moves the status only through `RETURN_WORKFLOW.move` (workflows.py), records a
typed timeline event and tells whom it concerns after commit. Keyword-only arguments; `at` (default now)
lets demo data and imports replay a past request — never in the future, never before the request was made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import OrgUnitKind
from salesservice.core.clocks import TermsBook
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError, PermissionDeniedError
from salesservice.core.guards import check_version, checked_moment, require_perm
from salesservice.core.models import OrgUnit
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.scoping import can_see_unit

from .choices import EventType, GoodsCondition, RequestedKind, ReturnReason, SaleChannel
from .choices import ReturnStatus as R
from .clocks import RETURN_CLOCKS
from .errors import ReturnsErrorCode
from .models import ReturnRequest
from .rules import return_eligibility
from .workflows import RETURN_WORKFLOW as WORKFLOW

SERIES = "return_request"
MAX_REFUND = Decimal("9999999999.99")


class ReturnNotFound(DomainError):
    """The request does not exist or is outside the actor's scope (never says which)."""

    status_code = 404
    default_message = "记录不存在或不在您的范围内"


# --- helpers ---------------------------------------------------------------------------------


def _now(at: dt.datetime | None, request: ReturnRequest | None = None) -> dt.datetime:
    return checked_moment(at, prefix="returns", not_before=request.requested_at if request else None)


def _get(actor, return_id) -> ReturnRequest:
    pk = return_id.pk if isinstance(return_id, ReturnRequest) else return_id
    queryset = ReturnRequest.objects.all()
    if actor is not None:
        queryset = queryset.visible_to(actor)
    try:
        return queryset.select_for_update(of=("self",)).get(pk=pk)
    except (ReturnRequest.DoesNotExist, ValueError, TypeError):
        raise ReturnNotFound(ReturnsErrorCode.NOT_FOUND, _("退换货单不存在或不在您的范围内")) from None


def _text(value, field: str, code: ReturnsErrorCode, message: str, *, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(code, message, fields={field: [_("必填")]})
    return value[:limit] if limit else value


def handling_deadline(requested_at: dt.datetime) -> dt.datetime:
    """RET-2: when a return requested at `requested_at` must be handled (core.clocks, terms then in force)."""
    terms = TermsBook(RETURN_CLOCKS).terms_at(requested_at)
    return terms.add(requested_at, terms.handling)


def return_url(request: ReturnRequest) -> str:
    return reverse("returns:return-detail", args=[request.pk])


def approvers(store) -> list:
    """Who may decide a store's returns: its CS supervisors and store managers (returns.approve_returnrequest)."""
    return holders(("cs_supervisor", "store_manager"), store, exact=True)


# --- intake (RET-1) ----------------------------------------------------------------------------


@service
def return_request_create(
    *,
    actor,
    customer,
    product,
    purchase_date: dt.date,
    sale_channel: str,
    reason: str,
    requested_kind: str,
    condition: str = GoodsCondition.UNOPENED,
    description: str = "",
    serial_number: str = "",
    batch_number: str = "",
    store: OrgUnit | None = None,
    service_request=None,
    at: dt.datetime | None = None,
) -> ReturnRequest:
    """RET-1: log a customer's return / exchange / repair request and keep the rules' answer with it.

    The store defaults to the customer's and must be in the actor's scope. The eligibility is computed
    at `at` (default now) with the policy in force then and stored as a snapshot — an ineligible request
    is still recorded (the customer asked; an approver may refuse it or approve it with an override).
    """
    require_perm(actor, "returns.add_returnrequest")
    from salesservice.customers.models import Customer

    customers = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    customer_pk = customer.pk if isinstance(customer, Customer) else customer
    customer = customers.select_related("store").filter(pk=customer_pk).first()
    if customer is None:
        raise DomainError(
            ReturnsErrorCode.CUSTOMER_NOT_FOUND, _("客户不存在或不在您的范围内"), fields={"customer": [_("无效")]}
        )
    if product is None:
        raise DomainError(ReturnsErrorCode.PRODUCT_REQUIRED, _("请选择商品"), fields={"product": [_("必填")]})
    store = store or customer.store
    if store.kind != OrgUnitKind.STORE:
        raise DomainError(ReturnsErrorCode.INVALID_STORE, _("受理门店必须是门店"), fields={"store": [_("请选择门店")]})
    if actor is not None and not can_see_unit(actor, store.pk):
        raise PermissionDeniedError(
            ReturnsErrorCode.STORE_OUT_OF_SCOPE, _("所选门店不在您的管辖范围内"), fields={"store": [_("超出范围")]}
        )
    for value, choices, field, code, message in (
        (sale_channel, SaleChannel.values, "sale_channel", ReturnsErrorCode.INVALID_SALE_CHANNEL, _("请选择销售方式")),
        (reason, ReturnReason.values, "reason", ReturnsErrorCode.INVALID_REASON, _("请选择退换货原因")),
        (requested_kind, RequestedKind.values, "requested_kind", ReturnsErrorCode.INVALID_REQUESTED_KIND,
         _("请选择客户诉求")),
        (condition, GoodsCondition.values, "condition", ReturnsErrorCode.INVALID_CONDITION, _("请选择商品状况")),
    ):  # fmt: skip
        if value not in choices:
            raise DomainError(code, message, fields={field: [_("无效")]})
    requested_at = _now(at)
    if purchase_date is None:
        raise DomainError(
            ReturnsErrorCode.PURCHASE_DATE_REQUIRED, _("请填写购买（收货）日期"), fields={"purchase_date": [_("必填")]}
        )
    if purchase_date > timezone.localdate(requested_at):
        raise DomainError(
            ReturnsErrorCode.PURCHASE_IN_FUTURE, _("购买日期不能晚于申请日期"), fields={"purchase_date": [_("无效")]}
        )
    if service_request is not None and service_request.customer_id != customer.pk:
        raise DomainError(
            ReturnsErrorCode.SERVICE_REQUEST_MISMATCH,
            _("关联服务单不属于该客户"),
            fields={"service_request": [_("无效")]},
        )
    answer = return_eligibility(
        customer=customer,
        product=product,
        purchase_date=purchase_date,
        sale_channel=sale_channel,
        reason=reason,
        requested_kind=requested_kind,
        condition=condition,
        at=requested_at,
    )
    snapshot = {**answer.as_dict(), "evaluated_at": requested_at.isoformat()}
    request = ReturnRequest.objects.create(
        number=next_number(SERIES, at=requested_at, series=dict(name="退换货单", prefix="RT", reset="daily")),
        customer=customer,
        store=store,
        product=product,
        serial_number=(serial_number or "").strip()[:80],
        batch_number=(batch_number or "").strip()[:80],
        purchase_date=purchase_date,
        sale_channel=sale_channel,
        reason=reason,
        description=(description or "").strip(),
        requested_kind=requested_kind,
        reported_condition=condition,
        service_request=service_request,
        eligible=answer.eligible,
        eligible_outcome=answer.outcome,
        rule_cited=str(answer.rule_cited)[:300],
        eligibility=snapshot,
        handler=actor,
        requested_at=requested_at,
        handling_due_at=handling_deadline(requested_at),
        created_by=actor,
    )
    record_event(
        event_type=EventType.REQUESTED,
        target=request,
        actor=actor,
        new={"number": request.number, "eligible": answer.eligible, "outcome": answer.outcome},
        message=answer.rule_cited,
    )
    notify(
        recipients=approvers(store),
        title=_("退换货待审批：%(number)s") % {"number": request.number},
        body=f"{customer.name} · {product.name} · {'符合规则' if answer.eligible else '不符合规则'}",
        url=return_url(request),
        kind="returns.requested",
    )
    return request


# --- decision (RET-2) --------------------------------------------------------------------------


@service
def return_approve(
    *,
    actor,
    return_id,
    note: str = "",
    override_reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ReturnRequest:
    """RET-2: approve a request. One the rules found ineligible is approved only with an explicit
    `override_reason` (特批), recorded on the request and its timeline."""
    require_perm(actor, "returns.approve_returnrequest")
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "approve")
    override_reason = (override_reason or "").strip()
    if not request.eligible and not override_reason:
        raise DomainError(
            ReturnsErrorCode.OVERRIDE_REASON_REQUIRED,
            _("该申请不符合退换货规则（%(rule)s），批准须填写特批理由") % {"rule": request.rule_cited or "—"},
            fields={"override_reason": [_("必填")]},
        )
    now = _now(at, request)
    request.decided_at = now
    request.decided_by = actor
    request.decision_note = (note or "").strip()[:300]
    request.override_reason = override_reason[:300] if not request.eligible else ""
    WORKFLOW.move(
        request,
        R.APPROVED,
        actor=actor,
        reason=request.override_reason or request.decision_note,
        fields=("decided_at", "decided_by", "decision_note", "override_reason"),
    )
    record_event(
        event_type=EventType.OVERRIDDEN if request.override_reason else EventType.APPROVED,
        target=request,
        actor=actor,
        new={"eligible": request.eligible, "override": bool(request.override_reason)},
        message=request.override_reason or request.decision_note,
    )
    notify(
        recipients=[request.handler] if request.handler_id and request.handler_id != getattr(actor, "pk", None) else [],
        title=_("退换货已批准：%(number)s") % {"number": request.number},
        url=return_url(request),
        kind="returns.approved",
    )
    return request


@service
def return_reject(
    *, actor, return_id, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> ReturnRequest:
    """RET-2: refuse a request, with the reason told to the customer.

    A request the rules find eligible is not refused by the person who took it: the rejection is a
    supervisor's decision (`approve_returnrequest`, someone other than its handler or author), with the
    reason — no stalling an eligible return at the desk (issue 12 §14)."""
    require_perm(actor, "returns.approve_returnrequest")
    reason = _text(reason, "reason", ReturnsErrorCode.REASON_REQUIRED, _("请填写拒绝理由"), limit=300)
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "reject")
    own = actor is not None and actor.pk in (request.handler_id, request.created_by_id)
    if request.eligible and own:
        raise PermissionDeniedError(
            ReturnsErrorCode.REJECT_ELIGIBLE_NEEDS_SUPERVISOR,
            _("该申请符合退换货规则，须由经办人以外的主管审批拒绝"),
        )
    now = _now(at, request)
    request.decided_at = now
    request.decided_by = actor
    request.rejection_reason = reason
    WORKFLOW.move(
        request, R.REJECTED, actor=actor, reason=reason, fields=("decided_at", "decided_by", "rejection_reason")
    )
    record_event(event_type=EventType.REJECTED, target=request, actor=actor, message=reason)
    notify(
        recipients=[request.handler] if request.handler_id and request.handler_id != getattr(actor, "pk", None) else [],
        title=_("退换货被拒绝：%(number)s") % {"number": request.number},
        body=reason,
        url=return_url(request),
        kind="returns.rejected",
    )
    return request


@service
def return_cancel(
    *, actor, return_id, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> ReturnRequest:
    """The customer withdrew the request (before the goods came back)."""
    require_perm(actor, "returns.change_returnrequest")
    reason = _text(reason, "reason", ReturnsErrorCode.REASON_REQUIRED, _("请填写取消原因"), limit=300)
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "cancel")
    request.cancelled_at = _now(at, request)
    request.cancel_reason = reason
    WORKFLOW.move(request, R.CANCELLED, actor=actor, reason=reason, fields=("cancelled_at", "cancel_reason"))
    record_event(event_type=EventType.CANCELLED, target=request, actor=actor, message=reason)
    return request


# --- goods and inspection (seed 000; SUP-8) ------------------------------------------------------


@service
def return_receive(
    *,
    actor,
    return_id,
    condition: str,
    note: str = "",
    negotiated_outcome: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ReturnRequest:
    """The warehouse receives the goods and records their condition. Damage the customer caused needs
    the outcome negotiated with the customer (seed 000 退換貨處理: 人為損壞 → 協商處理)."""
    require_perm(actor, "returns.change_returnrequest")
    if condition not in GoodsCondition.values:
        raise DomainError(
            ReturnsErrorCode.INVALID_CONDITION, _("请选择收货时商品状况"), fields={"condition": [_("无效")]}
        )
    negotiated_outcome = (negotiated_outcome or "").strip()
    if condition == GoodsCondition.DAMAGED_BY_CUSTOMER and not negotiated_outcome:
        raise DomainError(
            ReturnsErrorCode.NEGOTIATED_OUTCOME_REQUIRED,
            _("商品存在人为损坏，须填写与客户的协商结果"),
            fields={"negotiated_outcome": [_("必填")]},
        )
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "receive")
    request.received_at = _now(at, request)
    request.received_by = actor
    request.received_condition = condition
    request.received_note = (note or "").strip()[:300]
    request.negotiated_outcome = negotiated_outcome
    WORKFLOW.move(
        request,
        R.GOODS_RECEIVED,
        actor=actor,
        reason=request.received_note,
        fields=("received_at", "received_by", "received_condition", "received_note", "negotiated_outcome"),
    )
    record_event(
        event_type=EventType.GOODS_RECEIVED,
        target=request,
        actor=actor,
        new={"condition": condition, "negotiated": bool(negotiated_outcome)},
        message=negotiated_outcome[:300] or request.received_note,
    )
    notify(
        recipients=holders("qa_inspector"),
        title=_("退回商品待检验：%(number)s") % {"number": request.number},
        url=return_url(request),
        kind="returns.goods_received",
    )
    return request


@service
def return_inspect(
    *,
    actor,
    return_id,
    quality_problem: bool,
    findings: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ReturnRequest:
    """Inspect the returned goods. A quality problem opens a nonconformance record (SUP-8) for QA's
    disposition — in the same transaction, so there is never a quality return without one."""
    require_perm(actor, "returns.change_returnrequest")
    if quality_problem is None:
        raise DomainError(
            ReturnsErrorCode.QUALITY_PROBLEM_REQUIRED,
            _("请选择是否存在质量问题"),
            fields={"quality_problem": [_("必填")]},
        )
    findings = _text(findings, "findings", ReturnsErrorCode.FINDINGS_REQUIRED, _("请填写检验结论"))
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "inspect")
    now = _now(at, request)
    request.inspected_at = now
    request.inspected_by = actor
    request.quality_problem = bool(quality_problem)
    request.inspection_findings = findings
    WORKFLOW.move(
        request,
        R.INSPECTED,
        actor=actor,
        reason=findings[:300],
        fields=("inspected_at", "inspected_by", "quality_problem", "inspection_findings"),
    )
    nonconformance = None
    if request.quality_problem:
        from salesservice.inspection.services import nonconformance_open_for_return

        request.store = OrgUnit.objects.get(pk=request.store_id)
        nonconformance = nonconformance_open_for_return(
            actor=actor,
            return_request=request,
            description=_("退换货 %(number)s 检验发现质量问题：%(findings)s")
            % {"number": request.number, "findings": findings},
            at=now,
        )
    record_event(
        event_type=EventType.INSPECTED,
        target=request,
        actor=actor,
        new={
            "quality_problem": request.quality_problem,
            "nonconformance": nonconformance.number if nonconformance else None,
        },
        message=findings[:300],
    )
    return request


# --- resolution and closing (RET-2) --------------------------------------------------------------


def _resolve(request, to_status, *, actor, at, fields=(), note="") -> None:
    request.resolution = to_status
    request.resolved_at = _now(at, request)
    request.resolved_by = actor
    request.resolution_note = (note or "").strip()[:300]
    WORKFLOW.move(
        request,
        to_status,
        actor=actor,
        reason=request.resolution_note,
        fields=("resolution", "resolved_at", "resolved_by", "resolution_note", *fields),
    )


@service
def return_refund(
    *, actor, return_id, amount, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> ReturnRequest:
    """Refund the customer `amount` (Decimal, > 0)."""
    require_perm(actor, "returns.settle_returnrequest")
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount > MAX_REFUND:
        raise DomainError(ReturnsErrorCode.INVALID_AMOUNT, _("退款金额必须大于 0"), fields={"amount": [_("无效")]})
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "refund")
    request.refund_amount = amount
    _resolve(request, R.REFUNDED, actor=actor, at=at, fields=("refund_amount",), note=note)
    record_event(event_type=EventType.REFUNDED, target=request, actor=actor, new={"amount": str(amount)}, message=note)
    return request


@service
def return_exchange(
    *,
    actor,
    return_id,
    replacement_serial: str,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ReturnRequest:
    """Exchange the goods; the replacement's serial (or batch) number is recorded for traceability."""
    require_perm(actor, "returns.settle_returnrequest")
    replacement_serial = _text(
        replacement_serial,
        "replacement_serial",
        ReturnsErrorCode.REPLACEMENT_SERIAL_REQUIRED,
        _("请填写换货新机序列号/批号"),
        limit=80,
    )
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "exchange")
    request.replacement_serial = replacement_serial
    _resolve(request, R.EXCHANGED, actor=actor, at=at, fields=("replacement_serial",), note=note)
    record_event(
        event_type=EventType.EXCHANGED,
        target=request,
        actor=actor,
        new={"replacement_serial": replacement_serial},
        message=note,
    )
    return request


@service
def return_repair(
    *, actor, return_id, note: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> ReturnRequest:
    """The goods were repaired (what was done is required)."""
    require_perm(actor, "returns.settle_returnrequest")
    note = _text(note, "note", ReturnsErrorCode.NOTE_REQUIRED, _("请填写维修内容"), limit=300)
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "repair")
    _resolve(request, R.REPAIRED, actor=actor, at=at, note=note)
    record_event(event_type=EventType.REPAIRED, target=request, actor=actor, message=note)
    return request


@service
def return_close(
    *, actor, return_id, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> ReturnRequest:
    """RET-2: close the request and measure its handling time (requested → closed, business time on the
    SLA calendar in force when it was requested). Closing straight after inspection (nothing refunded,
    exchanged or repaired) needs a note saying why."""
    require_perm(actor, "returns.settle_returnrequest")
    request = _get(actor, return_id)
    check_version(request, expected_version)
    WORKFLOW.check(request, "close")
    note = (note or "").strip()
    if request.closing_note_required and not note:
        raise DomainError(
            ReturnsErrorCode.CLOSING_NOTE_REQUIRED,
            _("未退款、换货或维修即结案，须填写结案说明"),
            fields={"note": [_("必填")]},
        )
    now = _now(at, request)
    request.closed_at = now
    request.closed_by = actor
    request.closing_note = note[:300]
    span = TermsBook(RETURN_CLOCKS).terms_at(request.requested_at).between(request.requested_at, now)
    request.handling_seconds = int(span.total_seconds())
    WORKFLOW.move(
        request,
        R.CLOSED,
        actor=actor,
        reason=request.closing_note,
        fields=("closed_at", "closed_by", "closing_note", "handling_seconds"),
    )
    record_event(
        event_type=EventType.CLOSED,
        target=request,
        actor=actor,
        new={"resolution": request.resolution, "handling_seconds": request.handling_seconds},
        message=request.closing_note,
    )
    return request
