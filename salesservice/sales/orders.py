"""Every write of sales orders, their progress schedule, receivables and payments (re-exported by services).

- SAL-5: order review against the customer — buyer qualification per product class (BUY-1), sellability
  (PRD-1), price (a discount beyond the rep's band needs an approved quotation or a signed contract),
  credit (overdue receivables) and stock; a blocking reason refuses the review (409 with every reason);
  never reviewed by the person who entered it. Confirmation with the customer is recorded (who, how).
- SAL-6: allocation FEFO through `inventory.services.allocate` (row locks — never oversold) with the
  gate asked again, and a shipping notice to the warehouse; the timestamps give processing time.
- SAL-7: a progress schedule per order (`sales.step_hours`), steps marked done as the order moves, late
  steps reminded to their department once (`steps_remind_late`).
- BUY-2: the order carries the rep's authorisation letter valid on the order date, or a flag saying none.
- DEL-5: on delivery the contract's payment terms become receivables; payments are recorded against them
  and overdue ones reminded (`payments_remind_overdue`); an order closes once paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError
from salesservice.core.guards import check_version, require_perm
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.policy import policy_value
from salesservice.inventory import services as stock

from . import checks
from .choices import ConfirmChannel, Department, EventType, PaymentMethod, ProgressStep, ReceivableKind
from .choices import ContractStatus as C
from .choices import OrderStatus as O
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
from .models import Contract, OrderStep, PaymentRecord, Receivable, SalesOrder, SalesOrderLine
from .workflows import CONTRACT_WORKFLOW, ORDER_WORKFLOW

__all__ = [
    "order_create",
    "order_review",
    "order_confirm",
    "order_allocate",
    "order_cancel",
    "order_close",
    "order_mark_shipped",
    "order_mark_delivered",
    "order_review_findings",
    "payment_record",
    "steps_remind_late",
    "payments_remind_overdue",
    "mark_step",
]

STEP_DEPARTMENTS = {
    ProgressStep.REVIEW: Department.SALES,
    ProgressStep.CONFIRM: Department.SALES,
    ProgressStep.ALLOCATE: Department.WAREHOUSE,
    ProgressStep.SHIP: Department.WAREHOUSE,
    ProgressStep.DELIVER: Department.SALES,
    ProgressStep.PAYMENT: Department.COMMERCE,
}
OPEN_CONTRACT = (C.SIGNED, C.EXECUTING)


def _url(order) -> str:
    return reverse("sales:order-detail", args=[order.pk])


def _rep(rep, day):
    """BUY-2: the rep's letter valid on `day`, and the flag when there is none."""
    if rep is None:
        return None, ""
    from .presales_selectors import rep_authorisation_for, rep_flag

    return rep_authorisation_for(rep, day), rep_flag(rep, day)


def contract_remaining(contract: Contract, exclude_order=None) -> dict[int, int]:
    """Quantity per product of a contract not yet on a live order."""
    remaining: dict[int, int] = {}
    for line in contract.lines.all():
        remaining[line.product_id] = remaining.get(line.product_id, 0) + line.quantity
    used = (
        SalesOrderLine.objects.filter(order__contract=contract)
        .exclude(order__status=O.CANCELLED)
        .exclude(order=exclude_order)
        .values("product_id")
        .annotate(n=Sum("quantity"))
    )
    for row in used:
        remaining[row["product_id"]] = remaining.get(row["product_id"], 0) - row["n"]
    return remaining


