"""Scale-out proven on loopback (issue 17 §5, DESIGN §9): the production topology on one machine, under load,
with nodes killed, then the integrity checks.

    .venv/bin/python bench/scaleout.py [--duration 120] [--db scaleout_bench] [--clients 8] [--redis-db 12]

1. Sets up PostgreSQL database `--db` (created if absent, `migrate`, `load_demo --force` when `xuhui_cs` has
   no customers) with production settings (DEBUG=false, Redis broker and cache). So that requests fall due
   *during* the run, it adds a bench-only version of the SLA terms — first contact 0.0025 h (9 s),
   escalation 0.005 h (18 s per level) — straight into `core_policyvalue` (the DOC-1 rule for policy changes
   is not what is measured here), and adds the previous values back as a new version at the end.
2. Starts two web nodes (`gunicorn salesservice.wsgi -w 2`), HAProxy balancing them with health checks
   (`/healthz` every second, retries redispatched to the other node), two Celery workers (`-n w1@`, `-n w2@`),
   beat A (the heartbeat every 5 s), Redis DB `--redis-db` as broker and `--redis-db`+1 as cache.
3. Drives `--clients` threads for `--duration` seconds through the balancer as `xuhui_cs`: 50 % API creates
   of service requests (each with an `Idempotency-Key`, retried on a connection error or a 502/503 with the same
   key), 30 % list reads, 20 % workflow actions (contact, wait-customer, cancel) on created requests.
   Meanwhile, at fractions of the run: 0.15 a second beat B starts (a standby: the beat lock is held by A);
   0.25 web node 1 is killed with -9, restarted at 0.35; 0.30 and 0.70 two extra `service.sla_sweep` tasks are
   sent at once (double runs beside the scheduled one); 0.45 worker 1 is killed with -9, restarted at 0.55;
   0.52 beat A is killed with -9 (B takes the lock); 0.60 beat A restarts (now the standby); 0.80 beat B is
   stopped (A takes the lock back).
4. After the load: waits until every request of the run due at the end has been swept, stops everything (also
   on Ctrl+C or an error; the database is left for inspection) and checks: every 201 committed with its number;
   no duplicate number in any numbered table, the run's SR series gapless; every escalation and breach once per
   request and level, every due request escalated; every escalation, breach and exhausted ladder with one
   notification per recipient; one beat sending at a time with the heartbeat on its cadence; worker RSS.
   Prints the report (also `bench/out/scaleout-<time>/report.md` and `.json`); exits 1 if a check failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PG_URL = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"
USER, PASSWORD = "xuhui_cs", "demo-pass-2026"
HEARTBEAT_SECONDS = 5
SWEEP_SECONDS = 60  # service.sla_sweep's schedule (service/apps.py)
# 9 s and 18 s: shorter than the sweep's minute, so one sweep often passes two deadlines of a request (as after
# a scheduler outage longer than escalation_hours) and every level of the ladder is reached during the run
SHORT_SLA = {"service.first_contact_hours": "0.0025", "service.escalation_hours": "0.005"}
RSS_BUDGET_MB = 200
CATCH_UP_TIMEOUT = 120

sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- processes ---------------------------------------------------------------------------------------------


class Stack:
    """Every process the bench starts, each leading its own process group (kill -9 of a node = its group)."""

    def __init__(self, out: Path, env: dict[str, str]):
        self.out, self.env = out, env
        self.procs: dict[str, subprocess.Popen] = {}
        self.argv: dict[str, list[str]] = {}
        self.incarnation: Counter = Counter()
        self.logs: dict[str, list[Path]] = defaultdict(list)
        self.lock = threading.Lock()

    def start(self, name: str, argv: list[str] | None = None) -> subprocess.Popen:
        argv = argv or self.argv[name]
        self.argv[name] = argv
        self.incarnation[name] += 1
        path = self.out / f"{name}.{self.incarnation[name]}.log"
        self.logs[name].append(path)
        with open(path, "wb") as handle:
            proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        with self.lock:
            self.procs[name] = proc
        return proc

    def kill9(self, name: str) -> None:
        proc = self.procs[name]
        _killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self, name: str, timeout: float = 20) -> None:
        proc = self.procs.get(name)
        if proc is None:
            return
        _killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        _killpg(proc.pid, signal.SIGKILL)  # leftovers of the group (pool children, gunicorn workers)
        proc.wait()

    def stop_all(self) -> None:
        with self.lock:
            procs = list(self.procs.items())
        for _name, proc in procs:
            _killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for _name, proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for _name, proc in procs:
            _killpg(proc.pid, signal.SIGKILL)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def groups(self) -> dict[int, str]:
        with self.lock:
            return {proc.pid: name for name, proc in self.procs.items() if proc.poll() is None}

    def log_text(self, name: str, incarnation: int = -1) -> str:
        return self.logs[name][incarnation].read_text(errors="replace")


def _killpg(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def wait_until(predicate, timeout: float, what: str, interval: float = 0.25) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return time.monotonic() - start
        except Exception:  # noqa: BLE001 — not ready yet
            pass
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def http_status(port: int, path: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=3)
    try:
        conn.request("GET", path, headers={"Host": HOST})
        return conn.getresponse().status
    finally:
        conn.close()


HAPROXY_CFG = """global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 30s
    # a health check waits behind the requests a busy sync worker is serving: not a dead node
    timeout check 5s
    retries 3
    option redispatch 1
frontend api
    bind {host}:{lb}
    default_backend web
backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    server web1 {host}:{web1} check
    server web2 {host}:{web2} check
listen stats
    bind {host}:{stats}
    stats enable
    stats uri /stats
