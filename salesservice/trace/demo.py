"""Demo records of the trace app for `manage.py load_demo` (idempotent: nothing is added once a recall exists).

Issue 14's demo case — **a recall of one lot reaching three customers** (TRC-2):

- if shipped sales already left GSP sales records with a lot reaching three customers or more, the lot that
  reached the most customers (a medical device first) is recalled;
- otherwise (the sales demo has not shipped that much) a **demo history** is written first: three shipped sales
  of one lot of a medical device in stock, to three customers — sales order, line and GSP sales record rows
  created directly, every order marked `演示历史（追溯召回演示）`. Nowhere else does this app write sales rows.

The recall (二级) is launched by QA: the lot is frozen, three tasks are created; the first customer is contacted
and everything recovered, the second contacted with part recovered, the third still to contact — so the
reconciliation shows shipped = recovered + outstanding with something outstanding.

The loader never breaks `load_demo`: what it needs missing, it does nothing; a refusal is logged and skipped.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from salesservice.core.exceptions import DomainError

from .models import RecallCampaign

log = logging.getLogger(__name__)
DEMO_NOTE = "演示历史（追溯召回演示）"


def load_demo() -> None:
    if RecallCampaign.objects.exists():
        return
    try:
        with transaction.atomic():
            _load()
    except DomainError as error:  # a rule of another app refused a demo step: leave the demo without a recall
        log.warning("trace demo skipped: %s", error)


def _load() -> None:
    from salesservice.core.models import User

    users = {u.username: u for u in User.objects.filter(username__in=["qa_inspector", "sales_rep"])}
    if "qa_inspector" not in users or "sales_rep" not in users:
        return
    reached, lot = _most_reached_lot()
    if reached < 3:  # the case is one lot reaching three customers: write that history if sales have not
        lot = _demo_history(users["sales_rep"]) or lot
    if lot is None:
        return
    _recall(lot, users)


def _most_reached_lot():
    """(customers reached, lot) of the lot whose sales records reached the most customers (devices first)."""
    from salesservice.inventory.models import Lot
    from salesservice.sales.models import SalesRecord

    best = (
        SalesRecord.objects.values("lot_id", "is_medical_device")
        .annotate(customers=Count("customer_id", distinct=True))
        .order_by("-is_medical_device", "-customers", "lot_id")
        .first()
    )
    if best is None:
        return 0, None
    return best["customers"], Lot.objects.filter(pk=best["lot_id"]).select_related("product").first()


def _demo_history(rep):
    """Three shipped sales of one lot of a medical device in storage to three customers (demo history)."""
    from salesservice.customers.models import Customer
    from salesservice.inventory.models import StockQuant
    from salesservice.sales.models import Contract, SalesOrder, SalesOrderLine, SalesRecord

    quant = (
        StockQuant.objects.filter(location__kind="storage", quantity__gte=6, lot__held=False, lot__serial_number="")
        .exclude(product__device_class="none")
        .select_related("lot__product", "warehouse")
        .order_by("-quantity", "pk")
        .first()
    ) or (
        StockQuant.objects.filter(location__kind="storage", quantity__gte=6, lot__held=False, lot__serial_number="")
        .select_related("lot__product", "warehouse")
        .order_by("-quantity", "pk")
        .first()
    )
    buyers = list(
        Customer.objects.filter(is_active=True, is_anonymised=False)
        .filter(Q(customer_type__in=["hospital", "dealer"]))
        .order_by("store_id", "pk")[:3]
    )
    if quant is None or len(buyers) < 3:
        return None
    lot, product = quant.lot, quant.lot.product
    today = timezone.localdate()
    for index, (buyer, quantity) in enumerate(zip(buyers, (2, 3, 1), strict=True), start=1):
        number = f"DEMO-TRC-{lot.pk}-{index}"
        contract = Contract.objects.create(
            number=f"HT-{number}",
            org_unit=buyer.store,
            customer=buyer,
            title=f"{product.name} 采购合同（{DEMO_NOTE}）",
            created_by=rep,
            status="completed",
        )
        order = SalesOrder.objects.create(
            number=f"SO-{number}",
            org_unit=buyer.store,
            customer=buyer,
            contract=contract,
            warehouse=quant.warehouse,
            sales_rep=rep,
            order_date=today - dt.timedelta(days=30 - index * 5),
            note=DEMO_NOTE,
            status="delivered",
            created_by=rep,
        )
        price = product.price or Decimal("100")
        line = SalesOrderLine.objects.create(
            order=order,
            product=product,
            quantity=quantity,
            list_price=price,
            unit_price=price,
            allocated_quantity=quantity,
            shipped_quantity=quantity,
        )
        contact = buyer.contacts.order_by("pk").first()
        SalesRecord.objects.create(
            org_unit=buyer.store,
            order=order,
            order_line=line,
            customer=buyer,
            product=product,
            lot=lot,
            shipment_number=f"FH-{number}",
            sale_date=order.order_date + dt.timedelta(days=2),
            quantity=quantity,
            unit_price=price,
            amount=price * quantity,
            is_medical_device=product.device_class != "none",
            product_name=product.name,
            specification=product.specification,
            registration_no=product.registration_no,
            lot_number=lot.lot_number,
            serial_number=lot.serial_number,
            expiry_date=lot.expiry_date,
            manufacturer=product.manufacturer,
            buyer_name=buyer.name,
            contact=getattr(contact, "name", "") or "采购负责人",
            phone=getattr(contact, "phone", "") or buyer.phone,
            address=buyer.address,
        )
    return lot


def _recall(lot, users) -> None:
    from . import services

    qa = users["qa_inspector"]
    campaign = services.recall_create(
        actor=qa,
        title=f"{lot.product.name} {'批号 ' + lot.lot_number if lot.lot_number else '序列号 ' + lot.serial_number} 召回",
        reason="生产企业通报：该批次灭菌验证记录不完整，存在无菌保证风险，按二级召回处理（演示）",
        level="2",
        lots=[lot.pk],
    )
    services.recall_launch(actor=qa, recall_id=campaign.pk)
    tasks = list(campaign.tasks.order_by("pk"))
    if tasks:  # the first customer: contacted, everything back
        first = tasks[0]
        services.task_contact(actor=qa, task_id=first.pk, note="已电话通知设备科，约定次日上门收回（演示）")
        services.task_recover(actor=qa, task_id=first.pk, quantity=first.shipped_quantity, note="已全部收回（演示）")
    if len(tasks) > 1 and tasks[1].shipped_quantity > 1:  # the second: contacted, part back
        second = tasks[1]
        services.task_contact(actor=qa, task_id=second.pk, note="客户确认收到召回通知，其中 1 件已使用（演示）")
        services.task_recover(
            actor=qa, task_id=second.pk, quantity=second.shipped_quantity - 1, note="部分收回（演示）"
        )
