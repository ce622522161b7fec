"""Issue 16 §1: the general manager opens the HQ service dashboard on the demo data (KPIs = the records, charts drawn,
broken down by region), switches area and unit (a region → by store), and follows a figure to the records behind it;
screenshots at 1280 and 390 px."""

from django.utils import timezone

from tests.browser.conftest import shot
from tests.browser.test_shell import login


def _kpi(page, key) -> str:
    return page.inner_text(f'[data-kpi="{key}"] .h2').split()[0]


def test_general_manager_reads_the_dashboards_and_drills_down(demo_site_full, page):
    from salesservice.core.evidence import Period
    from salesservice.core.models import OrgUnit
    from salesservice.sales.models import SalesOrder
    from salesservice.service.models import ServiceRequest

    base = demo_site_full.url
    today = timezone.localdate()
    month = Period(today.replace(day=1), today)
    login(page, base, "gm")
    page.wait_for_selector("#workbench-title")
    page.goto(f"{base}/reports/dashboards/")
    page.wait_for_selector("#dashboard-kpis")
    received = ServiceRequest.objects.filter(**month.during("received_at")).count()
    assert _kpi(page, "received") == str(received)
    assert "按区部分解" in page.inner_text("#dashboard-scope")
    page.wait_for_selector('.dashboard-chart[data-ready="1"]')
    assert page.locator(".dashboard-chart canvas").count() >= 3
    assert page.locator("#dashboard-breakdown tbody tr").count() == 2  # 华东区, 华南区
    shot(page, "dashboard-hq-service")

    page.click('#dashboard-areas a[data-area="customer"]')
    page.wait_for_selector('[data-kpi="complaints"]')
    east = OrgUnit.objects.get(code="east")
    page.select_option("#id_unit", str(east.pk))
    page.click("#dashboard-quick a:has-text('本年')")
    page.wait_for_selector('[data-kpi="complaints"]')
    page.select_option("#id_unit", str(east.pk))
    page.click("#dashboard-filter button[type=submit]")
    page.wait_for_selector("#dashboard-breakdown")
    assert "华东区" in page.inner_text("#dashboard-scope") and "按门店分解" in page.inner_text("#dashboard-scope")
    stores = page.locator("#dashboard-breakdown tbody td:first-child").all_inner_texts()
    assert set(stores) <= {"上海徐汇店", "杭州西湖店"} and stores
    shot(page, "dashboard-east-customer")

    page.click('#dashboard-areas a[data-area="sales"]')
    page.wait_for_selector('[data-kpi="orders"]')
    year = Period(today.replace(month=1, day=1), today)
    orders = SalesOrder.objects.in_unit(east).filter(**year.dates("order_date")).count()
    assert _kpi(page, "orders") == str(orders)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    shot(page, "dashboard-east-sales-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    hq = OrgUnit.objects.get(code="hq")
    page.select_option("#id_unit", str(hq.pk))
    page.click("#dashboard-filter button[type=submit]")
    page.wait_for_selector('[data-kpi="orders"]')
    all_orders = SalesOrder.objects.filter(**year.dates("order_date")).count()
    assert _kpi(page, "orders") == str(all_orders)
    page.click('[data-kpi="orders"] a.kpi-link')  # the figure opens the orders behind it
    page.wait_for_url("**/sales/orders/**")
    assert f"共 {all_orders} 条" in page.inner_text("body")
