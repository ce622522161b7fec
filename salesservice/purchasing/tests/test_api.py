"""Purchasing API: nested create, the workflow actions (submit, approve, cancel, close; inspect, put-away),
refusals as 409 with a code (SUP-2, SUP-4, SUP-7), If-Match / stale version, scope (404) and permissions."""

import pytest

from ..choices import OrderStatus as O
from ..models import PurchaseOrder, Receipt
from .factories import (
    TERMS,
    all_pass,
    approved_order,
    batch_product,
    days,
    make_order,
    make_receipt,
    qualified_supplier,
    receipt_lines,
    storage_location,
    unlisted_supplier,
    warehouse,
)

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/purchase-orders/"
RECEIPTS = "/api/v1/receipts/"


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _order_body(product, supplier, wh, **overrides):
    body = {
        "supplier": supplier.pk,
        "warehouse": wh.pk,
        **TERMS,
        "lines": [{"product": product.pk, "quantity": 100, "unit_price": "95.50", "due_date": days(10).isoformat()}],
    }
    body.update(overrides)
    return body


def test_create_with_nested_lines_submit_approve(api_for):
    product = batch_product()
    body = _order_body(product, qualified_supplier(product), warehouse())
    created = api_for("purchaser").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="po-1")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "draft" and data["total"] == "9550.00" and len(data["lines"]) == 1
    replay = api_for("purchaser").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="po-1")
    assert replay.headers.get("Idempotent-Replayed") == "true" and PurchaseOrder.objects.count() == 1
    pk = data["id"]
    submitted = api_for("purchaser").post(
        f"{ORDERS}{pk}/submit/", {}, format="json", HTTP_IF_MATCH=str(data["version"])
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    approved = api_for("purchasing_manager").post(f"{ORDERS}{pk}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_sup2_refusal_is_409_with_the_supplier_code(api_for):
    """SUP-2 in the API: off-list supplier → 409 with a `supplier.*` code and a Chinese message."""
    product = batch_product()
    created = api_for("purchaser").post(ORDERS, _order_body(product, unlisted_supplier(), warehouse()), format="json")
    response = api_for("purchaser").post(f"{ORDERS}{created.json()['id']}/submit/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"].startswith("supplier.")
    assert product.name in response.json()["detail"]


def test_sup4_refusal_is_409(api_for):
    product = batch_product()
    body = _order_body(product, qualified_supplier(product), warehouse(), quality_standard="", return_terms="")
    created = api_for("purchaser").post(ORDERS, body, format="json").json()
    response = api_for("purchaser").post(f"{ORDERS}{created['id']}/submit/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "purchase_order.terms_required"


def test_patch_draft_needs_version_and_refuses_stale(api_for):
    order = make_order()
    client = api_for("purchaser")
    assert client.patch(f"{ORDERS}{order.pk}/", {"note": "x"}, format="json").status_code == 400
    ok = client.patch(f"{ORDERS}{order.pk}/", {"note": "x", "version": order.version}, format="json")
    assert ok.status_code == 200 and ok.json()["note"] == "x"
    stale = client.patch(f"{ORDERS}{order.pk}/", {"note": "y", "version": order.version}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"


def test_cancel_and_close_actions(api_for):
    order = make_order()
    refused = api_for("purchaser").post(f"{ORDERS}{order.pk}/cancel/", {}, format="json")
    assert refused.status_code == 400  # reason is required by the serializer
    cancelled = api_for("purchaser").post(f"{ORDERS}{order.pk}/cancel/", {"reason": "需求取消"}, format="json")
    assert cancelled.json()["status"] == O.CANCELLED
    received = approved_order(quantity=5)
    make_receipt(received)
    closed = api_for("purchaser").post(f"{ORDERS}{received.pk}/close/", {"reason": "已到齐"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == O.CLOSED


def test_receipt_inspect_put_away_over_the_api(api_for):
    order = approved_order(quantity=100)
    body = {"order": order.pk, "delivery_note": "DN-9", "lines": receipt_lines(order)}
    for line in body["lines"]:
        for key in ("production_date", "expiry_date"):
            if line.get(key):
                line[key] = line[key].isoformat()
    created = api_for("warehouse_clerk").post(RECEIPTS, body, format="json")
    assert created.status_code == 201, created.json()
    receipt = created.json()
    line = Receipt.objects.get(pk=receipt["id"]).lines.get()
    location = storage_location(line.receipt.warehouse)
    early = api_for("warehouse_clerk").post(
        f"{RECEIPTS}{receipt['id']}/put-away/", {"location": location.pk}, format="json"
    )
    assert early.status_code == 409 and early.json()["code"] == "receipt.not_inspected"
    mismatch = api_for("qa_inspector").post(
        f"{RECEIPTS}{receipt['id']}/inspect/",
        {"lines": [{"line": line.pk, "accepted": 90, "rejected": 5, "note": "破损", "checks": all_pass(line)}]},
        format="json",
    )
    assert mismatch.status_code == 409 and mismatch.json()["code"] == "receipt.quantity_mismatch"
    inspected = api_for("qa_inspector").post(
        f"{RECEIPTS}{receipt['id']}/inspect/",
        {"lines": [{"line": line.pk, "accepted": 95, "rejected": 5, "note": "破损", "checks": all_pass(line)}]},
        format="json",
    )
    assert inspected.status_code == 200, inspected.json()
    data = inspected.json()
    assert data["status"] == "inspected" and data["lines"][0]["nonconformance_number"].startswith("NC")
    put = api_for("warehouse_clerk").post(
        f"{RECEIPTS}{receipt['id']}/put-away/", {"lines": [{"line": line.pk, "location": location.pk}]}, format="json"
    )
    assert put.status_code == 200 and put.json()["status"] == "put_away"


def test_over_outstanding_is_409(api_for):
    order = approved_order(quantity=3)
    body = {"order": order.pk, "lines": receipt_lines(order, quantity=4)}
    for line in body["lines"]:
        for key in ("production_date", "expiry_date"):
            if line.get(key):
                line[key] = line[key].isoformat()
    response = api_for("warehouse_clerk").post(RECEIPTS, body, format="json")
    assert response.status_code == 409 and response.json()["code"] == "receipt.over_outstanding"


def test_store_user_is_refused_and_sees_nothing(api_for):
    order = make_order()
    client = api_for("xuhui_cs")
    assert client.get(ORDERS).status_code == 403
    assert client.get(f"{ORDERS}{order.pk}/").status_code == 403
    assert client.get(RECEIPTS).status_code == 403
    assert api_for("xuhui_manager").get(f"{ORDERS}{order.pk}/").status_code == 403


def test_lists_filter_by_status_and_late(api_for):
    late = approved_order(quantity=5, due_in=-2)
    make_order()
    data = api_for("purchaser").get(ORDERS, {"late": "true"}).json()
    assert [row["id"] for row in data["results"]] == [late.pk]
    drafts = api_for("purchaser").get(ORDERS, {"status": "draft"}).json()
    assert all(row["status"] == "draft" for row in drafts["results"]) and drafts["results"]


def test_requisition_api(api_for):
    product = batch_product()
    created = api_for("xuhui_manager").post(
        "/api/v1/purchase-requisitions/", {"lines": [{"product": product.pk, "quantity": 3}]}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert (
        api_for("xuhui_manager").post(f"/api/v1/purchase-requisitions/{pk}/submit/", {}, format="json").status_code
        == 200
    )
    approved = api_for("purchasing_manager").post(f"/api/v1/purchase-requisitions/{pk}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
