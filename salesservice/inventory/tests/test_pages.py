"""Inventory pages: Chinese lists with filters, search, pagination and Excel export; the lot page with its
ledger; the stock count page with its workflow actions; readings; scoping (another unit's records → 404)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.matrix import Matrix, check_page

from .. import counts
from ..models import StockCount
from .factories import batch_product, stocked, storage_location, warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def test_stock_list_in_chinese_with_filters_search_export_and_stable_query_count(web_for):
    product = batch_product(name="一次性使用无菌注射器")
    stocked(product, 12, lot_number="ZS-001")
    client = web_for("warehouse_clerk")
    url = reverse("inventory:stock")
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "一次性使用无菌注射器" in text and "可用" in text and "导出 Excel" in text
    assert "ZS-001" in client.get(url, {"q": "ZS-001", "state": "allocatable"}).content.decode()
    assert "ZS-001" not in client.get(url, {"state": "quarantine"}).content.decode()
    assert client.get(url, {"export": "xlsx"})["Content-Type"].startswith("application/vnd.openxmlformats")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for n in range(5):
        stocked(batch_product(), 3, lot_number=f"M{n}")
    assert count() == few


@pytest.mark.parametrize("name", ["inventory:lots", "inventory:moves", "inventory:warehouses", "inventory:counts",
                                  "inventory:readings"])  # fmt: skip
def test_every_list_page_renders_and_exports(web_for, name):
    stocked(batch_product(), 2)
    client = web_for("warehouse_clerk")
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name), {"export": "xlsx"}).status_code == 200


def test_lot_page_shows_its_registry_and_signed_ledger_and_hides_other_units(client, users, demo):
    lot = stocked(batch_product(), 4, lot_number="LOT-77", wh=warehouse("WH-GZ", org_unit=demo["gz-tianhe"]))
    url = reverse("inventory:lot-detail", args=[lot.pk])
    check_page(
        Matrix(url, permitted="warehouse_clerk", out_of_scope="xuhui_manager", no_permission="xuhui_cs"), client, users
    )
    client.force_login(users["warehouse_clerk"])
    text = client.get(url).content.decode()
    assert "LOT-77" in text and "到货入待验区" in text and "上架" in text


def test_qa_holds_a_lot_from_its_page(web_for, users):
    lot = stocked(batch_product(), 4)
    client = web_for("qa_inspector")
    response = client.post(reverse("inventory:lot-hold", args=[lot.pk]), {"reason": "供方召回通知"}, follow=True)
    assert "已冻结" in response.content.decode()
    lot.refresh_from_db()
    assert lot.held and lot.hold_reason == "供方召回通知"


def test_count_page_walks_the_workflow_with_buttons_from_the_declaration(web_for, users):
    stocked(batch_product(), 6)
    clerk = web_for("warehouse_clerk")
    created = clerk.post(reverse("inventory:count-create"), {"warehouse": warehouse().pk, "note": "月末盘点"})
    count = StockCount.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse("inventory:count-detail", args=[count.pk])
    page = clerk.get(created["Location"]).content.decode()
    assert "开始盘点" in page and "审批通过" not in page
    clerk.post(reverse("inventory:count-action", args=[count.pk, "start"]), {"version": count.version})
    count.refresh_from_db()
    line = count.lines.get()
    page = clerk.get(reverse("inventory:count-detail", args=[count.pk])).content.decode()
    assert "录入实盘数" in page and "盘点表" in page
    clerk.post(
        reverse("inventory:count-action", args=[count.pk, "record"]),
        {"version": count.version, f"qty_{line.pk}": 5, f"reason_{line.pk}": ""},
    )
    count.refresh_from_db()
    refused = clerk.post(
        reverse("inventory:count-action", args=[count.pk, "submit"]), {"version": count.version}, follow=True
    )
    assert "差异原因" in refused.content.decode()
    assert StockCount.objects.get().status == "counting"


def test_count_page_of_another_unit_is_404(client, users, demo):
    wh = warehouse("WH-GZ", org_unit=demo["gz-tianhe"])
    count = counts.stock_count_create(actor=None, warehouse=wh)
    check_page(
        Matrix(
            reverse("inventory:count-detail", args=[count.pk]),
            permitted="warehouse_clerk",
            out_of_scope="xuhui_manager",
        ),
        client,
        users,
    )


def test_reading_form_records_and_warns_of_an_excursion(web_for):
    product = batch_product(storage_temp_min=Decimal("2"), storage_temp_max=Decimal("8"))
    shelf = storage_location(warehouse(), "COLD-1")
    stocked(product, 5, location=shelf)
    client = web_for("warehouse_clerk")
    assert "记录储存环境读数" in client.get(reverse("inventory:reading-create")).content.decode()
    response = client.post(
        reverse("inventory:reading-create"), {"location": shelf.pk, "temperature": "15"}, follow=True
    )
    text = response.content.decode()
    assert "已登记不合格品并冻结相关批次" in text and "超限" in text
    empty = client.post(reverse("inventory:reading-create"), {"location": shelf.pk})
    assert "温度与湿度至少填写一项" in empty.content.decode()


def test_workbench_shows_the_clerks_and_qas_queues(web_for):
    from ..services import lot_for, receive_into_quarantine
    from .factories import in_days

    product = batch_product(name="医用外科口罩")
    lot = lot_for(product=product, lot_number="KZ-1", expiry_date=in_days(300))
    receive_into_quarantine(actor=None, warehouse=warehouse(), lot=lot, quantity=10, reference="RC-9")
    for username in ("warehouse_clerk", "qa_inspector"):
        text = web_for(username).get("/").content.decode()
        assert "待验区：待检验的到货" in text and "医用外科口罩" in text


def test_only_storage_stock_reads_as_available(web_for):
    """SUP-7: stock in quarantine or the rejected location is never allocatable, so the stock list does not call
    it 可用 (a clerk read 5 rejected units as available)."""
    from salesservice.inventory.choices import LocationKind
    from salesservice.inventory.views import StockListView

    column = next(col for col in StockListView.columns if str(col.label) == "可用")

    class Quant:
        available = 5

        class location:  # noqa: N801 (a stand-in for the quant's location)
            kind = LocationKind.REJECTED

    assert column.value(Quant) is None
    Quant.location.kind = LocationKind.STORAGE
    assert column.value(Quant) == 5