"""


# --- RSS ---------------------------------------------------------------------------------------------------


class RssSampler(threading.Thread):
    """Peak RSS per kind of process (gunicorn master/worker, celery worker main/pool, beat), from `ps`."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.peak: dict[str, float] = {}
        self.lock_holders: Counter = Counter()  # sessions holding the beat lock → number of samples
        self.stopped = threading.Event()

    def sample_lock(self) -> None:
        """How many sessions hold the beat lock right now, from pg_locks (must never be more than one)."""
        from django.db import connection

        from salesservice.core.beat_lock import LOCK_NAME, advisory_key

        key = advisory_key(LOCK_NAME) & 0xFFFFFFFFFFFFFFFF
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = %s::bigint::oid AND objid = %s::bigint::oid AND objsubid = 1",
                [key >> 32, key & 0xFFFFFFFF],
            )
            self.lock_holders[cursor.fetchone()[0]] += 1

    def kind(self, name: str, pid: int, pgid: int) -> str | None:
        if name.startswith("web"):
            return "gunicorn master" if pid == pgid else "gunicorn worker"
        if name.startswith("worker"):
            return "celery worker (main)" if pid == pgid else "celery worker (pool child)"
        if name.startswith("beat"):
            return "celery beat"
        return None

    def sample(self) -> None:
        groups = self.stack.groups()
        out = subprocess.run(["ps", "-eo", "pid=,pgid=,rss="], capture_output=True, text=True).stdout
        for line in out.splitlines():
            pid, pgid, rss = (int(x) for x in line.split())
            name = groups.get(pgid)
            kind = name and self.kind(name, pid, pgid)
            if kind:
                self.peak[kind] = max(self.peak.get(kind, 0.0), rss / 1024)

    def run(self):
        from django.db import connection

        while not self.stopped.wait(1):
            try:
                self.sample()
                self.sample_lock()
            except Exception:  # noqa: BLE001, S110 — a missed sample is not a failure
                pass
        connection.close()


# --- load --------------------------------------------------------------------------------------------------


class Load:
    """Closed-loop clients through the balancer; every outcome recorded with its time."""

    def __init__(self, port: int, token: str, customers: list[int], clients: int, t0: float):
        self.port, self.token, self.customers, self.clients, self.t0 = port, token, customers, clients, t0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.created: dict[int, str] = {}  # id → number, from 201 responses
        self.created_ids: list[int] = []
        self.conflicting_201: list[tuple[int, str, str]] = []  # the same id answered with two numbers
        self.outcomes: Counter = Counter()  # (op, outcome)
        self.errors: list[tuple[float, str, str]] = []  # (t, op, kind)
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.replayed = 0
        self.retried_creates = 0
        self.unknown_creates: list[str] = []  # idempotency keys whose outcome the client never learnt
        self.threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(clients)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def join(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=70)

    # one HTTP exchange; raises on a transport error
    def call(self, conn_box: list, method: str, path: str, body: dict | None = None, extra: dict | None = None):
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Authorization": f"Token {self.token}", "Host": HOST, "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        headers.update(extra or {})
        try:
            conn_box[0].request(method, path, body=payload, headers=headers)
            response = conn_box[0].getresponse()
            data = response.read()
        except Exception:
            conn_box[0].close()
            conn_box[0] = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            conn_box[0].close()
            conn_box[0] = None
        return response.status, response.getheader("Idempotent-Replayed"), data

    def error(self, op: str, kind: str) -> None:
        with self.lock:
            self.errors.append((time.monotonic() - self.t0, op, kind))
            self.outcomes[(op, kind)] += 1

    def client(self, index: int):
        rng = random.Random(index)
        conn_box: list = [None]
        while not self.stop.is_set():
            roll = rng.random()
            started = time.monotonic()
            if roll < 0.5:
                op = "create"
                self.create(rng, conn_box)
            elif roll < 0.8:
                op = "list"
                self.simple(conn_box, op, "GET", f"/api/v1/service-requests/?page_size={rng.choice([20, 50])}")
            else:
                op = "action"
                with self.lock:
                    target = rng.choice(self.created_ids) if self.created_ids else None
                if target is None:
                    continue
                action, body = rng.choices(
                    [
                        ("contact", {}),
                        ("wait-customer", {"reason": "等待客户确认上门时间"}),
                        ("cancel", {"reason": "客户撤回"}),
                    ],
                    weights=[6, 2, 2],
                )[0]
                self.simple(conn_box, op, "POST", f"/api/v1/service-requests/{target}/{action}/", body)
            with self.lock:
                self.latency[op].append((time.monotonic() - started) * 1000)
        if conn_box[0] is not None:
            conn_box[0].close()

    def simple(self, conn_box, op, method, path, body=None):
        try:
            status, _replayed, _data = self.call(conn_box, method, path, body)
        except Exception as exc:  # noqa: BLE001
            self.error(op, f"conn:{type(exc).__name__}")
            return
        if status in (200, 201):
            with self.lock:
                self.outcomes[(op, str(status))] += 1
        elif op == "action" and status == 409:  # the request had moved on: the workflow refusing, not a fault
            with self.lock:
                self.outcomes[(op, "409 (refused transition)")] += 1
        else:
            self.error(op, str(status))

    def create(self, rng, conn_box):
        key = str(uuid.uuid4())
        body = {
            "customer": rng.choice(self.customers),
            "channel": rng.choice(["hotline", "walk_in", "store", "api"]),
            "category": rng.choice(["repair", "installation", "maintenance"]),
            "description": rng.choice(["空调不制冷，外机异响", "制氧机噪音大，流量不稳定", "洗衣机脱水时震动"]),
        }
        for attempt in range(5):
            if attempt:
                with self.lock:
                    self.retried_creates += 1
                time.sleep(0.3 * attempt)
            try:
                status, replayed, data = self.call(
                    conn_box, "POST", "/api/v1/service-requests/", body, {"Idempotency-Key": key}
                )
            except Exception as exc:  # noqa: BLE001 — the request may or may not have been committed: retry
                self.error("create", f"conn:{type(exc).__name__}")
                continue
            if status == 201:
                answer = json.loads(data)
                with self.lock:
                    self.outcomes[("create", "201")] += 1
                    if replayed:
                        self.replayed += 1
                    known = self.created.get(answer["id"])
                    if known is None:
                        self.created[answer["id"]] = answer["number"]
                        self.created_ids.append(answer["id"])
                    elif known != answer["number"]:
                        self.conflicting_201.append((answer["id"], known, answer["number"]))
                return
            self.error("create", str(status))
            if status not in (502, 503, 504):
                return
        with self.lock:
            self.unknown_creates.append(key)


