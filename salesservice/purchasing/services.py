"""Every write of the purchasing app: requisitions, purchase orders, receipts and receiving inspection.

Services run in one transaction (`@service`), lock what they change, check permission and scope (out of
scope → 404), the version (stale → 409), the step (`WORKFLOW.check`, status only through `WORKFLOW.move`)
and record a timeline event. Clauses:

- SUP-2: an order goes only to a supplier on the approved qualified-supplier list for each product —
  `suppliers.services.order_check` at submit and again at approval; its warnings are kept and shown.
- SUP-4: quality standard, acceptance method and return/exchange terms are stated before submission;
  approval by amount (`purchasing.approval_limit`), never by the author.
- SUP-5: each order line's execution (on time, in quality, in quantity) is kept up to date by receipts and
  inspections (metrics.py feeds the supplier's evaluation).
- SUP-6/SUP-7: goods land in quarantine (`inventory.receive_into_quarantine`), are inspected per line
  against the product's acceptance standard with partial acceptance, and only then put away.
- SUP-8: a rejected quantity raises a nonconformance (source receiving); purchasing is told to settle
  with the supplier.
- PRD-3: lot, serial numbers, production and expiry dates are captured as the product's tracking mode
  demands (`inventory.lot_for`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.catalog.choices import TrackingMode
from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.policy import policy_value
from salesservice.core.scoping import can_see_unit

from .choices import CheckResult, EventType
from .choices import OrderStatus as O
from .choices import ReceiptStatus as R
from .choices import RequisitionStatus as Q
from .errors import PurchasingErrorCode as E
from .models import (
    CheckResultRow,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    Receipt,
    ReceiptLine,
    ReceiptLot,
    RequisitionLine,
)
from .workflows import ORDER_WORKFLOW, RECEIPT_WORKFLOW, REQUISITION_WORKFLOW

PURCHASING_ROLES = ("purchaser", "purchasing_manager")
TERMS = ("quality_standard", "acceptance_method", "return_terms")
ORDER_FIELDS = ("quality_standard", "acceptance_method", "return_terms", "payment_terms", "note", "order_date")


def _reason_required(code, reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(code, _("请填写理由"), fields={field: [_("必填")]})
    return reason[:300]


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- requisitions ---------------------------------------------------------------------------


def _get_requisition(actor, requisition_id) -> PurchaseRequisition:
    return scoped_get(
        PurchaseRequisition,
        actor,
        requisition_id,
        code=E.REQUISITION_NOT_FOUND,
        message=_("采购申请不存在或不在您的范围内"),
    )


def _unit_of(actor, roles=None):
    membership = actor.memberships.select_related("org_unit")
    if roles:
        membership = membership.filter(role__name__in=roles)
    found = membership.order_by("id").first()
    return found.org_unit if found else None


@service
def requisition_create(*, actor, lines: list[dict], reason: str = "", org_unit=None) -> PurchaseRequisition:
    """A unit asks purchasing for goods: products, quantities, when they are needed, why."""
    require_perm(actor, "purchasing.add_purchaserequisition")
    org_unit = org_unit or _unit_of(actor)
    if org_unit is None or not can_see_unit(actor, org_unit.pk):
        raise PermissionDeniedError(
            E.REQUISITION_UNIT_OUT_OF_SCOPE, _("申请单位不在您的管辖范围内"), fields={"org_unit": [_("超出范围")]}
        )
    clean = []
    for index, line in enumerate(lines or []):
        quantity = _int(line.get("quantity"), 0)
        if line.get("product") is None or quantity < 1:
            raise DomainError(
                E.REQUISITION_INVALID_LINE,
                _("第 %(n)s 行：请选择商品并填写正整数数量") % {"n": index + 1},
                fields={"lines": [_("无效")]},
            )
        clean.append(
            RequisitionLine(
                product=line["product"],
                quantity=quantity,
                needed_by=line.get("needed_by"),
                note=(line.get("note") or "")[:200],
            )
        )
    if not clean:
        raise DomainError(E.REQUISITION_NO_LINES, _("请至少填写一行"), fields={"lines": [_("必填")]})
    requisition = PurchaseRequisition(
        number=next_number("purchase_requisition", series=dict(name="采购申请", prefix="PR", reset="yearly")),
        org_unit=org_unit,
        reason=(reason or "").strip(),
        created_by=actor,
    )
    REQUISITION_WORKFLOW.initial(requisition, Q.DRAFT)
    requisition.save()
    for line in clean:
        line.requisition = requisition
    RequisitionLine.objects.bulk_create(clean)
    record_event(event_type=EventType.REQUISITION_CREATED, target=requisition, actor=actor, new={"lines": len(clean)})
    return requisition


@service
def requisition_submit(*, actor, requisition_id, expected_version=None) -> PurchaseRequisition:
    require_perm(actor, "purchasing.add_purchaserequisition")
    requisition = _get_requisition(actor, requisition_id)
    check_version(requisition, expected_version)
    REQUISITION_WORKFLOW.check(requisition, "submit")
    requisition.submitted_at = timezone.now()
    REQUISITION_WORKFLOW.move(requisition, Q.SUBMITTED, actor=actor, fields=("submitted_at",))
    record_event(event_type=EventType.REQUISITION_SUBMITTED, target=requisition, actor=actor)
    notify(
        recipients=holders("purchasing_manager"),
        title=_("采购申请待审批：%(number)s") % {"number": requisition.number},
        url=reverse("purchasing:requisition-detail", args=[requisition.pk]),
        kind="purchasing.requisition_submitted",
    )
    return requisition


@service
def requisition_approve(*, actor, requisition_id, note: str = "", expected_version=None) -> PurchaseRequisition:
    """A purchasing manager approves a requisition — never the one who wrote it."""
    require_perm(actor, "purchasing.approve_purchaserequisition")
    requisition = _get_requisition(actor, requisition_id)
    check_version(requisition, expected_version)
    REQUISITION_WORKFLOW.check(requisition, "approve")
    if requisition.created_by_id == actor.pk:
        raise PermissionDeniedError(E.REQUISITION_SELF_APPROVAL, _("不能审批自己提交的采购申请"))
    requisition.decided_by = actor
    requisition.decided_at = timezone.now()
    requisition.decision_note = (note or "").strip()[:300]
    REQUISITION_WORKFLOW.move(
        requisition, Q.APPROVED, actor=actor, reason=note, fields=("decided_by", "decided_at", "decision_note")
    )
    record_event(event_type=EventType.REQUISITION_APPROVED, target=requisition, actor=actor, message=note[:200])
    return requisition


@service
def requisition_reject(*, actor, requisition_id, reason: str = "", expected_version=None) -> PurchaseRequisition:
    require_perm(actor, "purchasing.approve_purchaserequisition")
    reason = _reason_required(E.REQUISITION_REASON_REQUIRED, reason)
    requisition = _get_requisition(actor, requisition_id)
    check_version(requisition, expected_version)
    REQUISITION_WORKFLOW.check(requisition, "reject")
    requisition.decided_by = actor
    requisition.decided_at = timezone.now()
    requisition.decision_note = reason
    REQUISITION_WORKFLOW.move(
        requisition, Q.REJECTED, actor=actor, reason=reason, fields=("decided_by", "decided_at", "decision_note")
    )
    record_event(event_type=EventType.REQUISITION_REJECTED, target=requisition, actor=actor, message=reason)
    return requisition


@service
def requisition_cancel(*, actor, requisition_id, reason: str = "", expected_version=None) -> PurchaseRequisition:
    require_perm(actor, "purchasing.add_purchaserequisition")
    reason = _reason_required(E.REQUISITION_REASON_REQUIRED, reason)
    requisition = _get_requisition(actor, requisition_id)
    check_version(requisition, expected_version)
    REQUISITION_WORKFLOW.check(requisition, "cancel")
    requisition.decision_note = reason
    REQUISITION_WORKFLOW.move(requisition, Q.CANCELLED, actor=actor, reason=reason, fields=("decision_note",))
    record_event(event_type=EventType.REQUISITION_CANCELLED, target=requisition, actor=actor, message=reason)
    return requisition


@service
def requisition_mark_ordered(*, actor, requisition_id, order=None, expected_version=None) -> PurchaseRequisition:
    """An approved requisition became (part of) a purchase order — called by `order_create`."""
    require_perm(actor, "purchasing.add_purchaseorder")
    requisition = scoped_get(
        PurchaseRequisition, None, requisition_id, code=E.REQUISITION_NOT_FOUND, message=_("采购申请不存在")
    )
    check_version(requisition, expected_version)
    if requisition.status != Q.APPROVED:
        raise ConflictError(E.ORDER_REQUISITION_NOT_APPROVED, _("所引用的采购申请未批准或已下单"))
    REQUISITION_WORKFLOW.move(requisition, Q.ORDERED, actor=actor, reason=order.number if order else "")
    record_event(
        event_type=EventType.REQUISITION_ORDERED,
        target=requisition,
        actor=actor,
        new={"order": order.number if order else ""},
    )
    return requisition


# --- purchase orders ------------------------------------------------------------------------


def _get_order(actor, order_id) -> PurchaseOrder:
    return scoped_get(
        PurchaseOrder, actor, order_id, code=E.ORDER_NOT_FOUND, message=_("采购订单不存在或不在您的范围内")
    )


def purchasing_unit(actor):
    """The org unit an order belongs to: the actor's purchasing department, else the company (HQ)."""
    from salesservice.inspection.services import headquarters

    return _unit_of(actor, PURCHASING_ROLES) or headquarters()


