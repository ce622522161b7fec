"""Products API: filters, search, sellability, QA flags, idempotent create, stale PATCH, permissions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesservice.catalog.models import Product, ProductRestriction
from salesservice.core.models import Event
from tests.matrix import Matrix, check_api

from .factories import CategoryFactory, InspectionItemFactory, MedicalDeviceFactory, ProductFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/"


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_product_list_permission_matrix(demo, api_for):
    """Products are company-wide, but reading needs catalog.view_product; the provider dispatcher has none."""
    product = ProductFactory()
    for url in (URL, f"{URL}{product.pk}/", f"{URL}{product.pk}/sellability/", "/api/v1/product-categories/"):
        check_api(Matrix(url, permitted="tianhe_cs", no_permission="provider_dispatcher"), api_for)
    assert api_for("provider_dispatcher").get(URL).status_code == 403


def test_list_filters_and_search(demo, api_for):
    medical = CategoryFactory(code="medical")
    class2 = CategoryFactory(code="medical-2", parent=medical)
    device = MedicalDeviceFactory(
        category=class2, name="电子血压计", brand="欧姆龙", registration_no="辽械注准20192070123"
    )
    fridge = ProductFactory(name="冰箱", specification="BCD-520", tracking_mode="serial")
    uncertified = ProductFactory(name="净化器", has_certificate_of_conformity=False, is_active=False)
    api = api_for("xuhui_cs")
    assert ids(api.get(URL, {"category": medical.pk})) == {device.pk}  # includes subcategories
    assert ids(api.get(URL, {"device_class": "II"})) == {device.pk}
    assert ids(api.get(URL, {"tracking_mode": "serial"})) == {fridge.pk}
    assert ids(api.get(URL, {"is_active": "false"})) == {uncertified.pk}
    assert ids(api.get(URL, {"sellable": "false"})) == {uncertified.pk}
    assert ids(api.get(URL, {"sellable": "true"})) == {device.pk, fridge.pk}
    for term in ("血压", "欧姆龙", "BCD-5", "20192070123", fridge.code):
        assert len(ids(api.get(URL, {"q": term}))) == 1, term
    body = api.get(URL, {"q": "净化器"}).json()["results"][0]
    assert body["sellable"] is False and body["unsellable_reasons"][0]["code"] == "no_certificate"


def test_sellability_endpoint_with_date(demo, api_for):
    """PRD-1: GET /products/{id}/sellability/?at=DATE gives every reason with code and Chinese message."""
    product = MedicalDeviceFactory(registration_expiry=dt.date(2026, 3, 31))
    api = api_for("sales_rep")
    before = api.get(f"{URL}{product.pk}/sellability/", {"at": "2026-03-01"}).json()
    assert before == {"sellable": True, "at": "2026-03-01", "reasons": []}
    after = api.get(f"{URL}{product.pk}/sellability/", {"at": "2026-04-01"}).json()
    assert after["sellable"] is False and after["reasons"][0]["code"] == "registration_expired"
    assert "过期" in after["reasons"][0]["message"]
    bad = api.get(f"{URL}{product.pk}/sellability/", {"at": "01/04/2026"})
    assert bad.status_code == 400 and bad.json()["code"] == "sellability.invalid_at"


def test_qa_restricts_with_evidence_and_product_shows_unsellable(demo, api_for):
    """PRD-1: QA marks a product unsellable (multipart with evidence); list and sellability agree."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = ProductFactory()
    api = api_for("qa_inspector")
    response = api.post(
        f"{URL}{product.pk}/restrict/",
        {
            "reason_code": "counterfeit_or_used",
            "reason": "翻新机冒充新机",
            "evidence": SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff", content_type="image/jpeg"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    restriction_id = response.json()["id"]
    assert response.json()["evidence_name"] == "照片.jpg"
    verdict = api_for("xuhui_cs").get(f"{URL}{product.pk}/sellability/").json()
    assert verdict["sellable"] is False and verdict["reasons"][0]["code"] == "counterfeit_or_used"
    assert ids(api.get(URL, {"sellable": "false"})) == {product.pk}
    detail = api.get(f"{URL}{product.pk}/").json()
    assert detail["restrictions"][0]["is_active"] is True

    lifted = api.post(f"{URL}{product.pk}/lift-restriction/", {"restriction": restriction_id, "reason": "复检为新机"})
    assert lifted.status_code == 200 and lifted.json()["lift_reason"] == "复检为新机"
    assert api.get(f"{URL}{product.pk}/sellability/").json()["sellable"] is True


def test_restrict_refused_without_qa_permission_and_nothing_changes(demo, api_for, users):
    """PRD-1: purchasing may edit products but not mark them unsellable (403); nothing is written."""
    product = ProductFactory()
    flag = RestrictionFactory(product=product, set_by=users["qa_inspector"])
    for username in ("purchaser", "sales_rep"):
        api = api_for(username)
        refused = api.post(f"{URL}{product.pk}/restrict/", {"reason_code": "banned_by_law", "reason": "x"})
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
        refused = api.post(f"{URL}{product.pk}/lift-restriction/", {"restriction": flag.pk, "reason": "x"})
        assert refused.status_code == 403
    assert ProductRestriction.objects.count() == 1 and ProductRestriction.objects.get().lifted_at is None
    assert not Event.objects.filter(event_type__startswith="catalog.product_restr").exists()


def test_restrict_validation_errors(demo, api_for, users):
    product = ProductFactory()
    api = api_for("qa_inspector")
    response = api.post(f"{URL}{product.pk}/restrict/", {"reason_code": "ugly", "reason": ""})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"reason_code", "reason"}
    other = ProductFactory()
    flag = RestrictionFactory(product=other, set_by=users["qa_inspector"])
    response = api.post(f"{URL}{product.pk}/lift-restriction/", {"restriction": flag.pk, "reason": "x"})
    assert response.status_code == 400 and response.json()["code"] == "restriction.not_found"
    assert not ProductRestriction.objects.filter(product=product).exists()


def test_create_is_idempotent(demo, api_for):
    category = CategoryFactory()
    api = api_for("purchaser")
    body = {"code": "HA-7001", "name": "电暖器", "category": category.pk, "price": "299.00", "manufacturer": "某厂"}
    first = api.post(URL, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(URL, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Product.objects.filter(code="HA-7001").count() == 1
    assert first.json()["price"] == "299.00" and first.json()["sellable"] is False  # no origin recorded
    duplicate = api.post(URL, {**body, "name": "另一个"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "product.duplicate_code"


def test_create_refused_for_read_only_role(demo, api_for):
    response = api_for("xuhui_cs").post(URL, {"code": "X", "name": "X", "category": CategoryFactory().pk})
    assert response.status_code == 403 and not Product.objects.exists()


def test_stale_patch_is_409_and_first_write_kept(demo, api_for):
    product = ProductFactory(price="100.00")
    api = api_for("purchaser")
    first = api.patch(f"{URL}{product.pk}/", {"version": 1, "price": "120.00"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api.patch(f"{URL}{product.pk}/", {"version": 1, "price": "90.00"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    product.refresh_from_db()
    assert str(product.price) == "120.00" and product.version == 2
    missing = api.patch(f"{URL}{product.pk}/", {"price": "90.00"})
    assert missing.status_code == 400 and missing.json()["code"] == "version.required"


def test_categories_and_templates_api(demo, api_for):
    item = InspectionItemFactory(text="包装完好")
    api = api_for("qa_inspector")
    body = api.get(f"/api/v1/inspection-templates/{item.template_id}/").json()
    assert body["items"][0]["text"] == "包装完好" and body["items"][0]["group_display"] == "外观"
    created = api.post(
        "/api/v1/inspection-templates/",
        {"name": "新标准", "items": [{"group": "quantity", "text": "数量相符"}]},
        format="json",
    )
    assert created.status_code == 201 and len(created.json()["items"]) == 1
    category = api.post("/api/v1/product-categories/", {"code": "kitchen", "name": "厨房电器"})
    assert category.status_code == 201
    renamed = api.patch(f"/api/v1/product-categories/{category.json()['id']}/", {"version": 1, "name": "厨电"})
    assert renamed.status_code == 200 and renamed.json()["version"] == 2


def test_list_query_count_does_not_grow_with_products(demo, api_for, users):
    """DESIGN §8: no N+1 — sellability of each row comes from one prefetch."""
    api = api_for("xuhui_cs")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(URL, {"page_size": 50}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        RestrictionFactory(product=ProductFactory(), set_by=users["qa_inspector"])
    run()  # the first call fills this process's configuration cache (permissions, scope)
    small = run()
    for _ in range(15):
        RestrictionFactory(product=MedicalDeviceFactory(), set_by=users["qa_inspector"], set_at=timezone.now())
    assert run() == small
