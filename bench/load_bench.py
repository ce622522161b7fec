"""HTTP load benchmark: gunicorn on a free loopback port, N concurrent keep-alive clients.

Starts `gunicorn salesservice.wsgi` (2 sync workers, as DESIGN §8 budgets) against the bench
database, takes an API token, then drives `--clients` threads for `--duration` seconds per
scenario and once more for a weighted mix of them all. Reports throughput, p50/p95/p99/max
latency and the peak RSS of the workers. gunicorn is always stopped, also on Ctrl-C, SIGTERM
or an error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/load_bench.py --clients 16 --duration 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

HOST = "127.0.0.1"


@dataclass
class Scenario:
    name: str
    method: str
    path: str
    weight: int  # share in the mix
    user: str | None = None  # API user when not `--user`
    body: Callable[[random.Random], dict] | None = None  # JSON body, drawn per request


# DESIGN §8: API create of a service request, p95 < 50 ms at 16 clients on 2 workers, ≤ 8 SQL.
CREATE_USER = "bench_store_reader"  # a store's service manager: scope checks run, customers of one store
CREATE_PATH = "/api/v1/service-requests/"
CREATE_BUDGET_MS, CREATE_BUDGET_SQL = 50, 8
CUSTOMER_IDS: list[int] = []  # filled in main(): customers the create user may serve


def create_body(rng: random.Random) -> dict:
    return {
        "customer": rng.choice(CUSTOMER_IDS),
        "channel": rng.choice(["hotline", "walk_in", "online"]),
        "category": rng.choice(["repair", "installation", "maintenance"]),
        "description": rng.choice(["血压计无法开机", "制氧机噪音大，流量不稳定", "轮椅刹车失灵"]),
    }


SCENARIOS = [
    Scenario("GET users ?page_size=50", "GET", "/api/v1/users/?page_size=50", 3),
    Scenario("GET audit-log", "GET", "/api/v1/audit-log/", 3),
    Scenario("GET audit-log ?count=true", "GET", "/api/v1/audit-log/?count=true", 1),
    Scenario("GET notifications", "GET", "/api/v1/notifications/", 3),
    Scenario("GET users/me", "GET", "/api/v1/users/me/", 3),
    Scenario("POST notifications/read-all (a write)", "POST", "/api/v1/notifications/read-all/", 1),
    Scenario("POST service-requests (create)", "POST", CREATE_PATH, 1, CREATE_USER, create_body),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Gunicorn:
    """gunicorn in its own process group, so `stop()` reaches the workers too."""

    def __init__(self, port: int, workers: int, log_path: Path):
        cmd = [sys.executable, "-m", "gunicorn", "salesservice.wsgi", "--bind", f"{HOST}:{port}"]
        cmd += ["--workers", str(workers), "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket"]
        env = {**os.environ, **common.bench_env(), "DATABASE_URL": os.environ["DATABASE_URL"]}
        self.port = port
        self.log = open(log_path, "w")  # closed in stop()
        self.proc = subprocess.Popen(
            cmd, cwd=common.ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def worker_pids(self) -> list[int]:
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as children:
                return [int(pid) for pid in children.read().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


class RssSampler(threading.Thread):
    """Peak VmRSS of each gunicorn worker, sampled every 0.5 s while the load runs."""

    def __init__(self, server: Gunicorn):
        super().__init__(daemon=True)
        self.server = server
        self.done = threading.Event()
        self.peak: dict[int, float] = {}

    def run(self) -> None:
        while not self.done.wait(0.5):
            for pid in self.server.worker_pids():
                self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))


def get_token(port: int, username: str, password: str) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    body = json.dumps({"username": username, "password": password})
    conn.request("POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"token request failed: {response.status} {data[:200]!r}")
    return json.loads(data)["token"]


def drive(port: int, tokens: dict[str, str], scenarios: list[Scenario], clients: int, duration: float) -> dict:
    """`clients` threads, each on its own keep-alive connection, send requests until `duration` ends."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    default_user = next(iter(tokens))

    def headers(scenario: Scenario) -> dict[str, str]:
        token = tokens[scenario.user or default_user]
        base = {"Authorization": f"Token {token}", "Accept": "application/json"}
        return base | ({"Content-Type": "application/json"} if scenario.body else {})

    weights = [s.weight for s in scenarios]
    deadline = time.monotonic() + duration

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        while time.monotonic() < deadline:
            scenario = rng.choices(scenarios, weights)[0]
            start = time.perf_counter()
            try:
                body = json.dumps(scenario.body(rng)) if scenario.body else None
                conn.request(scenario.method, scenario.path, body=body, headers=headers(scenario))
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()  # reconnects on the next request
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client, args=(seed,), daemon=True) for seed in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "statuses": statuses,
        "seconds": round(wall, 2),
        "throughput_rps": round(len(latencies) / wall, 1),
        **common.summary(latencies),
    }


def load_customer_ids(username: str) -> list[int]:
    from salesservice.core.models import User
    from salesservice.customers.models import Customer

    user = User.objects.get(username=username)
    return list(Customer.objects.visible_to(user).filter(is_active=True).values_list("pk", flat=True)[:500])


