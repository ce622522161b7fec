"""Stock query benchmark (issue 13: on-hand for a product across locations and the allocation of an order line,
p95 < 50 ms at 5 M ledger rows / 200 k lots).

Each scenario runs `--reps` times after a warm-up, over `--products` products picked at random (fixed seed)
among the generated ones, in this process: p50/p95/p99/max ms and SQL statements per call.

- `on-hand by location` — the product's quants with stock, per warehouse / location / lot (what
  `/api/v1/stock/?product=` lists), as HQ (no scope) and as the warehouse clerk (scoped);
- `available()` — `inventory.services.available(product)`: free allocatable stock (storage, lot neither held
  nor expired, product sellable);
- `on-hand from the ledger` — the same figure re-derived from `StockMove` (in minus out per location), the
  audit path: informational;
- `allocate order line` — `inventory.services.allocate(actor=warehouse clerk, product, quantity=5…40)` inside
  a transaction that is rolled back (the data set does not change): locks, FEFO, conditional UPDATEs,
  allocation rows and events;
- `GET /api/v1/stock/availability/` and `GET /api/v1/stock/?product=` as the clerk through the whole stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_inv .venv/bin/python bench/stock_bench.py --reps 200 [--explain]

Needs a database filled by bench/stock_generate.py. Writes markdown + JSON to bench/out/. Not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.stock_generate import PRODUCT_PREFIX  # noqa: E402

BUDGET_MS = 50  # issue 13, p95 at 5 M ledger rows / 200 k lots
CLERK = "warehouse_clerk"


class QueryCounter:
    """Counts statements through `connection.execute_wrapper`."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def on_hand_by_location(product, user=None) -> list:
    from django.db.models import Sum

    from salesservice.inventory.models import StockQuant

    queryset = StockQuant.objects.filter(product=product, quantity__gt=0)
    if user is not None:
        queryset = queryset.visible_to(user)
    return list(
        queryset.values("warehouse__code", "location__code", "location__kind", "lot__lot_number", "lot__expiry_date")
        .annotate(on_hand=Sum("quantity"), reserved=Sum("reserved"))
        .order_by("warehouse__code", "location__code", "lot__lot_number")
    )


def on_hand_from_ledger(product) -> dict:
    from django.db.models import Sum

    from salesservice.inventory.models import StockMove

    moves = StockMove.objects.filter(product=product)
    balance: dict = {}
    for row in moves.filter(to_location__isnull=False).values("to_location").annotate(n=Sum("quantity")):
        balance[row["to_location"]] = balance.get(row["to_location"], 0) + row["n"]
    for row in moves.filter(from_location__isnull=False).values("from_location").annotate(n=Sum("quantity")):
        balance[row["from_location"]] = balance.get(row["from_location"], 0) - row["n"]
    return {location: n for location, n in balance.items() if n}


class Rollback(Exception):
    pass


def allocate_rolled_back(product, user, quantity: int) -> int:
    from django.db import transaction

    from salesservice.core.exceptions import DomainError
    from salesservice.inventory import services

    try:
        with transaction.atomic():
            try:
                allocations = services.allocate(actor=user, product=product, quantity=quantity, reference="SO-BENCH")
                taken = sum(a.quantity for a in allocations)
            except DomainError:
                taken = 0
            raise Rollback
    except Rollback:
        return taken


def run(name: str, reps: int, call) -> dict:
    """Warm up, then time `call(i)` `reps` times; SQL counted on the timed calls."""
    from django.db import connection

    for i in range(min(5, reps)):
        call(i)
    counter = QueryCounter()
    samples = []
    with connection.execute_wrapper(counter):
        for i in range(reps):
            start = time.perf_counter()
            call(i)
            samples.append((time.perf_counter() - start) * 1000)
    result = {"scenario": name, "sql_per_call": round(counter.count / max(reps, 1), 1), **common.summary(samples)}
    print(
        f"  {name:<46} p50 {result['p50_ms']:7.2f}  p95 {result['p95_ms']:7.2f}  max {result['max_ms']:7.2f} ms"
        f"  SQL {result['sql_per_call']}",
        flush=True,
    )
    return result


