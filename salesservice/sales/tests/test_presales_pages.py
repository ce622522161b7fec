"""Pre-sales pages: lists with filters and export, create forms (GET and POST), record pages with the workflow
buttons, page actions and their refusals in Chinese, scope (404) — inquiries (PRE-1, PRE-3), claims (PRE-2),
tenders (SAL-3), authorisation letters (BUY-2), plans (SAL-4)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from .. import presales as services
from ..choices import ClaimStatus, InquiryStatus, TenderStatus
from ..models import Inquiry, ProductClaim, RepAuthorisation, SalesPlan, Tender
from .presales_factories import (
    customer,
    days,
    device,
    hospital,
    make_claim,
    make_inquiry,
    make_tender,
    sales_order,
    unit,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


@pytest.mark.parametrize(
    "name, username",
    [
        ("sales:inquiries", "xuhui_cs"),
        ("sales:productclaims", "qa_inspector"),
        ("sales:tenders", "xuhui_manager"),
        ("sales:repauthorisations", "gm"),
        ("sales:salesplans", "gm"),
        ("sales:inquiries", "auditor"),
    ],
)
def test_list_pages_render_and_export(web_for, name, username):
    """PRE-1, PRE-2, SAL-3, BUY-2, SAL-4: every list renders for its role and exports to Excel."""
    client = web_for(username)
    assert client.get(reverse(name)).status_code == 200
    exported = client.get(reverse(name), {"export": "xlsx"})
    assert exported.status_code == 200 and "spreadsheetml" in exported["Content-Type"]


def test_inquiry_list_masks_the_phone_and_marks_overdue(web_for):
    """PRE-1: the prospect's phone is masked in the list; an inquiry past its reply time is marked."""
    services.inquiry_create(
        actor=user("xuhui_cs"),
        channel="phone",
        needs="咨询按摩椅",
        prospect_name="赵先生",
        prospect_phone="13900001111",
        received_at=timezone.now() - dt.timedelta(hours=6),
    )
    page = web_for("xuhui_cs").get(reverse("sales:inquiries")).content.decode()
    assert "139****1111" in page and "13900001111" not in page and 'data-overdue="true"' in page
    filtered = web_for("xuhui_cs").get(reverse("sales:inquiries"), {"overdue": "true"}).content.decode()
    assert "赵先生" in filtered


