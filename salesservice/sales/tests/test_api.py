"""Sales API: the journey quotation → contract → order through the endpoints, refusals as 409 with codes
and reasons (BUY-1, PRD-1, SAL-1, SAL-2), scope (404 for another store), payments (DEL-5), masked GSP
record (TRC-1)."""

import pytest

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(demo):
    product = f.device()
    f.stock(product, 10)
    return f.hospital(), product


def _post(client, url, data=None):
    return client.post(url, data or {}, format="json")


def test_quotation_to_contract_to_order_through_the_api(setup, api_for):
    """SAL-2, SAL-1, SAL-5: every step through the API, as an integration would."""
    customer, product = setup
    rep, manager = api_for("sales_rep"), api_for("xuhui_manager")
    created = _post(
        rep, "/api/v1/quotations/", {"customer": customer.pk, "lines": [{"product": product.pk, "quantity": 2}]}
    )
    assert created.status_code == 201, created.content
    qid = created.json()["id"]
    assert _post(rep, f"/api/v1/quotations/{qid}/submit/").json()["status"] == "approved"
    assert _post(rep, f"/api/v1/quotations/{qid}/accept/").json()["status"] == "accepted"
    contract = _post(
        rep, "/api/v1/contracts/", {"customer": customer.pk, "title": "采购合同", "quotation": qid, **f.TERMS}
    )
    assert contract.status_code == 201, contract.content
    cid = contract.json()["id"]
    assert _post(rep, f"/api/v1/contracts/{cid}/submit-review/").json()["status"] == "in_review"
    for item, who in (
        ("requirements", "sales_rep"),
        ("delivery", "warehouse_clerk"),
        ("price_terms", "xuhui_manager"),
        ("qualification", "qa_inspector"),
    ):
        response = _post(api_for(who), f"/api/v1/contracts/{cid}/review/", {"item": item, "result": "pass"})
        assert response.status_code == 200, response.content
    assert _post(manager, f"/api/v1/contracts/{cid}/approve/").json()["status"] == "approved"
    signed = _post(manager, f"/api/v1/contracts/{cid}/sign/", {"customer_signatory": "李院长"})
    assert signed.json()["status"] == "signed"
    order = _post(
        rep, "/api/v1/sales-orders/", {"customer": customer.pk, "warehouse": f.warehouse().pk, "contract": cid}
    )
    assert order.status_code == 201, order.content
    oid = order.json()["id"]
    assert order.json()["lines"][0]["quantity"] == 2
    assert _post(manager, f"/api/v1/sales-orders/{oid}/review/").json()["status"] == "reviewed"
    confirmed = _post(
        rep, f"/api/v1/sales-orders/{oid}/confirm/", {"confirmed_with": "王主任", "confirm_channel": "phone"}
    )
    assert confirmed.json()["status"] == "confirmed" and len(confirmed.json()["steps"]) == 6
    allocated = _post(api_for("warehouse_clerk"), f"/api/v1/sales-orders/{oid}/allocate/")
    assert allocated.json()["status"] == "allocated"
    assert allocated.json()["lines"][0]["allocated_quantity"] == 2


def test_unqualified_buyer_is_refused_with_409_and_reasons(setup, api_for):
    """BUY-1 through the API: 409 `sales_order.buyer_unqualified` with every reason."""
    _, product = setup
    clinic = f.hospital(name="某诊所", valid_until=f.days(-1))
    oid = _post(
        api_for("sales_rep"),
        "/api/v1/sales-orders/",
        {"customer": clinic.pk, "warehouse": f.warehouse().pk, "lines": [{"product": product.pk, "quantity": 1}]},
    ).json()["id"]
    refused = _post(api_for("xuhui_manager"), f"/api/v1/sales-orders/{oid}/review/")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "sales_order.buyer_unqualified"
    assert body["fields"]["reasons"][0]["kind"] == "buyer"


def test_unsellable_product_is_refused(setup, api_for, users):
    """PRD-1 through the API."""
    from salesservice.catalog.tests.factories import RestrictionFactory

    customer, product = setup
    RestrictionFactory(product=product, set_by=users["qa_inspector"])
    oid = _post(
        api_for("sales_rep"),
        "/api/v1/sales-orders/",
        {"customer": customer.pk, "warehouse": f.warehouse().pk, "lines": [{"product": product.pk, "quantity": 1}]},
    ).json()["id"]
    refused = _post(api_for("xuhui_manager"), f"/api/v1/sales-orders/{oid}/review/")
    assert refused.status_code == 409 and refused.json()["code"] == "sales_order.unsellable"


