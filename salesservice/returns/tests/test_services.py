"""RET-2: the return request's flow — every transition, every refusal, and what each one records.
SUP-8: a quality return opens a nonconformance record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.core.exceptions import DomainError, InvalidTransition, PermissionDeniedError
from salesservice.core.models import Event
from salesservice.inspection.choices import NonconformanceSource
from salesservice.inspection.models import Nonconformance

from .. import services
from ..choices import EventType, GoodsCondition, Outcome, ReturnReason, SaleChannel
from ..choices import ReturnStatus as R
from ..models import ReturnRequest
from .factories import CustomerFactory, ProductFactory, advance, make_return, store, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def events(request):
    return list(
        Event.objects.filter(target_id=str(request.pk), event_type__startswith="returns.")
        .order_by("id")
        .values_list("event_type", flat=True)
    )


def test_create_numbers_the_request_and_snapshots_the_eligibility():
    request = make_return(purchased_days_ago=3)
    assert request.number.startswith("RT-" + timezone.localdate().strftime("%Y%m%d") + "-")
    assert request.status == R.REQUESTED and request.store == store("sh-xuhui")
    assert request.eligible and request.eligible_outcome == Outcome.REFUND
    assert request.eligibility["rule_cited"] == request.rule_cited
    assert request.eligibility["reasons"] == [] and "evaluated_at" in request.eligibility
    assert request.handler == user("xuhui_cs")
    assert events(request) == [EventType.REQUESTED]


def test_an_ineligible_request_is_recorded_with_its_reasons():
    request = make_return(purchased_days_ago=20)
    assert not request.eligible
    assert request.eligibility["reasons"][0]["code"] == "returns.no_reason_expired"


def test_create_refuses_customer_out_of_scope_and_bad_input():
    other = CustomerFactory(store=store("gz-tianhe"))
    with pytest.raises(DomainError) as error:
        make_return(customer=other)
    assert error.value.code == "returns.customer_not_found"
    with pytest.raises(DomainError) as error:
        make_return(sale_channel="shop")
    assert error.value.code == "returns.invalid_sale_channel"
    with pytest.raises(DomainError) as error:
        make_return(purchased_days_ago=-2)
    assert error.value.code == "returns.purchase_in_future"
    assert ReturnRequest.objects.count() == 0


def test_create_needs_the_add_permission():
    with pytest.raises(PermissionDeniedError):
        make_return(actor="warehouse_clerk")


def test_full_happy_path_records_each_step_and_the_handling_time():
    request = make_return()
    closed = advance(request, "closed")
    assert closed.status == R.CLOSED and closed.resolution == R.REFUNDED
    assert closed.refund_amount == Decimal("100.00")
    assert closed.decided_by == user("xuhui_manager") and closed.received_by == user("warehouse_clerk")
    assert closed.inspected_by == user("qa_inspector") and closed.closed_by == user("xuhui_cs")
    assert closed.handling_seconds is not None and closed.handling_seconds >= 0
    assert events(closed) == [
        EventType.REQUESTED,
        EventType.APPROVED,
        EventType.GOODS_RECEIVED,
        EventType.INSPECTED,
        EventType.REFUNDED,
        EventType.CLOSED,
    ]


def test_approval_needs_the_approve_permission():
    request = make_return()
    with pytest.raises(PermissionDeniedError):
        services.return_approve(actor=user("xuhui_cs"), return_id=request.pk)


def test_ineligible_request_is_approved_only_with_an_override_reason():
    request = make_return(purchased_days_ago=30)
    with pytest.raises(DomainError) as error:
        services.return_approve(actor=user("xuhui_manager"), return_id=request.pk)
    assert error.value.code == "returns.override_reason_required"
    assert ReturnRequest.objects.get(pk=request.pk).status == R.REQUESTED
    approved = services.return_approve(
        actor=user("xuhui_manager"), return_id=request.pk, override_reason="VIP 客户特批"
    )
    assert approved.status == R.APPROVED and approved.override_reason == "VIP 客户特批"
    assert EventType.OVERRIDDEN in events(approved)


def test_reject_needs_a_reason_and_is_final():
    request = make_return()
    with pytest.raises(DomainError) as error:
        services.return_reject(actor=user("xuhui_manager"), return_id=request.pk, reason="  ")
    assert error.value.code == "returns.reason_required"
    rejected = advance(request, "rejected")
    assert rejected.status == R.REJECTED and rejected.rejection_reason == "不符合规定"
    with pytest.raises(InvalidTransition):
        services.return_approve(actor=user("xuhui_manager"), return_id=request.pk)


def test_cancel_only_before_goods_are_received():
    request = make_return()
    assert advance(request, "cancelled").status == R.CANCELLED
    other = advance(make_return(), "goods_received")
    with pytest.raises(InvalidTransition) as error:
        services.return_cancel(actor=user("xuhui_cs"), return_id=other.pk, reason="撤回")
    assert error.value.code == "status.invalid_transition"


def test_goods_cannot_be_received_before_approval():
    request = make_return()
    with pytest.raises(InvalidTransition):
        services.return_receive(actor=user("warehouse_clerk"), return_id=request.pk, condition=GoodsCondition.UNOPENED)


def test_customer_damage_on_receipt_needs_a_negotiated_outcome():
    request = advance(make_return(reason=ReturnReason.QUALITY), "approved")
    with pytest.raises(DomainError) as error:
        services.return_receive(
            actor=user("warehouse_clerk"), return_id=request.pk, condition=GoodsCondition.DAMAGED_BY_CUSTOMER
        )
    assert error.value.code == "returns.negotiated_outcome_required"
    assert ReturnRequest.objects.get(pk=request.pk).status == R.APPROVED
    received = services.return_receive(
        actor=user("warehouse_clerk"),
        return_id=request.pk,
        condition=GoodsCondition.DAMAGED_BY_CUSTOMER,
        negotiated_outcome="客户承担维修费 50%，我方免费检测",
    )
    assert received.status == R.GOODS_RECEIVED and received.negotiated_outcome.startswith("客户承担")


def test_quality_inspection_opens_a_nonconformance():
    product = ProductFactory()
    request = make_return(reason=ReturnReason.QUALITY, product=product, serial_number="SN-001", batch_number="B2026")
    inspected = advance(request, "inspected", quality_problem=True)
    assert inspected.quality_problem is True
    nc = Nonconformance.objects.get(source_return=inspected)
    assert nc.source == NonconformanceSource.RETURN and nc.product == product and nc.org_unit == store("sh-xuhui")
    assert nc.serial_number == "SN-001" and nc.batch_number == "B2026" and nc.status == "open"
    assert nc.number.startswith("NC-")


def test_inspection_without_quality_problem_opens_no_nonconformance():
    advance(make_return(), "inspected", quality_problem=False)
    assert Nonconformance.objects.count() == 0


def test_inspection_needs_findings():
    request = advance(make_return(), "goods_received")
    with pytest.raises(DomainError) as error:
        services.return_inspect(actor=user("qa_inspector"), return_id=request.pk, quality_problem=True, findings="")
    assert error.value.code == "returns.findings_required"
    assert Nonconformance.objects.count() == 0


def test_refund_needs_a_positive_amount():
    request = advance(make_return(), "inspected")
    for amount in ("0", "-5", "abc", None):
        with pytest.raises(DomainError) as error:
            services.return_refund(actor=user("xuhui_cs"), return_id=request.pk, amount=amount)
        assert error.value.code == "returns.invalid_amount"
    assert ReturnRequest.objects.get(pk=request.pk).status == R.INSPECTED


def test_exchange_records_the_replacement_serial():
    request = advance(make_return(reason=ReturnReason.QUALITY, requested_kind="exchange"), "inspected")
    with pytest.raises(DomainError):
        services.return_exchange(actor=user("xuhui_cs"), return_id=request.pk, replacement_serial="")
    exchanged = services.return_exchange(actor=user("xuhui_cs"), return_id=request.pk, replacement_serial="SN-NEW-9")
    assert exchanged.status == R.EXCHANGED and exchanged.resolution == R.EXCHANGED
    assert exchanged.replacement_serial == "SN-NEW-9"


def test_repair_needs_what_was_done():
    request = advance(make_return(reason=ReturnReason.QUALITY, requested_kind="repair"), "inspected")
    with pytest.raises(DomainError):
        services.return_repair(actor=user("xuhui_cs"), return_id=request.pk, note="")
    repaired = services.return_repair(actor=user("xuhui_cs"), return_id=request.pk, note="更换主板")
    assert repaired.status == R.REPAIRED
    assert services.return_close(actor=user("xuhui_cs"), return_id=request.pk).status == R.CLOSED


def test_closing_right_after_inspection_needs_a_note():
    request = advance(make_return(), "inspected")
    with pytest.raises(DomainError) as error:
        services.return_close(actor=user("xuhui_cs"), return_id=request.pk)
    assert error.value.code == "returns.closing_note_required"
    closed = services.return_close(actor=user("xuhui_cs"), return_id=request.pk, note="检测无故障，原物退回客户")
    assert closed.status == R.CLOSED and closed.resolution == ""


def test_resolution_only_after_inspection():
    request = advance(make_return(), "goods_received")
    with pytest.raises(InvalidTransition):
        services.return_refund(actor=user("xuhui_cs"), return_id=request.pk, amount="10")


def test_out_of_scope_actor_gets_not_found():
    request = make_return()
    with pytest.raises(DomainError) as error:
        services.return_cancel(actor=user("tianhe_cs"), return_id=request.pk, reason="x")
    assert error.value.status_code == 404


def test_stale_version_is_refused():
    request = make_return()
    with pytest.raises(DomainError) as error:
        services.return_approve(actor=user("xuhui_manager"), return_id=request.pk, expected_version=request.version + 1)
    assert error.value.code == "conflict.stale"


def test_handling_time_is_measured_from_request_to_close():
    requested = timezone.now() - dt.timedelta(hours=30)
    request = make_return(at=requested)
    manager, cs = user("xuhui_manager"), user("xuhui_cs")
    services.return_approve(actor=manager, return_id=request.pk, at=requested + dt.timedelta(hours=1))
    services.return_receive(
        actor=user("warehouse_clerk"), return_id=request.pk, condition="unopened", at=requested + dt.timedelta(hours=2)
    )
    services.return_inspect(
        actor=user("qa_inspector"),
        return_id=request.pk,
        quality_problem=False,
        findings="完好",
        at=requested + dt.timedelta(hours=3),
    )
    services.return_refund(actor=cs, return_id=request.pk, amount="99", at=requested + dt.timedelta(hours=4))
    closed = services.return_close(actor=cs, return_id=request.pk, at=requested + dt.timedelta(hours=24))
    assert closed.handling_seconds == 24 * 3600  # the default SLA calendar is 24×7


def test_sale_channel_in_store_no_reason_is_recorded_ineligible():
    request = make_return(sale_channel=SaleChannel.IN_STORE)
    assert not request.eligible and request.eligibility["reasons"][0]["code"] == "returns.no_reason_in_store"
