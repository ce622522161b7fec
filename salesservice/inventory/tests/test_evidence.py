"""Compliance evidence of inventory (issue 16 §4): INV-1 readings and excursion notices, INV-3 the stock analysis,
INV-4 the ledger's documents, PRD-2 product identification, PRD-3 lot registry, TRC-3 signatures — met, short with
the offending record listed, no records → no_data (never met)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.core.models import Notification
from salesservice.core.policy import policy_value
from salesservice.dashboards.compliance import compliance_report

from .. import environment, evidence, services
from ..choices import MoveKind
from ..models import StorageReading
from .factories import batch_product, in_days, stocked, storage_location, warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _period(unit=None):
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=30), today, unit)


def _figures(item):
    return {figure.label: figure.value for figure in item.figures}


def _received(product, actor, *, lot_number="R1", supplier=7, production=True):
    """A lot of `product` received (signed by `actor`) into the warehouse's quarantine, with its supplier."""
    lot = services.lot_for(
        product=product,
        lot_number=lot_number,
        production_date=in_days(-30) if production else None,
        expiry_date=in_days(365) if product.shelf_life_tracked else None,
        supplier=supplier,
    )
    services.receive_into_quarantine(actor=actor, warehouse=warehouse(), lot=lot, quantity=10, reference="RC-T-1")
    return lot


def test_inv1_readings_recorded_and_excursions_told_to_the_warehouse(users):
    """INV-1: readings recorded → met with the excursion count; the excursion's notice found → met; without its
    notice → short, the location listed; no reading → no_data."""
    assert evidence.storage_readings_recorded(_period()).status == NO_DATA
    assert evidence.excursions_reminded(_period()).status == NO_DATA
    clerk = users["warehouse_clerk"]
    product = batch_product(storage_temp_min=Decimal("2"), storage_temp_max=Decimal("8"))
    shelf = storage_location(warehouse(), "COLD-1")
    stocked(product, 20, location=shelf)
    stocked(product, 5, location=shelf, lot_number="L2")  # two lots: one excursion, two nonconformances
    environment.reading_record(actor=clerk, location=shelf, temperature="5.0")
    assert evidence.excursions_reminded(_period()).status == NO_DATA  # no excursion: nothing to remind
    environment.reading_record(actor=clerk, location=shelf, temperature="12.0")
    recorded = evidence.storage_readings_recorded(_period())
    assert recorded.status == MET and (_figures(recorded)["记录数"], _figures(recorded)["超限"]) == (2, 1)
    told = evidence.excursions_reminded(_period())
    assert told.status == MET and _figures(told)["记录数"] == 1
    assert _figures(told)["超限登记的不合格品（批次已冻结）"] == 2

    Notification.objects.filter(kind="inventory.excursion").delete()
    untold = evidence.excursions_reminded(_period())
    assert untold.status == SHORT and untold.shortfall_count == 1
    assert untold.shortfalls[0].label.startswith("WH-T/COLD-1")
    assert f"location={shelf.pk}" in untold.shortfalls[0].url
    assert compliance_report(_period(), only={"INV-1"}).results[0].status == SHORT


def test_inv3_the_stock_analysis_with_the_policy_parameters(users):
    """INV-3: stock in the unit's warehouses → measured (met) with turnover and the policy's lead time and target
    cover; no stock and no movement → no_data."""
    assert evidence.stock_structure_analysed(_period()).status == NO_DATA
    stocked(batch_product(), 20)
    item = evidence.stock_structure_analysed(_period())
    figures = _figures(item)
    assert item.status == MET and figures["分析商品"] == 1 and figures["期间出库"] == 0
    assert figures["补货提前期"] == int(policy_value("inventory.lead_time_days"))
    assert figures["目标可供天数"] == int(policy_value("inventory.target_cover_days"))
    assert "/inventory/analysis/?start=" in item.records_url
    assert compliance_report(_period(), only={"INV-3"}).results[0].status == MET


