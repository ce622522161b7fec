"""The management dashboards (issue 16 §1): figures computed from records with known outcomes (expected values worked
out here from the same specs, independently of the dashboards' queries), the breakdown per level (HQ by region,
region by store, store by staff), scoping in pages and API, drill-down links listing exactly the records counted,
the Excel export, and every area on the full demo data."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.utils import timezone

from salesservice.core.evidence import Period
from salesservice.core.models import OrgUnit
from salesservice.dashboards.areas import AREAS, area_data

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def unit(code):
    return OrgUnit.objects.get(code=code)


def kpis(data) -> dict:
    return {item["key"]: item for item in data["kpis"]}


def chart(data, key) -> dict:
    found = next(item for item in data["charts"] if item["key"] == key)
    return dict(zip(found["categories"], found["series"][0]["data"], strict=True)) | {"_urls": found["urls"]}


def rows(data) -> dict:
    columns = [column["key"] for column in data["breakdown"]["columns"]]
    return {row["name"]: dict(zip(columns, row["values"], strict=True)) for row in data["breakdown"]["rows"]}


def pct(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def period(unit_code=None):
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=20), today, unit(unit_code) if unit_code else None)


# --- service ------------------------------------------------------------------------------------------------------

# store, channel, status, hours to first contact (None: not contacted; "breach": breached), hours to resolve, level
SERVICE = [
    ("sh-xuhui", "hotline", "closed", 1, 5, 0),
    ("sh-xuhui", "hotline", "closed", 3, 30, 1),  # contacted late, resolved after 24 h
    ("sh-xuhui", "online", "resolved", 0.5, 20, 0),
    ("sh-xuhui", "walk_in", "in_progress", 1.5, None, 2),
    ("sh-xuhui", "hotline", "received", "breach", None, 1),  # never contacted, breached
    ("sh-xuhui", "email", "cancelled", None, None, 0),
    ("hz-xihu", "online", "closed", 1, 10, 0),
    ("hz-xihu", "hotline", "contacted", 2.5, None, 0),
    ("gz-tianhe", "hotline", "closed", 1, 48, 2),
    ("gz-tianhe", "store", "dispatched", 1, None, 0),
]
OPEN = {"received", "contacted", "dispatched", "in_progress", "waiting_customer", "resolved"}


@pytest.fixture
def service_records(demo):
    from salesservice.service.models import ServiceRequest
    from salesservice.service.tests.factories import make_request

    base = timezone.now() - dt.timedelta(days=5)
    made = []
    for index, (store, channel, status, contact, resolve, level) in enumerate(SERVICE):
        received = base + dt.timedelta(minutes=index)
        request = make_request(actor=None, store_code=store, received_at=received)
        ServiceRequest.objects.filter(pk=request.pk).update(
            channel=channel,
            status=status,
            first_contact_due_at=received + 2 * H,
            first_contacted_at=received + contact * H if isinstance(contact, int | float) else None,
            first_contact_breached_at=received + 2 * H if contact == "breach" else None,
            resolved_at=received + resolve * H if resolve is not None else None,
            escalation_level=level,
            cancelled_at=received + H if status == "cancelled" else None,
        )
        made.append(request.pk)
    # outside the period: counted in no period figure (only in the open backlog, which is current)
    old = make_request(actor=None, store_code="sh-xuhui", received_at=timezone.now() - dt.timedelta(days=40))
    ServiceRequest.objects.filter(pk=old.pk).update(status="closed", first_contacted_at=None)
    return made


def expected_service(specs):
    reached = [s for s in specs if s[3] is not None]
    late = [s for s in reached if s[3] == "breach" or s[3] > 2]
    due24 = [s for s in specs if s[2] != "cancelled"]  # all are older than 24 h
    good24 = [s for s in due24 if s[4] is not None and s[4] <= 24]
    return {
        "received": len(specs),
        "first_contact_on_time": pct(len(reached) - len(late), len(reached)),
        "resolved_24h": pct(len(good24), len(due24)),
        "escalated_region": sum(1 for s in specs if s[5] == 1),
        "escalated_hq": sum(1 for s in specs if s[5] == 2),
        "backlog": sum(1 for s in specs if s[2] in OPEN),
    }


def test_service_figures_for_a_store_count_its_own_requests_in_the_period(service_records):
    data = area_data("service", period("sh-xuhui"))
    specs = [s for s in SERVICE if s[0] == "sh-xuhui"]
    expected = expected_service(specs)
    got = kpis(data)
    assert {key: got[key]["value"] for key in expected} == expected
    assert expected == {
        "received": 6,
        "first_contact_on_time": 60.0,  # 5 reached (contacted or breached), 2 late
        "resolved_24h": 40.0,  # 5 not cancelled, 2 resolved within 24 h
        "escalated_region": 2,
        "escalated_hq": 1,
        "backlog": 3,
    }
    status = chart(data, "by_status")
    assert {k: v for k, v in status.items() if k != "_urls" and v} == {
        "已结案": 2,
        "待验收": 1,
        "处理中": 1,
        "受理": 1,
        "已取消": 1,
    }
    channels = chart(data, "by_channel")
    counted = Counter(s[1] for s in specs)
    assert channels["400热线"] == counted["hotline"] == 3 and channels["在线表单"] == 1 and channels["邮件"] == 1
    assert data["breakdown"]["level"] == "staff"


def test_service_breakdown_hq_by_region_and_region_by_store(service_records):
    hq = area_data("service", period())
    assert hq["breakdown"]["level"] == "region" and hq["unit"] is None
    by_region = rows(hq)
    east = expected_service([s for s in SERVICE if s[0] in ("sh-xuhui", "hz-xihu")])
    south = expected_service([s for s in SERVICE if s[0] == "gz-tianhe"])
    assert by_region["华东区"] == {
        "received": east["received"],
        "first_contact_on_time": east["first_contact_on_time"],
        "resolved_24h": east["resolved_24h"],
        "escalated": east["escalated_region"] + east["escalated_hq"],
        "backlog": east["backlog"],
    }
    assert by_region["华南区"]["received"] == south["received"] == 2
    assert by_region["华南区"]["resolved_24h"] == south["resolved_24h"] == 0.0
    assert kpis(hq)["received"]["value"] == len(SERVICE)
    assert kpis(hq)["first_contact_on_time"]["value"] == expected_service(SERVICE)["first_contact_on_time"]

    region = area_data("service", period("east"))
    assert region["breakdown"]["level"] == "store"
    by_store = rows(region)
    assert set(by_store) == {"上海徐汇店", "杭州西湖店"}
    assert by_store["杭州西湖店"]["received"] == 2 and by_store["杭州西湖店"]["first_contact_on_time"] == 50.0
    assert by_store["上海徐汇店"]["backlog"] == 3


def _listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_service_drill_down_lists_exactly_the_records_counted(service_records, web_for):
    client = web_for("xuhui_manager")
    data = area_data("service", period("sh-xuhui"))
    for key in ("received", "escalated_region", "escalated_hq", "backlog"):
        item = kpis(data)[key]
        assert _listed(client, item["url"]) == item["value"], key
    status = chart(data, "by_status")
    for category, url in zip([k for k in status if k != "_urls"], status["_urls"], strict=True):
        assert _listed(client, url) == status[category], category

    hq_reader = web_for("hq_service_manager")
    hq = area_data("service", period())
    assert _listed(hq_reader, kpis(hq)["received"]["url"]) == len(SERVICE)
    assert _listed(hq_reader, kpis(hq)["escalated_hq"]["url"]) == 2


# --- customer loop ------------------------------------------------------------------------------------------------


@pytest.fixture
def customer_records(demo):
    from salesservice.complaints.models import Complaint
    from salesservice.complaints.tests.factories import make_complaint
    from salesservice.feedback.models import FollowUp
    from salesservice.feedback.tests.factories import closed_request, follow_up

    specs = [("sh-xuhui", 0, False, "staff"), ("sh-xuhui", 2, True, "manufacturer"), ("sh-xuhui", 1, False, "")]
    specs += [("hz-xihu", 0, False, "staff"), ("gz-tianhe", 2, True, "provider")]
    received = timezone.now() - dt.timedelta(days=3)
    for store, level, major, party in specs:
        complaint = make_complaint(actor=None, store_code=store, received_at=received)
        Complaint.objects.filter(pk=complaint.pk).update(level=level, is_major=major, responsible_party=party)
    done = follow_up("sh-xuhui", actor=None)
    FollowUp.objects.filter(pk=done.pk).update(completed_at=timezone.now())
    follow_up("sh-xuhui", actor=None)  # scheduled, not yet done
    closed_request("sh-xuhui")  # closed, no follow-up at all
    closed_request("gz-tianhe")
    return specs


def test_customer_complaints_by_level_and_follow_up_coverage(customer_records):
    data = area_data("customer", period("sh-xuhui"))
    got = kpis(data)
    assert got["complaints"]["value"] == 3
    assert got["complaints_major"]["value"] == 1
    assert got["complaints_hq"]["value"] == 1
    levels = chart(data, "complaints_by_level")
    assert (levels["门店"], levels["区部"], levels["总部"]) == (1, 1, 1)
    causes = chart(data, "complaints_by_cause")
    assert causes["未认定"] == 1 and sum(v for k, v in causes.items() if k != "_urls") == 3
    # three service requests closed at xuhui in the period, one followed up
    assert got["follow_up_coverage"]["value"] == pct(1, 3) == 33.3

    hq = area_data("customer", period())
    assert kpis(hq)["complaints"]["value"] == 5 and kpis(hq)["complaints_hq"]["value"] == 2
    by_region = rows(hq)
    assert by_region["华东区"]["complaints"] == 4 and by_region["华南区"]["complaints_major"] == 1
    assert by_region["华东区"]["follow_up_coverage"] == 33.3 and by_region["华南区"]["follow_up_coverage"] == 0.0


def test_customer_drill_down_lists_exactly_the_complaints_counted(customer_records, web_for):
    client = web_for("xuhui_manager")
    data = area_data("customer", period("sh-xuhui"))
    for key in ("complaints", "complaints_major", "complaints_hq"):
        item = kpis(data)[key]
        assert _listed(client, item["url"]) == item["value"], key
    levels = chart(data, "complaints_by_level")
    for category, url in zip(["门店", "区部", "总部"], levels["_urls"], strict=True):
        assert _listed(client, url) == levels[category], category


# --- sales, supply, people ----------------------------------------------------------------------------------------


def test_sales_on_time_delivery_and_overdue_payments(demo):
    from decimal import Decimal

    from salesservice.customers.tests.factories import CustomerFactory
    from salesservice.inventory.tests.factories import warehouse
    from salesservice.sales.models import Receivable, SalesOrder
    from salesservice.sales.tests.factories import user

    today = timezone.localdate()
    wh = warehouse()
    store = unit("sh-xuhui")
    customer = CustomerFactory(store=store)
    noon = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=2), dt.time(12)))
    # requested date relative to the delivery day: on time (0, -… means late)
    for index, (slack, status) in enumerate([(1, "delivered"), (0, "delivered"), (-1, "closed"), (None, "delivered")]):
        SalesOrder.objects.create(
            number=f"SO-T{index}",
            org_unit=store,
            customer=customer,
            warehouse=wh,
            created_by=user("sales_rep"),
            order_date=today - dt.timedelta(days=5),
            requested_date=(noon.date() + dt.timedelta(days=slack)) if slack is not None else None,
            delivered_at=noon,
            total=Decimal("1000"),
            status=status,
        )
    Receivable.objects.create(
        org_unit=store, customer=customer, kind="payment", amount=Decimal("500"), due_date=today - dt.timedelta(days=3)
    )
    Receivable.objects.create(
        org_unit=store,
        customer=customer,
        kind="payment",
        amount=Decimal("300"),
        paid_amount=Decimal("300"),
        due_date=today - dt.timedelta(days=3),
    )
    data = area_data("sales", period("sh-xuhui"))
    got = kpis(data)
    assert got["orders"]["value"] == 4 and got["order_amount"]["value"] == 4000.0
    assert got["on_time_delivery"]["value"] == pct(2, 3) == 66.7
    assert got["payments_overdue"]["value"] == 1 and got["overdue_amount"]["value"] == 500.0
    assert rows(area_data("sales", period("east")))["上海徐汇店"]["on_time_delivery"] == 66.7


def test_supply_receipt_pass_rate(demo):
    from salesservice.purchasing.tests.factories import approved_order, inspect, make_receipt

    order = approved_order(quantity=40)
    inspect(make_receipt(order), rejected=4)
    data = area_data("supply", period())
    got = kpis(data)
    assert got["receipt_pass_rate"]["value"] == pct(36, 40) == 90.0


def test_people_training_completion(demo):
    from salesservice.people.models import SessionParticipant, TrainingPlan, TrainingSession
    from salesservice.people.tests.factories import hr_user

    today = timezone.localdate()
    store = unit("sh-xuhui")
    trainer = hr_user()
    plan = TrainingPlan.objects.create(year=today.year, org_unit=store, title="年度培训", created_by=trainer)
    session = TrainingSession.objects.create(
        plan=plan,
        topic="安全操作",
        kind=TrainingSession._meta.get_field("kind").choices[0][0],
        planned_on=today - dt.timedelta(days=2),
        trainer=trainer,
        attendance_recorded_at=timezone.now(),
    )
    from salesservice.core.models import User

    people = list(User.objects.filter(username__in=["xuhui_cs", "xuhui_engineer", "xuhui_manager", "tianhe_cs"]))
    for index, person in enumerate(people):
        SessionParticipant.objects.create(session=session, user=person, attendance="present" if index else "absent")
    data = area_data("people", period("sh-xuhui"))
    assert kpis(data)["training_completion"]["value"] == pct(3, 4) == 75.0
    assert rows(area_data("people", period()))["华东区"]["training_completion"] == 75.0


# --- pages, API, export, scoping ----------------------------------------------------------------------------------


def test_a_store_manager_reads_only_the_own_store_in_pages_and_api(service_records, web_for, api_for):
    client = web_for("xuhui_manager")
    today = timezone.localdate()  # a window over the records (5 days old), which on the 1st-5th are last month's
    response = client.get(f"/reports/dashboards/service/?start={today - dt.timedelta(days=20)}&end={today}")
    assert response.status_code == 200
    data = response.context["data"]
    assert data["unit"]["name"] == "上海徐汇店" and kpis(data)["received"]["value"] == 6
    for code in ("gz-tianhe", "east", "hq"):
        assert client.get(f"/reports/dashboards/service/?unit={unit(code).pk}").status_code == 404, code
    assert {u.code for u in response.context["units"]} == {"sh-xuhui"}

    api = api_for("xuhui_manager")
    for code in ("gz-tianhe", "hq"):
        answer = api.get(f"/api/v1/dashboards/service/?unit={unit(code).pk}")
        assert answer.status_code == 404 and answer.json()["code"] == "report.unit_not_found"
    own = api.get("/api/v1/dashboards/customer/")
    assert own.status_code == 200 and own.json()["unit"]["name"] == "上海徐汇店" and own.json()["level"] == "staff"


def test_the_api_answers_each_level_and_refuses_bad_input(service_records, api_for):
    today = timezone.localdate()
    window = f"start={today - dt.timedelta(days=20)}&end={today}"
    gm = api_for("gm")
    hq = gm.get(f"/api/v1/dashboards/service/?{window}").json()
    assert hq["unit"] is None and hq["breakdown"]["level"] == "region"
    assert kpis(hq)["received"]["value"] == len(SERVICE)
    region = api_for("east_manager").get(f"/api/v1/dashboards/service/?unit={unit('east').pk}&{window}").json()
    assert region["breakdown"]["level"] == "store" and kpis(region)["received"]["value"] == 8

    assert gm.get("/api/v1/dashboards/service/?start=2026-13-01").json()["code"] == "report.period_invalid"
    assert gm.get("/api/v1/dashboards/service/?start=2026-05-02&end=2026-05-01").status_code == 400
    too_long = gm.get("/api/v1/dashboards/service/?start=2020-01-01&end=2026-01-01")
    assert too_long.status_code == 400 and too_long.json()["code"] == "report.period_too_long"
    assert gm.get("/api/v1/dashboards/nothing/").status_code == 404
    assert api_for("xuhui_cs").get("/api/v1/dashboards/service/").status_code == 403
    assert api_for(None).get("/api/v1/dashboards/service/").status_code in (401, 403)


def test_the_excel_export_holds_the_figures_and_the_breakdown(service_records, web_for):
    from openpyxl import load_workbook

    today = timezone.localdate()
    client = web_for("east_manager")
    url = (
        f"/reports/dashboards/service/export/?unit={unit('east').pk}&start={today - dt.timedelta(days=20)}&end={today}"
    )
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    figures = {row[0]: row[1] for row in book["指标"].iter_rows(min_row=5, values_only=True)}
    east = expected_service([s for s in SERVICE if s[0] in ("sh-xuhui", "hz-xihu")])
    assert figures["受理服务单"] == east["received"] == 8
    assert figures["首次联系及时率"] == east["first_contact_on_time"]
    assert figures["升级至总部"] == east["escalated_hq"]
    table = list(book["分解"].iter_rows(values_only=True))
    assert table[0][:2] == ("门店", "受理（单）")
    assert {row[0]: row[1] for row in table[1:]} == {"上海徐汇店": 6, "杭州西湖店": 2}
    assert client.get(url.replace("start=", "start=x")).status_code == 400


def test_the_page_shows_only_links_the_reader_may_open(service_records, web_for, users):
    for username in ("gm", "xuhui_manager"):
        response = web_for(username).get("/reports/dashboards/service/")
        assert response.status_code == 200
        behind = {item["key"]: item["url"] for item in response.context["data"]["kpis"]}
        may_open = users[username].has_perm("service.view_servicerequest")
        service_cards = [card for card in response.context["kpis"] if behind[card["key"]].startswith("/service/")]
        assert service_cards and all(bool(card["url"]) == may_open for card in service_cards), username
    assert web_for("xuhui_cs").get("/reports/dashboards/service/").status_code == 403


def test_every_area_computes_on_the_full_demo_data(demo):
    from django.core.management import call_command

    from salesservice.service.models import ServiceRequest

    call_command("load_demo", "--force")
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    for code in (None, "east", "sh-xuhui"):
        for area in AREAS:
            data = area_data(area, Period(start, today, unit(code) if code else None))
            assert data["kpis"] and data["charts"], (area, code)
            assert all(item["value"] is None or isinstance(item["value"], int | float) for item in data["kpis"])
            assert data["breakdown"]["level"] == {None: "region", "east": "store", "sh-xuhui": "staff"}[code]
        service = area_data("service", Period(start, today, unit(code) if code else None))
        requests = ServiceRequest.objects.in_unit(unit(code) if code else None)
        assert (
            kpis(service)["received"]["value"] == requests.filter(**Period(start, today).during("received_at")).count()
        )
    hq = area_data("service", Period(start, today))
    assert sum(row["values"][0] for row in hq["breakdown"]["rows"]) == kpis(hq)["received"]["value"] > 0
