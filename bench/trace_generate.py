"""Fill a dedicated bench database with GSP sales records for the trace benchmark (issue 14: generator to 5 M
sales lines; DESIGN §8: trace a lot to all its customers and a customer to all lots, p95 < 100 ms at 5 M).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_trace .venv/bin/python bench/trace_generate.py \\
        --records 1000000

The issue's data set is `--records 5000000` (lots default to records / 25, customers to records / 50). Migrate the
database first. Each run starts afresh: it empties the sales-record, order, lot and customer tables (TRUNCATE …
CASCADE — a bench database only), removes the generated products (`TRB-…`), loads the demo org and writes:

- `--products` medical-device products (default lots / 100), batch-tracked;
- `--lots` lots (lot number `T…`), 1 % of them serial units (serial `SN…`, one unit each);
- `--customers` customers (`TRB-C…`) spread over the four demo stores;
- orders of 5 records on average (one line each: a line shipped from several lots, as FEFO does), each order
  sold by its customer's store (so a store user's scope is a real filter), one order in three with a contract
  number's worth of contract;
- `--records` GSP sales records: a lot reaches customers at random (about records / lots records each, so
  ~25 customers per lot at the defaults), sale dates over the last two years, every TRC-1 field filled.

Rows go in through COPY (`bench/fastinsert.py`), with a fixed seed. Refuses the shared databases (`salesservice`,
`test_salesservice`, `lead_ss`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

PRODUCT_PREFIX, LOT_PREFIX, SERIAL_PREFIX, CUSTOMER_PREFIX = "TRB-", "T", "SN", "TRB-C"
CATEGORY_CODE, WAREHOUSE_CODE = "bench-trace", "TRB-WH"
STORES = ("sh-xuhui", "hz-xihu", "gz-tianhe", "sz-nanshan")
RECORDS_PER_ORDER = 5


def _defaults(model, now) -> dict:
    """Every concrete column's value when a generated row does not give one (insert_rows bypasses defaults)."""
    from django.db import models

    from bench.fastinsert import dumps

    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            values[field.attname] = now
        elif field.has_default() or not field.null:
            value = field.get_default()
            values[field.attname] = dumps(value) if isinstance(field, models.JSONField) else value
        else:
            values[field.attname] = None
    return values


def _rows(model, now, given_columns, rows):
    """(columns, row iterator) with every column of `model`: the given ones first, the rest from defaults."""
    defaults = _defaults(model, now)
    rest = [name for name in defaults if name not in given_columns]
    tail = tuple(defaults[name] for name in rest)
    return [*given_columns, *rest], (tuple(row) + tail for row in rows)


def reset() -> None:
    from auditlog.context import disable_auditlog

    from bench.fastinsert import truncate_cascade
    from salesservice.catalog.models import Product, ProductCategory
    from salesservice.customers.models import Customer
    from salesservice.inventory.models import Lot
    from salesservice.sales.models import SalesOrder, SalesOrderLine, SalesRecord

    truncate_cascade(SalesRecord, SalesOrderLine, SalesOrder, Lot, Customer)
    with disable_auditlog():
        Product.objects.filter(code__startswith=PRODUCT_PREFIX).delete()
        ProductCategory.objects.filter(code=CATEGORY_CODE).delete()


def make_products(count: int) -> list[tuple]:
    from salesservice.catalog.choices import DeviceClass, TrackingMode
    from salesservice.catalog.models import Product, ProductCategory

    category = ProductCategory.objects.create(code=CATEGORY_CODE, name="追溯压测器械")
    category.path = f"/{category.pk}/"
    category.save(update_fields=["path"])
    Product.objects.bulk_create(
        (
            Product(
                code=f"{PRODUCT_PREFIX}{n:06d}",
                name=f"压测器械{n:06d}",
                specification="5 mL",
                category=category,
                unit="支",
                tracking_mode=TrackingMode.BATCH,
                shelf_life_tracked=True,
                shelf_life_days=730,
                device_class=DeviceClass.CLASS_II,
                registration_no=f"苏械注准2024{n:06d}",
                manufacturer="压测医疗器械有限公司",
                origin="江苏苏州",
            )
            for n in range(1, count + 1)
        ),
        batch_size=5_000,
    )
    return list(
        Product.objects.filter(code__startswith=PRODUCT_PREFIX)
        .order_by("pk")
        .values_list("pk", "name", "specification", "registration_no")
    )


