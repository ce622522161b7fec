"""Recall services 召回 (TRC-2: 发现重大质量问题时，按追溯路径召回；TRC-4: records kept).

Each runs in one transaction (`@service`), locks its record in the actor's scope (404 otherwise), checks the step
with the workflow (`RECALL_WORKFLOW` / `RECALL_TASK_WORKFLOW`) and moves the status only through it, and writes
its timeline event. Other apps' rows change only through their services: lots are frozen with
`inventory.services.hold`, recovered goods received with `inventory.services.receive_into_quarantine`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import NotificationLevel
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError
from salesservice.core.guards import check_version, checked_moment, require_perm, scoped_get
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.scoping import can_see_unit

from .choices import NOTIFY_DAYS, EventType, RecallLevel
from .choices import RecallStatus as R
from .choices import RecallTaskStatus as T
from .errors import TraceErrorCode as E
from .models import RecallCampaign, RecallLot, RecallRecovery, RecallTask, RecallTaskLot
from .workflows import RECALL_TASK_WORKFLOW, RECALL_WORKFLOW

SERIES = "recall"
SERIES_SPEC = dict(name="召回", prefix="RC", reset="yearly")
STORE_ROLES = ("store_manager", "cs_rep")  # who works a task when the customer has no active sales rep


class RecallRefused(DomainError):
    """A recall rule refused the action (over-recovery, nothing shipped …) — 409 with its code."""

    status_code = 409


def _campaign(actor, recall_id) -> RecallCampaign:
    return scoped_get(
        RecallCampaign, actor, recall_id, code=E.RECALL_NOT_FOUND, message=_("召回不存在或不在您的范围内")
    )


def _task(actor, task_id) -> RecallTask:
    return scoped_get(RecallTask, actor, task_id, code=E.TASK_NOT_FOUND, message=_("召回任务不存在或不在您的范围内"))


def _note(value, *, required: bool = True, limit: int = 500) -> str:
    note = (value or "").strip()[:limit]
    if required and not note:
        raise DomainError(E.TASK_NOTE_REQUIRED, _("请填写说明"), fields={"note": [_("必填")]})
    return note


def _moment(at: dt.datetime | None) -> dt.datetime:
    return checked_moment(at, prefix="trace")


def recall_url(campaign) -> str:
    return reverse("trace:recall-detail", args=[campaign.pk])


def task_url(task) -> str:
    return reverse("trace:task-detail", args=[task.pk])


def _default_unit(actor):
    from salesservice.core.choices import OrgUnitKind
    from salesservice.core.models import OrgUnit

    membership = actor.memberships.select_related("org_unit").order_by("pk").first() if actor is not None else None
    if membership is not None:
        return membership.org_unit
    return OrgUnit.objects.filter(kind=OrgUnitKind.COMPANY).order_by("pk").first()


# --- campaigns ------------------------------------------------------------------------------------


@service
def recall_create(
    *, actor, title: str, reason: str, lots, level: str = RecallLevel.LEVEL_2, org_unit=None
) -> RecallCampaign:
    """TRC-2: a recall campaign (draft) over `lots` (Lot instances or ids the actor may trace), run by `org_unit`
    (default: the actor's unit — HQ quality department, typically)."""
    from .selectors import traceable_lots

    require_perm(actor, "trace.add_recallcampaign")
    reason = (reason or "").strip()[:2000]
    if not reason:
        raise DomainError(E.RECALL_REASON_REQUIRED, _("请填写召回原因"), fields={"reason": [_("必填")]})
    title = (title or "").strip()[:200] or reason[:60]
    if level not in RecallLevel.values:
        raise DomainError(E.RECALL_LEVEL_INVALID, _("召回级别无效"), fields={"level": [_("无效")]})
    ids = []
    for lot in lots or []:
        pk = getattr(lot, "pk", lot)
        if pk not in ids:
            ids.append(pk)
    if not ids:
        raise DomainError(E.RECALL_LOTS_REQUIRED, _("请选择至少一个召回批次"), fields={"lots": [_("必填")]})
    try:
        found = set(traceable_lots(actor).filter(pk__in=ids).values_list("pk", flat=True))
    except (TypeError, ValueError):
        found = set()
    if len(found) != len(ids):
        raise DomainError(E.RECALL_LOT_INVALID, _("所选批次不存在或不在您的范围内"), fields={"lots": [_("无效")]})
    unit = org_unit if org_unit is not None else _default_unit(actor)
    if unit is None or (actor is not None and not can_see_unit(actor, getattr(unit, "pk", unit))):
        raise DomainError(
            E.RECALL_UNIT_OUT_OF_SCOPE, _("所选组织单位不在您的管辖范围内"), fields={"org_unit": [_("无效")]}
        )
    campaign = RecallCampaign(
        number=next_number(SERIES, series=SERIES_SPEC),
        org_unit_id=getattr(unit, "pk", unit),
        title=title,
        reason=reason,
        level=level,
        created_by=actor,
    )
    RECALL_WORKFLOW.initial(campaign, R.DRAFT)
    campaign.save()
    RecallLot.objects.bulk_create(RecallLot(campaign=campaign, lot_id=pk) for pk in ids)
    record_event(
        event_type=EventType.RECALL_CREATED,
        target=campaign,
        actor=actor,
        new={"number": campaign.number, "lots": len(ids), "level": level},
        message=title,
    )
    return campaign


def _assignee(customer, store_staff: dict):
    rep = customer.sales_rep
    if rep is not None and rep.is_active:
        return rep
    if customer.store_id not in store_staff:
        found = None
        for role in STORE_ROLES:  # the store manager first, else a customer-service rep of the store
            found = next(iter(holders(role, customer.store_id, exact=True)), None)
            if found is not None:
                break
        store_staff[customer.store_id] = found
    return store_staff[customer.store_id]


@service
def recall_launch(*, actor, recall_id, expected_version: int | None = None, at: dt.datetime | None = None):
    """TRC-2: launch the recall — freeze every affected lot (never allocated again) and create one task per
    customer who received any of them, with the quantities of its GSP sales records, due within the level's
    notification time (1 / 3 / 7 days); the assignees (the customer's sales rep, else its store's manager) are
    notified. Refused (409 `recall.not_shipped`) when no customer received the lots."""
    from salesservice.customers.models import Customer
    from salesservice.inventory.models import Lot
    from salesservice.inventory.services import hold
    from salesservice.sales.models import SalesRecord

    require_perm(actor, "trace.launch_recallcampaign")
    campaign = _campaign(actor, recall_id)
    check_version(campaign, expected_version)
    RECALL_WORKFLOW.check(campaign, "launch")
    moment = _moment(at)
    recall_lots = list(campaign.recall_lots.order_by("id"))
    lot_ids = [row.lot_id for row in recall_lots]
    sold = (
        SalesRecord.objects.filter(lot_id__in=lot_ids)
        .values("customer_id", "lot_id", "order__number")
        .annotate(quantity=Sum("quantity"))
        .order_by("customer_id", "lot_id", "order__number")
    )
    shipped: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(lambda: [0, []]))
    for row in sold:
        entry = shipped[row["customer_id"]][row["lot_id"]]
        entry[0] += row["quantity"] or 0
        entry[1].append(row["order__number"])
    if not shipped:
        raise RecallRefused(E.RECALL_NOT_SHIPPED, _("所选批次没有销售记录，无客户可召回；库存请直接冻结"))
    latest = {}  # the contact of each customer's latest sales record of these lots
    for record in (
        SalesRecord.objects.filter(lot_id__in=lot_ids)
        .order_by("customer_id", "-sale_date", "-id")
        .values("customer_id", "contact", "phone", "address")
    ):
        latest.setdefault(record["customer_id"], record)
    customers = Customer.objects.select_related("sales_rep").in_bulk(list(shipped))
    due = moment + dt.timedelta(days=NOTIFY_DAYS.get(campaign.level, 3))
    store_staff: dict = {}
    tasks = []
    for customer_id in sorted(shipped):
        customer = customers[customer_id]
        contact = latest.get(customer_id, {})
        task = RecallTask(
            campaign=campaign,
            org_unit_id=customer.store_id,
            customer=customer,
            assignee=_assignee(customer, store_staff),
            contact=(contact.get("contact") or "")[:60],
            phone=(contact.get("phone") or customer.phone or "")[:30],
            address=(contact.get("address") or customer.address or "")[:200],
            shipped_quantity=sum(quantity for quantity, _orders in shipped[customer_id].values()),
            due_at=due,
        )
        RECALL_TASK_WORKFLOW.initial(task, T.OPEN)
        tasks.append(task)
    RecallTask.objects.bulk_create(tasks)
    if any(task.pk is None for task in tasks):  # a backend that returns no ids from a bulk insert
        by_customer = dict(RecallTask.objects.filter(campaign=campaign).values_list("customer_id", "pk"))
        for task in tasks:
            task.pk = task.id = by_customer[task.customer_id]
    RecallTaskLot.objects.bulk_create(
        RecallTaskLot(
            task=task,
            lot_id=lot_id,
            shipped_quantity=quantity,
            orders="、".join(orders)[:300],
        )
        for task in tasks
        for lot_id, (quantity, orders) in sorted(shipped[task.customer_id].items())
    )
    reason = _("召回 %(number)s：%(title)s") % {"number": campaign.number, "title": campaign.title}
    for row in recall_lots:
        lot = Lot.objects.get(pk=row.lot_id)
        if not lot.held:  # a lot already frozen (by a nonconformance) keeps its hold and its reason
            hold(actor=actor, lot=lot, reason=reason)
            row.held_by_recall = True
            row.save(update_fields=["held_by_recall"])
    campaign.launched_at = moment
    campaign.launched_by = actor
    RECALL_WORKFLOW.move(campaign, R.OPEN, actor=actor, fields=("launched_at", "launched_by"), at=moment)
    record_event(
        event_type=EventType.RECALL_LAUNCHED,
        target=campaign,
        actor=actor,
        new={"tasks": len(tasks), "lots": len(lot_ids), "shipped": sum(task.shipped_quantity for task in tasks)},
        at=moment,
    )
    by_assignee = defaultdict(list)
    for task in tasks:
        if task.assignee is not None:
            by_assignee[task.assignee].append(task)
    level = campaign.get_level_display()
    for user, mine in by_assignee.items():
        notify(
            recipients=[user],
            title=_("%(level)s %(number)s：请联系 %(count)s 个客户")
            % {
                "level": level,
                "number": campaign.number,
                "count": len(mine),
            },
            body=_("%(title)s。须在 %(due)s 前通知客户并登记收回数量。")
            % {
                "title": campaign.title,
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            },
            url=task_url(mine[0]) if len(mine) == 1 else reverse("trace:tasks") + f"?campaign={campaign.pk}",
            level=NotificationLevel.URGENT,
            kind="trace.recall_task",
        )
    return campaign