@service
def order_create(
    *,
    actor,
    customer,
    warehouse,
    lines: list[dict] | None = None,
    contract=None,
    quotation=None,
    sales_rep=None,
    order_date: dt.date | None = None,
    requested_date: dt.date | None = None,
    ship_to_contact: str = "",
    ship_to_phone: str = "",
    ship_to_address: str = "",
    note: str = "",
) -> SalesOrder:
    """Enter a sales order 销售订单 (SAL-6) — typed, or from a signed contract (its open quantities and
    prices, SAL-2: no order on an unsigned contract) or an approved quotation; the rep's authorisation
    letter is looked up (BUY-2)."""
    require_perm(actor, "sales.add_salesorder")
    customer_in_scope(actor, customer)
    if warehouse is None or not warehouse.is_active:
        raise refuse(E.ORDER_WAREHOUSE_INACTIVE, _("请选择启用中的发货仓库"), status=400, warehouse=[_("无效")])
    if contract is not None:
        contract = get_scoped(Contract, actor, contract.pk)
        if contract.customer_id != customer.pk or contract.status not in OPEN_CONTRACT:
            raise refuse(E.CONTRACT_NOT_SIGNED, _("合同未签订或不是该客户的，不能下单（SAL-2）"))
        remaining = contract_remaining(contract)
        if not lines:
            prices = {ln.product_id: ln.unit_price for ln in contract.lines.all()}
            products = {ln.product_id: ln.product for ln in contract.lines.select_related("product")}
            lines = [
                {"product": products[pid], "quantity": n, "unit_price": prices[pid]}
                for pid, n in remaining.items()
                if n > 0
            ]
    if quotation is not None and contract is None:
        from .services import quotation_for_conversion, quotation_mark_converted

        quotation = quotation_for_conversion(actor, quotation, customer)
        if not lines:
            lines = [
                {"product": ln.product, "quantity": ln.quantity, "unit_price": ln.unit_price}
                for ln in quotation.lines.select_related("product")
            ]
    clean = clean_lines(lines)
    if contract is not None:
        asked: dict[int, int] = {}
        for line in clean:
            asked[line["product"].pk] = asked.get(line["product"].pk, 0) + line["quantity"]
        if any(n > remaining.get(pid, 0) for pid, n in asked.items()):
            raise refuse(E.ORDER_EXCEEDS_CONTRACT, _("订单数量超过合同未执行数量"))
    day = order_date or timezone.localdate()
    rep = sales_rep or actor
    authorisation, flag = _rep(rep, day)
    order = SalesOrder(
        number=next_number("sales_order", series=dict(name="销售订单", prefix="SO", reset="daily")),
        org_unit_id=customer.store_id,
        customer=customer,
        contract=contract,
        quotation=quotation,
        warehouse=warehouse,
        sales_rep=rep,
        rep_authorisation=authorisation,
        rep_flag=flag[:200],
        order_date=day,
        requested_date=requested_date,
        ship_to_contact=(ship_to_contact or "").strip()[:60],
        ship_to_phone=(ship_to_phone or "").strip()[:30],
        ship_to_address=(ship_to_address or "").strip()[:200],
        note=note or "",
        total=sum((ln["unit_price"] * ln["quantity"] for ln in clean), Decimal("0")),
        created_by=actor,
    )
    ORDER_WORKFLOW.initial(order, O.DRAFT)
    order.save()
    SalesOrderLine.objects.bulk_create(SalesOrderLine(order=order, **line) for line in clean)
    record_event(event_type=EventType.ORDER_CREATED, target=order, actor=actor, new={"total": str(order.total)})
    if contract is not None and contract.status == C.SIGNED:
        CONTRACT_WORKFLOW.move(contract, C.EXECUTING, actor=actor)
    if quotation is not None and contract is None:
        quotation_mark_converted(actor, quotation)
    return order


def _approved_prices(order) -> dict[int, Decimal]:
    """The lowest price per product the customer has been granted: the order's contract (signed) or an
    approved/accepted/converted quotation of the customer still valid on the order date."""
    granted: dict[int, Decimal] = {}

    def grant(product_id, price):
        granted[product_id] = min(price, granted.get(product_id, price))

    if order.contract_id and order.contract.status in (*OPEN_CONTRACT, C.COMPLETED):
        for line in order.contract.lines.all():
            grant(line.product_id, line.unit_price)
    from .models import QuotationLine

    for line in QuotationLine.objects.filter(
        quotation__customer=order.customer_id,
        quotation__status__in=[Q.APPROVED, Q.ACCEPTED, Q.CONVERTED],
        quotation__valid_until__gte=order.order_date,
    ):
        grant(line.product_id, line.unit_price)
    return granted


