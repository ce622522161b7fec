"""Stock services of the inventory app — the public API purchasing (and later sales) call.

INV-4: every movement is one `StockMove` row written in the same transaction as the `StockQuant` change it
explains; quants are changed by conditional UPDATEs (`quantity - n >= reserved`) on rows locked with
`select_for_update`, so stock is never negative and never reserved twice, whatever the concurrency.
TRC-3: each move is signed by its `actor`. SUP-7: goods land in the warehouse's quarantine location and
reach storage only through `release_inspected` → `put_away`; only storage stock of a lot that is neither
held nor expired, of a product that may be sold (PRD-1: `catalog.sellability`), is allocated, FEFO (first
expiry, first out).

Public API (issue 13 contract): `lot_for`, `receive_into_quarantine`, `release_inspected`, `put_away`,
`allocate`, `release_allocation`, `available`; plus `warehouse_create`, `location_create`,
`release_allocations`, `issue_allocation`, `lot_hold`, `lot_release_hold`. Stock counts are in
`counts.py`, storage readings in `environment.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db import models as dj_models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.models import Product
from salesservice.catalog.sellability import product_sellability, sellable_q
from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from salesservice.core.guards import check_version, checked_moment, require_perm, scoped_get
from salesservice.core.scoping import can_see_unit

from .choices import SPECIAL_LOCATIONS, EventType, LocationKind, MoveKind
from .choices import AllocationStatus as A
from .errors import InventoryErrorCode as E
from .models import Allocation, Location, Lot, StockMove, StockQuant, Warehouse


class StockRefused(DomainError):
    """A stock rule refused the movement (short stock, quarantine, held lot …) — 409 with its code."""

    status_code = 409


# --- helpers ---------------------------------------------------------------------------------------


def _now(at: dt.datetime | None) -> dt.datetime:
    return checked_moment(at, prefix="inventory")


def _quantity(value, field: str = "quantity", *, allow_zero: bool = False) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number != value and not isinstance(value, str):  # 2.5 is not a quantity
        number = -1
    if number < 0 or (number == 0 and not allow_zero):
        raise DomainError(E.INVALID_QUANTITY, _("数量必须为正整数"), fields={field: [_("无效")]})
    return number


def reference_parts(reference) -> tuple[ContentType | None, str, str]:
    """A business document as (content type, id, display number): a model instance (its `number` if it has
    one), or a plain string (a number typed by hand or an external document)."""
    if reference is None or (isinstance(reference, str) and not reference.strip()):
        raise DomainError(E.REFERENCE_REQUIRED, _("请指明业务单据（来源单号）"), fields={"reference": [_("必填")]})
    if isinstance(reference, str):
        return None, "", reference.strip()[:80]
    if isinstance(reference, dj_models.Model):
        number = getattr(reference, "number", None) or str(reference)
        return ContentType.objects.get_for_model(reference), str(reference.pk), str(number)[:80]
    raise DomainError(E.REFERENCE_REQUIRED, _("无效的业务单据"), fields={"reference": [_("无效")]})


def _warehouse(actor, warehouse) -> Warehouse:
    return scoped_get(
        Warehouse, actor, warehouse, lock=False, code=E.WAREHOUSE_NOT_FOUND, message=_("仓库不存在或不在您的范围内")
    )


def _location(actor, location) -> Location:
    return scoped_get(
        Location, actor, location, lock=False, code=E.LOCATION_NOT_FOUND, message=_("库位不存在或不在您的范围内")
    )


def _lot(lot) -> Lot:
    pk = lot.pk if isinstance(lot, Lot) else lot
    found = Lot.objects.select_related("product").filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFoundError(E.LOT_NOT_FOUND, _("批次不存在"))
    return found


def special_location(warehouse: Warehouse, kind: str) -> Location:
    return Location.objects.get(warehouse=warehouse, kind=kind)


def _locked_quant(lot: Lot, location: Location, *, create: bool = True) -> StockQuant | None:
    """The quant of `lot` at `location`, locked for the rest of the transaction (created empty if missing)."""
    queryset = StockQuant.objects.select_for_update()
    quant = queryset.filter(lot=lot, location=location).first()
    if quant is None and create:
        try:
            with transaction.atomic():  # savepoint: a parallel first receipt may insert it first
                StockQuant.objects.create(
                    lot=lot, location=location, product_id=lot.product_id, warehouse_id=location.warehouse_id
                )
        except IntegrityError:
            pass
        quant = queryset.get(lot=lot, location=location)
    return quant


def _add(quant: StockQuant, quantity: int) -> None:
    StockQuant.objects.filter(pk=quant.pk).update(quantity=F("quantity") + quantity, updated_at=timezone.now())
    quant.quantity += quantity


def _take(quant: StockQuant | None, quantity: int, code: str, message: str, *, reserved_too: int = 0) -> None:
    """Take `quantity` off a quant, refusing (409 `code`) when what is free there is short. `reserved_too`:
    that much of it was reserved for the taker (issuing an allocation) and is released with it."""
    if quant is None:
        raise StockRefused(code, message, fields={"available": 0})
    updated = StockQuant.objects.filter(
        pk=quant.pk, quantity__gte=F("reserved") - reserved_too + quantity, reserved__gte=reserved_too
    ).update(quantity=F("quantity") - quantity, reserved=F("reserved") - reserved_too, updated_at=timezone.now())
    if not updated:
        quant.refresh_from_db()
        raise StockRefused(code, message, fields={"available": quant.quantity - quant.reserved + reserved_too})
    quant.quantity -= quantity
    quant.reserved -= reserved_too


def _move(
    *,
    actor,
    lot: Lot,
    warehouse_id: int,
    kind: str,
    quantity: int,
    reference,
    at: dt.datetime,
    from_location: Location | None = None,
    to_location: Location | None = None,
    nonconformance=None,
    note: str = "",
    event_type: str | None = None,
) -> StockMove:
    """Append one signed ledger row (TRC-3) and its timeline event on the lot."""
    ref_type, ref_id, ref_number = reference if isinstance(reference, tuple) else reference_parts(reference)
    move = StockMove(
        lot=lot,
        product_id=lot.product_id,
        warehouse_id=warehouse_id,
        from_location=from_location,
        to_location=to_location,
        quantity=quantity,
        kind=kind,
        reference_type=ref_type,
        reference_id=ref_id,
        reference_number=ref_number,
        nonconformance=nonconformance,
        note=(note or "")[:300],
        actor=actor,
        at=at,
    )
    move.save(force_insert=True)
    if event_type:
        record_event(
            event_type=event_type,
            target=lot,
            actor=actor,
            new={
                "kind": kind,
                "quantity": quantity,
                "from": from_location.code if from_location else None,
                "to": to_location.code if to_location else None,
                "reference": ref_number,
            },
            message=note,
            at=at,
        )
    return move


# --- warehouses and locations ------------------------------------------------------------------


@service
def warehouse_create(*, actor, code: str, name: str, org_unit, address: str = "") -> Warehouse:
    """INV-4: a warehouse of `org_unit`, created with its 待验区, 合格待上架区 and 不合格品区 (SUP-7)."""
    require_perm(actor, "inventory.add_warehouse")
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise DomainError(E.CODE_REQUIRED, _("请填写仓库编码"), fields={"code": [_("必填")]})
    if not name:
        raise DomainError(E.NAME_REQUIRED, _("请填写仓库名称"), fields={"name": [_("必填")]})
    if actor is not None and not can_see_unit(actor, org_unit.pk):
        raise PermissionDeniedError(
            E.UNIT_OUT_OF_SCOPE, _("所选单位不在您的管辖范围内"), fields={"org_unit": [_("超出范围")]}
        )
    if Warehouse.objects.filter(code=code).exists():
        raise DomainError(E.DUPLICATE_CODE, _("仓库编码已存在"), fields={"code": [_("重复")]})
    warehouse = Warehouse.objects.create(code=code[:30], name=name[:100], org_unit=org_unit, address=address[:200])
    Location.objects.bulk_create(
        Location(warehouse=warehouse, kind=kind, code=loc_code, name=str(loc_name))
        for kind, (loc_code, loc_name) in SPECIAL_LOCATIONS.items()
    )
    record_event(event_type=EventType.WAREHOUSE_CREATED, target=warehouse, actor=actor, new={"code": code})
    return warehouse


@service
def location_create(*, actor, warehouse, code: str, name: str = "", conditions: str = "") -> Location:
    """INV-1/INV-4: a storage location 储位 (the special locations come with the warehouse)."""
    require_perm(actor, "inventory.add_location")
    warehouse = _warehouse(actor, warehouse)
    code = (code or "").strip()
    if not code:
        raise DomainError(E.CODE_REQUIRED, _("请填写库位编码"), fields={"code": [_("必填")]})
    if Location.objects.filter(warehouse=warehouse, code=code).exists():
        raise DomainError(E.DUPLICATE_CODE, _("该仓库已有此库位编码"), fields={"code": [_("重复")]})
    location = Location.objects.create(
        warehouse=warehouse,
        code=code[:30],
        name=((name or "").strip() or code)[:100],
        kind=LocationKind.STORAGE,
        conditions=(conditions or "").strip()[:200],
    )
    record_event(event_type=EventType.LOCATION_CREATED, target=warehouse, actor=actor, new={"location": code})
    return location


# --- lots (PRD-3) -------------------------------------------------------------------------------


def lot_for(
    *,
    product,
    lot_number: str,
    serial_number: str = "",
    production_date: dt.date | None = None,
    expiry_date: dt.date | None = None,
    supplier=None,
) -> Lot:
    """PRD-3: the lot of `product` with this lot / serial number — created if new — after checking what the
    product's tracking mode demands: a lot number (按批号), a serial number (按序列号), an expiry date (管理有效期).

    `supplier`: any object with `.pk` (or None) — kept as a plain id. Dates given for an existing lot fill the
    blanks; different dates are refused (`inventory.lot_dates_conflict`).
    """
    if product is None:
        raise DomainError(E.PRODUCT_REQUIRED, _("请选择商品"), fields={"product": [_("必填")]})
    lot_number = (lot_number or "").strip()[:80]
    serial_number = (serial_number or "").strip()[:80]
    mode = product.tracking_mode
    if mode == TrackingMode.BATCH and not lot_number:
        raise DomainError(
            E.LOT_NUMBER_REQUIRED,
            _("商品“%(name)s”按批号追踪，请填写批号") % {"name": product.name},
            fields={"lot_number": [_("必填")]},
        )
    if mode == TrackingMode.SERIAL and not serial_number:
        raise DomainError(
            E.SERIAL_NUMBER_REQUIRED,
            _("商品“%(name)s”按序列号追踪，请填写序列号") % {"name": product.name},
            fields={"serial_number": [_("必填")]},
        )
    if mode != TrackingMode.SERIAL and serial_number:
        raise DomainError(
            E.SERIAL_NOT_TRACKED,
            _("商品“%(name)s”不按序列号追踪，请不要填写序列号") % {"name": product.name},
            fields={"serial_number": [_("不适用")]},
        )
    if production_date and production_date > timezone.localdate():
        raise DomainError(E.PRODUCTION_IN_FUTURE, _("生产日期不能晚于今天"), fields={"production_date": [_("无效")]})
    if production_date and expiry_date and expiry_date < production_date:
        raise DomainError(
            E.EXPIRY_BEFORE_PRODUCTION, _("有效期至不能早于生产日期"), fields={"expiry_date": [_("无效")]}
        )
    supplier_id = getattr(supplier, "pk", supplier)
    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update()
            .filter(product=product, lot_number=lot_number, serial_number=serial_number)
            .first()
        )
        if product.shelf_life_tracked and expiry_date is None and (lot is None or lot.expiry_date is None):
            raise DomainError(
                E.EXPIRY_REQUIRED,
                _("商品“%(name)s”管理有效期，请填写有效期至") % {"name": product.name},
                fields={"expiry_date": [_("必填")]},
            )
        if lot is None:
            try:
                with transaction.atomic():
                    return Lot.objects.create(
                        product=product,
                        lot_number=lot_number,
                        serial_number=serial_number,
                        production_date=production_date,
                        expiry_date=expiry_date,
                        supplier_id=supplier_id,
                    )
            except IntegrityError:
                lot = Lot.objects.select_for_update().get(
                    product=product, lot_number=lot_number, serial_number=serial_number
                )
        changed = []
        for field, value in (("production_date", production_date), ("expiry_date", expiry_date)):
            current = getattr(lot, field)
            if value is None or current == value:
                continue
            if current is not None:
                raise DomainError(
                    E.LOT_DATES_CONFLICT,
                    _("批次 %(lot)s 已登记%(field)s %(old)s，与本次 %(new)s 不符")
                    % {"lot": lot, "field": Lot._meta.get_field(field).verbose_name, "old": current, "new": value},
                    fields={field: [_("不一致")]},
                )
            setattr(lot, field, value)
            changed.append(field)
        if supplier_id and not lot.supplier_id:
            lot.supplier_id = supplier_id
            changed.append("supplier_id")
        if changed:
            lot.save(update_fields=changed)
    return lot


# --- receiving, inspection release, put-away (SUP-7) ----------------------------------------------


@service
def receive_into_quarantine(*, actor, warehouse, lot, quantity: int, reference, at: dt.datetime | None = None):
    """SUP-7: received goods land in the warehouse's quarantine location 待验区 — not allocatable, not to be put
    away — until their inspection releases them (`release_inspected`). One `receive` move, signed (TRC-3).

    A serial-tracked lot holds one unit: receiving more, or receiving a serial already in stock, is refused.
    """
    require_perm(actor, "inventory.move_stock")
    warehouse = _warehouse(actor, warehouse)
    lot = _lot(lot)
    quantity = _quantity(quantity)
    reference = reference_parts(reference)
    moment = _now(at)
    if lot.serial_number:
        on_hand = StockQuant.objects.filter(lot=lot).aggregate(total=Sum("quantity"))["total"] or 0
        if quantity != 1 or on_hand:
            raise StockRefused(
                E.SERIAL_QUANTITY,
                _("序列号 %(serial)s 只能有 1 件库存") % {"serial": lot.serial_number},
                fields={"quantity": [_("无效")]},
            )
    quarantine = special_location(warehouse, LocationKind.QUARANTINE)
    quant = _locked_quant(lot, quarantine)
    _add(quant, quantity)
    return _move(
        actor=actor,
        lot=lot,
        warehouse_id=warehouse.pk,
        kind=MoveKind.RECEIVE,
        quantity=quantity,
        reference=reference,
        at=moment,
        to_location=quarantine,
        event_type=EventType.RECEIVED,
    )


@service
def release_inspected(
    *,
    actor,
    warehouse,
    lot,
    accepted: int,
    rejected: int,
    reference,
    nonconformance=None,
    at: dt.datetime | None = None,
) -> list[StockMove]:
    """SUP-7/SUP-8: the inspection's outcome for a lot in quarantine — `accepted` units go to the staging
    location 合格待上架区 (then `put_away`), `rejected` units to the rejected location 不合格品区, linked to the
    `nonconformance` that records them (required when anything is rejected). Partial acceptance (accept 95,
    reject 5) is the normal case. Refused when quarantine holds less than accepted + rejected."""
    require_perm(actor, "inventory.release_stock")
    warehouse = _warehouse(actor, warehouse)
    lot = _lot(lot)
    accepted = _quantity(accepted, "accepted", allow_zero=True)
    rejected = _quantity(rejected, "rejected", allow_zero=True)
    if accepted + rejected == 0:
        raise DomainError(E.NOTHING_TO_RELEASE, _("合格与不合格数量不能都为 0"), fields={"accepted": [_("无效")]})
    if rejected and nonconformance is None:
        raise DomainError(
            E.NONCONFORMANCE_REQUIRED,
            _("不合格数量须关联不合格品记录（SUP-8）"),
            fields={"nonconformance": [_("必填")]},
        )
    reference = reference_parts(reference)
    moment = _now(at)
    quarantine = special_location(warehouse, LocationKind.QUARANTINE)
    source = _locked_quant(lot, quarantine, create=False)
    _take(
        source,
        accepted + rejected,
        E.INSUFFICIENT_QUARANTINE,
        _("待验区中批次 %(lot)s 的数量不足 %(n)s") % {"lot": lot, "n": accepted + rejected},
    )
    moves = []
    for quantity, kind, event_type in (
        (accepted, LocationKind.STAGING, EventType.RELEASED),
        (rejected, LocationKind.REJECTED, EventType.REJECTED),
    ):
        if not quantity:
            continue
        target = special_location(warehouse, kind)
        _add(_locked_quant(lot, target), quantity)
        moves.append(
            _move(
                actor=actor,
                lot=lot,
                warehouse_id=warehouse.pk,
                kind=MoveKind.RELEASE if kind == LocationKind.STAGING else MoveKind.REJECT,
                quantity=quantity,
                reference=reference,
                at=moment,
                from_location=quarantine,
                to_location=target,
                nonconformance=nonconformance if kind == LocationKind.REJECTED else None,
                event_type=event_type,
            )
        )
    return moves


@service
def put_away(
    *,
    actor,
    lot,
    to_location,
    quantity: int,
    reference,
    from_location=None,
    at: dt.datetime | None = None,
) -> StockMove:
    """SUP-7: inspected goods go from the staging location 合格待上架区 (or, as a transfer, another storage
    location of the same warehouse: `from_location`) to a storage location 储位. Never from quarantine:
    goods not yet inspected are refused (`inventory.put_away_from_quarantine`)."""
    require_perm(actor, "inventory.move_stock")
    lot = _lot(lot)
    target = _location(actor, to_location)
    quantity = _quantity(quantity)
    reference = reference_parts(reference)
    moment = _now(at)
    if target.kind != LocationKind.STORAGE or not target.is_active:
        raise StockRefused(
            E.PUT_AWAY_TARGET_NOT_STORAGE, _("上架目标必须是启用的储位"), fields={"to_location": [_("无效")]}
        )
    if from_location is None:
        source_location = special_location(target.warehouse, LocationKind.STAGING)
    else:
        source_location = _location(actor, from_location)
        if source_location.warehouse_id != target.warehouse_id:
            raise StockRefused(E.WRONG_WAREHOUSE, _("只能在同一仓库内上架"), fields={"from_location": [_("无效")]})
    if source_location.kind in (LocationKind.QUARANTINE, LocationKind.REJECTED):
        raise StockRefused(
            E.PUT_AWAY_FROM_QUARANTINE,
            _("%(location)s 的货物未经检验合格，不得上架（SUP-7）") % {"location": source_location.name},
            fields={"from_location": [_("待验/不合格")]},
        )
    source = _locked_quant(lot, source_location, create=False)
    free = source.quantity - source.reserved if source else 0
    if free < quantity and from_location is None:
        in_quarantine = StockQuant.objects.filter(
            lot=lot, location__warehouse_id=target.warehouse_id, location__kind=LocationKind.QUARANTINE, quantity__gt=0
        ).exists()
        if in_quarantine:
            raise StockRefused(
                E.PUT_AWAY_FROM_QUARANTINE,
                _("批次 %(lot)s 尚在待验区、未经检验放行，不得上架（SUP-7）") % {"lot": lot},
                fields={"available": free},
            )
    _take(
        source,
        quantity,
        E.INSUFFICIENT_STAGING,
        _("%(location)s 中批次 %(lot)s 的可上架数量不足 %(n)s")
        % {"location": source_location.name, "lot": lot, "n": quantity},
    )
    _add(_locked_quant(lot, target), quantity)
    kind = MoveKind.PUT_AWAY if source_location.kind == LocationKind.STAGING else MoveKind.TRANSFER
    return _move(
        actor=actor,
        lot=lot,
        warehouse_id=target.warehouse_id,
        kind=kind,
        quantity=quantity,
        reference=reference,
        at=moment,
        from_location=source_location,
        to_location=target,
        event_type=EventType.PUT_AWAY,
    )


# --- availability and allocation (FEFO, never oversold) -------------------------------------------


def _allocatable(product_ids, warehouse=None):
    """The allocatable quants of several products, unordered (see `allocatable_quants`)."""
    today = timezone.localdate()
    queryset = StockQuant.objects.filter(
        product__in=product_ids,
        location__kind=LocationKind.STORAGE,
        location__is_active=True,
        lot__held=False,
        quantity__gt=F("reserved"),
    ).filter(Q(lot__expiry_date__isnull=True) | Q(lot__expiry_date__gte=today))
    # PRD-1: the sellability rules as SQL — one semi-join on the product rows, restrictions by index.
    queryset = queryset.filter(
        product__in=Product.objects.filter(pk__in=product_ids).filter(sellable_q(today)).values("pk")
    )
    if warehouse is not None:
        queryset = queryset.filter(warehouse_id=getattr(warehouse, "pk", warehouse))
    return queryset


FEFO = (F("lot__expiry_date").asc(nulls_last=True), "lot_id", "location_id")


def allocatable_quants(product, warehouse=None):
    """Quants whose free quantity may be allocated: active storage locations (never quarantine, staging or
    rejected — SUP-7), lot neither held (a hold — INV-1, SUP-8, a QA freeze — is how one lot is restricted)
    nor expired, product sellable today (PRD-1: no QA restriction 禁售标记 in force and none of the derived
    reasons of `catalog.sellability`), free > 0; FEFO order (earliest expiry first, lots without expiry last,
    then oldest lot)."""
    return _allocatable([getattr(product, "pk", product)], warehouse).order_by(*FEFO)


def available(product, warehouse=None) -> int:
    """What may still be allocated of `product` (in `warehouse`, or everywhere): on hand minus reserved in
    storage locations, lots neither held nor expired, product sellable (PRD-1). Quarantine, staging and
    rejected stock never counts."""
    total = allocatable_quants(product, warehouse).aggregate(total=Sum(F("quantity") - F("reserved")))["total"]
    return int(total or 0)


def available_many(products, warehouse=None) -> dict[int, int]:
    """`available` of several products in one query: {product id: allocatable quantity} (0 when none)."""
    ids = sorted({getattr(product, "pk", product) for product in products})
    rows = (
        _allocatable(ids, warehouse)
        .order_by()
        .values("product_id")
        .annotate(total=Sum(F("quantity") - F("reserved")))
        .values_list("product_id", "total")
    )
    found = dict(rows)
    return {pid: int(found.get(pid) or 0) for pid in ids}


def _lock_fefo(candidates, allocatable, quantity: int) -> list[StockQuant]:
    """Lock the FEFO prefix of `candidates` that covers `quantity` (all of them when it cannot be covered).

    The candidate ids are read unlocked in FEFO order (expiry, lot, location — fixed per quant), then
    locked in growing batches along that order, each batch re-filtered by `allocatable` under its lock
    (PostgreSQL re-checks a row changed by a concurrent transaction once the lock is granted: a quant just
    reserved to the full drops out; the quantities read are the committed ones). Every allocation of a
    product thus takes its row locks in the same order — no deadlock — and locks only the few quants it
    may use, not every lot of the product."""
    ids = list(candidates.values_list("pk", flat=True))
    locked: list[StockQuant] = []
    free, start, size = 0, 0, 8
    while free < quantity and start < len(ids):
        batch = ids[start : start + size]
        start, size = start + size, size * 4
        rows = list(allocatable.filter(pk__in=batch).select_for_update(of=("self",)).select_related("lot", "location"))
        locked += rows
        free += sum(quant.quantity - quant.reserved for quant in rows)
    return locked


@service
def allocate(*, actor, product, quantity: int, warehouse=None, reference) -> list[Allocation]:
    """Reserve `quantity` of `product` for a business document, FEFO over storage locations (issue 13).

    The candidate quants are locked (`select_for_update`) and each reservation is a conditional UPDATE
    (`reserved + n <= quantity`): two concurrent allocations queue, the second sees what the first took, and
    a shortfall refuses the whole request (409 `inventory.insufficient_stock`, nothing reserved) — never
    oversold. Held, expired, quarantined, staged and rejected stock is never allocated (SUP-7), nor stock of a
    product that may not be sold (PRD-1: a QA restriction 禁售标记 in force or a derived reason of
    `catalog.sellability`) — refused with the same code, the reasons in the message and `fields.unsellable`.

    The candidates are locked in FEFO order (expiry, lot, location), only as many as the quantity needs
    (`_lock_fefo`): every allocation of a product takes its row locks in the same order, so concurrent
    allocations queue and never deadlock.
    """
    require_perm(actor, "inventory.add_allocation")
    quantity = _quantity(quantity)
    reference = reference_parts(reference)
    if warehouse is not None:
        warehouse = _warehouse(actor, warehouse)
    moment = timezone.now()
    candidates = allocatable_quants(product, warehouse)
    if actor is not None:
        candidates = candidates.visible_to(actor)
    quants = _lock_fefo(candidates, allocatable_quants(product, warehouse), quantity)
    free = sum(quant.quantity - quant.reserved for quant in quants)
    if free < quantity:
        reasons = product_sellability(product) if not quants else []
        if reasons:  # PRD-1: say why nothing is allocatable
            raise StockRefused(
                E.INSUFFICIENT_STOCK,
                _("%(product)s 禁止销售（%(reasons)s），其库存不能分配")
                % {"product": product.name, "reasons": "；".join(r.message for r in reasons)},
                fields={"available": 0, "unsellable": [r.code for r in reasons]},
            )
        raise StockRefused(
            E.INSUFFICIENT_STOCK,
            _("%(product)s 可用库存 %(free)s，不足 %(n)s，不能分配")
            % {"product": product.name, "free": free, "n": quantity},
            fields={"available": free},
        )
    allocations = []
    remaining = quantity
    for quant in quants:
        if remaining == 0:
            break
        take = min(remaining, quant.quantity - quant.reserved)
        if take <= 0:
            continue
        updated = StockQuant.objects.filter(pk=quant.pk, quantity__gte=F("reserved") + take).update(
            reserved=F("reserved") + take, updated_at=moment
        )
        if not updated:  # cannot happen under the lock; refuse rather than oversell
            raise StockRefused(E.INSUFFICIENT_STOCK, _("库存已被其他订单占用，请重试"), fields={"available": 0})
        allocation = Allocation.objects.create(
            lot=quant.lot,
            location=quant.location,
            product_id=quant.product_id,
            warehouse_id=quant.warehouse_id,
            quantity=take,
            reference_type=reference[0],
            reference_id=reference[1],
            reference_number=reference[2],
            created_by=actor,
            created_at=moment,
        )
        record_event(
            event_type=EventType.ALLOCATED,
            target=allocation,
            actor=actor,
            new={"lot": str(quant.lot), "location": quant.location.code, "quantity": take, "reference": reference[2]},
        )
        allocations.append(allocation)
        remaining -= take
    return allocations


@service
def allocate_many(*, actor, items, warehouse=None, reference) -> list[Allocation]:
    """`allocate` for the lines of one document at once — [(product, quantity)] — all or nothing (SAL-6).

    Same rules and the same refusals as `allocate`, in a handful of statements instead of ten per line: the
    candidate quants of every product are read in one query (unlocked, in product then FEFO order), the
    prefix each product needs is locked in one `SELECT … FOR UPDATE` in that same global order — the order
    every allocation takes its locks in, so concurrent allocations queue and never deadlock — and each
    reservation is still a conditional UPDATE (`reserved + n <= quantity`): never oversold. The batch runs in a
    savepoint: when a concurrent allocation took part of the locked prefix between the read and the lock, the
    savepoint is rolled back (its locks given back) and the lines go one by one in product order, as does a
    product short of stock before locking (whose refusal names the product and why).
    """
    require_perm(actor, "inventory.add_allocation")
    wanted: dict[int, int] = {}
    products: dict[int, object] = {}
    for product, quantity in items:
        pid = getattr(product, "pk", product)
        wanted[pid] = wanted.get(pid, 0) + _quantity(quantity)
        products[pid] = product
    if warehouse is not None:
        warehouse = _warehouse(actor, warehouse)
    ids = sorted(wanted)
    candidates = _allocatable(ids, warehouse)
    if actor is not None:
        candidates = candidates.visible_to(actor)
    rows = candidates.order_by("product_id", *FEFO).values_list("pk", "product_id", "quantity", "reserved")
    prefix: list[int] = []
    covered: dict[int, int] = dict.fromkeys(ids, 0)
    for pk, pid, on_hand, reserved in rows:
        if covered[pid] < wanted[pid]:
            prefix.append(pk)
            covered[pid] += on_hand - reserved
    if all(covered[pid] >= wanted[pid] for pid in ids):
        try:
            with transaction.atomic():  # a savepoint: rolled back, it gives its row locks back
                allocations = _reserve_prefix(actor, ids, wanted, prefix, warehouse, reference_parts(reference))
        except _Contended:
            allocations = None
        if allocations is not None:
            return allocations
    # short or unsellable (the refusal names the product and why), or emptied by a concurrent allocation between
    # the read and the lock: line by line, in product order, each growing its locks along FEFO like `allocate`
    allocations = []
    for pid in ids:
        allocations += allocate(
            actor=actor, product=products[pid], quantity=wanted[pid], warehouse=warehouse, reference=reference
        )
    return allocations


class _Contended(Exception):
    """The locked prefix no longer covers a product: a concurrent allocation took part of it."""


def _reserve_prefix(actor, ids, wanted, prefix, warehouse, parts) -> list[Allocation]:
    from salesservice.core.events import build_event
    from salesservice.core.models import Event

    locked = list(
        _allocatable(ids, warehouse)
        .filter(pk__in=prefix)
        .order_by("product_id", *FEFO)
        .select_for_update(of=("self",))
        .select_related("lot", "location")
    )
    free: dict[int, int] = dict.fromkeys(ids, 0)
    for quant in locked:
        free[quant.product_id] += quant.quantity - quant.reserved
    if any(free[pid] < wanted[pid] for pid in ids):
        raise _Contended
    moment = timezone.now()
    allocations: list[Allocation] = []
    remaining = dict(wanted)
    for quant in locked:
        take = min(remaining[quant.product_id], quant.quantity - quant.reserved)
        if take <= 0:
            continue
        updated = StockQuant.objects.filter(pk=quant.pk, quantity__gte=F("reserved") + take).update(
            reserved=F("reserved") + take, updated_at=moment
        )
        if not updated:  # cannot happen under the lock; refuse rather than oversell
            raise StockRefused(E.INSUFFICIENT_STOCK, _("库存已被其他订单占用，请重试"), fields={"available": 0})
        remaining[quant.product_id] -= take
        allocations.append(
            Allocation(
                lot=quant.lot,
                location=quant.location,
                product_id=quant.product_id,
                warehouse_id=quant.warehouse_id,
                quantity=take,
                reference_type=parts[0],
                reference_id=parts[1],
                reference_number=parts[2],
                created_by=actor,
                created_at=moment,
            )
        )
    Allocation.objects.bulk_create(allocations)
    Event.objects.bulk_create(
        build_event(
            event_type=EventType.ALLOCATED,
            target=allocation,
            actor=actor,
            new={
                "lot": str(allocation.lot),
                "location": allocation.location.code,
                "quantity": allocation.quantity,
                "reference": parts[2],
            },
        )
        for allocation in allocations
    )
    return allocations


def _allocation(actor, allocation_id) -> Allocation:
    return scoped_get(
        Allocation, actor, allocation_id, code=E.ALLOCATION_NOT_FOUND, message=_("分配记录不存在或不在您的范围内")
    )


@service
def release_allocation(
    *, actor, allocation_id, expected_version: int | None = None, at: dt.datetime | None = None
) -> Allocation:
    """Give an open allocation back: its quantity is free again (the order was cancelled or changed)."""
    from .workflows import ALLOCATION_WORKFLOW

    require_perm(actor, "inventory.add_allocation")
    allocation = _allocation(actor, allocation_id)
    check_version(allocation, expected_version)
    ALLOCATION_WORKFLOW.check(allocation, "release")
    quant = _locked_quant(allocation.lot, allocation.location, create=False)
    StockQuant.objects.filter(pk=quant.pk, reserved__gte=allocation.quantity).update(
        reserved=F("reserved") - allocation.quantity, updated_at=timezone.now()
    )
    allocation.closed_at = _now(at)
    ALLOCATION_WORKFLOW.move(allocation, A.RELEASED, actor=actor, fields=("closed_at",))
    record_event(
        event_type=EventType.ALLOCATION_RELEASED,
        target=allocation,
        actor=actor,
        new={"quantity": allocation.quantity},
    )
    return allocation


def allocations_for(reference) -> Iterable[Allocation]:
    """The open allocations of a business document (model instance or number string)."""
    ref_type, ref_id, ref_number = reference_parts(reference)
    queryset = Allocation.objects.filter(status=A.OPEN)
    if ref_type is not None:
        return queryset.filter(reference_type=ref_type, reference_id=ref_id)
    return queryset.filter(reference_type__isnull=True, reference_number=ref_number)


@service
def release_allocations(*, actor, reference) -> int:
    """Release every open allocation of a business document; returns how many."""
    count = 0
    for allocation in list(allocations_for(reference).order_by("pk")):
        release_allocation(actor=actor, allocation_id=allocation.pk)
        count += 1
    return count


@service
def issue_allocation(
    *, actor, allocation_id, expected_version: int | None = None, at: dt.datetime | None = None, signed_by=None
) -> StockMove:
    """The reserved goods leave the warehouse (出库): a `ship` move out of the storage location, signed (TRC-3).

    `signed_by`: who signs the move when a service that checked its own permission calls as the system
    (`actor=None`) — the delivery's shipper."""
    from .workflows import ALLOCATION_WORKFLOW

    require_perm(actor, "inventory.move_stock")
    allocation = _allocation(actor, allocation_id)
    check_version(allocation, expected_version)
    ALLOCATION_WORKFLOW.check(allocation, "issue")
    moment = _now(at)
    quant = _locked_quant(allocation.lot, allocation.location, create=False)
    _take(
        quant,
        allocation.quantity,
        E.NEGATIVE_STOCK,
        _("库存不足，不能出库"),
        reserved_too=allocation.quantity,
    )
    move = _move(
        actor=actor or signed_by,
        lot=allocation.lot,
        warehouse_id=allocation.warehouse_id,
        kind=MoveKind.SHIP,
        quantity=allocation.quantity,
        reference=(allocation.reference_type, allocation.reference_id, allocation.reference_number),
        at=moment,
        from_location=allocation.location,
    )
    allocation.closed_at = moment
    ALLOCATION_WORKFLOW.move(allocation, A.ISSUED, actor=actor, fields=("closed_at",))
    record_event(event_type=EventType.ISSUED, target=allocation, actor=actor, new={"quantity": allocation.quantity})
    return move


