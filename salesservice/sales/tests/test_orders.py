"""Sales orders: review (SAL-5, BUY-1, PRD-1), confirmation and progress schedule (SAL-7), allocation FEFO
never oversold (SAL-6), cancellation, receivables and payments (DEL-5), rep authorisation flag (BUY-2)."""

from decimal import Decimal

import pytest

from salesservice.catalog.tests.factories import RestrictionFactory
from salesservice.core.exceptions import DomainError, PermissionDeniedError
from salesservice.inventory.models import Allocation, StockQuant

from .. import services
from ..choices import OrderStatus, ProgressStep
from ..models import OrderStep
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(demo):
    product = f.device()
    f.stock(product, 10, lot_number="L-LATE", expiry=f.days(600))
    f.stock(product, 3, lot_number="L-SOON", expiry=f.days(90), location_code="A-02")
    return f.hospital(), product


def test_review_passes_for_a_qualified_hospital_and_records_findings(setup):
    """SAL-5: buyer, product, price, stock and credit are checked and kept on the order."""
    customer, product = setup
    order = f.order(customer, [(product, 2)])
    order = f.reviewed(order)
    assert order.status == OrderStatus.REVIEWED
    checks = {finding["check"] for finding in order.review_findings}
    assert {"price", "stock", "credit"} <= checks
    assert all(finding["ok"] for finding in order.review_findings if finding["check"] in ("price", "stock"))


def test_review_refuses_an_unqualified_buyer(setup):
    """BUY-1 at order review: a clinic whose licence expired is refused with 409 and every reason."""
    _, product = setup
    clinic = f.hospital(name="某诊所", valid_until=f.days(-1))
    order = f.order(clinic, [(product, 1)])
    with pytest.raises(DomainError) as refused:
        f.reviewed(order)
    assert refused.value.code == "sales_order.buyer_unqualified"
    assert refused.value.status_code == 409
    assert refused.value.fields["reasons"][0]["code"].startswith("qualification.")
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_review_refuses_a_class_outside_the_licence(setup):
    """BUY-1: a licence covering class II only does not cover a class III device."""
    _, product = setup
    customer = f.hospital(classes="II", name="二类医院")
    with pytest.raises(DomainError) as refused:
        f.reviewed(f.order(customer, [(product, 1)]))
    assert refused.value.code == "sales_order.buyer_unqualified"


def test_review_refuses_an_unsellable_product(setup, users):
    """PRD-1 at order review: a QA restriction 禁售 refuses the order."""
    customer, product = setup
    RestrictionFactory(product=product, set_by=users["qa_inspector"])
    with pytest.raises(DomainError) as refused:
        f.reviewed(f.order(customer, [(product, 1)]))
    assert refused.value.code == "sales_order.unsellable"


def test_review_refuses_an_unapproved_discount_and_accepts_it_with_a_quotation(setup, users):
    """SAL-5 price: 20 % off needs an approved quotation (or a signed contract); SAL-2 discount bands."""
    customer, product = setup
    with pytest.raises(DomainError) as refused:
        f.reviewed(f.order(customer, [(product, 1, Decimal("8000"))]))
    assert refused.value.code == "sales_order.price_unapproved"
    quotation = services.quotation_create(
        actor=users["sales_rep"],
        customer=customer,
        lines=[{"product": product, "quantity": 1, "unit_price": Decimal("8000")}],
    )
    services.quotation_submit(actor=users["sales_rep"], quotation_id=quotation.pk)
    quotation.refresh_from_db()
    assert quotation.status == "pending_approval" and quotation.approval_level == 2
    with pytest.raises(PermissionDeniedError):
        services.quotation_approve(actor=users["xuhui_manager"], quotation_id=quotation.pk)
    services.quotation_approve(actor=users["gm"], quotation_id=quotation.pk)
    order = f.reviewed(f.order(customer, [(product, 1, Decimal("8000"))]))
    assert order.status == OrderStatus.REVIEWED


def test_the_person_who_entered_the_order_cannot_review_it(setup):
    customer, product = setup
    order = f.order(customer, [(product, 1)], actor="xuhui_manager")
    with pytest.raises(PermissionDeniedError) as refused:
        f.reviewed(order, reviewer="xuhui_manager")
    assert refused.value.code == "sales_order.self_review"


def test_confirm_builds_the_progress_schedule(setup):
    """SAL-7: confirmation with the customer starts the schedule; review and confirm are done."""
    customer, product = setup
    order = f.confirmed(f.reviewed(f.order(customer, [(product, 1)])))
    steps = {s.step: s for s in OrderStep.objects.filter(order=order)}
    assert set(steps) == set(ProgressStep.values)
    assert steps["review"].done_at and steps["confirm"].done_at and steps["allocate"].done_at is None