def _clean_order_lines(lines) -> list[PurchaseOrderLine]:
    clean = []
    for index, line in enumerate(lines or []):
        quantity = _int(line.get("quantity"), 0)
        try:
            price = Decimal(str(line.get("unit_price")))
        except (InvalidOperation, TypeError, ValueError):
            price = Decimal("-1")
        due = line.get("due_date")
        if line.get("product") is None or quantity < 1 or price < 0 or not isinstance(due, dt.date):
            raise DomainError(
                E.ORDER_INVALID_LINE,
                _("第 %(n)s 行：请选择商品，填写正整数数量、单价和交货日期") % {"n": index + 1},
                fields={"lines": [_("无效")]},
            )
        clean.append(PurchaseOrderLine(product=line["product"], quantity=quantity, unit_price=price, due_date=due))
    if not clean:
        raise DomainError(E.ORDER_NO_LINES, _("请至少填写一行订单明细"), fields={"lines": [_("必填")]})
    return clean


def _replace_lines(order, clean):
    order.lines.all().delete()
    for line in clean:
        line.order = order
    PurchaseOrderLine.objects.bulk_create(clean)
    order.total = sum((line.amount for line in clean), Decimal("0"))


@service
def order_create(
    *,
    actor,
    supplier,
    warehouse,
    lines: list[dict],
    quality_standard: str = "",
    acceptance_method: str = "",
    return_terms: str = "",
    payment_terms: str = "",
    note: str = "",
    order_date: dt.date | None = None,
    requisition=None,
) -> PurchaseOrder:
    """A draft purchase order / contract 采购订单 (SUP-4 terms may still be missing in a draft; they are
    required at submission). Made from an approved requisition, that requisition becomes `ordered`."""
    require_perm(actor, "purchasing.add_purchaseorder")
    if warehouse is not None and not getattr(warehouse, "is_active", True):
        raise DomainError(E.ORDER_WAREHOUSE_INACTIVE, _("收货仓库已停用"), fields={"warehouse": [_("已停用")]})
    clean = _clean_order_lines(lines)
    order = PurchaseOrder(
        number=next_number("purchase_order", series=dict(name="采购订单", prefix="PO", reset="yearly")),
        supplier=supplier,
        warehouse=warehouse,
        org_unit=purchasing_unit(actor),
        requisition=requisition,
        quality_standard=(quality_standard or "").strip(),
        acceptance_method=(acceptance_method or "").strip(),
        return_terms=(return_terms or "").strip(),
        payment_terms=(payment_terms or "").strip()[:300],
        note=(note or "").strip(),
        order_date=order_date or timezone.localdate(),
        created_by=actor,
    )
    ORDER_WORKFLOW.initial(order, O.DRAFT)
    order.save()
    _replace_lines(order, clean)
    order.save(update_fields=["total"])
    if requisition is not None:
        requisition_mark_ordered(actor=actor, requisition_id=requisition.pk, order=order)
    record_event(
        event_type=EventType.ORDER_CREATED,
        target=order,
        actor=actor,
        new={"supplier": supplier.pk, "total": str(order.total), "lines": len(clean)},
    )
    return order


