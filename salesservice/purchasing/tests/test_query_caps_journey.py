"""Issue 17: the purchasing actions no other test drives through the API — requisition reject and cancel,
order reject — driven once, so that each proves its query cap (`QUERY_BUDGETS` in the test settings)."""

import pytest

from .factories import TERMS, batch_product, days, qualified_supplier, warehouse

pytestmark = pytest.mark.django_db
REQUISITIONS = "/api/v1/purchase-requisitions/"
ORDERS = "/api/v1/purchase-orders/"


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _requisition(api_for, product):
    created = api_for("xuhui_manager").post(
        REQUISITIONS, {"lines": [{"product": product.pk, "quantity": 3}]}, format="json"
    )
    assert created.status_code == 201, created.json()
    return created.json()["id"]


def test_requisition_create_submit_reject_and_cancel(api_for):
    product = batch_product()
    manager, purchasing = api_for("xuhui_manager"), api_for("purchasing_manager")
    pk = _requisition(api_for, product)
    assert manager.post(f"{REQUISITIONS}{pk}/submit/", {}, format="json").status_code == 200
    rejected = purchasing.post(f"{REQUISITIONS}{pk}/reject/", {"reason": "预算不足"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    other = _requisition(api_for, product)
    cancelled = manager.post(f"{REQUISITIONS}{other}/cancel/", {"reason": "需求取消"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_order_create_submit_reject(api_for):
    product = batch_product()
    body = {
        "supplier": qualified_supplier(product).pk,
        "warehouse": warehouse().pk,
        **TERMS,
        "lines": [{"product": product.pk, "quantity": 10, "unit_price": "9.50", "due_date": days(10).isoformat()}],
    }
    created = api_for("purchaser").post(ORDERS, body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert api_for("purchaser").post(f"{ORDERS}{pk}/submit/", {}, format="json").status_code == 200
    rejected = api_for("purchasing_manager").post(f"{ORDERS}{pk}/reject/", {"reason": "价格偏高"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "draft"  # back to the purchaser
