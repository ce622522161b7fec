"""Demo records of the purchasing app for `manage.py load_demo` (idempotent: nothing is added once any purchase
order exists). Built on the suppliers demo (the approved qualified list, the suspended and unlisted suppliers)
and the inventory demo (the central warehouse WH-HQ and its storage locations), with the demo users purchaser,
purchasing_manager, gm, warehouse_clerk and qa_inspector:

- requisitions: a draft, one waiting approval, one approved and turned into an order (SUP-4);
- orders in every state: a draft without its SUP-4 terms, one waiting the purchasing manager, one above the
  approval limit waiting the general manager, an approved one overdue (late delivery, SUP-5), one cancelled,
  one partly received, one received and put away, one closed;
- a receipt partly rejected at inspection — accept 95, reject 5 — with the nonconformance it raised (SUP-6,
  SUP-7, SUP-8), waiting put-away; a receipt still in quarantine waiting QA (SUP-7).
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.models import Product
from salesservice.core.models import User

from . import services
from .models import PurchaseOrder

USERS = ("purchaser", "purchasing_manager", "gm", "warehouse_clerk", "qa_inspector")
TERMS = {
    "quality_standard": "符合产品注册技术要求及国家/行业标准，随货附出厂检验合格证",
    "acceptance_method": "到货按验收标准逐项检验：外观、性能、规格、数量；按批抽检，不合格部分拒收",
    "return_terms": "不合格品 7 日内退换，往返运费由供方承担；批量不合格可解除合同",
    "payment_terms": "验收合格入库后 30 天付款",
}


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def load_demo() -> None:
    if PurchaseOrder.objects.exists():
        return
    from salesservice.inventory.models import Location, Warehouse
    from salesservice.suppliers.models import Supplier

    users = {u.username: u for u in User.objects.filter(username__in=USERS)}
    warehouse = Warehouse.objects.filter(code="WH-HQ").first()
    supplier = Supplier.objects.filter(name="上海康泰医疗器械有限公司").first()
    if len(users) < len(USERS) or warehouse is None or supplier is None:
        return
    location = Location.objects.filter(warehouse=warehouse, kind="storage", is_active=True).order_by("code").first()
    products = _orderable(supplier)
    if location is None or not products:
        return
    with transaction.atomic():
        _load(users, supplier, warehouse, location, products)


def _orderable(supplier) -> list[Product]:
    """The demo products the supplier may be ordered from today (SUP-2), lot-tracked ones first."""
    from salesservice.suppliers.services import order_check

    found = [p for p in Product.objects.filter(is_active=True).order_by("code") if not order_check(supplier, p)]
    rank = {TrackingMode.BATCH: 0, TrackingMode.NONE: 1, TrackingMode.SERIAL: 2}
    return sorted(found, key=lambda p: rank.get(p.tracking_mode, 1))


def _order(purchaser, supplier, warehouse, lines, *, terms=True, requisition=None, note=""):
    return services.order_create(
        actor=purchaser,
        supplier=supplier,
        warehouse=warehouse,
        lines=[
            {"product": product, "quantity": quantity, "unit_price": Decimal(price), "due_date": _days(due)}
            for product, quantity, price, due in lines
        ],
        requisition=requisition,
        note=note,
        **(TERMS if terms else {}),
    )


def _approved(users, order):
    services.order_submit(actor=users["purchaser"], order_id=order.pk)
    approver = "gm" if order.total > services.approval_limit() else "purchasing_manager"
    return services.order_approve(actor=users[approver], order_id=order.pk, note="同意采购")


def _receipt_lines(order, quantity=None, tag="A"):
    """One received line per order line (its outstanding quantity, or `quantity`), lot / serial numbers and
    dates as the product's tracking mode demands (PRD-3)."""
    lines = []
    for index, line in enumerate(order.lines.select_related("product").order_by("id")):
        product = line.product
        count = min(quantity or line.outstanding, line.outstanding)
        values = {"order_line": line.pk, "quantity": count}
        if product.tracking_mode == TrackingMode.SERIAL:
            values["serial_numbers"] = [f"{order.number}-{tag}{index}-{n:03d}" for n in range(count)]
        else:
            values["lot_number"] = f"{timezone.localdate():%y%m}{tag}{order.pk:03d}{index}"
        if product.shelf_life_tracked:
            values["production_date"] = _days(-40)
            values["expiry_date"] = _days(700)
        lines.append(values)
    return lines