# --- holds (INV-1, SUP-8) -----------------------------------------------------------------------


def hold(*, actor, lot: Lot, reason: str, nonconformance=None) -> Lot:
    """Freeze a lot (inside the caller's transaction): never allocated while held."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    lot.held = True
    lot.hold_reason = (reason or "").strip()[:300]
    lot.hold_nonconformance = nonconformance
    lot.save(update_fields=["held", "hold_reason", "hold_nonconformance"])
    record_event(
        event_type=EventType.HELD,
        target=lot,
        actor=actor,
        new={"nonconformance": getattr(nonconformance, "number", None)},
        message=lot.hold_reason,
    )
    return lot


def unhold(*, actor, lot: Lot, note: str = "") -> Lot:
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    old = {"reason": lot.hold_reason}
    lot.held = False
    lot.hold_reason = ""
    lot.hold_nonconformance = None
    lot.save(update_fields=["held", "hold_reason", "hold_nonconformance"])
    record_event(event_type=EventType.HOLD_RELEASED, target=lot, actor=actor, old=old, message=note)
    return lot


@service
def lot_hold(*, actor, lot, reason: str) -> Lot:
    """QA freezes a lot by hand (a suspicion, a recall notice): never allocated until released."""
    require_perm(actor, "inventory.hold_lot")
    lot = _lot(lot)
    if actor is not None and not Lot.objects.visible_to(actor).filter(pk=lot.pk).exists():
        raise NotFoundError(E.LOT_NOT_FOUND, _("批次不存在或不在您的范围内"))
    return hold(actor=actor, lot=lot, reason=reason or _("人工冻结"))


@service
def lot_release_hold(*, actor, lot, note: str = "") -> Lot:
    """QA releases a hand-made hold. A hold from a nonconformance ends only with its close (disposition)."""
    require_perm(actor, "inventory.hold_lot")
    lot = _lot(lot)
    if actor is not None and not Lot.objects.visible_to(actor).filter(pk=lot.pk).exists():
        raise NotFoundError(E.LOT_NOT_FOUND, _("批次不存在或不在您的范围内"))
    if lot.hold_nonconformance_id:
        raise StockRefused(
            E.LOT_HELD,
            _("批次因不合格品 %(nc)s 冻结，须在不合格品处置关闭时解除") % {"nc": lot.hold_nonconformance.number},
        )
    return unhold(actor=actor, lot=lot, note=note)
