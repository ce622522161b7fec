"""Every write of quotations and contracts (orders and payments: orders.py, re-exported here).

Services run in one transaction (`@service`), lock what they change, check permission and scope (out of
scope → 404), the version (stale → 409), the step (`WORKFLOW.check`; the status only through
`WORKFLOW.move`) and record a timeline event. Clauses:

- SAL-2: price approval by discount band (`sales.discount_free_pct`, `sales.discount_manager_pct`) — never
  by the author; contract approval by amount (`sales.contract_approval_limit`); signature and the agreed
  deposit before the contract is signed.
- SAL-1: contract review before signing — four items (requirements, delivery capability, price and terms,
  buyer and product qualification), each signed off by its department, the system's own findings attached
  (stock per line, BUY-1 and PRD-1 reasons); the qualification item cannot pass while the system finds a
  reason; approval needs every item passed for the current revision.
- SAL-8: an amendment opens a new revision with what changed and why, and sends the contract to review again.
- SAL-3: a contract made from a tender marks the tender contracted.
- PRE-3: a quotation made from an inquiry marks the inquiry quoted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import PermissionDeniedError
from salesservice.core.guards import check_version, require_perm
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.policy import policy_value
from salesservice.inventory.services import available

from . import checks
from .choices import ContractStatus as C
from .choices import Department, EventType, PaymentMethod, ReceivableKind, ReviewItem, ReviewResult
from .choices import QuotationStatus as Q
from .common import (
    clean_lines,
    customer_in_scope,
    department_holders,
    discount_level,
    discount_pct,
    get_scoped,
    money,
    not_self,
    reason_required,
    refuse,
)
from .errors import SalesErrorCode as E
from .models import (
    Contract,
    ContractAmendment,
    ContractLine,
    ContractReview,
    PaymentRecord,
    Quotation,
    QuotationLine,
    Receivable,
)
from .orders import *  # noqa: F403 — orders, payments and jobs live in orders.py
from .workflows import CONTRACT_WORKFLOW, QUOTATION_WORKFLOW

REVIEW_DEPARTMENTS = {
    ReviewItem.REQUIREMENTS: Department.SALES,
    ReviewItem.DELIVERY: Department.WAREHOUSE,
    ReviewItem.PRICE_TERMS: Department.COMMERCE,
    ReviewItem.QUALIFICATION: Department.QUALITY,
}
# The departments a role signs off for (the general manager may sign any item).
ROLE_DEPARTMENTS = {
    "sales_rep": {Department.SALES},
    "store_manager": {Department.SALES, Department.COMMERCE},
    "region_manager": {Department.SALES, Department.COMMERCE},
    "warehouse_clerk": {Department.WAREHOUSE},
    "qa_inspector": {Department.QUALITY},
    "general_manager": set(Department.values),
}
CONTRACT_TERMS = ("delivery_terms", "acceptance_terms", "payment_terms")
AMENDABLE = (
    "title",
    "delivery_due",
    "delivery_terms",
    "acceptance_terms",
    "payment_terms",
    "deposit_required",
    "installation_required",
    "training_required",
    "protect_to_destination",
    "acceptance_days",
)


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


# --- quotations ---------------------------------------------------------------------------------


def _quotation_totals(quotation: Quotation, lines: list[dict]) -> None:
    quotation.total = sum((line["unit_price"] * line["quantity"] for line in lines), Decimal("0"))
    quotation.max_discount_pct = max(
        (discount_pct(line["list_price"], line["unit_price"]) for line in lines), default=0
    )
    quotation.approval_level = discount_level(quotation.max_discount_pct)


@service
def quotation_create(
    *,
    actor,
    customer,
    lines: list[dict],
    valid_until: dt.date | None = None,
    inquiry=None,
    terms: str = "",
    note: str = "",
) -> Quotation:
    """A quotation 报价单 for a customer (from an inquiry — PRE-3), valid until a date (default
    `sales.quotation_validity_days`); the discount decides who approves the price (SAL-2)."""
    require_perm(actor, "sales.add_quotation")
    customer_in_scope(actor, customer)
    clean = clean_lines(lines)
    today = timezone.localdate()
    valid_until = valid_until or today + dt.timedelta(days=int(policy_value("sales.quotation_validity_days")))
    if valid_until < today:
        raise refuse(E.QUOTATION_VALIDITY, _("有效期不能早于今天"), status=400, valid_until=[_("无效")])
    if inquiry is not None and inquiry.customer_id not in (None, customer.pk):
        raise refuse(E.INVALID_LINE, _("咨询与报价的客户不一致"), status=400, inquiry=[_("无效")])
    quotation = Quotation(
        number=next_number("quotation", series=dict(name="报价单", prefix="QT", reset="yearly")),
        org_unit_id=customer.store_id,
        customer=customer,
        inquiry=inquiry,
        valid_until=valid_until,
        terms=terms,
        note=note,
        created_by=actor,
    )
    _quotation_totals(quotation, clean)
    QUOTATION_WORKFLOW.initial(quotation, Q.DRAFT)
    quotation.save()
    QuotationLine.objects.bulk_create(QuotationLine(quotation=quotation, **line) for line in clean)
    record_event(
        event_type=EventType.QUOTATION_CREATED, target=quotation, actor=actor, new={"total": str(quotation.total)}
    )
    if inquiry is not None:
        from .presales import inquiry_mark_quoted

        inquiry_mark_quoted(actor=actor, inquiry=inquiry, quotation=quotation)
    return quotation


@service
def quotation_submit(*, actor, quotation_id, expected_version=None) -> Quotation:
    """Submit a quotation: within the free discount band it is valid at once, else it waits for price
    approval by a manager (level 1) or the general manager (level 2) — SAL-2."""
    quotation = get_scoped(Quotation, actor, quotation_id)
    check_version(quotation, expected_version)
    QUOTATION_WORKFLOW.check(quotation, "submit")
    if quotation.valid_until < timezone.localdate():
        raise refuse(E.QUOTATION_VALIDITY, _("有效期已过，请修改有效期后再提交"))
    lines = [
        {"list_price": line.list_price, "unit_price": line.unit_price, "quantity": line.quantity}
        for line in quotation.lines.all()
    ]
    _quotation_totals(quotation, lines)
    fields = ["total", "max_discount_pct", "approval_level"]
    if quotation.approval_level == 0:
        quotation.approved_at = timezone.now()
        QUOTATION_WORKFLOW.move(quotation, Q.APPROVED, actor=actor, fields=[*fields, "approved_at"])
    else:
        QUOTATION_WORKFLOW.move(quotation, Q.PENDING_APPROVAL, actor=actor, fields=fields)
        perm_roles = ("store_manager", "region_manager") if quotation.approval_level == 1 else ("general_manager",)
        notify(
            recipients=holders(perm_roles, quotation.org_unit) or holders(perm_roles, hq=True),
            title=_("报价待价格审批：%(n)s（最大折扣 %(d)s%%）")
            % {"n": quotation.number, "d": quotation.max_discount_pct},
            url=_url("sales:quotation-detail", quotation.pk),
        )
    record_event(
        event_type=EventType.QUOTATION_SUBMITTED,
        target=quotation,
        actor=actor,
        new={"max_discount_pct": str(quotation.max_discount_pct), "approval_level": quotation.approval_level},
    )
    return quotation


@service
def quotation_approve(*, actor, quotation_id, note: str = "", expected_version=None) -> Quotation:
    """Price approval (SAL-2): level 1 by a manager (`sales.approve_quotation`), level 2 by the general
    manager (`sales.approve_quotation_top`); never by the author."""
    require_perm(actor, "sales.approve_quotation")
    quotation = get_scoped(Quotation, actor, quotation_id)
    check_version(quotation, expected_version)
    QUOTATION_WORKFLOW.check(quotation, "approve")
    not_self(actor, quotation.created_by_id, message=_("不能审批自己编制的报价"))
    if quotation.approval_level >= 2 and not actor.has_perm("sales.approve_quotation_top"):
        raise PermissionDeniedError(E.APPROVAL_LIMIT, _("折扣超出主管审批档，须由总经理审批"))
    quotation.approved_by, quotation.approved_at, quotation.decision_note = actor, timezone.now(), (note or "")[:300]
    QUOTATION_WORKFLOW.move(quotation, Q.APPROVED, actor=actor, fields=["approved_by", "approved_at", "decision_note"])
    record_event(event_type=EventType.QUOTATION_APPROVED, target=quotation, actor=actor, message=note)
    notify(
        recipients=[quotation.created_by],
        title=_("报价已批准：%(n)s") % {"n": quotation.number},
        url=_url("sales:quotation-detail", quotation.pk),
    )
    return quotation


@service
def quotation_reject(*, actor, quotation_id, reason: str = "", expected_version=None) -> Quotation:
    require_perm(actor, "sales.approve_quotation")
    reason = reason_required(reason)
    quotation = get_scoped(Quotation, actor, quotation_id)
    check_version(quotation, expected_version)
    QUOTATION_WORKFLOW.check(quotation, "reject")
    quotation.decision_note = reason
    QUOTATION_WORKFLOW.move(quotation, Q.DRAFT, actor=actor, reason=reason, fields=["decision_note"])
    record_event(event_type=EventType.QUOTATION_REJECTED, target=quotation, actor=actor, message=reason)
    notify(
        recipients=[quotation.created_by],
        title=_("报价被退回：%(n)s") % {"n": quotation.number},
        url=_url("sales:quotation-detail", quotation.pk),
    )
    return quotation


@service
def quotation_accept(*, actor, quotation_id, expected_version=None) -> Quotation:
    """The customer accepted the quotation (within its validity)."""
    quotation = get_scoped(Quotation, actor, quotation_id)
    check_version(quotation, expected_version)
    QUOTATION_WORKFLOW.check(quotation, "accept")
    if quotation.is_expired:
        raise refuse(E.QUOTATION_EXPIRED, _("报价已过有效期（%(d)s），请重新报价") % {"d": quotation.valid_until})
    quotation.accepted_at = timezone.now()
    QUOTATION_WORKFLOW.move(quotation, Q.ACCEPTED, actor=actor, fields=["accepted_at"])
    record_event(event_type=EventType.QUOTATION_ACCEPTED, target=quotation, actor=actor)
    return quotation


def _quotation_end(actor, quotation_id, expected_version, reason, name, target, event_type):
    reason = reason_required(reason)
    quotation = get_scoped(Quotation, actor, quotation_id)
    check_version(quotation, expected_version)
    QUOTATION_WORKFLOW.check(quotation, name)
    quotation.decision_note = reason
    QUOTATION_WORKFLOW.move(quotation, target, actor=actor, reason=reason, fields=["decision_note"])
    record_event(event_type=event_type, target=quotation, actor=actor, message=reason)
    return quotation


@service
def quotation_lose(*, actor, quotation_id, reason: str = "", expected_version=None) -> Quotation:
    return _quotation_end(actor, quotation_id, expected_version, reason, "lose", Q.LOST, EventType.QUOTATION_LOST)


@service
def quotation_cancel(*, actor, quotation_id, reason: str = "", expected_version=None) -> Quotation:
    return _quotation_end(
        actor, quotation_id, expected_version, reason, "cancel", Q.CANCELLED, EventType.QUOTATION_CANCELLED
    )


def quotation_for_conversion(actor, quotation, customer) -> Quotation:
    """Lock a quotation that a contract or order is made from: approved or accepted, valid, same customer."""
    quotation = get_scoped(Quotation, actor, quotation.pk)
    if quotation.status not in (Q.APPROVED, Q.ACCEPTED) or quotation.customer_id != customer.pk:
        raise refuse(E.QUOTATION_NOT_APPROVED, _("报价单未批准、未被接受或不是该客户的，不能转换"))
    if quotation.is_expired:
        raise refuse(E.QUOTATION_EXPIRED, _("报价已过有效期（%(d)s），请重新报价") % {"d": quotation.valid_until})
    return quotation


def quotation_mark_converted(actor, quotation: Quotation) -> None:
    QUOTATION_WORKFLOW.move(quotation, Q.CONVERTED, actor=actor)
    record_event(event_type=EventType.QUOTATION_CONVERTED, target=quotation, actor=actor)


def quotations_expire(now: dt.datetime | None = None) -> int:
    """Job: quotations past their validity that were never accepted become expired."""
    today = timezone.localdate(now)
    count = 0
    for quotation in Quotation.objects.filter(
        status__in=[Q.DRAFT, Q.PENDING_APPROVAL, Q.APPROVED], valid_until__lt=today
    ):
        _expire_one(quotation.pk)
        count += 1
    return count


@service
def _expire_one(pk) -> None:
    quotation = Quotation.objects.select_for_update().get(pk=pk)
    if QUOTATION_WORKFLOW.allows(quotation, "expire") and quotation.valid_until < timezone.localdate():
        QUOTATION_WORKFLOW.move(quotation, Q.EXPIRED, actor=None, reason=_("超过有效期"))


# --- contracts ----------------------------------------------------------------------------------


@service
def contract_create(
    *,
    actor,
    customer,
    title: str,
    lines: list[dict] | None = None,
    quotation=None,
    tender=None,
    **terms,
) -> Contract:
    """A contract draft 销售合同 — from a quotation (its lines and prices) or typed; from a tender (SAL-3)."""
    require_perm(actor, "sales.add_contract")
    customer_in_scope(actor, customer)
    if quotation is not None:
        quotation = quotation_for_conversion(actor, quotation, customer)
        if not lines:
            lines = [
                {"product": ln.product, "quantity": ln.quantity, "unit_price": ln.unit_price}
                for ln in quotation.lines.select_related("product")
            ]
    if tender is not None and tender.customer_id != customer.pk:
        raise refuse(E.INVALID_LINE, _("招标单位与合同客户不一致"), status=400, tender=[_("无效")])
    clean = clean_lines(lines)
    contract = Contract(
        number=next_number("contract", series=dict(name="销售合同", prefix="CT", reset="yearly")),
        org_unit_id=customer.store_id,
        customer=customer,
        quotation=quotation,
        tender=tender,
        title=(title or "").strip()[:200] or _("销售合同"),
        created_by=actor,
        **_terms(terms),
    )
    contract.total = sum((ln["unit_price"] * ln["quantity"] for ln in clean), Decimal("0"))
    CONTRACT_WORKFLOW.initial(contract, C.DRAFT)
    contract.save()
    ContractLine.objects.bulk_create(ContractLine(contract=contract, **line) for line in clean)
    record_event(
        event_type=EventType.CONTRACT_CREATED, target=contract, actor=actor, new={"total": str(contract.total)}
    )
    if quotation is not None:
        quotation_mark_converted(actor, quotation)
    if tender is not None:
        from .presales import tender_mark_contracted

        tender_mark_contracted(actor=actor, tender=tender)
    return contract


def _terms(values: dict) -> dict:
    clean = {}
    for name in AMENDABLE:
        if name not in values or values[name] is None:
            continue
        value = values[name]
        if name == "deposit_required":
            value = money(value, name)
        elif name == "acceptance_days":
            value = max(0, min(int(value), 365))
        elif isinstance(value, str):
            value = value.strip()
        clean[name] = value
    return clean


def _review_findings(contract: Contract) -> dict[str, list[dict]]:
    """The system's own findings for the review items: stock per line (delivery), BUY-1/PRD-1 reasons
    (qualification), discount per line (price)."""
    lines = list(contract.lines.select_related("product"))
    delivery = []
    for index, line in enumerate(lines, start=1):
        free = available(line.product)
        delivery.append(
            {
                "line": index,
                "product": line.product.name,
                "ok": free >= line.quantity,
                "message": _("可用库存 %(free)s / 需 %(n)s") % {"free": free, "n": line.quantity},
            }
        )
    qualification = [{**r, "ok": False} for r in checks.line_reasons(contract, lines)]
    failed = {r["line"] for r in qualification}
    qualification += [
        {"line": i, "product": ln.product.name, "ok": True, "message": _("购货资格与产品资质符合")}
        for i, ln in enumerate(lines, start=1)
        if i not in failed
    ]
    qualification.sort(key=lambda r: r["line"])
    price = [
        {
            "line": i,
            "product": ln.product.name,
            "ok": discount_level(discount_pct(ln.list_price, ln.unit_price)) == 0,
            "message": _("折扣 %(d)s%%") % {"d": discount_pct(ln.list_price, ln.unit_price)},
        }
        for i, ln in enumerate(lines, start=1)
    ]
    return {ReviewItem.DELIVERY: delivery, ReviewItem.QUALIFICATION: qualification, ReviewItem.PRICE_TERMS: price}


@service
def contract_submit_review(*, actor, contract_id, expected_version=None) -> Contract:
    """SAL-1: the delivery, acceptance and payment terms must be written; the review items of this revision
    are opened with the system's findings and each department is asked to sign off its item."""
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "submit-review")
    missing = [name for name in CONTRACT_TERMS if not (getattr(contract, name) or "").strip()]
    if missing:
        raise refuse(
            E.CONTRACT_TERMS_REQUIRED, _("请写明交付、验收和付款条款后再提交评审"), **{n: [_("必填")] for n in missing}
        )
    _open_review(actor, contract)
    contract.submitted_at = timezone.now()
    CONTRACT_WORKFLOW.move(contract, C.IN_REVIEW, actor=actor, fields=["submitted_at"])
    record_event(
        event_type=EventType.CONTRACT_SUBMITTED, target=contract, actor=actor, new={"revision": contract.revision}
    )
    return contract