def order_review_findings(order, lines=None) -> list[dict]:
    """SAL-5: everything the review checks, one entry per finding — `{"check", "ok", "blocking", "line",
    "product", "code", "message"}`: buyer (BUY-1), product (PRD-1), price, credit, stock. Read-only."""
    lines = lines if lines is not None else list(order.lines.select_related("product"))
    findings: list[dict] = []
    reasons = checks.line_reasons(order, lines)
    for reason in reasons:
        findings.append({"check": reason["kind"], "ok": False, "blocking": True, **reason})
    failed = {(reason["line"], reason["kind"]) for reason in reasons}
    passed = {"buyer": _("购货资格符合（许可证/备案覆盖该类别）"), "product": _("可销售（资质有效、无禁售情形）")}
    granted = _approved_prices(order)
    free_stock = stock.available_many([line.product_id for line in lines], order.warehouse_id)
    for index, line in enumerate(lines, start=1):
        for kind, message in passed.items():
            if (index, kind) not in failed:
                findings.append(
                    {"check": kind, "ok": True, "blocking": False, "line": index, "product": line.product.name,
                     "code": "", "message": message}
                )  # fmt: skip
        pct = discount_pct(line.list_price, line.unit_price)
        allowed = discount_level(pct) == 0 or line.unit_price >= granted.get(line.product_id, Decimal("Infinity"))
        findings.append(
            {
                "check": "price",
                "ok": allowed,
                "blocking": not allowed,
                "line": index,
                "product": line.product.name,
                "code": "" if allowed else E.ORDER_PRICE_UNAPPROVED.value,
                "message": _("单价 %(p)s（标准价 %(l)s，折扣 %(d)s%%）%(v)s")
                % {
                    "p": line.unit_price,
                    "l": line.list_price,
                    "d": pct,
                    "v": _("可接受") if allowed else _("超出自行决定折扣，且无已批准报价或已签合同"),
                },
            }
        )
        free = free_stock.get(line.product_id, 0)
        findings.append(
            {
                "check": "stock",
                "ok": free >= line.quantity,
                "blocking": False,
                "line": index,
                "product": line.product.name,
                "code": "",
                "message": _("仓库可用 %(f)s，需 %(n)s") % {"f": free, "n": line.quantity},
            }
        )
    overdue = Receivable.objects.filter(
        customer=order.customer_id, paid_at__isnull=True, due_date__lt=timezone.localdate()
    ).aggregate(total=Sum(F("amount") - F("paid_amount")))["total"]
    findings.append(
        {
            "check": "credit",
            "ok": not overdue,
            "blocking": False,
            "line": None,
            "product": "",
            "code": "",
            "message": _("逾期应收 %(a)s 元") % {"a": overdue} if overdue else _("无逾期应收"),
        }
    )
    return findings


@service
def order_review(*, actor, order_id, note: str = "", expected_version=None) -> SalesOrder:
    """SAL-5 order review: a blocking finding (unqualified buyer, unsellable product, unapproved price)
    refuses the review with every reason (409); stock and credit are recorded as warnings. Not by the
    person who entered the order."""
    require_perm(actor, "sales.review_salesorder")
    order = get_scoped(SalesOrder, actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "review")
    not_self(actor, order.created_by_id, code=E.ORDER_SELF_REVIEW, message=_("不能评审自己录入的订单"))
    findings = order_review_findings(order)
    blocking = [f for f in findings if f["blocking"]]
    if blocking:
        buyer = [f for f in blocking if f["check"] == "buyer"]
        product = [f for f in blocking if f["check"] == "product"]
        code = E.ORDER_BUYER_UNQUALIFIED if buyer else E.ORDER_UNSELLABLE if product else E.ORDER_PRICE_UNAPPROVED
        first = (buyer or product or blocking)[0]
        raise refuse(
            code,
            _("订单评审未通过：第 %(l)s 行 %(p)s — %(m)s")
            % {"l": first["line"], "p": first["product"], "m": first["message"]},
            reasons=blocking,
        )
    order.review_findings, order.reviewed_by, order.reviewed_at = findings, actor, timezone.now()
    ORDER_WORKFLOW.move(
        order, O.REVIEWED, actor=actor, reason=note, fields=["review_findings", "reviewed_by", "reviewed_at"]
    )
    record_event(event_type=EventType.ORDER_REVIEWED, target=order, actor=actor, message=note)
    return order


