"""The supply-chain journey of issue 13: the purchaser orders from a qualified supplier (an unlisted supplier and a
product the supplier is not qualified for are refused at submission, in Chinese), the purchasing manager
approves, the warehouse clerk receives the goods with a lot and expiry into quarantine and cannot put them away
before inspection, QA accepts 95 and rejects 5 (a nonconformance is raised), and the clerk puts the 95 away —
the stock page shows 95 in storage and 5 in the rejected location. Plus the clerk's receipt page on a phone."""

import datetime as dt
import re

from django.utils import timezone

from tests.browser.conftest import shot
from tests.browser.test_service_desk import logout, option_value
from tests.browser.test_shell import login

LOT = "KZ-20260315"


def _open_orders(page):
    page.click("#navbar-menu a:has-text('供应链')")
    page.click("#navbar-menu a.dropdown-item:has-text('采购订单')")
    page.wait_for_selector("#list-table")


def _fill_order(page, *, supplier: str, product: str, quantity: int, price: str, due: dt.date):
    page.select_option("#id_supplier", option_value(page, "#id_supplier", supplier))
    page.select_option("#id_warehouse", option_value(page, "#id_warehouse", "总部中心仓"))
    page.select_option("#id_lines-0-product", option_value(page, "#id_lines-0-product", product))
    page.fill("#id_lines-0-quantity", str(quantity))
    page.fill("#id_lines-0-unit_price", price)
    page.fill("#id_lines-0-due_date", due.isoformat())


def _submit_order(page):
    page.click("#submit-button")
    page.wait_for_load_state("domcontentloaded")


def _refusal(page) -> str:
    page.wait_for_selector(".alert-danger")
    return page.inner_text(".alert-danger")


