"""Pre-sales API: create with Idempotency-Key, workflow actions with If-Match, refusals as 409 with a code
(PRE-2 claim self-approval, SAL-3 bid before report, BUY-2 revoke twice, SAL-4 plan self-approval), scope
(404) and permissions (403), masked personal data (PRE-1)."""

import datetime as dt

import pytest
from django.utils import timezone

from ..choices import InquiryStatus
from ..models import Inquiry
from .presales_factories import customer, days, hospital, make_claim, make_inquiry, make_tender, sales_order, unit

pytestmark = pytest.mark.django_db
INQUIRIES = "/api/v1/inquiries/"
CLAIMS = "/api/v1/product-claims/"
TENDERS = "/api/v1/tenders/"
LETTERS = "/api/v1/rep-authorisations/"
PLANS = "/api/v1/sales-plans/"


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def test_inquiry_create_is_idempotent_and_the_phone_is_masked(api_for):
    """PRE-1: a prospect's inquiry by API; a retry with the same key replays; the phone reads 138****5678."""
    body = {
        "channel": "online",
        "prospect_name": "李女士",
        "prospect_phone": "13812345678",
        "needs": "咨询血压计",
        "special_requirements": "需要大字显示",
        "department": "sales",
    }
    client = api_for("xuhui_cs")
    created = client.post(INQUIRIES, body, format="json", HTTP_IDEMPOTENCY_KEY="inq-1")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["prospect_phone"] == "138****5678" and data["status"] == "open" and data["reply_due_at"]
    replay = client.post(INQUIRIES, body, format="json", HTTP_IDEMPOTENCY_KEY="inq-1")
    assert replay.headers.get("Idempotent-Replayed") == "true" and Inquiry.objects.count() == 1
    listed = client.get(INQUIRIES).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["prospect_phone"] == "138****5678"
    revealed = api_for("xuhui_manager").post(f"{INQUIRIES}{data['id']}/reveal/", {"field": "prospect_phone"})
    assert revealed.status_code == 200 and revealed.json()["value"] == "13812345678"
    refused = client.post(f"{INQUIRIES}{data['id']}/reveal/", {"field": "prospect_phone"})
    assert refused.status_code == 403


