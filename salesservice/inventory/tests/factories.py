"""Builders for inventory tests (and for purchasing's): warehouses, storage locations, lots and stock that
went the SUP-7 way — received into quarantine, released by inspection, put away."""

import datetime as dt

from django.utils import timezone

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.tests.factories import ProductFactory
from salesservice.core.choices import OrgUnitKind
from salesservice.core.models import OrgUnit

from .. import services
from ..models import Location, Warehouse


def _default_unit() -> OrgUnit:
    unit = OrgUnit.objects.filter(code="dept-warehouse").first()
    if unit is None:
        unit = OrgUnit.objects.filter(kind=OrgUnitKind.COMPANY).order_by("pk").first()
    if unit is None:
        unit = OrgUnit.objects.create(code="hq-test", name="测试总部", kind=OrgUnitKind.COMPANY)
        unit.path = f"/{unit.pk}/"
        unit.save(update_fields=["path"])
    return unit


def warehouse(code: str = "WH-T", org_unit: OrgUnit | None = None, name: str = "") -> Warehouse:
    """A warehouse (with its quarantine, staging and rejected locations) of `org_unit` (default: 仓储部/HQ)."""
    found = Warehouse.objects.filter(code=code).first()
    if found is not None:
        return found
    return services.warehouse_create(
        actor=None, code=code, name=name or f"测试仓库 {code}", org_unit=org_unit or _default_unit()
    )


def storage_location(wh: Warehouse, code: str = "A-01") -> Location:
    found = Location.objects.filter(warehouse=wh, code=code).first()
    return found or services.location_create(actor=None, warehouse=wh, code=code, name=f"储位 {code}")


def batch_product(**kwargs):
    """A product tracked by lot with expiry (a medical consumable, say)."""
    kwargs.setdefault("tracking_mode", TrackingMode.BATCH)
    kwargs.setdefault("shelf_life_tracked", True)
    kwargs.setdefault("shelf_life_days", 730)
    return ProductFactory(**kwargs)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def stocked(product, quantity: int, *, wh=None, location=None, lot_number="L1", expiry=None, reference="TEST-REF"):
    """`quantity` of a lot of `product` put away in a storage location the SUP-7 way; returns the lot."""
    wh = wh or warehouse()
    location = location or storage_location(wh)
    lot = services.lot_for(
        product=product,
        lot_number=lot_number,
        expiry_date=expiry if expiry is not None else (in_days(365) if product.shelf_life_tracked else None),
    )
    services.receive_into_quarantine(actor=None, warehouse=wh, lot=lot, quantity=quantity, reference=reference)
    services.release_inspected(actor=None, warehouse=wh, lot=lot, accepted=quantity, rejected=0, reference=reference)
    services.put_away(actor=None, lot=lot, to_location=location, quantity=quantity, reference=reference)
    return lot


__all__ = ["ProductFactory", "batch_product", "in_days", "stocked", "storage_location", "warehouse"]