@service
def order_update(*, actor, order_id, expected_version=None, lines: list[dict] | None = None, **fields) -> PurchaseOrder:
    """Edit a draft order (versioned: a stale version is refused with 409). Lines, when given, replace all."""
    require_perm(actor, "purchasing.change_purchaseorder")
    order = _get_order(actor, order_id)
    check_version(order, expected_version)
    if order.status != O.DRAFT:
        raise ConflictError(E.ORDER_NOT_EDITABLE, _("只有草稿状态的采购订单可以修改"))
    old, changed = {}, []
    for name in ("supplier", "warehouse", *ORDER_FIELDS):
        if name in fields and fields[name] is not None:
            value = fields[name].strip() if isinstance(fields[name], str) else fields[name]
            if getattr(order, name) != value:
                old[name] = str(getattr(order, name))
                setattr(order, name, value)
                changed.append(name)
    if lines is not None:
        _replace_lines(order, _clean_order_lines(lines))
        changed += ["total", "lines"]
    order.version += 1
    order.save()
    record_event(event_type=EventType.ORDER_UPDATED, target=order, actor=actor, old=old, new={"changed": changed})
    return order


def supply_refusal(order) -> DomainError | None:
    """SUP-2 (with SUP-1, SUP-3): the first reason any line may not be ordered from the supplier today."""
    from salesservice.suppliers.services import order_check

    for line in order.lines.select_related("product"):
        reasons = order_check(order.supplier, line.product)
        if reasons:
            first = reasons[0]
            # The reason already names the supplier and the product; say it once, not twice.
            message = str(first.message)
            if order.supplier.name not in message:
                message = _("供应商“%(supplier)s”不能供应“%(product)s”：%(reason)s") % {
                    "supplier": order.supplier.name,
                    "product": line.product.name,
                    "reason": message,
                }
            error = ConflictError(
                first.code,
                message,
                fields={"reasons": [reason.as_dict() for reason in reasons], "product": line.product_id},
            )
            return error
    return None


def supply_warnings(order) -> list[dict]:
    """SUP-1/SUP-3 warnings (warning band, documents expiring soon): shown, never refusing."""
    from salesservice.suppliers.services import order_warnings

    return [reason.as_dict() for reason in order_warnings(order.supplier)]


