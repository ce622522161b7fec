"""In-process benchmark of the core list APIs and pages through the full Django stack.

Each scenario is a GET as one user — API requests with a token, pages with a logged-in
session — timed `--reps` times after a warm-up: p50/p95/max ms and the SQL count. API lists
are also timed with `?count=true`, and their SQL count is compared at page_size 5 and 200;
pages compare a full page with a filter that leaves a row or two. Equal counts mean no N+1.
Then micro-benchmarks of `next_number`, `policy_value` and `visible_unit_ids`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/query_bench.py [--explain]

Needs a database filled by bench/generate.py. Writes markdown + JSON to bench/out/.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.generate import BUSY_RECIPIENT, REGION_READER, STORE_READER  # noqa: E402

ADMIN = "admin"  # HQ system admin, superuser
HQ = "auditor"  # HQ auditor, not a superuser: every permission check runs
REGION, STORE = REGION_READER, STORE_READER  # service managers scoped to a bench region / store
HQ_SERVICE = "hq_service_manager"  # HQ service manager, not a superuser: sees every store's requests


@dataclass
class Scenario:
    kind: str  # "api" (token) or "page" (session)
    name: str
    user: str
    path: str
    few_rows_path: str | None = None  # pages: the same page filtered down to a row or two (N+1 check)


def api(name: str, user: str, path: str) -> Scenario:
    return Scenario("api", name, user, path)


def page(name: str, user: str, path: str, few_rows_path: str | None = None) -> Scenario:
    return Scenario("page", name, user, path, few_rows_path)


# `{placeholders}` are filled from the generated data by `scenario_params()`.
SCENARIOS = [
    api("org-units", ADMIN, "/api/v1/org-units/"),
    api("org-units ?kind=store", ADMIN, "/api/v1/org-units/?kind=store"),
    api("org-units", STORE, "/api/v1/org-units/"),
    api("users", ADMIN, "/api/v1/users/"),
    api("users ?org_unit=", ADMIN, "/api/v1/users/?org_unit={store_id}"),
    api("users ?role=cs_rep", ADMIN, "/api/v1/users/?role=cs_rep"),
    api("users ?q=u0004", ADMIN, "/api/v1/users/?q=u0004"),
    api("users", HQ, "/api/v1/users/"),
    api("users", REGION, "/api/v1/users/"),
    api("users", STORE, "/api/v1/users/"),
    api("users/me", ADMIN, "/api/v1/users/me/"),
    api("users/me", STORE, "/api/v1/users/me/"),
    api("policies", ADMIN, "/api/v1/policies/"),
    api("notifications (busy inbox)", BUSY_RECIPIENT, "/api/v1/notifications/"),
    api("notifications ?unread=true (busy)", BUSY_RECIPIENT, "/api/v1/notifications/?unread=true"),
    api("notifications", STORE, "/api/v1/notifications/"),
    api("notifications/unread-count (busy)", BUSY_RECIPIENT, "/api/v1/notifications/unread-count/"),
    api("audit-log", ADMIN, "/api/v1/audit-log/"),
    api("audit-log ?model=core.orgunit", ADMIN, "/api/v1/audit-log/?model=core.orgunit"),
    api("audit-log ?model=core.statutoryday (rare, old)", ADMIN, "/api/v1/audit-log/?model=core.statutoryday"),
    api("audit-log ?model=core.user&object_pk=", ADMIN, "/api/v1/audit-log/?model=core.user&object_pk={object_pk}"),
    api("audit-log ?actor=", ADMIN, "/api/v1/audit-log/?actor={actor_id}"),
    api("audit-log ?action=delete", ADMIN, "/api/v1/audit-log/?action=delete"),
    api("audit-log ?since=30 days", ADMIN, "/api/v1/audit-log/?since={since_30d}"),
    api("audit-log", HQ, "/api/v1/audit-log/"),
    api("audit-log", REGION, "/api/v1/audit-log/"),
    api("audit-log", STORE, "/api/v1/audit-log/"),
    api("access-log", ADMIN, "/api/v1/access-log/"),
    page("workbench /", ADMIN, "/"),
    page("workbench /", STORE, "/"),
    page("org units page", ADMIN, "/org/units/", "/org/units/?q={store_code}"),
    page("users page", ADMIN, "/org/users/", "/org/users/?q=bench_u00001"),
    page("users page", STORE, "/org/users/", "/org/users/?q={store_reader}"),
    page("notifications page (busy)", BUSY_RECIPIENT, "/notifications/"),
    page("audit log page", ADMIN, "/audit/log/", "/audit/log/?model=core.user&object_pk={object_pk}"),
    page("audit log page", HQ, "/audit/log/", "/audit/log/?model=core.user&object_pk={object_pk}"),
    page("audit log page", STORE, "/audit/log/", "/audit/log/?model=core.user&object_pk={object_pk}"),
    page("audit log page ?since=30 days", ADMIN, "/audit/log/?since={since_30d_date}"),
    page("access log page", ADMIN, "/audit/access/"),
    # service desk (issue 4): the filtered list API and the list page, HQ and store
    api("service-requests", HQ_SERVICE, "/api/v1/service-requests/"),
    api("service-requests ?status=in_progress", HQ_SERVICE, "/api/v1/service-requests/?status=in_progress"),
    api("service-requests ?status=closed", HQ_SERVICE, "/api/v1/service-requests/?status=closed"),
    api("service-requests ?store=", HQ_SERVICE, "/api/v1/service-requests/?store={store_id}"),
    api("service-requests ?overdue=true", HQ_SERVICE, "/api/v1/service-requests/?overdue=true"),
    api("service-requests ?q=number prefix", HQ_SERVICE, "/api/v1/service-requests/?q={request_prefix}"),
    api("service-requests ?q=customer name", HQ_SERVICE, "/api/v1/service-requests/?q={customer_name}"),
    api("service-requests ?q=description", HQ_SERVICE, "/api/v1/service-requests/?q=雾化器"),
    api("service-requests", STORE, "/api/v1/service-requests/"),
    api("service-requests ?status=in_progress", STORE, "/api/v1/service-requests/?status=in_progress"),
    api("service-requests ?overdue=true", STORE, "/api/v1/service-requests/?overdue=true"),
    api("service-requests ?q=customer name", STORE, "/api/v1/service-requests/?q={customer_name}"),
    page("service requests page", HQ_SERVICE, "/service/requests/", "/service/requests/?q={request_number}"),
    page("service requests page ?status=in_progress", HQ_SERVICE, "/service/requests/?status=in_progress"),
    page("service requests page ?overdue=true", HQ_SERVICE, "/service/requests/?overdue=true"),
    page("service requests page ?q=customer name", HQ_SERVICE, "/service/requests/?q={customer_name}"),
    page("service requests page", STORE, "/service/requests/", "/service/requests/?q={request_number}"),
    page("service requests page ?q=customer name", STORE, "/service/requests/?q={customer_name}"),
]


def scenario_params() -> dict[str, str]:
    """Ids and dates the scenario paths refer to, looked up in the generated data."""
    from auditlog.models import LogEntry
    from django.utils import timezone

    from salesservice.core.models import OrgUnit, User
    from salesservice.service.models import ServiceRequest

    store = OrgUnit.objects.get(code="bench-r01-s01")
    # A request of the store reader's store: its number, and its customer's name (shared by a few others).
    sample = ServiceRequest.objects.filter(store=store).select_related("customer").order_by("-pk").first()
    since = timezone.now() - timedelta(days=30)
    object_pk = LogEntry.objects.filter(content_type__model="user").values_list("object_pk", flat=True).last()
    return {
        "store_id": str(store.pk),
        "store_code": store.code,
        "store_reader": STORE_READER,
        "actor_id": str(User.objects.get(username="bench_u00042").pk),
        "object_pk": object_pk,
        "since_30d": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "since_30d_date": timezone.localdate(since).isoformat(),
        "request_number": sample.number if sample else "none",
        "request_prefix": sample.number[:-2] if sample else "none",  # about 100 requests
        "customer_name": sample.customer.name if sample else "none",
    }


def with_param(path: str, param: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{param}"


class Runner:
    """One test client per user and kind, so API requests carry only a token and pages only a session."""

    def __init__(self, reps: int):
        from django.db import connection

        self.reps = reps
        self.connection = connection
        self.clients: dict[tuple[str, str], object] = {}

    def client(self, kind: str, username: str):
        from django.test import Client
        from rest_framework.authtoken.models import Token

        from salesservice.core.models import User

        key = (kind, username)
        if key not in self.clients:
            user = User.objects.get(username=username)
            if kind == "api":
                token = Token.objects.get_or_create(user=user)[0].key
                client = Client(HTTP_AUTHORIZATION=f"Token {token}")
            else:
                client = Client()
                client.force_login(user)
            self.clients[key] = client
        return self.clients[key]

    def queries(self, client, path: str):
        """One request with its SQL captured: (response, [{"sql", "time"}, ...])."""
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(self.connection) as captured:
            response = client.get(path)
        return response, captured.captured_queries

    def timings(self, client, path: str) -> dict:
        client.get(path)  # warm-up
        return common.summary([common.timed_ms(lambda: client.get(path)) for _ in range(self.reps)])

    def run(self, scenario: Scenario, params: dict[str, str], explain: bool) -> dict:
        client = self.client(scenario.kind, scenario.user)
        path = scenario.path.format(**params)
        client.get(path)  # warm-up, so per-process caches (content types, templates) don't count
        response, queries = self.queries(client, path)
        result = {"kind": scenario.kind, "name": scenario.name, "user": scenario.user, "path": path}
        result |= {"status": response.status_code, "sql": len(queries), "rows": None, "sql_small": None}
        result["sql_ms"] = round(sum(float(q["time"] or 0) for q in queries) * 1000, 1)  # 1 ms resolution
        if scenario.kind == "api" and response.status_code == 200 and "results" in response.json():
            result["rows"] = len(response.json()["results"])
            result["sql_small"] = len(self.queries(client, with_param(path, "page_size=5"))[1])
            result["sql_large"] = len(self.queries(client, with_param(path, "page_size=200"))[1])
        elif scenario.few_rows_path:
            result["sql_small"] = len(self.queries(client, scenario.few_rows_path.format(**params))[1])
            result["sql_large"] = len(queries)
        result |= self.timings(client, path)
        if result["rows"] is not None:
            counted = with_param(path, "count=true")
            result["count_sql"] = len(self.queries(client, counted)[1])
            result["count_p95_ms"] = self.timings(client, counted)["p95_ms"]
            result["total"] = client.get(counted).json().get("count")
        slowest = max(queries, key=lambda q: float(q["time"] or 0), default=None)
        if slowest:
            result["slowest_sql_ms"] = round(float(slowest["time"]) * 1000, 2)
            result["slowest_sql"] = slowest["sql"]
            if explain:
                result["explain"] = self.explain(slowest["sql"])
        return result

    def explain(self, sql: str) -> str:
        prefix = "EXPLAIN (ANALYZE, BUFFERS)" if self.connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        with self.connection.cursor() as cursor:
            cursor.execute(f"{prefix} {sql}")
            return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())


def over_budget(result: dict) -> bool:
    return max(result["p95_ms"], result.get("count_p95_ms") or 0) > common.LIST_BUDGET_MS


def n_plus_one(result: dict) -> bool:
    """More statements for the full page than for the one filtered down to a row or two. The filtered one may run
    one more of its own (a `?q=` looks up matching customers first): fewer rows never cost fewer queries with N+1."""
    return result["sql_small"] is not None and result["sql_large"] > result["sql_small"]


# --- micro-benchmarks -----------------------------------------------------------------------


def sql_per_call(func) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured.captured_queries)


def micro_next_number(reps: int) -> dict:
    """A document number taken in its own transaction (the counter row is locked and bumped)."""
    from django.db import transaction

    from salesservice.core.numbering import ensure_series, next_number

    ensure_series("bench", name="基准", prefix="BN")

    def one():
        with transaction.atomic():
            next_number("bench")

    one()  # the first number of a period creates its counter row; measure the steady state
    return {"sql": sql_per_call(one), "samples": [common.timed_ms(one) for _ in range(reps)]}


def micro_policy_value(reps: int) -> dict:
    from salesservice.core.policy import policy_value

    def one():
        policy_value("service.first_contact_hours")

    one()
    return {"sql": sql_per_call(one), "samples": [common.timed_ms(one) for _ in range(reps)]}


def micro_visible_unit_ids(username: str, reps: int) -> dict:
    from salesservice.core.models import User
    from salesservice.core.scoping import visible_unit_ids

    user = User.objects.get(username=username)

    def one():
        user.__dict__.pop("_visible_unit_ids", None)  # the per-request cache
        return visible_unit_ids(user)

    units = one()
    note = "all (HQ)" if units is None else f"{len(units)} units"
    return {"sql": sql_per_call(one), "samples": [common.timed_ms(one) for _ in range(reps)], "note": note}


def run_micros(reps: int) -> list[dict]:
    micros = [
        ("next_number() in its own transaction", lambda: micro_next_number(reps)),
        ("policy_value('service.first_contact_hours')", lambda: micro_policy_value(reps)),
        (f"visible_unit_ids() — HQ ({HQ})", lambda: micro_visible_unit_ids(HQ, reps)),
        (f"visible_unit_ids() — region ({REGION})", lambda: micro_visible_unit_ids(REGION, reps)),
        (f"visible_unit_ids() — store ({STORE})", lambda: micro_visible_unit_ids(STORE, reps)),
    ]
    results = []
    for name, func in micros:
        out = func()
        stats = common.summary(out["samples"])
        per_second = 1000 * len(out["samples"]) / sum(out["samples"])
        results.append({"name": name, "sql": out["sql"], "per_second": round(per_second), "note": out.get("note", "")})
        results[-1] |= stats
        print(
            f"  {name:<48} sql={out['sql']} p50={stats['p50_ms']:.3f} p95={stats['p95_ms']:.3f} ms "
            f"{per_second:,.0f}/s {out.get('note', '')}",
            flush=True,
        )
    return results


# --- report ---------------------------------------------------------------------------------


def report(results: list[dict], micros: list[dict], label: str, reps: int) -> str:
    def n1(r):
        if r["sql_small"] is None:
            return ""
        return f"{r['sql_small']}/{r['sql_large']}" + (" **N+1**" if n_plus_one(r) else "")

    headers = ["", "scenario", "user", "status", "rows", "SQL", "SQL few/many", "SQL ms", "p50 ms", "p95 ms"]
    headers += ["max ms", "p95 ms count=true", "SQL count=true", "budget"]
    rows = [
        [r["kind"], r["name"], r["user"], r["status"], "" if r["rows"] is None else r["rows"], r["sql"], n1(r)]
        + [r["sql_ms"], r["p50_ms"], r["p95_ms"], r["max_ms"], r.get("count_p95_ms", ""), r.get("count_sql", "")]
        + ["**over**" if over_budget(r) else "ok"]
        for r in results
    ]
    scenario_table = common.markdown_table(headers, rows)
    micro_table = common.markdown_table(
        ["micro-benchmark", "SQL/call", "p50 ms", "p95 ms", "max ms", "calls/s", "note"],
        [[m["name"], m["sql"], m["p50_ms"], m["p95_ms"], m["max_ms"], m["per_second"], m["note"]] for m in micros],
    )
    explains = "\n\n".join(
        f"### {r['kind']} {r['name']} ({r['user']})\n\n```\n{r['slowest_sql']}\n\n{r['explain']}\n```"
        for r in results
        if r.get("explain")
    )
    parts = [f"## Query bench — {label} ({common.database_label()}), {reps} reps", scenario_table]
    parts += [micro_table] if micros else []
    parts += [f"## EXPLAIN of the slowest SQL of each scenario\n\n{explains}"] if explains else []
    return "\n\n".join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="medium", help="names the output files")
    parser.add_argument("--reps", type=int, default=50, help="timed repetitions per scenario")
    parser.add_argument("--only", help="run only scenarios whose name contains this text")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest SQL of each scenario")
    parser.add_argument("--no-micro", action="store_true", help="skip the micro-benchmarks")
    args = parser.parse_args(argv)

    common.setup(args.database_url)
    runner = Runner(args.reps)
    params = scenario_params()
    print(f"query bench: {common.database_label()}, {args.reps} reps; p50/p95/max in ms", flush=True)
    results = []
    for scenario in SCENARIOS:
        if args.only and args.only not in scenario.name:
            continue
        r = runner.run(scenario, params, args.explain)
        results.append(r)
        count = f" count=true: p95={r['count_p95_ms']:6.1f} sql={r['count_sql']}" if "count_p95_ms" in r else ""
        flags = (" OVER" if over_budget(r) else "") + (
            f" N+1 ({r['sql_small']}/{r['sql_large']})" if n_plus_one(r) else ""
        )
        print(
            f"  {r['kind']:<4} {r['name'][:44]:<44} {r['user'][:19]:<19} {r['status']} sql={r['sql']:<2} ({r['sql_ms']:5.1f} ms) "
            f"p50={r['p50_ms']:6.1f} p95={r['p95_ms']:6.1f} max={r['max_ms']:6.1f}{count}{flags}",
            flush=True,
        )
        if r.get("explain"):
            print("\n".join("      " + line for line in [r["slowest_sql"], *r["explain"].splitlines()]), flush=True)
    micros = [] if args.no_micro else run_micros(max(args.reps * 10, 200))
    data = {"label": args.label, "database": common.database_label(), "reps": args.reps, "scenarios": results}
    data["micro"] = micros
    common.write_results("query", args.label, data, report(results, micros, args.label, args.reps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
