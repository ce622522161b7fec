"""NET-4 / NET-5 in the browser: the provider's manager (its dispatcher login) records this quarter's training of
its technicians on a 390 px phone; 周师傅 fails a third quarter running and is stopped; the region manager sees
the stopped technician on the workbench and opens the provider's case file (案宗) with the quarterly pass rates."""

from tests.browser.conftest import shot
from tests.browser.test_service_desk import logout
from tests.browser.test_shell import login


def test_quarter_training_on_a_phone_stops_a_technician_region_manager_sees_it(demo_site, browser, page):
    from salesservice.network.models import ServiceProvider

    base = demo_site.url
    provider = ServiceProvider.objects.get(code="WX-SH-001")
    technicians = {t.name: t for t in provider.technicians.all()}
    zhou = technicians["周师傅"]

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    login(mobile, base, "provider_dispatcher")
    mobile.wait_for_selector("#workbench-title")
    mobile.goto(f"{base}/network/providers/{provider.pk}/training/")
    mobile.wait_for_selector("#training-form")
    mobile.fill("#training-form [name=topic]", "空调安装规范复训（理论 + 实操）")
    for name, technician in technicians.items():
        if technician.status == "stopped":
            continue
        passed = name != "周师傅"
        mobile.fill(f"[name=score_{technician.pk}]", "88" if passed else "55")
        if passed:
            mobile.check(f"[name=passed_{technician.pk}]")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    shot(mobile, "network-training-390")
    mobile.click("#save-training")
    mobile.wait_for_selector("text=已停止工作")
    assert "周师傅" in mobile.inner_text("body")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    shot(mobile, "network-training-saved-390")
    phone.close()
    zhou.refresh_from_db()
    assert zhou.status == "stopped"

    login(page, base, "east_manager")
    page.wait_for_selector("#panel-network-technicians-stopped")
    panel = page.inner_text("#panel-network-technicians-stopped")
    assert "周师傅" in panel and "钱师傅" in panel
    assert "上海家电维修服务中心" in page.inner_text("#panel-network-provider-standings")
    shot(page, "network-region-workbench")
    page.click("#panel-network-technicians-stopped a:has-text('周师傅')")
    page.wait_for_selector("#case-file")
    assert page.locator(".case-entry[data-kind=technician_stopped]").count() == 2
    rows = page.locator("#training-quarters .training-quarter")
    assert rows.count() >= 3
    assert page.locator("#training-quarters .training-quarter[data-flagged='1']").count() >= 1
    shot(page, "network-case-file")
    logout(page)