def _schedule(order: SalesOrder) -> None:
    hours = policy_value("sales.step_hours") or {}
    start = order.created_at
    now = timezone.now()
    OrderStep.objects.bulk_create(
        OrderStep(
            order=order,
            step=step,
            department=STEP_DEPARTMENTS[step],
            due_at=start + dt.timedelta(hours=float(hours.get(step, 24))),
            done_at={ProgressStep.REVIEW: order.reviewed_at, ProgressStep.CONFIRM: now}.get(step),
        )
        for step in ProgressStep.values
    )


def mark_step(order, step: str, at=None) -> None:
    """SAL-7: a step of the order's schedule is done (no-op if there is no schedule or it is done)."""
    OrderStep.objects.filter(order=order, step=step, done_at__isnull=True).update(done_at=at or timezone.now())


@service
def order_confirm(
    *, actor, order_id, confirmed_with: str = "", confirm_channel: str = "", note: str = "", expected_version=None
) -> SalesOrder:
    """SAL-5: the reviewed content is confirmed with the customer — who and how; the progress schedule of
    SAL-7 starts here."""
    order = get_scoped(SalesOrder, actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "confirm")
    who = (confirmed_with or "").strip()[:60]
    if not who or confirm_channel not in ConfirmChannel.values:
        raise refuse(E.ORDER_CONFIRM_REQUIRED, _("请填写客户确认人和确认方式"), status=400, confirmed_with=[_("必填")])
    order.confirmed_with, order.confirm_channel, order.confirmed_at = who, confirm_channel, timezone.now()
    ORDER_WORKFLOW.move(
        order, O.CONFIRMED, actor=actor, reason=note, fields=["confirmed_with", "confirm_channel", "confirmed_at"]
    )
    _schedule(order)
    record_event(
        event_type=EventType.ORDER_CONFIRMED,
        target=order,
        actor=actor,
        new={"confirmed_with": who, "channel": confirm_channel},
    )
    return order


@service
def order_allocate(*, actor, order_id, expected_version=None) -> SalesOrder:
    """SAL-6: allocate every line FEFO from the order's warehouse (row locks: never oversold; a shortfall
    on any line refuses the whole order and reserves nothing), asking the BUY-1/PRD-1 gate again; the
    warehouse gets the shipping notice."""
    require_perm(actor, "sales.allocate_salesorder")
    order = get_scoped(SalesOrder, actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "allocate")
    lines = list(order.lines.select_related("product").order_by("product_id", "id"))
    checks.refuse_if_blocked(order, lines, step=_("配货"))
    # all lines at once; locks in product then FEFO order, as every allocation takes them (no deadlock)
    stock.allocate_many(
        actor=None, items=[(line.product, line.quantity) for line in lines], warehouse=order.warehouse, reference=order
    )
    for line in lines:
        line.allocated_quantity = line.quantity
    SalesOrderLine.objects.bulk_update(lines, ["allocated_quantity"])
    order.allocated_at = timezone.now()
    ORDER_WORKFLOW.move(order, O.ALLOCATED, actor=actor, fields=["allocated_at"])
    mark_step(order, ProgressStep.ALLOCATE, order.allocated_at)
    record_event(
        event_type=EventType.ORDER_ALLOCATED,
        target=order,
        actor=actor,
        new={"processing_hours": order.processing_hours},
    )
    notify(
        recipients=department_holders(Department.WAREHOUSE, order.warehouse.org_unit),
        title=_("发货通知：%(n)s（%(c)s，%(k)s 行）") % {"n": order.number, "c": order.customer.name, "k": len(lines)},
        url=_url(order),
    )
    return order


