"""The API: ship on `/api/v1/sales-orders/{id}/ship/`, then `/api/v1/deliveries/` — scoped, If-Match,
refusals 409 with a code (DEL-1, DEL-3, DEL-6, TRC-1)."""

import pytest

from salesservice.customers.models import Qualification
from salesservice.sales.choices import OrderStatus

from ..choices import DeliveryStatus
from ..models import Delivery
from .factories import ALL_PASS, SHIP, SIGNATURE, allocated_order, hospital, shipped_delivery

pytestmark = pytest.mark.django_db


def test_ship_through_the_sales_order_api_creates_the_delivery(api_for):
    """DEL-1: `POST /sales-orders/{id}/ship/` with packing, carrier and tracking number."""
    order = allocated_order()
    response = api_for("warehouse_clerk").post(f"/api/v1/sales-orders/{order.pk}/ship/", SHIP, format="json")
    assert response.status_code == 200, response.content[:500]
    assert response.json()["status"] == OrderStatus.SHIPPED
    delivery = Delivery.objects.get(order=order)
    listed = api_for("xuhui_engineer").get("/api/v1/deliveries/", {"q": delivery.tracking_no}).json()
    assert [row["number"] for row in listed["results"]] == [delivery.number]


def test_ship_refusal_is_409_with_the_code_and_changes_nothing(api_for):
    """BUY-1 asked again at shipment, through the API."""
    customer = hospital()
    order = allocated_order(customer=customer)
    Qualification.objects.filter(customer=customer).update(scope_classes="I")
    response = api_for("warehouse_clerk").post(f"/api/v1/sales-orders/{order.pk}/ship/", SHIP, format="json")
    assert response.status_code == 409 and response.json()["code"] == "sales_order.buyer_unqualified"
    assert not Delivery.objects.filter(order=order).exists()


def test_ship_with_a_gsp_field_missing_is_409_and_lists_it(api_for):
    """TRC-1 through the API: the manufacturer's licence number is gone — the record would be incomplete."""
    from salesservice.catalog.models import Product

    order = allocated_order()
    Product.objects.filter(pk=order.lines.get().product_id).update(manufacturer_licence_no="")
    response = api_for("warehouse_clerk").post(f"/api/v1/sales-orders/{order.pk}/ship/", SHIP, format="json")
    assert response.status_code == 409 and response.json()["code"] == "sales_record.incomplete"
    assert "生产企业许可证号" in str(response.json())
    assert not Delivery.objects.filter(order=order).exists()


def test_ship_without_packing_is_400(api_for):
    order = allocated_order()
    body = {**SHIP, "packing": ""}
    response = api_for("warehouse_clerk").post(f"/api/v1/sales-orders/{order.pk}/ship/", body, format="json")
    assert response.status_code == 400 and "packing" in response.json()["fields"]


def test_accept_and_release_with_if_match(api_for):
    """DEL-3 then DEL-6 through the API; a stale If-Match is 409 `conflict.stale`."""
    delivery = shipped_delivery()
    client = api_for("xuhui_engineer")
    read = client.get(f"/api/v1/deliveries/{delivery.pk}/")
    assert read.status_code == 200 and read["ETag"] == f'W/"{delivery.version}"'
    assert read.json()["missing"] == ["acceptance"]
    body = {"checks": ALL_PASS, "signer_name": "王主任", "signature": SIGNATURE}
    stale = client.post(f"/api/v1/deliveries/{delivery.pk}/accept/", body, format="json", HTTP_IF_MATCH='W/"99"')
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    accepted = client.post(f"/api/v1/deliveries/{delivery.pk}/accept/", body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert accepted.status_code == 200, accepted.content[:500]
    assert accepted.json()["status"] == DeliveryStatus.ACCEPTED and accepted.json()["signed"] is True
    released = client.post(f"/api/v1/deliveries/{delivery.pk}/release/", {}, format="json")
    assert released.status_code == 200 and released.json()["status"] == DeliveryStatus.RELEASED


def test_accept_without_signature_or_reason_is_refused(api_for):
    delivery = shipped_delivery()
    body = {"checks": ALL_PASS}
    response = api_for("xuhui_engineer").post(f"/api/v1/deliveries/{delivery.pk}/accept/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "delivery.signature_required"


def test_release_without_acceptance_or_concession_is_409(api_for):
    """DEL-6 refused through the API, with what is missing."""
    delivery = shipped_delivery()
    response = api_for("xuhui_manager").post(f"/api/v1/deliveries/{delivery.pk}/release/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "delivery.release_blocked"
    assert response.json()["fields"]["missing"] == ["acceptance"]


def test_concession_then_release_through_the_api(api_for):
    delivery = shipped_delivery()
    client = api_for("xuhui_manager")
    body = {"customer_representative": "赵护士长", "reason": "急需", "lawful": True, "recallable": False}
    refused = client.post(f"/api/v1/deliveries/{delivery.pk}/approve-concession/", body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "delivery.concession_incomplete"
    ok = client.post(
        f"/api/v1/deliveries/{delivery.pk}/approve-concession/", {**body, "recallable": True}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["concession_missing"] == ["acceptance"]
    assert client.post(f"/api/v1/deliveries/{delivery.pk}/release/", {}, format="json").status_code == 200


def test_incident_and_training_through_the_api(api_for):
    delivery = shipped_delivery()
    client = api_for("xuhui_cs")
    incident = client.post(
        f"/api/v1/deliveries/{delivery.pk}/report-incident/",
        {"kind": "delay", "description": "中转延误"},
        format="json",
    )
    assert incident.status_code == 200 and incident.json()["incidents"][0]["customer_informed_at"] is None
    informed = client.post(
        f"/api/v1/deliveries/{delivery.pk}/inform-customer/",
        {"incident": incident.json()["incidents"][0]["id"], "informed_how": "phone", "remedy": "专车直送"},
        format="json",
    )
    assert informed.status_code == 200 and informed.json()["incidents"][0]["remedy"] == "专车直送"
    training = client.post(
        f"/api/v1/deliveries/{delivery.pk}/record-training/",
        {"trained_on": "2000-01-01", "trainees": "甲", "content": "操作", "customer_signer_name": "乙"},
        format="json",
    )
    assert training.status_code == 400 and training.json()["code"] == "delivery.training_date_invalid"


def test_another_stores_user_gets_404_and_an_empty_list(api_for):
    """INF-1: out of scope is 404 (never 403), and the list leaves it out."""
    delivery = shipped_delivery()
    client = api_for("tianhe_cs")
    assert client.get(f"/api/v1/deliveries/{delivery.pk}/").status_code == 404
    assert client.post(f"/api/v1/deliveries/{delivery.pk}/release/", {}, format="json").status_code == 404
    assert client.get("/api/v1/deliveries/").json()["results"] == []


def test_the_warehouse_clerk_may_not_accept(api_for):
    delivery = shipped_delivery()
    body = {"checks": ALL_PASS, "signature": SIGNATURE}
    response = api_for("warehouse_clerk").post(f"/api/v1/deliveries/{delivery.pk}/accept/", body, format="json")
    assert response.status_code == 403


def test_the_list_is_not_n_plus_1(api_for, django_assert_max_num_queries):
    for _ in range(3):
        shipped_delivery()
    client = api_for("xuhui_manager")
    with django_assert_max_num_queries(20):
        response = client.get("/api/v1/deliveries/")
    assert len(response.json()["results"]) == 3
