"""Compliance evidence of complaint handling (issue 16 §4): CMP-3 (verified, responsibility named, handled), CMP-4
(the customer agreed the solution and was told the result), CMP-7 (major complaints at HQ; unresolved ones escalated),
CMP-8 (payouts within authority; recovered from the responsible party) — met with complete records, short with the
offending complaint listed, no_data without records (never met)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.core.evidence import MET, NO_DATA, SHORT, Period
from salesservice.dashboards.compliance import compliance_report

from .. import compensation, evidence, services
from ..choices import EntryKind, RecoveryStatus
from ..models import CompensationEntry, Complaint, Recovery
from .factories import advance, close_kwargs, make_complaint, top_up, user

pytestmark = pytest.mark.django_db


def _period(unit=None) -> Period:
    today = timezone.localdate()
    return Period(today - dt.timedelta(days=3), today, unit)


def _closed(**extra) -> Complaint:
    complaint = advance(make_complaint(**extra), "feedback_given")
    return services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())


def _labels(item) -> list[str]:
    return [link.label for link in item.shortfalls]


def test_cmp3_verified_responsible_named_and_handled(demo):
    """CMP-3: a closed complaint verified, with the responsible staff member named and the solution carried out is
    met; one closed without verification notes is short and listed; none → no_data."""
    assert evidence.verified_with_responsibility(_period()).status == NO_DATA
    _closed()
    assert evidence.verified_with_responsibility(_period()).status == MET
    unverified = _closed()
    Complaint.objects.filter(pk=unverified.pk).update(verification_notes="")
    item = evidence.verified_with_responsibility(_period())
    assert item.status == SHORT and _labels(item) == [unverified.number]
    assert compliance_report(_period(), only={"CMP-3"}).results[0].status == SHORT
    assert evidence.verified_with_responsibility(_period(demo["gz-tianhe"])).status == NO_DATA


def test_cmp4_closed_only_after_agreement_and_feedback(demo):
    """CMP-4: closed complaints agreed by the customer and told the result → met; one closed without the customer's
    agreement is a violation, listed."""
    assert evidence.agreed_and_fed_back(_period()).status == NO_DATA
    _closed()
    assert evidence.agreed_and_fed_back(_period()).status == MET
    skipped = _closed()
    Complaint.objects.filter(pk=skipped.pk).update(agreed_at=None)
    item = evidence.agreed_and_fed_back(_period())
    assert item.status == SHORT and item.shortfall_count == 1 and _labels(item) == [skipped.number]
    assert compliance_report(_period(), only={"CMP-4"}).results[0].status == SHORT


def test_cmp7_major_complaints_go_to_hq(demo):
    """CMP-7: a claim at the policy's major amount starts at HQ (met); a major complaint left at the store → short."""
    assert evidence.major_complaints_at_hq(_period()).status == NO_DATA
    make_complaint()  # a daily complaint: not checked
    assert evidence.major_complaints_at_hq(_period()).status == NO_DATA
    major = make_complaint(claimed_amount=Decimal("8000"))
    assert major.level == 2
    assert evidence.major_complaints_at_hq(_period()).status == MET
    left = make_complaint()
    Complaint.objects.filter(pk=left.pk).update(safety_issue=True)
    item = evidence.major_complaints_at_hq(_period())
    assert item.status == SHORT and _labels(item) == [left.number]


def test_cmp7_unresolved_complaints_are_escalated(demo):
    """CMP-7: a complaint past its deadline and raised to the region is met; one past it still at the store (missed
    by the sweep) is short; with nothing past its deadline → no_data. Checked through the report too."""
    complaint = make_complaint()
    assert evidence.unresolved_complaints_escalated(_period()).status == NO_DATA
    services.complaint_escalate(actor=user("xuhui_manager"), complaint_id=complaint.pk, reason="门店无法解决")
    assert evidence.unresolved_complaints_escalated(_period()).status == MET
    missed = make_complaint()
    Complaint.objects.filter(pk=missed.pk).update(escalation_due_at=timezone.now() - dt.timedelta(hours=2))
    result = compliance_report(_period(), only={"CMP-7"}).results[0]
    item = next(e for e in result.evidence if "升级" in e.aspect and "重大" not in e.aspect)
    assert result.status == SHORT and item.status == SHORT and _labels(item) == [missed.number]


def test_cmp8_payouts_within_authority(demo):
    """CMP-8: a store manager's ¥300 payout is within the store's authority (met); a ¥800 payout made at store level
    without approval is beyond it and listed; no payouts → no_data."""
    assert evidence.payouts_within_authority(_period()).status == NO_DATA
    top_up("50000")
    complaint = advance(make_complaint(), "agreed")
    assert compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="300").paid
    assert evidence.payouts_within_authority(_period()).status == MET
    CompensationEntry.objects.create(
        fund=compensation.fund_get(), kind=EntryKind.PAYOUT, amount=Decimal("800"), balance_after=Decimal("0"),
        complaint=complaint, created_by=user("xuhui_cs"),
    )  # fmt: skip
    item = evidence.payouts_within_authority(_period())
    assert item.status == SHORT and _labels(item) == [f"{complaint.number} ¥800.00"]


def test_cmp8_payouts_recovered_from_the_responsible_party(demo):
    """CMP-8: a payout on a complaint caused by a staff member is claimed back (a recovery, met); one whose recovery
    was cancelled is short and listed."""
    assert evidence.payouts_charged_to_responsible(_period()).status == NO_DATA
    top_up("50000")

    def paid_and_closed():
        complaint = advance(make_complaint(), "agreed")
        compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="200")
        cs = user("xuhui_cs")
        services.complaint_implement(actor=cs, complaint_id=complaint.pk)
        services.complaint_feedback(actor=cs, complaint_id=complaint.pk, feedback="已修复并赔偿", satisfaction=4)
        return services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())

    paid_and_closed()
    assert evidence.payouts_charged_to_responsible(_period()).status == MET
    unclaimed = paid_and_closed()
    Recovery.objects.filter(complaint=unclaimed).update(status=RecoveryStatus.CANCELLED)
    item = evidence.payouts_charged_to_responsible(_period())
    assert item.status == SHORT and _labels(item) == [unclaimed.number]
    assert compliance_report(_period(), only={"CMP-8"}).results[0].status == SHORT
