"""The trace-and-recall journey of issue 14 item 9 (TRC-2): QA searches a lot and sees the three customers who
received it and the path back to the supplier, launches a recall (the lot is frozen, one task per customer), the
store manager records the contact and the units recovered on a 390 px phone, and QA sees the reconciliation
(shipped = recovered + outstanding)."""

from tests.browser.conftest import shot
from tests.browser.test_service_desk import logout
from tests.browser.test_shell import login


def test_trace_a_lot_and_recall_it(demo_site, page, browser):
    """TRC-2: lot → three customers → recall → contact and recovery on a phone → reconciliation."""
    from salesservice.inventory.models import Lot
    from salesservice.trace.models import RecallCampaign, RecallTask
    from salesservice.trace.tests import factories as f

    lot, buyers = f.lot_to_three_customers((10, 20, 5))
    base = demo_site.url

    # --- QA: trace the lot to its three customers -----------------------------------------------------
    login(page, base, "qa_inspector")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/trace/")
    page.select_option("#trace-kind", "lot")
    page.fill("#trace-q", lot.lot_number)
    page.click("#trace-submit")
    page.wait_for_selector("#trace-customers")
    assert page.inner_text("#trace-customer-count") == "3"
    assert all(buyer.name in page.inner_text("#trace-customers") for buyer in buyers)
    assert "138****5678" in page.inner_text("#trace-customers")  # phones masked in lists
    shot(page, "trace-lot-customers")

    # --- QA: a recall of that lot, launched -------------------------------------------------------------
    page.click(".trace-recall")
    page.wait_for_selector("#recall-form")
    assert page.input_value("#id_lots") == lot.lot_number
    page.fill("#id_title", "一次性注射器灭菌不合格召回")
    page.fill("#id_reason", "生产企业通报：灭菌验证记录缺失，存在无菌风险")
    page.click("#recall-save")
    page.wait_for_selector("#status-badge[data-status=draft]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#launch-button")
    page.wait_for_selector("#status-badge[data-status=open]")
    assert page.locator(".recall-task").count() == 3
    assert page.inner_text("#total-shipped") == "35"
    campaign = RecallCampaign.objects.get()
    assert Lot.objects.get(pk=lot.pk).held
    logout(page)

    # --- the store manager, on a phone: contact and recovery -------------------------------------------
    task = RecallTask.objects.get(campaign=campaign, customer=buyers[1])  # shipped 20
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    try:
        login(mobile, base, "xuhui_manager")
        mobile.wait_for_selector("#workbench-title")
        mobile.goto(f"{base}/trace/tasks/{task.pk}/")
        mobile.wait_for_selector("#status-badge[data-status=open]")
        mobile.fill("#contact-form textarea[name=note]", "已电话告知设备科王主任，约定明日上门收回")
        mobile.click("#contact-button")
        mobile.wait_for_selector("#status-badge[data-status=contacted]")
        mobile.fill("#recover-form input[name=quantity]", "25")  # more than shipped: refused
        mobile.click("#recover-button")
        mobile.wait_for_selector(".alert-danger")
        assert "超过" in mobile.inner_text(".alert-danger")
        mobile.fill("#recover-form input[name=quantity]", "12")
        mobile.click("#recover-button")
        mobile.wait_for_selector("#task-recovered:text('12')")
        shot(mobile, "trace-recall-task-phone")
    finally:
        phone.close()

    # --- QA: the reconciliation ------------------------------------------------------------------------
    login(page, base, "qa_inspector")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/trace/recalls/{campaign.pk}/")
    page.wait_for_selector("#reconciliation")
    shipped, recovered, outstanding = (
        int(page.inner_text(f"#total-{k}")) for k in ("shipped", "recovered", "outstanding")
    )
    assert (shipped, recovered, outstanding) == (35, 12, 23) and shipped == recovered + outstanding
    shot(page, "trace-recall-reconciliation")