def test_other_store_gets_404_and_cannot_reference_the_customer(setup, api_for):
    """INF-1: 天河 cannot read a 徐汇 order, nor create one for a 徐汇 customer."""
    customer, product = setup
    order = f.order(customer, [(product, 1)])
    other = api_for("tianhe_cs")
    assert other.get(f"/api/v1/sales-orders/{order.pk}/").status_code == 404
    assert _post(other, f"/api/v1/sales-orders/{order.pk}/cancel/", {"reason": "x"}).status_code == 404
    created = _post(
        other,
        "/api/v1/sales-orders/",
        {"customer": customer.pk, "warehouse": f.warehouse().pk, "lines": [{"product": product.pk, "quantity": 1}]},
    )
    assert created.status_code == 400


def test_payment_and_masked_gsp_record(setup, api_for):
    """DEL-5 payments through the API; TRC-1 record with phone masked."""
    from django.db import transaction

    from .. import records, services
    from ..common import get_scoped
    from ..models import SalesOrder

    customer, product = setup
    order = f.ready_to_ship(customer, product, quantity=1)
    lot = product.allocations.first().lot if hasattr(product, "allocations") else None
    from salesservice.inventory.models import Allocation

    lot = Allocation.objects.filter(product=product).first().lot
    with transaction.atomic():
        locked = get_scoped(SalesOrder, None, order.pk)
        records.record_shipment(order=locked, issued=[(locked.lines.get(), lot, 1)], sale_date=f.days(0))
        services.order_mark_shipped(actor=None, order=locked)
        services.order_mark_delivered(actor=None, order=locked)
    rep = api_for("sales_rep")
    receivable = rep.get("/api/v1/receivables/?open=true").json()["results"][0]
    too_much = _post(rep, f"/api/v1/receivables/{receivable['id']}/pay/", {"amount": "999999"})
    assert too_much.status_code == 400 and too_much.json()["code"] == "payment.invalid"
    paid = _post(
        rep, f"/api/v1/receivables/{receivable['id']}/pay/", {"amount": receivable["outstanding"], "method": "transfer"}
    )
    assert paid.status_code == 200 and paid.json()["paid_at"]
    record = rep.get("/api/v1/sales-records/").json()["results"][0]
    assert record["registration_no"] == product.registration_no and "****" in record["phone"]
    assert record["buyer_licence_no"] and record["retain_until"]


def test_gsp_incomplete_is_refused(setup):
    """TRC-1: a medical device without its manufacturer's licence number cannot be recorded."""
    from salesservice.core.exceptions import DomainError

    from .. import records

    customer, _ = setup
    bare = f.device(manufacturer_licence_no="")
    order = f.order(customer, [(bare, 1)])
    with pytest.raises(DomainError) as refused:
        records.refuse_if_incomplete(order, list(order.lines.select_related("product")))
    assert refused.value.code == "sales_record.incomplete" and refused.value.status_code == 409
    assert "生产企业许可证号/备案号" in refused.value.fields["missing"][0]["missing"]


def test_quotation_from_an_inquiry_marks_it_quoted_and_another_stores_inquiry_is_refused(setup, api_for):
    """PRE-3: a quotation made from an inquiry marks it quoted; an inquiry of a store the caller does not cover is
    404 and nothing is created."""
    from ..choices import InquiryStatus
    from ..models import Quotation
    from .presales_factories import make_inquiry

    customer, product = setup
    inquiry = make_inquiry(for_customer=customer)
    body = {"customer": customer.pk, "inquiry": inquiry.pk, "lines": [{"product": product.pk, "quantity": 1}]}
    created = _post(api_for("xuhui_cs"), "/api/v1/quotations/", body)
    assert created.status_code == 201, created.content
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.QUOTED

    from salesservice.core.models import OrgUnit

    tianhe = f.hospital(name="天河区医院", store=OrgUnit.objects.get(code="gz-tianhe"))
    elsewhere = make_inquiry("tianhe_cs", for_customer=tianhe)
    before = Quotation.objects.count()
    body = {"customer": customer.pk, "inquiry": elsewhere.pk, "lines": [{"product": product.pk, "quantity": 1}]}
    refused = _post(api_for("xuhui_cs"), "/api/v1/quotations/", body)
    assert refused.status_code in (400, 404), refused.content
    assert Quotation.objects.count() == before
    elsewhere.refresh_from_db()
    assert elsewhere.status == InquiryStatus.OPEN
