"""Pre-sales services: inquiries with their reply clock and routing (PRE-1), needs confirmation (PRE-3),
QA-approved product claims (PRE-2), tenders reported before bidding (SAL-3), sales-rep authorisation letters
(BUY-2) and annual plans measured against orders (SAL-4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.core.exceptions import ConflictError, DomainError, NotFoundError
from salesservice.core.models import Event, Notification

from .. import presales as services
from ..choices import ClaimStatus, Department, InquiryChannel, InquiryStatus, OrderStatus, TenderStatus
from ..presales_errors import PresalesErrorCode as E
from ..presales_selectors import (
    approved_claims,
    plan_progress,
    rep_authorisation_for,
    rep_flag,
    sales_actual,
)
from .presales_factories import (
    customer,
    days,
    make_claim,
    make_inquiry,
    make_tender,
    reported_tender,
    sales_order,
    unit,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


# --- inquiries ----------------------------------------------------------------------------------


def test_inquiry_reply_clock_comes_from_the_policy_and_the_department_is_told():
    """PRE-1: reply_due_at = received_at + sales.inquiry_reply_hours (4 h); the department's people are told."""
    received = timezone.now() - dt.timedelta(minutes=30)
    inquiry = make_inquiry(received_at=received, special_requirements="需无障碍通道送货")
    assert inquiry.status == InquiryStatus.OPEN and inquiry.number.startswith("INQ-")
    assert inquiry.reply_due_at == received + dt.timedelta(hours=4)
    assert inquiry.org_unit == unit("sh-xuhui")  # the customer's store
    assert Event.objects.filter(event_type="sales.inquiry_created", target_id=str(inquiry.pk)).exists()
    told = Notification.objects.filter(kind="sales.inquiry_created").values_list("recipient__username", flat=True)
    assert "xuhui_manager" in told


def test_a_prospect_needs_a_name_and_a_phone():
    """PRE-1: without a customer the inquirer's name and phone are required."""
    with pytest.raises(DomainError) as refused:
        services.inquiry_create(
            actor=user("xuhui_cs"), channel=InquiryChannel.WALK_IN, needs="看空气净化器", prospect_name="李女士"
        )
    assert refused.value.code == E.INQUIRY_CONTACT_REQUIRED
    inquiry = services.inquiry_create(
        actor=user("xuhui_cs"),
        channel=InquiryChannel.WALK_IN,
        needs="看空气净化器",
        prospect_name="李女士",
        prospect_phone="13812345678",
    )
    assert inquiry.org_unit == unit("sh-xuhui") and inquiry.customer is None


def test_an_inquiry_for_a_customer_out_of_scope_is_refused():
    """PRE-1: a 天河 CS rep cannot register an inquiry of a 徐汇 customer (404, nothing revealed)."""
    with pytest.raises(NotFoundError) as refused:
        make_inquiry("tianhe_cs", for_customer=customer("sh-xuhui"))
    assert refused.value.code == E.INQUIRY_CUSTOMER_OUT_OF_SCOPE


def test_answer_records_the_reply_and_the_needs_confirmation():
    """PRE-1 reply, PRE-3 needs confirmed; a further answer adds to the reply and keeps the confirmation."""
    inquiry = make_inquiry()
    with pytest.raises(DomainError) as refused:
        services.inquiry_answer(actor=user("xuhui_cs"), inquiry_id=inquiry.pk, reply="  ")
    assert refused.value.code == E.INQUIRY_REPLY_REQUIRED
    answered = services.inquiry_answer(
        actor=user("xuhui_cs"), inquiry_id=inquiry.pk, reply="推荐 5L 机型，可送货上门", needs_confirmed=True
    )
    assert answered.status == InquiryStatus.ANSWERED and answered.needs_confirmed and answered.replied_at
    again = services.inquiry_answer(actor=user("xuhui_cs"), inquiry_id=inquiry.pk, reply="已发送报价参考")
    assert again.status == InquiryStatus.ANSWERED and again.needs_confirmed
    assert "推荐 5L" in again.reply and "已发送报价参考" in again.reply


