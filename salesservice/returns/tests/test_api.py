"""Returns API: create with Idempotency-Key (eligibility stored), eligibility pre-check, every action,
scoping (out of scope → 404), permissions, metrics, and list query counts independent of page size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesservice.inspection.models import Nonconformance

from ..models import ReturnRequest
from .factories import CustomerFactory, ProductFactory, advance, days_ago, make_return, store

pytestmark = pytest.mark.django_db
BASE = "/api/v1/returns/"


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def payload(**overrides):
    body = {
        "customer": CustomerFactory(store=store()).pk,
        "product": ProductFactory().pk,
        "purchase_date": days_ago(3).isoformat(),
        "sale_channel": "distance",
        "reason": "no_reason",
        "requested_kind": "refund",
        "condition": "unopened",
        "description": "尺寸不合适",
    }
    body.update(overrides)
    return body


def test_create_stores_the_eligibility_and_replays_with_the_same_key(api_for):
    client = api_for("xuhui_cs")
    body = payload()
    first = client.post(BASE, body, format="json", HTTP_IDEMPOTENCY_KEY="rt-1")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["number"].startswith("RT-") and data["status"] == "requested"
    assert data["eligible"] is True and data["eligibility"]["rule_cited"].startswith("《消费者权益保护法》第二十五条")
    again = client.post(BASE, body, format="json", HTTP_IDEMPOTENCY_KEY="rt-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert ReturnRequest.objects.count() == 1


def test_create_bad_input_is_400_in_chinese_and_changes_nothing(api_for):
    response = api_for("xuhui_cs").post(
        BASE, payload(purchase_date=(timezone.localdate() + dt.timedelta(days=3)).isoformat()), format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "returns.purchase_in_future"
    assert ReturnRequest.objects.count() == 0


def test_create_for_a_customer_out_of_scope_is_refused(api_for):
    response = api_for("tianhe_cs").post(BASE, payload(), format="json")
    # issue 12 §8: a customer outside the scope reads as an unknown id, refused at the input
    assert response.status_code == 400 and "customer" in response.json()["fields"]
    assert ReturnRequest.objects.count() == 0


def test_eligibility_endpoint_answers_before_creating(api_for):
    product = ProductFactory()
    params = {
        "product": product.pk,
        "purchase_date": days_ago(10).isoformat(),
        "sale_channel": "distance",
        "reason": "quality",
        "requested_kind": "refund",
        "condition": "used",
    }
    response = api_for("xuhui_cs").get(BASE + "eligibility/", params)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["eligible"] is False and data["outcome"] == "exchange"
    assert data["reasons"][0]["code"] == "returns.quality_return_expired"
    assert "三包" in data["rule_cited"]
    assert ReturnRequest.objects.count() == 0
    assert api_for("xuhui_cs").get(BASE + "eligibility/", {"product": product.pk}).status_code == 400


def test_happy_path_through_the_actions(api_for):
    created = make_return(reason="quality", requested_kind="refund")
    url = f"{BASE}{created.pk}/"
    assert api_for("xuhui_cs").post(url + "approve/", {}, format="json").status_code == 403
    approved = api_for("xuhui_manager").post(url + "approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    received = api_for("warehouse_clerk").post(url + "receive/", {"condition": "opened_intact"}, format="json")
    assert received.status_code == 200 and received.json()["status"] == "goods_received"
    inspected = api_for("qa_inspector").post(
        url + "inspect/", {"quality_problem": True, "findings": "电源板虚焊"}, format="json"
    )
    assert inspected.status_code == 200 and len(inspected.json()["nonconformances"]) == 1
    # The warehouse receives and QA inspects, but neither pays money out (RET-2): 403, nothing changes.
    for role in ("warehouse_clerk", "qa_inspector"):
        refused = api_for(role).post(url + "refund/", {"amount": "299.00"}, format="json")
        assert refused.status_code == 403
        assert api_for(role).post(url + "exchange/", {}, format="json").status_code == 403
        assert api_for(role).post(url + "close/", {"note": "x"}, format="json").status_code == 403
    assert ReturnRequest.objects.get(pk=created.pk).status == "inspected"
    refunded = api_for("xuhui_cs").post(url + "refund/", {"amount": "299.00"}, format="json")
    assert refunded.status_code == 200 and refunded.json()["refund_amount"] == "299.00"
    closed = api_for("xuhui_cs").post(url + "close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["handling_seconds"] is not None
    assert Nonconformance.objects.filter(source_return_id=created.pk).count() == 1


def test_illegal_move_is_409_and_override_is_required(api_for):
    created = make_return(purchased_days_ago=30)
    url = f"{BASE}{created.pk}/"
    manager = api_for("xuhui_manager")
    assert manager.post(url + "receive/", {"condition": "unopened"}, format="json").status_code == 409
    refused = manager.post(url + "approve/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "returns.override_reason_required"
    ok = manager.post(url + "approve/", {"override_reason": "质量部确认可二次销售"}, format="json")
    assert ok.status_code == 200 and ok.json()["override_reason"] == "质量部确认可二次销售"


def test_customer_damage_needs_negotiated_outcome(api_for):
    created = advance(make_return(reason="quality"), "approved")
    url = f"{BASE}{created.pk}/receive/"
    clerk = api_for("warehouse_clerk")
    refused = clerk.post(url, {"condition": "damaged_by_customer"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "returns.negotiated_outcome_required"
    ok = clerk.post(url, {"condition": "damaged_by_customer", "negotiated_outcome": "客户自费维修"}, format="json")
    assert ok.status_code == 200


def test_scoping_other_store_gets_404_for_read_and_actions(api_for):
    created = make_return()
    other = api_for("tianhe_cs")
    assert other.get(f"{BASE}{created.pk}/").status_code == 404
    assert other.post(f"{BASE}{created.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    assert all(row["id"] != created.pk for row in other.get(BASE).json()["results"])
    assert api_for("auditor").get(f"{BASE}{created.pk}/").status_code == 200
    assert api_for(None).get(BASE).status_code == 401
    assert api_for("purchaser").get(BASE).status_code == 403


def test_metrics_endpoint(api_for):
    advance(make_return(), "closed")
    advance(make_return(), "rejected")
    make_return()
    today = timezone.localdate().isoformat()
    response = api_for("xuhui_manager").get(BASE + "metrics/", {"start": today, "end": today, "group_by": "store"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["total"]["requested"] == 3 and data["total"]["decided"] == 2 and data["total"]["successful"] == 1
    assert data["total"]["success_rate"] == "50.0"
    assert data["rows"][0]["label"] == "上海徐汇店"
    bad = api_for("xuhui_manager").get(BASE + "metrics/", {"start": today, "end": "2000-01-01"})
    assert bad.status_code == 400


def test_list_query_count_does_not_depend_on_page_size(api_for):
    for _ in range(8):
        make_return()
    client = api_for("xuhui_manager")

    def count(page_size):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(BASE, {"page_size": page_size})
        assert response.status_code == 200 and len(response.json()["results"]) == page_size
        return len(captured)

    count(2)  # the first call fills this process's configuration cache (permissions, scope)
    assert count(2) == count(8)