def _open_review(actor, contract: Contract) -> None:
    findings = _review_findings(contract)
    ContractReview.objects.filter(contract=contract, revision=contract.revision).delete()
    ContractReview.objects.bulk_create(
        ContractReview(
            contract=contract,
            revision=contract.revision,
            item=item,
            department=department,
            findings=findings.get(item, []),
        )
        for item, department in REVIEW_DEPARTMENTS.items()
    )
    for department in set(REVIEW_DEPARTMENTS.values()):
        notify(
            recipients=department_holders(department, contract.org_unit),
            title=_("合同待评审：%(n)s %(t)s") % {"n": contract.number, "t": contract.title},
            url=_url("sales:contract-detail", contract.pk),
        )


def _departments_of(actor) -> set[str]:
    if actor.is_superuser:
        return set(Department.values)
    from salesservice.core.roles import ROLES_BY_GROUP

    found: set[str] = set()
    for membership in actor.memberships.select_related("role"):
        role = ROLES_BY_GROUP.get(membership.role.name)
        if role is not None:
            found |= ROLE_DEPARTMENTS.get(role.code, set())
    return found


@service
def contract_review(*, actor, contract_id, item: str, result: str, note: str = "", expected_version=None) -> Contract:
    """SAL-1: a department signs off its review item — pass or fail with its opinion. The qualification item
    cannot pass while the system finds a buyer or product reason (BUY-1, PRD-1); a failed item needs a note."""
    require_perm(actor, "sales.review_contract")
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "review")
    row = (
        ContractReview.objects.select_for_update()
        .filter(contract=contract, revision=contract.revision, item=item)
        .first()
    )
    if row is None or result not in (ReviewResult.PASS, ReviewResult.FAIL):
        raise refuse(E.INVALID_LINE, _("评审项目或结论无效"), status=400, item=[_("无效")])
    if row.result != ReviewResult.PENDING:
        raise refuse(E.CONTRACT_REVIEW_DONE, _("该评审项已由 %(who)s 评审") % {"who": row.reviewer})
    if row.department not in _departments_of(actor):
        raise PermissionDeniedError(
            E.CONTRACT_REVIEW_NOT_YOURS, _("该评审项由%(d)s评审") % {"d": Department(row.department).label}
        )
    if result == ReviewResult.PASS and item == ReviewItem.QUALIFICATION:
        reasons = checks.line_reasons(contract, list(contract.lines.select_related("product")))
        if reasons:
            raise refuse(
                E.ORDER_BUYER_UNQUALIFIED if any(r["kind"] == "buyer" for r in reasons) else E.ORDER_UNSELLABLE,
                _("资格评审不能通过：%(m)s") % {"m": reasons[0]["message"]},
                reasons=reasons,
            )
    if result == ReviewResult.FAIL:
        note = reason_required(note)
    row.result, row.note, row.reviewer, row.reviewed_at = result, (note or "")[:300], actor, timezone.now()
    row.save(update_fields=["result", "note", "reviewer", "reviewed_at"])
    contract.version += 1
    contract.save(update_fields=["version", "updated_at"])
    record_event(
        event_type=EventType.CONTRACT_REVIEWED,
        target=contract,
        actor=actor,
        new={"item": str(ReviewItem(item).label), "result": str(ReviewResult(result).label)},
        message=note,
    )
    if result == ReviewResult.FAIL:
        notify(
            recipients=[contract.created_by],
            title=_("合同评审不通过：%(n)s") % {"n": contract.number},
            url=_url("sales:contract-detail", contract.pk),
        )
    return contract


