"""Storage environment (INV-1) and the disposition of nonconforming stock (SUP-8)."""

from decimal import Decimal

import pytest

from salesservice.core.exceptions import DomainError
from salesservice.core.models import Notification
from salesservice.inspection import services as inspection
from salesservice.inspection.models import Nonconformance

from .. import environment, services
from ..choices import LocationKind, MoveKind
from ..models import Location, StockMove, StockQuant
from .factories import batch_product, in_days, stocked, storage_location, warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def cold_product():
    return batch_product(storage_temp_min=Decimal("2"), storage_temp_max=Decimal("8"), storage_humidity_max=60)


def close(nc, users, disposition, note="按规定处置"):
    qa = users["qa_inspector"]
    inspection.nonconformance_dispose(actor=qa, nonconformance_id=nc.pk, disposition=disposition, note=note)
    return inspection.nonconformance_close(actor=qa, nonconformance_id=nc.pk)


def test_an_excursion_raises_a_nonconformance_holds_the_lot_and_tells_qa(users):
    """INV-1: 12°C in a 2–8°C product's location → NC (source storage), lot held, QA and warehouse notified."""
    clerk = users["warehouse_clerk"]
    product = cold_product()
    shelf = storage_location(warehouse(), "COLD-1")
    lot = stocked(product, 20, location=shelf)
    fine = environment.reading_record(actor=clerk, location=shelf, temperature="5.0", humidity=40)
    assert fine.excursion is False and services.available(product) == 20
    reading = environment.reading_record(actor=clerk, location=shelf, temperature="12.0", humidity=40)
    assert reading.excursion and "温度 12.0°C 超出 2.0~8.0°C" in reading.excursion_detail
    nc = reading.nonconformances.get()
    assert nc.source == "storage" and nc.batch_number == lot.lot_number and nc.quantity == 20
    lot.refresh_from_db()
    assert lot.held and lot.hold_nonconformance == nc
    assert services.available(product) == 0
    assert Notification.objects.filter(recipient=users["qa_inspector"], title__contains=nc.number).exists()
    assert Notification.objects.filter(recipient=clerk, title__contains="储存环境超限").exists()
    again = environment.reading_record(actor=clerk, location=shelf, temperature="13.0")
    assert again.excursion and again.nonconformances.count() == 0  # already held: no second NC
    assert Nonconformance.objects.count() == 1


def test_readings_refuse_empty_or_impossible_values(users):
    clerk = users["warehouse_clerk"]
    shelf = storage_location(warehouse())
    for kwargs, code in (({}, "inventory.reading_empty"), ({"temperature": "120"}, "inventory.reading_out_of_bounds")):
        with pytest.raises(DomainError) as caught:
            environment.reading_record(actor=clerk, location=shelf, **kwargs)
        assert caught.value.code == code


def test_a_concession_releases_the_hold(users):
    product = cold_product()
    shelf = storage_location(warehouse(), "COLD-1")
    lot = stocked(product, 20, location=shelf)
    nc = environment.reading_record(
        actor=users["warehouse_clerk"], location=shelf, temperature="9"
    ).nonconformances.get()
    close(nc, users, "concession", note="超温 1°C 持续 10 分钟，评估不影响质量")
    lot.refresh_from_db()
    assert not lot.held and services.available(product) == 20


def test_scrapping_a_held_lot_takes_the_stock_out_of_the_ledger(users):
    product = cold_product()
    shelf = storage_location(warehouse(), "COLD-1")
    lot = stocked(product, 20, location=shelf)
    nc = environment.reading_record(
        actor=users["warehouse_clerk"], location=shelf, temperature="30"
    ).nonconformances.get()
    close(nc, users, "scrap")
    scrap = StockMove.objects.get(kind=MoveKind.SCRAP)
    assert scrap.quantity == 20 and scrap.nonconformance == nc and scrap.to_location is None
    assert StockQuant.objects.get(lot=lot, location=shelf).quantity == 0
    lot.refresh_from_db()
    assert not lot.held


@pytest.mark.parametrize(
    ("disposition", "kind", "staged"),
    [("return_to_supplier", MoveKind.RETURN_TO_SUPPLIER, 95), ("rework", MoveKind.RELEASE, 100)],
)
def test_rejected_receipt_stock_follows_the_disposition(users, disposition, kind, staged):
    """SUP-8: the 5 rejected at receiving leave for the supplier, or come back to staging after rework."""
    clerk, qa = users["warehouse_clerk"], users["qa_inspector"]
    product = batch_product()
    wh = warehouse()
    lot = services.lot_for(product=product, lot_number="R1", expiry_date=in_days(300))
    services.receive_into_quarantine(actor=clerk, warehouse=wh, lot=lot, quantity=100, reference="RC-7")
    nc = inspection.nonconformance_raise(
        actor=qa, source="receiving", product=product, org_unit=wh.org_unit, description="5 件外观划伤", quantity=5
    )
    services.release_inspected(
        actor=qa, warehouse=wh, lot=lot, accepted=95, rejected=5, reference="RC-7", nonconformance=nc
    )
    close(nc, users, disposition)
    rejected = Location.objects.get(warehouse=wh, kind=LocationKind.REJECTED)
    assert StockQuant.objects.get(lot=lot, location=rejected).quantity == 0
    assert StockMove.objects.filter(nonconformance=nc, kind=kind, quantity=5).exists()
    staging = StockQuant.objects.get(lot=lot, location__kind=LocationKind.STAGING)
    assert staging.quantity == staged
