"""The complaint pages: list (filters, export, query count), intake, the detail page's actions and refusals,
scoping (404), the fund, recoveries, improvement actions, analytics, the workbench panels."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from salesservice.customers.tests.factories import CustomerFactory

from .. import compensation
from ..choices import ComplaintStatus as C
from ..models import CompensationFund, Complaint
from .factories import advance, close_kwargs, make_complaint, store, top_up, user


def act(client, complaint, action, data=None):
    return client.post(reverse("complaints:complaint-action", args=[complaint.pk, action]), data or {}, follow=True)


def test_list_shows_badges_and_exports(web_for, demo):
    make_complaint(media_exposure=True)
    client = web_for("xuhui_cs")
    page = client.get(reverse("complaints:complaints"))
    html = page.content.decode()
    assert page.status_code == 200 and "新建投诉" in html and 'data-level="2"' in html and "重大" in html
    export = client.get(reverse("complaints:complaints") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("complaints:complaints") + "?is_major=true&overdue=false").status_code == 200


def test_list_query_count_does_not_grow(web_for, demo):
    client = web_for("xuhui_cs")
    make_complaint()
    url = reverse("complaints:complaints")
    client.get(url)  # the first call fills this process's configuration cache (permissions, scope)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(8):
        make_complaint()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_intake_page_creates_a_complaint(web_for, demo):
    client = web_for("xuhui_cs")
    customer = CustomerFactory(store=store())
    assert client.get(reverse("complaints:complaint-create")).status_code == 200
    promised = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("complaints:complaint-create"),
        {"customer": customer.code, "channel": "hotline", "subject": "送货延误", "description": "约定周六送货未到",
         "promised_by": promised, "claimed_amount": "0"},
    )  # fmt: skip
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("complaints:complaint-detail",
                                                                            args=[complaint.pk])  # fmt: skip
    # missing promise → a Chinese error on the form, nothing saved
    response = client.post(reverse("complaints:complaint-create"), {"customer": customer.code, "channel": "hotline",
                                                                     "subject": "x", "description": "y"})  # fmt: skip
    assert response.status_code == 200 and "承诺" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_intake_from_a_service_request_number(web_for, demo):
    from salesservice.service.tests.factories import make_request

    request = make_request()
    client = web_for("xuhui_cs")
    response = client.post(reverse("complaints:complaint-create"), {
        "service_request_number": request.number, "channel": "suggestion_box", "subject": "维修拖延",
        "description": "三次上门未修好",
    })  # fmt: skip
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.service_request == request and complaint.customer == request.customer


def test_detail_page_journey_with_refusal_payment_and_close(web_for, demo):
    top_up("50000")
    complaint = make_complaint()
    cs = web_for("xuhui_cs")
    page = cs.get(reverse("complaints:complaint-detail", args=[complaint.pk])).content.decode()
    assert 'id="status-badge" data-status="received"' in page and 'id="verify-form"' in page
    act(cs, complaint, "respond", {"note": "已致电"})
    act(cs, complaint, "verify", {"notes": "核实属实", "departments": "安装部"})
    page = act(cs, complaint, "propose", {"solution": "重新安装"}).content.decode()
    assert 'id="agree-button"' in page and 'id="refuse-form"' in page
    act(cs, complaint, "refuse", {"reason": "要求赔偿"})
    act(cs, complaint, "propose", {"solution": "重新安装并赔偿 300 元"})
    page = act(cs, complaint, "agree").content.decode()
    assert 'data-status="agreed"' in page and 'id="implement-button"' in page and 'id="pay-form"' in page
    page = act(cs, complaint, "pay", {"amount": "300", "note": "补偿"}).content.decode()
    assert "已先行赔付" in page
    page = act(cs, complaint, "pay", {"amount": "800"}).content.decode()
    assert "超出您的权限" in page and 'id="approve-button"' not in page
    region = web_for("east_manager")
    page = region.get(reverse("complaints:complaint-detail", args=[complaint.pk])).content.decode()
    assert 'id="approve-button"' in page
    request_id = complaint.compensation_requests.get().pk
    page = act(region, complaint, "approve-payment", {"request": request_id}).content.decode()
    assert "已批准并赔付" in page
    assert CompensationFund.objects.get().balance == Decimal("48900.00")
    cs = web_for("xuhui_cs")
    act(cs, complaint, "implement")
    page = act(cs, complaint, "feedback", {"feedback": "已处理完毕", "satisfaction": "5"}).content.decode()
    assert 'id="close-form"' not in page  # a CS rep may not close
    manager = web_for("xuhui_manager")
    page = act(manager, complaint, "close", {"root_cause": "", "responsible_party": "staff"}).content.decode()
    assert "结案须填写根本原因" in page and 'data-status="feedback_given"' in page
    page = act(manager, complaint, "close", {
        "root_cause": "安装工未按规范", "responsible_party": "staff", "responsible_user": user("xuhui_engineer").pk,
        "improvement_description": "安装规范复训", "improvement_owner": user("xuhui_manager").pk,
        "improvement_due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    }).content.decode()  # fmt: skip
    assert 'data-status="closed"' in page and "追偿中" in page


def test_illegal_action_shows_the_refusal(web_for, demo):
    complaint = make_complaint()
    page = act(web_for("xuhui_cs"), complaint, "agree").content.decode()
    assert "不能从“受理”变为“客户认可”" in page
    assert Complaint.objects.get(pk=complaint.pk).status == C.RECEIVED


def test_out_of_scope_is_404_on_pages(web_for, demo):
    complaint = make_complaint()
    tianhe = web_for("tianhe_cs")
    assert tianhe.get(reverse("complaints:complaint-detail", args=[complaint.pk])).status_code == 404
    assert act(tianhe, complaint, "verify", {"notes": "x"}).status_code == 404
    assert complaint.number not in tianhe.get(reverse("complaints:complaints")).content.decode()


def test_fund_page_and_top_up(web_for, demo):
    manager = web_for("hq_service_manager")
    response = manager.post(reverse("complaints:fund"), {"amount": "50000", "note": "年度预算"}, follow=True)
    assert "¥50000.00" in response.content.decode()
    assert web_for("xuhui_manager").post(reverse("complaints:fund"), {"amount": "1", "note": "x"}).status_code == 403
    page = web_for("xuhui_cs").get(reverse("complaints:fund")).content.decode()
    assert 'id="top-up-form"' not in page and "¥500.00" in page


def test_recovery_settled_from_the_page(web_for, demo):
    top_up("1000")
    complaint = advance(make_complaint(), "feedback_given")
    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="200")
    from .. import services

    services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    recovery = complaint.recoveries.get()
    assert web_for("xuhui_cs").get(reverse("complaints:recoveries")).status_code == 200
    response = web_for("hq_service_manager").post(reverse("complaints:recovery-settle", args=[recovery.pk]),
                                                  {"note": "工资扣回"}, follow=True)  # fmt: skip
    assert "追偿已结清" in response.content.decode()
    assert CompensationFund.objects.get().balance == Decimal("1000.00")


def test_actions_page_marks_done(web_for, demo):
    complaint = advance(make_complaint(), "feedback_given")
    from .. import services

    services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    action = complaint.improvement_actions.get()
    manager = web_for("xuhui_manager")
    assert action.description in manager.get(reverse("complaints:actions") + "?show=mine").content.decode()
    response = manager.post(reverse("complaints:action-done", args=[action.pk]), {"note": "已培训"}, follow=True)
    assert "已确认完成" in response.content.decode()
    assert complaint.improvement_actions.get().is_done


def test_analytics_page(web_for, demo):
    complaint = advance(make_complaint(), "feedback_given")
    from .. import services

    services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    client = web_for("xuhui_manager")
    for group in ("responsible_party", "product", "store", "provider", "month"):
        response = client.get(reverse("complaints:analytics") + f"?group={group}")
        assert response.status_code == 200
    html = client.get(reverse("complaints:analytics")).content.decode()
    assert 'id="complaint-chart-data"' in html and "员工个人" in html and "complaints/charts.js" in html
    assert client.get(reverse("complaints:analytics") + "?export=xlsx")["Content-Type"].startswith("application/vnd")


def test_workbench_panels(web_for, demo):
    top_up("5000")
    complaint = make_complaint(received_at=timezone.now() - dt.timedelta(hours=3))
    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="800")
    cs_page = web_for("xuhui_cs").get(reverse("core:workbench")).content.decode()
    assert "panel-my-complaints" in cs_page and "panel-complaint-first-response-overdue" in cs_page
    region_page = web_for("east_manager").get(reverse("core:workbench")).content.decode()
    assert "panel-compensation-approvals" in region_page and complaint.number in region_page
