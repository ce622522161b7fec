"""Storage environment 存储环境 (INV-1) and the disposition of nonconforming stock (SUP-8).

INV-1 (seed 000 存儲環境要求): each product has its storage range (catalog: temperature and humidity min/max).
A reading of a location (entered, imported from Excel or posted by a sensor gateway) is compared with the
range of every product stored there; out of range → an excursion: for each affected lot not already held,
a nonconformance (`inspection.services.nonconformance_raise`, source `storage`) and a hold on the lot (never
allocated while held), QA and the warehouse told.

SUP-8: when a nonconformance closes (`inspection.signals.nonconformance_closed`), its disposition is carried
out on the stock it concerns — in the close's transaction (a refusal here rolls the close back):
- concession 让步接收 / rework 返工: held lots are released; rejected stock goes back to staging 合格待上架区;
- return to supplier 退供方 / scrap 报废: the stock leaves (a `return_to_supplier` / `scrap` move) and the hold
  ends.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError
from salesservice.core.guards import require_perm
from salesservice.core.notifications import notify
from salesservice.inspection.choices import Disposition, NonconformanceSource
from salesservice.inspection.services import nonconformance_raise

from .choices import EventType, LocationKind, MoveKind, ReadingSource
from .errors import InventoryErrorCode as E
from .models import Lot, StockMove, StockQuant, StorageReading
from .services import StockRefused, _add, _location, _locked_quant, _move, _now, _take, special_location, unhold

TEMPERATURE_BOUNDS = (Decimal("-80"), Decimal("80"))


def _decimal(value, field: str):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError(E.READING_OUT_OF_BOUNDS, _("读数无效"), fields={field: [_("无效")]}) from None
    return number


def excursions(product, temperature, humidity) -> list[str]:
    """INV-1: what is out of `product`'s storage range in this reading (Chinese, one phrase each)."""
    found = []
    low, high = product.storage_temp_min, product.storage_temp_max
    if temperature is not None and (
        (low is not None and temperature < low) or (high is not None and temperature > high)
    ):
        found.append(
            _("温度 %(value)s°C 超出 %(low)s~%(high)s°C")
            % {"value": temperature, "low": low if low is not None else "—", "high": high if high is not None else "—"}
        )
    low, high = product.storage_humidity_min, product.storage_humidity_max
    if humidity is not None and ((low is not None and humidity < low) or (high is not None and humidity > high)):
        found.append(
            _("湿度 %(value)s%% 超出 %(low)s~%(high)s%%")
            % {"value": humidity, "low": low if low is not None else "—", "high": high if high is not None else "—"}
        )
    return found


@service
def reading_record(
    *,
    actor,
    location,
    temperature=None,
    humidity=None,
    recorded_at: dt.datetime | None = None,
    source: str = ReadingSource.MANUAL,
    note: str = "",
) -> StorageReading:
    """INV-1: record a temperature / humidity reading of a location, signed (TRC-3). Out of the range of a
    product stored there → an excursion: a nonconformance per affected lot (source `storage`) and a hold on
    it, so it is never allocated until QA's disposition closes the nonconformance."""
    require_perm(actor, "inventory.add_storagereading")
    location = _location(actor, location)
    temperature = _decimal(temperature, "temperature")
    if humidity in ("", None):
        humidity = None
    else:
        try:
            humidity = int(humidity)
        except (TypeError, ValueError):
            raise DomainError(E.READING_OUT_OF_BOUNDS, _("湿度无效"), fields={"humidity": [_("无效")]}) from None
    if temperature is None and humidity is None:
        message = _("温度与湿度至少填写一项")
        raise DomainError(E.READING_EMPTY, message, fields={"temperature": [message]})
    if (temperature is not None and not TEMPERATURE_BOUNDS[0] <= temperature <= TEMPERATURE_BOUNDS[1]) or (
        humidity is not None and not 0 <= humidity <= 100
    ):
        raise DomainError(
            E.READING_OUT_OF_BOUNDS,
            _("读数超出可能范围（温度 -80~80°C，湿度 0~100%）"),
            fields={"temperature": [_("无效")]},
        )
    if source not in ReadingSource.values:
        source = ReadingSource.MANUAL
    moment = _now(recorded_at)
    reading = StorageReading.objects.create(
        location=location,
        warehouse_id=location.warehouse_id,
        temperature=temperature,
        humidity=humidity,
        recorded_at=moment,
        recorded_by=actor,
        source=source,
        note=(note or "").strip()[:300],
    )
    record_event(
        event_type=EventType.READING_RECORDED,
        target=reading,
        actor=actor,
        new={"temperature": str(temperature) if temperature is not None else None, "humidity": humidity},
        at=moment,
    )
    quants = (
        StockQuant.objects.filter(location=location, quantity__gt=0)
        .select_related("lot", "product")
        .order_by("product_id", "lot_id")
    )
    details, ncs = [], []
    for quant in quants:
        found = excursions(quant.product, temperature, humidity)
        if not found:
            continue
        text = "；".join(found)
        details.append(f"{quant.product.name} {quant.lot}：{text}")
        if quant.lot.held:  # already held (an earlier reading, an open NC): one nonconformance is enough
            continue
        nc = nonconformance_raise(
            actor=actor,
            source=NonconformanceSource.STORAGE,
            product=quant.product,
            org_unit=location.warehouse.org_unit,
            description=_("储存环境超限：%(location)s %(text)s（%(at)s）")
            % {
                "location": f"{location.warehouse.code}/{location.code}",
                "text": text,
                "at": f"{moment:%Y-%m-%d %H:%M}",
            },
            batch_number=quant.lot.lot_number,
            serial_number=quant.lot.serial_number,
            quantity=quant.quantity,
            at=moment,
        )
        from .services import hold

        hold(actor=actor, lot=quant.lot, reason=_("储存环境超限（%(nc)s）") % {"nc": nc.number}, nonconformance=nc)
        ncs.append(nc)
    if details:
        reading.excursion = True
        reading.excursion_detail = "；".join(details)[:500]
        reading.save(update_fields=["excursion", "excursion_detail"])
        if ncs:
            reading.nonconformances.add(*ncs)
        record_event(
            event_type=EventType.EXCURSION,
            target=reading,
            actor=actor,
            new={"nonconformances": [nc.number for nc in ncs]},
            message=reading.excursion_detail[:300],
        )
        notify(
            recipients=holders("warehouse_clerk"),
            title=_("储存环境超限：%(location)s") % {"location": location.name},
            body=reading.excursion_detail[:200],
            url=reverse("inventory:readings") + "?excursion=true",
            kind="inventory.excursion",
        )
    return reading


