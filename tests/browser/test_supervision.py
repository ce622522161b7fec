"""Issue 15 §7 (SUV-1, SUV-2): the auditor 钱监督 records a mystery-shopping check of 上海徐汇店 with a failed
item in the browser; the finding's owner, the store manager 张徐汇, rectifies on a 390 px phone; the auditor
verifies and closes it."""

from tests.browser.conftest import shot
from tests.browser.test_shell import login

NO_SIDEWAYS = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)"
    ".map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
)


def test_mystery_shopping_check_to_closed_finding(demo_site, page, browser):
    from django.utils import timezone

    from salesservice.core.models import OrgUnit
    from salesservice.supervision.models import Finding, SupervisionCheck

    base = demo_site.url
    login(page, base, "auditor")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/supervision/checks/new/")
    page.select_option("#id_org_unit", str(OrgUnit.objects.get(code="sh-xuhui").pk))
    page.select_option("#id_method", "mystery_shopping")
    page.fill("#id_title", "神秘顾客暗访：售后接待")
    page.fill("#id_planned_on", timezone.localdate().isoformat())
    page.fill("#id_items", "进店 30 秒内有人接待\n准确介绍商品保修政策\n主动说明服务热线")
    page.click("#supervision-save")
    page.wait_for_selector("#start-button")
    check = SupervisionCheck.objects.get(title="神秘顾客暗访：售后接待")
    page.click("#start-button")
    page.wait_for_selector("#complete-form")
    first, second, third = check.items.order_by("position")
    page.click(f"label[for=id_result_{first.pk}_0]")
    page.click(f"label[for=id_result_{second.pk}_1]")
    page.fill(f"#id_note_{second.pk}", "店员未能说明保修期起算日")
    page.click(f"label[for=id_result_{third.pk}_0]")
    page.fill("#id_summary", "接待及时；保修政策讲解不准确")
    page.fill("#id_improvements", "组织保修政策培训，一周内复查")
    shot(page, "supervision-complete")
    page.click("#complete-button")
    page.wait_for_selector(".finding-link")
    shot(page, "supervision-check-completed")
    finding = Finding.objects.get(check_record=check)
    assert finding.owner.username == "xuhui_manager" and finding.status == "open"

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    login(mobile, base, "xuhui_manager")
    mobile.wait_for_selector("#workbench-title")
    assert finding.number in mobile.inner_text("#panel-supervision-my-findings")  # 我的待整改项
    mobile.goto(f"{base}/supervision/findings/{finding.pk}/")
    mobile.wait_for_selector("#rectify-form")
    mobile.fill("#id_rectification", "已组织全店保修政策培训并考核，张贴保修期说明")
    shot(mobile, "supervision-rectify-390")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, mobile.evaluate(NO_SIDEWAYS)
    mobile.click("#rectify-button")
    mobile.wait_for_selector("#rectification")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, mobile.evaluate(NO_SIDEWAYS)
    shot(mobile, "supervision-rectified-390")
    phone.close()
    finding.refresh_from_db()
    assert finding.status == "rectified"

    page.goto(f"{base}/supervision/findings/{finding.pk}/")
    page.wait_for_selector("#verify-form")
    page.fill("#id_note", "复查合格")
    page.click("#verify-button")
    page.wait_for_selector("#close-button")
    page.click("#close-button")
    page.wait_for_selector("#status-badge[data-status=closed]")
    shot(page, "supervision-finding-closed")
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.verified_by.username == "auditor"