@service
def order_submit(*, actor, order_id, expected_version=None) -> PurchaseOrder:
    """Submit for approval. SUP-4: the three contract terms must be stated. SUP-2: every line's product is
    checked against the supplier's qualified-list entry (`order_check`) — refused with the first reason."""
    require_perm(actor, "purchasing.change_purchaseorder")
    order = _get_order(actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "submit")
    missing = [name for name in TERMS if not (getattr(order, name) or "").strip()]
    if missing:
        labels = "、".join(str(PurchaseOrder._meta.get_field(name).verbose_name) for name in missing)
        raise ConflictError(
            E.ORDER_TERMS_REQUIRED,
            _("采购合同须写明质量标准、验收方式和退换货条款（SUP-4），缺少：%(fields)s") % {"fields": labels},
            fields={name: [_("必填")] for name in missing},
        )
    if not order.lines.exists():
        raise ConflictError(E.ORDER_NO_LINES, _("请至少填写一行订单明细"))
    refusal = supply_refusal(order)
    if refusal is not None:
        raise refusal
    order.warnings = supply_warnings(order)
    order.submitted_by = actor
    order.submitted_at = timezone.now()
    order.status_reason = ""
    ORDER_WORKFLOW.move(
        order, O.SUBMITTED, actor=actor, fields=("warnings", "submitted_by", "submitted_at", "status_reason")
    )
    record_event(event_type=EventType.ORDER_SUBMITTED, target=order, actor=actor, new={"total": str(order.total)})
    notify(
        recipients=[user for user in approvers_for(order) if user.pk != actor.pk],
        title=_("采购订单待审批：%(number)s（%(total)s 元）") % {"number": order.number, "total": order.total},
        url=reverse("purchasing:order-detail", args=[order.pk]),
        kind="purchasing.order_submitted",
    )
    return order


def approval_limit(at=None) -> Decimal:
    return Decimal(str(policy_value("purchasing.approval_limit", at)))


def _roles(actor) -> set[str]:
    return set(actor.memberships.values_list("role__name", flat=True))


def approval_ceiling(actor) -> Decimal | None:
    """What `actor` may approve (SUP-4 review by amount): None = any amount (general manager), the policy
    limit for a purchasing manager, 0 for anyone else."""
    roles = _roles(actor)
    if actor.is_superuser or "general_manager" in roles:
        return None
    if "purchasing_manager" in roles:
        return approval_limit()
    return Decimal("0")


def approvers_for(order) -> list:
    if order.total > approval_limit():
        return holders("general_manager")
    return holders("purchasing_manager")


def may_approve(actor, order) -> bool:
    ceiling = approval_ceiling(actor)
    return ceiling is None or order.total <= ceiling


@service
def order_approve(*, actor, order_id, note: str = "", expected_version=None) -> PurchaseOrder:
    """Approve by amount (SUP-4): a purchasing manager up to `purchasing.approval_limit`, the general
    manager above; never the order's author or submitter. SUP-2 is checked again (the list may have changed
    since submission)."""
    require_perm(actor, "purchasing.approve_purchaseorder")
    order = _get_order(actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "approve")
    if actor.pk in (order.created_by_id, order.submitted_by_id):
        raise PermissionDeniedError(E.ORDER_SELF_APPROVAL, _("不能审批自己编制或提交的采购订单"))
    if not may_approve(actor, order):
        raise PermissionDeniedError(
            E.ORDER_APPROVAL_LIMIT,
            _("订单金额 %(total)s 元超出您的审批限额 %(limit)s 元，须由总经理审批")
            % {"total": order.total, "limit": approval_limit()},
        )
    refusal = supply_refusal(order)
    if refusal is not None:
        raise refusal
    order.warnings = supply_warnings(order)
    order.approved_by = actor
    order.approved_at = timezone.now()
    order.approval_note = (note or "").strip()[:300]
    ORDER_WORKFLOW.move(
        order, O.APPROVED, actor=actor, reason=note, fields=("approved_by", "approved_at", "approval_note", "warnings")
    )
    record_event(event_type=EventType.ORDER_APPROVED, target=order, actor=actor, message=(note or "")[:200])
    notify(
        recipients=[order.created_by, *holders("warehouse_clerk")],
        title=_("采购订单已批准：%(number)s，请准备收货") % {"number": order.number},
        url=reverse("purchasing:order-detail", args=[order.pk]),
        kind="purchasing.order_approved",
    )
    return order


@service
def order_reject(*, actor, order_id, reason: str = "", expected_version=None) -> PurchaseOrder:
    """The approver sends the order back to draft with the reason."""
    require_perm(actor, "purchasing.approve_purchaseorder")
    reason = _reason_required(E.ORDER_REASON_REQUIRED, reason)
    order = _get_order(actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "reject")
    order.status_reason = reason
    ORDER_WORKFLOW.move(order, O.DRAFT, actor=actor, reason=reason, fields=("status_reason",))
    record_event(event_type=EventType.ORDER_REJECTED, target=order, actor=actor, message=reason)
    notify(
        recipients=[order.created_by],
        title=_("采购订单被退回：%(number)s") % {"number": order.number},
        body=reason,
        url=reverse("purchasing:order-detail", args=[order.pk]),
        kind="purchasing.order_rejected",
    )
    return order


