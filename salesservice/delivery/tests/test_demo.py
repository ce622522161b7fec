"""The demo loader never fails and tells its stories through the services (DEL-1, DEL-2, DEL-6)."""

import pytest

from salesservice.sales.choices import OrderStatus

from .. import demo
from ..choices import DeliveryStatus
from ..models import Delivery
from .factories import allocated_order

pytestmark = pytest.mark.django_db


def test_load_demo_does_nothing_without_an_allocated_order():
    demo.load_demo()
    assert not Delivery.objects.exists()


def test_load_demo_ships_one_allocated_order_and_is_idempotent():
    order = allocated_order()
    demo.load_demo()
    demo.load_demo()
    assert Delivery.objects.get().order == order
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_deliver_with_concession_releases_the_order():
    order = allocated_order()
    demo.deliver_with_concession(order)
    delivery = Delivery.objects.get(order=order)
    assert delivery.status == DeliveryStatus.RELEASED and delivery.concession_approved
    assert delivery.incidents.get().customer_informed_at is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