def review_complete(contract: Contract) -> bool:
    rows = [r for r in contract.reviews.all() if r.revision == contract.revision]
    return len(rows) == len(REVIEW_DEPARTMENTS) and all(r.result == ReviewResult.PASS for r in rows)


@service
def contract_approve(*, actor, contract_id, note: str = "", expected_version=None) -> Contract:
    """SAL-1 + SAL-2: every review item of this revision passed; approval by amount — within
    `sales.contract_approval_limit` a store/region manager, above it the general manager; never the author."""
    require_perm(actor, "sales.approve_contract")
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "approve")
    if not review_complete(contract):
        raise refuse(E.CONTRACT_REVIEW_INCOMPLETE, _("合同评审未全部通过，不能批准（SAL-1）"))
    not_self(actor, contract.created_by_id, message=_("不能批准自己经办的合同"))
    limit = Decimal(str(policy_value("sales.contract_approval_limit")))
    if contract.total > limit and not actor.has_perm("sales.approve_contract_top"):
        raise PermissionDeniedError(
            E.APPROVAL_LIMIT,
            _("合同金额 %(t)s 元超出限额 %(l)s 元，须由总经理批准") % {"t": contract.total, "l": limit},
        )
    contract.approved_by, contract.approved_at = actor, timezone.now()
    CONTRACT_WORKFLOW.move(contract, C.APPROVED, actor=actor, reason=note, fields=["approved_by", "approved_at"])
    record_event(event_type=EventType.CONTRACT_APPROVED, target=contract, actor=actor, message=note)
    notify(
        recipients=[contract.created_by],
        title=_("合同已批准：%(n)s") % {"n": contract.number},
        url=_url("sales:contract-detail", contract.pk),
    )
    return contract