@service
def order_cancel(*, actor, order_id, reason: str = "", expected_version=None) -> PurchaseOrder:
    require_perm(actor, "purchasing.change_purchaseorder")
    reason = _reason_required(E.ORDER_REASON_REQUIRED, reason)
    order = _get_order(actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "cancel")
    order.status_reason = reason
    ORDER_WORKFLOW.move(order, O.CANCELLED, actor=actor, reason=reason, fields=("status_reason",))
    record_event(event_type=EventType.ORDER_CANCELLED, target=order, actor=actor, message=reason)
    return order


@service
def order_close(*, actor, order_id, reason: str = "", expected_version=None) -> PurchaseOrder:
    """Close a received order; closing one not fully received (short delivery) needs a reason."""
    require_perm(actor, "purchasing.change_purchaseorder")
    order = _get_order(actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "close")
    reason = (reason or "").strip()[:300]
    if order.status != O.RECEIVED or order.receipts.exclude(status=R.PUT_AWAY).exists():
        reason = _reason_required(E.ORDER_REASON_REQUIRED, reason)
    order.status_reason = reason
    order.closed_at = timezone.now()
    ORDER_WORKFLOW.move(order, O.CLOSED, actor=actor, reason=reason, fields=("status_reason", "closed_at"))
    record_event(event_type=EventType.ORDER_CLOSED, target=order, actor=actor, message=reason)
    return order


def _refresh_order_status(order, *, actor, at=None) -> None:
    """SUP-5: after a receipt or an inspection, the order is received when nothing is outstanding, else
    partially received (a rejection reopens a received order: the rejected quantity is owed again)."""
    lines = list(order.lines.all())
    outstanding = any(line.outstanding for line in lines)
    target = O.PARTIALLY_RECEIVED if outstanding else O.RECEIVED
    if order.status != target and order.status in ORDER_WORKFLOW.actions["receive"].sources:
        ORDER_WORKFLOW.move(order, target, actor=actor, at=at)
        record_event(
            event_type=EventType.ORDER_RECEIVED,
            target=order,
            actor=actor,
            new={"status": target},
            at=at,
        )


# --- receipts -------------------------------------------------------------------------------


def _get_receipt(actor, receipt_id) -> Receipt:
    return scoped_get(
        Receipt, actor, receipt_id, code=E.RECEIPT_NOT_FOUND, message=_("入库验收单不存在或不在您的范围内")
    )


def _line_error(code, message, index):
    return DomainError(code, message, fields={f"lines[{index}]": [message]})


def _clean_receipt_line(order_line, line: dict, index: int, today: dt.date) -> dict:
    """PRD-3: what the product's tracking mode and shelf life demand of a received line."""
    product = order_line.product
    quantity = _int(line.get("quantity"), 0)
    lot_number = (line.get("lot_number") or "").strip()[:80]
    serials = line.get("serial_numbers") or []
    if isinstance(serials, str):
        serials = serials.replace(",", "\n").replace("，", "\n").split("\n")
    serials = [str(s).strip()[:80] for s in serials if str(s).strip()]
    production_date = line.get("production_date")
    expiry_date = line.get("expiry_date")
    label = f"{product.code} {product.name}"
    if product.tracking_mode == TrackingMode.SERIAL:
        if serials and quantity in (0, None):
            quantity = len(serials)
        if len(serials) != quantity or quantity < 1:
            raise _line_error(
                E.RECEIPT_SERIALS_REQUIRED,
                _("%(p)s 按序列号追踪：须逐件填写序列号，件数（%(n)s）等于到货数量") % {"p": label, "n": len(serials)},
                index,
            )
        if len(set(serials)) != len(serials):
            raise _line_error(E.RECEIPT_SERIAL_DUPLICATE, _("%(p)s：序列号重复") % {"p": label}, index)
    else:
        serials = []
    if quantity < 1:
        raise _line_error(E.RECEIPT_INVALID_LINE, _("第 %(n)s 行：数量须为正整数") % {"n": index + 1}, index)
    if product.tracking_mode == TrackingMode.BATCH and not lot_number:
        raise _line_error(E.RECEIPT_LOT_REQUIRED, _("%(p)s 按批号追踪：请填写批号") % {"p": label}, index)
    if product.shelf_life_tracked and (production_date is None or expiry_date is None):
        raise _line_error(
            E.RECEIPT_EXPIRY_REQUIRED, _("%(p)s 管理有效期：请填写生产日期和有效期至") % {"p": label}, index
        )
    if production_date and (production_date > today or (expiry_date and production_date > expiry_date)):
        raise _line_error(E.RECEIPT_DATES_INVALID, _("%(p)s：生产日期晚于今天或晚于有效期") % {"p": label}, index)
    if expiry_date and expiry_date < today:
        raise ConflictError(
            E.RECEIPT_EXPIRED,
            _("%(p)s 已过有效期（%(d)s），拒收") % {"p": label, "d": expiry_date.isoformat()},
            fields={f"lines[{index}]": [_("已过期")]},
        )
    return {
        "order_line": order_line,
        "quantity": quantity,
        "lot_number": lot_number,
        "serial_numbers": serials,
        "production_date": production_date,
        "expiry_date": expiry_date,
    }


