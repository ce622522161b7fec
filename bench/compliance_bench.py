"""Compliance report benchmark (issue 16: the compliance report for HQ over a year < 5 s on the 1 M-request data set).

Times `dashboards.compliance.compliance_report(Period(year, unit))` for the whole company (HQ) and for one store,
`--reps` times after a warm-up, in this process: p50/p95/max ms and SQL statements per report; then the slowest
evidence functions one by one (where the time goes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/compliance_bench.py --reps 5

Needs a database filled by bench/generate.py (`--scale large`: 1 M service requests). Writes markdown + JSON to
bench/out/. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BUDGET_MS = 5000  # issue 16: HQ over a year


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--label", default="large")
    parser.add_argument("--store", default="sh-xuhui")
    args = parser.parse_args(argv)
    common.setup(args.database_url)

    from django.utils import timezone

    from bench.stock_bench import run
    from salesservice.core.evidence import EVIDENCE, Period
    from salesservice.core.models import OrgUnit
    from salesservice.dashboards.compliance import compliance_report

    end = timezone.localdate()
    start = end - dt.timedelta(days=365)
    store = OrgUnit.objects.filter(code=args.store).first()
    print(f"compliance report {start}…{end} on {common.database_label()}", flush=True)
    results = [run("HQ, one year, 89 clauses", args.reps, lambda i: compliance_report(Period(start, end)))]
    if store is not None:
        results.append(
            run(f"{store.name}, one year", args.reps, lambda i: compliance_report(Period(start, end, store)))
        )
    report = compliance_report(Period(start, end))
    per_function = []
    for clause_id, functions in EVIDENCE.items():
        for function in functions:
            began = time.perf_counter()
            function(Period(start, end))
            per_function.append((round((time.perf_counter() - began) * 1000, 1), clause_id, function.__name__))
    per_function.sort(reverse=True)
    summary = report.summary
    markdown = "\n\n".join(
        [
            f"# Compliance report — {args.label}",
            common.markdown_table(
                ["scenario", "p50 ms", "p95 ms", "max ms", "SQL"],
                [[r["scenario"], r["p50_ms"], r["p95_ms"], r["max_ms"], r["sql_per_call"]] for r in results],
            ),
            f"Budget p95 < {BUDGET_MS} ms (HQ over a year). Statuses: {summary}.",
            common.markdown_table(["ms", "clause", "evidence"], [list(row) for row in per_function[:10]]),
        ]
    )
    print(markdown)
    common.write_results(
        "compliance", args.label, {"results": results, "slowest": per_function[:10], "summary": summary}, markdown
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