def test_allocate_fefo_and_shipping_notice(setup):
    """SAL-6: allocation takes the earliest-expiring lot first and tells the warehouse."""
    customer, product = setup
    order = f.allocated(f.confirmed(f.reviewed(f.order(customer, [(product, 5)]))))
    assert order.status == OrderStatus.ALLOCATED and order.processing_hours is not None
    lots = list(
        Allocation.objects.filter(reference_id=str(order.pk)).order_by("id").values_list("lot__lot_number", "quantity")
    )
    assert lots == [("L-SOON", 3), ("L-LATE", 2)]
    assert OrderStep.objects.get(order=order, step="allocate").done_at is not None
    from salesservice.core.models import Notification

    assert Notification.objects.filter(recipient__username="warehouse_clerk", title__contains=order.number).exists()


def test_allocate_refuses_a_shortfall_and_reserves_nothing(setup):
    """SAL-6 never oversold: 14 of 13 refuses the whole order."""
    customer, product = setup
    order = f.confirmed(f.reviewed(f.order(customer, [(product, 13)])))
    second = f.confirmed(f.reviewed(f.order(customer, [(product, 1)])))
    f.allocated(order)
    with pytest.raises(DomainError) as refused:
        f.allocated(second)
    assert refused.value.code == "inventory.insufficient_stock"
    assert sum(StockQuant.objects.filter(product=product).values_list("reserved", flat=True)) == 13


def test_allocate_asks_the_gate_again(setup):
    """BUY-1 again at allocation: the licence expired between review and allocation."""
    customer, product = setup
    order = f.confirmed(f.reviewed(f.order(customer, [(product, 1)])))
    customer.qualifications.update(valid_until=f.days(-1))
    with pytest.raises(DomainError) as refused:
        f.allocated(order)
    assert refused.value.code == "sales_order.buyer_unqualified"


def test_cancel_releases_the_allocation(setup, users):
    customer, product = setup
    order = f.allocated(f.confirmed(f.reviewed(f.order(customer, [(product, 4)]))))
    services.order_cancel(actor=users["sales_rep"], order_id=order.pk, reason="客户取消")
    assert sum(StockQuant.objects.filter(product=product).values_list("reserved", flat=True)) == 0
    with pytest.raises(DomainError):
        services.order_cancel(actor=users["sales_rep"], order_id=order.pk, reason="再取消")


def test_delivered_order_becomes_a_receivable_paid_then_closed(setup, users):
    """DEL-5: delivery creates the receivable; a payment above what is owed is refused; paid → closable."""
    customer, product = setup
    order = f.allocated(f.confirmed(f.reviewed(f.order(customer, [(product, 1)]))))
    from django.db import transaction

    from ..common import get_scoped
    from ..models import SalesOrder

    with transaction.atomic():
        locked = get_scoped(SalesOrder, None, order.pk)
        services.order_mark_shipped(actor=None, order=locked)
        services.order_mark_delivered(actor=None, order=locked)
    receivable = order.receivables.get()
    assert receivable.amount == Decimal("10000.00")
    with pytest.raises(DomainError) as refused:
        services.order_close(actor=users["sales_rep"], order_id=order.pk)
    assert refused.value.code == "sales_order.unpaid"
    with pytest.raises(DomainError):
        services.payment_record(actor=users["sales_rep"], receivable_id=receivable.pk, amount="10000.01")
    services.payment_record(actor=users["sales_rep"], receivable_id=receivable.pk, amount="10000", method="transfer")
    receivable.refresh_from_db()
    assert receivable.paid_at is not None
    assert OrderStep.objects.get(order=order, step="payment").done_at is not None
    services.order_close(actor=users["sales_rep"], order_id=order.pk)


def test_overdue_payments_and_late_steps_are_reminded_once(setup, users):
    """SAL-7 late steps and DEL-5 overdue payments reach their owners once."""
    import datetime as dt

    from django.utils import timezone

    customer, product = setup
    f.confirmed(f.reviewed(f.order(customer, [(product, 1)])))
    later = timezone.now() + dt.timedelta(days=3)
    assert services.steps_remind_late(later) >= 1
    assert services.steps_remind_late(later) == 0


def test_other_store_cannot_see_or_act(setup, users):
    """INF-1: a 天河 user gets 404 on a 徐汇 customer's order."""
    from salesservice.core.exceptions import NotFoundError

    customer, product = setup
    order = f.order(customer, [(product, 1)])
    with pytest.raises(NotFoundError):
        services.order_cancel(actor=users["tianhe_cs"], order_id=order.pk, reason="x")