def test_inquiry_form_get_and_post(web_for):
    """PRE-1: the form registers an inquiry of a customer with special requirements; a bad one shows why."""
    client = web_for("xuhui_cs")
    assert client.get(reverse("sales:inquiry-create")).status_code == 200
    buyer = customer()
    response = client.post(
        reverse("sales:inquiry-create"),
        {
            "channel": "walk_in",
            "customer": buyer.pk,
            "needs": "看净水器",
            "special_requirements": "周末上门安装",
            "department": "sales",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("sales:inquiry-detail", args=[inquiry.pk])
    assert inquiry.special_requirements == "周末上门安装" and inquiry.org_unit == unit("sh-xuhui")
    refused = client.post(reverse("sales:inquiry-create"), {"channel": "phone", "needs": "x", "department": "sales"})
    assert refused.status_code == 200 and "咨询人" in refused.content.decode() and Inquiry.objects.count() == 1


def test_inquiry_page_buttons_and_actions(web_for):
    """PRE-1/PRE-3: the page shows answer/route/close; answering with confirmation moves it to answered."""
    inquiry = make_inquiry(special_requirements="需要发票抬头为单位")
    client = web_for("xuhui_cs")
    page = client.get(reverse("sales:inquiry-detail", args=[inquiry.pk])).content.decode()
    for button in ("answer-button", "route-button", "close-button"):
        assert button in page
    assert "需要发票抬头为单位" in page
    url = reverse("sales:inquiry-action", args=[inquiry.pk, "answer"])
    client.post(url, {"version": inquiry.version, "reply": "已推荐机型", "needs_confirmed": "on"})
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED and inquiry.needs_confirmed
    stale = client.post(reverse("sales:inquiry-action", args=[inquiry.pk, "close"]), {"version": 1, "reason": "x"})
    assert any("已被他人修改" in str(m) for m in get_messages(stale.wsgi_request))
    assert "close-button" in client.get(reverse("sales:inquiry-detail", args=[inquiry.pk])).content.decode()


def test_inquiry_page_out_of_scope_is_404(web_for):
    """PRE-1: another store's inquiry does not exist for the user."""
    inquiry = make_inquiry()
    assert web_for("tianhe_cs").get(reverse("sales:inquiry-detail", args=[inquiry.pk])).status_code == 404
    action = reverse("sales:inquiry-action", args=[inquiry.pk, "close"])
    assert web_for("tianhe_cs").post(action, {"reason": "x"}).status_code == 404


def test_claim_form_and_qa_approval_on_the_page(web_for):
    """PRE-2: sales submit a claim; QA sees approve/reject and approves; the author sees no approve button."""
    product = device()
    client = web_for("sales_rep")
    assert client.get(reverse("sales:productclaim-create")).status_code == 200
    client.post(reverse("sales:productclaim-create"), {"product": product.pk, "text": "一键测量", "evidence": "说明书"})
    claim = ProductClaim.objects.get()
    assert "approve-button" not in client.get(reverse("sales:productclaim-detail", args=[claim.pk])).content.decode()
    qa = web_for("qa_inspector")
    page = qa.get(reverse("sales:productclaim-detail", args=[claim.pk])).content.decode()
    assert "approve-button" in page and "reject-button" in page
    qa.post(reverse("sales:productclaim-action", args=[claim.pk, "approve"]), {"version": claim.version})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_claim_self_approval_is_refused_on_the_page(web_for):
    """PRE-2: QA approving its own claim gets the Chinese refusal and nothing changes."""
    claim = make_claim("qa_inspector")
    response = web_for("qa_inspector").post(reverse("sales:productclaim-action", args=[claim.pk, "approve"]), {})
    assert any("自己提交" in str(m) for m in get_messages(response.wsgi_request))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_inquiry_page_shows_the_products_approved_claims(web_for):
    """PRE-2: the inquiry page offers only the QA-approved claims of the product asked about."""
    claim = make_claim(text="已通过 CE 与 NMPA 认证")
    pending = make_claim(product=claim.product, text="行业领先")
    services.claim_approve(actor=user("qa_inspector"), claim_id=claim.pk)
    inquiry = make_inquiry(product=claim.product)
    page = web_for("xuhui_cs").get(reverse("sales:inquiry-detail", args=[inquiry.pk])).content.decode()
    assert claim.text in page and pending.text not in page


def test_tender_form_and_report_before_bid_on_the_page(web_for):
    """SAL-3: register a tender; only `report` is offered before the report; then bid is offered."""
    buyer = hospital()
    client = web_for("xuhui_manager")
    assert client.get(reverse("sales:tender-create")).status_code == 200
    client.post(
        reverse("sales:tender-create"),
        {
            "customer": buyer.pk,
            "title": "呼吸机采购",
            "announced_on": days(0).isoformat(),
            "deadline": (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    tender = Tender.objects.get()
    page = client.get(reverse("sales:tender-detail", args=[tender.pk])).content.decode()
    assert "report-button" in page and "bid-button" not in page
    early = client.post(reverse("sales:tender-action", args=[tender.pk, "bid"]), {"bid_amount": "1000"})
    assert any("未报总经理" in str(m) for m in get_messages(early.wsgi_request))
    client.post(reverse("sales:tender-action", args=[tender.pk, "report"]), {"version": tender.version})
    tender.refresh_from_db()
    assert tender.status == TenderStatus.REPORTED
    assert "bid-button" in client.get(reverse("sales:tender-detail", args=[tender.pk])).content.decode()
    assert web_for("tianhe_cs").get(reverse("sales:tender-detail", args=[tender.pk])).status_code == 404


def test_authorisation_form_and_revoke_on_the_page(web_for, users):
    """BUY-2: a manager issues a letter and revokes it with a reason."""
    client = web_for("xuhui_manager")
    assert client.get(reverse("sales:repauthorisation-create")).status_code == 200
    client.post(
        reverse("sales:repauthorisation-create"),
        {
            "rep": users["xuhui_cs"].pk,
            "scope": "徐汇店家电及 II 类医疗器械",
            "valid_from": days(0).isoformat(),
            "valid_until": days(90).isoformat(),
        },
    )
    letter = RepAuthorisation.objects.get()
    page = client.get(reverse("sales:repauthorisation-detail", args=[letter.pk])).content.decode()
    assert 'data-state="valid"' in page and "revoke-button" in page
    client.post(
        reverse("sales:repauthorisation-revoke", args=[letter.pk]), {"version": letter.version, "reason": "调岗"}
    )
    letter.refresh_from_db()
    assert letter.revoked_at and letter.revoke_reason == "调岗"
    filtered = client.get(reverse("sales:repauthorisations"), {"valid": "true"}).content.decode()
    assert letter.number not in filtered


def test_plan_form_and_page_with_actuals_and_approval(web_for):
    """SAL-4: a store manager drafts the plan; the page shows actual sales from orders; the GM approves."""
    year = timezone.localdate().year
    client = web_for("xuhui_manager")
    assert client.get(reverse("sales:salesplan-create")).status_code == 200
    response = client.post(
        reverse("sales:salesplan-create"),
        {
            "org_unit": unit("sh-xuhui").pk,
            "year": year,
            "company_target": "100000",
            "target": "120000",
            "basis": "上年增长 20%",
        },
    )
    plan = SalesPlan.objects.get()
    assert response.status_code == 302 and plan.months.count() == 12
    sales_order("sh-xuhui", "6500.00", dt.date(year, 4, 9))
    page = client.get(reverse("sales:salesplan-detail", args=[plan.pk])).content.decode()
    assert "6500.00" in page and "approve-button" not in page
    gm = web_for("gm")
    assert "approve-button" in gm.get(reverse("sales:salesplan-detail", args=[plan.pk])).content.decode()
    gm.post(reverse("sales:salesplan-approve", args=[plan.pk]), {"version": plan.version, "note": "同意"})
    plan.refresh_from_db()
    assert plan.approved_by == user("gm")
    bad = client.post(
        reverse("sales:salesplan-create"),
        {"org_unit": unit("sh-xuhui").pk, "year": year + 1, "company_target": "0", "target": "1200", "month_1": "5"},
    )
    assert bad.status_code == 200 and "合计" in bad.content.decode()


def test_tender_page_lists_its_contracts_section_only_when_any(web_for):
    """SAL-3: the tender page shows no contracts table before a contract exists."""
    tender = make_tender()
    page = web_for("xuhui_manager").get(reverse("sales:tender-detail", args=[tender.pk])).content.decode()
    assert "tender-contracts" not in page
