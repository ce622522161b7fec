"""SLA sweep benchmark (DESIGN §8: cost proportional to the number due, < 1 s for 1 000 due).

For each `--due` count it prepares the clocks, then times a `salesservice.service.sweep.sla_sweep(now=…)` in this
process and counts its SQL (every lane's: `core.clocks.sweep_lanes`) — `--repeat` times (default 3), each on freshly
prepared clocks. The first is a worker's first sweep after it started (cold caches and statements); the verdict is
the median of the others, a worker's sweep every minute. Preparation (not timed), as of one `now`:

- every running request (received/contacted/dispatched/in_progress) gets fresh clocks: received 2–50 min
  ago, first contact made (unless still `received`), deadlines received + 2 h / + 24 h on the 24×7
  calendar — nothing due, nothing inside the 30-minute warning window;
- exactly `due` of them are put back to `received`, received 24–24.2 h ago with no contact: both
  clocks are due, so each gets a first-contact breach and one escalation (store → region), with
  notifications to the store's supervisors and the region's managers. Their earlier breach and
  escalation rows are removed first.

`--open-all` first turns **every** request into a running one (closed and cancelled included), the
DESIGN wording "1 M open requests": the sweep's partial indexes then hold every row. It rewrites the
data set; run `generate.py` again before other benchmarks. Before each timed sweep the due-selection
queries are EXPLAIN ANALYZEd as the sweep issues them (batch of 200, FOR UPDATE SKIP LOCKED).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/sweep_bench.py --label large --due 0 100 1000

Changes the bench data (breaches, escalations, notifications, events). Writes markdown + JSON to bench/out/.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SWEEP_BUDGET_S = 1.0  # DESIGN §8, for 1 000 due
RUNNING = ("received", "contacted", "dispatched", "in_progress")


def open_all() -> int:
    """Every request becomes a running one with its final fields cleared (the DESIGN's 1 M open)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE service_servicerequest SET
                status = (ARRAY['received', 'contacted', 'dispatched', 'in_progress'])[1 + id % 4],
                resolved_at = NULL, closed_at = NULL, cancelled_at = NULL, cancel_reason = '',
                paused_at = NULL, paused_from_status = '', satisfaction = NULL
            WHERE status NOT IN ('received', 'contacted', 'dispatched', 'in_progress')
            """
        )
        return cursor.rowcount


def prepare(now, due: int) -> dict:
    """Fresh clocks for every running request; exactly `due` of them due on both clocks."""
    from django.db import connection, transaction

    from salesservice.service.models import Escalation, ServiceRequest, SlaBreach

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE service_servicerequest SET
                received_at = %(now)s - (120 + id %% 2880) * interval '1 second',
                first_contacted_at = CASE WHEN status = 'received' THEN NULL
                    ELSE %(now)s - (60 + id %% 2880) * interval '1 second' END,
                first_contact_due_at = %(now)s - (120 + id %% 2880) * interval '1 second' + interval '2 hours',
                escalation_due_at = %(now)s - (120 + id %% 2880) * interval '1 second' + interval '24 hours',
                escalation_level = 0, escalation_exhausted_at = NULL, first_contact_breached_at = NULL,
                warned_first_contact_at = NULL, warned_escalation_at = NULL, paused_business_seconds = 0
            WHERE status IN ('received', 'contacted', 'dispatched', 'in_progress')
            """,
            {"now": now},
        )
        running = cursor.rowcount
        running_ids = ServiceRequest.objects.filter(status__in=RUNNING).order_by("pk").values_list("pk", flat=True)
        step = max(running // max(due, 1), 1)
        # every step-th running request, spread over the id range (old and new pages of the table)
        due_ids = list(running_ids[::step][:due]) if due else []
        SlaBreach.objects.filter(request_id__in=due_ids).delete()
        Escalation.objects.filter(request_id__in=due_ids).delete()
        if due_ids:
            cursor.execute(
                """
                UPDATE service_servicerequest SET
                    status = 'received', first_contacted_at = NULL,
                    received_at = %(now)s - interval '24 hours' - (60 + id %% 600) * interval '1 second',
                    first_contact_due_at = %(now)s - interval '22 hours' - (60 + id %% 600) * interval '1 second',
                    escalation_due_at = %(now)s - (60 + id %% 600) * interval '1 second'
                WHERE id = ANY(%(ids)s)
                """,
                {"now": now, "ids": due_ids},
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE service_servicerequest")
    return {"running": running, "due": len(due_ids)}


def explain_due_selection(now) -> dict[str, str]:
    """EXPLAIN ANALYZE of the sweep's work-list queries, built as `sweep._in_batches` builds them."""
    from django.db import connection, transaction

    from salesservice.service import sweep

    warning = timedelta(minutes=30)
    lists = {
        "first_contact_due": (sweep.first_contact_due(now), "first_contact_due_at"),
        "escalation_due": (sweep.escalation_due(now), "escalation_due_at"),
        "first_contact_warnings_due": (sweep.first_contact_warnings_due(now, warning), "first_contact_due_at"),
        "escalation_warnings_due": (sweep.escalation_warnings_due(now, warning), "escalation_due_at"),
    }
    plans = {}
    for name, (queryset, order_field) in lists.items():
        batch = queryset.select_related("store").order_by(order_field, "pk")
        if connection.vendor != "postgresql":
            plans[name] = batch[: sweep.BATCH_SIZE].explain()
            continue
        batch = batch.select_for_update(skip_locked=True, of=("self",))
        with transaction.atomic():  # FOR UPDATE needs a transaction; the locks end with it
            plans[name] = batch[: sweep.BATCH_SIZE].explain(analyze=True, buffers=True)
    return plans


class QueryCounter:
    """Counts statements and their time through `connection.execute_wrapper` (cheaper than the debug cursor)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            with self._lock:
                self.count += 1
                self.seconds += time.perf_counter() - start


def timed_sweep(now) -> dict:
    """One sweep; the statements of every lane (core.clocks.sweep_lanes) are counted, the time in SQL summed over
    them (lanes overlap, so it can exceed the wall time)."""
    from django.db import connection

    from salesservice.core import clocks
    from salesservice.service.sweep import sla_sweep

    counter = QueryCounter()
    main = threading.get_ident()
    lane = clocks._sweep_lane

    def counted_lane(*args, **kwargs):
        if threading.get_ident() == main:
            return lane(*args, **kwargs)
        with connection.execute_wrapper(counter):
            return lane(*args, **kwargs)

    clocks._sweep_lane = counted_lane
    try:
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            result = sla_sweep(now=now)
            seconds = time.perf_counter() - start
    finally:
        clocks._sweep_lane = lane
    return {"seconds": round(seconds, 3), "sql": counter.count, "sql_seconds": round(counter.seconds, 3)} | (
        result.as_dict()
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="medium", help="names the output files")
    parser.add_argument("--due", type=int, nargs="+", default=[0, 100, 1000], help="due counts, one sweep each")
    parser.add_argument("--open-all", action="store_true", help="make every request a running one first")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed sweeps per due count, each on freshly prepared clocks (default 3); the first is a worker's "
        "first sweep after it started, the others a worker's every minute: the median of those is the verdict",
    )
    parser.add_argument("--lanes", type=int, help="connections the sweep takes batches on (default: SWEEP_LANES, 2)")
    args = parser.parse_args(argv)

    common.setup(args.database_url)
    common.refuse_shared_database()
    from django.conf import settings

    from salesservice.core.clocks import sweep_lanes

    if args.lanes is not None:
        settings.SWEEP_LANES = args.lanes
    lanes = sweep_lanes()
    from django.utils import timezone

    from salesservice.service.models import ServiceRequest

    total = ServiceRequest.objects.count()
    print(
        f"sweep bench: {common.database_label()}, {total:,} requests, {lanes} lane(s), load average {common_load():.2f}",
        flush=True,
    )
    if args.open_all:
        start = time.perf_counter()
        print(f"  open-all: {open_all():,} requests reopened in {time.perf_counter() - start:.1f} s", flush=True)
    # The URLconf is imported by the first sweep that links a notification to its request (~1 s); a worker pays
    # it once per process, so it is loaded here rather than charged to whichever due count runs first.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - loads the URLconf
    runs, plans = [], {}
    for due in args.due:
        times = []
        for _ in range(max(args.repeat, 1)):
            now = timezone.now()
            prepared = prepare(now, due)
            plans = explain_due_selection(now)
            run = {"due_requested": due, "lanes": lanes, **prepared, **timed_sweep(now)}
            times.append(run["seconds"])
        warm = sorted(times[1:]) or times
        run |= {"first_seconds": times[0], "all_seconds": times, "seconds": warm[len(warm) // 2]}
        run["load_average"] = round(common_load(), 2)
        runs.append(run)
        print(
            f"  due={run['due']:>5} of {run['running']:>9,} running: sweep {run['seconds']:.3f} s (median of the "
            f"repeats; all {', '.join(f'{t:.3f}' for t in times)}), {run['sql']} SQL ({run['sql_seconds']:.3f} s in "
            f"SQL); first-contact breaches {run['first_contact_breaches']}, escalations {run['escalations']}, "
            f"warnings {run['warnings']}",
            flush=True,
        )
    for name, plan in plans.items():
        print(f"  EXPLAIN {name} (due={runs[-1]['due']}):")
        print("\n".join("      " + line for line in plan.splitlines()), flush=True)

    def verdict(run):
        if run["due"] < 1000:
            return ""
        return "met" if run["seconds"] < SWEEP_BUDGET_S else "**over**"

    table = common.markdown_table(
        ["due", "running", "sweep s", "first s", "SQL", "SQL s", "FC breaches", "escalations", "warnings", "load avg"]
        + ["< 1 s"],
        [
            [r["due"], r["running"], r["seconds"], r["first_seconds"], r["sql"], r["sql_seconds"]]
            + [r["first_contact_breaches"]]
            + [r["escalations"], r["warnings"], r["load_average"], verdict(r)]
            for r in runs
        ],
    )
    explains = "\n\n".join(f"### {name}\n\n```\n{plan}\n```" for name, plan in plans.items())
    mode = "every request running (--open-all)" if args.open_all else "the generated share running"
    markdown = (
        f"## SLA sweep — {args.label} ({common.database_label()}), {total:,} requests, {mode}, {lanes} lane(s)\n\n"
        f"{table}\n\n"
        f"## EXPLAIN ANALYZE of the work lists (last run)\n\n{explains}"
    )
    data = {"label": args.label, "database": common.database_label(), "requests": total}
    data |= {"open_all": args.open_all, "runs": runs, "explain": plans}
    common.write_results("sweep", args.label, data, markdown)
    return 0


def common_load() -> float:
    import os

    return os.getloadavg()[0]


if __name__ == "__main__":
    sys.exit(main())
