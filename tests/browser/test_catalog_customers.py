"""Journeys of products and customers: QA marks a product unsellable (PRD-1) and the badge with
reasons appears; a CS rep finds a customer by pinyin initials (issue 3)."""

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def test_qa_inspector_marks_a_product_unsellable_and_the_badge_shows_the_reasons(demo_site, page, tmp_path):
    """PRD-1: QA flags a product with reason and evidence; the page shows 禁止销售 and the API agrees."""
    from salesservice.catalog.models import Product
    from salesservice.catalog.sellability import product_sellability

    product = Product.objects.filter(device_class="none", is_active=True).order_by("code").first()
    assert not product_sellability(product)
    evidence = tmp_path / "抽检报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 spot check")

    login(page, demo_site.url, "qa_inspector")
    page.wait_for_selector("#workbench-title")
    page.click("#navbar-menu a.nav-link:text-is('商品')")
    page.fill("input[name=q]", product.code)
    page.click("text=筛选")
    page.click(f"text={product.name}")
    page.wait_for_selector("#sellability-badge[data-sellable=true]")

    page.select_option("#restrict-form select[name=reason_code]", "performance_not_met")
    page.fill("#restrict-form textarea[name=reason]", "抽检制冷量低于标称值 20%")
    page.set_input_files("#restrict-form input[name=evidence]", str(evidence))
    page.click("#restrict-form button[type=submit]")
    page.wait_for_selector("#sellability-badge[data-sellable=false]")
    reasons = page.inner_text("#sellability-reasons")
    assert "禁止销售" in page.inner_text("#sellability") and "性能" in reasons
    shot(page, "product-unsellable")

    # The API gives the same answer.
    page.goto(f"{demo_site.url}/api/v1/products/{product.pk}/sellability/")
    body = page.inner_text("body")
    assert '"sellable": false' in body.replace('"sellable":false', '"sellable": false')
    assert "performance_not_met" in body


def test_product_list_marks_the_demo_products_that_may_not_be_sold(demo_site, page):
    login(page, demo_site.url, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{demo_site.url}/catalog/products/?sellable=false")
    table = page.inner_text("#list-table")
    assert table.count("禁止销售") >= 2
    shot(page, "product-list-unsellable")


def test_cs_rep_finds_a_customer_by_pinyin_initials_and_reveals_the_phone(demo_site, page):
    """INF-1/SRV-10: search by initials (上海市徐汇区中心医院 → shsxhqzxyy); the phone is masked until
    the rep clicks 显示, and that reveal is logged."""
    from salesservice.core.models import PersonalDataAccess
    from salesservice.customers.models import Customer

    hospital = Customer.objects.get(name="上海市徐汇区中心医院")
    login(page, demo_site.url, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.click("#navbar-menu a.nav-link:text-is('客户')")
    page.fill("input[name=q]", "shsxhq")
    page.click("text=筛选")
    page.wait_for_selector("#list-table >> text=上海市徐汇区中心医院")
    table = page.inner_text("#list-table")
    assert "杭州" not in table and "广州" not in table
    shot(page, "customer-search-initials")
    page.click("#list-table >> text=上海市徐汇区中心医院")
    page.wait_for_selector("#phone-value")
    assert "****" in page.inner_text("#phone-value")
    page.click("#reveal-phone")
    page.wait_for_selector("#phone-value .revealed")
    assert page.inner_text("#phone-value .revealed") == hospital.phone
    assert PersonalDataAccess.objects.filter(user__username="xuhui_cs", field="phone").count() == 1
    shot(page, "customer-detail")


def test_another_stores_rep_cannot_open_the_customer(demo_site, page):
    from salesservice.customers.models import Customer

    hospital = Customer.objects.get(name="上海市徐汇区中心医院")
    login(page, demo_site.url, "tianhe_cs")
    page.wait_for_selector("#workbench-title")
    response = page.goto(f"{demo_site.url}/customers/{hospital.pk}/")
    assert response.status == 404
    page.goto(f"{demo_site.url}/customers/?q=shsxhq")
    assert "上海市徐汇区中心医院" not in page.inner_text("#list-table")
