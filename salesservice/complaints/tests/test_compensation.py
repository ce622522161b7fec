"""CMP-8: advance compensation within the level's authority, approvals above it, the fund never negative,
recoveries from the responsible party back into the fund."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError

from .. import compensation, services
from ..choices import CompensationRequestStatus, EntryKind, RecoveryStatus, ResponsibleParty
from ..models import CompensationEntry, CompensationFund, CompensationRequest, Recovery
from ..selectors import pending_approvals
from .factories import advance, close_kwargs, make_complaint, top_up, user


@pytest.fixture
def complaint(demo):
    top_up("50000")
    return advance(make_complaint(), "verifying")


def balance() -> Decimal:
    return CompensationFund.objects.get().balance


def test_authority_level_follows_the_org_level(demo):
    assert compensation.authority_level(user("xuhui_cs")) == 0
    assert compensation.authority_level(user("xuhui_manager")) == 0
    assert compensation.authority_level(user("east_manager")) == 1
    assert compensation.authority_level(user("hq_service_manager")) == 2
    assert compensation.actor_limit(user("xuhui_cs"))[1] == Decimal("500")


def test_store_pays_500_directly(complaint):
    outcome = compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="500",
                                            note="地板修复费")  # fmt: skip
    assert outcome.paid and outcome.entry.kind == EntryKind.PAYOUT and outcome.entry.amount == Decimal("500.00")
    assert balance() == Decimal("49500.00") == outcome.entry.balance_after


def test_store_800_needs_region_approval_and_the_region_approves(complaint):
    """CMP-8: store ¥500 limit; ¥800 becomes a request for the region (limit ¥2000)."""
    outcome = compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="800")
    assert not outcome.paid
    request = outcome.pending
    assert (request.status, request.requested_level, request.required_level) == ("pending", 0, 1)
    assert balance() == Decimal("50000")
    from salesservice.core.models import Notification

    assert Notification.objects.filter(recipient__username="east_manager", kind="complaints.compensation_pending")

    # store staff (even the store manager, who may approve in general) cannot approve a store's request
    with pytest.raises(PermissionDeniedError):
        compensation.compensation_approve(actor=user("xuhui_cs"), request_id=request.pk)
    with pytest.raises(PermissionDeniedError) as error:
        compensation.compensation_approve(actor=user("xuhui_manager"), request_id=request.pk)
    assert error.value.code == "compensation.approver_level"
    assert list(pending_approvals(user("xuhui_manager"))) == []
    assert list(pending_approvals(user("east_manager"))) == [request]

    request = compensation.compensation_approve(actor=user("east_manager"), request_id=request.pk, note="同意")
    assert request.status == CompensationRequestStatus.APPROVED
    assert request.entry.amount == Decimal("800") and request.entry.approved_by == user("east_manager")
    assert request.entry.created_by == user("xuhui_cs")
    assert balance() == Decimal("49200.00")
    with pytest.raises(ConflictError):
        compensation.compensation_approve(actor=user("east_manager"), request_id=request.pk)


def test_region_rejects_with_a_reason(complaint):
    request = compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="800").pending
    with pytest.raises(DomainError):
        compensation.compensation_approve(actor=user("east_manager"), request_id=request.pk, approve=False)
    request = compensation.compensation_approve(actor=user("east_manager"), request_id=request.pk, approve=False,
                                                note="先与厂家协商")  # fmt: skip
    assert request.status == CompensationRequestStatus.REJECTED and balance() == Decimal("50000")


def test_above_region_limit_needs_hq_and_beyond_hq_is_refused(complaint):
    request = compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="3000").pending
    assert request.required_level == 2
    with pytest.raises(PermissionDeniedError):
        compensation.compensation_approve(actor=user("east_manager"), request_id=request.pk)
    compensation.compensation_approve(actor=user("hq_service_manager"), request_id=request.pk)
    assert balance() == Decimal("47000.00")
    with pytest.raises(ConflictError) as error:
        compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="20000.01")
    assert error.value.code == "compensation.over_hq_limit"
    assert not CompensationRequest.objects.filter(amount=Decimal("20000.01")).exists()


def test_region_pays_within_its_own_limit(complaint):
    assert compensation.compensation_pay(actor=user("east_manager"), complaint_id=complaint.pk, amount="1500").paid


def test_payout_beyond_the_balance_is_refused(demo):
    top_up("300")
    complaint = make_complaint()
    with pytest.raises(ConflictError) as error:
        compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="300.01")
    assert error.value.code == "fund.insufficient" and error.value.status_code == 409
    assert balance() == Decimal("300") and not CompensationEntry.objects.filter(kind=EntryKind.PAYOUT).exists()


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.234"])
def test_bad_amounts_are_refused(complaint, amount):
    with pytest.raises(DomainError) as error:
        compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount=amount)
    assert error.value.code == "amount.invalid"


def test_only_fund_managers_top_up(demo):
    with pytest.raises(PermissionDeniedError):
        compensation.fund_top_up(actor=user("xuhui_manager"), amount="100", note="x")
    with pytest.raises(DomainError):
        compensation.fund_top_up(actor=user("hq_service_manager"), amount="100", note="")


def test_closed_complaint_cannot_be_paid_and_pending_request_blocks_closing(complaint):
    complaint = advance(complaint, "feedback_given")
    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="800")
    with pytest.raises(DomainError) as error:
        services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    assert error.value.code == "close.pending_compensation"


def test_recovery_opened_on_close_and_settlement_increases_the_balance(complaint):
    """CMP-8 (seed 004 "由相关责任人承担"): staff responsible → recovery of what the fund paid."""
    cs = user("xuhui_cs")
    compensation.compensation_pay(actor=cs, complaint_id=complaint.pk, amount="450")
    complaint = advance(complaint, "feedback_given")
    complaint = services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    recovery = Recovery.objects.get(complaint=complaint)
    assert (recovery.status, recovery.amount, recovery.staff) == (RecoveryStatus.OPEN, Decimal("450"),
                                                                  user("xuhui_engineer"))  # fmt: skip
    assert balance() == Decimal("49550.00")
    with pytest.raises(PermissionDeniedError):
        compensation.recovery_settle(actor=user("xuhui_manager"), recovery_id=recovery.pk)
    recovery = compensation.recovery_settle(actor=user("hq_service_manager"), recovery_id=recovery.pk, note="工资扣回")
    assert recovery.status == RecoveryStatus.SETTLED and recovery.entry.kind == EntryKind.RECOVERY
    assert balance() == Decimal("50000.00") == recovery.entry.balance_after
    with pytest.raises(ConflictError):
        compensation.recovery_settle(actor=user("hq_service_manager"), recovery_id=recovery.pk)


def test_paying_after_a_provider_was_found_responsible_opens_the_recovery(complaint, demo):
    from salesservice.network.tests.factories import ProviderFactory

    provider = ProviderFactory(org_unit=demo["sh-xuhui"])
    services.complaint_verify(actor=user("xuhui_cs"), complaint_id=complaint.pk, notes="外协网点安装不规范",
                              responsible_party=ResponsibleParty.PROVIDER, responsible_provider=provider)  # fmt: skip
    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="200")
    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="100")
    recovery = Recovery.objects.get(complaint=complaint, status=RecoveryStatus.OPEN)
    assert recovery.amount == Decimal("300") and recovery.provider == provider and recovery.party_name == provider.name
    # re-attributed to the customer before anything was recovered: the claim is cancelled
    services.complaint_verify(actor=user("xuhui_cs"), complaint_id=complaint.pk, notes="复核：客户自行改装",
                              responsible_party=ResponsibleParty.CUSTOMER)  # fmt: skip
    assert Recovery.objects.get(pk=recovery.pk).status == RecoveryStatus.CANCELLED


def test_no_recovery_when_we_are_responsible(complaint):
    compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=complaint.pk, amount="100")
    complaint = advance(complaint, "feedback_given")
    services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk,
                             **close_kwargs(responsible_party=ResponsibleParty.OUR_DEPARTMENT,
                                            responsible_detail="安装部"))  # fmt: skip
    assert not Recovery.objects.exists()


def test_out_of_scope_payout_is_not_found(complaint):
    with pytest.raises(services.NotFoundError):
        compensation.compensation_pay(actor=user("tianhe_cs"), complaint_id=complaint.pk, amount="10")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payouts_never_take_the_fund_below_zero():
    """CMP-8: ten parallel ¥300 payouts against ¥1000 — exactly three succeed, the rest are refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers)")
    from salesservice.core.demo import load_demo_org

    load_demo_org()
    top_up("1000")
    complaints = [make_complaint().pk for _ in range(10)]
    barrier = threading.Barrier(10)
    paid, refused, errors = [], [], []

    def worker(pk):
        try:
            barrier.wait()
            compensation.compensation_pay(actor=user("xuhui_cs"), complaint_id=pk, amount="300")
            paid.append(pk)
        except ConflictError as error:
            refused.append(error.code)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in complaints]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(paid) == 3 and refused == ["fund.insufficient"] * 7
    fund = CompensationFund.objects.get()
    assert fund.balance == Decimal("100.00")
    entries = CompensationEntry.objects.order_by("id")
    assert sum(e.signed_amount for e in entries) == fund.balance
    assert min(e.balance_after for e in entries) >= 0