def test_route_passes_the_inquiry_on_and_notifies_the_assignee():
    """PRE-1: special requirements reach the department concerned; routing the same way twice is refused."""
    inquiry = make_inquiry(special_requirements="客户行动不便，需上门演示")
    routed = services.inquiry_route(
        actor=user("xuhui_cs"), inquiry_id=inquiry.pk, department=Department.SERVICE, assignee=user("xuhui_engineer")
    )
    assert routed.department == Department.SERVICE and routed.assignee == user("xuhui_engineer")
    note = Notification.objects.get(kind="sales.inquiry_routed")
    assert note.recipient == user("xuhui_engineer") and "上门演示" in note.body
    with pytest.raises(DomainError) as refused:
        services.inquiry_route(
            actor=user("xuhui_cs"),
            inquiry_id=inquiry.pk,
            department=Department.SERVICE,
            assignee=user("xuhui_engineer"),
        )
    assert refused.value.code == E.INQUIRY_ROUTE_UNCHANGED


def test_close_needs_a_reason_and_a_stale_version_is_refused():
    """PRE-1: closing states why; the version the caller saw must be current."""
    inquiry = make_inquiry()
    with pytest.raises(DomainError):
        services.inquiry_close(actor=user("xuhui_cs"), inquiry_id=inquiry.pk, reason="")
    with pytest.raises(ConflictError):
        services.inquiry_close(actor=user("xuhui_cs"), inquiry_id=inquiry.pk, reason="重复登记", expected_version=99)
    closed = services.inquiry_close(actor=user("xuhui_cs"), inquiry_id=inquiry.pk, reason="重复登记")
    assert closed.status == InquiryStatus.CLOSED and closed.close_reason == "重复登记"


def test_mark_quoted_moves_open_or_answered_inquiries_only():
    """PRE-1/PRE-3: the quotation service marks the inquiry quoted; a closed or quoted one is refused (409)."""
    inquiry = make_inquiry()
    quoted = services.inquiry_mark_quoted(actor=user("xuhui_manager"), inquiry=inquiry)
    assert quoted.status == InquiryStatus.QUOTED and inquiry.status == InquiryStatus.QUOTED
    with pytest.raises(ConflictError) as refused:
        services.inquiry_mark_quoted(actor=user("xuhui_manager"), inquiry=inquiry)
    assert refused.value.code == E.INQUIRY_NOT_QUOTABLE


def test_an_overdue_inquiry_is_reminded_once():
    """PRE-1: past its reply time unanswered, the assignee is reminded — once; answered ones are not."""
    late = make_inquiry(received_at=timezone.now() - dt.timedelta(hours=5), assignee=user("xuhui_cs"))
    answered = make_inquiry(received_at=timezone.now() - dt.timedelta(hours=5))
    services.inquiry_answer(actor=user("xuhui_cs"), inquiry_id=answered.pk, reply="已电话答复")
    make_inquiry()  # not yet due
    assert services.inquiry_remind_overdue() == 1
    assert services.inquiry_remind_overdue() == 0
    reminder = Notification.objects.get(kind="sales.inquiry_overdue")
    assert reminder.recipient == user("xuhui_cs") and late.number in reminder.title


def test_the_periodic_task_runs_the_reminder():
    """PRE-1: `sales.remind_overdue_inquiries` is the sweep the beat runs every 10 minutes."""
    from ..presales_nav import PRESALES_PERIODIC
    from ..presales_tasks import remind_overdue_inquiries

    make_inquiry(received_at=timezone.now() - dt.timedelta(hours=5))
    assert remind_overdue_inquiries() == 1
    assert "sales.remind_overdue_inquiries" in [task.task for task in PRESALES_PERIODIC]


