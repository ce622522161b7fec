"""Excel import of opening stock 期初库存 (good rows written as signed `adjust` moves into storage, bad rows
reported with their reason and nothing written for them, scope; re-import changes nothing) and the
printable 盘点表 (PDF with its Chinese title; out of scope → 404)."""

import re
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from salesservice.core.imports import run_import
from salesservice.core.models import Membership, User

from .. import counts
from ..imports import opening_stock_import_spec
from ..models import Lot, StockMove, StockQuant
from .factories import ProductFactory, batch_product, in_days, storage_location, warehouse

pytestmark = pytest.mark.django_db


def workbook(rows) -> BytesIO:
    from openpyxl import Workbook

    spec = opening_stock_import_spec()
    book = Workbook()
    sheet = book.active
    sheet.title = spec.name
    sheet.append([column.title for column in spec.columns])
    for row in rows:
        sheet.append([row.get(column.key) for column in spec.columns])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "opening.xlsx"
    return buffer


def pdf_title(content: bytes) -> str:
    """The document title from the PDF's info dictionary (a UTF-16 string with octal escapes)."""
    raw = re.search(rb"/Title \((.*?)\) ", content, re.S).group(1)
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i] == 0x5C:
            digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if digits:
                out.append(int(digits.group(), 8))
                i += 1 + len(digits.group())
            else:
                out.append(raw[i + 1])
                i += 2
        else:
            out.append(raw[i])
            i += 1
    return bytes(out).decode("utf-16")


@pytest.fixture
def setup(demo):
    wh = warehouse("WH-T")
    storage_location(wh, "A-01")
    return {"wh": wh, "product": batch_product(code="OPEN-1"), "plain": ProductFactory(code="PLAIN-1")}


def good(**extra):
    return {"warehouse": "WH-T", "location": "A-01", "product": "OPEN-1", "lot_number": "LOT-A",
            "expiry_date": in_days(300).isoformat(), "quantity": 10, **extra}  # fmt: skip


def test_good_rows_are_signed_adjust_moves_bad_rows_are_reported_and_write_nothing(setup, users):
    clerk = users["warehouse_clerk"]
    rows = [
        good(),
        good(product="NO-SUCH"),
        good(location="QUARANTINE", lot_number="LOT-Q"),
        good(lot_number=""),
        good(lot_number="LOT-Z", quantity=0),
        good(location="B-99", lot_number="LOT-B"),
        good(product="PLAIN-1", lot_number="", expiry_date=None, quantity=3),
    ]
    report = run_import(opening_stock_import_spec(), actor=clerk, file=workbook(rows))
    assert [(r.row, r.outcome) for r in report.rows] == [
        (2, "created"), (3, "error"), (4, "error"), (5, "error"), (6, "error"), (7, "error"), (8, "created"),
    ]  # fmt: skip
    messages = {r.row: r.message for r in report.errors}
    assert "商品编码“NO-SUCH”不存在" in messages[3]
    assert "期初库存只能导入储位" in messages[4]
    assert "按批号追踪" in messages[5]
    assert "数量必须为正整数" in messages[6]
    assert "没有库位“B-99”" in messages[7]
    # nothing written for the refused rows — not even their lots
    assert not Lot.objects.filter(lot_number__in=["LOT-Q", "LOT-Z", "LOT-B"]).exists()
    move = StockMove.objects.get(lot__lot_number="LOT-A")
    assert (move.kind, move.quantity, move.actor, move.to_location.code, move.from_location) == (
        "adjust", 10, clerk, "A-01", None
    )  # fmt: skip
    assert move.reference_number == "期初库存"
    assert StockQuant.objects.get(lot=move.lot).quantity == 10
    assert StockQuant.objects.filter(product=setup["plain"]).get().quantity == 3
    again = run_import(opening_stock_import_spec(), actor=clerk, file=workbook([good()]))
    assert [r.outcome for r in again.rows] == ["unchanged"]
    assert StockMove.objects.filter(lot__lot_number="LOT-A").count() == 1


def test_a_store_clerk_imports_only_into_warehouses_in_scope(setup, demo, users):
    warehouse("WH-XH", org_unit=demo["sh-xuhui"])
    storage_location(warehouse("WH-XH"), "A-01")
    storage_location(warehouse("WH-GZ", org_unit=demo["gz-tianhe"]), "A-01")
    user = User.objects.create(username="xuhui_clerk", display_name="徐汇仓管")
    Membership.objects.create(user=user, org_unit=demo["sh-xuhui"], role=Group.objects.get(name="warehouse_clerk"))
    report = run_import(
        opening_stock_import_spec(),
        actor=user,
        file=workbook([good(warehouse="WH-GZ", lot_number="GZ"), good(warehouse="WH-XH", lot_number="XH")]),
    )
    assert [r.outcome for r in report.rows] == ["error", "created"]
    assert "仓库“WH-GZ”不存在或不在您的管辖范围内" in report.rows[0].message
    assert not StockMove.objects.filter(warehouse__code="WH-GZ").exists()
    assert StockMove.objects.get(warehouse__code="WH-XH").actor == user


def test_import_page_template_upload_and_report(setup, web_for):
    client = web_for("warehouse_clerk")
    url = reverse("inventory:opening-import")
    assert "导入期初库存" in client.get(reverse("inventory:stock")).content.decode()
    template = client.get(url, {"template": 1})
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(url, {"file": workbook([good(), good(product="NO-SUCH")])})
    text = response.content.decode()
    assert response.status_code == 200 and "import-report" in text and "NO-SUCH" in text
    assert web_for("xuhui_manager").get(url).status_code == 403


def test_count_sheet_pdf_renders_and_is_scoped(setup, demo, web_for, users, client):
    from .factories import stocked

    stocked(setup["product"], 6, lot_number="CNT-1")
    count = counts.stock_count_create(actor=None, warehouse=setup["wh"])
    counts.stock_count_start(actor=None, count_id=count.pk)
    clerk = web_for("warehouse_clerk")
    assert (
        reverse("inventory:count-pdf", args=[count.pk])
        in clerk.get(reverse("inventory:count-detail", args=[count.pk])).content.decode()
    )
    pdf = clerk.get(reverse("inventory:count-pdf", args=[count.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf_title(pdf.content) == "盘点表"
    other = counts.stock_count_create(actor=None, warehouse=warehouse("WH-GZ", org_unit=demo["gz-tianhe"]))
    assert web_for("xuhui_manager").get(reverse("inventory:count-pdf", args=[other.pk])).status_code == 404
    assert web_for("xuhui_cs").get(reverse("inventory:count-pdf", args=[other.pk])).status_code == 403