def create_in_process(username: str, reps: int = 30) -> dict:
    """The create through the whole Django stack in this process: SQL per create and its statements."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from salesservice.core.models import User

    token = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    rng = random.Random(7)

    def post():
        response = client.post(CREATE_PATH, data=json.dumps(create_body(rng)), content_type="application/json")
        if response.status_code != 201:
            raise RuntimeError(f"create failed: {response.status_code} {response.content[:300]!r}")

    post()  # warm-up: the day's counter row, per-process caches
    counts, samples, statements = [], [], []
    for _ in range(reps):
        with CaptureQueriesContext(connection) as captured:
            samples.append(common.timed_ms(post))
        counts.append(len(captured.captured_queries))
        statements = [q["sql"] for q in captured.captured_queries]
    return {"sql_min": min(counts), "sql_max": max(counts), "statements": statements, **common.summary(samples)}


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--label", default="medium", help="names the output files")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20, help="seconds per scenario")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--user", default="auditor", help="API user (default: HQ, not a superuser)")
    parser.add_argument("--only", help="run only scenarios whose name contains this text (no mix)")
    args = parser.parse_args(argv)

    common.setup(args.database_url)  # checks DATABASE_URL; gunicorn inherits it
    from salesservice.core.demo import DEMO_PASSWORD

    scenarios = [s for s in SCENARIOS if not args.only or args.only in s.name]
    in_process = None
    if any(s.body is create_body for s in scenarios):
        CUSTOMER_IDS[:] = load_customer_ids(CREATE_USER)
        if not CUSTOMER_IDS:
            raise SystemExit(f"{CREATE_USER} sees no customers: generate the data set first (bench/generate.py)")
        in_process = create_in_process(CREATE_USER)
        print(
            f"in-process create as {CREATE_USER}: {in_process['sql_min']}–{in_process['sql_max']} SQL per create "
            f"(budget ≤ {CREATE_BUDGET_SQL}); p50={in_process['p50_ms']:.1f} p95={in_process['p95_ms']:.1f} ms",
            flush=True,
        )
        for sql in in_process["statements"]:
            print(f"      {sql[:160]}", flush=True)
    plan = [(s.name, [s]) for s in scenarios]
    if not args.only:
        plan.append(("mix " + ":".join(str(s.weight) for s in scenarios), scenarios))
    common.OUT_DIR.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    port = free_port()
    server = Gunicorn(port, args.workers, common.OUT_DIR / "gunicorn-load.log")
    sampler = RssSampler(server)
    runs = []
    load_before = os.getloadavg()[0]  # other work on this machine competes for the same CPUs
    try:
        server.wait_ready()
        tokens = {args.user: get_token(port, args.user, DEMO_PASSWORD)}
        for user in {s.user for s in scenarios if s.user} - {args.user}:
            tokens[user] = get_token(port, user, DEMO_PASSWORD)
        sampler.start()
        print(
            f"load bench: {args.clients} clients, {args.workers} gunicorn workers on :{port}, "
            f"{args.duration:g} s per run, user {args.user}, {common.database_label()}, "
            f"1-min load average before: {load_before:.2f}",
            flush=True,
        )
        for name, group in plan:
            drive(port, tokens, group, min(args.clients, 4), 1)  # warm-up, not counted
            run = {"name": name, **drive(port, tokens, group, args.clients, args.duration)}
            runs.append(run)
            print(
                f"  {name[:44]:<44} {run['requests']:>6} req {run['throughput_rps']:>6.1f} req/s "
                f"p50={run['p50_ms']:6.1f} p95={run['p95_ms']:6.1f} p99={run['p99_ms']:6.1f} "
                f"max={run['max_ms']:6.1f} ms statuses={run['statuses']} errors={run['errors']}",
                flush=True,
            )
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    finally:
        sampler.done.set()
        server.stop()
        print("gunicorn stopped", flush=True)

    peak_rss = round(max(sampler.peak.values(), default=0.0), 1)
    over = " (**over** budget)" if peak_rss > common.RSS_BUDGET_MB else ""
    table = common.markdown_table(
        ["scenario", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "statuses"],
        [
            [r["name"], r["requests"], r["errors"], r["throughput_rps"], r["p50_ms"], r["p95_ms"], r["p99_ms"]]
            + [r["max_ms"], " ".join(f"{code}×{n}" for code, n in sorted(r["statuses"].items()))]
            for r in runs
        ],
    )
    markdown = (
        f"## Load bench — {args.label} ({common.database_label()})\n\n"
        f"{args.clients} clients, {args.workers} gunicorn sync workers, user `{args.user}`, "
        f"{args.duration:g} s per run; 1-min load average before the runs {load_before:.2f}.\n\n{table}\n\n"
        f"Peak worker RSS: {peak_rss} MB{over}."
    )
    if in_process:
        sql_over = " (**over** budget)" if in_process["sql_max"] > CREATE_BUDGET_SQL else ""
        statements = "\n".join(f"{i}. `{sql[:200]}`" for i, sql in enumerate(in_process["statements"], 1))
        markdown += (
            f"\n\nIn-process create (`{CREATE_USER}`, 30 creates): {in_process['sql_min']}–{in_process['sql_max']} "
            f"SQL per create{sql_over}, p50 {in_process['p50_ms']} ms, p95 {in_process['p95_ms']} ms. "
            f"The statements of one create:\n\n{statements}"
        )
    data = {
        "label": args.label,
        "database": common.database_label(),
        "clients": args.clients,
        "workers": args.workers,
        "user": args.user,
        "duration": args.duration,
        "load_average_before": load_before,
        "runs": runs,
        "peak_worker_rss_mb": peak_rss,
        "scenarios": [{k: v for k, v in vars(s).items() if k != "body"} for s in scenarios],
        "create_in_process": in_process,
    }
    print(f"  peak worker RSS {peak_rss} MB")
    common.write_results("load", args.label, data, markdown)
    return 0 if len(runs) == len(plan) else 1


if __name__ == "__main__":
    sys.exit(main())
