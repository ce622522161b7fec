"""Excel import of products (PRD-3: registry keyed by product code): mixed rows, re-import, template."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from salesservice.catalog.imports import product_import_spec
from salesservice.catalog.models import Product

from .factories import CategoryFactory, InspectionTemplateFactory

pytestmark = pytest.mark.django_db

HEADERS = [c.title for c in product_import_spec().columns]


def workbook(rows) -> SimpleUploadedFile:
    """rows: dicts keyed by column key; columns follow the template's header row."""
    keys = [c.key for c in product_import_spec().columns]
    book = Workbook()
    sheet = book.active
    sheet.title = "商品导入"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "products.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def good_row(code, **extra):
    row = {
        "code": code,
        "name": "电风扇",
        "category": "appliance",
        "price": 199,
        "manufacturer": "某电器厂",
        "origin": "广东中山",
        "has_certificate_of_conformity": "是",
        "has_chinese_label": "是",
    }
    row.update(extra)
    return row


ROWS = [
    good_row("HA-1", specification="FS-40", tracking_mode="按序列号", acceptance_template="家电验收"),
    good_row("HA-2", category="nope"),  # row 3: unknown category
    good_row(
        "MD-1",
        name="血压计",
        device_class="第二类",
        registration_no="沪械注准20232070123",
        registration_expiry="2029-12-31",
        tracking_mode="batch",
    ),
    good_row("HA-3", price="很贵"),  # row 5: not a number
    good_row("HA-4", has_certificate_of_conformity=None),  # row 6: required column empty
    good_row("HA-5", storage_temp_min=40, storage_temp_max=5),  # row 7: range reversed
]


@pytest.fixture
def setup_refs(demo):
    CategoryFactory(code="appliance", name="家用电器")
    InspectionTemplateFactory(name="家电验收")


def test_api_import_mixed_rows_then_reimport_does_not_duplicate(setup_refs, api_for):
    """Good rows imported, bad rows reported with row number and reason; the same file twice changes nothing."""
    api = api_for("purchaser")
    report = api.post("/api/v1/products/import/", {"file": workbook(ROWS)}, format="multipart").json()
    assert report["created"] == 2 and report["updated"] == 0
    errors = {e["row"]: e["message"] for e in report["errors"]}
    assert set(errors) == {3, 5, 6, 7}
    assert "分类编码" in errors[3] and "单价" in errors[5] and "有合格证" in errors[6] and "温度" in errors[7]
    product = Product.objects.get(code="HA-1")
    assert product.tracking_mode == "serial" and product.acceptance_template.name == "家电验收"
    assert str(product.price) == "199.00" and product.has_certificate_of_conformity
    assert Product.objects.get(code="MD-1").device_class == "II"

    again = api.post("/api/v1/products/import/", {"file": workbook(ROWS)}, format="multipart").json()
    assert again["created"] == 0 and again["unchanged"] == 2 and len(again["errors"]) == 4
    assert Product.objects.count() == 2

    changed = [
        good_row("HA-1", specification="FS-40", tracking_mode="serial", acceptance_template="家电验收", price=219)
    ]
    third = api.post("/api/v1/products/import/", {"file": workbook(changed)}, format="multipart").json()
    assert third["updated"] == 1 and Product.objects.get(code="HA-1").version == 2


def test_import_refused_for_read_only_roles(setup_refs, api_for):
    response = api_for("xuhui_cs").post("/api/v1/products/import/", {"file": workbook(ROWS)}, format="multipart")
    assert response.status_code == 403 and not Product.objects.exists()


def test_import_page_reports_rows_and_template_download(setup_refs, web_for):
    client = web_for("purchaser")
    url = reverse("catalog:product-import")
    template = client.get(url, {"template": "1"})
    assert template.status_code == 200
    header = next(load_workbook(BytesIO(template.content)).active.iter_rows(values_only=True))
    assert list(header) == HEADERS and header[0] == "商品编码*"
    page = client.post(url, {"file": workbook(ROWS)}).content.decode()
    assert 'id="import-report"' in page and page.count('class="import-error-row"') == 4
    assert Product.objects.count() == 2
    bad = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"not excel")}).content.decode()
    assert 'id="import-error"' in bad
    assert web_for("xuhui_cs").get(url).status_code == 403
