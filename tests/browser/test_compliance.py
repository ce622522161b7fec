"""Issue 16 §4: the general manager opens the compliance report on the demo data — every clause with its status and
evidence, the short ones filtered, a shortfall link followed to its record — and prints it."""

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def test_general_manager_reads_the_compliance_report(demo_site_full, page):
    base = demo_site_full.url
    login(page, base, "gm")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/reports/compliance/")
    page.wait_for_selector("#compliance-summary")
    assert page.inner_text("#count-clauses") == "89"
    met, short, no_data = (int(page.inner_text(f"#count-{key}")) for key in ("met", "short", "no-data"))
    assert met + short + no_data == 89 and met + short > 0
    assert page.locator(".clause").count() == 89
    shot(page, "compliance-report")
    page.select_option("#id_status", "no_data")
    page.click("#compliance-filter button[type=submit]")
    page.wait_for_selector("#compliance-summary")
    assert page.locator(".clause").count() == no_data
    assert page.locator('.clause[data-status="met"]').count() == 0
    page.select_option("#id_status", "")
    page.fill("#id_start", "2026-12-31")
    page.fill("#id_end", "2026-01-01")
    page.click("#compliance-filter button[type=submit]")
    assert "开始不能晚于结束" in page.inner_text("#compliance-error")
    page.goto(f"{base}/reports/compliance/")
    with page.expect_popup() as popup:
        page.click("#compliance-print")
    assert popup.value is not None
