"""Sales order benchmark (issue 14: order review + allocation of a 20-line order < 200 ms).

Runs on the stock data set of bench/stock_generate.py (5 M moves / 200 k lots on the issue's scale): each
repetition enters a 20-line order for a qualified hospital (20 products with free stock in one warehouse),
reviews it (SAL-5: buyer qualification per line, sellability, price, stock and credit), confirms it and
allocates it FEFO (SAL-6) — inside a transaction that is rolled back, so the data set does not change.
Reported: p50/p95/p99/max ms and SQL statements, for "review + confirm + allocate" (the issue's figure) and
for the whole "create + review + confirm + allocate".

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_inv .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_inv .venv/bin/python bench/sales_bench.py --reps 100

Writes markdown + JSON to bench/out/. Not a test: nothing here asserts a time.
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

BUDGET_MS = 200
LINES = 20


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Rollback(Exception):
    pass


def _hospital():
    """A hospital of 上海徐汇店 with a licence covering I–III (created once, kept)."""
    import datetime as dt

    from django.utils import timezone

    from salesservice.core.models import OrgUnit
    from salesservice.customers.models import Customer, Qualification

    customer = Customer.objects.filter(code="BENCH-HOSP").first()
    if customer is None:
        customer = Customer.objects.create(
            code="BENCH-HOSP", customer_type="hospital", name="压测医院", store=OrgUnit.objects.get(code="sh-xuhui")
        )
        Qualification.objects.create(
            customer=customer,
            kind="medical_institution_licence",
            number="压测许可证",
            scope_classes="I,II,III",
            valid_from=timezone.localdate() - dt.timedelta(days=30),
            valid_until=timezone.localdate() + dt.timedelta(days=3650),
        )
    return customer


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="sales", help="names the output files")
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    common.setup(args.database_url)

    from django.db import connection, transaction
    from django.db.models import F, Sum

    from salesservice.core.demo import load_demo_org
    from salesservice.core.models import User
    from salesservice.core.policy_defaults import seed_policy_defaults
    from salesservice.inventory.models import StockQuant, Warehouse
    from salesservice.sales import services

    load_demo_org()
    seed_policy_defaults()
    rep, manager, clerk = (User.objects.get(username=n) for n in ("sales_rep", "xuhui_manager", "warehouse_clerk"))
    customer = _hospital()
    # the warehouse and 60 products with the most free stock in it: every order takes 20 of them, 1–3 units each
    warehouse_id = (
        StockQuant.objects.filter(product__code__startswith=PRODUCT_PREFIX)
        .values("warehouse_id")
        .annotate(n=Sum("quantity"))
        .order_by("-n")[0]["warehouse_id"]
    )
    warehouse = Warehouse.objects.get(pk=warehouse_id)
    candidates = (
        StockQuant.objects.filter(
            warehouse=warehouse,
            product__code__startswith=PRODUCT_PREFIX,
            location__kind="storage",
            quantity__gt=F("reserved") + 10,
            lot__held=False,
        )
        .order_by()
        .values_list("product_id", flat=True)
        .distinct()[:200]
    )
    from salesservice.catalog.models import Product

    products = list(Product.objects.filter(pk__in=list(candidates)))
    products = [p for p in products if services.available(p, warehouse) >= 10][:60]
    if len(products) < LINES:
        raise SystemExit("not enough stocked products: run bench/stock_generate.py first")
    rng = random.Random(args.seed)
    sizes = {
        "moves": connection.cursor().execute("select count(*) from inventory_stockmove").fetchone()[0]
        if connection.vendor == "postgresql"
        else 0
    }
    review_ms, total_ms, review_sql, total_sql = [], [], 0, 0
    for _ in range(5 + args.reps):
        lines = [{"product": p, "quantity": rng.randint(1, 3)} for p in rng.sample(products, LINES)]
        counter = QueryCounter()
        try:
            with connection.execute_wrapper(counter), transaction.atomic():
                start = time.perf_counter()
                order = services.order_create(actor=rep, customer=customer, warehouse=warehouse, lines=lines)
                middle = time.perf_counter()
                created_sql = counter.count
                services.order_review(actor=manager, order_id=order.pk)
                services.order_confirm(actor=rep, order_id=order.pk, confirmed_with="压测", confirm_channel="phone")
                services.order_allocate(actor=clerk, order_id=order.pk)
                end = time.perf_counter()
                raise Rollback
        except Rollback:
            pass
        if _ >= 5:  # warm-up done
            review_ms.append((end - middle) * 1000)
            total_ms.append((end - start) * 1000)
            review_sql += counter.count - created_sql
            total_sql += counter.count
    rows = [
        [
            "review + confirm + allocate (20 lines)",
            round(review_sql / args.reps, 1),
            *common.summary(review_ms).values(),
        ],
        ["create + review + confirm + allocate", round(total_sql / args.reps, 1), *common.summary(total_ms).values()],
    ]
    load = os.getloadavg()[0]
    for row in rows:
        print("  ", row, flush=True)
    headers = ["scenario", "SQL/order", *common.summary(review_ms).keys()]
    table = common.markdown_table(headers, rows)
    verdict = "met" if common.summary(review_ms)["p95_ms"] < BUDGET_MS else "**over**"
    markdown = (
        f"## Sales order review + allocation — {args.label} ({common.database_label()}): {sizes['moves']:,} moves; "
        f"{args.reps} orders of {LINES} lines, rolled back; load average {load:.2f}; p95 < {BUDGET_MS} ms: {verdict}\n\n{table}"
    )
    common.write_results("sales", args.label, {"label": args.label, "rows": rows, "load_average": load}, markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
