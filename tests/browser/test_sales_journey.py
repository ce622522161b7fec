"""Issue 14, the whole sales chain in the browser, by the people who do it:

the sales rep records a phone inquiry and quotes from it (PRE-1, PRE-3); the quotation within the free discount
band is approved on submission and accepted (SAL-2); it becomes a contract whose review checklist is signed off by
sales, the warehouse, QA and commerce (SAL-1), approved by amount and signed with its deposit (SAL-2); the order
from the contract is reviewed against buyer qualification, sellability, price and stock (SAL-5), confirmed with the
customer, allocated FEFO and shipped with carrier and tracking number (SAL-6, DEL-1, TRC-1); the store engineer has
the customer sign the acceptance on a 390 px phone and releases the delivery (DEL-3, DEL-6); the rep records the
payment against the receivable the delivery opened (DEL-5).

And what must be refused, in Chinese: an order for a class III device to a clinic whose licence does not cover
it is refused at review (BUY-1) and its page says why.
"""

import re

import pytest

from tests.browser.conftest import shot
from tests.browser.test_delivery import _draw
from tests.browser.test_service_desk import logout, option_value
from tests.browser.test_shell import login

HOSPITAL = "上海市徐汇区中心医院"
CLINIC = "深圳南山蛇口门诊部"
DEVICE = "MD3-3001"


@pytest.fixture
def sales_site(demo_site):
    """The demo org, catalog and customers, the central warehouse and five defibrillators in stock."""
    from salesservice.catalog.models import Product
    from salesservice.core.policy_defaults import seed_policy_defaults
    from salesservice.inventory.demo import load_demo as inventory_demo
    from salesservice.sales.demo import _stock

    seed_policy_defaults()
    inventory_demo()
    _stock(Product.objects.get(code=DEVICE), 5, 77)
    return demo_site


def _as(page, base, username):
    logout(page)
    login(page, base, username)
    page.wait_for_selector("#workbench-title")


def _status(page, status):
    page.wait_for_selector(f"#status-badge[data-status={status}]")


def _act(page, action, **fields):
    for name, value in fields.items():
        selector = f"#{action}-form [name={name}]"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click(f"#{action}-button")
    page.wait_for_load_state("domcontentloaded")


