"""Fill a dedicated bench database with stock: lots, an append-only ledger and the quants it explains (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_inv .venv/bin/python bench/stock_generate.py \\
        --moves 500000 --lots 20000

The issue's data set is `--moves 5000000 --lots 200000`. Migrate the database first. Each run starts afresh:
it empties the inventory tables (TRUNCATE … CASCADE), removes the generated products (`STB-…`), loads the
demo org (for the warehouse clerk and the 仓储部 unit that owns the warehouses) and writes:

- `--products` products (default lots / 100), batch-tracked with expiry, sellable;
- `--warehouses` warehouses with their quarantine / staging / rejected locations and `--locations` storage
  locations each;
- `--lots` lots (lot number `B…`), each of one product, received in one warehouse: expiry 1–30 months ahead
  (4 % already expired), 2 % held by QA, production 1–24 months ago;
- `--moves` ledger rows: per lot `receive` into quarantine, `release` to staging, `put_away` into 1–3
  storage locations — 1 % of lots still wait in quarantine — then the rest of the budget spread at random
  over the lots as `ship` (the bulk), `transfer` between storage locations and `adjust`;
- the quants those moves leave (on hand per lot and location, never negative) and, for one storage quant
  in ten, an open `Allocation` reserving part of it.

Rows go in through COPY (`bench/fastinsert.py`), with a fixed seed; the ledger's `at` grows with its id over
the last two years. Refuses the shared databases (`salesservice`, `test_salesservice`, `lead_ss`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

PRODUCT_PREFIX, LOT_PREFIX, WAREHOUSE_PREFIX = "STB-", "B", "BWH-"
CATEGORY_CODE = "bench-stock"


def reset() -> None:
    """Empty the inventory tables and remove the generated products and their category."""
    from auditlog.context import disable_auditlog

    from bench.fastinsert import truncate_cascade
    from salesservice.catalog.models import Product, ProductCategory
    from salesservice.inventory.models import Allocation, Location, Lot, StockMove, StockQuant, Warehouse

    truncate_cascade(Allocation, StockMove, StockQuant, Lot, Location, Warehouse)
    with disable_auditlog():
        Product.objects.filter(code__startswith=PRODUCT_PREFIX).delete()
        ProductCategory.objects.filter(code=CATEGORY_CODE).delete()


def make_products(count: int) -> list[int]:
    from salesservice.catalog.choices import TrackingMode
    from salesservice.catalog.models import Product, ProductCategory

    category = ProductCategory.objects.create(code=CATEGORY_CODE, name="库存压测商品")
    category.path = f"/{category.pk}/"
    category.save(update_fields=["path"])
    products = [
        Product(
            code=f"{PRODUCT_PREFIX}{n:06d}",
            name=f"压测耗材{n:06d}",
            specification="10 支/盒",
            category=category,
            unit="盒",
            tracking_mode=TrackingMode.BATCH,
            shelf_life_tracked=True,
            shelf_life_days=730,
            manufacturer="压测医疗器械有限公司",
            origin="江苏苏州",
        )
        for n in range(1, count + 1)
    ]
    Product.objects.bulk_create(products, batch_size=5_000)
    return list(Product.objects.filter(code__startswith=PRODUCT_PREFIX).order_by("pk").values_list("pk", flat=True))


def make_warehouses(count: int, storage_per_warehouse: int) -> dict[int, dict]:
    """{warehouse id: {"quarantine": id, "staging": id, "rejected": id, "storage": [ids]}}."""
    from salesservice.core.models import OrgUnit
    from salesservice.inventory.choices import SPECIAL_LOCATIONS, LocationKind
    from salesservice.inventory.models import Location, Warehouse

    unit = OrgUnit.objects.get(code="dept-warehouse")
    warehouses = Warehouse.objects.bulk_create(
        Warehouse(code=f"{WAREHOUSE_PREFIX}{n:02d}", name=f"压测仓库{n:02d}", org_unit=unit)
        for n in range(1, count + 1)
    )
    locations = []
    for wh in warehouses:
        locations += [
            Location(warehouse=wh, kind=kind, code=code, name=str(name))
            for kind, (code, name) in SPECIAL_LOCATIONS.items()
        ]
        locations += [
            Location(
                warehouse=wh, kind=LocationKind.STORAGE, code=f"S-{n:04d}", name=f"储位 {n:04d}", conditions="常温"
            )
            for n in range(1, storage_per_warehouse + 1)
        ]
    Location.objects.bulk_create(locations, batch_size=5_000)
    layout: dict[int, dict] = {wh.pk: {"storage": []} for wh in warehouses}
    for pk, wh_id, kind in Location.objects.filter(warehouse__in=warehouses).values_list("pk", "warehouse_id", "kind"):
        if kind == LocationKind.STORAGE:
            layout[wh_id]["storage"].append(pk)
        else:
            layout[wh_id][kind] = pk
    return layout


def generate(args) -> dict:
    from django.utils import timezone

    from bench.fastinsert import analyze, insert_rows
    from salesservice.catalog.models import Product
    from salesservice.core.demo import load_demo_org
    from salesservice.core.models import User
    from salesservice.core.policy_defaults import seed_policy_defaults
    from salesservice.inventory.choices import AllocationStatus, MoveKind
    from salesservice.inventory.models import Allocation, Location, Lot, StockMove, StockQuant, Warehouse

    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    reset()
    load_demo_org()
    seed_policy_defaults()
    clerk_id = User.objects.get(username="warehouse_clerk").pk
    product_count = args.products or max(10, args.lots // 100)
    product_ids = make_products(product_count)
    layout = make_warehouses(args.warehouses, args.locations)
    warehouse_ids = sorted(layout)
    timings["setup_s"] = time.perf_counter() - start

    now = timezone.now()
    today = timezone.localdate()
    # --- lots -------------------------------------------------------------------------------------
    step = time.perf_counter()
    lot_specs = []  # (product, warehouse, quantity received, in quarantine only)
    lot_rows = []
    for n in range(1, args.lots + 1):
        product = product_ids[rng.randrange(product_count)]
        expired = rng.random() < 0.04
        expiry = today + dt.timedelta(days=-rng.randint(1, 120) if expired else rng.randint(30, 900))
        production = today - dt.timedelta(days=rng.randint(30, 720))
        held = rng.random() < 0.02
        lot_rows.append(
            (product, f"{LOT_PREFIX}{n:07d}", "", production, expiry, None, held, "压测冻结" if held else "", now)
        )
        lot_specs.append((product, rng.choice(warehouse_ids), rng.randint(50, 500), rng.random() < 0.01))
    insert_rows(
        Lot,
        [
            "product_id",
            "lot_number",
            "serial_number",
            "production_date",
            "expiry_date",
            "supplier_id",
            "held",
            "hold_reason",
            "created_at",
        ],
        lot_rows,
    )
    del lot_rows
    lot_ids = list(Lot.objects.order_by("pk").values_list("pk", flat=True))
    timings["lots_s"] = time.perf_counter() - step

    # --- the ledger, and the quants it leaves -----------------------------------------------------
    step = time.perf_counter()
    # Per lot: receive + release + 1–3 put-aways (quarantine-only lots: receive). The rest of the budget
    # becomes ships / transfers / adjustments on lots that reached storage.
    put_aways = [0 if q else rng.randint(1, 3) for *_, q in lot_specs]
    base_moves = sum(1 if q else 2 + p for (*_, q), p in zip(lot_specs, put_aways, strict=True))
    extra = max(0, args.moves - base_moves)
    stored = [i for i, (*_, q) in enumerate(lot_specs) if not q]
    extra_per_lot: dict[int, int] = defaultdict(int)
    for _ in range(extra):
        extra_per_lot[stored[rng.randrange(len(stored))]] += 1
    total_moves = base_moves + extra
    span = dt.timedelta(days=730)
    quants: dict[tuple[int, int], list] = {}  # (lot, location) → [product, warehouse, quantity]
    counter = {"n": 0}

    def moment() -> dt.datetime:
        counter["n"] += 1
        return now - span + span * (counter["n"] / (total_moves + 1))

    def move_rows():
        for i, (product, wh, received, quarantine_only) in enumerate(lot_specs):
            lot = lot_ids[i]
            places = layout[wh]
            reference = f"PO-B{i + 1:07d}"
            yield (lot, product, wh, None, places["quarantine"], received, MoveKind.RECEIVE, reference, clerk_id)
            if quarantine_only:
                quants[(lot, places["quarantine"])] = [product, wh, received]
                continue
            yield (
                lot,
                product,
                wh,
                places["quarantine"],
                places["staging"],
                received,
                MoveKind.RELEASE,
                reference,
                clerk_id,
            )
            shelves = rng.sample(places["storage"], put_aways[i])
            shares = [received // len(shelves)] * len(shelves)
            shares[0] += received - sum(shares)
            on_hand = {}
            for shelf, share in zip(shelves, shares, strict=True):
                yield (lot, product, wh, places["staging"], shelf, share, MoveKind.PUT_AWAY, reference, clerk_id)
                on_hand[shelf] = share
            for k in range(extra_per_lot.get(i, 0)):
                roll = rng.random()
                shelf = rng.choice(list(on_hand))
                if roll < 0.15:  # transfer to another shelf of the warehouse
                    target = rng.choice(places["storage"])
                    qty = max(1, on_hand[shelf] // 4) if on_hand[shelf] else 0
                    if qty and target != shelf:
                        on_hand[shelf] -= qty
                        on_hand[target] = on_hand.get(target, 0) + qty
                        yield (lot, product, wh, shelf, target, qty, MoveKind.TRANSFER, f"TR-B{i}-{k}", clerk_id)
                        continue
                if roll < 0.2:  # count adjustment, found one
                    on_hand[shelf] += 1
                    yield (lot, product, wh, None, shelf, 1, MoveKind.ADJUST, f"ADJ-B{i}-{k}", clerk_id)
                    continue
                if on_hand[shelf] > 1:  # a shipment, most of the ledger
                    qty = rng.randint(1, max(1, min(on_hand[shelf] - 1, 10)))
                    on_hand[shelf] -= qty
                    yield (lot, product, wh, shelf, None, qty, MoveKind.SHIP, f"SO-B{i}-{k}", clerk_id)
                else:  # nothing left to ship here: a return from a customer
                    on_hand[shelf] += 2
                    yield (lot, product, wh, None, shelf, 2, MoveKind.ADJUST, f"RT-B{i}-{k}", clerk_id)
            for shelf, qty in on_hand.items():
                quants[(lot, shelf)] = [product, wh, qty]
            for emptied in (places["quarantine"], places["staging"]):  # as the services leave them: 0 on hand
                quants[(lot, emptied)] = [product, wh, 0]

    def timed_rows():
        for lot, product, wh, source, target, qty, kind, reference, actor in move_rows():
            at = moment()
            yield (lot, product, wh, source, target, qty, kind, "", reference, "", actor, at, at)

    written = insert_rows(
        StockMove,
        [
            "lot_id",
            "product_id",
            "warehouse_id",
            "from_location_id",
            "to_location_id",
            "quantity",
            "kind",
            "reference_id",
            "reference_number",
            "note",
            "actor_id",
            "at",
            "created_at",
        ],
        timed_rows(),
    )
    timings["moves_s"] = time.perf_counter() - step

    # --- quants and open allocations ---------------------------------------------------------------
    step = time.perf_counter()
    storage_ids = {pk for places in layout.values() for pk in places["storage"]}
    allocations = []
    quant_rows = []
    for (lot, location), (product, wh, qty) in quants.items():
        reserved = 0
        if location in storage_ids and qty >= 4 and rng.random() < 0.1:
            reserved = rng.randint(1, qty // 2)
            allocations.append((lot, location, product, wh, reserved, "", f"SO-OPEN-{len(allocations) + 1:07d}"))
        quant_rows.append((lot, location, product, wh, qty, reserved, now))
    quant_count = insert_rows(
        StockQuant,
        ["lot_id", "location_id", "product_id", "warehouse_id", "quantity", "reserved", "updated_at"],
        quant_rows,
    )
    del quant_rows
    insert_rows(
        Allocation,
        [
            "lot_id",
            "location_id",
            "product_id",
            "warehouse_id",
            "quantity",
            "reference_id",
            "reference_number",
            "status",
            "created_by_id",
            "created_at",
            "version",
        ],
        (row + (AllocationStatus.OPEN, clerk_id, now, 1) for row in allocations),
    )
    timings["quants_s"] = time.perf_counter() - step
    step = time.perf_counter()
    analyze(Product, Warehouse, Location, Lot, StockMove, StockQuant, Allocation)  # stale stats mislead the planner
    timings["analyze_s"] = time.perf_counter() - step
    timings["total_s"] = time.perf_counter() - start
    storage_quants = sum(1 for (_, location) in quants if location in storage_ids)
    return {
        "products": product_count,
        "warehouses": args.warehouses,
        "storage_locations": args.warehouses * args.locations,
        "lots": len(lot_ids),
        "moves": written,
        "quants": quant_count,
        "storage_quants": storage_quants,
        "special_location_quants": sum(1 for (_, location) in quants if location not in storage_ids),
        "open_allocations": len(allocations),
        "timings": {k: round(v, 1) for k, v in timings.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="", help="names the output files (default: <moves>-<lots>)")
    parser.add_argument("--moves", type=int, default=50_000, help="stock-ledger rows (issue 13: up to 5 000 000)")
    parser.add_argument("--lots", type=int, default=2_000, help="lots (issue 13: up to 200 000)")
    parser.add_argument("--products", type=int, default=0, help="products (default: lots / 100, at least 10)")
    parser.add_argument("--warehouses", type=int, default=4)
    parser.add_argument("--locations", type=int, default=100, help="storage locations per warehouse")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if args.lots < 1 or args.moves < 0 or args.warehouses < 1 or args.locations < 3:
        parser.error("need at least one lot, one warehouse and three storage locations")

    common.setup(args.database_url)
    common.refuse_shared_database()
    label = args.label or f"{args.moves}-{args.lots}"
    print(f"stock generate: {common.database_label()}, {args.moves:,} moves, {args.lots:,} lots", flush=True)
    result = generate(args)
    print(
        f"  {result['lots']:,} lots, {result['moves']:,} moves, {result['quants']:,} quants, "
        f"{result['open_allocations']:,} open allocations, {result['products']:,} products in "
        f"{result['timings']['total_s']} s {result['timings']}",
        flush=True,
    )
    rows = [[key, value] for key, value in result.items() if key != "timings"]
    rows += [[f"time {key}", value] for key, value in result["timings"].items()]
    markdown = f"## Stock data set — {label} ({common.database_label()})\n\n" + common.markdown_table(
        ["what", "value"], rows
    )
    common.write_results(
        "stock-generate", label, {"label": label, "database": common.database_label(), **result}, markdown
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