def explain(product, user) -> dict[str, str]:
    from django.db import connection, transaction

    from salesservice.inventory import services
    from salesservice.inventory.models import StockQuant

    plans = {}
    on_hand = StockQuant.objects.filter(product=product, quantity__gt=0).visible_to(user)
    if connection.vendor != "postgresql":
        return {"on_hand": on_hand.explain()}
    plans["on_hand_by_location (clerk)"] = on_hand.explain(analyze=True, buffers=True)
    candidates = services.allocatable_quants(product).visible_to(user)
    plans["allocate: FEFO candidate ids (clerk)"] = candidates.values_list("pk", flat=True).explain(
        analyze=True, buffers=True
    )
    batch = list(candidates.values_list("pk", flat=True)[:8])
    locked = (
        services.allocatable_quants(product)
        .filter(pk__in=batch)
        .select_for_update(of=("self",))
        .select_related("lot", "location")
    )
    with transaction.atomic():
        plans["allocate: first batch of 8 locked FOR UPDATE"] = locked.explain(analyze=True, buffers=True)
        transaction.set_rollback(True)
    return plans


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="stock", help="names the output files")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--products", type=int, default=50, help="how many products the calls cycle over")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the on-hand and allocation queries")
    args = parser.parse_args(argv)

    common.setup(args.database_url)
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from salesservice.catalog.models import Product
    from salesservice.core.models import User
    from salesservice.inventory import services
    from salesservice.inventory.models import Lot, StockMove, StockQuant

    sizes = {
        "moves": StockMove.objects.count(),
        "lots": Lot.objects.count(),
        "quants": StockQuant.objects.count(),
        "products": Product.objects.filter(code__startswith=PRODUCT_PREFIX).count(),
    }
    if not sizes["products"]:
        raise SystemExit("no generated stock: run bench/stock_generate.py first")
    load = os.getloadavg()[0]
    print(
        f"stock bench: {common.database_label()}, {sizes['moves']:,} moves, {sizes['lots']:,} lots, "
        f"{sizes['quants']:,} quants, load average {load:.2f}",
        flush=True,
    )
    rng = random.Random(args.seed)
    ids = list(Product.objects.filter(code__startswith=PRODUCT_PREFIX).values_list("pk", flat=True))
    products = list(Product.objects.filter(pk__in=rng.sample(ids, min(args.products, len(ids)))).order_by("pk"))
    quantities = [rng.randint(5, 40) for _ in range(args.reps + 5)]
    clerk = User.objects.get(username=CLERK)
    token, _ = Token.objects.get_or_create(user=clerk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    per_product_quants = [StockQuant.objects.filter(product=p, quantity__gt=0).count() for p in products]
    per_product_moves = [StockMove.objects.filter(product=p).count() for p in products]

    def pick(i):
        return products[i % len(products)]

    def api_get(path):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")

    taken = []
    results = [
        run("on-hand by location (HQ, unscoped)", args.reps, lambda i: on_hand_by_location(pick(i))),
        run("on-hand by location (clerk, scoped)", args.reps, lambda i: on_hand_by_location(pick(i), clerk)),
        run("available() (allocatable, sellable)", args.reps, lambda i: services.available(pick(i))),
        run("on-hand from the ledger (StockMove)", args.reps, lambda i: on_hand_from_ledger(pick(i))),
        run(
            "allocate order line, rolled back (clerk)",
            args.reps,
            lambda i: taken.append(allocate_rolled_back(pick(i), clerk, quantities[i])),
        ),
        run(
            "GET /api/v1/stock/availability/ (clerk)",
            args.reps,
            lambda i: api_get(f"/api/v1/stock/availability/?product={pick(i).pk}"),
        ),
        run(
            "GET /api/v1/stock/?product= (clerk)", args.reps, lambda i: api_get(f"/api/v1/stock/?product={pick(i).pk}")
        ),
    ]
    refused = sum(1 for n in taken if n == 0)
    plans = explain(products[0], clerk) if args.explain else {}
    for name, plan in plans.items():
        print(f"  EXPLAIN {name}:")
        print("\n".join("      " + line for line in plan.splitlines()), flush=True)

    def verdict(row):
        if not row["scenario"].startswith(("on-hand by location", "allocate", "available")):
            return ""
        return "met" if row["p95_ms"] < BUDGET_MS else "**over**"

    table = common.markdown_table(
        ["scenario", "SQL/call", "p50 ms", "p95 ms", "p99 ms", "max ms", "p95 < 50 ms"],
        [
            [r["scenario"], r["sql_per_call"], r["p50_ms"], r["p95_ms"], r["p99_ms"], r["max_ms"], verdict(r)]
            for r in results
        ],
    )
    shape = (
        f"{len(products)} products sampled: {min(per_product_quants)}–{max(per_product_quants)} quants with stock and "
        f"{min(per_product_moves):,}–{max(per_product_moves):,} ledger rows each; allocations of 5–40 units, "
        f"{refused} of {len(taken)} refused short (rolled back either way)."
    )
    print(f"  {shape}", flush=True)
    explains = "\n\n".join(f"### {name}\n\n```\n{plan}\n```" for name, plan in plans.items())
    markdown = (
        f"## Stock queries — {args.label} ({common.database_label()}): {sizes['moves']:,} moves, {sizes['lots']:,} lots, "
        f"{sizes['quants']:,} quants; {args.reps} reps, load average {load:.2f}\n\n{shape}\n\n{table}\n\n{explains}"
    )
    data = {"label": args.label, "database": common.database_label(), "sizes": sizes, "load_average": round(load, 2)}
    data |= {"reps": args.reps, "shape": shape, "results": results, "explain": plans}
    common.write_results("stock", args.label, data, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