def test_inquiry_to_payment(sales_site, page, browser, settings, tmp_path):
    from salesservice.delivery.models import Delivery
    from salesservice.sales.models import Contract, Inquiry, Quotation, Receivable, SalesOrder, SalesRecord

    settings.MEDIA_ROOT = tmp_path / "media"
    base = sales_site.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before an action

    # --- sales rep: a phone inquiry, recorded with needs and special requirements, routed to sales (PRE-1) ----
    login(page, base, "sales_rep")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/sales/inquiries/new/")
    page.wait_for_selector("#inquiry-form")
    page.select_option("#id_channel", "phone")
    page.select_option("#id_customer", option_value(page, "#id_customer", HOSPITAL))
    page.select_option("#id_product", option_value(page, "#id_product", DEVICE))
    page.fill("#id_needs", "急诊科需要一台除颤监护仪，含安装与操作培训")
    page.fill("#id_special_requirements", "工作日 9–16 点送货，设备科验收")
    page.click("#inquiry-submit")
    _status(page, "open")
    inquiry = Inquiry.objects.get(customer__name=HOSPITAL)

    # --- quotation from the inquiry (PRE-3): the customer and the product come with it --------------------
    page.click("#to-quotation")
    page.wait_for_selector("#doc-form")
    assert HOSPITAL in page.locator("#id_customer option:checked").inner_text()
    assert DEVICE in page.locator("#id_lines-0-product option:checked").inner_text()
    page.fill("#id_terms", "含安装调试与操作培训；质保 24 个月")
    page.click("#doc-submit")
    _status(page, "draft")
    quotation = Quotation.objects.get(inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.status == "quoted"
    _act(page, "submit")
    _status(page, "approved")  # at list price: within the free band, approved on submission (SAL-2)
    _act(page, "accept")
    _status(page, "accepted")
    shot(page, "sales-quotation-accepted")

    # --- contract from the quotation, with terms and a deposit, submitted for review -----------------------
    page.click("#to-contract")
    page.wait_for_selector("#doc-form")
    page.fill("#id_delivery_terms", "合同签订后 10 日内送货至医院设备科")
    page.fill("#id_acceptance_terms", "到货后双方共同验收：装箱单、外观、功能，签署验收单")
    page.fill("#id_payment_terms", "签约付定金 10%，验收合格后 30 日内付清余款")
    total = quotation.total
    deposit = (total / 10).quantize(total)
    page.fill("#id_deposit_required", str(deposit))
    page.click("#doc-submit")
    _status(page, "draft")
    contract = Contract.objects.get(quotation=quotation)
    _act(page, "submit-review")
    _status(page, "in_review")
    _act(page, "review", item="requirements", result="pass", note="品种、数量、交付与验收要求明确")
    assert page.get_attribute("#contract-reviews tr[data-item=requirements]", "data-result") == "pass"

    # --- the warehouse, QA and commerce sign off their items (SAL-1) ---------------------------------------
    for username, item, note in (
        ("warehouse_clerk", "delivery", "库存 5 台，10 日内可交付"),
        ("qa_inspector", "qualification", "医院许可证覆盖三类，产品注册证有效"),
        ("xuhui_manager", "price_terms", "价格与付款条件符合政策"),
    ):
        _as(page, base, username)
        page.goto(f"{base}/sales/contracts/{contract.pk}/")
        _act(page, "review", item=item, result="pass", note=note)
        page.wait_for_selector(f"#contract-reviews tr[data-item={item}][data-result=pass]")
    shot(page, "sales-contract-reviewed")

    # --- approval by amount, then signature with the deposit (SAL-2) ---------------------------------------
    page.goto(f"{base}/sales/contracts/{contract.pk}/")
    if page.locator("#approve-button").count() == 0:  # above the store manager's limit: the general manager
        _as(page, base, "gm")
        page.goto(f"{base}/sales/contracts/{contract.pk}/")
    _act(page, "approve", note="同意签订")
    _status(page, "approved")
    if page.locator("#sign-form").count() == 0:
        _as(page, base, "xuhui_manager")
        page.goto(f"{base}/sales/contracts/{contract.pk}/")
    _act(page, "sign", customer_signatory="李院长", deposit_amount=str(deposit), reference="定金-0001")
    _status(page, "signed")
    assert page.inner_text("#deposit").replace(" ", "") == f"{deposit}/{deposit}"
    shot(page, "sales-contract-signed")

    # --- sales rep: the order from the contract ------------------------------------------------------------
    _as(page, base, "sales_rep")
    page.goto(f"{base}/sales/contracts/{contract.pk}/")
    page.click("#to-order")
    page.wait_for_selector("#doc-form")
    page.select_option("#id_warehouse", option_value(page, "#id_warehouse", "总部中心仓"))
    page.fill("#id_ship_to_contact", "设备科 王主任")
    page.fill("#id_ship_to_phone", "13912345678")
    page.fill("#id_ship_to_address", "上海市徐汇区宛平南路 600 号")
    page.click("#doc-submit")
    _status(page, "draft")
    order = SalesOrder.objects.get(contract=contract)
    assert "review-blocked" not in page.content()  # the preview finds nothing against it (SAL-5)

    # --- store manager reviews (SAL-5); the rep confirms with the customer ---------------------------------
    _as(page, base, "xuhui_manager")
    page.goto(f"{base}/sales/orders/{order.pk}/")
    _act(page, "review", note="资格、禁售、价格、信用、库存均符合")
    _status(page, "reviewed")
    _as(page, base, "sales_rep")
    page.goto(f"{base}/sales/orders/{order.pk}/")
    _act(page, "confirm", confirmed_with="设备科 王主任", confirm_channel="phone")
    _status(page, "confirmed")

    # --- warehouse: allocate FEFO, then ship with packing, carrier and tracking number (DEL-1) -------------
    _as(page, base, "warehouse_clerk")
    page.goto(f"{base}/sales/orders/{order.pk}/")
    _act(page, "allocate")
    _status(page, "allocated")
    _act(page, "ship", carrier="顺丰速运", tracking_no="SF7700000001", packing="原厂纸箱 + 防震泡沫", package_count="1")
    _status(page, "shipped")
    page.wait_for_selector("#gsp-records")  # TRC-1: the GSP sales record, complete, written at shipment
    assert SalesRecord.objects.filter(order=order).count() == order.lines.get().quantity
    shot(page, "sales-order-shipped")
    delivery = Delivery.objects.get(order=order)
    logout(page)

    # --- store engineer on a 390 px phone: joint check, customer signature, release (DEL-3, DEL-6) ---------
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    mobile.on("dialog", lambda dialog: dialog.accept())
    login(mobile, base, "xuhui_engineer")
    mobile.wait_for_selector("#workbench-title")
    mobile.goto(f"{base}/delivery/{delivery.pk}/")
    mobile.wait_for_selector("#accept-form")
    for item, result in (("packing_list", 0), ("appearance", 0), ("installation", 2), ("function", 0)):
        mobile.click(f"label[for=id_check_{item}_{result}]")
    mobile.fill("#id_signer_name", "王主任")
    mobile.locator("#accept-signature-pad").scroll_into_view_if_needed()
    _draw(mobile, "#accept-signature-pad")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    mobile.click("#accept-button")
    mobile.wait_for_selector("#signature-image")
    mobile.click("#release-button")
    mobile.wait_for_selector(".alert-success")
    shot(mobile, "sales-delivery-released-390")
    phone.close()
    order.refresh_from_db()
    assert order.status == "delivered"

    # --- sales rep: the balance falls due on the contract's terms; the payment is recorded (DEL-5) ---------
    login(page, base, "sales_rep")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/sales/orders/{order.pk}/")
    open_receivable = Receivable.objects.get(order=order, paid_at__isnull=True)
    form = page.locator(f"[data-receivable='{open_receivable.pk}'] form.payment-form")
    assert form.locator("[name=amount]").input_value() == str(open_receivable.outstanding)
    form.locator("[name=reference]").fill("回款-0001")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    open_receivable.refresh_from_db()
    assert open_receivable.paid_at is not None
    assert not Receivable.objects.filter(order=order, paid_at__isnull=True).exists()
    shot(page, "sales-order-paid")
    _act(page, "close", note="已交付并收讫")
    _status(page, "closed")


def test_unqualified_clinic_is_refused_at_review_and_the_page_says_why(sales_site, page):
    """BUY-1 / SAL-5: the clinic's licence does not cover class III devices — the preview flags it, review is
    refused in Chinese, the order stays a draft."""
    from salesservice.sales.models import SalesOrder

    base = sales_site.url
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "sales_rep")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/sales/orders/new/")
    page.wait_for_selector("#doc-form")
    page.select_option("#id_customer", option_value(page, "#id_customer", CLINIC))
    page.select_option("#id_warehouse", option_value(page, "#id_warehouse", "总部中心仓"))
    page.select_option("#id_lines-0-product", option_value(page, "#id_lines-0-product", DEVICE))
    page.fill("#id_lines-0-quantity", "1")
    page.click("#doc-submit")
    _status(page, "draft")
    number = re.search(r"SO\S+", page.inner_text("h2.page-title")).group(0)
    page.wait_for_selector("#review-blocked")
    assert "许可证" in page.inner_text("#review-findings")

    _as(page, base, "gm")  # the clinic is a Shenzhen customer: the general manager reviews across stores
    order = SalesOrder.objects.get(number=number)
    page.goto(f"{base}/sales/orders/{order.pk}/")
    _act(page, "review", note="")
    page.wait_for_selector(".alert-danger")
    assert "许可证" in page.inner_text(".alert-danger") or "评审未通过" in page.inner_text(".alert-danger")
    shot(page, "sales-order-refused-licence")
    order.refresh_from_db()
    assert order.status == "draft"