@service
def contract_return(*, actor, contract_id, reason: str = "", expected_version=None) -> Contract:
    reason = reason_required(reason)
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "return")
    contract.status_reason = reason
    CONTRACT_WORKFLOW.move(contract, C.DRAFT, actor=actor, reason=reason, fields=["status_reason"])
    record_event(event_type=EventType.CONTRACT_RETURNED, target=contract, actor=actor, message=reason)
    return contract


@service
def contract_sign(
    *,
    actor,
    contract_id,
    customer_signatory: str = "",
    signed_on: dt.date | None = None,
    deposit_amount=None,
    method: str = PaymentMethod.TRANSFER,
    reference: str = "",
    expected_version=None,
) -> Contract:
    """SAL-2: the approved contract is signed — the customer's signatory and the date — and the agreed
    deposit is collected with it (recorded as a paid receivable); short of the deposit it is refused."""
    require_perm(actor, "sales.sign_contract")
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "sign")
    signatory = (customer_signatory or "").strip()[:60]
    signed_on = signed_on or timezone.localdate()
    if not signatory or signed_on > timezone.localdate():
        raise refuse(
            E.CONTRACT_SIGNATORY_REQUIRED,
            _("请填写客户签约人和不晚于今天的签订日期"),
            status=400,
            customer_signatory=[_("必填")],
        )
    amount = money(deposit_amount or 0, "deposit_amount")
    if contract.deposit_received + amount < contract.deposit_required:
        raise refuse(
            E.CONTRACT_DEPOSIT_MISSING,
            _("约定定金 %(r)s 元，已收 %(p)s 元，不能签订（SAL-2）")
            % {"r": contract.deposit_required, "p": contract.deposit_received + amount},
        )
    if amount:
        receivable = Receivable.objects.create(
            org_unit_id=contract.org_unit_id,
            customer_id=contract.customer_id,
            contract=contract,
            kind=ReceivableKind.DEPOSIT,
            amount=amount,
            due_date=signed_on,
            paid_amount=amount,
            paid_at=timezone.now(),
        )
        PaymentRecord.objects.create(
            receivable=receivable,
            amount=amount,
            received_on=signed_on,
            method=method or PaymentMethod.TRANSFER,
            reference=(reference or "")[:80],
            recorded_by=actor,
        )
        contract.deposit_received += amount
    contract.customer_signatory, contract.signed_on, contract.signed_by = signatory, signed_on, actor
    CONTRACT_WORKFLOW.move(
        contract, C.SIGNED, actor=actor, fields=["customer_signatory", "signed_on", "signed_by", "deposit_received"]
    )
    record_event(
        event_type=EventType.CONTRACT_SIGNED,
        target=contract,
        actor=actor,
        new={"signed_on": str(signed_on), "deposit_received": str(contract.deposit_received)},
    )
    return contract