# --- product claims -----------------------------------------------------------------------------


def test_only_qa_approved_claims_are_offered():
    """PRE-2: approved_claims gives the approved texts only; a withdrawn claim drops out."""
    claim = make_claim()
    pending = make_claim(product=claim.product, text="续航 8 小时")
    assert approved_claims([claim.product_id]) == {}
    services.claim_approve(actor=user("qa_inspector"), claim_id=claim.pk, note="与注册证一致")
    assert approved_claims([claim.product_id, None]) == {claim.product_id: [claim.text]}
    services.claim_withdraw(actor=user("sales_rep"), claim_id=claim.pk, reason="注册证变更")
    assert approved_claims([claim.product_id]) == {}
    assert ProductClaimStatus(pending) == ClaimStatus.PENDING


def ProductClaimStatus(claim):  # noqa: N802 — reads like the field it returns
    claim.refresh_from_db()
    return claim.status


def test_qa_cannot_approve_its_own_claim():
    """PRE-2: whoever submitted a claim may not approve or reject it (409 `product_claim.self_approval`)."""
    claim = make_claim("qa_inspector")
    with pytest.raises(ConflictError) as refused:
        services.claim_approve(actor=user("qa_inspector"), claim_id=claim.pk)
    assert refused.value.code == E.CLAIM_SELF_APPROVAL and refused.value.status_code == 409
    assert ProductClaimStatus(claim) == ClaimStatus.PENDING


def test_reject_needs_a_reason_and_tells_the_author():
    """PRE-2: QA rejects with its reason; the submitter is notified."""
    claim = make_claim()
    with pytest.raises(DomainError):
        services.claim_reject(actor=user("qa_inspector"), claim_id=claim.pk, reason="")
    rejected = services.claim_reject(actor=user("qa_inspector"), claim_id=claim.pk, reason="“最好”属绝对化用语")
    assert rejected.status == ClaimStatus.REJECTED and rejected.decided_by == user("qa_inspector")
    assert Notification.objects.filter(kind="sales.claim_decided", recipient=user("sales_rep")).exists()


# --- tenders ------------------------------------------------------------------------------------


def test_a_tender_cannot_be_bid_before_it_is_reported():
    """SAL-3: bidding an unreported tender is refused with `tender.not_reported` (409)."""
    tender = make_tender()
    with pytest.raises(DomainError) as refused:
        services.tender_bid(actor=user("xuhui_manager"), tender_id=tender.pk, bid_amount="480000")
    assert refused.value.code == E.TENDER_NOT_REPORTED and refused.value.status_code == 409


def test_report_tells_the_general_manager_then_bid_and_award():
    """SAL-3: reported to the general manager (recorded, notified), bid, won, then contracted."""
    tender = reported_tender()
    assert tender.status == TenderStatus.REPORTED and tender.reported_to == user("gm") and tender.reported_at
    assert Notification.objects.filter(kind="sales.tender_reported", recipient=user("gm")).exists()
    with pytest.raises(DomainError) as refused:
        services.tender_bid(actor=user("xuhui_manager"), tender_id=tender.pk, bid_amount="0")
    assert refused.value.code == E.TENDER_BID_AMOUNT
    bid = services.tender_bid(actor=user("xuhui_manager"), tender_id=tender.pk, bid_amount="480000")
    assert bid.status == TenderStatus.BID_SUBMITTED and bid.bid_amount == Decimal("480000.00")
    won = services.tender_award(
        actor=user("xuhui_manager"), tender_id=tender.pk, result=TenderStatus.WON, awarded_on=days(0), note="第一名"
    )
    assert won.status == TenderStatus.WON and won.awarded_on == days(0)
    contracted = services.tender_mark_contracted(actor=user("xuhui_manager"), tender=won)
    assert contracted.status == TenderStatus.CONTRACTED and won.status == TenderStatus.CONTRACTED


