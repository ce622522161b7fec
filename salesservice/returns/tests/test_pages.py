"""Returns pages: list (filters, export, query counts), intake with the live eligibility check, the request
page with its action forms and refusals, metrics page, scoping (another store's return is 404), workbench."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.matrix import Matrix, check_page

from ..choices import ReturnStatus as R
from ..models import ReturnRequest
from .factories import CustomerFactory, ProductFactory, advance, days_ago, make_return, store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def detail(pk):
    return reverse("returns:return-detail", args=[pk])


def action(pk, name):
    return reverse("returns:return-action", args=[pk, name])


def test_detail_page_matrix(client, users):
    created = make_return()
    check_page(
        Matrix(detail(created.pk), permitted="xuhui_cs", out_of_scope="tianhe_cs", no_permission="purchaser"),
        client,
        users,
    )


def test_list_filters_export_and_query_count(web_for):
    for _ in range(3):
        make_return()
    client = web_for("xuhui_manager")
    page = client.get(reverse("returns:returns"))
    assert page.status_code == 200 and "新建退换货" in page.content.decode()
    assert client.get(reverse("returns:returns"), {"status": "requested"}).status_code == 200
    export = client.get(reverse("returns:returns"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("returns:returns")).status_code == 200
        return len(captured)

    few = count()
    for _ in range(6):
        make_return()
    assert count() == few


def test_live_eligibility_check_shows_reasons_and_rule(web_for):
    product = ProductFactory()
    response = web_for("xuhui_cs").get(
        reverse("returns:eligibility-check"),
        {
            "product": product.pk,
            "purchase_date": days_ago(2).isoformat(),
            "sale_channel": "in_store",
            "reason": "no_reason",
            "requested_kind": "refund",
            "condition": "unopened",
        },
    )
    html = response.content.decode()
    assert 'data-eligible="false"' in html and "returns.no_reason_in_store" in html and "第二十五条" in html


def test_create_page_registers_the_request(web_for):
    customer = CustomerFactory(store=store())
    product = ProductFactory()
    client = web_for("xuhui_cs")
    assert client.get(reverse("returns:return-create")).status_code == 200
    response = client.post(
        reverse("returns:return-create"),
        {
            "customer": customer.code,
            "product": product.pk,
            "purchase_date": days_ago(3).isoformat(),
            "sale_channel": "distance",
            "reason": "no_reason",
            "requested_kind": "refund",
            "condition": "unopened",
        },
    )
    created = ReturnRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(created.pk)
    assert created.eligible


def test_create_page_with_bad_input_changes_nothing(web_for):
    response = web_for("xuhui_cs").post(reverse("returns:return-create"), {"customer": "无此人", "purchase_date": "x"})
    assert response.status_code == 200 and "没有找到客户" in response.content.decode()
    assert ReturnRequest.objects.count() == 0


def test_detail_shows_the_forms_of_the_current_step(web_for):
    created = make_return(purchased_days_ago=30)
    html = web_for("xuhui_manager").get(detail(created.pk)).content.decode()
    assert 'id="status-badge"' in html and 'data-status="requested"' in html
    assert 'id="approve-form"' in html and 'id="reject-form"' in html and "override_reason" in html
    assert 'id="approve-form"' not in web_for("xuhui_cs").get(detail(created.pk)).content.decode()


def test_page_refusal_is_a_message_and_nothing_changes(web_for):
    created = make_return(purchased_days_ago=30)
    client = web_for("xuhui_manager")
    response = client.post(action(created.pk, "approve"), {"version": created.version}, follow=True)
    assert "特批理由" in response.content.decode()
    assert ReturnRequest.objects.get(pk=created.pk).status == R.REQUESTED
    client.post(action(created.pk, "approve"), {"version": created.version, "override_reason": "店长特批"})
    assert ReturnRequest.objects.get(pk=created.pk).status == R.APPROVED


def test_flow_through_the_page_forms(web_for):
    created = advance(make_return(reason="quality"), "approved")
    web_for("warehouse_clerk").post(action(created.pk, "receive"), {"condition": "opened_intact"})
    assert 'id="inspect-form"' in web_for("qa_inspector").get(detail(created.pk)).content.decode()
    web_for("qa_inspector").post(action(created.pk, "inspect"), {"quality_problem": "yes", "findings": "电机烧毁"})
    html = web_for("xuhui_cs").get(detail(created.pk)).content.decode()
    for form_id in ("refund-form", "exchange-form", "repair-form", "close-button"):
        assert f'id="{form_id}"' in html
    assert 'id="nonconformances"' in html
    web_for("xuhui_cs").post(action(created.pk, "exchange"), {"replacement_serial": "SN-NEW"})
    web_for("xuhui_cs").post(action(created.pk, "close"), {})
    assert ReturnRequest.objects.get(pk=created.pk).status == R.CLOSED


def test_action_on_another_stores_return_is_404(web_for):
    created = make_return()
    assert web_for("tianhe_cs").post(action(created.pk, "cancel"), {"reason": "x"}).status_code == 404


def test_metrics_page(web_for):
    advance(make_return(), "closed")
    html = web_for("xuhui_manager").get(reverse("returns:metrics")).content.decode()
    assert 'id="metrics-handler"' in html and 'id="metrics-store"' in html and "100.0%" in html
    bad = web_for("xuhui_manager").get(reverse("returns:metrics"), {"start": "2026-02-01", "end": "2026-01-01"})
    assert bad.status_code == 200 and "结束日期不能早于开始日期" in bad.content.decode()


def test_workbench_shows_returns_awaiting_my_action(web_for):
    waiting = make_return()
    received = advance(make_return(), "goods_received")
    approved = advance(make_return(), "approved")
    manager = web_for("xuhui_manager").get(reverse("core:workbench")).content.decode()
    assert "panel-returns-awaiting" in manager and waiting.number in manager
    qa = web_for("qa_inspector").get(reverse("core:workbench")).content.decode()
    assert received.number in qa and waiting.number not in qa
    clerk = web_for("warehouse_clerk").get(reverse("core:workbench")).content.decode()
    assert approved.number in clerk and received.number not in clerk
