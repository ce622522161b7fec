"""The service desk in the browser's terms (page requests): intake, dispatch gate, the whole loop to the
customer's signed acceptance and the printable 服务单; refusals come back as Chinese messages."""

import base64
import datetime as dt
import re

import pytest
from django.utils import timezone

from salesservice.catalog.tests.factories import ProductFactory
from salesservice.customers.services import customer_create
from salesservice.people.services import certification_add
from salesservice.service.models import ServiceRequest

PNG = (
    "data:image/png;base64,"
    + base64.b64encode(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
    ).decode()
)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def customer(demo, users):
    return customer_create(
        actor=users["xuhui_cs"], name="张伟", customer_type="individual", store=demo["sh-xuhui"], phone="13812345678"
    )


@pytest.fixture
def product(db):
    return ProductFactory(warranty_months=12)


def intake(client, customer, product, customer_text=None, **extra):
    data = {
        "customer": customer_text or customer.code,
        "channel": "hotline",
        "category": "repair",
        "product": product.pk,
        "description": "空调不制冷，外机不转",
        "contact_name": "张伟",
        "contact_phone": "13812345678",
        **extra,
    }
    response = client.post("/service/requests/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ServiceRequest.objects.get(pk=int(re.search(r"/requests/(\d+)/", response["Location"]).group(1)))


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_cs_rep_logs_a_hotline_request_and_another_store_cannot_see_it(customer, product, web_for, users, client):
    """SRV-1, INF-1: intake gets a number and SLA deadlines; 天河 staff get 404 on page and actions."""
    request = intake(web_for("xuhui_cs"), customer, product)
    assert request.number.startswith("SR-") and request.status == "received"
    assert request.first_contact_due_at > request.received_at
    page = client.get(f"/service/requests/{request.pk}/")
    assert page.status_code == 200 and "138****5678" in page.content.decode()
    assert request.number in client.get("/service/requests/").content.decode()

    client.force_login(users["tianhe_cs"])
    assert client.get(f"/service/requests/{request.pk}/").status_code == 404
    assert client.post(f"/service/requests/{request.pk}/contact/").status_code == 404
    assert request.number not in client.get("/service/requests/").content.decode()
    request.refresh_from_db()
    assert request.status == "received"


def test_dispatch_to_an_uncertified_engineer_is_refused_with_a_message(customer, product, web_for, users):
    """PPL-4 / SRV-4: the dispatch gate; nothing changes on refusal; certified → dispatched."""
    client = web_for("xuhui_cs")
    request = intake(client, customer, product)
    client.post(f"/service/requests/{request.pk}/contact/", {"note": "已电话联系"})
    engineer = users["xuhui_engineer"]
    form = client.get(f"/service/requests/{request.pk}/").content.decode()
    assert "无有效上岗资格" in form

    refused = client.post(
        f"/service/requests/{request.pk}/dispatch/", {"mode": "onsite", "engineer": engineer.pk}, follow=True
    )
    assert "上岗资格" in messages_of(refused)
    assert 'data-tags="code:dispatch.uncertified"' in refused.content.decode()
    request.refresh_from_db()
    assert request.status == "contacted" and request.assignee is None

    certification_add(
        actor=users["admin"],
        user=engineer,
        category=product.category,
        certificate_no="SG-2026-001",
        issued_at=timezone.localdate() - dt.timedelta(days=30),
    )
    client.post(f"/service/requests/{request.pk}/dispatch/", {"mode": "onsite", "engineer": engineer.pk})
    request.refresh_from_db()
    assert request.status == "dispatched" and request.assignee == engineer


def test_whole_loop_to_signed_acceptance_closing_and_the_printed_report(
    customer, product, web_for, users, client, media
):
    """SRV-5/6/8: visit with before/after condition confirmed, customer signs on the tokenised page,
    the supervisor closes, and the 服务单 PDF carries the signature."""
    engineer = users["xuhui_engineer"]
    certification_add(
        actor=users["admin"],
        user=engineer,
        category=product.category,
        certificate_no="SG-1",
        issued_at=timezone.localdate(),
    )
    cs = web_for("xuhui_cs")
    request = intake(cs, customer, product)
    base = f"/service/requests/{request.pk}"
    cs.post(f"{base}/contact/")
    cs.post(f"{base}/dispatch/", {"mode": "onsite", "engineer": engineer.pk})

    client.force_login(engineer)
    client.post(f"{base}/start/")
    client.post(
        f"{base}/work-record/",
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "measures": "更换启动电容，加注冷媒",
            "before_appearance": "外观完好",
            "before_function": "不制冷",
            "before_confirmed_by_customer": "on",
            "after_function": "制冷正常",
            "after_confirmed_by_customer": "on",
            "protected_equipment": "on",
            "no_unauthorised_use": "on",
            "cleaned_up": "on",
            "custody_description": "室外机主板（送修）",
            "custody_location": "徐汇店维修间",
        },
    )
    from salesservice.customers.models import CustomerProperty

    assert CustomerProperty.objects.filter(customer=customer, description="室外机主板（送修）").exists()  # CPR-1
    response = client.post(f"{base}/resolve/", {"root_cause": "启动电容老化", "solution": "更换电容"}, follow=True)
    request.refresh_from_db()
    assert request.status == "resolved", messages_of(response)

    linked = client.post(f"{base}/acceptance-link/", follow=True)
    url = re.search(r"http://testserver(/service/accept/[^/\s]+/)", messages_of(linked)).group(1)
    client.logout()
    page = client.get(url)
    assert page.status_code == 200 and "服务验收确认" in page.content.decode()
    done = client.post(
        url, {"decision": "accept", "rating": "5", "comment": "师傅很专业", "signer_name": "张伟", "signature": PNG}
    )
    assert "感谢您的确认" in done.content.decode()
    assert client.get(url).status_code == 410  # one answer per link

    supervisor = web_for("xuhui_manager")
    supervisor.post(f"{base}/close/", {"root_cause": "启动电容老化", "solution": "更换电容"})
    request.refresh_from_db()
    assert request.status == "closed" and request.satisfaction == 5
    pdf = supervisor.get(f"{base}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf.content or b"/Image" in pdf.content  # the signature


def test_intake_finds_the_customer_by_search_and_refuses_an_ambiguous_one(customer, product, web_for, demo, users):
    """SRV-1: the customer box takes a code, or text that finds exactly one customer in scope."""
    client = web_for("xuhui_cs")
    suggestions = client.get("/service/requests/new/customers/?customer=zhangw").content.decode()
    assert customer.code in suggestions
    assert intake(client, customer, product, customer_text="张伟").customer == customer
    customer_create(
        actor=users["xuhui_cs"], name="张伟强", customer_type="individual", store=demo["sh-xuhui"], phone="13900000001"
    )
    response = client.post(
        "/service/requests/new/",
        {"customer": "张伟", "channel": "hotline", "category": "repair", "description": "异响"},
    )
    assert response.status_code == 200 and "找到多个客户" in response.content.decode()
    tianhe = customer_create(
        actor=users["tianhe_cs"], name="黄天", customer_type="individual", store=demo["gz-tianhe"], phone="13900000002"
    )
    assert tianhe.code not in client.get(f"/service/requests/new/customers/?customer={tianhe.code}").content.decode()


def test_list_filters_and_excel_export(customer, product, web_for):
    client = web_for("xuhui_cs")
    repair = intake(client, customer, product)
    other = intake(client, customer, product, category="installation", description="新机安装")
    listing = (
        client.get("/service/requests/?category=installation").content.decode().split('data-testid="list-table"')[1]
    )
    assert other.number in listing and repair.number not in listing
    export = client.get("/service/requests/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_summary_groups_requests_by_category_and_stays_in_scope(customer, product, web_for):
    """SRV-9: the archive grouped by type (and month, engineer, store, channel), with an Excel copy."""
    client = web_for("xuhui_cs")
    intake(client, customer, product)
    intake(client, customer, product)
    intake(client, customer, product, category="installation", description="新机安装")
    page = client.get("/service/requests/summary/?group=category").content.decode()
    table = page.split('id="summary-table"')[1]
    assert re.search(r'>维修</td>\s*<td data-label="服务单数">2</td>', table)
    assert re.search(r'>安装</td>\s*<td data-label="服务单数">1</td>', table)
    assert client.get("/service/requests/summary/?group=month&export=xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    other = web_for("tianhe_cs").get("/service/requests/summary/?group=category").content.decode()
    assert ">维修</td>" not in other.split('id="summary-table"')[1]


def test_summary_answers_what_a_manager_asks_first(demo, web_for):
    """Issue 12 §18: first contact on time %, resolved within 24 h %, escalations, by store (the default),
    engineer and month, with the charts' data and the filters styled like the rest of the UI."""
    import datetime as dt
    import json

    from django.utils import timezone

    from ..models import ServiceRequest
    from .factories import make_request

    now = timezone.now()
    fast, slow, late = (make_request(received_at=now - dt.timedelta(days=3)) for _ in range(3))
    ServiceRequest.objects.filter(pk=fast.pk).update(
        first_contacted_at=fast.first_contact_due_at - dt.timedelta(minutes=5),
        resolved_at=fast.received_at + dt.timedelta(hours=5),
    )
    ServiceRequest.objects.filter(pk=slow.pk).update(
        first_contacted_at=slow.first_contact_due_at - dt.timedelta(minutes=1),
        resolved_at=slow.received_at + dt.timedelta(hours=30),
        escalation_level=1,
    )
    ServiceRequest.objects.filter(pk=late.pk).update(
        first_contacted_at=late.first_contact_due_at + dt.timedelta(hours=1)
    )
    page = web_for("xuhui_manager").get("/service/requests/summary/").content.decode()
    row = page.split('id="summary-table"')[1].split("<tr>")[2]
    assert ">上海徐汇店<" in row
    assert 'data-label="首次联系准时率">66.7%<' in row  # 2 of the 3 contacted on time
    assert 'data-label="24 小时内解决率">50.0%<' in row  # 1 of the 2 resolved within 24 h
    assert 'data-label="升级">1<' in row
    chart = json.loads(page.split('id="service-chart-data" type="application/json">')[1].split("</script>")[0])
    assert chart["groups"] == ["上海徐汇店"] and chart["on_time"] == [66.7]
    assert 'class="form-select"' in page.split('id="summary-filters"')[1].split("</form>")[0]
