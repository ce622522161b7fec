"""Excel import of suppliers 供应商导入: each row calls the supplier service; good rows created or updated,
bad rows reported with their reason and nothing written for them; re-importing changes nothing; scope."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group

from salesservice.core.imports import run_import
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.suppliers.imports import supplier_import_spec
from salesservice.suppliers.models import Supplier
from salesservice.suppliers.tests.factories import unlisted_supplier

pytestmark = pytest.mark.django_db
CREDIT = "91310000MA1K000001"


def workbook(rows) -> BytesIO:
    from openpyxl import Workbook

    spec = supplier_import_spec()
    book = Workbook()
    sheet = book.active
    sheet.title = spec.name
    sheet.append([column.title for column in spec.columns])
    for row in rows:
        sheet.append([row.get(column.key) for column in spec.columns])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "suppliers.xlsx"
    return buffer


@pytest.fixture
def east_purchaser(users):
    user = User.objects.create(username="east_purchaser", display_name="华东采购")
    Membership.objects.create(
        user=user, org_unit=OrgUnit.objects.get(code="east"), role=Group.objects.get(name="purchaser")
    )
    users[user.username] = user
    return user


def test_rows_go_through_the_supplier_service(users):
    existing = unlisted_supplier(name="已有供应商")
    rows = [
        {"name": "导入医疗器械有限公司", "credit_code": CREDIT, "contact": "王经理", "phone": "13912345678"},
        {"name": "坏代码公司", "credit_code": "123"},
        {"name": "", "contact": "无名"},
        {"name": "已有供应商", "contact": "新联系人"},
        {"number": "SUP-9999", "name": "编号不存在公司"},
        {"name": "重复代码公司", "credit_code": CREDIT},
        {"name": "部门不存在公司", "org_unit": "火星部"},
    ]
    report = run_import(supplier_import_spec(), actor=users["purchaser"], file=workbook(rows))
    assert [r.outcome for r in report.rows] == ["created", "error", "error", "updated", "error", "error", "error"]
    messages = {r.row: r.message for r in report.errors}
    assert "18 位" in messages[3] and "供应商名称" in messages[4] and "SUP-9999" in messages[6]
    assert "已存在" in messages[7] and "火星部" in messages[8]
    created = Supplier.objects.get(name="导入医疗器械有限公司")
    assert (
        created.number.startswith("SUP-") and created.credit_code == CREDIT and created.created_by == users["purchaser"]
    )
    existing.refresh_from_db()
    assert existing.contact == "新联系人" and existing.version == 2
    assert not Supplier.objects.filter(
        name__in=["坏代码公司", "编号不存在公司", "重复代码公司", "部门不存在公司"]
    ).exists()
    again = run_import(supplier_import_spec(), actor=users["purchaser"], file=workbook(rows[:1] + rows[3:4]))
    assert [r.outcome for r in again.rows] == ["unchanged", "unchanged"]
    by_number = run_import(
        supplier_import_spec(),
        actor=users["purchaser"],
        file=workbook([{"number": created.number, "name": created.name, "address": "张江"}]),
    )
    assert [r.outcome for r in by_number.rows] == ["updated"]


def test_scope_another_departments_supplier_and_unit_are_refused(users, east_purchaser):
    unlisted_supplier(name="总部供应商")
    rows = [
        {"name": "总部供应商", "contact": "改不了"},
        {"name": "华东新供应商", "org_unit": "采购部"},
        {"name": "华东新供应商"},
    ]
    report = run_import(supplier_import_spec(), actor=east_purchaser, file=workbook(rows))
    assert [r.outcome for r in report.rows] == ["error", "error", "created"]
    assert "不在您的管辖范围内" in report.rows[0].message and "不在您的管辖范围内" in report.rows[1].message
    assert Supplier.objects.get(name="华东新供应商").org_unit.code == "east"
    assert Supplier.objects.get(name="总部供应商").contact != "改不了"


def test_import_page_is_linked_from_the_list(web_for):
    client = web_for("purchaser")
    assert "/suppliers/import/" in client.get("/suppliers/").content.decode()
    template = client.get("/suppliers/import/", {"template": 1})
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(
        "/suppliers/import/", {"file": workbook([{"name": "页面导入公司"}, {"name": "坏", "credit_code": "x"}])}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "import-report" in text and "18 位" in text
    assert Supplier.objects.filter(name="页面导入公司").exists()
    assert web_for("warehouse_clerk").get("/suppliers/import/").status_code == 403
