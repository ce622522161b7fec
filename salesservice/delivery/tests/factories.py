"""Builders for delivery tests: a qualified hospital, a class II device with every GSP field, stock put away
the SUP-7 way, and a sales order taken through the sales services up to `allocated` (their rules are
behaviour); a signed contract is built directly (its review is the sales app's business, tested there)."""

import base64
import struct
import zlib
from decimal import Decimal

from django.utils import timezone

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.tests.factories import MedicalDeviceFactory
from salesservice.core.models import OrgUnit, User
from salesservice.customers.choices import CustomerType
from salesservice.customers.tests.factories import ContactFactory, CustomerFactory, QualificationFactory
from salesservice.inventory.tests.factories import stocked, storage_location
from salesservice.inventory.tests.factories import warehouse as make_warehouse
from salesservice.sales import services as sales
from salesservice.sales.choices import ConfirmChannel, ContractStatus
from salesservice.sales.models import Contract, ContractLine

from .. import services


def user(username: str) -> User:
    return User.objects.get(username=username)


def _png() -> bytes:
    """A real 8×4 PNG — what the signature pad sends."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * 8 for _ in range(4))
    header = struct.pack(">IIBBBBB", 8, 4, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


SIGNATURE = "data:image/png;base64," + base64.b64encode(_png()).decode()


def device(**extra):
    """A class II medical device tracked by lot, with every TRC-1 field."""
    extra.setdefault("manufacturer_licence_no", "沪食药监械生产许20150001号")
    return MedicalDeviceFactory(
        tracking_mode=TrackingMode.BATCH,
        shelf_life_tracked=True,
        shelf_life_days=730,
        price=Decimal("1000.00"),
        **extra,
    )


def hospital(store_code: str = "sh-xuhui", **extra):
    """A hospital of the store, licensed for class II/III devices, with a primary contact."""
    customer = CustomerFactory(
        customer_type=CustomerType.HOSPITAL,
        store=OrgUnit.objects.get(code=store_code),
        name=extra.pop("name", None) or f"测试医院{OrgUnit.objects.count()}{timezone.now().microsecond}",
        **extra,
    )
    QualificationFactory(customer=customer)
    ContactFactory(customer=customer, name="设备科 王主任", is_primary=True, address="上海市徐汇区宛平南路 600 号")
    return customer


def warehouse():
    wh = make_warehouse(code="WH-DL", org_unit=OrgUnit.objects.get(code="dept-warehouse"))
    storage_location(wh, "A-01")
    return wh


def signed_contract(customer, product, quantity=2, *, installation=False, training=False, protect=False):
    """A signed sales contract with the delivery obligations asked for (DEL-3, DEL-4, DEL-7)."""
    contract = Contract.objects.create(
        number=f"HT-T-{Contract.objects.count() + 1:04d}",
        org_unit=customer.store,
        customer=customer,
        title="测试合同",
        total=product.price * quantity,
        acceptance_terms="到货共同验收，签署验收单",
        installation_required=installation,
        training_required=training,
        protect_to_destination=protect,
        status=ContractStatus.SIGNED,
        created_by=user("xuhui_manager"),
    )
    ContractLine.objects.create(
        contract=contract, product=product, quantity=quantity, list_price=product.price, unit_price=product.price
    )
    return contract


def allocated_order(*, customer=None, product=None, quantity=2, stock=10, contract=None, wh=None, lot_number=None):
    """A sales order entered by the store's CS rep, reviewed by its manager, confirmed and allocated FEFO."""
    product = product or device()
    customer = customer or hospital()
    wh = wh or warehouse()
    if stock:
        stocked(product, stock, wh=wh, location=storage_location(wh, "A-01"), lot_number=lot_number or f"L{product.pk}")
    order = sales.order_create(
        actor=user("xuhui_cs"),
        customer=customer,
        warehouse=wh,
        contract=contract,
        lines=None if contract else [{"product": product, "quantity": quantity}],
        ship_to_contact="设备科 王主任",
        ship_to_phone="13912345678",
        ship_to_address="上海市徐汇区宛平南路 600 号",
    )
    sales.order_review(actor=user("xuhui_manager"), order_id=order.pk)
    sales.order_confirm(
        actor=user("xuhui_cs"), order_id=order.pk, confirmed_with="王主任", confirm_channel=ConfirmChannel.PHONE
    )
    return sales.order_allocate(actor=user("warehouse_clerk"), order_id=order.pk)


SHIP = {"carrier": "顺丰速运", "tracking_no": "SF1234567890", "packing": "原厂纸箱 + 防震泡沫", "package_count": 1}


def ship(order, actor="warehouse_clerk", **extra):
    services.order_ship(actor=user(actor), order_id=order.pk, **{**SHIP, **extra})
    return order.deliveries.get()


ALL_PASS = [
    {"item": "packing_list", "result": "pass"},
    {"item": "appearance", "result": "pass"},
    {"item": "installation", "result": "na"},
    {"item": "function", "result": "pass"},
]


def checks(**results):
    return [{"item": row["item"], "result": results.get(row["item"], row["result"]), "note": ""} for row in ALL_PASS]


def accept(delivery, actor="xuhui_engineer", **extra):
    values = {"checks": ALL_PASS, "signer_name": "王主任", "signature_data_url": SIGNATURE, **extra}
    return services.delivery_accept(actor=user(actor), delivery_id=delivery.pk, **values)


def shipped_delivery(**kwargs):
    return ship(allocated_order(**kwargs))
