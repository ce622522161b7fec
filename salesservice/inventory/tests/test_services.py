"""Stock services — the public API purchasing calls (SUP-7, INV-4, PRD-3, TRC-3), with their refusals."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from salesservice.catalog.choices import TrackingMode
from salesservice.core.exceptions import DomainError
from salesservice.inspection.services import nonconformance_raise

from .. import services
from ..choices import LocationKind, MoveKind
from ..models import Allocation, Location, StockMove, StockQuant
from .factories import ProductFactory, batch_product, in_days, stocked, storage_location, warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def quant(lot, kind, wh=None):
    wh = wh or warehouse()
    found = StockQuant.objects.filter(lot=lot, location__warehouse=wh, location__kind=kind).first()
    return found.quantity if found else 0


def refused(code, call, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


# --- warehouses and lots ---------------------------------------------------------------------------


def test_a_warehouse_comes_with_its_quarantine_staging_and_rejected_locations():
    wh = warehouse("WH-A")
    kinds = set(Location.objects.filter(warehouse=wh).values_list("kind", flat=True))
    assert kinds == {LocationKind.QUARANTINE, LocationKind.STAGING, LocationKind.REJECTED}
    assert storage_location(wh).kind == LocationKind.STORAGE


def test_lot_for_demands_what_the_tracking_mode_needs():
    """PRD-3: lot number for batch tracking, serial for serial tracking, expiry when the shelf life is managed."""
    batch = batch_product()
    refused("inventory.lot_number_required", services.lot_for, product=batch, lot_number="", expiry_date=in_days(9))
    refused("inventory.expiry_required", services.lot_for, product=batch, lot_number="B1")
    refused(
        "inventory.serial_not_tracked", services.lot_for, product=batch, lot_number="B1", serial_number="S1",
        expiry_date=in_days(9),
    )  # fmt: skip
    serial = ProductFactory(tracking_mode=TrackingMode.SERIAL)
    error = refused("inventory.serial_number_required", services.lot_for, product=serial, lot_number="")
    assert "序列号" in str(error.message)
    refused(
        "inventory.expiry_before_production", services.lot_for, product=batch, lot_number="B1",
        production_date=in_days(-10), expiry_date=in_days(-20),
    )  # fmt: skip


def test_lot_for_gets_the_same_lot_fills_blanks_and_refuses_other_dates():
    product = batch_product()

    class Supplier:
        pk = 42

    lot = services.lot_for(product=product, lot_number="B1", expiry_date=in_days(100), supplier=Supplier())
    again = services.lot_for(product=product, lot_number="B1", production_date=in_days(-5))
    assert again.pk == lot.pk and again.production_date == in_days(-5) and again.supplier_id == 42
    refused("inventory.lot_dates_conflict", services.lot_for, product=product, lot_number="B1", expiry_date=in_days(5))


# --- receiving, inspection and put-away (SUP-7) ------------------------------------------------------


def test_received_goods_stay_in_quarantine_and_cannot_be_put_away_or_allocated(users):
    """SUP-7: never put away or allocated before inspection."""
    clerk = users["warehouse_clerk"]
    product = batch_product()
    wh = warehouse()
    shelf = storage_location(wh)
    lot = services.lot_for(product=product, lot_number="Q1", expiry_date=in_days(200))
    move = services.receive_into_quarantine(actor=clerk, warehouse=wh, lot=lot, quantity=100, reference="PO-1")
    assert move.kind == MoveKind.RECEIVE and move.actor == clerk and move.to_location.kind == LocationKind.QUARANTINE
    assert quant(lot, LocationKind.QUARANTINE) == 100 and services.available(product) == 0
    refused(
        "inventory.put_away_from_quarantine", services.put_away,
        actor=clerk, lot=lot, to_location=shelf, quantity=10, reference="PO-1",
    )  # fmt: skip
    quarantine = Location.objects.get(warehouse=wh, kind=LocationKind.QUARANTINE)
    refused(
        "inventory.put_away_from_quarantine", services.put_away,
        actor=clerk, lot=lot, to_location=shelf, quantity=10, reference="PO-1", from_location=quarantine,
    )  # fmt: skip
    refused(
        "inventory.insufficient_stock", services.allocate, actor=clerk, product=product, quantity=1, reference="SO-1"
    )
    assert quant(lot, LocationKind.STORAGE) == 0


def test_partial_acceptance_releases_the_good_and_isolates_the_rest_with_its_nonconformance(users):
    """SUP-7/SUP-8: accept 95, reject 5 — the receipt is not blocked as a whole."""
    clerk, qa = users["warehouse_clerk"], users["qa_inspector"]
    product = batch_product()
    wh = warehouse()
    lot = services.lot_for(product=product, lot_number="P1", expiry_date=in_days(200))
    services.receive_into_quarantine(actor=clerk, warehouse=wh, lot=lot, quantity=100, reference="RC-1")
    refused(
        "inventory.nonconformance_required", services.release_inspected,
        actor=qa, warehouse=wh, lot=lot, accepted=95, rejected=5, reference="RC-1",
    )  # fmt: skip
    refused(
        "inventory.insufficient_quarantine", services.release_inspected,
        actor=qa, warehouse=wh, lot=lot, accepted=101, rejected=0, reference="RC-1",
    )  # fmt: skip
    nc = nonconformance_raise(
        actor=qa, source="receiving", product=product, org_unit=wh.org_unit, description="外包装破损", quantity=5
    )
    moves = services.release_inspected(
        actor=qa, warehouse=wh, lot=lot, accepted=95, rejected=5, reference="RC-1", nonconformance=nc
    )
    assert [(m.kind, m.quantity) for m in moves] == [(MoveKind.RELEASE, 95), (MoveKind.REJECT, 5)]
    assert moves[1].nonconformance == nc
    assert (
        quant(lot, LocationKind.QUARANTINE),
        quant(lot, LocationKind.STAGING),
        quant(lot, LocationKind.REJECTED),
    ) == (
        0,
        95,
        5,
    )
    shelf = storage_location(wh)
    services.put_away(actor=clerk, lot=lot, to_location=shelf, quantity=95, reference="RC-1")
    assert services.available(product) == 95 and services.available(product, wh) == 95
    refused(
        "inventory.insufficient_staging", services.put_away,
        actor=clerk, lot=lot, to_location=shelf, quantity=1, reference="RC-1",
    )  # fmt: skip


def test_put_away_only_into_storage_and_only_with_a_reference(users):
    clerk = users["warehouse_clerk"]
    product = batch_product()
    wh = warehouse()
    lot = stocked(product, 10)
    staging = Location.objects.get(warehouse=wh, kind=LocationKind.STAGING)
    refused(
        "inventory.put_away_target_not_storage", services.put_away,
        actor=clerk, lot=lot, to_location=staging, quantity=1, reference="X",
    )  # fmt: skip
    refused(
        "inventory.reference_required", services.put_away,
        actor=clerk, lot=lot, to_location=storage_location(wh, "B-01"), quantity=1, reference="",
    )  # fmt: skip
    refused(
        "inventory.invalid_quantity", services.put_away,
        actor=clerk, lot=lot, to_location=storage_location(wh, "B-01"), quantity=0, reference="X",
    )  # fmt: skip


def test_a_serial_lot_holds_one_unit():
    product = ProductFactory(tracking_mode=TrackingMode.SERIAL)
    wh = warehouse()
    lot = services.lot_for(product=product, lot_number="", serial_number="SN-1")
    refused(
        "inventory.serial_quantity", services.receive_into_quarantine,
        actor=None, warehouse=wh, lot=lot, quantity=2, reference="RC",
    )  # fmt: skip
    services.receive_into_quarantine(actor=None, warehouse=wh, lot=lot, quantity=1, reference="RC")
    refused(
        "inventory.serial_quantity", services.receive_into_quarantine,
        actor=None, warehouse=wh, lot=lot, quantity=1, reference="RC",
    )  # fmt: skip


# --- allocation: FEFO, never oversold ------------------------------------------------------------------


def test_allocation_is_fefo_and_skips_expired_and_held_lots(users):
    clerk = users["warehouse_clerk"]
    product = batch_product()
    late = stocked(product, 10, lot_number="LATE", expiry=in_days(300))
    soon = stocked(product, 4, lot_number="SOON", expiry=in_days(30))
    stocked(product, 50, lot_number="EXPIRED", expiry=in_days(-1))
    held = stocked(product, 50, lot_number="HELD", expiry=in_days(10))
    services.lot_hold(actor=users["qa_inspector"], lot=held, reason="疑似受潮")
    assert services.available(product) == 14
    allocations = services.allocate(actor=clerk, product=product, quantity=6, reference="SO-1")
    assert [(a.lot.lot_number, a.quantity) for a in allocations] == [("SOON", 4), ("LATE", 2)]
    assert services.available(product) == 8
    error = refused(
        "inventory.insufficient_stock", services.allocate, actor=clerk, product=product, quantity=9, reference="SO-2"
    )
    assert error.status_code == 409 and error.fields["available"] == 8
    assert Allocation.objects.count() == 2  # the refused request reserved nothing
    assert StockQuant.objects.get(lot=late, location__kind=LocationKind.STORAGE).reserved == 2
    assert StockQuant.objects.get(lot=soon, location__kind=LocationKind.STORAGE).reserved == 4


def test_restricted_products_lots_are_never_allocated(users):
    """PRD-1 (seed 002 §6.2, 不得销售的产品) with issue 13 "restricted lots are never allocatable": while a QA
    restriction 禁售标记 is in force — or a derived reason of `catalog.sellability` holds, here an expired
    registration — none of the product's lots is available or allocated, whatever their stock; the refusal
    says why. Lifting the restriction makes the stock allocatable again, FEFO as before."""
    from salesservice.catalog.choices import RestrictionReason
    from salesservice.catalog.services import product_restrict, product_restriction_lift
    from salesservice.catalog.tests.factories import MedicalDeviceFactory

    clerk, qa = users["warehouse_clerk"], users["qa_inspector"]
    product = batch_product()
    stocked(product, 10, lot_number="R-SOON", expiry=in_days(30))
    stocked(product, 20, lot_number="R-LATE", expiry=in_days(300))
    other = batch_product()
    stocked(other, 5, lot_number="R-OTHER")
    assert services.available(product) == 30
    restriction = product_restrict(
        actor=qa, product_id=product.pk, reason_code=RestrictionReason.SAFETY_STANDARD_NOT_MET, reason="抽检漏电流超标"
    )
    assert services.available(product) == 0 and not services.allocatable_quants(product).exists()
    error = refused(
        "inventory.insufficient_stock", services.allocate, actor=clerk, product=product, quantity=1, reference="SO-R1"
    )
    assert error.status_code == 409 and error.fields["available"] == 0
    assert error.fields["unsellable"] == [RestrictionReason.SAFETY_STANDARD_NOT_MET] and "禁止销售" in error.message
    assert not Allocation.objects.filter(product=product).exists()
    assert services.available(other) == 5  # another product's lots are not touched
    product_restriction_lift(actor=qa, restriction_id=restriction.pk, reason="复检合格")
    allocations = services.allocate(actor=clerk, product=product, quantity=12, reference="SO-R2")
    assert [(a.lot.lot_number, a.quantity) for a in allocations] == [("R-SOON", 10), ("R-LATE", 2)]

    device = MedicalDeviceFactory(tracking_mode=TrackingMode.BATCH, registration_expiry=in_days(-1))
    stocked(device, 8, lot_number="R-DEV")
    assert services.available(device) == 0
    error = refused(
        "inventory.insufficient_stock", services.allocate, actor=clerk, product=device, quantity=1, reference="SO-R3"
    )
    assert error.fields["unsellable"] == ["registration_expired"]


def test_released_allocation_frees_stock_and_an_issued_one_ships_it(users):
    clerk = users["warehouse_clerk"]
    product = batch_product()
    lot = stocked(product, 10)
    first, second = (
        services.allocate(actor=clerk, product=product, quantity=n, reference=f"SO-{n}")[0] for n in (3, 4)
    )
    services.release_allocation(actor=clerk, allocation_id=first.pk)
    assert services.available(product) == 6
    refused("status.invalid_transition", services.release_allocation, actor=clerk, allocation_id=first.pk)
    move = services.issue_allocation(actor=clerk, allocation_id=second.pk)
    assert move.kind == MoveKind.SHIP and move.to_location is None and move.reference_number == "SO-4"
    storage = StockQuant.objects.get(lot=lot, location__kind=LocationKind.STORAGE)
    assert (storage.quantity, storage.reserved) == (6, 0)
    assert services.release_allocations(actor=clerk, reference="SO-4") == 0


def test_the_ledger_is_append_only():
    lot = stocked(batch_product(), 5)
    move = StockMove.objects.filter(lot=lot).first()
    move.note = "改写"
    with pytest.raises(ValidationError):
        move.save()
    with pytest.raises(ValidationError):
        move.delete()


# --- permissions and scope -----------------------------------------------------------------------------


def test_permission_and_scope_are_checked(users, demo):
    product = batch_product()
    lot = services.lot_for(product=product, lot_number="X1", expiry_date=in_days(100))
    wh = warehouse()
    refused(
        "permission_denied", services.receive_into_quarantine,
        actor=users["purchaser"], warehouse=wh, lot=lot, quantity=1, reference="RC",
    )  # fmt: skip
    manager = users["xuhui_manager"]
    manager.user_permissions.add(Permission.objects.get(codename="move_stock"))
    manager = type(manager).objects.get(pk=manager.pk)
    other = storage_location(warehouse("WH-GZ", org_unit=demo["gz-tianhe"]))
    refused(
        "inventory.location_not_found", services.put_away,
        actor=manager, lot=lot, to_location=other, quantity=1, reference="RC",
    )  # fmt: skip
    refused(
        "inventory.warehouse_not_found", services.receive_into_quarantine,
        actor=manager, warehouse=other.warehouse, lot=lot, quantity=1, reference="RC",
    )  # fmt: skip


def test_a_store_users_allocation_never_takes_another_units_stock(users, demo):
    """Scoping: stock of a warehouse out of the actor's scope is invisible to its allocation."""
    product = batch_product()
    stocked(product, 5, wh=warehouse("WH-GZ", org_unit=demo["gz-tianhe"]))
    manager = users["xuhui_manager"]
    manager.user_permissions.add(Permission.objects.get(codename="add_allocation"))
    manager = type(manager).objects.get(pk=manager.pk)
    refused(
        "inventory.insufficient_stock", services.allocate, actor=manager, product=product, quantity=1, reference="S"
    )
    refused(
        "inventory.warehouse_not_found", services.allocate,
        actor=manager, product=product, quantity=1, warehouse=warehouse("WH-GZ"), reference="S",
    )  # fmt: skip