@service
def contract_amend(
    *, actor, contract_id, reason: str = "", lines: list[dict] | None = None, expected_version=None, **changes
) -> Contract:
    """SAL-8: a change of an approved or signed contract opens revision n+1 — what changed (before/after) and
    why — and sends it to review again (SAL-1 for the new revision)."""
    require_perm(actor, "sales.change_contract")
    reason = (reason or "").strip()
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "amend")
    new_terms = _terms(changes)
    diff = {
        name: {"from": str(getattr(contract, name)), "to": str(value)}
        for name, value in new_terms.items()
        if getattr(contract, name) != value
    }
    if lines:
        clean = clean_lines(lines)
        before = [f"{ln.product.name}×{ln.quantity}@{ln.unit_price}" for ln in contract.lines.select_related("product")]
        after = [f"{ln['product'].name}×{ln['quantity']}@{ln['unit_price']}" for ln in clean]
        if before != after:
            diff["lines"] = {"from": before, "to": after}
            contract.lines.all().delete()
            ContractLine.objects.bulk_create(ContractLine(contract=contract, **line) for line in clean)
            contract.total = sum((ln["unit_price"] * ln["quantity"] for ln in clean), Decimal("0"))
    if not reason or not diff:
        raise refuse(
            E.CONTRACT_AMEND_REASON, _("请写明变更原因，并至少修改一项内容（SAL-8）"), status=400, reason=[_("必填")]
        )
    ContractAmendment.objects.create(
        contract=contract,
        from_revision=contract.revision,
        to_revision=contract.revision + 1,
        reason=reason[:300],
        changes=diff,
        created_by=actor,
    )
    for name, value in new_terms.items():
        setattr(contract, name, value)
    contract.revision += 1
    contract.approved_by, contract.approved_at = None, None
    _open_review(actor, contract)
    CONTRACT_WORKFLOW.move(
        contract,
        C.IN_REVIEW,
        actor=actor,
        reason=reason,
        fields=[*new_terms, "revision", "total", "approved_by", "approved_at"],
    )
    record_event(
        event_type=EventType.CONTRACT_AMENDED,
        target=contract,
        actor=actor,
        new={"revision": contract.revision, **{k: v["to"] for k, v in diff.items() if k != "lines"}},
        message=reason,
    )
    return contract


@service
def contract_complete(*, actor, contract_id, note: str = "", expected_version=None) -> Contract:
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "complete")
    CONTRACT_WORKFLOW.move(contract, C.COMPLETED, actor=actor, reason=note)
    record_event(event_type=EventType.CONTRACT_COMPLETED, target=contract, actor=actor, message=note)
    return contract


@service
def contract_cancel(*, actor, contract_id, reason: str = "", expected_version=None) -> Contract:
    reason = reason_required(reason)
    contract = get_scoped(Contract, actor, contract_id)
    check_version(contract, expected_version)
    CONTRACT_WORKFLOW.check(contract, "cancel")
    contract.status_reason = reason
    CONTRACT_WORKFLOW.move(contract, C.CANCELLED, actor=actor, reason=reason, fields=["status_reason"])
    record_event(event_type=EventType.CONTRACT_CANCELLED, target=contract, actor=actor, message=reason)
    return contract
