"""Customers API: pinyin search, masking and reveal (SRV-10), scoping (INF-1), concurrency, idempotency."""

import pytest

from salesservice.core.models import PersonalDataAccess
from tests.matrix import Matrix, check_api

from ..models import Customer
from .factories import ContactFactory, CustomerFactory, PropertyFactory, QualificationFactory, store

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


@pytest.fixture
def ruijin(demo):
    return CustomerFactory(name="上海瑞金医院", customer_type="hospital", phone="13812345678")


@pytest.mark.parametrize("query", ["瑞金", "shrj", "ruijin", "SHRJYY", "13812345678"])
def test_search_by_chinese_pinyin_initials_and_exact_phone(api_for, ruijin, query):
    """INF-1: a CS rep finds 上海瑞金医院 by Chinese, full pinyin, initials or its phone."""
    CustomerFactory(name="杭州西湖茶业", store=store("hz-xihu"))
    names = [row["name"] for row in api_for("xuhui_cs").get(URL, {"q": query}).json()["results"]]
    assert names == ["上海瑞金医院"]


def test_partial_phone_does_not_match(api_for, ruijin):
    assert api_for("xuhui_cs").get(URL, {"q": "1381234"}).json()["results"] == []


def test_list_filters(api_for, users, demo):
    key = CustomerFactory(customer_type="dealer", is_key_account=True, sales_rep=users["sales_rep"])
    key.tags.create(name="经销商")
    CustomerFactory(customer_type="individual")
    client = api_for("xuhui_cs")
    assert [r["id"] for r in client.get(URL, {"type": "dealer"}).json()["results"]] == [key.pk]
    assert [r["id"] for r in client.get(URL, {"is_key_account": "true"}).json()["results"]] == [key.pk]
    assert [r["id"] for r in client.get(URL, {"tag": "经销商"}).json()["results"]] == [key.pk]
    assert [r["id"] for r in client.get(URL, {"sales_rep": users["sales_rep"].pk}).json()["results"]] == [key.pk]
    assert len(client.get(URL, {"store": store().pk}).json()["results"]) == 2


def test_list_and_detail_are_masked(api_for, ruijin):
    """SRV-10: lists show 138****5678, never the full number."""
    row = api_for("xuhui_cs").get(URL).json()["results"][0]
    assert row["phone"] == "138****5678" and "13812345678" not in str(row)
    detail = api_for("qa_inspector").get(f"{URL}{ruijin.pk}/").json()
    assert detail["phone"] == "138****5678" and detail["id_number"].startswith("3101") and "*" in detail["id_number"]


def test_reveal_returns_the_full_value_and_logs_once(api_for, users, ruijin):
    """SRV-10: each reveal writes one PersonalDataAccess row."""
    response = api_for("xuhui_cs").post(f"{URL}{ruijin.pk}/reveal/", {"field": "phone"}, format="json")
    assert response.status_code == 200 and response.json()["value"] == "13812345678"
    log = PersonalDataAccess.objects.get()
    assert log.user == users["xuhui_cs"] and log.field == "phone" and log.target_id == str(ruijin.pk)