@service
def recall_close(*, actor, recall_id, close_note: str = "", expected_version: int | None = None) -> RecallCampaign:
    """TRC-2: close the recall once every task is done or the customer unreachable (409 `recall.tasks_open`
    otherwise). The lots stay frozen: what happens to recovered and remaining stock is a nonconformance
    disposition (SUP-8), not the recall's."""
    require_perm(actor, "trace.close_recallcampaign")
    campaign = _campaign(actor, recall_id)
    check_version(campaign, expected_version)
    RECALL_WORKFLOW.check(campaign, "close")
    campaign.closed_at = timezone.now()
    campaign.closed_by = actor
    campaign.close_note = (close_note or "").strip()[:500]
    RECALL_WORKFLOW.move(
        campaign, R.CLOSED, actor=actor, reason=campaign.close_note, fields=("closed_at", "closed_by", "close_note")
    )
    from .selectors import reconciliation, reconciliation_totals

    totals = reconciliation_totals(reconciliation(campaign))
    record_event(
        event_type=EventType.RECALL_CLOSED, target=campaign, actor=actor, new=totals, message=campaign.close_note
    )
    return campaign


@service
def recall_cancel(*, actor, recall_id, close_note: str = "", expected_version: int | None = None) -> RecallCampaign:
    """Cancel a recall still in draft (nothing was frozen or sent yet)."""
    require_perm(actor, "trace.add_recallcampaign")
    campaign = _campaign(actor, recall_id)
    check_version(campaign, expected_version)
    RECALL_WORKFLOW.check(campaign, "cancel")
    campaign.close_note = (close_note or "").strip()[:500]
    RECALL_WORKFLOW.move(campaign, R.CANCELLED, actor=actor, reason=campaign.close_note, fields=("close_note",))
    record_event(event_type=EventType.RECALL_CANCELLED, target=campaign, actor=actor, message=campaign.close_note)
    return campaign


