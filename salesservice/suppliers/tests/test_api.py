"""API: /api/v1/suppliers/ (+ qualifications, evaluations, order-check, suspend) and
/api/v1/qualified-supplier-lists/ (+ entries, submit, approve, return) — scope, permissions, refusals."""

import pytest
from django.contrib.auth.models import Group

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.suppliers.models import Supplier
from salesservice.suppliers.tests.factories import qualified_supplier, unlisted_supplier

URL = "/api/v1/suppliers/"
LISTS = "/api/v1/qualified-supplier-lists/"


@pytest.fixture
def east_purchaser(users):
    """A purchaser of the east region: sees only suppliers owned by units in that region."""
    user = User.objects.create(username="east_purchaser", display_name="华东采购")
    Membership.objects.create(
        user=user, org_unit=OrgUnit.objects.get(code="east"), role=Group.objects.get(name="purchaser")
    )
    users[user.username] = user
    return user


def test_purchaser_creates_lists_and_reads_a_supplier(api_for):
    client = api_for("purchaser")
    created = client.post(URL, {"name": "苏州医疗器械有限公司", "phone": "13912345678"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("SUP-") and body["phone"] == "139****5678"
    assert body["standing"] == "unevaluated"
    listed = client.get(URL, {"q": "苏州"})
    assert [row["name"] for row in listed.json()["results"]] == ["苏州医疗器械有限公司"]
    assert client.get(f"{URL}{body['id']}/").json()["documents"] == []


def test_patch_needs_the_current_version(api_for):
    client = api_for("purchaser")
    supplier = unlisted_supplier()
    assert client.patch(f"{URL}{supplier.pk}/", {"contact": "甲"}, format="json").status_code == 400
    ok = client.patch(f"{URL}{supplier.pk}/", {"contact": "甲", "version": supplier.version}, format="json")
    assert ok.status_code == 200 and ok.json()["contact"] == "甲"
    stale = client.patch(f"{URL}{supplier.pk}/", {"contact": "乙", "version": supplier.version}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"


def test_out_of_scope_supplier_is_404_for_reads_and_actions(api_for, east_purchaser):
    supplier = unlisted_supplier()
    client = api_for("east_purchaser")
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{supplier.pk}/").status_code == 404
    assert client.get(f"{URL}{supplier.pk}/qualifications/").status_code == 404
    response = client.post(
        f"{URL}{supplier.pk}/evaluations/", {"period_start": "2026-01-01", "period_end": "2026-03-31"}, format="json"
    )
    assert response.status_code == 404


def test_roles_without_permission_are_refused(api_for):
    supplier = unlisted_supplier()
    assert api_for("xuhui_cs").get(URL).status_code == 403
    assert api_for(None).get(URL).status_code in (401, 403)
    assert api_for("purchaser").post(f"{URL}{supplier.pk}/suspend/", {"reason": "x"}, format="json").status_code == 403
    assert api_for("warehouse_clerk").get(URL).status_code == 200
    assert api_for("warehouse_clerk").post(URL, {"name": "仓库公司"}, format="json").status_code == 403


def test_order_check_endpoint_gives_reasons_and_warnings(api_for):
    product = ProductFactory()
    ok = qualified_supplier(product)
    off = unlisted_supplier()
    client = api_for("purchaser")
    allowed = client.get(f"{URL}{ok.pk}/order-check/", {"product": product.pk}).json()
    assert allowed == {"allowed": True, "reasons": [], "warnings": []}
    refused = client.get(f"{URL}{off.pk}/order-check/", {"product": product.pk}).json()
    assert refused["allowed"] is False and refused["reasons"][0]["code"] == "supplier.not_listed"


def test_suspend_and_reinstate(api_for):
    supplier = unlisted_supplier()
    client = api_for("purchasing_manager")
    response = client.post(f"{URL}{supplier.pk}/suspend/", {"reason": "抽检不合格"}, format="json")
    assert response.status_code == 200 and response.json()["is_suspended"] is True
    again = client.post(f"{URL}{supplier.pk}/suspend/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "suppliers.already_suspended"
    assert client.post(f"{URL}{supplier.pk}/reinstate/", {}, format="json").json()["is_suspended"] is False


def test_qualifications_and_evaluations(api_for):
    supplier = unlisted_supplier()
    client = api_for("purchaser")
    added = client.post(
        f"{URL}{supplier.pk}/qualifications/",
        {"kind": "authorisation_letter", "number": "AUTH-1", "valid_from": "2026-01-01", "expires_on": "2026-12-31"},
        format="json",
    )
    assert added.status_code == 201 and added.json()["kind_label"] == "授权书"
    bad = client.post(
        f"{URL}{supplier.pk}/qualifications/",
        {"kind": "business_licence", "number": "X", "valid_from": "2026-02-01", "expires_on": "2026-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "suppliers.invalid_dates"
    assert len(client.get(f"{URL}{supplier.pk}/qualifications/").json()) == 4
    evaluated = client.post(
        f"{URL}{supplier.pk}/evaluations/",
        {"period_start": "2026-01-01", "period_end": "2026-03-31", "scores": {"qualification": 90, "brand": 80}},
        format="json",
    )
    assert evaluated.status_code == 201, evaluated.content
    assert evaluated.json()["band"] == "qualified" and evaluated.json()["scores"]["brand"]["source"] == "entered"
    empty = client.post(
        f"{URL}{supplier.pk}/evaluations/", {"period_start": "2026-04-01", "period_end": "2026-06-30"}, format="json"
    )
    assert empty.json()["empty"] is True and empty.json()["standing_after"] == "qualified"
    assert len(client.get(f"{URL}{supplier.pk}/evaluations/").json()) == 2
    Supplier.objects.get(pk=supplier.pk)


def test_list_workflow_through_the_api(api_for):
    product = ProductFactory()
    supplier = unlisted_supplier()
    purchaser, manager = api_for("purchaser"), api_for("purchasing_manager")
    created = purchaser.post(LISTS, {"title": "2026 合格供方名单"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    empty = purchaser.post(f"{LISTS}{pk}/submit/", {}, format="json")
    assert empty.status_code == 409 and empty.json()["code"] == "suppliers.list_empty"
    entry = purchaser.post(f"{LISTS}{pk}/entries/", {"supplier": supplier.pk, "products": [product.pk]}, format="json")
    assert entry.status_code == 200 and entry.json()["entries"][0]["products"] == [product.pk]
    version = entry.json()["version"]
    stale = purchaser.post(f"{LISTS}{pk}/submit/", {"version": version - 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    assert purchaser.post(f"{LISTS}{pk}/submit/", {"version": version}, format="json").json()["status"] == "submitted"
    assert purchaser.post(f"{LISTS}{pk}/approve/", {}, format="json").status_code == 403
    twice = purchaser.post(f"{LISTS}{pk}/submit/", {}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "status.invalid_transition"
    approved = manager.post(f"{LISTS}{pk}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    check = purchaser.get(f"{URL}{supplier.pk}/order-check/", {"product": product.pk}).json()
    assert check["allowed"] is True
    late = purchaser.post(f"{LISTS}{pk}/entries/remove/", {"supplier": supplier.pk}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "suppliers.list_not_draft"


def test_out_of_scope_list_is_404(api_for, east_purchaser):
    created = api_for("purchaser").post(LISTS, {"title": "总部名单"}, format="json").json()
    client = api_for("east_purchaser")
    assert client.get(f"{LISTS}{created['id']}/").status_code == 404
    assert client.post(f"{LISTS}{created['id']}/submit/", {}, format="json").status_code == 404
