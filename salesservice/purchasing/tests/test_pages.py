"""Purchasing pages as purchaser, purchasing manager, QA and warehouse clerk; refusals for a store user;
the order form (lines, htmx add line), the receipt form, inspection and put-away forms, PDFs, Excel export,
the trace page (PRD-3), the workbench panels and the CAPA form on the nonconformance page (SUP-8)."""

import re

import pytest
from django.urls import reverse

from ..choices import OrderStatus as O
from ..choices import ReceiptStatus as R
from ..models import PurchaseOrder, PurchaseRequisition, Receipt
from .factories import (
    approved_order,
    batch_product,
    days,
    inspect,
    make_order,
    make_receipt,
    qualified_supplier,
    storage_location,
    unlisted_supplier,
    warehouse,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_lists_as_purchaser_with_filters_and_export(web_for):
    late = approved_order(quantity=5, due_in=-1)
    client = web_for("purchaser")
    html = _html(client.get(reverse("purchasing:orders")))
    assert late.number in html and "新建采购订单" in html
    html = _html(client.get(reverse("purchasing:orders"), {"late": "true"}))
    assert late.number in html and 'data-late="true"' in html
    export = client.get(reverse("purchasing:orders"), {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
    assert _html(client.get(reverse("purchasing:requisitions")))
    assert _html(client.get(reverse("purchasing:receipts")))


def test_order_form_creates_a_draft_with_lines_and_htmx_adds_a_row(web_for):
    product = batch_product()
    supplier, wh = qualified_supplier(product), warehouse()
    client = web_for("purchaser")
    assert "添加一行" in _html(client.get(reverse("purchasing:order-create")))
    row = _html(client.get(reverse("purchasing:order-line-row"), {"index": "1"}, HTTP_HX_REQUEST="true"))
    assert 'name="lines-1-product"' in row and 'value="2"' in row and "hx-swap-oob" in row
    data = {
        "supplier": supplier.pk,
        "warehouse": wh.pk,
        "order_date": days(0).isoformat(),
        "quality_standard": "国标",
        "acceptance_method": "逐项检验",
        "return_terms": "不合格退换",
        "payment_terms": "月结",
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-product": product.pk,
        "lines-0-quantity": "10",
        "lines-0-unit_price": "12.50",
        "lines-0-due_date": days(5).isoformat(),
    }
    response = client.post(reverse("purchasing:order-create"), data)
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and order.total == 125 and order.status == O.DRAFT
    html = _html(client.get(reverse("purchasing:order-detail", args=[order.pk])))
    assert 'id="submit-button"' in html and "国标" in html
    follow = client.post(
        reverse("purchasing:order-action", args=[order.pk, "submit"]), {"version": order.version}, follow=True
    )
    assert "已提交审批" in follow.content.decode()


def test_sup2_refusal_shown_on_the_page(web_for):
    product = batch_product()
    order = make_order(products=[product], supplier=unlisted_supplier())
    response = web_for("purchaser").post(
        reverse("purchasing:order-action", args=[order.pk, "submit"]), {"version": order.version}, follow=True
    )
    html = response.content.decode()
    assert product.name in html and "code:supplier." in html
    assert PurchaseOrder.objects.get(pk=order.pk).status == O.DRAFT


def test_approver_sees_approve_and_the_tier(web_for):
    order = make_order(quantity=10)
    from .. import services
    from .factories import user

    services.order_submit(actor=user("purchaser"), order_id=order.pk)
    html = _html(web_for("purchasing_manager").get(reverse("purchasing:order-detail", args=[order.pk])))
    assert 'id="approve-button"' in html and 'id="approval-tier"' in html
    html = _html(web_for("purchaser").get(reverse("purchasing:order-detail", args=[order.pk])))
    assert 'id="approve-button"' not in html
    workbench = _html(web_for("purchasing_manager").get("/"))
    assert "panel-purchase-orders-to-approve" in workbench and order.number in workbench


def test_pdfs(web_for):
    order = approved_order(quantity=5)
    receipt = inspect(make_receipt(order), rejected=1)
    client = web_for("purchaser")
    pdf = client.get(reverse("purchasing:order-pdf", args=[order.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pdf = client.get(reverse("purchasing:receipt-pdf", args=[receipt.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_clerk_receives_qa_inspects_clerk_puts_away_on_the_pages(web_for):
    """The journey on the pages: SUP-7 (quarantine, no put-away before inspection), SUP-6 checklist,
    partial acceptance with an NC, put-away to a location."""
    order = approved_order(quantity=10)
    line = order.lines.get()
    clerk = web_for("warehouse_clerk")
    html = _html(clerk.get(reverse("purchasing:receipt-create", args=[order.pk])))
    assert f'name="l{line.pk}_lot_number"' in html and f'name="l{line.pk}_expiry_date"' in html
    response = clerk.post(
        reverse("purchasing:receipt-create", args=[order.pk]),
        {
            "version": PurchaseOrder.objects.get(pk=order.pk).version,
            "delivery_note": "DN-7",
            f"l{line.pk}_quantity": "10",
            f"l{line.pk}_lot_number": "LOT-7",
            f"l{line.pk}_production_date": days(-10).isoformat(),
            f"l{line.pk}_expiry_date": days(300).isoformat(),
        },
    )
    receipt = Receipt.objects.get()
    assert response.status_code == 302 and receipt.status == R.RECEIVED
    html = _html(clerk.get(reverse("purchasing:receipt-detail", args=[receipt.pk])))
    assert 'id="quarantine-note"' in html and 'id="put-away-button"' not in html and 'id="inspect-button"' not in html
    workbench = _html(web_for("qa_inspector").get("/"))
    assert "panel-receipts-to-inspect" in workbench and receipt.number in workbench

    qa = web_for("qa_inspector")
    html = _html(qa.get(reverse("purchasing:receipt-detail", args=[receipt.pk])))
    assert 'id="inspect-button"' in html and "外包装完好" in html
    rline = receipt.lines.get()
    fields = {
        "version": receipt.version,
        "note": "部分破损",
        f"l{rline.pk}_accepted": "8",
        f"l{rline.pk}_rejected": "2",
        f"l{rline.pk}_note": "外箱破损",
    }
    for name in re.findall(rf'name="(l{rline.pk}_c\d+)"', html):
        fields[name] = "pass"
    response = qa.post(reverse("purchasing:receipt-action", args=[receipt.pk, "inspect"]), fields, follow=True)
    assert "已验收" in response.content.decode()
    receipt.refresh_from_db()
    rline.refresh_from_db()
    assert receipt.status == R.INSPECTED and rline.rejected_quantity == 2 and rline.nonconformance_id

    location = storage_location(receipt.warehouse)
    clerk = web_for("warehouse_clerk")  # one test client: log the clerk in again
    html = _html(clerk.get(reverse("purchasing:receipt-detail", args=[receipt.pk])))
    assert 'id="put-away-button"' in html and 'id="partial-badge"' in html
    response = clerk.post(
        reverse("purchasing:receipt-action", args=[receipt.pk, "put-away"]),
        {"version": receipt.version, f"l{rline.pk}_location": location.pk},
        follow=True,
    )
    assert "已上架入库" in response.content.decode()
    assert Receipt.objects.get(pk=receipt.pk).status == R.PUT_AWAY

    qa = web_for("qa_inspector")
    nc_page = _html(qa.get(reverse("inspection:nonconformance-detail", args=[rline.nonconformance_id])))
    assert 'id="nc-receipt-panel"' in nc_page and receipt.number in nc_page and 'id="capa-button"' in nc_page
    trace = _html(qa.get(reverse("purchasing:trace"), {"q": "LOT-7"}))
    assert receipt.number in trace and order.number in trace and "trace-move" in trace


def test_capa_on_the_nonconformance_page(web_for):
    """SUP-8 CAPA: root cause, corrective and preventive action, verification."""
    from salesservice.inspection.models import Nonconformance

    receipt = inspect(make_receipt(approved_order(quantity=4)), rejected=1)
    nc = Nonconformance.objects.get(pk=receipt.lines.get().nonconformance_id)
    qa = web_for("qa_inspector")
    refused = qa.post(
        reverse("inspection:nonconformance-action", args=[nc.pk, "capa"]),
        {"root_cause": "", "version": nc.version},
        follow=True,
    )
    assert Nonconformance.objects.get(pk=nc.pk).capa_at is None and refused.status_code == 200
    response = qa.post(
        reverse("inspection:nonconformance-action", args=[nc.pk, "capa"]),
        {
            "version": nc.version,
            "root_cause": "供方包装不足",
            "corrective_action": "退换破损件",
            "preventive_action": "合同增加包装要求",
            "verification": "下批到货检查包装",
        },
        follow=True,
    )
    assert "已保存纠正预防措施" in response.content.decode()
    nc.refresh_from_db()
    assert nc.root_cause == "供方包装不足" and nc.capa_by.username == "qa_inspector" and nc.status == "open"


def test_store_user_is_refused(web_for):
    order = make_order()
    client = web_for("xuhui_cs")
    for url in (
        reverse("purchasing:orders"),
        reverse("purchasing:order-detail", args=[order.pk]),
        reverse("purchasing:order-create"),
        reverse("purchasing:receipts"),
        reverse("purchasing:trace"),
        reverse("purchasing:order-pdf", args=[order.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("purchasing:order-action", args=[order.pk, "submit"]), {})
    assert response.status_code == 403


def test_store_manager_requisition_page(web_for):
    product = batch_product()
    client = web_for("xuhui_manager")
    response = client.post(
        reverse("purchasing:requisition-create"),
        {
            "reason": "门店缺货",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-product": product.pk,
            "lines-0-quantity": "3",
        },
    )
    requisition = PurchaseRequisition.objects.get()
    assert response.status_code == 302 and requisition.org_unit.code == "sh-xuhui"
    html = _html(client.get(reverse("purchasing:requisition-detail", args=[requisition.pk])))
    assert 'id="submit-button"' in html
    assert web_for("tianhe_cs").get(reverse("purchasing:requisition-detail", args=[requisition.pk])).status_code == 403
