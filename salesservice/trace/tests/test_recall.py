"""TRC-2 recall: a campaign over the affected lots freezes them and builds one task per customer with the shipped
quantities; recovery never exceeds what was shipped; the campaign closes only when every task is closed; the
reconciliation holds: shipped = recovered + outstanding."""

import pytest

from salesservice.core.exceptions import DomainError, NotFoundError
from salesservice.core.models import Notification

from .. import selectors, services
from ..choices import RecallStatus, RecallTaskStatus
from . import factories as f

pytestmark = pytest.mark.django_db


def _launched(quantities=(10, 20, 5)):
    lot, buyers = f.lot_to_three_customers(quantities)
    qa = f.user("qa_inspector")
    campaign = services.recall_create(
        actor=qa, title="灭菌不合格召回", reason="灭菌验证记录缺失", lots=[lot], level="1"
    )
    services.recall_launch(actor=qa, recall_id=campaign.pk)
    campaign.refresh_from_db()
    return campaign, lot, buyers


def test_launch_builds_one_task_per_customer_with_shipped_quantities(demo):
    """TRC-2: launch → one task per customer who received the lot, with its shipped quantity; assignees told."""
    campaign, lot, buyers = _launched()
    assert campaign.status == RecallStatus.OPEN and campaign.number.startswith("RC-")
    tasks = {task.customer_id: task for task in campaign.tasks.all()}
    assert {pk: task.shipped_quantity for pk, task in tasks.items()} == {
        buyers[0].pk: 10,
        buyers[1].pk: 20,
        buyers[2].pk: 5,
    }
    assert all(task.status == RecallTaskStatus.OPEN and task.due_at for task in tasks.values())
    assert Notification.objects.filter(kind="trace.recall_task").exists()


def test_lots_are_held_after_launch(demo):
    """TRC-2: the affected lot is frozen (never allocated again)."""
    campaign, lot, _buyers = _launched()
    lot.refresh_from_db()
    assert lot.held and campaign.number in lot.hold_reason
    assert campaign.recall_lots.get().held_by_recall


def test_launch_refused_when_nobody_received_the_lot(demo):
    lot = f.stocked_lot(f.device(), lot_number="TRC-NONE")
    qa = f.user("qa_inspector")
    campaign = services.recall_create(actor=qa, title="x", reason="y", lots=[lot])
    with pytest.raises(DomainError) as refused:
        services.recall_launch(actor=qa, recall_id=campaign.pk)
    assert refused.value.code == "recall.not_shipped" and refused.value.status_code == 409


def test_recover_over_shipped_is_refused(demo):
    """TRC-2: recovery cannot exceed shipped − already recovered (409)."""
    campaign, _lot, buyers = _launched()
    task = campaign.tasks.get(customer=buyers[2])  # shipped 5
    services.task_recover(actor=f.user("xuhui_manager"), task_id=task.pk, quantity=3)
    with pytest.raises(DomainError) as refused:
        services.task_recover(actor=f.user("xuhui_manager"), task_id=task.pk, quantity=3)
    assert refused.value.code == "recall_task.over_recovery" and refused.value.status_code == 409
    task.refresh_from_db()
    assert task.recovered_quantity == 3 and task.status == RecallTaskStatus.CONTACTED


def test_close_refused_while_tasks_open_then_allowed(demo):
    """TRC-2: a recall closes only when every task is done or unreachable."""
    campaign, _lot, _buyers = _launched()
    qa = f.user("qa_inspector")
    with pytest.raises(DomainError) as refused:
        services.recall_close(actor=qa, recall_id=campaign.pk)
    assert refused.value.code == "recall.tasks_open"
    tasks = list(campaign.tasks.order_by("pk"))
    services.task_recover(actor=qa, task_id=tasks[0].pk, quantity=tasks[0].shipped_quantity)
    services.task_contact(actor=qa, task_id=tasks[1].pk, note="已告知")
    services.task_complete(actor=qa, task_id=tasks[1].pk, note="客户已就地销毁，附销毁记录")
    services.task_unreachable(actor=qa, task_id=tasks[2].pk, note="电话三次未接通，地址已搬迁")
    services.recall_close(actor=qa, recall_id=campaign.pk, close_note="召回结束")
    campaign.refresh_from_db()
    assert campaign.status == RecallStatus.CLOSED


def test_reconciliation_shipped_equals_recovered_plus_outstanding(demo):
    """TRC-2 reconciliation: per lot, shipped (sales records) = recovered + outstanding; in stock beside it."""
    campaign, lot, buyers = _launched((10, 20, 5))
    qa = f.user("qa_inspector")
    tasks = {task.customer_id: task for task in campaign.tasks.all()}
    services.task_recover(actor=qa, task_id=tasks[buyers[0].pk].pk, quantity=10)
    services.task_recover(actor=qa, task_id=tasks[buyers[1].pk].pk, quantity=7)
    (row,) = selectors.reconciliation(campaign)
    assert (row.shipped, row.recovered, row.outstanding) == (35, 17, 18)
    assert row.shipped == row.recovered + row.outstanding
    assert row.in_stock == 100  # the stock that never left (the test's sales made no stock moves)
    assert tasks[buyers[0].pk].__class__.objects.get(pk=tasks[buyers[0].pk].pk).status == RecallTaskStatus.DONE


def test_recovered_goods_can_be_received_into_quarantine(demo):
    """TRC-2 with inventory: recovered units come back into the warehouse's quarantine (a signed receive move)."""
    from salesservice.inventory.models import StockQuant

    campaign, lot, buyers = _launched()
    task = campaign.tasks.get(customer=buyers[2])
    wh = f.central_warehouse()
    services.task_recover(actor=f.user("warehouse_clerk"), task_id=task.pk, quantity=5, warehouse=wh)
    assert StockQuant.objects.get(lot=lot, location__kind="quarantine").quantity == 5
    assert selectors.reconciliation(campaign)[0].in_stock == 105


def test_store_user_works_only_its_customers_tasks(demo):
    """Scope: a task is worked by the customer's store; another store's task is not found (404)."""
    lot = f.stocked_lot(f.device(), lot_number="TRC-SC")
    f.sell(lot, f.customer("sh-xuhui"), 2)
    f.sell(lot, f.customer("gz-tianhe"), 3)
    qa = f.user("qa_inspector")
    campaign = services.recall_create(actor=qa, title="x", reason="y", lots=[lot])
    services.recall_launch(actor=qa, recall_id=campaign.pk)
    theirs = campaign.tasks.get(org_unit__code="gz-tianhe")
    with pytest.raises(NotFoundError):
        services.task_contact(actor=f.user("xuhui_cs"), task_id=theirs.pk, note="x")
    mine = campaign.tasks.get(org_unit__code="sh-xuhui")
    services.task_contact(actor=f.user("xuhui_cs"), task_id=mine.pk, note="已告知")


def test_create_refuses_a_lot_outside_the_scope_and_an_empty_reason(demo):
    lot = f.stocked_lot(f.device(), lot_number="TRC-X")
    qa = f.user("qa_inspector")
    with pytest.raises(DomainError) as refused:
        services.recall_create(actor=qa, title="x", reason=" ", lots=[lot])
    assert refused.value.code == "recall.reason_required"
    with pytest.raises(DomainError) as refused:
        services.recall_create(actor=qa, title="x", reason="y", lots=[999999])
    assert refused.value.code == "recall.lot_invalid"
    with pytest.raises(DomainError) as refused:
        services.recall_create(actor=f.user("sales_rep"), title="x", reason="y", lots=[lot])
    assert refused.value.code == "permission_denied"
