"""工作台 panels of products and customers: qualification expiry (BUY-1), unsellable products (PRD-1)."""

import pytest


@pytest.fixture
def demo_records(demo):
    """The products and customers of the demo (what these panels show) — not every app's demo records."""
    from salesservice.catalog.demo import load_demo as load_products
    from salesservice.customers.demo import load_demo as load_customers

    load_products()
    load_customers()


def panel_text(response, key):
    html = response.content.decode()
    start = html.find(f'id="panel-{key}"')
    return html[start : html.find("workbench-panel", start + 1)] if start >= 0 else None


def test_sales_rep_sees_expired_and_expiring_qualifications_of_own_customers(demo_records, web_for):
    """BUY-1: the rep's workbench lists the expired licence (杭州) and the one expiring in 20 days (深圳)."""
    panel = panel_text(web_for("sales_rep").get("/"), "expiring-qualifications")
    assert panel is not None
    assert "杭州市西湖区人民医院" in panel and "已过期" in panel
    assert "深圳市南山区人民医院" in panel and "即将到期" in panel
    assert "上海市徐汇区中心医院" not in panel  # valid for years


def test_region_manager_sees_only_the_regions_qualifications(demo_records, web_for):
    panel = panel_text(web_for("east_manager").get("/"), "expiring-qualifications")
    assert "杭州市西湖区人民医院" in panel and "深圳市南山区人民医院" not in panel


def test_roles_that_do_not_maintain_qualifications_get_no_panel(demo_records, web_for):
    assert panel_text(web_for("xuhui_cs").get("/"), "expiring-qualifications") is None
    assert panel_text(web_for("xuhui_cs").get("/"), "unsellable-products") is None


def test_qa_inspector_sees_the_products_that_may_not_be_sold(demo_records, web_for):
    """PRD-1: the two demo products that may not be sold are QA's queue."""
    panel = panel_text(web_for("qa_inspector").get("/"), "unsellable-products")
    assert "HA-1010" in panel and "MD2-2006" in panel


def test_workbench_query_count_stays_small_with_panels(demo_records, web_for, django_assert_max_num_queries):
    client = web_for("admin")
    # admin sees every app's panels; issue 14 added eight (sales, pre-sales, delivery), issue 15 five
    # (people: certificates expiring, attempts to grade; supervision: checks due, findings overdue,
    # coordination issues), then HR's training panels, the region manager's provider standings and the three
    # appraisal panels, one or two queries each — rows are select_related, never one query per row
    with django_assert_max_num_queries(100):
        assert client.get("/").status_code == 200
