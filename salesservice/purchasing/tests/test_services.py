"""Purchasing services: every refusal (SUP-2, SUP-4, approval by amount, receipt and inspection rules,
SUP-7 put-away before inspection), partial acceptance raising a nonconformance (SUP-7/SUP-8) with the stock
landing in the right locations, execution figures (SUP-5), stale versions and scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from salesservice.core.exceptions import DomainError
from salesservice.core.policy import policy_set
from salesservice.documents.testing import approved_version
from salesservice.inspection.models import Nonconformance

from .. import services
from ..choices import OrderStatus as O
from ..choices import ReceiptStatus as R
from ..choices import RequisitionStatus as Q
from ..models import PurchaseOrder
from .factories import (
    TERMS,
    all_pass,
    approved_order,
    batch_product,
    checked_product,
    days,
    delist,
    inspect,
    make_order,
    make_receipt,
    qualified_supplier,
    receipt_lines,
    serial_product,
    storage_location,
    unlisted_supplier,
    user,
    warehouse,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def _code(excinfo):
    return excinfo.value.code


def _stock(lot, kind):
    """Units of `lot` in the warehouse's location of `kind`, read from the inventory ledger's quants."""
    from salesservice.inventory.models import StockQuant

    return sum(quant.quantity for quant in StockQuant.objects.filter(lot=lot, location__kind=kind))


# --- requisitions -------------------------------------------------------------------------------


def test_requisition_lifecycle_and_self_approval_refused():
    product = checked_product()
    requisition = services.requisition_create(
        actor=user("purchaser"), reason="库存不足", lines=[{"product": product, "quantity": 5, "needed_by": days(7)}]
    )
    assert requisition.status == Q.DRAFT and requisition.number.startswith("PR")
    services.requisition_submit(actor=user("purchaser"), requisition_id=requisition.pk)
    with pytest.raises(DomainError) as refused:
        services.requisition_approve(actor=user("purchaser"), requisition_id=requisition.pk)
    assert _code(refused) in ("permission_denied", "requisition.self_approval")
    services.requisition_approve(actor=user("purchasing_manager"), requisition_id=requisition.pk)
    order = make_order(products=[product], requisition=requisition)
    requisition.refresh_from_db()
    assert requisition.status == Q.ORDERED and order.requisition_id == requisition.pk


def test_requisition_reject_needs_a_reason():
    requisition = services.requisition_create(
        actor=user("purchaser"), lines=[{"product": checked_product(), "quantity": 1}]
    )
    services.requisition_submit(actor=user("purchaser"), requisition_id=requisition.pk)
    with pytest.raises(DomainError) as refused:
        services.requisition_reject(actor=user("purchasing_manager"), requisition_id=requisition.pk, reason=" ")
    assert _code(refused) == "requisition.reason_required"


# --- orders: SUP-2, SUP-4, approval by amount ---------------------------------------------------


def test_sup4_submit_refused_without_the_three_terms():
    """SUP-4: quality standard, acceptance method and return/exchange terms before submission (409)."""
    order = make_order(terms=False)
    with pytest.raises(DomainError) as refused:
        services.order_submit(actor=user("purchaser"), order_id=order.pk)
    assert _code(refused) == "purchase_order.terms_required" and refused.value.status_code == 409
    assert set(refused.value.fields) == {"quality_standard", "acceptance_method", "return_terms"}
    services.order_update(actor=user("purchaser"), order_id=order.pk, expected_version=order.version, **TERMS)
    assert services.order_submit(actor=user("purchaser"), order_id=order.pk).status == O.SUBMITTED


def test_sup2_off_list_supplier_refused_at_submit():
    """SUP-2: a supplier not on the approved qualified-supplier list cannot receive the order."""
    product = batch_product()
    order = make_order(products=[product], supplier=unlisted_supplier())
    with pytest.raises(DomainError) as refused:
        services.order_submit(actor=user("purchaser"), order_id=order.pk)
    assert _code(refused).startswith("supplier.") and refused.value.status_code == 409
    assert product.name in refused.value.message
    assert PurchaseOrder.objects.get(pk=order.pk).status == O.DRAFT


def test_sup2_product_not_covered_refused():
    """SUP-2: listed for one product, not for another — the uncovered line refuses the order."""
    covered, other = batch_product(), batch_product()
    supplier = qualified_supplier(covered)
    order = make_order(products=[covered, other], supplier=supplier)
    with pytest.raises(DomainError) as refused:
        services.order_submit(actor=user("purchaser"), order_id=order.pk)
    assert _code(refused).startswith("supplier.") and other.name in refused.value.message


def test_sup2_checked_again_at_approval():
    """SUP-2 at approval: the list may have changed since submission."""
    order = make_order()
    services.order_submit(actor=user("purchaser"), order_id=order.pk)
    delist(order.supplier)
    with pytest.raises(DomainError) as refused:
        services.order_approve(actor=user("purchasing_manager"), order_id=order.pk)
    assert _code(refused).startswith("supplier.")


def test_approval_by_amount_and_never_by_the_author():
    """SUP-4 review by amount: purchasing manager ≤ 50 000 元, general manager above; not the author."""
    small = make_order(quantity=10, price="100.00")  # 1 000 元
    services.order_submit(actor=user("purchaser"), order_id=small.pk)
    with pytest.raises(DomainError) as refused:
        services.order_approve(actor=user("purchaser"), order_id=small.pk)
    assert _code(refused) == "permission_denied"  # a purchaser holds no approval permission
    approved = services.order_approve(actor=user("purchasing_manager"), order_id=small.pk, note="同意")
    assert approved.status == O.APPROVED and approved.approved_by.username == "purchasing_manager"

    big = make_order(quantity=600, price="100.00")  # 60 000 元 > 50 000
    services.order_submit(actor=user("purchaser"), order_id=big.pk)
    with pytest.raises(DomainError) as refused:
        services.order_approve(actor=user("purchasing_manager"), order_id=big.pk)
    assert _code(refused) == "purchase_order.approval_limit"
    assert services.order_approve(actor=user("gm"), order_id=big.pk).status == O.APPROVED

    own = make_order(actor="purchasing_manager", quantity=1)
    services.order_submit(actor=user("purchasing_manager"), order_id=own.pk)
    with pytest.raises(DomainError) as refused:
        services.order_approve(actor=user("purchasing_manager"), order_id=own.pk)
    assert _code(refused) == "purchase_order.self_approval"


def test_approval_limit_is_a_policy_parameter():
    """SUP-4: the tier is `purchasing.approval_limit` (default 50 000 元), read through policy_value."""
    assert services.approval_limit() == Decimal("50000")
    policy_set(
        actor=None,
        key="purchasing.approval_limit",
        value="500",
        reason="测试：收紧限额",
        document_version=approved_version("SUP-4"),  # DOC-1
    )
    order = make_order(quantity=10, price="100.00")  # 1 000 元 > 500
    services.order_submit(actor=user("purchaser"), order_id=order.pk)
    with pytest.raises(DomainError) as refused:
        services.order_approve(actor=user("purchasing_manager"), order_id=order.pk)
    assert _code(refused) == "purchase_order.approval_limit"


def test_reject_returns_to_draft_and_cancel_needs_reason():
    order = make_order()
    services.order_submit(actor=user("purchaser"), order_id=order.pk)
    order = services.order_reject(actor=user("purchasing_manager"), order_id=order.pk, reason="单价偏高")
    assert order.status == O.DRAFT and order.status_reason == "单价偏高"
    with pytest.raises(DomainError) as refused:
        services.order_cancel(actor=user("purchaser"), order_id=order.pk, reason="")
    assert _code(refused) == "purchase_order.reason_required"
    assert services.order_cancel(actor=user("purchaser"), order_id=order.pk, reason="需求取消").status == O.CANCELLED


def test_update_stale_version_is_409():
    order = make_order()
    services.order_update(actor=user("purchaser"), order_id=order.pk, expected_version=order.version, note="改")
    with pytest.raises(DomainError) as refused:
        services.order_update(actor=user("purchaser"), order_id=order.pk, expected_version=order.version, note="再改")
    assert _code(refused) == "conflict.stale" and refused.value.status_code == 409


def test_order_not_editable_after_submit():
    order = make_order()
    services.order_submit(actor=user("purchaser"), order_id=order.pk)
    with pytest.raises(DomainError) as refused:
        services.order_update(actor=user("purchaser"), order_id=order.pk, note="x")
    assert _code(refused) == "purchase_order.not_editable"


# --- receipts --------------------------------------------------------------------------------------


def test_receipt_only_against_an_approved_order():
    order = make_order()
    with pytest.raises(DomainError) as refused:
        make_receipt(order)
    assert _code(refused) == "receipt.order_not_open"


def test_receipt_over_outstanding_refused():
    order = approved_order(quantity=10)
    with pytest.raises(DomainError) as refused:
        make_receipt(order, quantity=11)
    assert _code(refused) == "receipt.over_outstanding" and refused.value.status_code == 409


def test_prd3_lot_and_expiry_required_and_expired_goods_refused():
    """PRD-3: a batch-tracked, shelf-life product needs its lot and dates; expired goods are refused."""
    order = approved_order(quantity=10)
    with pytest.raises(DomainError) as refused:
        make_receipt(order, lot_number="")
    assert _code(refused) == "receipt.lot_required"
    with pytest.raises(DomainError) as refused:
        make_receipt(order, expiry_date=None)
    assert _code(refused) == "receipt.expiry_required"
    with pytest.raises(DomainError) as refused:
        make_receipt(order, production_date=days(-800), expiry_date=days(-1))
    assert _code(refused) == "receipt.expired"


def test_prd3_serials_required_one_per_unit():
    order = approved_order(products=[serial_product()], quantity=3)
    with pytest.raises(DomainError) as refused:
        make_receipt(order, serial_numbers=["A1", "A2"], quantity=3)
    assert _code(refused) == "receipt.serials_required"
    with pytest.raises(DomainError) as refused:
        make_receipt(order, serial_numbers=["A1", "A1", "A2"], quantity=3)
    assert _code(refused) == "receipt.serial_duplicate"


def test_goods_land_in_quarantine_and_order_is_received():
    """SUP-7: received goods sit in quarantine; the order counts them (SUP-5)."""
    order = approved_order(quantity=100)
    receipt = make_receipt(order)
    assert receipt.status == R.RECEIVED
    lot = receipt.lines.get().lots.get().lot
    assert _stock(lot, "quarantine") == 100 and _stock(lot, "storage") == 0
    order.refresh_from_db()
    line = order.lines.get()
    assert order.status == O.RECEIVED and line.received_quantity == 100 and line.first_received_at


def test_partial_receipt_then_rest():
    order = approved_order(quantity=100)
    make_receipt(order, quantity=40)
    order.refresh_from_db()
    assert order.status == O.PARTIALLY_RECEIVED and order.lines.get().outstanding == 60
    make_receipt(order, quantity=60, lot_number="B-second")
    order.refresh_from_db()
    assert order.status == O.RECEIVED


# --- inspection: SUP-6, SUP-7, SUP-8 ------------------------------------------------------------


def test_sup7_put_away_refused_before_inspection():
    """SUP-7: goods in quarantine are never put away before inspection."""
    order = approved_order(quantity=10)
    receipt = make_receipt(order)
    location = storage_location(receipt.warehouse)
    with pytest.raises(DomainError) as refused:
        services.receipt_put_away(actor=user("warehouse_clerk"), receipt_id=receipt.pk, location=location.pk)
    assert _code(refused) == "receipt.not_inspected" and refused.value.status_code == 409


def test_sup7_accepted_plus_rejected_must_equal_received():
    order = approved_order(quantity=10)
    receipt = make_receipt(order)
    line = receipt.lines.get()
    with pytest.raises(DomainError) as refused:
        services.receipt_inspect(
            actor=user("qa_inspector"),
            receipt_id=receipt.pk,
            lines=[{"line": line.pk, "accepted": 8, "rejected": 1, "note": "破损", "checks": all_pass(line)}],
        )
    assert _code(refused) == "receipt.quantity_mismatch" and refused.value.status_code == 409


def test_sup6_every_checklist_item_needs_a_result():
    order = approved_order(quantity=10)
    receipt = make_receipt(order)
    line = receipt.lines.get()
    with pytest.raises(DomainError) as refused:
        services.receipt_inspect(
            actor=user("qa_inspector"),
            receipt_id=receipt.pk,
            lines=[{"line": line.pk, "accepted": 10, "rejected": 0, "checks": all_pass(line)[:2]}],
        )
    assert _code(refused) == "receipt.checklist_incomplete"


def test_only_qa_inspects():
    receipt = make_receipt(approved_order(quantity=10))
    with pytest.raises(DomainError) as refused:
        inspect(receipt, actor="warehouse_clerk")
    assert _code(refused) == "permission_denied"


def test_partial_acceptance_raises_an_nc_and_stock_lands_right():
    """SUP-7/SUP-8: accept 95, reject 5 — 95 to staging, 5 to the rejected location linked to a
    receiving nonconformance; purchasers are told to settle with the supplier; SUP-5 figures updated."""
    from salesservice.core.models import Notification

    order = approved_order(quantity=100)
    receipt = make_receipt(order)
    receipt = inspect(receipt, rejected=5)
    line = receipt.lines.get()
    lot = line.lots.get().lot
    assert receipt.status == R.INSPECTED and line.accepted_quantity == 95 and line.rejected_quantity == 5
    assert _stock(lot, "quarantine") == 0 and _stock(lot, "staging") == 95 and _stock(lot, "rejected") == 5
    nc = line.nonconformance
    assert nc.source == "receiving" and nc.quantity == 5 and nc.batch_number == line.lot_number
    assert receipt.number in nc.description and order.supplier.name in nc.description
    assert line.checks.count() == 4
    assert Notification.objects.filter(recipient__username="purchaser", title__contains="协商").exists()
    order.refresh_from_db()
    order_line = order.lines.get()
    # The 5 rejected are owed again: the order is reopened, 5 outstanding.
    assert order.status == O.PARTIALLY_RECEIVED and order_line.outstanding == 5
    assert order_line.accepted_quantity == 95 and order_line.quality_rate == 0.95

    location = storage_location(receipt.warehouse)
    receipt = services.receipt_put_away(
        actor=user("warehouse_clerk"), receipt_id=receipt.pk, lines=[{"line": line.pk, "location": location.pk}]
    )
    assert receipt.status == R.PUT_AWAY
    assert _stock(lot, "staging") == 0 and _stock(lot, "storage") == 95 and _stock(lot, "rejected") == 5


def test_rejected_serials_must_be_named():
    order = approved_order(products=[serial_product()], quantity=3)
    receipt = make_receipt(order)
    line = receipt.lines.get()
    with pytest.raises(DomainError) as refused:
        inspect(receipt, rejected=1, rejected_serials=["NOPE"])
    assert _code(refused) == "receipt.rejected_serials"
    bad = line.serial_numbers[1]
    receipt = inspect(receipt, rejected=1, rejected_serials=[bad])
    rejected_lots = [rl.lot.serial_number for rl in receipt.lines.get().lots.all() if rl.rejected]
    assert rejected_lots == [bad]


def test_nc_disposition_moves_the_rejected_stock():
    """SUP-8 with inventory: closing the receiving NC with 退供方 takes the rejected units out."""
    from salesservice.inspection.services import nonconformance_close, nonconformance_dispose

    receipt = inspect(make_receipt(approved_order(quantity=20)), rejected=2)
    line = receipt.lines.get()
    lot = line.lots.get().lot
    nc = Nonconformance.objects.get(pk=line.nonconformance_id)
    nonconformance_dispose(actor=user("qa_inspector"), nonconformance_id=nc.pk, disposition="return_to_supplier")
    nonconformance_close(actor=user("qa_inspector"), nonconformance_id=nc.pk, note="已退回供方")
    assert _stock(lot, "rejected") == 0 and _stock(lot, "staging") == 18


def test_close_short_needs_a_reason():
    order = approved_order(quantity=10)
    make_receipt(order, quantity=6)
    with pytest.raises(DomainError) as refused:
        services.order_close(actor=user("purchaser"), order_id=order.pk)
    assert _code(refused) == "purchase_order.reason_required"
    assert services.order_close(actor=user("purchaser"), order_id=order.pk, reason="供方停产").status == O.CLOSED


# --- SUP-5 metrics provider ----------------------------------------------------------------------


def test_sup5_metrics_provider_figures():
    """SUP-5 → SUP-1: the registered provider answers received/accepted, on-time and complete lines, NCs."""
    from salesservice.suppliers import metrics as supplier_metrics

    from ..metrics import execution_figures

    assert execution_figures in supplier_metrics.sources()
    product = batch_product()
    supplier = qualified_supplier(product)
    order = approved_order(products=[product], supplier=supplier, quantity=100)
    inspect(make_receipt(order), rejected=5)
    late = approved_order(products=[product], supplier=supplier, quantity=10, due_in=-3)
    inspect(make_receipt(late))
    today = timezone.localdate()
    figures = execution_figures(supplier, today - dt.timedelta(days=1), today)
    assert figures == {
        "received_quantity": 110,
        "accepted_quantity": 105,
        "due_lines": 2,
        "on_time_lines": 1,
        "complete_lines": 1,  # the first still owes the 5 rejected
        "nc_count": 1,
    }
    assert execution_figures(supplier, today - dt.timedelta(days=30), today - dt.timedelta(days=10)) is None


# --- scope ------------------------------------------------------------------------------------------


def test_store_user_cannot_reach_an_order():
    order = make_order()
    with pytest.raises(DomainError) as refused:
        services.order_submit(actor=user("xuhui_manager"), order_id=order.pk)
    assert _code(refused) in ("permission_denied", "purchase_order.not_found")


def test_requisition_scope_another_unit_is_404():
    """INF-1: a store sees its own requisitions; purchasing (HQ) sees all; another unit's record is 404."""
    from ..models import PurchaseRequisition

    mine = services.requisition_create(
        actor=user("xuhui_manager"), lines=[{"product": checked_product(), "quantity": 2}]
    )
    assert mine.org_unit.code == "sh-xuhui"
    assert PurchaseRequisition.objects.visible_to(user("purchaser")).filter(pk=mine.pk).exists()
    theirs = services.requisition_create(actor=user("purchaser"), lines=[{"product": checked_product(), "quantity": 2}])
    with pytest.raises(DomainError) as refused:
        services.requisition_submit(actor=user("xuhui_manager"), requisition_id=theirs.pk)
    assert _code(refused) == "requisition.not_found" and refused.value.status_code == 404


def test_receipt_lines_helper_matches_tracking():
    order = approved_order(products=[batch_product(), serial_product()], quantity=2)
    lines = receipt_lines(order)
    assert lines[0]["lot_number"] and len(lines[1]["serial_numbers"]) == 2
    assert warehouse().code == "WH-T"
