"""Stock count 库存盘点 on the workflow kernel (INV-2): a variance needs a reason and an approval by someone
other than the counter before the ledger is adjusted."""

import pytest

from salesservice.core.exceptions import DomainError

from .. import counts, services
from ..choices import LocationKind, MoveKind
from ..choices import StockCountStatus as C
from ..models import StockMove, StockQuant
from .factories import batch_product, stocked, storage_location, warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _org(demo):
    return demo


def refused(code, call, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def counting(users, **kwargs):
    clerk = users["warehouse_clerk"]
    count = counts.stock_count_create(actor=clerk, warehouse=warehouse(), **kwargs)
    return counts.stock_count_start(actor=clerk, count_id=count.pk)


def test_a_variance_waits_for_reason_and_approval_before_the_ledger_moves(users):
    """INV-2: short 2 on one lot, found 1 more of another; submit needs reasons; the approver posts them."""
    clerk, gm = users["warehouse_clerk"], users["gm"]
    product = batch_product()
    short = stocked(product, 10, lot_number="A")
    extra = stocked(product, 5, lot_number="B")
    count = counting(users, location=storage_location(warehouse()))
    assert count.status == C.COUNTING
    lines = {line.lot_id: line for line in count.lines.all()}
    assert {lot: line.system_quantity for lot, line in lines.items()} == {short.pk: 10, extra.pk: 5}
    refused("inventory.count_incomplete", counts.stock_count_submit, actor=clerk, count_id=count.pk)
    counts.stock_count_record(
        actor=clerk,
        count_id=count.pk,
        lines=[
            {"line": lines[short.pk].pk, "counted_quantity": 8},
            {"line": lines[extra.pk].pk, "counted_quantity": 6},
        ],
    )
    refused("inventory.count_reason_required", counts.stock_count_submit, actor=clerk, count_id=count.pk)
    counts.stock_count_record(
        actor=clerk,
        count_id=count.pk,
        lines=[
            {"line": lines[short.pk].pk, "counted_quantity": 8, "reason": "破损 2 件"},
            {"line": lines[extra.pk].pk, "counted_quantity": 6, "reason": "上次上架漏记"},
        ],
    )
    counts.stock_count_submit(actor=clerk, count_id=count.pk)
    assert StockMove.objects.filter(kind=MoveKind.COUNT).count() == 0  # nothing posted before approval
    refused("permission_denied", counts.stock_count_approve, actor=clerk, count_id=count.pk)
    approved = counts.stock_count_approve(actor=gm, count_id=count.pk, note="同意")
    assert approved.status == C.APPROVED and approved.approved_by == gm
    storage = {q.lot_id: q.quantity for q in StockQuant.objects.filter(location__kind=LocationKind.STORAGE)}
    assert storage == {short.pk: 8, extra.pk: 6}
    posted = StockMove.objects.filter(kind=MoveKind.COUNT).order_by("lot_id")
    assert [(m.lot_id, m.quantity, m.from_location_id is not None, m.actor) for m in posted] == [
        (short.pk, 2, True, gm),
        (extra.pk, 1, False, gm),
    ]
    assert posted[0].reference_number == approved.number and posted[0].note == "破损 2 件"


def test_the_counter_cannot_approve_their_own_count(users):
    admin = users["admin"]
    stocked(batch_product(), 3)
    count = counts.stock_count_create(actor=admin, warehouse=warehouse())
    counts.stock_count_start(actor=admin, count_id=count.pk)
    line = count.lines.get()
    counts.stock_count_record(actor=admin, count_id=count.pk, lines=[{"line": line.pk, "counted_quantity": 3}])
    counts.stock_count_submit(actor=admin, count_id=count.pk)
    error = refused("inventory.count_self_approval", counts.stock_count_approve, actor=admin, count_id=count.pk)
    assert error.status_code == 409


def test_return_for_recount_needs_a_reason_and_cancel_ends_it(users):
    clerk, gm = users["warehouse_clerk"], users["gm"]
    stocked(batch_product(), 3)
    count = counting(users)
    line = count.lines.get()
    counts.stock_count_record(actor=clerk, count_id=count.pk, lines=[{"line": line.pk, "counted_quantity": 3}])
    counts.stock_count_submit(actor=clerk, count_id=count.pk)
    refused("inventory.count_return_reason_required", counts.stock_count_return, actor=gm, count_id=count.pk, reason="")
    returned = counts.stock_count_return(actor=gm, count_id=count.pk, reason="B 区复盘")
    assert returned.status == C.COUNTING
    cancelled = counts.stock_count_cancel(actor=clerk, count_id=count.pk, reason="改期")
    assert cancelled.status == C.CANCELLED
    refused("status.invalid_transition", counts.stock_count_start, actor=clerk, count_id=count.pk)


def test_a_loss_below_what_is_reserved_is_refused_and_nothing_is_posted(users):
    clerk, gm = users["warehouse_clerk"], users["gm"]
    product = batch_product()
    stocked(product, 5)
    count = counting(users)
    services.allocate(actor=clerk, product=product, quantity=4, reference="SO-9")
    line = count.lines.get()
    counts.stock_count_record(
        actor=clerk, count_id=count.pk, lines=[{"line": line.pk, "counted_quantity": 2, "reason": "丢失"}]
    )
    counts.stock_count_submit(actor=clerk, count_id=count.pk)
    refused("inventory.below_reserved", counts.stock_count_approve, actor=gm, count_id=count.pk)
    assert not StockMove.objects.filter(kind=MoveKind.COUNT).exists()


def test_start_refuses_an_empty_scope_and_stale_versions(users):
    clerk = users["warehouse_clerk"]
    count = counts.stock_count_create(actor=clerk, warehouse=warehouse())
    refused("inventory.count_no_lines", counts.stock_count_start, actor=clerk, count_id=count.pk)
    refused("conflict.stale", counts.stock_count_start, actor=clerk, count_id=count.pk, expected_version=99)
