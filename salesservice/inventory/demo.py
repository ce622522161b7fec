"""Demo records of the inventory app for `manage.py load_demo` (idempotent): a central warehouse and a store
warehouse with storage locations; stock put away the SUP-7 way (lots near expiry included); a receipt partly
rejected (accept 95, reject 5 → nonconformance); a lot still in quarantine awaiting inspection; a temperature
excursion (NC + hold, INV-1); a stocktake with a variance waiting for approval (INV-2)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salesservice.catalog.choices import TrackingMode
from salesservice.catalog.models import Product
from salesservice.core.models import OrgUnit, User

from . import counts, environment, services
from .models import Warehouse


def _lot(product, index: int, *, expiry_days: int | None = 400):
    today = timezone.localdate()
    expiry = today + dt.timedelta(days=expiry_days) if (product.shelf_life_tracked or expiry_days) else None
    if product.tracking_mode == TrackingMode.SERIAL:
        return services.lot_for(
            product=product, lot_number="", serial_number=f"SN{product.pk:04d}{index:03d}", expiry_date=None
        )
    return services.lot_for(
        product=product,
        lot_number=f"{today:%y%m}-{product.pk:03d}-{index}",
        production_date=today - dt.timedelta(days=60),
        expiry_date=expiry if product.shelf_life_tracked or product.tracking_mode == TrackingMode.BATCH else None,
    )


def _stock(actor, qa, warehouse, location, product, quantity, index, *, expiry_days=400, reference="DEMO-期初"):
    lot = _lot(product, index, expiry_days=expiry_days)
    if product.tracking_mode == TrackingMode.SERIAL:
        quantity = 1
    services.receive_into_quarantine(actor=actor, warehouse=warehouse, lot=lot, quantity=quantity, reference=reference)
    services.release_inspected(
        actor=qa, warehouse=warehouse, lot=lot, accepted=quantity, rejected=0, reference=reference
    )
    services.put_away(actor=actor, lot=lot, to_location=location, quantity=quantity, reference=reference)
    return lot


def load_demo() -> None:
    if Warehouse.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["warehouse_clerk", "qa_inspector", "gm"])}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["dept-warehouse", "sh-xuhui"])}
    products = list(Product.objects.filter(is_active=True).order_by("code"))
    if len(users) < 3 or len(units) < 2 or not products:
        return
    clerk, qa = users["warehouse_clerk"], users["qa_inspector"]
    with transaction.atomic():
        central = services.warehouse_create(
            actor=None, code="WH-HQ", name="总部中心仓", org_unit=units["dept-warehouse"]
        )
        store = services.warehouse_create(actor=None, code="WH-XH", name="徐汇店仓", org_unit=units["sh-xuhui"])
        a1 = services.location_create(
            actor=None, warehouse=central, code="A-01", name="常温区 A-01", conditions="10–30°C"
        )
        a2 = services.location_create(
            actor=None, warehouse=central, code="A-02", name="常温区 A-02", conditions="10–30°C"
        )
        cool = services.location_create(
            actor=None, warehouse=central, code="C-01", name="阴凉库 C-01", conditions="≤20°C"
        )
        shop = services.location_create(actor=None, warehouse=store, code="S-01", name="门店货架 S-01")

        batch = [p for p in products if p.tracking_mode == TrackingMode.BATCH] or products
        shelf_life = [p for p in batch if p.shelf_life_tracked] or batch
        ranged = [p for p in products if p.storage_temp_max is not None and p.tracking_mode != TrackingMode.SERIAL]

        for index, product in enumerate(products[:8]):
            _stock(clerk, qa, central, a1 if index % 2 else a2, product, 40 + 10 * index, 1)
        # FEFO and near expiry: two lots of the same product, one expiring within the warning window.
        _stock(clerk, qa, central, a1, shelf_life[0], 30, 2, expiry_days=45)
        _stock(clerk, qa, central, a2, shelf_life[0], 60, 3, expiry_days=500)
        _stock(clerk, qa, store, shop, products[0], 6, 4)

        # A receipt partly rejected at inspection (SUP-7/SUP-8): 95 accepted, 5 isolated with their NC.
        from salesservice.inspection.services import nonconformance_raise

        product = batch[0]
        lot = _lot(product, 5)
        quantity = 1 if product.tracking_mode == TrackingMode.SERIAL else 100
        services.receive_into_quarantine(
            actor=clerk, warehouse=central, lot=lot, quantity=quantity, reference="DEMO-RC-1"
        )
        if quantity == 100:
            nc = nonconformance_raise(
                actor=qa,
                source="receiving",
                product=product,
                org_unit=central.org_unit,
                description="进货检验：5 件外包装破损、灭菌标识模糊",
                batch_number=lot.lot_number,
                quantity=5,
            )
            services.release_inspected(
                actor=qa, warehouse=central, lot=lot, accepted=95, rejected=5, reference="DEMO-RC-1", nonconformance=nc
            )
        # A lot still in quarantine, waiting for inspection (QA's queue).
        waiting = _lot(batch[-1], 6)
        services.receive_into_quarantine(
            actor=clerk,
            warehouse=central,
            lot=waiting,
            quantity=1 if batch[-1].tracking_mode == TrackingMode.SERIAL else 50,
            reference="DEMO-RC-2",
        )

        # A temperature excursion in the cool room (INV-1).
        if ranged:
            product = ranged[0]
            _stock(clerk, qa, central, cool, product, 24, 7)
            now = timezone.now()
            environment.reading_record(
                actor=clerk,
                location=cool,
                temperature=Decimal("18.0"),
                humidity=45,
                recorded_at=now - dt.timedelta(hours=3),
            )
            too_hot = (product.storage_temp_max or Decimal("30")) + Decimal("6")
            environment.reading_record(
                actor=clerk,
                location=cool,
                temperature=too_hot,
                humidity=50,
                recorded_at=now - dt.timedelta(hours=1),
                note="空调故障",
            )

        # A stocktake of A-01 with a variance, submitted, waiting for the general manager (INV-2).
        count = counts.stock_count_create(actor=clerk, warehouse=central, location=a1, note="月末盘点（演示）")
        counts.stock_count_start(actor=clerk, count_id=count.pk)
        entries = []
        for position, line in enumerate(count.lines.order_by("pk")):
            short = position == 0 and line.system_quantity > 1
            entries.append(
                {
                    "line": line.pk,
                    "counted_quantity": line.system_quantity - 2 if short else line.system_quantity,
                    "reason": "包装破损 2 件，已隔离待报废" if short else "",
                }
            )
        counts.stock_count_record(actor=clerk, count_id=count.pk, lines=entries)
        counts.stock_count_submit(actor=clerk, count_id=count.pk)