@service
def order_cancel(*, actor, order_id, reason: str = "", expected_version=None) -> SalesOrder:
    """Cancel an order before shipment; its allocations are released (stock free again)."""
    reason = reason_required(reason)
    order = get_scoped(SalesOrder, actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "cancel")
    released = stock.release_allocations(actor=None, reference=order)
    order.status_reason = reason
    SalesOrderLine.objects.filter(order=order).update(allocated_quantity=0)
    ORDER_WORKFLOW.move(order, O.CANCELLED, actor=actor, reason=reason, fields=["status_reason"])
    record_event(
        event_type=EventType.ORDER_CANCELLED, target=order, actor=actor, new={"released": released}, message=reason
    )
    return order


def order_mark_shipped(*, actor, order: SalesOrder, at=None) -> SalesOrder:
    """Called by the delivery app's ship service, inside its transaction, on the locked order."""
    order.shipped_at = at or timezone.now()
    SalesOrderLine.objects.filter(order=order).update(shipped_quantity=F("allocated_quantity"))
    ORDER_WORKFLOW.move(order, O.SHIPPED, actor=actor, fields=["shipped_at"])
    mark_step(order, ProgressStep.SHIP, order.shipped_at)
    return order


def order_mark_delivered(*, actor, order: SalesOrder, at=None) -> SalesOrder:
    """Called by the delivery release gate (DEL-6) inside its transaction: the order is delivered, sales is
    told (DEL-5) and the payment terms become receivables — what the order owes, less the contract's
    deposit not yet set against an order, due `acceptance_days` after delivery."""
    moment = at or timezone.now()
    order.delivered_at = moment
    ORDER_WORKFLOW.move(order, O.DELIVERED, actor=actor, fields=["delivered_at"])
    mark_step(order, ProgressStep.DELIVER, moment)
    record_event(event_type=EventType.ORDER_DELIVERED, target=order, actor=actor)
    days = 30
    amount = order.total
    contract = order.contract
    if contract is not None:
        days = contract.acceptance_days
        applied = Receivable.objects.filter(contract=contract, order__isnull=False).aggregate(total=Sum("amount"))[
            "total"
        ] or Decimal("0")
        invoiced_orders = SalesOrder.objects.filter(contract=contract, delivered_at__isnull=False).exclude(
            pk=order.pk
        ).aggregate(total=Sum("total"))["total"] or Decimal("0")
        deposit_left = max(Decimal("0"), contract.deposit_received - (invoiced_orders - applied))
        amount = max(Decimal("0"), amount - deposit_left)
    due = timezone.localdate(moment) + dt.timedelta(days=days)
    if amount > 0:
        Receivable.objects.create(
            org_unit_id=order.org_unit_id,
            customer_id=order.customer_id,
            contract=contract,
            order=order,
            kind=ReceivableKind.ACCEPTANCE,
            amount=amount,
            due_date=due,
        )
        OrderStep.objects.filter(order=order, step=ProgressStep.PAYMENT).update(
            due_at=timezone.make_aware(dt.datetime.combine(due, dt.time(18)))
        )
    else:
        mark_step(order, ProgressStep.PAYMENT, moment)
    notify(
        recipients=[order.sales_rep or order.created_by],
        title=_("已交付，请按合同回款：%(n)s 应收 %(a)s 元，%(d)s 到期") % {"n": order.number, "a": amount, "d": due},
        url=_url(order),
    )
    return order


@service
def order_close(*, actor, order_id, note: str = "", expected_version=None) -> SalesOrder:
    """Close a delivered order once everything it owes is paid (DEL-5)."""
    order = get_scoped(SalesOrder, actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "close")
    open_amount = sum((r.outstanding for r in order.receivables.all()), Decimal("0"))
    if open_amount > 0:
        raise refuse(E.PAYMENT_OUTSTANDING, _("尚有未收款 %(a)s 元，不能关闭订单") % {"a": open_amount})
    order.closed_at = timezone.now()
    ORDER_WORKFLOW.move(order, O.CLOSED, actor=actor, reason=note, fields=["closed_at"])
    record_event(event_type=EventType.ORDER_CLOSED, target=order, actor=actor, message=note)
    return order