def test_inv4_every_ledger_row_names_its_document(users):
    """INV-4: moves with their document → met; a move written without one → short, its lot listed."""
    assert evidence.ledger_rows_with_their_document(_period()).status == NO_DATA
    lot = stocked(batch_product(), 10)
    assert evidence.ledger_rows_with_their_document(_period()).status == MET
    services._move(
        actor=users["warehouse_clerk"],
        lot=lot,
        warehouse_id=lot.moves.first().warehouse_id,
        kind=MoveKind.ADJUST,
        quantity=1,
        reference=(None, "", ""),
        at=timezone.now(),
        to_location=storage_location(warehouse()),
    )
    item = evidence.ledger_rows_with_their_document(_period())
    assert item.status == SHORT and item.shortfall_count == 1
    assert item.shortfalls[0].url == f"/inventory/lots/{lot.pk}/"


def test_prd2_products_moved_carry_their_identification(users):
    """PRD-2: a product moved with name, manufacturer and origin → met; a medical device without its Chinese label
    → short, listed by code."""
    from salesservice.catalog.tests.factories import MedicalDeviceFactory

    assert evidence.handled_products_identified(_period()).status == NO_DATA
    stocked(batch_product(), 10)
    assert evidence.handled_products_identified(_period()).status == MET
    device = MedicalDeviceFactory(tracking_mode="batch", has_chinese_label=False)
    stocked(device, 5, lot_number="D1")
    item = evidence.handled_products_identified(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [f"{device.code} {device.name}"]


def test_prd3_received_lots_carry_supplier_and_dates(users):
    """PRD-3: a received lot with its supplier, production and expiry dates → met; one without a supplier → short,
    listed with its lot number."""
    clerk = users["warehouse_clerk"]
    assert evidence.received_lots_registered(_period()).status == NO_DATA
    _received(batch_product(), clerk, lot_number="OK-1")
    assert evidence.received_lots_registered(_period()).status == MET
    product = batch_product()
    _received(product, clerk, lot_number="NO-SUP", supplier=None)
    item = evidence.received_lots_registered(_period())
    assert item.status == SHORT and [link.label for link in item.shortfalls] == [f"{product.code} NO-SUP"]
    assert compliance_report(_period(), only={"PRD-3"}).results[0].status == SHORT


def test_trc3_readings_and_ledger_rows_are_signed(users):
    """TRC-3: a signed reading and a signed receipt move → met; an unsigned reading and an unsigned move → short."""
    clerk = users["warehouse_clerk"]
    assert evidence.readings_signed(_period()).status == NO_DATA
    assert evidence.ledger_rows_signed(_period()).status == NO_DATA
    shelf = storage_location(warehouse(), "A-09")
    reading = environment.reading_record(actor=clerk, location=shelf, temperature="20.0")
    _received(batch_product(), clerk)
    assert evidence.readings_signed(_period()).status == MET
    assert evidence.ledger_rows_signed(_period()).status == MET

    StorageReading.objects.filter(pk=reading.pk).update(recorded_by=None)
    stocked(batch_product(), 5, lot_number="UNSIGNED")  # the factory moves stock as the system (actor None)
    readings, moves = evidence.readings_signed(_period()), evidence.ledger_rows_signed(_period())
    assert readings.status == SHORT and readings.shortfall_count == 1
    assert moves.status == SHORT and moves.shortfall_count == 3  # receive, release, put away
    assert compliance_report(_period(), only={"TRC-3"}).results[0].status == SHORT


def test_a_store_sees_no_central_warehouse(demo, users):
    """The records belong to the warehouse department's warehouse: a store's report finds none of them."""
    stocked(batch_product(), 10)
    store = _period(demo["sh-xuhui"])
    assert evidence.ledger_rows_with_their_document(store).status == NO_DATA
    assert evidence.stock_structure_analysed(store).status == NO_DATA
    assert evidence.ledger_rows_with_their_document(_period(demo["dept-warehouse"])).status == MET
