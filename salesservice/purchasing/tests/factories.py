"""Builders for purchasing tests: suppliers and warehouses come from the suppliers / inventory apps (the two
adapters below are the only place that knows how they are made); orders and receipts go through our
services (their rules are behaviour)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.tests.factories import InspectionItemFactory, InspectionTemplateFactory, ProductFactory
from salesservice.core.models import OrgUnit, User

from .. import services

TERMS = {
    "quality_standard": "符合 GB 9706.1-2020 及产品注册技术要求",
    "acceptance_method": "到货按验收标准逐项检验：外观、性能、规格、数量",
    "return_terms": "不合格品 7 日内退换，运费由供方承担",
    "payment_terms": "验收合格后 30 天付款",
}


def user(username: str) -> User:
    return User.objects.get(username=username)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


# --- adapters to the suppliers and inventory apps ---------------------------------------------


def qualified_supplier(*products, name=None):
    """A supplier on the approved qualified-supplier list for `products` (SUP-2)."""
    from salesservice.suppliers.tests.factories import qualified_supplier as make

    return make(*products, name=name)


def unlisted_supplier(name=None):
    """A supplier not on any approved list (SUP-2 refuses every product)."""
    from salesservice.suppliers.tests.factories import unlisted_supplier as make

    return make(name=name)


def delist(supplier):
    """Take the supplier off the approved list (suspend it): SUP-2 refuses it from now on."""
    from salesservice.suppliers.tests.factories import delist as take_off

    take_off(supplier)


def warehouse(code="WH-T"):
    """A warehouse of the warehouse department (dept-warehouse), with its special locations."""
    from salesservice.inventory.tests.factories import warehouse as make

    return make(code=code, org_unit=OrgUnit.objects.get(code="dept-warehouse"))


def storage_location(wh, code="A-01"):
    from salesservice.inventory.tests.factories import storage_location as make

    return make(wh, code=code)


# --- products ----------------------------------------------------------------------------------


def checked_product(**extra):
    """A product with a four-point acceptance standard (SUP-6)."""
    template = InspectionTemplateFactory()
    for order, (group, text) in enumerate(
        [
            ("appearance", "外包装完好"),
            ("performance", "通电自检正常"),
            ("specification", "型号规格相符"),
            ("quantity", "数量相符"),
        ]
    ):
        InspectionItemFactory(template=template, group=group, text=text, order=order)
    return ProductFactory(acceptance_template=template, **extra)


def batch_product(**extra):
    return checked_product(tracking_mode=TrackingMode.BATCH, shelf_life_tracked=True, shelf_life_days=720, **extra)


def serial_product(**extra):
    return checked_product(tracking_mode=TrackingMode.SERIAL, **extra)


# --- documents ----------------------------------------------------------------------------------


def make_order(
    *,
    products=None,
    supplier=None,
    wh=None,
    quantity=100,
    price="100.00",
    due_in=10,
    actor="purchaser",
    terms=True,
    **extra,
):
    products = products or [batch_product()]
    supplier = supplier or qualified_supplier(*products)
    wh = wh or warehouse()
    return services.order_create(
        actor=user(actor),
        supplier=supplier,
        warehouse=wh,
        lines=[
            {"product": p, "quantity": quantity, "unit_price": Decimal(price), "due_date": days(due_in)}
            for p in products
        ],
        **(TERMS if terms else {}),
        **extra,
    )


def approved_order(**kwargs):
    order = make_order(**kwargs)
    services.order_submit(actor=user("purchaser"), order_id=order.pk)
    approver = "gm" if order.total > services.approval_limit() else "purchasing_manager"
    return services.order_approve(actor=user(approver), order_id=order.pk)


def receipt_lines(order, **overrides):
    """One receipt line per order line for its whole outstanding quantity, with what its tracking asks."""
    lines = []
    for index, line in enumerate(order.lines.select_related("product").order_by("id")):
        values = {"order_line": line.pk, "quantity": line.outstanding}
        product = line.product
        if product.tracking_mode == TrackingMode.BATCH:
            values["lot_number"] = f"B{order.pk}-{index}"
        if product.tracking_mode == TrackingMode.SERIAL:
            values["serial_numbers"] = [f"SN{order.pk}-{index}-{n}" for n in range(line.outstanding)]
        if product.shelf_life_tracked:
            values["production_date"] = days(-30)
            values["expiry_date"] = days(335)
        values.update(overrides)
        lines.append(values)
    return lines


def make_receipt(order, actor="warehouse_clerk", **overrides):
    return services.receipt_create(
        actor=user(actor), order_id=order.pk, lines=receipt_lines(order, **overrides), delivery_note="DN-1"
    )


def all_pass(line):
    from ..services import template_items

    return [{"item": item.pk, "result": "pass"} for item in template_items(line.product)]


def inspect(receipt, *, rejected=0, actor="qa_inspector", note="外包装破损", rejected_serials=None):
    lines = []
    for line in receipt.lines.select_related("product").order_by("id"):
        lines.append(
            {
                "line": line.pk,
                "accepted": line.quantity - rejected,
                "rejected": rejected,
                "note": note if rejected else "",
                "rejected_serials": rejected_serials or [],
                "checks": all_pass(line),
            }
        )
    return services.receipt_inspect(actor=user(actor), receipt_id=receipt.pk, lines=lines)