# --- tasks ----------------------------------------------------------------------------------------


@service
def task_contact(
    *, actor, task_id, note: str, contacted_at: dt.datetime | None = None, expected_version: int | None = None
) -> RecallTask:
    """TRC-2: the customer was told of the recall — when, and what was agreed (pick-up, return, on-site
    destruction). May be recorded again (a later call) while the task is open."""
    require_perm(actor, "trace.work_recalltask")
    task = _task(actor, task_id)
    check_version(task, expected_version)
    RECALL_TASK_WORKFLOW.check(task, "contact")
    note = _note(note)
    task.contacted_at = _moment(contacted_at)
    task.contact_note = note
    fields = ("contacted_at", "contact_note")
    if task.status == T.OPEN:
        RECALL_TASK_WORKFLOW.move(task, T.CONTACTED, actor=actor, reason=note, fields=fields)
    else:
        task.version += 1
        task.save(update_fields=[*fields, "version", "updated_at"])
    record_event(event_type=EventType.TASK_CONTACTED, target=task, actor=actor, new={"note": note})
    return task


@service
def task_recover(
    *,
    actor,
    task_id,
    quantity,
    lot=None,
    warehouse=None,
    note: str = "",
    expected_version: int | None = None,
) -> RecallTask:
    """TRC-2: record units recovered from the customer, per lot — never more than shipped and not yet recovered
    (409 `recall_task.over_recovery`). With a `warehouse` the goods are received into its quarantine
    (`inventory.receive_into_quarantine`, a signed `receive` move). The task is done when all is recovered."""
    require_perm(actor, "trace.work_recalltask")
    task = _task(actor, task_id)
    check_version(task, expected_version)
    RECALL_TASK_WORKFLOW.check(task, "recover")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise DomainError(E.TASK_INVALID_QUANTITY, _("收回数量必须为正整数"), fields={"quantity": [_("无效")]})
    task_lots = list(RecallTaskLot.objects.select_for_update().filter(task=task).order_by("id"))
    lot_id = getattr(lot, "pk", lot)
    if lot_id is None:
        if len(task_lots) != 1:
            raise DomainError(E.TASK_LOT_REQUIRED, _("该客户收到多个召回批次，请指明批次"), fields={"lot": [_("必填")]})
        task_lot = task_lots[0]
    else:
        task_lot = next((row for row in task_lots if row.lot_id == lot_id), None)
        if task_lot is None:
            raise DomainError(E.TASK_LOT_INVALID, _("所指批次不属于该召回任务"), fields={"lot": [_("无效")]})
    if quantity > task_lot.outstanding:
        raise RecallRefused(
            E.TASK_OVER_RECOVERY,
            _("收回数量 %(quantity)s 超过已发货未收回数量 %(outstanding)s")
            % {"quantity": quantity, "outstanding": task_lot.outstanding},
            fields={"quantity": [_("超出")], "outstanding": task_lot.outstanding},
        )
    move = None
    if warehouse is not None:
        from salesservice.inventory.services import receive_into_quarantine

        move = receive_into_quarantine(
            actor=actor, warehouse=warehouse, lot=task_lot.lot_id, quantity=quantity, reference=task.campaign
        )
    note = _note(note, required=False, limit=300)
    now = timezone.now()
    RecallRecovery.objects.create(
        task=task,
        lot_id=task_lot.lot_id,
        quantity=quantity,
        warehouse_id=getattr(warehouse, "pk", warehouse) if move is not None else None,
        stock_move_id=move.pk if move is not None else None,
        note=note,
        recorded_by=actor,
        recorded_at=now,
    )
    task_lot.recovered_quantity += quantity
    task_lot.save(update_fields=["recovered_quantity"])
    task.recovered_quantity += quantity
    fields = ["recovered_quantity"]
    if task.contacted_at is None:  # goods came back: the customer was reached
        task.contacted_at = now
        fields.append("contacted_at")
    target = T.DONE if task.recovered_quantity >= task.shipped_quantity else T.CONTACTED
    if target == T.DONE:
        task.closed_at = now
        fields.append("closed_at")
    if target != task.status:
        RECALL_TASK_WORKFLOW.move(task, target, actor=actor, reason=note, fields=fields)
    else:
        task.version += 1
        task.save(update_fields=[*fields, "version", "updated_at"])
    record_event(
        event_type=EventType.TASK_RECOVERED,
        target=task,
        actor=actor,
        new={
            "lot": str(task_lot.lot_id),
            "quantity": quantity,
            "recovered": task.recovered_quantity,
            "shipped": task.shipped_quantity,
            "stock_move": move.pk if move is not None else None,
        },
        message=note,
    )
    return task


