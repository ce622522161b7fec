"""Builders for sales tests (and delivery / trace tests): a qualified hospital, a class III device in stock,
and documents made through the sales services (their rules are behaviour)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from salesservice.catalog.tests.factories import MedicalDeviceFactory, ProductFactory
from salesservice.core.models import User
from salesservice.customers.choices import CustomerType, QualificationKind
from salesservice.customers.tests.factories import ContactFactory, CustomerFactory, QualificationFactory
from salesservice.inventory.tests.factories import stocked, storage_location, warehouse

from .. import services
from ..choices import ConfirmChannel, ReviewItem, ReviewResult

TERMS = {
    "delivery_terms": "合同签订后 15 日内送货上门，含运输保险",
    "acceptance_terms": "到货后双方共同验收：装箱单、外观、安装调试、功能",
    "payment_terms": "定金 10%，验收合格后 30 日内付清余款",
}


def user(username: str) -> User:
    return User.objects.get(username=username)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def hospital(*, classes: str = "II,III", valid_until=None, name: str = "徐汇区中心医院", store=None):
    """A hospital customer of 上海徐汇店 with a contact and a licence covering `classes`."""
    extra = {"store": store} if store is not None else {}
    customer = CustomerFactory(customer_type=CustomerType.HOSPITAL, name=name, **extra)
    ContactFactory(
        customer=customer, name="王主任", phone="13912345678", address="上海市徐汇区宛平南路 600 号", is_primary=True
    )
    QualificationFactory(
        customer=customer,
        kind=QualificationKind.MEDICAL_INSTITUTION_LICENCE,
        scope_classes=classes,
        valid_until=valid_until if valid_until is not None else days(365),
    )
    return customer


def device(**extra):
    """A class III medical device with everything the GSP record needs (TRC-1), price 10 000."""
    extra.setdefault("device_class", "III")
    extra.setdefault("price", Decimal("10000.00"))
    extra.setdefault("manufacturer_licence_no", "沪食药监械生产许20150001号")
    extra.setdefault("shelf_life_tracked", True)
    extra.setdefault("shelf_life_days", 1095)
    extra.setdefault("tracking_mode", "batch")
    return MedicalDeviceFactory(**extra)


def appliance(**extra):
    return ProductFactory(**extra)


def stock(product, quantity: int, lot_number: str = "L1", expiry=None, location_code="A-01"):
    wh = warehouse()
    return stocked(
        product, quantity, wh=wh, location=storage_location(wh, location_code), lot_number=lot_number, expiry=expiry
    )


def order(customer, lines, *, actor="sales_rep", **extra):
    """A draft order: `lines` is [(product, quantity)] or [(product, quantity, unit_price)]."""
    rows = [{"product": p, "quantity": n, **({"unit_price": rest[0]} if rest else {})} for p, n, *rest in lines]
    return services.order_create(actor=user(actor), customer=customer, warehouse=warehouse(), lines=rows, **extra)


def reviewed(o, reviewer="xuhui_manager"):
    return services.order_review(actor=user(reviewer), order_id=o.pk)


def confirmed(o):
    return services.order_confirm(
        actor=user("sales_rep"), order_id=o.pk, confirmed_with="王主任", confirm_channel=ConfirmChannel.PHONE
    )


def allocated(o):
    return services.order_allocate(actor=user("warehouse_clerk"), order_id=o.pk)


def ready_to_ship(customer=None, product=None, quantity: int = 2):
    """A hospital's order for a stocked class III device, reviewed, confirmed and allocated."""
    customer = customer or hospital()
    if product is None:  # a product given by the caller is stocked by the caller
        product = device()
        stock(product, max(quantity, 10))
    o = order(customer, [(product, quantity)])
    reviewed(o)
    confirmed(o)
    return allocated(o)


def contract(customer, lines, **terms):
    rows = [{"product": p, "quantity": n, **({"unit_price": rest[0]} if rest else {})} for p, n, *rest in lines]
    return services.contract_create(
        actor=user("sales_rep"), customer=customer, title="设备采购合同", lines=rows, **{**TERMS, **terms}
    )


def reviewed_contract(c):
    """Submit for review and have each department sign off its item (SAL-1)."""
    services.contract_submit_review(actor=user("sales_rep"), contract_id=c.pk)
    for item, who in (
        (ReviewItem.REQUIREMENTS, "sales_rep"),
        (ReviewItem.DELIVERY, "warehouse_clerk"),
        (ReviewItem.PRICE_TERMS, "xuhui_manager"),
        (ReviewItem.QUALIFICATION, "qa_inspector"),
    ):
        services.contract_review(actor=user(who), contract_id=c.pk, item=item, result=ReviewResult.PASS)
    c.refresh_from_db()
    return c
