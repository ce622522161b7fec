"""Stock count services 库存盘点 (INV-2: 定期进行库存盘点，确保账实相符；短缺、损坏查明原因并处理).

Each runs in one transaction (`@service`), locks the count in the actor's scope (404 otherwise), checks the
step with `STOCK_COUNT_WORKFLOW.check` and moves the status only through `STOCK_COUNT_WORKFLOW.move`. The
count sheet's system quantities are the quants when counting starts; on approval each variance is posted as
one `count` move (delta = counted − system), so movements made meanwhile are kept. A variance needs a reason
(submit) and an approver other than the counter (approve).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError
from salesservice.core.guards import check_version, require_perm, scoped_get
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number

from .choices import EventType, MoveKind
from .choices import StockCountStatus as C
from .errors import InventoryErrorCode as E
from .models import StockCount, StockCountLine, StockQuant
from .services import StockRefused, _add, _location, _locked_quant, _move, _now, _take, _warehouse
from .workflows import STOCK_COUNT_WORKFLOW as WORKFLOW

SERIES = "stock_count"


def _get(actor, count_id) -> StockCount:
    return scoped_get(StockCount, actor, count_id, code=E.COUNT_NOT_FOUND, message=_("盘点单不存在或不在您的范围内"))


def count_url(count: StockCount) -> str:
    return reverse("inventory:count-detail", args=[count.pk])


@service
def stock_count_create(*, actor, warehouse, location=None, note: str = "", at: dt.datetime | None = None) -> StockCount:
    """INV-2: open a count of a warehouse (or one of its locations) as a draft."""
    require_perm(actor, "inventory.add_stockcount")
    warehouse = _warehouse(actor, warehouse)
    if location is not None:
        location = _location(actor, location)
        if location.warehouse_id != warehouse.pk:
            raise DomainError(E.WRONG_WAREHOUSE, _("库位不属于该仓库"), fields={"location": [_("无效")]})
    moment = _now(at)
    count = StockCount(
        number=next_number(SERIES, at=moment, series=dict(name="盘点单", prefix="PD", reset="daily")),
        warehouse=warehouse,
        location=location,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    WORKFLOW.initial(count, C.DRAFT)
    count.save()
    record_event(event_type=EventType.COUNT_CREATED, target=count, actor=actor, new={"number": count.number}, at=moment)
    return count


@service
def stock_count_start(
    *, actor, count_id, expected_version: int | None = None, at: dt.datetime | None = None
) -> StockCount:
    """INV-2: snapshot the system quantities of every lot in scope into the count sheet and start counting."""
    require_perm(actor, "inventory.change_stockcount")
    count = _get(actor, count_id)
    check_version(count, expected_version)
    WORKFLOW.check(count, "start")
    quants = StockQuant.objects.filter(warehouse_id=count.warehouse_id, quantity__gt=0)
    if count.location_id:
        quants = quants.filter(location_id=count.location_id)
    rows = list(quants.order_by("location_id", "lot_id").values_list("location_id", "lot_id", "quantity"))
    if not rows:
        raise DomainError(E.COUNT_NO_LINES, _("盘点范围内没有库存记录"))
    StockCountLine.objects.filter(count=count).delete()
    StockCountLine.objects.bulk_create(
        StockCountLine(count=count, location_id=location_id, lot_id=lot_id, system_quantity=quantity)
        for location_id, lot_id, quantity in rows
    )
    count.started_at = _now(at)
    WORKFLOW.move(count, C.COUNTING, actor=actor, fields=("started_at",))
    record_event(event_type=EventType.COUNT_STARTED, target=count, actor=actor, new={"lines": len(rows)})
    return count


@service
def stock_count_record(*, actor, count_id, lines: list[dict], expected_version: int | None = None) -> StockCount:
    """INV-2: enter counted quantities (and the reason of a variance) for lines of the sheet, while counting.

    `lines`: `[{"line": <id>, "counted_quantity": <int ≥ 0>, "reason": "…"}]`; lines not mentioned keep what
    was entered before."""
    require_perm(actor, "inventory.change_stockcount")
    count = _get(actor, count_id)
    check_version(count, expected_version)
    WORKFLOW.check(count, "record")
    by_id = {line.pk: line for line in count.lines.all()}
    changed = []
    for entry in lines or []:
        line = by_id.get(_int(entry.get("line")))
        if line is None:
            raise DomainError(E.COUNT_LINE_NOT_FOUND, _("盘点行不属于该盘点单"), fields={"lines": [_("无效")]})
        counted = entry.get("counted_quantity")
        if counted is not None:
            counted = _int(counted)
            if counted is None or counted < 0:
                raise DomainError(E.INVALID_QUANTITY, _("实盘数必须为不小于 0 的整数"), fields={"lines": [_("无效")]})
        line.counted_quantity = counted
        line.reason = (entry.get("reason") or "").strip()[:300]
        changed.append(line)
    StockCountLine.objects.bulk_update(changed, ["counted_quantity", "reason"])
    count.version += 1
    count.save(update_fields=["version", "updated_at"])
    record_event(event_type=EventType.COUNT_RECORDED, target=count, actor=actor, new={"lines": len(changed)})
    return count


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@service
def stock_count_submit(*, actor, count_id, expected_version: int | None = None) -> StockCount:
    """INV-2: hand the count in for approval — every line counted, every variance with its reason."""
    require_perm(actor, "inventory.change_stockcount")
    count = _get(actor, count_id)
    check_version(count, expected_version)
    WORKFLOW.check(count, "submit")
    lines = list(count.lines.select_related("lot", "location"))
    missing = [line for line in lines if line.counted_quantity is None]
    if missing:
        raise DomainError(
            E.COUNT_INCOMPLETE,
            _("还有 %(n)s 行未录入实盘数") % {"n": len(missing)},
            fields={"lines": [str(line.pk) for line in missing]},
        )
    unexplained = [line for line in lines if line.difference and not line.reason]
    if unexplained:
        raise DomainError(
            E.COUNT_REASON_REQUIRED,
            _("有差异的盘点行须填写差异原因：%(lots)s")
            % {"lots": "、".join(str(line.lot) for line in unexplained[:5])},
            fields={"lines": [str(line.pk) for line in unexplained]},
        )
    count.submitted_at = _now(None)
    count.submitted_by = actor
    WORKFLOW.move(count, C.SUBMITTED, actor=actor, fields=("submitted_at", "submitted_by"))
    variances = sum(1 for line in lines if line.difference)
    record_event(event_type=EventType.COUNT_SUBMITTED, target=count, actor=actor, new={"variances": variances})
    notify(
        recipients=[user for user in holders(("general_manager", "system_admin")) if user != actor],
        title=_("盘点差异待审批：%(number)s") % {"number": count.number},
        body=_("%(warehouse)s · %(n)s 行有差异") % {"warehouse": count.warehouse.name, "n": variances},
        url=count_url(count),
        kind="inventory.count_submitted",
    )
    return count


@service
def stock_count_approve(
    *, actor, count_id, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> StockCount:
    """INV-2: approve the variances — each is posted as a `count` move (gain into the location, loss out of
    it), signed by the approver (TRC-3). The counter may not approve their own count."""
    require_perm(actor, "inventory.approve_stockcount")
    count = _get(actor, count_id)
    check_version(count, expected_version)
    WORKFLOW.check(count, "approve")
    if actor is not None and count.submitted_by_id == actor.pk:
        raise StockRefused(E.COUNT_SELF_APPROVAL, _("盘点人不能审批自己提交的盘点差异"))
    moment = _now(at)
    reference = count
    posted = 0
    for line in count.lines.select_related("lot", "location").order_by("pk"):
        delta = line.difference or 0
        if not delta:
            continue
        quant = _locked_quant(line.lot, line.location)
        if delta > 0:
            _add(quant, delta)
        else:
            _take(
                quant,
                -delta,
                E.BELOW_RESERVED,
                _("%(lot)s 在 %(location)s 调整后将低于已分配数量或为负")
                % {"lot": line.lot, "location": line.location.code},
            )
        _move(
            actor=actor,
            lot=line.lot,
            warehouse_id=count.warehouse_id,
            kind=MoveKind.COUNT,
            quantity=abs(delta),
            reference=reference,
            at=moment,
            from_location=line.location if delta < 0 else None,
            to_location=line.location if delta > 0 else None,
            note=line.reason,
            event_type=EventType.COUNT_APPROVED,
        )
        posted += 1
    count.approved_at = moment
    count.approved_by = actor
    count.approval_note = (note or "").strip()[:300]
    WORKFLOW.move(count, C.APPROVED, actor=actor, fields=("approved_at", "approved_by", "approval_note"))
    record_event(event_type=EventType.COUNT_APPROVED, target=count, actor=actor, new={"adjustments": posted})
    return count


@service
def stock_count_return(*, actor, count_id, reason: str, expected_version: int | None = None) -> StockCount:
    """INV-2: send the count back for recounting (the approver doubts a variance)."""
    require_perm(actor, "inventory.approve_stockcount")
    count = _get(actor, count_id)
    check_version(count, expected_version)
    WORKFLOW.check(count, "return")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.COUNT_RETURN_REASON_REQUIRED, _("请填写退回理由"), fields={"reason": [_("必填")]})
    count.approval_note = reason[:300]
    WORKFLOW.move(count, C.COUNTING, actor=actor, reason=reason, fields=("approval_note",))
    record_event(event_type=EventType.COUNT_RETURNED, target=count, actor=actor, message=reason)
    return count


@service
def stock_count_cancel(*, actor, count_id, reason: str = "", expected_version: int | None = None) -> StockCount:
    """Cancel a count before approval (nothing was posted)."""
    require_perm(actor, "inventory.change_stockcount")
    count = _get(actor, count_id)
    check_version(count, expected_version)
    WORKFLOW.check(count, "cancel")
    reason = (reason or "").strip()[:300]
    WORKFLOW.move(count, C.CANCELLED, actor=actor, reason=reason)
    record_event(event_type=EventType.COUNT_CANCELLED, target=count, actor=actor, message=reason)
    return count