def _finish(actor, task_id, note, expected_version, *, action: str, target: str, event_type: str) -> RecallTask:
    require_perm(actor, "trace.work_recalltask")
    task = _task(actor, task_id)
    check_version(task, expected_version)
    RECALL_TASK_WORKFLOW.check(task, action)
    task.close_note = _note(note)
    task.closed_at = timezone.now()
    RECALL_TASK_WORKFLOW.move(task, target, actor=actor, reason=task.close_note, fields=("close_note", "closed_at"))
    record_event(event_type=event_type, target=task, actor=actor, message=task.close_note)
    return task


@service
def task_complete(*, actor, task_id, note: str, expected_version: int | None = None) -> RecallTask:
    """TRC-2: close a contacted task with what became of what was not recovered (destroyed on site, used up …);
    it stays outstanding in the reconciliation."""
    return _finish(
        actor, task_id, note, expected_version, action="complete", target=T.DONE, event_type=EventType.TASK_COMPLETED
    )


@service
def task_unreachable(*, actor, task_id, note: str, expected_version: int | None = None) -> RecallTask:
    """TRC-2: the customer could not be reached — the attempts made are the note."""
    return _finish(
        actor,
        task_id,
        note,
        expected_version,
        action="unreachable",
        target=T.UNREACHABLE,
        event_type=EventType.TASK_UNREACHABLE,
    )
