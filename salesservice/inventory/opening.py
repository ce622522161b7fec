"""Opening stock 期初库存 — the stock a warehouse already holds when it starts using the system.

It is not a receipt from a supplier (no order, no inspection to wait for: the goods were accepted before),
so it goes straight into a storage location as one signed `adjust` move (TRC-3) with the reference
`期初库存`, in the same transaction as the quant change (INV-4). Imported from Excel by `imports.py`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.guards import require_perm

from .choices import EventType, LocationKind, MoveKind
from .errors import InventoryErrorCode as E
from .models import Location, Lot, StockMove, StockQuant
from .services import StockRefused, _add, _location, _locked_quant, _lot, _move, _now, _quantity, _warehouse

OPENING_REFERENCE = "期初库存"


def opening_recorded(lot: Lot, location: Location) -> bool:
    """Whether this lot's opening stock at this location was already entered (re-importing changes nothing)."""
    return StockMove.objects.filter(
        lot=lot, to_location=location, kind=MoveKind.ADJUST, reference_number=OPENING_REFERENCE, reference_type=None
    ).exists()


@service
def opening_stock_receive(
    *, actor, warehouse, location, lot, quantity: int, note: str = "", at: dt.datetime | None = None
) -> StockMove:
    """Put `quantity` of `lot` into the storage `location` of `warehouse` as opening stock: one `adjust` move
    signed by `actor` (TRC-3). The location must be a storage location of that warehouse in the actor's scope
    (404 otherwise); a held lot is refused; a serial holds one unit."""
    require_perm(actor, "inventory.move_stock")
    warehouse = _warehouse(actor, warehouse)
    location = _location(actor, location)
    if location.warehouse_id != warehouse.pk:
        raise StockRefused(E.WRONG_WAREHOUSE, _("库位不属于该仓库"), fields={"location": [_("无效")]})
    if location.kind != LocationKind.STORAGE:
        raise StockRefused(
            E.OPENING_NOT_STORAGE,
            _("期初库存只能导入储位，“%(code)s”是%(kind)s")
            % {"code": location.code, "kind": location.get_kind_display()},
            fields={"location": [_("无效")]},
        )
    lot = _lot(lot)
    quantity = _quantity(quantity)
    if lot.held:
        raise StockRefused(E.LOT_HELD, _("批次 %(lot)s 已冻结，不能入账") % {"lot": lot})
    if lot.serial_number:
        on_hand = StockQuant.objects.filter(lot=lot).aggregate(total=Sum("quantity"))["total"] or 0
        if quantity != 1 or on_hand:
            raise StockRefused(
                E.SERIAL_QUANTITY,
                _("序列号 %(serial)s 只能有 1 件库存") % {"serial": lot.serial_number},
                fields={"quantity": [_("无效")]},
            )
    moment = _now(at)
    quant = _locked_quant(lot, location)
    _add(quant, quantity)
    return _move(
        actor=actor,
        lot=lot,
        warehouse_id=warehouse.pk,
        kind=MoveKind.ADJUST,
        quantity=quantity,
        reference=OPENING_REFERENCE,
        at=moment,
        to_location=location,
        note=note or _("期初库存导入"),
        event_type=EventType.OPENING_STOCK,
    )