@service
def receipt_create(
    *,
    actor,
    order_id,
    lines: list[dict],
    delivery_note: str = "",
    note: str = "",
    warehouse=None,
    received_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Receipt:
    """Goods arrive against an approved order (SUP-7): each line at most the outstanding quantity, with
    lot / serial / dates as the tracking mode demands (PRD-3), expired goods refused; the stock lands in
    the warehouse's quarantine location (`inventory.receive_into_quarantine`) until inspected. QA is told."""
    from salesservice.inventory import services as inventory

    require_perm(actor, "purchasing.add_receipt")
    order = _get_order(actor, order_id)
    check_version(order, expected_version)
    if order.status not in (O.APPROVED, O.PARTIALLY_RECEIVED, O.RECEIVED):
        raise ConflictError(E.RECEIPT_ORDER_NOT_OPEN, _("采购订单未批准或已关闭、取消，不能收货"))
    warehouse = warehouse or order.warehouse
    if warehouse is None:
        raise DomainError(E.RECEIPT_WAREHOUSE_REQUIRED, _("请选择收货仓库"))
    if actor is not None and not can_see_unit(actor, warehouse.org_unit_id):
        raise NotFoundError(E.RECEIPT_WAREHOUSE_REQUIRED, _("收货仓库不在您的范围内"))
    at = received_at or timezone.now()
    today = timezone.localdate(at)
    order_lines = {line.pk: line for line in order.lines.select_related("product").select_for_update()}
    requested: dict[int, int] = {}
    clean = []
    for index, line in enumerate(lines or []):
        raw = line.get("order_line")
        order_line = order_lines.get(getattr(raw, "pk", raw))
        if order_line is None:
            raise _line_error(E.RECEIPT_INVALID_LINE, _("第 %(n)s 行：不是本订单的明细") % {"n": index + 1}, index)
        values = _clean_receipt_line(order_line, line, index, today)
        requested[order_line.pk] = requested.get(order_line.pk, 0) + values["quantity"]
        clean.append(values)
    if not clean:
        raise DomainError(E.RECEIPT_NO_LINES, _("请至少填写一行到货"), fields={"lines": [_("必填")]})
    for pk, quantity in requested.items():
        order_line = order_lines[pk]
        if quantity > order_line.outstanding:
            raise ConflictError(
                E.RECEIPT_OVER_OUTSTANDING,
                _("%(p)s 到货 %(q)s 超过未到数量 %(o)s")
                % {"p": order_line.product.name, "q": quantity, "o": order_line.outstanding},
                fields={"quantity": [_("超过未到数量")]},
            )
    receipt = Receipt(
        number=next_number("receipt", at=at, series=dict(name="入库验收单", prefix="GR", reset="daily")),
        order=order,
        warehouse=warehouse,
        delivery_note=(delivery_note or "").strip()[:60],
        note=(note or "").strip(),
        received_at=at,
        received_by=actor,
    )
    RECEIPT_WORKFLOW.initial(receipt, R.RECEIVED)
    receipt.save()
    for values in clean:
        order_line = values["order_line"]
        line = ReceiptLine.objects.create(receipt=receipt, product=order_line.product, **values)
        units = [(values["lot_number"], serial, 1) for serial in values["serial_numbers"]] or [
            (values["lot_number"], "", values["quantity"])
        ]
        for lot_number, serial, quantity in units:
            lot = inventory.lot_for(
                product=order_line.product,
                lot_number=lot_number,
                serial_number=serial,
                production_date=values["production_date"],
                expiry_date=values["expiry_date"],
                supplier=order.supplier,
            )
            inventory.receive_into_quarantine(
                actor=actor, warehouse=warehouse, lot=lot, quantity=quantity, reference=receipt, at=at
            )
            ReceiptLot.objects.create(line=line, lot=lot, quantity=quantity)
        order_line.received_quantity += values["quantity"]
        if order_line.first_received_at is None:
            order_line.first_received_at = at
        if order_line.outstanding == 0 and order_line.completed_at is None:
            order_line.completed_at = at
        order_line.save(update_fields=["received_quantity", "first_received_at", "completed_at"])
    record_event(
        event_type=EventType.RECEIPT_CREATED,
        target=receipt,
        actor=actor,
        new={"order": order.number, "lines": len(clean)},
        at=at,
    )
    _refresh_order_status(order, actor=actor, at=at)
    notify(
        recipients=holders("qa_inspector"),
        title=_("到货待检：%(number)s（%(supplier)s）") % {"number": receipt.number, "supplier": order.supplier.name},
        url=reverse("purchasing:receipt-detail", args=[receipt.pk]),
        kind="purchasing.receipt_created",
    )
    return receipt


def template_items(product) -> list:
    """SUP-6: the acceptance standard's checklist of the product (empty when it has none)."""
    if product.acceptance_template_id is None:
        return []
    return list(product.acceptance_template.items.all())


def _serials_list(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace(",", "\n").replace("，", "\n").split("\n")
    return [str(s).strip() for s in (value or []) if str(s).strip()]


@service
def receipt_inspect(
    *,
    actor,
    receipt_id,
    lines: list[dict],
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Receipt:
    """Receiving inspection 进货验收 (SUP-6, SUP-7, SUP-8).

    Per line: every item of the product's acceptance standard (appearance, performance, specification,
    quantity) gets pass/fail; accepted + rejected = received (partial acceptance: accept 95, reject 5). The
    accepted quantity moves quarantine → staging and the rejected quantity → the rejected location, linked
    to a nonconformance raised for it (source receiving) — `inventory.release_inspected`. Purchasers are
    told to settle the rejected goods with the supplier; the order's execution figures are updated (SUP-5).
    """
    from salesservice.inspection.services import nonconformance_raise
    from salesservice.inventory import services as inventory

    require_perm(actor, "purchasing.inspect_receipt")
    receipt = _get_receipt(actor, receipt_id)
    check_version(receipt, expected_version)
    RECEIPT_WORKFLOW.check(receipt, "inspect")
    at = at or timezone.now()
    given = {_int(getattr(item.get("line"), "pk", item.get("line"))): item for item in (lines or [])}
    receipt_lines = list(receipt.lines.select_related("product", "product__acceptance_template", "order_line"))
    raised = []
    for index, line in enumerate(receipt_lines):
        values = given.get(line.pk)
        label = f"{line.product.code} {line.product.name}"
        if values is None:
            raise _line_error(E.RECEIPT_QUANTITY_MISMATCH, _("%(p)s：未给出验收结论") % {"p": label}, index)
        accepted = _int(values.get("accepted"), -1)
        rejected = _int(values.get("rejected"), -1)
        if accepted < 0 or rejected < 0 or accepted + rejected != line.quantity:
            raise ConflictError(
                E.RECEIPT_QUANTITY_MISMATCH,
                _("%(p)s：合格数 + 不合格数须等于到货数 %(q)s") % {"p": label, "q": line.quantity},
                fields={f"lines[{index}]": [_("数量不符")]},
            )
        results = {_int(getattr(c.get("item"), "pk", c.get("item"))): c for c in (values.get("checks") or [])}
        items = template_items(line.product)
        missing = [item for item in items if (results.get(item.pk) or {}).get("result") not in CheckResult.values]
        if missing:
            raise _line_error(
                E.RECEIPT_CHECKLIST_INCOMPLETE,
                _("%(p)s：验收要点“%(item)s”未给出结论（SUP-6）") % {"p": label, "item": missing[0].text},
                index,
            )
        line_note = (values.get("note") or "").strip()
        if rejected and not line_note:
            raise _line_error(
                E.RECEIPT_REJECT_NOTE_REQUIRED, _("%(p)s：有不合格数量，请写明不合格描述") % {"p": label}, index
            )
        lots = list(line.lots.select_related("lot"))
        rejected_serials = []
        if line.serial_numbers and rejected:
            rejected_serials = _serials_list(values.get("rejected_serials"))
            if len(rejected_serials) != rejected or not set(rejected_serials) <= set(line.serial_numbers):
                raise _line_error(
                    E.RECEIPT_REJECTED_SERIALS,
                    _("%(p)s：请逐一列出 %(n)s 个不合格序列号（须为本行到货的序列号）") % {"p": label, "n": rejected},
                    index,
                )
        CheckResultRow.objects.bulk_create(
            [
                CheckResultRow(
                    line=line,
                    item=item,
                    group=item.group,
                    text=item.text,
                    result=results[item.pk]["result"],
                    note=(results[item.pk].get("note") or "")[:300],
                )
                for item in items
            ]
        )
        nc = None
        if rejected:
            nc = nonconformance_raise(
                actor=actor,
                source="receiving",
                product=line.product,
                org_unit=receipt.warehouse.org_unit,
                description=_("进货检验不合格（%(receipt)s，供应商 %(supplier)s）：%(note)s")
                % {"receipt": receipt.number, "supplier": receipt.order.supplier.name, "note": line_note},
                batch_number=line.lot_number,
                serial_number=",".join(rejected_serials)[:80],
                quantity=rejected,
                at=at,
            )
            raised.append(nc)
        for receipt_lot in lots:
            if line.serial_numbers:
                lot_rejected = 1 if receipt_lot.lot.serial_number in rejected_serials else 0
            else:
                lot_rejected = rejected
            lot_accepted = receipt_lot.quantity - lot_rejected
            inventory.release_inspected(
                actor=actor,
                warehouse=receipt.warehouse,
                lot=receipt_lot.lot,
                accepted=lot_accepted,
                rejected=lot_rejected,
                reference=receipt,
                nonconformance=nc if lot_rejected else None,
                at=at,
            )
            receipt_lot.accepted, receipt_lot.rejected = lot_accepted, lot_rejected
            receipt_lot.save(update_fields=["accepted", "rejected"])
        line.accepted_quantity, line.rejected_quantity = accepted, rejected
        line.rejected_serials = rejected_serials
        line.inspection_note = line_note
        line.inspector, line.inspected_at, line.nonconformance = actor, at, nc
        line.save()
        order_line = PurchaseOrderLine.objects.select_for_update().get(pk=line.order_line_id)
        order_line.accepted_quantity += accepted
        order_line.rejected_quantity += rejected
        if order_line.outstanding:
            order_line.completed_at = None  # rejected goods are owed again
        elif order_line.completed_at is None:
            order_line.completed_at = at
        order_line.save(update_fields=["accepted_quantity", "rejected_quantity", "completed_at"])
    receipt.inspected_by, receipt.inspected_at = actor, at
    receipt.inspection_note = (note or "").strip()
    RECEIPT_WORKFLOW.move(
        receipt, R.INSPECTED, actor=actor, at=at, fields=("inspected_by", "inspected_at", "inspection_note")
    )
    total_accepted = sum(line.accepted_quantity or 0 for line in receipt_lines)
    total_rejected = sum(line.rejected_quantity or 0 for line in receipt_lines)
    record_event(
        event_type=EventType.RECEIPT_INSPECTED,
        target=receipt,
        actor=actor,
        new={"accepted": total_accepted, "rejected": total_rejected, "nonconformances": [nc.number for nc in raised]},
        at=at,
    )
    order = PurchaseOrder.objects.select_for_update().get(pk=receipt.order_id)
    _refresh_order_status(order, actor=actor, at=at)
    url = reverse("purchasing:receipt-detail", args=[receipt.pk])
    if raised:
        notify(
            recipients=[order.created_by, *holders(PURCHASING_ROLES)],
            title=_("进货检验不合格，请与供应商协商处理：%(receipt)s（%(supplier)s，不合格 %(n)s）")
            % {"receipt": receipt.number, "supplier": order.supplier.name, "n": total_rejected},
            body="、".join(nc.number for nc in raised),
            url=url,
            kind="purchasing.receipt_rejected",
        )
    if total_accepted:
        notify(
            recipients=holders("warehouse_clerk"),
            title=_("验收合格待上架：%(receipt)s（%(n)s 件）") % {"receipt": receipt.number, "n": total_accepted},
            url=url,
            kind="purchasing.receipt_inspected",
        )
    return receipt


@service
def receipt_put_away(
    *,
    actor,
    receipt_id,
    lines: list[dict] | None = None,
    location=None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Receipt:
    """Put away the accepted quantity (SUP-7): staging → a storage location of the receipt's warehouse, per
    line (`inventory.put_away`). Refused before inspection — goods in quarantine are never put away."""
    from salesservice.inventory import services as inventory
    from salesservice.inventory.models import Location

    require_perm(actor, "purchasing.put_away_receipt")
    receipt = _get_receipt(actor, receipt_id)
    check_version(receipt, expected_version)
    if receipt.status == R.RECEIVED:
        raise ConflictError(E.RECEIPT_NOT_INSPECTED, _("到货尚未验收，待检区的商品不能上架（SUP-7）"))
    RECEIPT_WORKFLOW.check(receipt, "put-away")
    at = at or timezone.now()
    chosen = {_int(getattr(item.get("line"), "pk", item.get("line"))): item.get("location") for item in (lines or [])}
    for index, line in enumerate(receipt.lines.select_related("product").prefetch_related("lots__lot")):
        if not line.accepted_quantity:
            continue
        target = chosen.get(line.pk) or location
        target_id = getattr(target, "pk", target)
        to = Location.objects.filter(pk=_int(target_id), warehouse=receipt.warehouse, kind="storage").first()
        if to is None:
            raise _line_error(
                E.RECEIPT_LOCATION_REQUIRED,
                _("%(p)s：请选择本仓库的货位") % {"p": f"{line.product.code} {line.product.name}"},
                index,
            )
        for receipt_lot in line.lots.all():
            if receipt_lot.accepted:
                inventory.put_away(
                    actor=actor,
                    lot=receipt_lot.lot,
                    to_location=to,
                    quantity=receipt_lot.accepted,
                    reference=receipt,
                    at=at,
                )
                receipt_lot.location = to
                receipt_lot.save(update_fields=["location"])
    receipt.put_away_by, receipt.put_away_at = actor, at
    RECEIPT_WORKFLOW.move(receipt, R.PUT_AWAY, actor=actor, at=at, fields=("put_away_by", "put_away_at"))
    record_event(event_type=EventType.RECEIPT_PUT_AWAY, target=receipt, actor=actor, at=at)
    return receipt