def _allocated_order(product_code=DEVICE):
    from salesservice.catalog.models import Product
    from salesservice.core.models import User
    from salesservice.customers.models import Customer
    from salesservice.inventory.models import Warehouse
    from salesservice.sales import services
    from salesservice.sales.choices import ConfirmChannel

    def who(name):
        return User.objects.get(username=name)

    order = services.order_create(
        actor=who("sales_rep"),
        customer=Customer.objects.get(name=HOSPITAL),
        warehouse=Warehouse.objects.get(code="WH-HQ"),
        lines=[{"product": Product.objects.get(code=product_code), "quantity": 1}],
        ship_to_contact="设备科 王主任",
        ship_to_phone="13912345678",
        ship_to_address="上海市徐汇区宛平南路 600 号",
    )
    services.order_review(actor=who("xuhui_manager"), order_id=order.pk)
    services.order_confirm(
        actor=who("sales_rep"), order_id=order.pk, confirmed_with="王主任", confirm_channel=ConfirmChannel.PHONE
    )
    return services.order_allocate(actor=who("warehouse_clerk"), order_id=order.pk)


def test_unsellable_product_and_incomplete_gsp_record_are_refused_at_shipment(sales_site, page):
    """PRD-1 asked again at shipment: QA restricted the product after allocation — the warehouse's 发货 is refused in
    Chinese; TRC-1: once the restriction is lifted but the manufacturer's licence number is missing, the GSP sales
    record would be incomplete — refused too, naming the field. The order stays allocated, nothing issued."""
    from salesservice.catalog.models import Product, ProductRestriction
    from salesservice.catalog.tests.factories import RestrictionFactory
    from salesservice.core.models import User
    from salesservice.delivery.models import Delivery

    base = sales_site.url
    page.on("dialog", lambda dialog: dialog.accept())
    order = _allocated_order()
    product = order.lines.get().product
    RestrictionFactory(product=product, set_by=User.objects.get(username="qa_inspector"))

    login(page, base, "warehouse_clerk")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/sales/orders/{order.pk}/")
    _act(page, "ship", carrier="顺丰速运", tracking_no="SF7700000002", packing="原厂纸箱", package_count="1")
    page.wait_for_selector(".alert-danger")
    assert "发货被拒绝" in page.inner_text(".alert-danger") or "禁" in page.inner_text(".alert-danger")
    shot(page, "sales-ship-refused-unsellable")
    _status(page, "allocated")

    ProductRestriction.objects.filter(product=product).delete()
    Product.objects.filter(pk=product.pk).update(manufacturer_licence_no="")
    page.goto(f"{base}/sales/orders/{order.pk}/")
    _act(page, "ship", carrier="顺丰速运", tracking_no="SF7700000003", packing="原厂纸箱", package_count="1")
    page.wait_for_selector(".alert-danger")
    assert "生产企业许可证号" in page.inner_text(".alert-danger")
    shot(page, "sales-ship-refused-gsp")
    _status(page, "allocated")
    assert not Delivery.objects.filter(order=order).exists()