@service
def payment_record(
    *,
    actor,
    receivable_id,
    amount,
    received_on: dt.date | None = None,
    method: str = PaymentMethod.TRANSFER,
    reference: str = "",
    expected_version=None,
) -> Receivable:
    """DEL-5: a payment received against a receivable (0 < amount ≤ outstanding, not in the future); when
    the order owes nothing more its payment step is done."""
    require_perm(actor, "sales.record_payment")
    receivable = get_scoped(Receivable, actor, receivable_id)
    check_version(receivable, expected_version)
    value = money(amount)
    day = received_on or timezone.localdate()
    if value <= 0 or value > receivable.outstanding or day > timezone.localdate() or method not in PaymentMethod.values:
        raise DomainError(
            E.PAYMENT_INVALID,
            _("收款金额须大于 0 且不超过未收金额 %(o)s 元，日期不晚于今天") % {"o": receivable.outstanding},
            fields={"amount": [_("无效")]},
        )
    PaymentRecord.objects.create(
        receivable=receivable,
        amount=value,
        received_on=day,
        method=method,
        reference=(reference or "")[:80],
        recorded_by=actor,
    )
    receivable.paid_amount += value
    if receivable.outstanding == 0:
        receivable.paid_at = timezone.now()
    receivable.version += 1
    receivable.save(update_fields=["paid_amount", "paid_at", "version"])
    target = receivable.order or receivable.contract
    record_event(
        event_type=EventType.PAYMENT_RECORDED, target=target, actor=actor, new={"amount": str(value), "method": method}
    )
    if receivable.order_id and not any(r.outstanding for r in Receivable.objects.filter(order=receivable.order_id)):
        mark_step(receivable.order, ProgressStep.PAYMENT)
    return receivable


def steps_remind_late(now: dt.datetime | None = None) -> int:
    """SAL-7 job: each progress step past its due time and not done is reminded once to its department at
    the order's unit and to the order's rep."""
    now = now or timezone.now()
    count = 0
    late = (
        OrderStep.objects.filter(done_at__isnull=True, reminded_at__isnull=True, due_at__lt=now)
        .exclude(order__status__in=[O.CANCELLED, O.CLOSED])
        .select_related("order__org_unit", "order__sales_rep", "order__created_by")[:500]
    )
    for step in late:
        order = step.order
        notify(
            recipients=[*department_holders(step.department, order.org_unit), order.sales_rep or order.created_by],
            title=_("订单进度逾期：%(n)s「%(s)s」应于 %(d)s 完成")
            % {
                "n": order.number,
                "s": step.get_step_display(),
                "d": timezone.localtime(step.due_at).strftime("%m-%d %H:%M"),
            },
            url=_url(order),
            level="warning",
        )
        record_event(event_type=EventType.STEP_LATE, target=order, actor=None, new={"step": step.step})
        OrderStep.objects.filter(pk=step.pk).update(reminded_at=now)
        count += 1
    return count


def payments_remind_overdue(today: dt.date | None = None) -> int:
    """DEL-5 job: overdue receivables are reminded to the rep (or whoever entered the order) once a day."""
    today = today or timezone.localdate()
    count = 0
    overdue = (
        Receivable.objects.filter(paid_at__isnull=True, due_date__lt=today)
        .exclude(reminded_on=today)
        .select_related("order__sales_rep", "order__created_by", "contract__created_by", "customer")[:500]
    )
    for receivable in overdue:
        owner = (
            receivable.order
            and (receivable.order.sales_rep or receivable.order.created_by)
            or (receivable.contract and receivable.contract.created_by)
        )
        notify(
            recipients=[owner] if owner else [],
            title=_("回款逾期：%(c)s %(a)s 元，%(d)s 到期")
            % {"c": receivable.customer.name, "a": receivable.outstanding, "d": receivable.due_date},
            url=_url(receivable.order) if receivable.order_id else "",
            level="warning",
        )
        target = receivable.order or receivable.contract
        if target is not None:
            record_event(
                event_type=EventType.PAYMENT_OVERDUE,
                target=target,
                actor=None,
                new={"outstanding": str(receivable.outstanding)},
            )
        Receivable.objects.filter(pk=receivable.pk).update(reminded_on=today)
        count += 1
    return count