def test_only_a_won_tender_can_be_contracted_and_lost_is_final():
    """SAL-3: a lost tender is final; marking it contracted is refused (409 `tender.not_won`)."""
    tender = reported_tender()
    services.tender_bid(actor=user("xuhui_manager"), tender_id=tender.pk, bid_amount="520000")
    lost = services.tender_award(
        actor=user("xuhui_manager"), tender_id=tender.pk, result=TenderStatus.LOST, awarded_on=days(0)
    )
    assert lost.status == TenderStatus.LOST
    with pytest.raises(ConflictError) as refused:
        services.tender_mark_contracted(actor=user("xuhui_manager"), tender=lost)
    assert refused.value.code == E.TENDER_NOT_WON


def test_a_tender_deadline_before_its_announcement_is_refused():
    """SAL-3: the deadline cannot precede the announcement."""
    with pytest.raises(DomainError) as refused:
        make_tender(announced_on=days(5), deadline=timezone.now())
    assert refused.value.code == E.TENDER_DEADLINE


# --- authorisation letters ----------------------------------------------------------------------


def _letter(valid_from, valid_until, rep="sales_rep", actor="gm"):
    return services.authorisation_issue(
        actor=user(actor),
        rep=user(rep),
        scope="全国医疗器械销售，含 III 类",
        valid_from=valid_from,
        valid_until=valid_until,
    )


def test_rep_flag_is_empty_with_a_valid_letter_and_explains_otherwise():
    """BUY-2: a letter valid on the day clears the flag; before it or after it the flag names rep and day."""
    letter = _letter(days(-10), days(30))
    assert rep_authorisation_for(user("sales_rep"), days(0)) == letter
    assert rep_flag(user("sales_rep"), days(0)) == ""
    late = days(40)
    assert rep_authorisation_for(user("sales_rep"), late) is None
    assert rep_flag(user("sales_rep"), late) == f"销售人员 刘销售 在 {late.isoformat()} 无有效授权书"
    assert rep_flag(None, days(0))


def test_a_revoked_letter_stops_authorising_from_that_day():
    """BUY-2: revoked with a reason; refused twice (409); no longer valid today, still valid for the past."""
    letter = _letter(days(-10), days(30))
    revoked = services.authorisation_revoke(actor=user("gm"), authorisation_id=letter.pk, reason="调岗")
    assert revoked.revoked_at and revoked.revoke_reason == "调岗"
    assert rep_authorisation_for(user("sales_rep"), days(0)) is None
    assert rep_authorisation_for(user("sales_rep"), days(-1)) == letter
    with pytest.raises(ConflictError) as refused:
        services.authorisation_revoke(actor=user("gm"), authorisation_id=letter.pk, reason="再次")
    assert refused.value.code == E.AUTHORISATION_REVOKED


def test_letter_dates_are_checked_and_scope_applies():
    """BUY-2: valid_until before valid_from is refused; a store manager cannot revoke another store's letter."""
    with pytest.raises(DomainError) as refused:
        _letter(days(10), days(1))
    assert refused.value.code == E.AUTHORISATION_DATES
    tianhe = _letter(days(0), days(100), rep="tianhe_cs")
    assert tianhe.org_unit == unit("gz-tianhe")
    with pytest.raises(NotFoundError):
        services.authorisation_revoke(actor=user("xuhui_manager"), authorisation_id=tianhe.pk, reason="越权")


def test_expiring_letters_are_reminded_once():
    """BUY-2: a letter expiring within 30 days is reminded to the rep once."""
    _letter(days(-300), days(20))
    _letter(days(-10), days(200), rep="tianhe_cs")
    assert services.authorisations_remind_expiring() == 1
    assert services.authorisations_remind_expiring() == 0
    assert Notification.objects.filter(kind="sales.authorisation_expiring", recipient=user("sales_rep")).exists()


# --- sales plans --------------------------------------------------------------------------------