# --- the bench ---------------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (default 120)")
    parser.add_argument("--db", default="scaleout_bench", help="PostgreSQL database (created if absent)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default 8)")
    parser.add_argument("--redis-db", type=int, default=12, help="Redis DB of the broker; the cache uses the next")
    return parser.parse_args(argv)


def stack_env(args, var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="salesservice.settings",
        DATABASE_URL=f"{PG_URL}/{args.db}",
        DEBUG="false",
        SECRET_KEY="scaleout-bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        CELERY_BROKER_URL=f"{REDIS}/{args.redis_db}",
        CACHE_URL=f"{REDIS}/{args.redis_db + 1}",
        VAR_DIR=str(var_dir),
        HEARTBEAT_INTERVAL_SECONDS=str(HEARTBEAT_SECONDS),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    return env


def ensure_database(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def manage(env, *args, out: Path) -> None:
    name = args[0]
    with open(out / f"manage-{name}.log", "wb") as handle:
        code = subprocess.call(
            [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    if code:
        raise RuntimeError(f"manage.py {' '.join(args)} failed, see {out}/manage-{name}.log")


def set_policy(values: dict[str, str], reason: str) -> dict[str, object]:
    """A new version of each parameter, in force from now; returns the values it replaced."""
    from django.db.models import Max
    from django.utils import timezone

    from salesservice.core import config_cache
    from salesservice.core.models import PolicyParameter, PolicyValue

    now = timezone.now()
    replaced = {}
    for key, value in values.items():
        parameter = PolicyParameter.objects.get(key=key)
        current = parameter.values.filter(effective_from__lte=now).order_by("-effective_from", "-number").first()
        replaced[key] = current.value if current else None
        number = (parameter.values.aggregate(top=Max("number"))["top"] or 0) + 1
        PolicyValue.objects.create(parameter=parameter, number=number, value=value, effective_from=now, reason=reason)
    config_cache.bump()
    return replaced


def main(argv=None) -> int:
    args = parse_args(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "out" / f"scaleout-{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="scaleout-var-"))
    env = stack_env(args, var_dir)
    stack = Stack(out, env)
    sampler = RssSampler(stack)
    restore: dict | None = None

    def on_signal(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        # --- 1. database ---------------------------------------------------------------------------------
        if ensure_database(args.db):
            log(f"created database {args.db}")
        log(f"migrate {args.db}")
        manage(env, "migrate", "--noinput", out=out)
        os.environ.update(env)  # this process reads and checks the same database and broker
        import django

        django.setup()
        from salesservice.core.models import Heartbeat, User
        from salesservice.customers.models import Customer

        def demo_ready():
            user = User.objects.filter(username=USER).first()
            return user is not None and Customer.objects.visible_to(user).filter(is_active=True).exists()

        if not demo_ready():
            log("load_demo --force (xuhui_cs has no customers in scope) — a few minutes")
            manage(env, "load_demo", "--force", out=out)
        user = User.objects.get(username=USER)
        customers = list(Customer.objects.visible_to(user).filter(is_active=True).values_list("pk", flat=True)[:50])
        import redis

        for db in (args.redis_db, args.redis_db + 1):
            redis.Redis.from_url(f"{REDIS}/{db}").flushdb()
        baseline = take_baseline()
        restore = set_policy(SHORT_SLA, "bench/scaleout.py: short SLA so that requests fall due during the run")
        log(f"SLA terms for the run: {SHORT_SLA} (were {restore})")

        # --- 2. the stack ---------------------------------------------------------------------------------
        ports = {name: free_port() for name in ("lb", "web1", "web2", "stats")}
        (out / "haproxy.cfg").write_text(HAPROXY_CFG.format(host=HOST, **ports))
        for node in ("web1", "web2"):
            stack.start(
                node,
                [str(BIN / "gunicorn"), "salesservice.wsgi", "-w", "2", "-b", f"{HOST}:{ports[node]}",
                 "--no-control-socket", "--graceful-timeout", "5"],
            )  # fmt: skip
        for worker in ("worker1", "worker2"):
            stack.start(
                worker,
                [
                    str(BIN / "celery"),
                    "-A",
                    "salesservice",
                    "worker",
                    "-n",
                    f"w{worker[-1]}@%h",
                    "-c",
                    "2",
                    "-l",
                    "INFO",
                ],
            )
        stack.start("beatA", beat_argv(out, "A"))
        for node in ("web1", "web2"):
            wait_until(lambda n=node: http_status(ports[n], "/healthz") == 200, 90, f"{node} /healthz")
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        stack.start("haproxy", [haproxy, "-f", str(out / "haproxy.cfg"), "-db"])
        wait_until(lambda: http_status(ports["lb"], "/healthz") == 200, 30, "haproxy")
        for worker in ("worker1", "worker2"):
            wait_until(lambda w=worker: "ready." in stack.log_text(w), 90, f"{worker} ready")
        wait_until(lambda: "beat lock: acquired" in stack.log_text("beatA"), 30, "beat A takes the lock")
        log(f"stack up: haproxy :{ports['lb']} → web1 :{ports['web1']}, web2 :{ports['web2']}; workers w1, w2; beat A")
        token = get_token(ports["lb"])
        sampler.start()
        heartbeat_before = Heartbeat.objects.filter(name="scheduler").values_list("count", flat=True).first() or 0

        # --- 3. load with failures ------------------------------------------------------------------------
        from salesservice.celery import app as celery_app

        t0 = time.monotonic()
        load = Load(ports["lb"], token, customers, args.clients, t0)
        events: list[tuple[float, str]] = []
        windows: dict[str, list[float]] = {}

        def event(text):
            events.append((time.monotonic() - t0, text))
            log(text)

        def restart_web1():
            stack.start("web1")
            wait_until(lambda: http_status(ports["web1"], "/healthz") == 200, 90, "web1 back")
            event("web1 restarted and answering /healthz")
            windows["web1"].append(time.monotonic() - t0)

        def double_sweep():
            celery_app.send_task("service.sla_sweep")
            celery_app.send_task("service.sla_sweep")
            event("two extra service.sla_sweep tasks sent at once")

        plan = [
            (0.15, lambda: (stack.start("beatB", beat_argv(out, "B")), event("beat B started (expected: standby)"))),
            (0.25, lambda: (windows.setdefault("web1", [time.monotonic() - t0]), stack.kill9("web1"), event("kill -9 web1 (gunicorn master + workers)"))),
            (0.30, double_sweep),
            (0.35, lambda: threading.Thread(target=restart_web1, daemon=True).start()),
            (0.45, lambda: (windows.setdefault("worker1", [time.monotonic() - t0]), stack.kill9("worker1"), event("kill -9 worker1 (main + pool)"))),
            (0.52, lambda: (stack.kill9("beatA"), event("kill -9 beat A (the lock holder)"))),
            (0.55, lambda: (stack.start("worker1"), windows["worker1"].append(time.monotonic() - t0), event("worker1 restarted"))),
            (0.60, lambda: (stack.start("beatA"), event("beat A restarted (expected: standby)"))),
            (0.70, double_sweep),
            (0.80, lambda: (stack.stop("beatB"), event("beat B stopped (SIGTERM: releases the lock)"))),
        ]  # fmt: skip
        log(f"load: {args.clients} clients for {args.duration:.0f} s through haproxy")
        load.start()
        for fraction, action in plan:
            delay = t0 + fraction * args.duration - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            action()
        time.sleep(max(0.0, t0 + args.duration - time.monotonic()))
        load.join()
        elapsed = time.monotonic() - t0
        event(f"load stopped after {elapsed:.1f} s")

        # --- 4. let the sweep catch up with what is due at the end ---------------------------------------
        from django.utils import timezone

        cut = timezone.now()
        celery_app.send_task("service.sla_sweep")
        caught_up = wait_until(lambda: overdue(baseline, cut) == 0, CATCH_UP_TIMEOUT, "the sweep to catch up", 2)
        event(f"every request of the run due at the end swept ({caught_up:.1f} s after the load)")
        config_results = config_change_on_every_node(ports, token)
        event("permission revoked and restored from outside the nodes (configuration cache check)")
        time.sleep(1)
        sampler.sample()
        heartbeat_after = Heartbeat.objects.filter(name="scheduler").values_list("count", flat=True).first() or 0
        haproxy_stats = fetch_stats(ports["stats"])
        beat_logs = {
            f"{name}.{i + 1}": path.read_text(errors="replace")
            for name in ("beatA", "beatB")
            for i, path in enumerate(stack.logs[name])
        }
        worker_logs = "\n".join(
            path.read_text(errors="replace") for name in ("worker1", "worker2") for path in stack.logs[name]
        )
    except KeyboardInterrupt:
        abandon("interrupted", stack, sampler, restore)
        return 130
    except Exception:
        abandon("failed", stack, sampler, restore)
        raise
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    log("stopping the stack")
    sampler.stopped.set()
    stack.stop_all()
    set_policy(restore, "bench/scaleout.py: SLA terms back after the run")
    shutil.rmtree(var_dir, ignore_errors=True)

    # --- 5. checks and report ---------------------------------------------------------------------------
    report = Report()
    check_commits(report, load)
    check_numbers(report, baseline, load)
    check_escalations(report, baseline, cut)
    check_notifications(report, baseline)
    check_beat(report, beat_logs, heartbeat_before, heartbeat_after, worker_logs)
    check_config_cache(report, config_results)
    holders = dict(sorted(sampler.lock_holders.items()))
    report.check(
        "at most one beat-lock holder in pg_locks",
        max(holders, default=0) == 1,
        f"samples (every second) by number of sessions holding the lock: {holders} — 0 only between a holder's "
        "death and a standby's next try (≤ 5 s)",
    )
    summarize_load(report, load, elapsed, events, windows, haproxy_stats, sampler.peak)
    text = report.render(args, elapsed)
    print(text)
    (out / "report.md").write_text(text)
    (out / "report.json").write_text(json.dumps(report.data, indent=2, default=str, ensure_ascii=False))
    log(f"logs and report in {out.relative_to(ROOT)}; database {args.db} left for inspection")
    return 0 if report.ok else 1


def beat_argv(out: Path, name: str) -> list[str]:
    return [str(BIN / "celery"), "-A", "salesservice", "beat", "-s", str(out / f"beat{name}-schedule"), "-l", "INFO"]


def abandon(why: str, stack, sampler, restore) -> None:
    """A run that ends early: stop every process and put the SLA terms back."""
    log(f"{why}: stopping every process")
    stack.stop_all()
    sampler.stopped.set()
    if restore:
        set_policy(restore, "bench/scaleout.py: SLA terms back after the run")


def api_get_status(port: int, token: str, path: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": HOST, "Authorization": f"Token {token}"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def config_change_on_every_node(ports, token, rounds: int = 12) -> dict[str, dict[str, list[int]]]:
    """Issue 17 §1 across processes: every worker of both nodes caches xuhui_cs's permissions (warm-up), then this
    process — neither node — revokes the role's `service.view_servicerequest` through the ORM and restores it.
    Each node's answers right after each change are recorded: 403 after the revocation, 200 after the restore,
    on every request (the stamp in the database tells each worker to re-read)."""
    from django.contrib.auth.models import Permission

    from salesservice.core.models import Membership

    path = "/api/v1/service-requests/?page_size=1"
    role = Membership.objects.select_related("role").filter(user__username=USER).first().role
    permission = Permission.objects.get(content_type__app_label="service", codename="view_servicerequest")
    results: dict[str, dict[str, list[int]]] = {}
    nodes = ("web1", "web2")
    results["warm"] = {node: [api_get_status(ports[node], token, path) for _ in range(rounds)] for node in nodes}
    role.permissions.remove(permission)
    try:
        results["revoked"] = {node: [api_get_status(ports[node], token, path) for _ in range(rounds)] for node in nodes}
    finally:
        role.permissions.add(permission)
    results["restored"] = {node: [api_get_status(ports[node], token, path) for _ in range(rounds)] for node in nodes}
    return results


def check_config_cache(report, results) -> None:
    counts = {
        phase: {node: dict(Counter(codes)) for node, codes in by_node.items()} for phase, by_node in results.items()
    }
    ok = (
        all(code == 200 for codes in results["warm"].values() for code in codes)
        and all(code == 403 for codes in results["revoked"].values() for code in codes)
        and all(code == 200 for codes in results["restored"].values() for code in codes)
    )
    report.check(
        "a permission revoked elsewhere is in force on the next request on every node",
        ok,
        f"status codes per node (2 gunicorn workers each, requests straight to the node): {counts}",
    )


def get_token(port: int) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(
        "POST",
        "/api/v1/auth/token/",
        body=json.dumps({"username": USER, "password": PASSWORD}),
        headers={"Content-Type": "application/json", "Host": HOST},
    )
    response = conn.getresponse()
    data = json.loads(response.read())
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"no token for {USER}: {response.status} {data}")
    return data["token"]


def fetch_stats(port: int) -> dict[str, dict[str, str]]:
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    conn.request("GET", "/stats;csv", headers={"Host": HOST})
    lines = conn.getresponse().read().decode().splitlines()
    conn.close()
    header = lines[0].lstrip("# ").split(",")
    rows = {}
    for line in lines[1:]:
        values = dict(zip(header, line.split(","), strict=False))
        if values.get("pxname") == "web":
            rows[values["svname"]] = values
    return rows


# --- what the checks read ----------------------------------------------------------------------------------


def take_baseline() -> dict:
    from django.db.models import Max

    from salesservice.core.models import Notification
    from salesservice.service.models import Escalation, ServiceRequest, SlaBreach

    return {
        "request": ServiceRequest.objects.aggregate(top=Max("pk"))["top"] or 0,
        "escalation": Escalation.objects.aggregate(top=Max("pk"))["top"] or 0,
        "breach": SlaBreach.objects.aggregate(top=Max("pk"))["top"] or 0,
        "notification": Notification.objects.aggregate(top=Max("pk"))["top"] or 0,
    }


def run_requests(baseline):
    from salesservice.service.models import ServiceRequest

    return ServiceRequest.objects.filter(pk__gt=baseline["request"], created_by__username=USER)


def overdue(baseline, at) -> int:
    """The run's requests still owing a sweep as of `at` (a breach or an escalation not yet recorded)."""
    from django.db.models import Q

    from salesservice.service.choices import RUNNING_STATUSES

    return (
        run_requests(baseline)
        .filter(status__in=RUNNING_STATUSES)
        .filter(
            Q(escalation_exhausted_at__isnull=True, escalation_due_at__lte=at)
            | Q(first_contacted_at__isnull=True, first_contact_breached_at__isnull=True, first_contact_due_at__lte=at)
        )
        .count()
    )


class Report:
    def __init__(self):
        self.checks: list[tuple[str, bool, str]] = []
        self.sections: list[tuple[str, str]] = []
        self.data: dict = {"checks": {}}

    def check(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append((name, ok, detail))
        self.data["checks"][name] = {"ok": ok, "detail": detail}

    def section(self, title: str, text: str) -> None:
        self.sections.append((title, text))

    @property
    def ok(self) -> bool:
        return all(ok for _name, ok, _detail in self.checks)

    def render(self, args, elapsed) -> str:
        lines = [
            f"# Scale-out on loopback — {time.strftime('%Y-%m-%d %H:%M')}",
            "",
            f"2 web nodes (gunicorn -w 2) behind HAProxy, 2 Celery workers (-c 2), beats A/B under the beat lock, "
            f"Redis broker, PostgreSQL `{args.db}`; {args.clients} clients for {elapsed:.0f} s.",
            "",
            "## Checks",
            "",
            "| check | result | detail |",
            "|---|---|---|",
        ]
        for name, ok, detail in self.checks:
            lines.append(f"| {name} | {'PASS' if ok else '**FAIL**'} | {detail} |")
        for title, text in self.sections:
            lines += ["", f"## {title}", "", text]
        lines += ["", f"**{'ALL CHECKS PASSED' if self.ok else 'SOME CHECKS FAILED'}**", ""]
        return "\n".join(lines)


def check_commits(report: Report, load: Load) -> None:
    from salesservice.service.models import ServiceRequest

    stored = dict(ServiceRequest.objects.filter(pk__in=list(load.created)).values_list("pk", "number"))
    missing = [pk for pk in load.created if pk not in stored]
    wrong = [(pk, number, stored[pk]) for pk, number in load.created.items() if pk in stored and stored[pk] != number]
    report.check(
        "every 201 committed with its number",
        not missing and not wrong and not load.conflicting_201,
        f"{len(load.created)} created ids answered 201 ({load.replayed} of the 201s idempotent replays after a retry); "
        f"missing {len(missing)}, other number {len(wrong)}, one id with two numbers {len(load.conflicting_201)}"
        + (f" e.g. {(missing + wrong)[:5]}" if missing or wrong else ""),
    )
    report.data["unknown_creates"] = load.unknown_creates


def check_numbers(report: Report, baseline, load: Load) -> None:
    from django.apps import apps
    from django.db import connection, models

    from salesservice.core.models import NumberCounter

    duplicates = {}
    tables = 0
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "number"), None)
        if not isinstance(field, models.CharField):
            continue
        tables += 1
        table, column = model._meta.db_table, field.column
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "{column}", count(*) FROM "{table}" WHERE "{column}" <> %s GROUP BY 1 HAVING count(*) > 1 LIMIT 5',  # noqa: S608
                [""],
            )
            rows = cursor.fetchall()
        if rows:
            duplicates[model._meta.label] = rows
    report.check(
        "no duplicate document numbers",
        not duplicates,
        f"GROUP BY number HAVING count > 1 over {tables} numbered tables: {duplicates or 'none'}",
    )
    # the run's service-request series: the numbers of each period touched are exactly 1..counter
    gaps = {}
    periods = {number.rsplit("-", 2)[1] for number in load.created.values()}
    from salesservice.service.models import ServiceRequest

    for period in sorted(periods):
        prefix = f"SR-{period}-"
        seqs = sorted(
            int(n.rsplit("-", 1)[1])
            for n in ServiceRequest.objects.filter(number__startswith=prefix).values_list("number", flat=True)
        )
        counter = (
            NumberCounter.objects.filter(series__doc_type="service_request", period_key=period)
            .values_list("last_value", flat=True)
            .first()
        )
        if seqs != list(range(1, (counter or 0) + 1)):
            missing = sorted(set(range(1, (counter or 0) + 1)) - set(seqs))
            gaps[period] = {"counter": counter, "rows": len(seqs), "missing": missing[:10]}
    report.check(
        "service-request numbers gapless",
        not gaps,
        f"series SR periods {sorted(periods)}: numbers = 1..counter" + (f"; gaps {gaps}" if gaps else ""),
    )


def check_escalations(report: Report, baseline, cut) -> None:
    from django.db.models import Count

    from salesservice.service.choices import MAX_ESCALATION_LEVEL, SlaClock
    from salesservice.service.models import Escalation, SlaBreach

    requests = {r.pk: r for r in run_requests(baseline)}
    escalations = defaultdict(list)
    escalated_at = {}
    for pk, to_level, at in Escalation.objects.filter(request_id__in=requests).values_list(
        "request_id", "to_level", "at"
    ):
        escalations[pk].append(to_level)
        escalated_at[(pk, to_level)] = at
    breaches = defaultdict(list)
    for pk, clock, level in SlaBreach.objects.filter(request_id__in=requests).values_list(
        "request_id", "clock", "level"
    ):
        breaches[pk].append((clock, level))
    dup_escalations = (
        Escalation.objects.values("request_id", "to_level").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    dup_breaches = (
        SlaBreach.objects.values("request_id", "clock", "level").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    bad = []
    same_sweep_missing = 0
    for pk, request in requests.items():
        levels = sorted(escalations[pk])
        expected_levels = list(range(1, request.escalation_level + 1))
        escalation_breaches = sorted(level for clock, level in breaches[pk] if clock == SlaClock.ESCALATION)
        expected_breaches = list(range(0, request.escalation_level))
        if request.escalation_exhausted_at:
            expected_breaches.append(MAX_ESCALATION_LEVEL)
        first = [b for b in breaches[pk] if b[0] == SlaClock.FIRST_CONTACT]
        if (
            levels != expected_levels
            or escalation_breaches != expected_breaches
            or len(first) != (1 if request.first_contact_breached_at else 0)
        ):
            bad.append((pk, levels, request.escalation_level, escalation_breaches, len(first)))
            for level in set(expected_breaches) - set(escalation_breaches):
                # level L's deadline passed in the same sweep that escalated to L (both escalations one moment)
                reached = escalated_at.get((pk, level))
                passed = (
                    escalated_at.get((pk, level + 1))
                    if level < MAX_ESCALATION_LEVEL
                    else request.escalation_exhausted_at
                )
                if reached is not None and reached == passed:
                    same_sweep_missing += 1
    total_escalations = sum(len(v) for v in escalations.values())
    report.check(
        "escalated exactly once per level",
        not bad and dup_escalations == 0 and dup_breaches == 0,
        f"{total_escalations} escalations, {sum(len(v) for v in breaches.values())} breaches on {len(requests)} requests "
        f"of the run; (request, level) pairs twice: escalations {dup_escalations}, breaches {dup_breaches}; "
        f"requests whose rows disagree with their level {len(bad)}"
        + (
            f" (request, escalated to, level, escalation breaches at, first-contact breaches) e.g. {bad[:3]}; "
            f"escalation breaches missing at a level whose deadline passed in the sweep that escalated to it: "
            f"{same_sweep_missing}"
            if bad
            else ""
        ),
    )
    left = overdue(baseline, cut)
    by_level = Counter(r.escalation_level for r in requests.values())
    exhausted = sum(1 for r in requests.values() if r.escalation_exhausted_at)
    report.check(
        "every due request escalated",
        left == 0,
        f"due at the end of the load and not swept: {left}; levels reached {dict(sorted(by_level.items()))}, "
        f"ladder exhausted (HQ deadline passed) {exhausted}",
    )
    lags = sorted(
        (at - due).total_seconds()
        for at, due in Escalation.objects.filter(request_id__in=requests).values_list("at", "due_at")
    )
    if lags:
        report.data["escalation_lag_s"] = {"p50": lags[len(lags) // 2], "max": lags[-1], "n": len(lags)}


def check_notifications(report: Report, baseline) -> None:
    from salesservice.core.directory import level_managers
    from salesservice.core.models import Notification
    from salesservice.service.choices import MAX_ESCALATION_LEVEL
    from salesservice.service.models import Escalation
    from salesservice.service.services import request_url, store_supervisors

    def ids(users) -> set[int]:
        return {u.pk for u in users if u is not None and u.is_active}

    requests = {r.pk: r for r in run_requests(baseline).select_related("store", "store__parent")}
    urls = {request_url(r): pk for pk, r in requests.items()}
    actual = Counter()
    seen = Counter()
    kinds = ("service.escalated", "service.first_contact_breach", "service.escalation_exhausted")
    for recipient, kind, url, title in Notification.objects.filter(
        pk__gt=baseline["notification"], kind__in=kinds, url__in=list(urls)
    ).values_list("recipient_id", "kind", "url", "title"):
        actual[(urls[url], kind)] += 1
        seen[(recipient, kind, url, title)] += 1
    expected = Counter()
    managers: dict = {}

    def level_ids(request, level):
        key = (request.store_id, level)
        if key not in managers:
            managers[key] = ids(
                store_supervisors(request.store_id) if level <= 0 else level_managers(request.store, level)
            )
        return managers[key]

    for pk, to_level in Escalation.objects.filter(request_id__in=requests).values_list("request_id", "to_level"):
        expected[(pk, "service.escalated")] += len(level_ids(requests[pk], to_level))
    for pk, request in requests.items():
        if request.first_contact_breached_at:
            expected[(pk, "service.first_contact_breach")] += len(level_ids(request, 0))
        if request.escalation_exhausted_at:
            expected[(pk, "service.escalation_exhausted")] += len(level_ids(request, MAX_ESCALATION_LEVEL))
    missing = {key: (expected[key], actual[key]) for key in expected if actual[key] < expected[key]}
    extra = {key: (expected[key], actual[key]) for key in actual if actual[key] > expected[key]}
    twice = sum(1 for n in seen.values() if n > 1)
    per_kind = {
        kind: (
            sum(v for (pk, k), v in expected.items() if k == kind),
            sum(v for (pk, k), v in actual.items() if k == kind),
        )
        for kind in kinds
    }
    report.check(
        "no lost or doubled notification",
        not missing and not extra and twice == 0,
        "expected/written per kind "
        + ", ".join(f"{k} {e}/{a}" for k, (e, a) in per_kind.items())
        + f"; requests short {len(missing)}, over {len(extra)}, same notice twice to one user {twice}"
        + (f" e.g. {list(missing.items())[:3]} {list(extra.items())[:3]}" if missing or extra else ""),
    )


BEAT_LINE = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): \w+/MainProcess\] (.*)$")


def check_beat(report: Report, beat_logs: dict[str, str], before: int, after: int, worker_logs: str) -> None:
    sends = []  # (time, beat, task)
    acquired, standby = [], []
    for beat, text in beat_logs.items():
        for line in text.splitlines():
            match = BEAT_LINE.match(line)
            if not match:
                continue
            at = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            message = match[2]
            if message.startswith("Scheduler: Sending due task "):
                sends.append((at, beat, message.rsplit("(", 1)[-1].rstrip(")")))
            elif message.startswith("beat lock: acquired"):
                acquired.append((at, beat))
            elif message.startswith("beat lock: held by another beat"):
                standby.append((at, beat))
    sends.sort()
    beats = [(at, beat) for at, beat, task in sends if task == "core.heartbeat"]
    switches = sum(1 for (_a, x), (_b, y) in zip(beats, beats[1:], strict=False) if x != y)
    gaps = [b[0] - a[0] for a, b in zip(beats, beats[1:], strict=False)]
    span = beats[-1][0] - beats[0][0] if beats else 0
    expected = span / HEARTBEAT_SECONDS + 1
    # a tick sent by two beats would show as two sends about 0 s apart, or as more sends than the cadence allows
    doubled = sum(1 for gap in gaps if gap < HEARTBEAT_SECONDS / 2)
    per_beat = Counter(beat for _at, beat in beats)
    ok = (
        switches == len(acquired) - 1
        and doubled == 0
        and len(beats) <= expected + switches
        and after - before <= len(beats)
    )
    report.check(
        "one beat sends at a time (beat lock)",
        ok,
        f"heartbeat sends {dict(per_beat)}; lock acquisitions in order {[b for _at, b in sorted(acquired)]}, "
        f"standby announcements {[b for _at, b in sorted(standby)]}; sender changes {switches} "
        f"(= acquisitions − 1); {len(beats)} sends over {span:.0f} s (cadence allows {expected:.1f} + handovers); "
        f"gaps min {min(gaps, default=0):.1f} s / max {max(gaps, default=0):.1f} s; sends closer than "
        f"{HEARTBEAT_SECONDS / 2:.1f} s: {doubled}",
    )
    executed = after - before
    report.check(
        "beat ticks not doubled in the database",
        executed <= len(beats),
        f"core_heartbeat count +{executed} for {len(beats)} heartbeat sends "
        f"({len(beats) - executed} sent but not run: queued on the worker killed with -9, "
        "redelivered by Redis only after its visibility timeout)",
    )
    sweeps = Counter(beat for _at, beat, task in sends if task == "service.sla_sweep")
    report.data["beat"] = {
        "heartbeat_sends": dict(per_beat),
        "sla_sweep_sends": dict(sweeps),
        "switches": switches,
        "acquired": acquired,
        "standby": standby,
        "heartbeat_db_delta": executed,
    }
    ran = len(re.findall(r"Task service\.sla_sweep\[[^\]]+\] succeeded", worker_logs))
    report.section(
        "Beat and sweeps",
        f"- service.sla_sweep sent by beats: {dict(sweeps)}; plus 2 × 2 injected double runs and 1 at the end; "
        f"succeeded on the workers: {ran}\n"
        f"- heartbeat sends per beat incarnation: {dict(per_beat)}; core_heartbeat +{executed}",
    )


def summarize_load(report, load: Load, elapsed, events, windows, stats, peak) -> None:
    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] if values else 0

    total = sum(len(v) for v in load.latency.values())
    lines = [
        f"- throughput: {total / elapsed:.1f} requests/s through HAProxy ({total} in {elapsed:.0f} s); "
        f"creates 201: {load.outcomes[('create', '201')]} ({load.outcomes[('create', '201')] / elapsed:.1f}/s)",
        "",
        "| operation | count | p50 ms | p95 ms | max ms | outcomes |",
        "|---|---|---|---|---|---|",
    ]
    for op in ("create", "list", "action"):
        values = load.latency[op]
        outcomes = ", ".join(f"{k}: {v}" for (o, k), v in sorted(load.outcomes.items()) if o == op)
        lines.append(
            f"| {op} | {len(values)} | {pct(values, 0.5):.0f} | {pct(values, 0.95):.0f} | {max(values, default=0):.0f} | {outcomes} |"
        )
    lines.append("")
    lines.append(f"- create retries (same Idempotency-Key): {load.retried_creates}; idempotent replays: {load.replayed}; "
                 f"creates whose outcome stayed unknown after 5 tries: {len(load.unknown_creates)}")  # fmt: skip
    lines.append("")
    lines.append("Timeline (s from the start of the load):")
    lines += [f"- {at:6.1f} {text}" for at, text in events]
    lines.append("")
    lines.append("Errors by window:")
    web = windows.get("web1", [])
    in_web = [e for e in load.errors if len(web) == 2 and web[0] <= e[0] <= web[1] + 5]
    outside = [e for e in load.errors if e not in in_web]
    lines.append(
        f"- web1 down ({web[0]:.1f}–{web[1]:.1f} s, +5 s): {len(in_web)} errors "
        f"{dict(Counter((op, kind) for _t, op, kind in in_web))}"
        if len(web) == 2
        else "- web1 window not recorded"
    )
    lines.append(f"- outside it: {len(outside)} errors {dict(Counter((op, kind) for _t, op, kind in outside))}")
    lines.append(
        "- worker1 down: HTTP is not affected (jobs only); tasks it had reserved are lost until Redis redelivers them"
    )
    lines.append("")
    lines.append("HAProxy (backend web): " + "; ".join(
        f"{name}: {row.get('stot')} sessions, {row.get('eresp')} response errors, {row.get('econ')} connect errors, "
        f"{row.get('wretr')} retries, {row.get('wredis')} redispatches, {row.get('chkdown')} times down, "
        f"status {row.get('status')}"
        for name, row in stats.items()
    ))  # fmt: skip
    report.section("Load", "\n".join(lines))
    report.data["load"] = {
        "elapsed_s": elapsed,
        "requests": total,
        "rps": total / elapsed,
        "outcomes": {f"{o} {k}": v for (o, k), v in load.outcomes.items()},
        "errors_in_web1_window": len(in_web),
        "errors_outside": len(outside),
        "events": events,
    }
    report.data["rss_mb"] = peak
    over = {kind: round(mb) for kind, mb in peak.items() if mb >= RSS_BUDGET_MB}
    report.check(
        f"worker RSS < {RSS_BUDGET_MB} MB",
        not over and bool(peak),
        "peak " + ", ".join(f"{kind} {mb:.0f} MB" for kind, mb in sorted(peak.items())),
    )
    lag = report.data.get("escalation_lag_s")
    if lag:
        report.section(
            "Escalation lag",
            f"- moment escalated − deadline missed, over {lag['n']} escalations: p50 {lag['p50']:.0f} s, max "
            f"{lag['max']:.0f} s (the sweep runs every {SWEEP_SECONDS} s; a deadline is met by the next run)",
        )


if __name__ == "__main__":
    sys.exit(main())