# --- SUP-8: carry out the disposition when the nonconformance closes ---------------------------------


def apply_disposition(*, actor, nonconformance) -> int:
    """Move the stock a closed nonconformance concerns as its disposition says (module docstring); returns
    the number of moves written. Runs in the caller's (the close's) transaction."""
    disposition = nonconformance.disposition
    leaves = disposition in (Disposition.RETURN_TO_SUPPLIER, Disposition.SCRAP)
    out_kind = MoveKind.SCRAP if disposition == Disposition.SCRAP else MoveKind.RETURN_TO_SUPPLIER
    moment = _now(None)
    reference = (None, "", nonconformance.number)
    written = 0

    # Stock rejected at receiving inspection, in the rejected location, linked to this NC.
    rejected = (
        StockMove.objects.filter(nonconformance=nonconformance, kind=MoveKind.REJECT)
        .values("lot_id", "to_location_id")
        .annotate(total=Sum("quantity"))
        .order_by("lot_id")
    )
    for row in rejected:
        lot = Lot.objects.get(pk=row["lot_id"])
        source_quant = StockQuant.objects.select_for_update().filter(lot=lot, location_id=row["to_location_id"]).first()
        quantity = min(row["total"], source_quant.quantity - source_quant.reserved) if source_quant else 0
        if quantity <= 0:
            continue
        source = source_quant.location
        _take(source_quant, quantity, E.NEGATIVE_STOCK, _("不合格品区库存不足"))
        target = None
        if not leaves:
            target = special_location(source.warehouse, LocationKind.STAGING)
            _add(_locked_quant(lot, target), quantity)
        _move(
            actor=actor,
            lot=lot,
            warehouse_id=source.warehouse_id,
            kind=out_kind if leaves else MoveKind.RELEASE,
            quantity=quantity,
            reference=reference,
            at=moment,
            from_location=source,
            to_location=target,
            nonconformance=nonconformance,
            note=str(Disposition(disposition).label),
            event_type=EventType.DISPOSED,
        )
        written += 1

    # Lots held by this NC (storage excursion): the stock at the excursion's locations leaves, or the hold ends.
    held = list(Lot.objects.filter(hold_nonconformance=nonconformance))
    if held and leaves:
        location_ids = set(
            StorageReading.objects.filter(nonconformances=nonconformance).values_list("location_id", flat=True)
        )
        quants = StockQuant.objects.select_for_update().filter(
            lot__in=held, location_id__in=location_ids, quantity__gt=0
        )
        for quant in quants.select_related("location", "lot"):
            if quant.reserved:
                raise StockRefused(
                    E.LOT_HELD,
                    _("批次 %(lot)s 在 %(location)s 仍有已分配数量，请先释放分配再关闭不合格品")
                    % {"lot": quant.lot, "location": quant.location.code},
                )
            quantity = quant.quantity
            _take(quant, quantity, E.NEGATIVE_STOCK, _("库存不足"))
            _move(
                actor=actor,
                lot=quant.lot,
                warehouse_id=quant.warehouse_id,
                kind=out_kind,
                quantity=quantity,
                reference=reference,
                at=moment,
                from_location=quant.location,
                nonconformance=nonconformance,
                note=str(Disposition(disposition).label),
                event_type=EventType.DISPOSED,
            )
            written += 1
    for lot in held:
        unhold(
            actor=actor,
            lot=lot,
            note=_("不合格品 %(nc)s 已关闭：%(disposition)s")
            % {"nc": nonconformance.number, "disposition": Disposition(disposition).label},
        )
    return written


def on_nonconformance_closed(sender, nonconformance, actor=None, **kwargs):
    """Receiver of `inspection.signals.nonconformance_closed` (connected in InventoryConfig.ready)."""
    apply_disposition(actor=actor, nonconformance=nonconformance)
