"""Shipping (DEL-1, DEL-7, TRC-1, SAL-6): the gate asked again, GSP completeness before anything is issued,
stock issued, GSP records written, the delivery note with its pick list — or nothing at all."""

import datetime as dt

import pytest
from django.utils import timezone

from salesservice.catalog.models import Product
from salesservice.catalog.tests.factories import RestrictionFactory
from salesservice.core.exceptions import DomainError, NotFoundError
from salesservice.customers.models import Qualification
from salesservice.inventory.choices import AllocationStatus
from salesservice.inventory.models import Allocation, StockMove
from salesservice.inventory.services import available
from salesservice.sales.choices import OrderStatus
from salesservice.sales.models import SalesRecord

from .. import services
from ..choices import DeliveryStatus
from ..models import Delivery
from .factories import SHIP, allocated_order, device, hospital, ship, signed_contract, user

pytestmark = pytest.mark.django_db


def _nothing_changed(order):
    order.refresh_from_db()
    assert order.status == OrderStatus.ALLOCATED
    assert not Delivery.objects.filter(order=order).exists()
    assert not SalesRecord.objects.filter(order=order).exists()
    assert not StockMove.objects.filter(reference_id=str(order.pk), kind="ship").exists()
    assert Allocation.objects.filter(reference_id=str(order.pk), status=AllocationStatus.OPEN).exists()


def test_ship_issues_stock_writes_the_gsp_record_and_creates_the_delivery():
    """DEL-1 + TRC-1: the goods leave, each lot's GSP record is written, the delivery note keeps the pick list."""
    product = device()
    order = allocated_order(product=product, quantity=3, stock=10)
    assert available(product) == 7
    delivery = ship(order)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and order.shipped_at is not None
    assert delivery.status == DeliveryStatus.SHIPPED and delivery.number.startswith("DN")
    assert (delivery.carrier, delivery.tracking_no, delivery.packing) == (
        SHIP["carrier"],
        SHIP["tracking_no"],
        SHIP["packing"],
    )
    assert delivery.org_unit_id == order.org_unit_id and delivery.shipped_by == user("warehouse_clerk")
    line = delivery.lines.get()
    assert (line.quantity, line.location_code, line.lot.lot_number) == (3, "A-01", f"L{product.pk}")
    assert not Allocation.objects.filter(reference_id=str(order.pk), status=AllocationStatus.OPEN).exists()
    move = StockMove.objects.get(reference_id=str(order.pk), kind="ship")
    assert move.actor == user("warehouse_clerk")  # TRC-3: the ship move is signed by the shipper
    assert available(product) == 7  # what was reserved left; the rest still free
    record = SalesRecord.objects.get(order=order)
    assert record.shipment_number == delivery.number and record.quantity == 3
    assert record.registration_no == product.registration_no and record.buyer_licence_no
    assert record.is_medical_device and record.manufacturer_licence_no


def test_ship_copies_the_contract_obligations_onto_the_delivery():
    """DEL-7 protection to the destination, DEL-3 installation, DEL-4 training come from the contract."""
    product, customer = device(), hospital()
    contract = signed_contract(customer, product, installation=True, training=True, protect=True)
    delivery = ship(allocated_order(customer=customer, product=product, contract=contract))
    assert delivery.protect_to_destination and delivery.installation_required and delivery.training_required
    assert delivery.acceptance_terms == contract.acceptance_terms


def test_ship_refused_when_the_buyers_qualification_expired_after_review():
    """BUY-1 asked again at shipment: 409, nothing issued."""
    customer = hospital()
    order = allocated_order(customer=customer)
    Qualification.objects.filter(customer=customer).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        ship(order)
    assert refused.value.code == "sales_order.buyer_unqualified" and refused.value.status_code == 409
    _nothing_changed(order)


def test_ship_refused_for_a_product_made_unsellable_after_allocation():
    """PRD-1 asked again at shipment: a QA restriction in force refuses it, nothing issued."""
    product = device()
    order = allocated_order(product=product)
    RestrictionFactory(product=product, set_by=user("qa_inspector"))
    with pytest.raises(DomainError) as refused:
        ship(order)
    assert refused.value.code == "sales_order.unsellable" and refused.value.status_code == 409
    _nothing_changed(order)


def test_ship_refused_when_the_product_lacks_a_gsp_field():
    """TRC-1: a medical device without its manufacturer's licence number cannot be sold; nothing issued."""
    product = device()
    order = allocated_order(product=product)
    Product.objects.filter(pk=product.pk).update(manufacturer_licence_no="")
    with pytest.raises(DomainError) as refused:
        ship(order)
    assert refused.value.code == "sales_record.incomplete" and refused.value.status_code == 409
    assert "生产企业许可证号/备案号" in refused.value.fields["missing"][0]["missing"]
    _nothing_changed(order)


def test_ship_refused_when_the_buyer_has_no_licence_number():
    """TRC-1: the buyer's licence number is a required field of the record."""
    customer = hospital()
    order = allocated_order(customer=customer)
    Qualification.objects.filter(customer=customer).update(number="")
    with pytest.raises(DomainError) as refused:
        ship(order)
    assert refused.value.code == "sales_record.incomplete"
    assert "购货单位许可证号" in refused.value.fields["missing"][0]["missing"]
    _nothing_changed(order)


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("packing", "delivery.packing_required"),
        ("tracking_no", "delivery.carrier_required"),
        ("package_count", "delivery.packing_required"),
    ],
)
def test_ship_needs_packing_carrier_and_tracking(field, code):
    """DEL-1: packing fit for transport, the carrier and the tracking number are recorded."""
    order = allocated_order()
    with pytest.raises(DomainError) as refused:
        ship(order, **{field: "" if field != "package_count" else 0})
    assert refused.value.code == code
    _nothing_changed(order)


def test_ship_out_of_scope_is_not_found():
    """INF-1: a clerk of another store with the ship permission still cannot see the order."""
    from django.contrib.auth.models import Group

    from salesservice.core.models import Membership, OrgUnit, User

    clerk = User.objects.create_user(username="tianhe_clerk", password="x-pass-2026", display_name="天河仓管")
    Membership.objects.create(
        user=clerk, org_unit=OrgUnit.objects.get(code="gz-tianhe"), role=Group.objects.get(name="warehouse_clerk")
    )
    order = allocated_order()
    with pytest.raises(NotFoundError):
        services.order_ship(actor=clerk, order_id=order.pk, **SHIP)
    _nothing_changed(order)


def test_ship_twice_is_refused():
    order = allocated_order()
    ship(order)
    with pytest.raises(DomainError) as refused:
        ship(order)
    assert refused.value.code == "status.invalid_transition"