def generate(args) -> dict:
    from django.utils import timezone

    from bench.fastinsert import analyze, insert_rows
    from salesservice.core.demo import load_demo_org
    from salesservice.core.models import OrgUnit, User
    from salesservice.core.policy_defaults import seed_policy_defaults
    from salesservice.customers.models import Customer
    from salesservice.inventory.models import Lot, Warehouse
    from salesservice.sales.models import Contract, SalesOrder, SalesOrderLine, SalesRecord

    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    reset()
    load_demo_org()
    seed_policy_defaults()
    rep_id = User.objects.get(username="sales_rep").pk
    stores = list(OrgUnit.objects.filter(code__in=STORES).values_list("pk", flat=True))
    warehouse = Warehouse.objects.filter(code=WAREHOUSE_CODE).first() or Warehouse.objects.create(
        code=WAREHOUSE_CODE, name="追溯压测仓", org_unit=OrgUnit.objects.get(code="dept-warehouse")
    )
    lots_n = args.lots or max(100, args.records // 25)
    customers_n = args.customers or max(100, args.records // 50)
    products = make_products(args.products or max(10, lots_n // 100))
    now = timezone.now()
    today = timezone.localdate()
    timings["setup_s"] = time.perf_counter() - start

    # --- lots and customers ------------------------------------------------------------------------
    step = time.perf_counter()
    lot_specs = []  # (product index, lot number, serial, expiry)
    for n in range(1, lots_n + 1):
        serial = rng.random() < 0.01
        expiry = today + dt.timedelta(days=rng.randint(-60, 900))
        lot_specs.append(
            (
                rng.randrange(len(products)),
                "" if serial else f"{LOT_PREFIX}{n:07d}",
                f"{SERIAL_PREFIX}{n:08d}" if serial else "",
                expiry,
            )
        )
    columns, rows = _rows(
        Lot,
        now,
        ["product_id", "lot_number", "serial_number", "expiry_date"],
        ((products[p][0], lot, serial, expiry) for p, lot, serial, expiry in lot_specs),
    )
    insert_rows(Lot, columns, rows)
    lot_ids = list(Lot.objects.order_by("pk").values_list("pk", flat=True))
    customer_stores = [stores[rng.randrange(len(stores))] for _ in range(customers_n)]
    columns, rows = _rows(
        Customer,
        now,
        ["code", "customer_type", "name", "store_id", "phone", "address"],
        (
            (
                f"{CUSTOMER_PREFIX}{n:07d}",
                "hospital" if n % 3 else "dealer",
                f"压测医院{n:07d}",
                customer_stores[n - 1],
                f"139{n:08d}",
                f"压测市某区某路 {n} 号",
            )
            for n in range(1, customers_n + 1)
        ),
    )
    insert_rows(Customer, columns, rows)
    customer_ids = list(
        Customer.objects.filter(code__startswith=CUSTOMER_PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    timings["lots_customers_s"] = time.perf_counter() - step

    # --- orders (+ contracts), one line each ---------------------------------------------------------
    step = time.perf_counter()
    orders_n = max(1, args.records // RECORDS_PER_ORDER)
    order_specs = []  # (customer index, product index, sale date)
    for _ in range(orders_n):
        order_specs.append(
            (rng.randrange(customers_n), rng.randrange(len(products)), today - dt.timedelta(days=rng.randint(0, 730)))
        )
    contract_every = 3
    columns, rows = _rows(
        Contract,
        now,
        ["number", "org_unit_id", "customer_id", "title", "created_by_id", "status"],
        (
            (f"HT-TRB-{n:08d}", customer_stores[c], customer_ids[c], "压测合同", rep_id, "executing")
            for n, (c, _p, _d) in enumerate(order_specs)
            if n % contract_every == 0
        ),
    )
    insert_rows(Contract, columns, rows)
    contract_ids = list(
        Contract.objects.filter(number__startswith="HT-TRB-").order_by("pk").values_list("pk", flat=True)
    )
    columns, rows = _rows(
        SalesOrder,
        now,
        [
            "number",
            "org_unit_id",
            "customer_id",
            "contract_id",
            "warehouse_id",
            "sales_rep_id",
            "order_date",
            "status",
            "created_by_id",
        ],
        (
            (
                f"SO-TRB-{n:08d}",
                customer_stores[c],
                customer_ids[c],
                contract_ids[n // contract_every] if n % contract_every == 0 else None,
                warehouse.pk,
                rep_id,
                sale_date,
                "delivered",
                rep_id,
            )
            for n, (c, _p, sale_date) in enumerate(order_specs)
        ),
    )
    insert_rows(SalesOrder, columns, rows)
    order_ids = list(
        SalesOrder.objects.filter(number__startswith="SO-TRB-").order_by("pk").values_list("pk", flat=True)
    )
    price = Decimal("120.00")
    columns, rows = _rows(
        SalesOrderLine,
        now,
        ["order_id", "product_id", "quantity", "list_price", "unit_price", "allocated_quantity", "shipped_quantity"],
        ((order_ids[n], products[p][0], 10, price, price, 10, 10) for n, (_c, p, _d) in enumerate(order_specs)),
    )
    insert_rows(SalesOrderLine, columns, rows)
    line_ids = list(
        SalesOrderLine.objects.filter(order_id__in=order_ids).order_by("order_id").values_list("pk", flat=True)
    )
    timings["orders_s"] = time.perf_counter() - step

    # --- the GSP sales records ------------------------------------------------------------------------
    step = time.perf_counter()

    def records():
        for n in range(args.records):
            o = n % orders_n
            c, p, sale_date = order_specs[o]
            lot_index = rng.randrange(lots_n)
            _lp, lot_number, serial, expiry = lot_specs[lot_index]
            quantity = 1 if serial else rng.randint(1, 20)
            pk, name, spec, registration = products[p]
            yield (
                customer_stores[c],
                order_ids[o],
                line_ids[o],
                customer_ids[c],
                pk,
                lot_ids[lot_index],
                f"FH-TRB-{o:08d}",
                sale_date,
                quantity,
                price,
                price * quantity,
                True,
                name,
                spec,
                registration,
                lot_number,
                serial,
                expiry,
                "压测医疗器械有限公司",
                f"压测医院{c + 1:07d}",
                "设备科",
                f"139{c + 1:08d}",
                f"压测市某区某路 {c + 1} 号",
                expiry + dt.timedelta(days=730),
            )

    columns, rows = _rows(
        SalesRecord,
        now,
        [
            "org_unit_id",
            "order_id",
            "order_line_id",
            "customer_id",
            "product_id",
            "lot_id",
            "shipment_number",
            "sale_date",
            "quantity",
            "unit_price",
            "amount",
            "is_medical_device",
            "product_name",
            "specification",
            "registration_no",
            "lot_number",
            "serial_number",
            "expiry_date",
            "manufacturer",
            "buyer_name",
            "contact",
            "phone",
            "address",
            "retain_until",
        ],
        records(),
    )
    written = insert_rows(SalesRecord, columns, rows)
    timings["records_s"] = time.perf_counter() - step
    step = time.perf_counter()
    analyze(Lot, Customer, Contract, SalesOrder, SalesOrderLine, SalesRecord)
    timings["analyze_s"] = time.perf_counter() - step
    timings["total_s"] = time.perf_counter() - start
    return {
        "records": written,
        "lots": len(lot_ids),
        "serial_lots": sum(1 for spec in lot_specs if spec[2]),
        "customers": len(customer_ids),
        "orders": orders_n,
        "contracts": len(contract_ids),
        "products": len(products),
        "timings": {k: round(v, 1) for k, v in timings.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="", help="names the output files (default: <records>)")
    parser.add_argument("--records", type=int, default=100_000, help="GSP sales records (issue 14: up to 5 000 000)")
    parser.add_argument("--lots", type=int, default=0, help="lots (default: records / 25)")
    parser.add_argument("--customers", type=int, default=0, help="customers (default: records / 50)")
    parser.add_argument("--products", type=int, default=0, help="products (default: lots / 100, at least 10)")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if args.records < RECORDS_PER_ORDER:
        parser.error(f"need at least {RECORDS_PER_ORDER} records")

    common.setup(args.database_url)
    common.refuse_shared_database()
    label = args.label or str(args.records)
    print(f"trace generate: {common.database_label()}, {args.records:,} sales records", flush=True)
    result = generate(args)
    print(
        f"  {result['records']:,} records, {result['lots']:,} lots, {result['customers']:,} customers, "
        f"{result['orders']:,} orders in {result['timings']['total_s']} s {result['timings']}",
        flush=True,
    )
    rows = [[key, value] for key, value in result.items() if key != "timings"]
    rows += [[f"time {key}", value] for key, value in result["timings"].items()]
    markdown = f"## Trace data set — {label} ({common.database_label()})\n\n" + common.markdown_table(
        ["what", "value"], rows
    )
    common.write_results(
        "trace-generate", label, {"label": label, "database": common.database_label(), **result}, markdown
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