def _inspection(receipt, *, rejected=0, note=""):
    lines = []
    for line in receipt.lines.select_related("product").order_by("id"):
        rejected_here = min(rejected, line.quantity)
        checks = [
            {
                "item": item.pk,
                "result": "fail" if rejected_here and item.group == "appearance" else "pass",
                "note": note if rejected_here and item.group == "appearance" else "",
            }
            for item in services.template_items(line.product)
        ]
        lines.append(
            {
                "line": line.pk,
                "accepted": line.quantity - rejected_here,
                "rejected": rejected_here,
                "note": note if rejected_here else "",
                "rejected_serials": line.serial_numbers[:rejected_here] if line.serial_numbers else [],
                "checks": checks,
            }
        )
    return lines


def _load(users, supplier, warehouse, location, products) -> None:
    purchaser, manager = users["purchaser"], users["purchasing_manager"]
    clerk, qa = users["warehouse_clerk"], users["qa_inspector"]
    first, second = products[0], products[1 % len(products)]
    last = products[-1]

    # Requisitions (采购申请): a draft, one waiting approval, one approved and ordered.
    services.requisition_create(
        actor=clerk,
        reason="常用耗材补货（演示草稿）",
        lines=[{"product": second, "quantity": 30, "needed_by": _days(20)}],
    )
    waiting = services.requisition_create(
        actor=clerk, reason="安全库存不足，请采购", lines=[{"product": first, "quantity": 200, "needed_by": _days(15)}]
    )
    services.requisition_submit(actor=clerk, requisition_id=waiting.pk)
    asked = services.requisition_create(
        actor=clerk, reason="门店订货集中补货", lines=[{"product": first, "quantity": 100, "needed_by": _days(10)}]
    )
    services.requisition_submit(actor=clerk, requisition_id=asked.pk)
    services.requisition_approve(actor=manager, requisition_id=asked.pk, note="同意")

    # The requisition's order: received 100, inspected — accept 95, reject 5 → NC (SUP-6/7/8) — waiting put-away.
    partial = _approved(
        users,
        _order(purchaser, supplier, warehouse, [(first, 100, "35.00", 7)], requisition=asked, note="按采购申请下单"),
    )
    receipt = services.receipt_create(
        actor=clerk, order_id=partial.pk, lines=_receipt_lines(partial, tag="A"), delivery_note="SH-KT-0001"
    )
    if receipt.lines.get().quantity >= 100:
        services.receipt_inspect(
            actor=qa,
            receipt_id=receipt.pk,
            lines=_inspection(receipt, rejected=5, note="5 件外包装破损、灭菌标识模糊"),
            note="部分合格：合格 95，不合格 5 已隔离并登记不合格品",
        )

    # Received in full, inspected and put away; then the order closed.
    done = _approved(users, _order(purchaser, supplier, warehouse, [(second, 20, "120.00", 3)]))
    receipt = services.receipt_create(
        actor=clerk, order_id=done.pk, lines=_receipt_lines(done, tag="B"), delivery_note="SH-KT-0002"
    )
    services.receipt_inspect(actor=qa, receipt_id=receipt.pk, lines=_inspection(receipt), note="全部合格")
    services.receipt_put_away(actor=clerk, receipt_id=receipt.pk, location=location)
    services.order_close(actor=purchaser, order_id=done.pk, reason="")

    # Partly delivered: half arrived and waits in quarantine for QA (SUP-7).
    halfway = _approved(users, _order(purchaser, supplier, warehouse, [(last, 10, "260.00", 5)]))
    services.receipt_create(
        actor=clerk, order_id=halfway.pk, lines=_receipt_lines(halfway, quantity=4, tag="C"), delivery_note="SH-KT-0003"
    )

    # Approved and overdue: nothing arrived by the due date (late delivery, SUP-5).
    _approved(users, _order(purchaser, supplier, warehouse, [(second, 40, "118.00", -3)], note="催货中"))

    # Waiting the purchasing manager; above the limit waiting the general manager (approval by amount, SUP-4).
    small = _order(purchaser, supplier, warehouse, [(first, 50, "36.00", 14)])
    services.order_submit(actor=purchaser, order_id=small.pk)
    limit = services.approval_limit()
    price = (limit / 100 + 500).quantize(Decimal("0.01"))
    large = _order(purchaser, supplier, warehouse, [(first, 100, str(price), 21)], note="年度集中采购")
    services.order_submit(actor=purchaser, order_id=large.pk)

    # A cancelled order, and (the newest) a draft whose SUP-4 terms are not written yet.
    cancelled = _order(purchaser, supplier, warehouse, [(first, 30, "35.00", 10)])
    services.order_cancel(actor=purchaser, order_id=cancelled.pk, reason="需求合并到年度集中采购")
    _order(purchaser, supplier, warehouse, [(second, 10, "120.00", 30)], terms=False, note="条款待与供方确认")