def test_purchase_receive_inspect_put_away(demo_site_full, page):
    """SUP-2, SUP-4, SUP-6, SUP-7, SUP-8: purchaser → manager → clerk → QA → clerk in the browser."""
    from salesservice.purchasing.models import PurchaseOrder, Receipt

    base = demo_site_full.url
    today = timezone.localdate()  # the company day (Asia/Shanghai) the form defaults to, not the host's

    # --- purchaser: a draft to a supplier off the qualified list is refused at submission (SUP-2) ---------
    login(page, base, "purchaser")
    page.wait_for_selector("#workbench-title")
    _open_orders(page)
    page.click("text=新建采购订单")
    page.wait_for_selector("#order-form")
    assert page.input_value("#id_order_date") == today.isoformat()  # the date input shows today's date
    _fill_order(
        page, supplier="南京同创", product="MC-4002", quantity=100, price="25", due=today + dt.timedelta(days=7)
    )
    page.fill("#id_quality_standard", "符合 YY 0469-2011《医用外科口罩》，附出厂检验报告")
    page.fill("#id_acceptance_method", "到货按批抽样检验：外观、规格、数量、标签与注册证号")
    page.fill("#id_return_terms", "不合格品 7 日内退换，运费由供方承担")
    page.fill("#id_payment_terms", "验收合格后 30 日内付款")
    shot(page, "supply-order-form")
    page.click("#order-submit")
    page.wait_for_selector("#status-badge[data-status=draft]")
    number = re.search(r"PO\S+", page.inner_text("h2.page-title")).group(0)
    order = PurchaseOrder.objects.get(number=number)
    _submit_order(page)
    message = _refusal(page)
    assert "合格供方名单" in message and "南京同创" in message
    assert page.get_attribute("#status-badge", "data-status") == "draft"
    shot(page, "supply-order-refused-unlisted")

    # the supplier is on the list, but not for this product
    page.click("#order-edit")
    page.wait_for_selector("#order-form")
    page.select_option("#id_supplier", option_value(page, "#id_supplier", "上海康泰"))
    page.select_option("#id_lines-0-product", option_value(page, "#id_lines-0-product", "HA-1001"))
    page.click("#order-submit")
    page.wait_for_selector("#status-badge[data-status=draft]")
    _submit_order(page)
    message = _refusal(page)
    assert "未获准供应" in message and "上海康泰" in message
    assert page.get_attribute("#status-badge", "data-status") == "draft"
    shot(page, "supply-order-refused-product")

    # a product it is qualified for: submitted
    page.click("#order-edit")
    page.wait_for_selector("#order-form")
    page.select_option("#id_lines-0-product", option_value(page, "#id_lines-0-product", "MC-4002"))
    page.click("#order-submit")
    page.wait_for_selector("#status-badge[data-status=draft]")
    _submit_order(page)
    page.wait_for_selector("#status-badge[data-status=submitted]")
    assert "YY 0469-2011" in page.inner_text("#term-quality")
    assert page.inner_text("#order-total").startswith("2500")
    shot(page, "supply-order-submitted")
    logout(page)

    # --- purchasing manager approves (2 500 元, within the limit) -----------------------------------------
    login(page, base, "purchasing_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/purchasing/orders/{order.pk}/")
    page.wait_for_selector("#approval-tier")
    page.fill("#approve-form [name=note]", "同意采购")
    page.click("#approve-button")
    page.wait_for_selector("#status-badge[data-status=approved]")
    shot(page, "supply-order-approved")
    logout(page)

    # --- warehouse clerk receives 100 with lot and dates into quarantine --------------------------------
    login(page, base, "warehouse_clerk")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/purchasing/orders/{order.pk}/")
    page.click("#order-receive")
    page.wait_for_selector("#receipt-form")
    line = order.lines.get()
    prefix = f"#id_l{line.pk}_"
    assert page.input_value(prefix + "quantity") == "100"
    page.fill("#id_delivery_note", "SH-KT-0315")
    page.fill(prefix + "lot_number", LOT)
    page.fill(prefix + "production_date", (today - dt.timedelta(days=30)).isoformat())
    page.fill(prefix + "expiry_date", (today + dt.timedelta(days=700)).isoformat())
    shot(page, "supply-receipt-form")
    page.click("#receipt-submit")
    page.wait_for_selector("#status-badge[data-status=received]")
    receipt = Receipt.objects.get(order=order)
    assert "待检区" in page.inner_text("#quarantine-note")
    # SUP-7: no put-away before inspection — no button, and a forced request is refused in Chinese
    assert page.locator("#put-away-button").count() == 0
    page.evaluate(
        """([url, version]) => {
            const form = document.createElement("form");
            form.method = "post"; form.action = url;
            for (const [name, value] of [["csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value],
                                         ["version", version]]) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value; form.appendChild(input);
            }
            document.body.appendChild(form); form.submit();
        }""",
        [f"/purchasing/receipts/{receipt.pk}/put-away/", str(receipt.version)],
    )
    message = _refusal(page)
    assert "未经验收" in message or "尚未验收" in message
    assert page.get_attribute("#status-badge", "data-status") == "received"
    shot(page, "supply-receipt-put-away-refused")
    logout(page)

    # --- QA: partial acceptance, 95 accepted, 5 rejected → a nonconformance --------------------------
    login(page, base, "qa_inspector")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/purchasing/receipts/{receipt.pk}/")
    page.wait_for_selector("#inspect-form")
    receipt_line = receipt.lines.get()
    p = f"#id_l{receipt_line.pk}_"
    checks = page.locator(f"#inspect-form [name^=l{receipt_line.pk}_c][value=fail]")
    assert checks.count() >= 1
    checks.first.check()
    page.fill(p + "accepted", "95")
    page.fill(p + "rejected", "5")
    page.fill(p + "note", "5 盒外包装破损、受潮")
    page.fill("#inspect-form [name=note]", "部分合格：95 盒合格，5 盒不合格")
    shot(page, "supply-inspection-form")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#inspect-button")
    page.wait_for_selector("#status-badge[data-status=inspected]")
    assert page.locator("#partial-badge").is_visible()
    assert "合格 95" in page.inner_text(".line-accepted") and "不合格 5" in page.inner_text(".line-rejected")
    assert "95 盒合格" in page.inner_text("#inspection-note")
    nc_number = page.inner_text(".line-nc")
    assert nc_number
    shot(page, "supply-inspected")
    receipt_line.refresh_from_db()
    assert receipt_line.nonconformance is not None and receipt_line.nonconformance.number == nc_number
    logout(page)

    # --- clerk puts the 95 away; the stock page shows storage 95 and rejected 5 --------------------------
    login(page, base, "warehouse_clerk")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/purchasing/receipts/{receipt.pk}/")
    page.wait_for_selector("#put-away-form")
    select = f"#put-away-form select[name=l{receipt_line.pk}_location]"
    page.select_option(select, option_value(page, select, "A-01"))
    page.click("#put-away-button")
    page.wait_for_selector("#status-badge[data-status=put_away]")
    shot(page, "supply-put-away")

    page.goto(f"{base}/inventory/?q={LOT}")
    page.wait_for_selector("#list-table table")
    rows = {}
    for row in page.locator("#list-table tbody tr").all():
        text = row.inner_text()
        if "A-01" in text:
            rows["storage"] = text
        elif "不合格" in text:
            rows["rejected"] = text
    assert re.search(r"\b95\b", rows["storage"]), rows
    assert re.search(r"\b5\b", rows["rejected"]), rows
    assert not any("待验" in text for text in rows.values())
    shot(page, "supply-stock")

    from salesservice.inventory.models import StockQuant

    quants = {q.location.kind: q.quantity for q in StockQuant.objects.filter(lot__lot_number=LOT, quantity__gt=0)}
    assert quants == {"storage": 95, "rejected": 5}


def test_clerk_receipt_page_on_a_390px_phone(demo_site_full, browser):
    """The clerk's receipt page (the demo receipt waiting in quarantine) does not scroll sideways on a phone."""
    from salesservice.purchasing.models import Receipt

    receipt = Receipt.objects.filter(status="received").order_by("id").first()
    assert receipt is not None
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, demo_site_full.url, "warehouse_clerk")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{demo_site_full.url}/purchasing/receipts/{receipt.pk}/")
    page.wait_for_selector("#status-badge")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "supply-receipt-390")
    page.goto(f"{demo_site_full.url}/purchasing/orders/{receipt.order_id}/receive/")
    page.wait_for_selector("#receipt-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "supply-receipt-form-390")
    phone.close()
