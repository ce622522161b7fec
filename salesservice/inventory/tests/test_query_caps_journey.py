"""Issue 17: the stock count actions no other test drives through the API — return and cancel — driven once,
so that each proves its query cap (`QUERY_BUDGETS` in the test settings)."""

import pytest

from .factories import batch_product, stocked, warehouse

pytestmark = pytest.mark.django_db
COUNTS = "/api/v1/stocktakes/"


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def test_stock_count_create_start_record_submit_return_and_cancel(api_for):
    stocked(batch_product(), 10)
    clerk, gm = api_for("warehouse_clerk"), api_for("gm")
    created = clerk.post(COUNTS, {"warehouse": warehouse().pk}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    line = clerk.post(f"{COUNTS}{pk}/start/", {}, format="json").json()["lines"][0]
    recorded = clerk.post(
        f"{COUNTS}{pk}/record/", {"lines": [{"line": line["id"], "counted_quantity": 10}]}, format="json"
    )
    assert recorded.status_code == 200, recorded.content
    assert clerk.post(f"{COUNTS}{pk}/submit/", {}, format="json").json()["status"] == "submitted"
    returned = gm.post(f"{COUNTS}{pk}/return/", {"reason": "请复盘"}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "counting", returned.content
    cancelled = clerk.post(f"{COUNTS}{pk}/cancel/", {"reason": "改期"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.content
