"""Customer Excel import: good rows in, bad rows reported with row number and reason, re-import idempotent."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from ..models import Customer
from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = ["客户编码", "客户名称*", "客户类型*", "所属门店*", "负责销售", "重点客户", "标签", "电话", "邮箱"]


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "客户导入"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("customers.xlsx", buffer.getvalue())


ROWS = [
    ["", "上海瑞金医院", "医院", "上海徐汇店", "sales_rep", "是", "医院,重点", 13800001111, "a@example.com"],
    ["", "王芳", "个人", "sh-xuhui", "", "", "", "13900002222", ""],
    ["", "", "个人", "上海徐汇店", "", "", "", "", ""],  # row 4: no name
    ["", "越权客户", "企业", "广州天河店", "", "", "", "", ""],  # row 5: store out of scope
    ["", "类型错", "公司", "上海徐汇店", "", "", "", "", ""],  # row 6: bad type
    ["CU-NOPE-1", "编码错", "个人", "上海徐汇店", "", "", "", "", ""],  # row 7: unknown code
    ["", "邮箱错", "个人", "上海徐汇店", "", "", "", "", "not-an-email"],  # row 8: bad email
]


def test_import_mixed_rows_then_reimport_does_not_duplicate(api_for, users, demo):
    client = api_for("xuhui_cs")
    report = client.post("/api/v1/customers/import/", {"file": workbook(ROWS)}, format="multipart").json()
    assert report["created"] == 2
    errors = {e["row"]: e["message"] for e in report["errors"]}
    assert sorted(errors) == [4, 5, 6, 7, 8]
    assert "客户名称" in errors[4] and "不在您的管辖范围内" in errors[5] and "公司" in errors[6]
    assert "CU-NOPE-1" in errors[7] and errors[8].startswith("邮箱：")
    ruijin = Customer.objects.get(name="上海瑞金医院")
    assert ruijin.phone == "13800001111" and ruijin.is_key_account and ruijin.sales_rep == users["sales_rep"]
    assert ruijin.pinyin_initials == "shrjyy" and sorted(ruijin.tags.values_list("name", flat=True)) == ["医院", "重点"]

    again = client.post("/api/v1/customers/import/", {"file": workbook(ROWS)}, format="multipart").json()
    assert again["created"] == 0 and again["unchanged"] == 2 and Customer.objects.count() == 2


def test_import_by_code_updates_the_customer(api_for, demo):
    customer = CustomerFactory(name="老客户", phone="13700000000")
    rows = [[customer.code, "老客户（新）", "个人", "上海徐汇店", "", "否", "", "", ""]]
    report = api_for("xuhui_cs").post("/api/v1/customers/import/", {"file": workbook(rows)}, format="multipart").json()
    assert report["updated"] == 1 and report["errors"] == []
    customer.refresh_from_db()
    assert customer.name == "老客户（新）" and customer.phone == "13700000000"  # empty cell keeps the phone


def test_import_code_of_another_store_is_not_revealed(api_for, demo):
    from .factories import store

    foreign = CustomerFactory(store=store("gz-tianhe"))
    rows = [[foreign.code, "改名", "个人", "上海徐汇店", "", "", "", "", ""]]
    report = api_for("xuhui_cs").post("/api/v1/customers/import/", {"file": workbook(rows)}, format="multipart").json()
    assert report["errors"][0]["row"] == 2


def test_import_page_template_and_upload(web_for, demo):
    client = web_for("xuhui_cs")
    template = client.get("/customers/import/", {"template": "1"})
    header = [c.value for c in next(load_workbook(BytesIO(template.content)).active.iter_rows())]
    assert header[:4] == ["客户编码", "客户名称*", "客户类型*", "所属门店*"]
    page = client.post("/customers/import/", {"file": workbook(ROWS)}).content.decode()
    assert "新增 2 行" in page and "import-error-row" in page
    assert web_for("qa_inspector").get("/customers/import/").status_code == 403