def test_inquiry_answer_with_if_match_and_stale_version(api_for):
    """PRE-1/PRE-3: answer via the workflow action; a stale If-Match is 409 `conflict.stale`."""
    inquiry = make_inquiry()
    client = api_for("xuhui_cs")
    stale = client.post(f"{INQUIRIES}{inquiry.pk}/answer/", {"reply": "好的"}, format="json", HTTP_IF_MATCH='"99"')
    assert stale.status_code == 409 and stale.json()["code"] == "conflict.stale"
    answered = client.post(
        f"{INQUIRIES}{inquiry.pk}/answer/",
        {"reply": "推荐 5L 机型", "needs_confirmed": True},
        format="json",
        HTTP_IF_MATCH=f'"{inquiry.version}"',
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == InquiryStatus.ANSWERED and answered.json()["needs_confirmed"] is True
    closed = client.post(f"{INQUIRIES}{inquiry.pk}/close/", {"reason": "客户已购买"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = client.post(f"{INQUIRIES}{inquiry.pk}/close/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "status.invalid_transition"


def test_inquiry_scope_and_permissions(api_for):
    """PRE-1: another store's inquiry is 404; a role without the permission is 403; anonymous 401/403."""
    inquiry = make_inquiry()
    assert api_for("tianhe_cs").get(f"{INQUIRIES}{inquiry.pk}/").status_code == 404
    assert api_for("tianhe_cs").post(f"{INQUIRIES}{inquiry.pk}/answer/", {"reply": "x"}).status_code == 404
    assert api_for("warehouse_clerk").get(INQUIRIES).status_code == 403
    assert api_for(None).get(INQUIRIES).status_code in (401, 403)
    assert api_for("xuhui_manager").get(f"{INQUIRIES}{inquiry.pk}/").status_code == 200
    other = customer("gz-tianhe")
    refused = api_for("xuhui_cs").post(
        INQUIRIES, {"channel": "phone", "customer": other.pk, "needs": "咨询"}, format="json"
    )
    assert refused.status_code == 400 and "customer" in refused.json()["fields"]


def test_claim_self_approval_is_409_and_qa_approves_others(api_for):
    """PRE-2: QA cannot approve its own claim (409 `product_claim.self_approval`); a sales rep may not approve."""
    own = make_claim("qa_inspector")
    refused = api_for("qa_inspector").post(f"{CLAIMS}{own.pk}/approve/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "product_claim.self_approval"
    claim = make_claim()
    assert api_for("sales_rep").post(f"{CLAIMS}{claim.pk}/approve/", {}, format="json").status_code == 403
    approved = api_for("qa_inspector").post(f"{CLAIMS}{claim.pk}/approve/", {"note": "属实"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    listed = api_for("xuhui_cs").get(CLAIMS, {"status": "approved"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [claim.pk]


def test_claim_create(api_for, users):
    """PRE-2: a claim submitted by API is pending QA."""
    product = make_claim().product
    created = api_for("sales_rep").post(CLAIMS, {"product": product.pk, "text": "静音设计"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"


def test_tender_bid_before_report_is_refused_then_the_whole_path(api_for):
    """SAL-3: create, bid before report → 409 `tender.not_reported`; report, bid, award won."""
    buyer = hospital()
    client = api_for("xuhui_manager")
    body = {
        "customer": buyer.pk,
        "title": "监护仪采购",
        "announced_on": days(0).isoformat(),
        "deadline": (timezone.now() + dt.timedelta(days=10)).isoformat(),
        "budget": "300000.00",
    }
    created = client.post(TENDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="td-1")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    early = client.post(f"{TENDERS}{pk}/bid/", {"bid_amount": "280000"}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "tender.not_reported"
    reported = client.post(f"{TENDERS}{pk}/report/", {"note": "重点项目"}, format="json")
    assert reported.status_code == 200 and reported.json()["status"] == "reported" and reported.json()["reported_to"]
    bid = client.post(f"{TENDERS}{pk}/bid/", {"bid_amount": "280000"}, format="json")
    assert bid.status_code == 200 and bid.json()["status"] == "bid_submitted"
    won = client.post(f"{TENDERS}{pk}/award/", {"result": "won", "awarded_on": days(0).isoformat()}, format="json")
    assert won.status_code == 200 and won.json()["status"] == "won" and won.json()["contracts"] == []
    assert api_for("tianhe_cs").get(f"{TENDERS}{pk}/").status_code == 404


def test_tender_for_a_customer_out_of_scope_is_refused(api_for):
    """SAL-3: the tendering organisation must be in the caller's scope."""
    tender = make_tender()
    body = {
        "customer": tender.customer_id,
        "title": "X",
        "announced_on": days(0).isoformat(),
        "deadline": (timezone.now() + dt.timedelta(days=3)).isoformat(),
    }
    refused = api_for("tianhe_cs").post(TENDERS, body, format="json")
    assert refused.status_code == 400 and "customer" in refused.json()["fields"]


def test_rep_authorisation_issue_filter_and_revoke(api_for, users):
    """BUY-2: issue, filter expiring within 30 days, revoke; revoking again is 409."""
    client = api_for("gm")
    body = {
        "rep": users["sales_rep"].pk,
        "scope": "华东区医疗器械销售",
        "valid_from": days(-5).isoformat(),
        "valid_until": days(20).isoformat(),
    }
    created = client.post(LETTERS, body, format="json", HTTP_IDEMPOTENCY_KEY="auth-1")
    assert created.status_code == 201, created.json()
    assert created.json()["state"] == "valid"
    pk = created.json()["id"]
    expiring = client.get(LETTERS, {"expiring_within": 30}).json()
    rows = expiring["results"] if isinstance(expiring, dict) else expiring
    assert [row["id"] for row in rows] == [pk]
    assert api_for("sales_rep").post(f"{LETTERS}{pk}/revoke/", {"reason": "x"}, format="json").status_code == 403
    revoked = client.post(f"{LETTERS}{pk}/revoke/", {"reason": "离职"}, format="json", HTTP_IF_MATCH='"1"')
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = client.post(f"{LETTERS}{pk}/revoke/", {"reason": "离职"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "rep_authorisation.revoked"
    bad = client.post(LETTERS, {**body, "valid_until": days(-10).isoformat()}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "rep_authorisation.dates"


def test_sales_plan_actual_is_computed_and_self_approval_refused(api_for):
    """SAL-4: last_year_actual and the monthly actuals come from orders; the author cannot approve (409)."""
    year = timezone.localdate().year
    sales_order("sh-xuhui", "4000.00", dt.date(year - 1, 5, 5))
    sales_order("sh-xuhui", "1500.00", dt.date(year, 3, 3))
    client = api_for("xuhui_manager")
    body = {"org_unit": unit("sh-xuhui").pk, "year": year, "target": "240000.00", "company_target": "200000.00"}
    created = client.post(PLANS, body, format="json", HTTP_IDEMPOTENCY_KEY="plan-1")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["last_year_actual"] == "4000.00" and len(data["months"]) == 12
    march = next(row for row in data["progress"] if row["month"] == 3)
    assert march["actual"] == "1500.00" and march["target"] == "20000.00"
    own = client.post(f"{PLANS}{data['id']}/approve/", {}, format="json")
    assert own.status_code == 403  # a store manager holds no approve permission
    duplicate = client.post(PLANS, body, format="json")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "sales_plan.exists"
    approved = api_for("gm").post(f"{PLANS}{data['id']}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["approved"] is True
    gm_plan = api_for("gm").post(PLANS, {**body, "org_unit": unit("hq").pk, "year": year + 1}, format="json").json()
    refused = api_for("gm").post(f"{PLANS}{gm_plan['id']}/approve/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "sales_plan.self_approval"
    assert api_for("tianhe_cs").get(f"{PLANS}{data['id']}/").status_code in (403, 404)


@pytest.mark.parametrize(
    "url, username",
    [
        (INQUIRIES, "xuhui_cs"),
        (CLAIMS, "qa_inspector"),
        (TENDERS, "xuhui_manager"),
        (LETTERS, "gm"),
        (PLANS, "gm"),
        ("/sales/inquiries/", "xuhui_cs"),
        ("/sales/claims/", "qa_inspector"),
        ("/sales/tenders/", "xuhui_manager"),
        ("/sales/authorisations/", "gm"),
        ("/sales/plans/", "gm"),
    ],
)
def test_list_query_count_does_not_grow_with_rows(api_for, web_for, users, url, username):
    """PRE-1, PRE-2, SAL-3, BUY-2, SAL-4: a list costs the same SQL for 1 row as for 4 (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .. import presales as services

    def add(n):
        year = 2030 + n
        make_inquiry(assignee=users["xuhui_cs"])
        make_claim()
        make_tender()
        services.authorisation_issue(
            actor=users["gm"], rep=users["sales_rep"], scope="全国", valid_from=days(-1), valid_until=days(30 + n)
        )
        plan = services.plan_create(actor=users["xuhui_manager"], org_unit=unit("sh-xuhui"), year=year, target="1200")
        services.plan_approve(actor=users["gm"], plan_id=plan.pk)

    client = web_for(username) if url.startswith("/sales/") else api_for(username)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(0)
    count()  # the first call fills this process's configuration cache (permissions, scope)
    one = count()
    for n in range(1, 4):
        add(n)
    assert count() == one
