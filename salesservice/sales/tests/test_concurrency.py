"""SAL-6 / issue 14 "concurrent orders never oversell" on PostgreSQL: twelve confirmed sales orders race to
allocate the same 50 units, each on its own connection, released together by a barrier; and two creators
never take the same order number."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import F, Sum

from salesservice.core.exceptions import DomainError
from salesservice.inventory.models import StockQuant

from ..choices import OrderStatus
from ..models import SalesOrder
from . import factories as f


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twelve_orders_race_for_fifty_units_and_never_oversell():
    """SAL-6: 12 orders of 5 against 50 units in two lots — exactly 10 allocate, 2 are refused with
    `inventory.insufficient_stock` and stay confirmed; nothing is reserved beyond stock; numbers are unique."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org
    from salesservice.core.policy_defaults import seed_policy_defaults

    load_demo_org()
    seed_policy_defaults()
    product = f.device()
    f.stock(product, 30, lot_number="R-1", expiry=f.days(200))
    f.stock(product, 20, lot_number="R-2", expiry=f.days(400), location_code="A-02")
    customer = f.hospital()
    orders = [f.confirmed(f.reviewed(f.order(customer, [(product, 5)]))) for _ in range(12)]
    assert len({o.number for o in orders}) == 12

    done, refused, errors = _race(orders)

    assert not errors, errors
    assert len(done) == 10
    assert refused == ["inventory.insufficient_stock"] * 2
    assert SalesOrder.objects.filter(status=OrderStatus.ALLOCATED).count() == 10
    assert SalesOrder.objects.filter(status=OrderStatus.CONFIRMED).count() == 2
    quants = StockQuant.objects.filter(product=product)
    assert quants.aggregate(r=Sum("reserved"))["r"] == 50
    assert not quants.filter(reserved__gt=F("quantity")).exists()


def _race(orders):
    """Allocate every order at once, each on its own connection: (done ids, refusal codes, other errors)."""
    barrier = threading.Barrier(len(orders))
    lock = threading.Lock()
    done: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def work(order_id: int) -> None:
        try:
            barrier.wait()
            f.allocated(SalesOrder(pk=order_id))
            with lock:
                done.append(order_id)
        except DomainError as error:
            with lock:
                refused.append(error.code)
        except BaseException as error:  # noqa: BLE001 — reported by the caller
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(o.pk,)) for o in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done, refused, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_multi_line_orders_race_without_deadlock_or_oversell():
    """SAL-6: eight orders for 5 of A and 5 of B (entered in either line order) against 20 of A and 30 of B —
    the batch allocation locks in product then FEFO order, so nobody deadlocks: exactly 4 allocate."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org
    from salesservice.core.policy_defaults import seed_policy_defaults

    load_demo_org()
    seed_policy_defaults()
    a, b = f.device(), f.device()
    f.stock(a, 12, lot_number="A-1", expiry=f.days(200))
    f.stock(a, 8, lot_number="A-2", expiry=f.days(300), location_code="A-02")
    f.stock(b, 30, lot_number="B-1", expiry=f.days(200))
    customer = f.hospital()
    orders = [
        f.confirmed(f.reviewed(f.order(customer, [(a, 5), (b, 5)] if i % 2 else [(b, 5), (a, 5)]))) for i in range(8)
    ]
    done, refused, errors = _race(orders)
    assert not errors, errors
    assert len(done) == 4 and refused == ["inventory.insufficient_stock"] * 4
    for product, reserved in ((a, 20), (b, 20)):
        quants = StockQuant.objects.filter(product=product)
        assert quants.aggregate(r=Sum("reserved"))["r"] == reserved
        assert not quants.filter(reserved__gt=F("quantity")).exists()
