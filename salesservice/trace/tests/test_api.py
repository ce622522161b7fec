"""TRC-2 recall API: `/api/v1/recalls/` (create, launch, close) and `/api/v1/recall-tasks/` (contact, recover) —
scoped, refusals 409 with a code, the reconciliation in the answer."""

import pytest

from . import factories as f

pytestmark = pytest.mark.django_db


def test_recall_journey_through_the_api(demo, api_for):
    """TRC-2: create → launch → contact → recover → (over-recovery 409) → close refused → … → reconciled."""
    lot, buyers = f.lot_to_three_customers((10, 20, 5))
    qa = api_for("qa_inspector")
    created = qa.post(
        "/api/v1/recalls/",
        {"title": "灭菌不合格召回", "reason": "灭菌验证记录缺失", "level": "1", "lots": [lot.pk]},
        format="json",
    )
    assert created.status_code == 201, created.content
    recall = created.json()
    assert recall["status"] == "draft" and recall["lots"][0]["lot"] == lot.pk
    launched = qa.post(f"/api/v1/recalls/{recall['id']}/launch/", {"version": recall["version"]}, format="json")
    assert launched.status_code == 200, launched.content
    assert launched.json()["tasks_total"] == 3
    closing = qa.post(f"/api/v1/recalls/{recall['id']}/close/", {}, format="json")
    assert closing.status_code == 409 and closing.json()["code"] == "recall.tasks_open"

    store = api_for("xuhui_manager")
    tasks = store.get("/api/v1/recall-tasks/", {"campaign": recall["id"]}).json()["results"]
    assert len(tasks) == 3
    task = next(t for t in tasks if t["customer"] == buyers[2].pk)
    contacted = store.post(f"/api/v1/recall-tasks/{task['id']}/contact/", {"note": "已电话告知"}, format="json")
    assert contacted.status_code == 200 and contacted.json()["status"] == "contacted"
    over = store.post(f"/api/v1/recall-tasks/{task['id']}/recover/", {"quantity": 6}, format="json")
    assert over.status_code == 409 and over.json()["code"] == "recall_task.over_recovery"
    done = store.post(f"/api/v1/recall-tasks/{task['id']}/recover/", {"quantity": 5}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"

    body = qa.get(f"/api/v1/recalls/{recall['id']}/").json()
    (row,) = body["reconciliation"]
    assert (row["shipped"], row["recovered"], row["outstanding"]) == (35, 5, 30)
    assert row["shipped"] == row["recovered"] + row["outstanding"] and row["held"] is True


def test_recall_tasks_are_scoped_to_the_customers_store(demo, api_for):
    lot = f.stocked_lot(f.device(), lot_number="TRC-API-S")
    f.sell(lot, f.customer("sh-xuhui"), 2)
    f.sell(lot, f.customer("gz-tianhe"), 3)
    qa = api_for("qa_inspector")
    recall = qa.post("/api/v1/recalls/", {"title": "x", "reason": "y", "lots": [lot.pk]}, format="json").json()
    qa.post(f"/api/v1/recalls/{recall['id']}/launch/", {}, format="json")
    seen = api_for("xuhui_cs").get("/api/v1/recall-tasks/").json()["results"]
    assert len(seen) == 1
    other = api_for("tianhe_cs").get("/api/v1/recall-tasks/").json()["results"]
    assert len(other) == 1 and other[0]["id"] != seen[0]["id"]
    assert api_for("xuhui_cs").get(f"/api/v1/recall-tasks/{other[0]['id']}/").status_code == 404
    assert api_for("xuhui_cs").get(f"/api/v1/recalls/{recall['id']}/").status_code == 403  # no recall permission


def test_recall_list_takes_a_fixed_number_of_queries(demo, api_for, django_assert_max_num_queries):
    lot, _buyers = f.lot_to_three_customers()
    qa = api_for("qa_inspector")
    for n in range(3):
        qa.post("/api/v1/recalls/", {"title": f"r{n}", "reason": "y", "lots": [lot.pk]}, format="json")
    qa.get("/api/v1/recall-tasks/")
    with django_assert_max_num_queries(8):
        assert len(qa.get("/api/v1/recalls/").json()["results"]) == 3
