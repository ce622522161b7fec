"""Catalog pages: list with badge, filters and export; detail with reasons; QA flag forms; edit with version."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salesservice.catalog.models import Product, ProductRestriction
from tests.matrix import Matrix, check_page

from .factories import CategoryFactory, InspectionItemFactory, MedicalDeviceFactory, ProductFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

LIST = "/catalog/products/"


def test_page_permission_matrix(demo, client, users):
    """Reading needs catalog.view_product: the provider dispatcher gets 403."""
    product = ProductFactory()
    item = InspectionItemFactory()
    for url in (
        LIST,
        reverse("catalog:product-detail", args=[product.pk]),
        reverse("catalog:categories"),
        reverse("catalog:inspection-templates"),
        reverse("catalog:inspection-template-detail", args=[item.template_id]),
    ):
        check_page(Matrix(url, permitted="xuhui_cs", no_permission="provider_dispatcher"), client, users)
    client.force_login(users["provider_dispatcher"])
    assert client.get(LIST).status_code == 403


def test_list_shows_red_badge_and_filters(demo, web_for):
    """PRD-1: the list marks unsellable products "禁止销售"; search and sellable filter work."""
    good = ProductFactory(name="变频空调")
    bad = ProductFactory(name="空气净化器", has_certificate_of_conformity=False)
    client = web_for("xuhui_cs")
    page = client.get(LIST).content.decode()
    assert "禁止销售" in page and "可销售" in page and "新建商品" not in page  # cs_rep may not create
    only_bad = client.get(LIST, {"sellable": "false"}).content.decode()
    assert bad.code in only_bad and good.code not in only_bad
    searched = client.get(LIST, {"q": "空调"}).content.decode()
    assert good.code in searched and bad.code not in searched
    partial = client.get(LIST, {"q": "空调"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and good.code in partial


def test_list_actions_for_purchaser(demo, web_for):
    page = web_for("purchaser").get(LIST).content.decode()
    assert "新建商品" in page and "导入" in page


def test_excel_export_of_filtered_list(demo, web_for):
    from openpyxl import load_workbook

    ProductFactory(name="空调")
    ProductFactory(name="净化器", has_certificate_of_conformity=False)
    response = web_for("xuhui_cs").get(LIST, {"export": "xlsx", "sellable": "false"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "商品编码" and len(rows) == 2
    assert rows[1][1] == "净化器" and rows[1][-1].startswith("禁止销售：无合格证")


def test_list_page_query_count_does_not_grow(demo, web_for, users):
    """DESIGN §8: the page runs the same number of queries for 3 or 20 products."""
    client = web_for("xuhui_cs")

    def run():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        RestrictionFactory(product=ProductFactory(), set_by=users["qa_inspector"])
    run()  # the first call fills this process's configuration cache (permissions, scope)
    small = run()
    for _ in range(17):
        RestrictionFactory(product=MedicalDeviceFactory(), set_by=users["qa_inspector"])
    assert run() == small


def test_detail_shows_badge_with_every_reason(demo, web_for):
    """PRD-1/PRD-2: the product page shows "禁止销售" and each reason; a sellable one shows "可销售"."""
    bad = MedicalDeviceFactory(has_chinese_label=False, origin="")
    client = web_for("xuhui_cs")
    page = client.get(reverse("catalog:product-detail", args=[bad.pk])).content.decode()
    assert 'data-sellable="false"' in page and "禁止销售" in page
    assert 'data-code="no_chinese_label"' in page and 'data-code="missing_identity"' in page
    assert "基本信息" in page and "存储与验收" in page and "法规信息" in page
    assert 'id="restrict-form"' not in page  # only QA sees the form
    good = ProductFactory()
    assert 'data-sellable="true"' in client.get(reverse("catalog:product-detail", args=[good.pk])).content.decode()


def test_qa_marks_product_unsellable_in_the_page(demo, web_for):
    """PRD-1 done-means: QA marks a product unsellable and the badge with the reason appears."""
    product = ProductFactory()
    client = web_for("qa_inspector")
    url = reverse("catalog:product-detail", args=[product.pk])
    assert 'id="restrict-form"' in client.get(url).content.decode()
    response = client.post(
        reverse("catalog:product-restrict", args=[product.pk]),
        {
            "reason_code": "false_quality_marks",
            "reason": "冒用CCC认证标志",
            "evidence": SimpleUploadedFile("证据.png", b"\x89PNG", content_type="image/png"),
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-sellable="false"' in page and "冒用CCC认证标志" in page and "证据.png" in page
    assert "标记禁止销售" in page  # the timeline event
    restriction = ProductRestriction.objects.get()
    # the evidence is downloadable by anyone who can view the product
    assert web_for("xuhui_cs").get(reverse("core:attachment", args=[restriction.evidence_id])).status_code == 200

    client = web_for("qa_inspector")
    lift = reverse("catalog:product-restriction-lift", args=[product.pk, restriction.pk])
    assert client.post(lift, {"reason": ""}).status_code == 400
    assert client.post(lift, {"reason": "已核实标志合法"}).status_code == 302
    assert 'data-sellable="true"' in client.get(url).content.decode()


def test_restrict_page_refused_without_permission(demo, web_for):
    product = ProductFactory()
    response = web_for("purchaser").post(
        reverse("catalog:product-restrict", args=[product.pk]), {"reason_code": "banned_by_law", "reason": "x"}
    )
    assert response.status_code == 403 and not ProductRestriction.objects.exists()


def test_restrict_form_errors_are_shown_in_chinese(demo, web_for):
    product = ProductFactory()
    response = web_for("qa_inspector").post(
        reverse("catalog:product-restrict", args=[product.pk]), {"reason_code": "banned_by_law", "reason": ""}
    )
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    assert not ProductRestriction.objects.exists()


def _form_data(product, **overrides):
    data = {
        "code": product.code,
        "name": product.name,
        "specification": product.specification,
        "category": product.category_id,
        "unit": product.unit,
        "brand": product.brand,
        "price": str(product.price),
        "warranty_months": product.warranty_months,
        "tracking_mode": product.tracking_mode,
        "manufacturer": product.manufacturer,
        "device_class": product.device_class,
        "origin": product.origin,
        "has_certificate_of_conformity": "on",
        "has_chinese_label": "on",
        "is_active": "on",
        "version": product.version,
    }
    data.update(overrides)
    return data


def test_create_and_edit_with_stale_version(demo, web_for):
    """A stale save shows a clear Chinese error and saves nothing."""
    category = CategoryFactory()
    client = web_for("purchaser")
    response = client.post(
        reverse("catalog:product-create"),
        _form_data(Product(code="HA-5", name="电风扇", category=category, manufacturer="某厂", origin="浙江")),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get(code="HA-5")
    edit = reverse("catalog:product-edit", args=[product.pk])
    assert 'name="version"' in client.get(edit).content.decode()
    assert client.post(edit, _form_data(product, price="199.00", version=1)).status_code == 302
    stale = client.post(edit, _form_data(product, price="50.00", version=1))
    assert stale.status_code == 200 and "记录已被他人修改" in stale.content.decode()
    product.refresh_from_db()
    assert str(product.price) == "199.00" and product.version == 2


def test_create_duplicate_code_error_on_field(demo, web_for):
    existing = ProductFactory()
    response = web_for("purchaser").post(reverse("catalog:product-create"), _form_data(existing, name="另一个"))
    assert response.status_code == 200 and "已存在" in response.content.decode()
    assert Product.objects.count() == 1


def test_category_create_page(demo, web_for):
    client = web_for("purchaser")
    response = client.post(reverse("catalog:category-create"), {"code": "kitchen", "name": "厨房电器"})
    assert response.status_code == 302
    assert "厨房电器" in client.get(reverse("catalog:categories")).content.decode()
    assert web_for("xuhui_cs").get(reverse("catalog:category-create")).status_code == 403
