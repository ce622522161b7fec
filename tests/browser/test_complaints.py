"""Issue 5 journey: a store CS rep takes a complaint, verifies it, proposes a solution the customer
refuses and then accepts, pays compensation within the store's limit, is refused above it until the
region approves, and the store manager closes it with root cause and an improvement action (CMP-1…8)."""

import datetime as dt

from django.utils import timezone

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def logout(page):
    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_selector("#id_username")


def status(page):
    return page.get_attribute("#status-badge", "data-status")


def test_store_complaint_with_refused_solution_compensation_approval_and_closing(demo_site_full, page):
    from salesservice.complaints.models import Complaint
    from salesservice.customers.models import Customer

    base = demo_site_full.url
    customer = Customer.objects.get(name="张伟", store__code="sh-xuhui")
    login(page, base, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/complaints/new/")
    page.fill("#id_customer", customer.code)
    page.fill("#id_subject", "空调维修后仍不制冷")
    page.fill("#id_description", "上周维修后第三天又不制冷，两次上门未解决")
    page.fill("#id_customer_demand", "退款或赔偿误工费")
    promised = timezone.localtime() + dt.timedelta(days=2)
    page.fill("#id_promised_by", promised.strftime("%Y-%m-%dT%H:%M"))
    page.click("#complaint-submit")
    page.wait_for_selector("#status-badge[data-status=received]")
    complaint = Complaint.objects.get(customer=customer, subject="空调维修后仍不制冷")

    page.fill("#verify-form textarea[name=notes]", "与售后服务部核实：两次上门均未更换压缩机")
    page.click("#verify-button")
    page.wait_for_selector("#status-badge[data-status=verifying]")
    page.fill("#propose-form textarea[name=solution]", "免费更换压缩机")
    page.click("#propose-button")
    page.wait_for_selector("#status-badge[data-status=solution_proposed]")
    page.fill("#refuse-form input[name=reason]", "客户要求同时补偿误工费")
    page.click("#refuse-button")
    page.wait_for_selector("#propose-form")
    assert status(page) in ("verifying", "solution_proposed")
    page.fill("#propose-form textarea[name=solution]", "免费更换压缩机并补偿误工费 300 元")
    page.click("#propose-button")
    page.wait_for_selector("#status-badge[data-status=solution_proposed]")
    page.click("#agree-button")
    page.wait_for_selector("#status-badge[data-status=agreed]")
    page.click("#implement-button")
    page.wait_for_selector("#status-badge[data-status=implementing]")

    # Within the store's authority: paid at once.
    page.fill("#pay-amount", "300")
    page.fill("#pay-note", "误工费")
    page.click("#pay-button")
    page.wait_for_selector("#compensation-entries tr[data-kind=payout]")
    # Above it: refused until the region approves.
    page.fill("#pay-amount", "800")
    page.click("#pay-button")
    page.wait_for_selector("#pending-approvals")
    assert page.locator("#compensation-entries tr[data-kind=payout]").count() == 1
    assert page.locator("#approve-button").count() == 0  # the store rep cannot approve
    shot(page, "complaint-pending-approval")
    logout(page)

    login(page, base, "east_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/complaints/{complaint.pk}/")
    page.click("#approve-button")
    page.wait_for_function("document.querySelectorAll('#compensation-entries tr[data-kind=payout]').length === 2")
    logout(page)

    login(page, base, "xuhui_cs")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/complaints/{complaint.pk}/")
    page.fill("#feedback-form textarea[name=feedback]", "已更换压缩机，制冷正常，赔付已到账")
    page.click("#feedback-button")
    page.wait_for_selector("#status-badge[data-status=feedback_given]")
    logout(page)

    login(page, base, "xuhui_manager")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/complaints/{complaint.pk}/")
    page.fill("#close-form textarea[name=root_cause]", "压缩机启动故障初次维修未判断出")
    page.select_option("#close-form select[name=responsible_party]", "our_department")
    page.fill("#close-form input[name=responsible_detail]", "售后服务部")
    page.fill("#close-form input[name=improvement_description]", "压缩机故障判定纳入维修检查表")
    page.select_option("#close-form select[name=improvement_owner]", index=1)
    page.fill(
        "#close-form input[name=improvement_due_date]", (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    )
    page.click("#close-button")
    page.wait_for_selector("#status-badge[data-status=closed]")
    shot(page, "complaint-closed")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.improvement_actions.count() >= 1
