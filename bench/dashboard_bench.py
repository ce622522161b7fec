"""Management dashboards benchmark (issue 16 §1: each dashboard < 500 ms p95 on the 1 M-request data set).

Times `dashboards.areas.area_data(area, Period(…, unit))` for every area, for HQ (the whole company), one region and
one store, over the last month and the last quarter, `--reps` times after a warm-up, in this process: p50/p95/max ms
and SQL statements per dashboard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/dashboard_bench.py --reps 20

Needs a database filled by bench/generate.py (`--scale large`: 1 M service requests; `--scale small` proves it runs).
Writes markdown + JSON to bench/out/. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BUDGET_MS = 500  # issue 16 §1: p95 per dashboard


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--label", default="large")
    parser.add_argument("--region", default="", help="region code (default: the busiest store's)")
    parser.add_argument("--store", default="", help="store code (default: the one with most requests)")
    parser.add_argument("--only", default="", help="only areas whose key contains this text")
    args = parser.parse_args(argv)
    common.setup(args.database_url)

    from django.db.models import Count
    from django.utils import timezone

    from bench.stock_bench import run
    from salesservice.core.evidence import Period
    from salesservice.core.models import OrgUnit
    from salesservice.dashboards.areas import AREAS, area_data
    from salesservice.service.models import ServiceRequest

    end = timezone.localdate()
    periods = {"month": end - dt.timedelta(days=30), "quarter": end - dt.timedelta(days=91)}
    units = {"HQ": None}
    # the busiest store and its region (the generated data's, not the demo's few records), unless named
    busiest = ServiceRequest.objects.values("store").annotate(n=Count("pk")).order_by("-n").first()
    store = OrgUnit.objects.filter(code=args.store).first() if args.store else None
    if store is None and busiest:
        store = OrgUnit.objects.get(pk=busiest["store"])
    region = OrgUnit.objects.filter(code=args.region).first() if args.region else None
    if region is None and store is not None:
        region = store.parent
    if region is not None:
        units[f"region {region.name}"] = region
    if store is not None:
        units[f"store {store.name}"] = store
    total = ServiceRequest.objects.count()
    print(f"dashboards on {common.database_label()}: {total} service requests", flush=True)
    results = []
    for area in AREAS:
        if args.only and args.only not in area:
            continue
        for unit_label, unit in units.items():
            for period_label, start in periods.items():
                period = Period(start, end, unit)
                name = f"{area} · {unit_label} · {period_label}"
                results.append(run(name, args.reps, lambda i, period=period, area=area: area_data(area, period)))
    worst = max((r["p95_ms"] for r in results), default=0)
    markdown = "\n\n".join(
        [
            f"# Management dashboards — {args.label} ({total} service requests)",
            common.markdown_table(
                ["dashboard", "p50 ms", "p95 ms", "max ms", "SQL"],
                [[r["scenario"], r["p50_ms"], r["p95_ms"], r["max_ms"], r["sql_per_call"]] for r in results],
            ),
            f"Budget p95 < {BUDGET_MS} ms per dashboard; worst p95 here {worst} ms.",
        ]
    )
    print(markdown)
    common.write_results("dashboards", args.label, {"results": results, "service_requests": total}, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