@pytest.mark.parametrize("username", ["qa_inspector", "warehouse_clerk", "auditor"])
def test_roles_without_reveal_permission_are_refused_and_nothing_is_logged(api_for, ruijin, username):
    response = api_for(username).post(f"{URL}{ruijin.pk}/reveal/", {"field": "phone"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "privacy.forbidden"
    assert not PersonalDataAccess.objects.exists()


def test_contact_reveal(api_for, demo):
    contact = ContactFactory(customer=CustomerFactory(), phone="13911112222")
    listing = api_for("xuhui_engineer").get("/api/v1/customer-contacts/").json()["results"]
    assert listing[0]["phone"] == "139****2222"
    revealed = api_for("xuhui_engineer").post(
        f"/api/v1/customer-contacts/{contact.pk}/reveal/", {"field": "phone"}, format="json"
    )
    assert revealed.json()["value"] == "13911112222" and PersonalDataAccess.objects.count() == 1


def test_scoping_out_of_store_is_404_and_excluded(api_for, ruijin):
    """INF-1: tianhe_cs cannot read a 上海徐汇店 customer."""
    check_api(
        Matrix(
            f"{URL}{ruijin.pk}/", permitted="xuhui_cs", out_of_scope="tianhe_cs", no_permission="provider_dispatcher"
        ),
        api_for,
    )
    assert api_for("tianhe_cs").get(URL).json()["results"] == []
    assert api_for("tianhe_cs").post(f"{URL}{ruijin.pk}/reveal/", {"field": "phone"}, format="json").status_code == 404
    assert api_for("east_manager").get(f"{URL}{ruijin.pk}/").status_code == 200
    assert api_for("hq_service_manager").get(f"{URL}{ruijin.pk}/").status_code == 200


def test_child_endpoints_are_scoped(api_for, demo):
    customer = CustomerFactory()
    qualification = QualificationFactory(customer=customer)
    item = PropertyFactory(customer=customer)
    for url in (f"/api/v1/qualifications/{qualification.pk}/", f"/api/v1/customer-property/{item.pk}/"):
        check_api(Matrix(url, permitted="xuhui_cs", out_of_scope="tianhe_cs"), api_for)
    assert api_for("provider_dispatcher").get("/api/v1/customer-property/").status_code == 403


def test_create_with_idempotency_key_runs_once(api_for, demo):
    body = {
        "name": "新客户",
        "customer_type": "individual",
        "store": store().pk,
        "phone": "13700001111",
        "tags": ["新"],
    }
    client = api_for("xuhui_cs")
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"] and Customer.objects.count() == 1
    assert first.json()["phone"] == "137****1111" and first.json()["tags"] == ["新"]


def test_create_duplicate_and_out_of_scope_store_refused(api_for, demo):
    client = api_for("xuhui_cs")
    body = {"name": "重复", "customer_type": "individual", "store": store().pk, "phone": "13700001111"}
    assert client.post(URL, body, format="json").status_code == 201
    duplicate = client.post(URL, body, format="json")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "customer.duplicate"
    foreign = client.post(URL, {**body, "name": "越权", "store": store("gz-tianhe").pk}, format="json")
    # issue 12 §8: a store outside the scope reads as an unknown id (400 on the field), not a 403 that confirms it
    assert foreign.status_code == 400 and "store" in foreign.json()["fields"]
    assert api_for("qa_inspector").post(URL, {**body, "name": "x"}, format="json").status_code == 403


def test_stale_patch_is_409_and_changes_nothing(api_for, demo):
    customer = CustomerFactory(name="旧名")
    client = api_for("xuhui_cs")
    ok = client.patch(f"{URL}{customer.pk}/", {"version": 1, "name": "新名"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["pinyin_initials"] == "xm"
    stale = client.patch(f"{URL}{customer.pk}/", {"version": 1, "notes": "覆盖"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    customer.refresh_from_db()
    assert customer.notes == "" and customer.version == 2
    assert client.patch(f"{URL}{customer.pk}/", {"notes": "x"}, format="json").json()["code"] == "version.required"


def test_list_query_count_does_not_grow_with_page_size(api_for, users, demo, django_assert_max_num_queries):
    for index in range(30):
        customer = CustomerFactory(sales_rep=users["sales_rep"])
        customer.tags.create(name=f"标签{index}")
    client = api_for("xuhui_cs")
    client.get(URL, {"page_size": 1})
    with django_assert_max_num_queries(10) as small:
        client.get(URL, {"page_size": 2})
    with django_assert_max_num_queries(10) as large:
        assert len(client.get(URL, {"page_size": 30}).json()["results"]) == 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_qualification_create_with_evidence_and_state(api_for, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from salesservice.core.attachments import attachments_for

    customer = CustomerFactory(customer_type="hospital")
    response = api_for("xuhui_cs").post(
        "/api/v1/qualifications/",
        {
            "customer": customer.pk,
            "kind": "device_operating_licence",
            "number": "沪械经营许20260001号",
            "scope_classes": ["II", "III"],
            "valid_from": "2025-01-01",
            "valid_until": "2030-01-01",
            "evidence": SimpleUploadedFile("licence.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope_classes"] == ["II", "III"] and body["state"] == "valid" and body["verified_by_name"] == "陈小客"
    assert attachments_for(customer.qualifications.get()).count() == 1


def test_property_incident_and_return_actions(api_for, users, demo):
    item = PropertyFactory(customer=CustomerFactory(sales_rep=users["sales_rep"]))
    url = f"/api/v1/customer-property/{item.pk}/"
    assert api_for("qa_inspector").post(f"{url}report-incident/", {}, format="json").status_code == 403
    incident = api_for("xuhui_engineer").post(
        f"{url}report-incident/", {"kind": "damaged", "description": "屏幕碎裂"}, format="json"
    )
    assert incident.status_code == 201
    returned = api_for("xuhui_engineer").post(f"{url}return/", {}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert len(returned.json()["incidents"]) == 1
    again = api_for("xuhui_engineer").post(f"{url}return/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "status.invalid_transition"


def test_consent_give_and_withdraw(api_for, demo):
    customer = CustomerFactory()
    client = api_for("xuhui_cs")
    consent = client.post(
        "/api/v1/consents/", {"customer": customer.pk, "purpose": "marketing", "channel": "sms"}, format="json"
    )
    assert consent.status_code == 201 and consent.json()["is_active"]
    withdrawn = client.post(f"/api/v1/consents/{consent.json()['id']}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 200 and not withdrawn.json()["is_active"]
    assert client.post(f"/api/v1/consents/{consent.json()['id']}/withdraw/", {}, format="json").status_code == 409
    assert client.delete(f"/api/v1/consents/{consent.json()['id']}/").status_code == 405


def test_buyer_check_endpoint_404_for_unknown_product(api_for, demo):
    customer = CustomerFactory()
    response = api_for("xuhui_cs").get(f"{URL}{customer.pk}/buyer-check/", {"product": 999999})
    assert response.status_code == 404
    bad = api_for("xuhui_cs").get(f"{URL}{customer.pk}/buyer-check/", {"product": "x"})
    assert bad.status_code == 400


def test_customer_endpoints_are_in_the_openapi_schema(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/v1/customers/:",
        "/api/v1/customers/{id}/reveal/:",
        "/api/v1/customers/{id}/export/:",
        "/api/v1/customers/{id}/export-xlsx/:",
        "/api/v1/customers/{id}/anonymise/:",
        "/api/v1/customers/{id}/buyer-check/:",
        "/api/v1/customers/import/:",
        "/api/v1/customer-contacts/:",
        "/api/v1/qualifications/:",
        "/api/v1/customer-property/{id}/report-incident/:",
        "/api/v1/consents/{id}/withdraw/:",
    ):
        assert path in schema, path


def test_buyer_check_endpoint_with_a_catalog_product(api_for, demo):
    """BUY-1 through the API: a dealer with an expired class III licence is refused, an individual is not."""
    import datetime as dt

    factories = pytest.importorskip("salesservice.catalog.tests.factories")
    device = factories.ProductFactory(device_class="III")
    dealer = CustomerFactory(customer_type="dealer")
    QualificationFactory(
        customer=dealer, scope_classes="III", valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2025, 1, 1)
    )
    client = api_for("xuhui_cs")
    old = client.get(f"{URL}{dealer.pk}/buyer-check/", {"product": device.pk, "at": "2024-06-01"}).json()
    assert old["may_buy"] is True and old["reasons"] == []
    now = client.get(f"{URL}{dealer.pk}/buyer-check/", {"product": device.pk, "at": "2026-06-01"}).json()
    assert now["may_buy"] is False and now["reasons"][0]["code"] == "qualification.expired"
    individual = CustomerFactory()
    assert client.get(f"{URL}{individual.pk}/buyer-check/", {"product": device.pk}).json()["may_buy"] is True
    assert api_for("tianhe_cs").get(f"{URL}{dealer.pk}/buyer-check/", {"product": device.pk}).status_code == 404
