"""KPI engine benchmark (issue 15 §4, KPI-1): one month's KPI figures for 200 staff over a year of records < 2 s.

Times `appraisals.metrics.compute` — every metric of the registry for the staff holding a post (cs_rep, engineer,
sales_rep; the first 200) over last month — `--reps` times after a warm-up, in this process: p50/p95/max ms and
SQL statements per run; then each metric alone.

    createdb appraisals_bench && DATABASE_URL=postgres://postgres@127.0.0.1:5432/appraisals_bench \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/appraisals_bench .venv/bin/python bench/kpi_bench.py --generate

`--generate` (re)fills the database with bench/generate.py's small data set, widened: the demo org, 15 bench stores
with 400 staff (≥ 200 holding cs_rep / engineer / sales_rep), 5 000 customers and 50 000 service requests spread
over the last 12 months. Not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BUDGET_MS = 2000
STAFF = 200


def generate() -> None:
    from auditlog.context import disable_auditlog
    from django.utils import timezone

    from bench import generate as g
    from bench.fastinsert import analyze
    from salesservice.core.demo import load_demo_org

    common.refuse_shared_database()
    # The small scale with enough staff for 200 post holders and a busier year of service requests.
    scale = dataclasses.replace(g.SCALES["small"], users=400, customers=5_000, service_requests=50_000)
    rng, now = random.Random(2026), timezone.now()
    g.reset()
    with disable_auditlog():
        load_demo_org()
        store_ids = g.create_org(scale)
        g.create_users(scale, rng, store_ids)
    g.insert_customers(scale.customers, rng, store_ids, now)
    g.insert_service_requests(scale.service_requests, rng, now)
    analyze(*g.generated_models())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--generate", action="store_true")
    args = parser.parse_args(argv)
    common.setup(args.database_url)
    if args.generate:
        began = time.perf_counter()
        generate()
        print(f"generated in {time.perf_counter() - began:.1f} s", flush=True)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from salesservice.appraisals import metrics
    from salesservice.core.models import Membership
    from salesservice.service.models import ServiceRequest

    end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    staff = list(
        Membership.objects.filter(role__name__in=["cs_rep", "engineer", "sales_rep"], user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:STAFF]
    )
    requests = ServiceRequest.objects.count()
    print(
        f"KPI figures {start}…{end} for {len(staff)} staff on {common.database_label()} ({requests:,} service requests)",
        flush=True,
    )
    metrics.compute(metrics.METRICS, staff, start, end)  # warm-up
    samples, statements = [], 0
    for _ in range(args.reps):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            figures = metrics.compute(metrics.METRICS, staff, start, end)
            samples.append((time.perf_counter() - began) * 1000)
        statements = len(queries)
    with_data = sum(1 for by_user in figures.values() for figure in by_user.values() if figure.value is not None)
    p50, p95 = common.percentile(samples, 50), common.percentile(samples, 95)
    verdict = "OK" if p95 < BUDGET_MS else "OVER BUDGET"
    print(
        f"all {len(metrics.METRICS)} metrics: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(samples):.1f} ms, "
        f"{statements} SQL statements per run, {with_data} figures with data — budget {BUDGET_MS} ms: {verdict}"
    )
    for key, metric in metrics.METRICS.items():
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            metric.compute(staff, start, end)
            ms = (time.perf_counter() - began) * 1000
        print(f"  {key:<24} {ms:8.1f} ms  {len(queries)} SQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