def test_plan_last_year_actual_is_computed_from_orders_of_the_unit_subtree():
    """SAL-4: last year's actual = orders of the unit and the units under it, drafts and cancelled excluded."""
    year = timezone.localdate().year
    sales_order("sh-xuhui", "1000.00", dt.date(year - 1, 3, 5))
    sales_order("hz-xihu", "500.00", dt.date(year - 1, 7, 1))
    sales_order("sh-xuhui", "9999.00", dt.date(year - 1, 8, 1), status=OrderStatus.DRAFT)
    sales_order("sh-xuhui", "8888.00", dt.date(year - 1, 8, 1), status=OrderStatus.CANCELLED)
    sales_order("gz-tianhe", "7777.00", dt.date(year - 1, 8, 1))
    sales_order("sh-xuhui", "300.00", dt.date(year, 1, 1))
    assert sales_actual(unit("east"), year - 1) == Decimal("1500.00")
    plan = services.plan_create(
        actor=user("east_manager"), org_unit=unit("east"), year=year, target="1200000", company_target="1000000"
    )
    assert plan.last_year_actual == Decimal("1500.00")
    months = list(plan.months.order_by("month").values_list("target", flat=True))
    assert len(months) == 12 and sum(months) == Decimal("1200000.00") and months[0] == Decimal("100000.00")


def test_plan_progress_shows_actual_against_target_per_month():
    """SAL-4: the plan page's actuals are this year's orders by month — computed, not typed."""
    year = timezone.localdate().year
    plan = services.plan_create(actor=user("xuhui_manager"), org_unit=unit("sh-xuhui"), year=year, target="120000")
    sales_order("sh-xuhui", "2500.00", dt.date(year, 2, 10))
    sales_order("sh-xuhui", "500.00", dt.date(year, 2, 20))
    rows = plan_progress(plan)
    february = next(row for row in rows if row["month"] == 2)
    assert february["target"] == Decimal("10000.00") and february["actual"] == Decimal("3000.00")
    assert february["rate"] == Decimal("30.0")
    assert rows[-1]["month"] is None and rows[-1]["actual"] == Decimal("3000.00")


def test_plan_months_must_add_up_and_a_unit_has_one_plan_a_year():
    """SAL-4: 12 monthly targets summing to the target; a second plan for the same unit and year is 409."""
    year = timezone.localdate().year
    with pytest.raises(DomainError) as refused:
        services.plan_create(
            actor=user("xuhui_manager"), org_unit=unit("sh-xuhui"), year=year, target="1200", months=[100] * 11
        )
    assert refused.value.code == E.PLAN_MONTHS
    services.plan_create(
        actor=user("xuhui_manager"), org_unit=unit("sh-xuhui"), year=year, target="1200", months=[100] * 12
    )
    with pytest.raises(ConflictError) as duplicate:
        services.plan_create(actor=user("xuhui_manager"), org_unit=unit("sh-xuhui"), year=year, target="1200")
    assert duplicate.value.code == E.PLAN_EXISTS


def test_plan_is_approved_by_the_general_manager_not_its_author():
    """SAL-4: the author may not approve (409); the general manager approves once."""
    plan = services.plan_create(actor=user("gm"), org_unit=unit("hq"), year=2030, target="5000000")
    with pytest.raises(ConflictError) as refused:
        services.plan_approve(actor=user("gm"), plan_id=plan.pk)
    assert refused.value.code == E.PLAN_SELF_APPROVAL
    other = services.plan_create(actor=user("xuhui_manager"), org_unit=unit("sh-xuhui"), year=2030, target="100000")
    approved = services.plan_approve(actor=user("gm"), plan_id=other.pk, note="同意")
    assert approved.approved_by == user("gm") and approved.approved_at
    with pytest.raises(ConflictError) as again:
        services.plan_approve(actor=user("gm"), plan_id=other.pk)
    assert again.value.code == E.PLAN_APPROVED
