"""Builders for trace tests. The sales app's order / shipment services are not the subject here: a shipped sale
is built directly as the rows shipment leaves behind — a sales order, its line and the GSP sales record (TRC-1) —
and the stock through the inventory services (the SUP-7 way) so lots, warehouses and scope are real."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.tests.factories import MedicalDeviceFactory
from salesservice.core.models import OrgUnit, User
from salesservice.customers.tests.factories import CustomerFactory
from salesservice.inventory.tests.factories import stocked, storage_location, warehouse
from salesservice.sales.models import Contract, SalesOrder, SalesOrderLine, SalesRecord

_numbers = itertools.count(1)


def user(username: str) -> User:
    return User.objects.get(username=username)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def device(**extra):
    """A class II medical device tracked by lot with expiry."""
    extra.setdefault("tracking_mode", TrackingMode.BATCH)
    extra.setdefault("shelf_life_tracked", True)
    extra.setdefault("shelf_life_days", 730)
    return MedicalDeviceFactory(**extra)


def serial_device(**extra):
    return MedicalDeviceFactory(tracking_mode=TrackingMode.SERIAL, **extra)


def customer(store: str = "sh-xuhui", **extra):
    return CustomerFactory(store=unit(store), **extra)


def central_warehouse():
    wh = warehouse("WH-TRC", org_unit=unit("dept-warehouse"))
    storage_location(wh, "A-01")
    return wh


def stocked_lot(product, quantity: int = 100, lot_number: str = "TRC-L1"):
    """`quantity` of a lot of `product` put away in the central warehouse; returns the lot."""
    wh = central_warehouse()
    return stocked(product, quantity, wh=wh, location=storage_location(wh, "A-01"), lot_number=lot_number)


def sell(lot, buyer, quantity: int, *, seller_unit: str | None = None, contract: bool = True, days_ago: int = 10):
    """A shipped sale of `quantity` of `lot` to `buyer`: order (with a contract), line and GSP sales record.
    Sold by the buyer's store unless `seller_unit` says otherwise."""
    n = next(_numbers)
    org_unit = unit(seller_unit) if seller_unit else buyer.store
    rep = user("sales_rep")
    signed = None
    if contract:
        signed = Contract.objects.create(
            number=f"HT-T-{n:05d}", org_unit=org_unit, customer=buyer, title="采购合同", created_by=rep
        )
    order = SalesOrder.objects.create(
        number=f"SO-T-{n:05d}",
        org_unit=org_unit,
        customer=buyer,
        contract=signed,
        warehouse=central_warehouse(),
        created_by=rep,
        status="shipped",
    )
    product = lot.product
    line = SalesOrderLine.objects.create(
        order=order,
        product=product,
        quantity=quantity,
        list_price=Decimal("100"),
        unit_price=Decimal("100"),
        shipped_quantity=quantity,
    )
    return SalesRecord.objects.create(
        org_unit=org_unit,
        order=order,
        order_line=line,
        customer=buyer,
        product=product,
        lot=lot,
        shipment_number=f"FH-T-{n:05d}",
        sale_date=timezone.localdate() - dt.timedelta(days=days_ago),
        quantity=quantity,
        unit_price=Decimal("100"),
        amount=Decimal("100") * quantity,
        is_medical_device=True,
        product_name=product.name,
        specification=product.specification,
        registration_no=product.registration_no,
        lot_number=lot.lot_number,
        serial_number=lot.serial_number,
        expiry_date=lot.expiry_date,
        manufacturer=product.manufacturer,
        buyer_name=buyer.name,
        contact="王主任",
        phone="13812345678",
        address=buyer.address,
    )


def lot_to_three_customers(quantities=(10, 20, 5)):
    """A lot of a device sold to three customers of 上海徐汇店 (TRC-2's demo case); returns (lot, customers)."""
    lot = stocked_lot(device(), quantity=100)
    buyers = [customer("sh-xuhui") for _ in quantities]
    for buyer, quantity in zip(buyers, quantities, strict=True):
        sell(lot, buyer, quantity)
    return lot, buyers
