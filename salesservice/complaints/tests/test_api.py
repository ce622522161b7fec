"""The complaints API: happy path through every action, refusals with codes, scoping (404), payments 200/202,
the fund, recoveries, Idempotency-Key, and list query counts independent of page size."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salesservice.customers.tests.factories import CustomerFactory

from ..models import Complaint, Recovery
from .factories import advance, make_complaint, store, top_up, user


@pytest.fixture
def cs_api(api_for, demo):
    return api_for("xuhui_cs")


def test_api_happy_path(cs_api, api_for):
    top_up("50000")
    customer = CustomerFactory(store=store())
    promised = (timezone.now() + dt.timedelta(days=2)).isoformat()
    body = {"customer": customer.pk, "channel": "hotline", "subject": "冰箱送货磕碰", "description": "门体凹陷一处",
            "customer_demand": "换新", "promised_by": promised}  # fmt: skip
    created = cs_api.post("/api/v1/complaints/", body, HTTP_IDEMPOTENCY_KEY="cp-1")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["number"].startswith("CP-") and data["status"] == "received" and data["level"] == 0
    replay = cs_api.post("/api/v1/complaints/", body, HTTP_IDEMPOTENCY_KEY="cp-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1
    url = f"/api/v1/complaints/{data['id']}/"

    def post(action, payload=None, client=cs_api, expect=200):
        response = client.post(url + action + "/", payload or {})
        assert response.status_code == expect, response.json()
        return response.json()

    post("respond", {"note": "已致电致歉"})
    post("verify", {"notes": "送货司机搬运磕碰", "departments": "物流部"})
    post("propose", {"solution": "上门更换门体"})
    assert post("refuse", {"reason": "要求整机换新"})["status"] == "solution_proposed"
    post("propose", {"solution": "整机换新"})
    post("agree", {"note": "客户同意"})
    paid = post("pay", {"amount": "200.00", "note": "误工补偿"})
    assert paid["paid"] is True and paid["entry"]["kind"] == "payout"
    pending = post("pay", {"amount": "800.00"}, expect=202)
    assert pending["paid"] is False and pending["pending"]["required_level"] == 1
    refused = cs_api.post(url + "approve-payment/", {"request": pending["pending"]["id"]})
    assert refused.status_code == 403
    approved = post("approve-payment", {"request": pending["pending"]["id"]}, client=api_for("east_manager"))
    assert approved["paid"] is True and approved["pending"]["status"] == "approved"
    post("implement")
    post("feedback", {"feedback": "已换新", "satisfaction": 5})
    incomplete = api_for("xuhui_manager").post(url + "close/", {"root_cause": "", "responsible_party": "provider"})
    assert incomplete.status_code == 400
    assert incomplete.json()["code"] == "close.root_cause_required"
    codes = {r["code"] for r in incomplete.json()["fields"]["reasons"]}
    assert {"close.improvement_required", "complaint.responsible_provider_required"} <= codes
    closed = post(
        "close",
        {
            "root_cause": "搬运未使用护角",
            "responsible_party": "staff",
            "responsible_user": user("xuhui_engineer").pk,
            "improvement_actions": [{"description": "送货护角培训", "owner": user("xuhui_manager").pk,
                                     "due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat()}],
        },
        client=api_for("xuhui_manager"),
    )  # fmt: skip
    assert closed["status"] == "closed" and len(closed["improvement_actions"]) == 1
    assert closed["recoveries"][0]["amount"] == "1000.00" and closed["recoveries"][0]["status"] == "open"
    assert [d["agreed"] for d in closed["decisions"]] == [False, True]

    fund = api_for("hq_service_manager").get("/api/v1/compensation-fund/").json()
    assert fund["balance"] == "49000.00" and fund["limits"]["store"] == "500.00"
    recovery_id = closed["recoveries"][0]["id"]
    assert api_for("xuhui_manager").post(f"/api/v1/recoveries/{recovery_id}/settle/").status_code == 403
    settled = api_for("hq_service_manager").post(f"/api/v1/recoveries/{recovery_id}/settle/", {"note": "已扣回"})
    assert settled.status_code == 200 and settled.json()["status"] == "settled"
    assert api_for("hq_service_manager").get("/api/v1/compensation-fund/").json()["balance"] == "50000.00"
    ledger = api_for("hq_service_manager").get("/api/v1/compensation-fund/ledger/?kind=payout").json()
    assert [row["amount"] for row in ledger["results"]] == ["800.00", "200.00"]


def test_illegal_move_is_409_with_the_code(cs_api):
    complaint = make_complaint()
    response = cs_api.post(f"/api/v1/complaints/{complaint.pk}/agree/", {})
    assert response.status_code == 409 and response.json()["code"] == "status.invalid_transition"


def test_out_of_scope_is_404_for_reads_and_actions(api_for, demo):
    complaint = make_complaint()
    tianhe = api_for("tianhe_cs")
    assert tianhe.get(f"/api/v1/complaints/{complaint.pk}/").status_code == 404
    assert tianhe.post(f"/api/v1/complaints/{complaint.pk}/verify/", {"notes": "x"}).status_code == 404
    assert tianhe.get("/api/v1/complaints/").json()["results"] == []
    assert api_for("auditor").get(f"/api/v1/complaints/{complaint.pk}/").status_code == 200
    assert api_for("auditor").post(f"/api/v1/complaints/{complaint.pk}/verify/", {"notes": "x"}).status_code == 403
    assert api_for("sales_rep").get("/api/v1/complaints/").status_code == 403


def test_fund_insufficient_and_top_up_permission(api_for, demo):
    complaint = make_complaint()
    response = api_for("xuhui_cs").post(f"/api/v1/complaints/{complaint.pk}/pay/", {"amount": "100"})
    assert response.status_code == 409 and response.json()["code"] == "fund.insufficient"
    assert (
        api_for("xuhui_manager").post("/api/v1/compensation-fund/top-up/", {"amount": "10", "note": "x"}).status_code
        == 403
    )
    topped = api_for("hq_service_manager").post("/api/v1/compensation-fund/top-up/",
                                                {"amount": "1000", "note": "预算"})  # fmt: skip
    assert topped.status_code == 201 and topped.json()["balance_after"] == "1000.00"
    assert api_for("xuhui_cs").get("/api/v1/compensation-fund/").json()["my_limit"] == "500.00"


def test_list_filters(cs_api):
    major = make_complaint(media_exposure=True)
    normal = make_complaint()
    advance(normal, "verifying")
    ids = lambda query: [row["id"] for row in cs_api.get("/api/v1/complaints/" + query).json()["results"]]  # noqa: E731
    assert ids("?is_major=true") == [major.pk]
    assert ids("?level=2") == [major.pk]
    assert ids("?status=verifying") == [normal.pk]
    assert ids(f"?q={normal.number}") == [normal.pk]
    assert ids(f"?store={store().pk}") == [normal.pk, major.pk]


def test_list_query_count_does_not_grow_with_page_size(cs_api):
    for _ in range(3):
        make_complaint()

    def count(page_size):
        with CaptureQueriesContext(connection) as ctx:
            assert cs_api.get(f"/api/v1/complaints/?page_size={page_size}").status_code == 200
        return len(ctx.captured_queries)

    small = count(1)
    for _ in range(6):
        make_complaint()
    assert count(50) == small


def test_recoveries_and_actions_lists_are_scoped(api_for, demo):
    top_up("1000")
    complaint = advance(make_complaint(), "feedback_given")
    from .. import compensation, services
    from .factories import close_kwargs

    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="100")
    services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    assert Recovery.objects.count() == 1
    assert len(api_for("xuhui_cs").get("/api/v1/recoveries/").json()["results"]) == 1
    assert api_for("tianhe_cs").get("/api/v1/recoveries/").json()["results"] == []
    assert api_for("tianhe_cs").get("/api/v1/improvement-actions/").json()["results"] == []
    action = api_for("xuhui_manager").get("/api/v1/improvement-actions/").json()["results"][0]
    done = api_for("xuhui_manager").post(f"/api/v1/improvement-actions/{action['id']}/done/", {"note": "已培训"})
    assert done.status_code == 200 and done.json()["is_done"] is True
    # the ledger hides lines of other stores' complaints and top-ups from store staff
    rows = api_for("tianhe_cs").get("/api/v1/compensation-fund/ledger/").json()["results"]
    assert rows == []
    assert Decimal(api_for("xuhui_cs").get("/api/v1/compensation-fund/ledger/").json()["results"][0]["amount"]) == 100
