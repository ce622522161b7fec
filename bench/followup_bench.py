"""First deployment over history (issue 17 §4): follow-ups for N closed service requests that have none.

Picks a cut-off moment so that exactly the first `--requests` closed requests (by closing time) are due for a
follow-up, then runs `feedback.scheduling.schedule_service_requests(cutoff, {})` — the set-based path — inside a
transaction that is rolled back at the end, so the data set is left as it was. `--legacy N` also times the old
path (a savepoint, a numbering statement, an INSERT and an event per request — `feedback.scheduling._create`) over
the first N of them, for the per-request comparison. Prints requests, seconds, ms per request and SQL statements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/followup_bench.py \
        --requests 200000 --legacy 5000

Run it on a `bench/generate.py` data set (the generated closed requests have no follow-ups). Not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


class _Rollback(Exception):
    pass


def _cutoff(count: int):
    from salesservice.feedback.models import FollowUp
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    closed = (
        ServiceRequest.objects.filter(status=ServiceRequestStatus.CLOSED)
        .exclude(pk__in=FollowUp.objects.filter(service_request__isnull=False).values("service_request_id"))
        .order_by("closed_at", "pk")
        .values_list("closed_at", flat=True)
    )
    return closed[count - 1 : count].get()


def _timed(func):
    from django.db import connection, transaction

    result: dict = {}
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(count):
            started = time.perf_counter()
            result["created"] = func()
            result["seconds"] = time.perf_counter() - started
            result["sql"] = statements[0]
            raise _Rollback
    except _Rollback:
        pass
    return result


def legacy(cutoff, limit: int) -> int:
    """The path before issue 17 §4: one savepoint, number, INSERT and event per request."""
    from django.db import transaction

    from salesservice.core.clocks import TermsBook
    from salesservice.feedback.choices import FollowUpKind, SourceKind
    from salesservice.feedback.models import FollowUp
    from salesservice.feedback.scheduling import FOLLOW_UP_CLOCKS, _create, _due_after
    from salesservice.feedback.services import default_assignee
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    book, assignees, created = TermsBook(FOLLOW_UP_CLOCKS), {}, 0
    rows = (
        ServiceRequest.objects.filter(status=ServiceRequestStatus.CLOSED, closed_at__lte=cutoff)
        .only("pk", "number", "customer_id", "store_id", "closed_at")
        .order_by("closed_at", "pk")[:limit]
    )
    for request in rows:
        with transaction.atomic():
            created += _create(
                FollowUp(
                    customer_id=request.customer_id,
                    store_id=request.store_id,
                    kind=FollowUpKind.AFTER_SERVICE,
                    service_request_id=request.pk,
                    source_kind=SourceKind.SERVICE_REQUEST,
                    source_id=request.pk,
                    source_number=request.number,
                    due_at=_due_after(book, request.closed_at),
                    assignee=default_assignee(request.store_id, assignees),
                )
            )
    return created


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--legacy", type=int, default=0, help="also time the per-request path over N requests")
    parser.add_argument("--label", default="followups")
    args = parser.parse_args(argv)
    common.setup(args.database_url)
    common.refuse_shared_database()

    from salesservice.feedback.scheduling import schedule_service_requests

    cutoff = _cutoff(args.requests)
    rows = []
    if args.legacy:
        run = _timed(lambda: legacy(cutoff, args.legacy))
        rows.append(["per request (before)", run["created"], run["seconds"], run["sql"]])
    run = _timed(lambda: schedule_service_requests(cutoff, {}))
    rows.append(["set-based (issue 17 §4)", run["created"], run["seconds"], run["sql"]])
    table = common.markdown_table(
        ["path", "follow-ups", "s", "ms / request", "SQL"],
        [[name, f"{n:,}", f"{s:.2f}", f"{s * 1000 / max(n, 1):.3f}", f"{q:,}"] for name, n, s, q in rows],
    )
    print(f"follow-up scheduling, cut-off {cutoff.isoformat()} on {common.database_label()}\n\n{table}")
    common.write_results("followups", args.label, {"rows": rows, "cutoff": cutoff.isoformat()}, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
