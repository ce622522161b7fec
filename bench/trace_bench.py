"""Trace benchmark (issue 14 / DESIGN §8: trace a lot to all its customers and a customer to all lots, p95 < 100 ms
at 5 M sales lines).

Each scenario runs `--reps` times after a warm-up, over lots / serials / customers picked at random (fixed seed)
among the generated ones, in this process: p50/p95/p99/max ms and SQL statements per call.

- `lot → customers` — `trace.selectors.trace_lots(user, lot=<lot number>)`: the lots of that number, every sales
  record of them with order, contract and customer, the receipts and the outbound moves (the whole TRC-2 path),
  as QA (HQ, unscoped) and as a store's customer-service rep (scoped to the store);
- `serial → customer` — the same from a serial number;
- `customer → lots` — `trace.selectors.trace_customer(user, customer)` as QA and as the store rep (a customer of
  the rep's store);
- `GET /api/v1/trace/?lot=` and `?customer=` as QA through the whole stack (serialisation included).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_trace .venv/bin/python bench/trace_bench.py --reps 200 [--explain]

Needs a database filled by bench/trace_generate.py. Writes markdown + JSON to bench/out/. Not a test: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.stock_bench import run  # noqa: E402  (the same timing loop as the stock bench)
from bench.trace_generate import CUSTOMER_PREFIX, LOT_PREFIX, SERIAL_PREFIX  # noqa: E402

BUDGET_MS = 100  # DESIGN §8, p95 at 5 M sales lines
QA, STORE_REP, STORE = "qa_inspector", "xuhui_cs", "sh-xuhui"


def explain(lot_number: str, customer_id: int, user) -> dict[str, str]:
    from django.db import connection

    from salesservice.sales.models import SalesRecord
    from salesservice.trace import selectors

    lots = [lot.pk for lot in selectors.find_lots(user, lot=lot_number)]
    by_lot = SalesRecord.objects.visible_to(user).filter(lot_id__in=lots)
    by_customer = SalesRecord.objects.visible_to(user).filter(customer_id=customer_id)
    queries = {
        "lot → records": by_lot.select_related("order", "order__contract", "customer", "lot").order_by(
            "-sale_date", "-id"
        )[:2001],
        "customer → records": by_customer.select_related(
            "order", "order__contract", "customer", "lot__product"
        ).order_by("-sale_date", "-id")[:2001],
        "find lots (scoped)": selectors.traceable_lots(user).filter(lot_number=lot_number),
    }
    if connection.vendor != "postgresql":
        return {name: query.explain() for name, query in queries.items()}
    return {name: query.explain(analyze=True, buffers=True) for name, query in queries.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="trace", help="names the output files")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--sample", type=int, default=100, help="how many lots / customers the calls cycle over")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the trace queries")
    args = parser.parse_args(argv)

    common.setup(args.database_url)
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from salesservice.core.models import User
    from salesservice.customers.models import Customer
    from salesservice.inventory.models import Lot
    from salesservice.sales.models import SalesRecord
    from salesservice.trace import selectors

    sizes = {
        "records": SalesRecord.objects.count(),
        "lots": Lot.objects.filter(lot_number__startswith=LOT_PREFIX).count(),
        "customers": Customer.objects.filter(code__startswith=CUSTOMER_PREFIX).count(),
    }
    if not sizes["records"]:
        raise SystemExit("no generated sales records: run bench/trace_generate.py first")
    load = os.getloadavg()[0]
    print(
        f"trace bench: {common.database_label()}, {sizes['records']:,} sales records, {sizes['lots']:,} lots, "
        f"{sizes['customers']:,} customers, load average {load:.2f}",
        flush=True,
    )
    rng = random.Random(args.seed)
    top = Lot.objects.filter(lot_number__startswith=LOT_PREFIX).order_by("-pk").values_list("pk", flat=True)[:1]
    max_lot = top[0] if top else 0
    lot_pool = list(
        Lot.objects.filter(
            lot_number__startswith=LOT_PREFIX, pk__in=rng.sample(range(1, max_lot + 1), min(max_lot, args.sample * 5))
        ).values_list("lot_number", flat=True)[: args.sample]
    )
    serials = list(
        Lot.objects.filter(serial_number__startswith=SERIAL_PREFIX).values_list("serial_number", flat=True)[
            : args.sample
        ]
    )
    store_customers = list(
        Customer.objects.filter(code__startswith=CUSTOMER_PREFIX, store__code=STORE).values_list("pk", flat=True)[
            : args.sample * 20
        ]
    )
    customers = rng.sample(store_customers, min(args.sample, len(store_customers)))
    # a store rep's lots: lots its store sold
    store_lots = list(
        SalesRecord.objects.filter(customer_id__in=customers[:20])
        .values_list("lot_number", flat=True)
        .distinct()[: args.sample]
    )
    qa, rep = User.objects.get(username=QA), User.objects.get(username=STORE_REP)
    for user in (qa, rep):
        user.has_perm("x")  # permission cache filled outside the timing
    token, _ = Token.objects.get_or_create(user=qa)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    shape = {
        "records_per_customer_sample": [SalesRecord.objects.filter(customer_id=c).count() for c in customers[:5]],
        "records_per_lot_sample": [SalesRecord.objects.filter(lot__lot_number=n).count() for n in lot_pool[:5]],
    }
    print(f"  shape: {shape}", flush=True)

    def api_get(params):
        response = client.get("/api/v1/trace/", params)
        if response.status_code != 200:
            raise SystemExit(f"trace {params} answered {response.status_code}: {response.content[:300]!r}")

    def pick(pool, i):
        return pool[i % len(pool)]

    results = [
        run("lot → customers (QA, HQ)", args.reps, lambda i: selectors.trace_lots(qa, lot=pick(lot_pool, i))),
        run(
            "lot → customers (store rep, scoped)",
            args.reps,
            lambda i: selectors.trace_lots(rep, lot=pick(store_lots, i)),
        ),
        run("customer → lots (QA, HQ)", args.reps, lambda i: selectors.trace_customer(qa, pick(customers, i))),
        run(
            "customer → lots (store rep, scoped)",
            args.reps,
            lambda i: selectors.trace_customer(rep, pick(customers, i)),
        ),
        run("GET /api/v1/trace/?lot= (QA)", args.reps, lambda i: api_get({"lot": pick(lot_pool, i)})),
        run("GET /api/v1/trace/?customer= (QA)", args.reps, lambda i: api_get({"customer": pick(customers, i)})),
    ]
    if serials:
        results.append(
            run("serial → customer (QA, HQ)", args.reps, lambda i: selectors.trace_lots(qa, serial=pick(serials, i)))
        )
    plans = explain(lot_pool[0], customers[0], rep) if args.explain else {}
    for name, plan in plans.items():
        print(f"  EXPLAIN {name}:")
        print("\n".join("      " + line for line in plan.splitlines()), flush=True)
    rows = [
        [
            r["scenario"],
            r["sql_per_call"],
            r["p50_ms"],
            r["p95_ms"],
            r["p99_ms"],
            r["max_ms"],
            "✓" if r["p95_ms"] < BUDGET_MS else "✗",
        ]
        for r in results
    ]
    markdown = (
        f"## Trace — {args.label} ({common.database_label()}, {sizes['records']:,} sales records, "
        f"{sizes['lots']:,} lots, {sizes['customers']:,} customers; load {load:.2f})\n\n"
        + common.markdown_table(
            ["scenario", "SQL/call", "p50 ms", "p95 ms", "p99 ms", "max ms", f"p95 < {BUDGET_MS}"], rows
        )
    )
    common.write_results(
        "trace-bench",
        args.label,
        {
            "label": args.label,
            "database": common.database_label(),
            "sizes": sizes,
            "shape": shape,
            "results": results,
            "plans": plans,
        },
        markdown,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
