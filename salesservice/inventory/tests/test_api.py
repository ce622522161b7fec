"""Inventory API: reads scoped (another unit's warehouse, lot, stock, move, count → 404), stock filters,
availability, stock count create + workflow actions (refusals 409 with codes, stale version 409), storage
readings posted by a sensor gateway, and list query counts independent of the rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.matrix import Matrix, check_api

from .. import counts
from ..models import StockCount, StockMove, StockQuant
from .factories import batch_product, stocked, storage_location, warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


@pytest.fixture
def gz_stock(demo):
    """Stock in a warehouse of 广州天河店 — out of scope for 徐汇 staff."""
    wh = warehouse("WH-GZ", org_unit=demo["gz-tianhe"])
    return stocked(batch_product(), 7, wh=wh), wh


def test_reads_follow_the_permission_matrix_and_hide_other_units(gz_stock, api_for):
    lot, wh = gz_stock
    quant = StockQuant.objects.filter(lot=lot, quantity__gt=0).first()
    move = StockMove.objects.filter(lot=lot).first()
    for url in (
        f"/api/v1/warehouses/{wh.pk}/",
        f"/api/v1/lots/{lot.pk}/",
        f"/api/v1/stock/{quant.pk}/",
        f"/api/v1/stock-moves/{move.pk}/",
        f"/api/v1/locations/{quant.location_id}/",
    ):
        check_api(
            Matrix(url, permitted="warehouse_clerk", out_of_scope="xuhui_manager", no_permission="xuhui_cs"), api_for
        )


def test_stock_list_filters_by_product_state_and_warehouse(api_for):
    product = batch_product()
    stocked(product, 10)
    client = api_for("warehouse_clerk")
    rows = client.get("/api/v1/stock/", {"product": product.pk}).json()["results"]
    assert [(r["location_kind"], r["quantity"], r["available"]) for r in rows] == [("storage", 10, 10)]
    assert client.get("/api/v1/stock/", {"product": product.pk, "state": "quarantine"}).json()["results"] == []
    assert len(client.get("/api/v1/stock/", {"product": product.pk, "include_empty": "true"}).json()["results"]) == 3
    availability = client.get("/api/v1/stock/availability/", {"product": product.pk}).json()
    assert availability["available"] == 10


def test_list_query_count_does_not_grow_with_rows(api_for):
    client = api_for("warehouse_clerk")
    stocked(batch_product(), 1)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries("/api/v1/stock/")  # the first call fills this process's configuration cache (permissions, scope)
    before = {url: queries(url) for url in ("/api/v1/stock/", "/api/v1/stock-moves/", "/api/v1/lots/")}
    for n in range(4):
        stocked(batch_product(), 2, lot_number=f"N{n}")
    assert {url: queries(url) for url in before} == before


def test_stocktake_via_api_create_record_submit_approve(api_for):
    product = batch_product()
    stocked(product, 10)
    clerk = api_for("warehouse_clerk")
    created = clerk.post(
        "/api/v1/stocktakes/", {"warehouse": warehouse().pk}, format="json", HTTP_IDEMPOTENCY_KEY="pd-1"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    started = clerk.post(f"/api/v1/stocktakes/{pk}/start/", {}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "counting"
    line = started.json()["lines"][0]
    stale = clerk.post(f"/api/v1/stocktakes/{pk}/submit/", {"version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    incomplete = clerk.post(f"/api/v1/stocktakes/{pk}/submit/", {}, format="json")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "inventory.count_incomplete"
    recorded = clerk.post(
        f"/api/v1/stocktakes/{pk}/record/",
        {"lines": [{"line": line["id"], "counted_quantity": 9, "reason": "破损 1 件"}]},
        format="json",
    )
    assert recorded.status_code == 200 and recorded.json()["lines"][0]["difference"] == -1
    assert clerk.post(f"/api/v1/stocktakes/{pk}/submit/", {}, format="json").json()["status"] == "submitted"
    assert clerk.post(f"/api/v1/stocktakes/{pk}/approve/", {}, format="json").status_code == 403
    approved = api_for("gm").post(f"/api/v1/stocktakes/{pk}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = api_for("gm").post(f"/api/v1/stocktakes/{pk}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "status.invalid_transition"
    assert StockQuant.objects.get(lot__product=product, location__kind="storage").quantity == 9


def test_stocktake_of_another_unit_is_404(gz_stock, api_for, users):
    _lot, wh = gz_stock
    count = counts.stock_count_create(actor=None, warehouse=wh)
    check_api(
        Matrix(f"/api/v1/stocktakes/{count.pk}/", permitted="warehouse_clerk", out_of_scope="xuhui_manager"), api_for
    )
    refused = api_for("xuhui_manager").post(f"/api/v1/stocktakes/{count.pk}/start/", {}, format="json")
    assert refused.status_code in (403, 404)
    assert StockCount.objects.get(pk=count.pk).status == "draft"


def test_a_sensor_gateway_posts_a_reading_and_an_excursion_answers_with_its_nonconformance(api_for):
    product = batch_product(storage_temp_min=Decimal("2"), storage_temp_max=Decimal("8"))
    shelf = storage_location(warehouse(), "COLD-1")
    stocked(product, 5, location=shelf)
    client = api_for("warehouse_clerk")
    response = client.post("/api/v1/storage-readings/", {"location": shelf.pk, "temperature": "11.5"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["excursion"] is True and body["source"] == "sensor" and len(body["nonconformance_numbers"]) == 1
    bad = client.post("/api/v1/storage-readings/", {"location": shelf.pk}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "inventory.reading_empty"
    hidden = api_for("xuhui_manager").post(
        "/api/v1/storage-readings/", {"location": shelf.pk, "temperature": "5"}, format="json"
    )
    assert hidden.status_code == 403
