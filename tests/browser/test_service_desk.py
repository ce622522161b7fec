"""The service desk journey of issue 4: a CS rep logs a hotline request, the dispatch gate refuses an
uncertified engineer and accepts a certified one, the engineer records the visit with the condition
before and after, the customer signs on the tokenised page, and the store manager closes the request."""

import re

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def logout(page):
    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_selector("#id_username")


def option_value(page, select, text):
    return page.locator(f"{select} option", has_text=text).first.get_attribute("value")


def test_hotline_request_from_intake_to_signed_acceptance_and_closing(demo_site_full, page, browser):
    """SRV-1…SRV-8, PPL-4: the whole loop in the browser."""
    from salesservice.service.models import ServiceRequest

    base = demo_site_full.url
    login(page, base, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.click("#navbar-menu a:has-text('售后服务')")
    page.click("#navbar-menu a.dropdown-item:has-text('服务单')")
    page.wait_for_selector("#list-table")
    page.click("text=受理新请求")

    page.fill("#id_customer", "张伟")
    page.click("#customer-candidates .customer-candidate:has-text('张伟')")
    assert page.input_value("#id_customer").startswith("CU-")
    # issue 12 §17: the picked customer's contact and address (masked) are shown for the intake
    page.wait_for_selector("[data-testid=customer-profile]")
    assert "张伟" in page.inner_text("[data-testid=customer-profile]")
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_category", "repair")
    page.select_option("#id_product", option_value(page, "#id_product", "HA-1001"))
    page.fill("#id_description", "空调不制冷，外机不转")
    page.wait_for_selector("#similar-articles .similar-article")
    shot(page, "service-intake")
    page.click("#intake-submit")
    page.wait_for_selector("#status-badge[data-status=received]")
    number = re.search(r"SR-\d{8}-\d{4}", page.inner_text("h2.page-title")).group(0)
    request = ServiceRequest.objects.get(number=number)

    page.click("#contact-button")
    page.wait_for_selector("#status-badge[data-status=contacted]")

    # The gate: an engineer without a valid certification is refused with a clear message.
    page.select_option(
        "#dispatch-form select[name=engineer]",
        option_value(page, "#dispatch-form select[name=engineer]", "无有效上岗资格"),
    )
    page.click("#dispatch-button")
    page.wait_for_selector(".alert-danger")
    assert "上岗资格" in page.inner_text(".alert-danger")
    assert page.get_attribute("#status-badge", "data-status") == "contacted"
    shot(page, "service-dispatch-refused")
    page.select_option(
        "#dispatch-form select[name=engineer]", option_value(page, "#dispatch-form select[name=engineer]", "赵工")
    )
    page.click("#dispatch-button")
    page.wait_for_selector("#status-badge[data-status=dispatched]")
    logout(page)

    login(page, base, "xuhui_engineer")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/service/requests/{request.pk}/")
    page.click("#start-button")
    page.wait_for_selector("#status-badge[data-status=in_progress]")
    page.fill("#work-form [name=measures]", "更换启动电容，检查冷媒压力")
    page.fill("#work-form [name=before_appearance]", "外观完好")
    page.fill("#work-form [name=before_function]", "不制冷，外机不启动")
    page.check("#work-form [name=before_confirmed_by_customer]")
    page.fill("#work-form [name=after_function]", "制冷正常，出风 12°C")
    page.check("#work-form [name=after_confirmed_by_customer]")
    for name in ("protected_equipment", "no_unauthorised_use", "cleaned_up"):
        page.check(f"#work-form [name={name}]")
    page.click("#work-button")
    page.wait_for_selector("#work-records >> text=更换启动电容")
    page.fill("#resolve-form [name=root_cause]", "启动电容老化")
    page.fill("#resolve-form [name=solution]", "更换启动电容")
    page.click("#resolve-button")
    page.wait_for_selector("#status-badge[data-status=resolved]")
    page.click("#acceptance-link-button")
    link = re.search(r"https?://\S+/service/accept/\S+/", page.inner_text("[data-tags=acceptance-link]")).group(0)
    # issue 12 §16: shown once on the record with a QR code to scan and a copy button, at the host staff use
    page.wait_for_selector("#acceptance-share svg")
    assert page.input_value("#acceptance-share-url") == link and "localhost:8000" not in link
    page.click("#acceptance-share [data-copy]")
    shot(page, "service-resolved")
    logout(page)

    # The customer, on a phone, without an account.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    customer_page = phone.new_page()
    customer_page.goto(link)
    customer_page.wait_for_selector("#signature-pad")
    box = customer_page.locator("#signature-pad").bounding_box()
    customer_page.mouse.move(box["x"] + 30, box["y"] + 100)
    customer_page.mouse.down()
    for step in range(1, 12):
        customer_page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 100 + (20 if step % 2 else -20))
    customer_page.mouse.up()
    customer_page.fill("#id_comment", "师傅准时，讲解清楚")
    # the rating starts empty (issue 12 §11): the customer chooses it
    assert customer_page.locator("input[name=rating]:checked").count() == 0
    customer_page.click("label[for=rating-5]")
    shot(customer_page, "service-acceptance-mobile")
    customer_page.click("#accept-button")
    customer_page.wait_for_selector("#acceptance-done")
    phone.close()

    login(page, base, "xuhui_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/service/requests/{request.pk}/")
    assert "认可" in page.inner_text("#acceptances")
    page.click("#close-button")
    page.wait_for_selector("#status-badge[data-status=closed]")
    shot(page, "service-closed")
    report = page.request.get(f"{base}/service/requests/{request.pk}/report.pdf")
    assert report.status == 200 and report.body().startswith(b"%PDF")
    request.refresh_from_db()
    assert request.status == "closed" and request.satisfaction == 5
    assert request.acceptances.filter(accepted=True).exclude(signature="").exists()


def test_lists_become_cards_on_a_390px_phone(demo_site_full, browser):
    """Issue 12 §17: an engineer's phone shows the service requests as cards — each value under its column's
    name — and the page never scrolls sideways (before: characters wrapped one per line)."""
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, demo_site_full.url, "xuhui_engineer")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{demo_site_full.url}/service/requests/")
    page.wait_for_selector("[data-testid=list-table] tbody tr td[data-label]")
    assert page.eval_on_selector("[data-testid=list-table] thead", "el => getComputedStyle(el).display") == "none"
    assert page.eval_on_selector("[data-testid=list-table] td", "el => getComputedStyle(el).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "service-list-390")
    phone.close()
