"""In-process profile of one document create through the whole Django stack (issue 17 §2).

Posts `--reps` service-request creates as `--user` through the production WSGI application
(`salesservice.wsgi.application`: DEBUG off, the token API's middleware chain, token auth — what gunicorn calls), then prints p50/p95 per create (wall clock, and the CPU time this process
spent — the part that does not depend on the database's or the machine's load), the SQL statements of one create, and with
`--profile` the top functions by cumulative time; with PostgreSQL on this machine also the CPU its backend spent per create.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intake_bench DEBUG=false \\
        .venv/bin/python bench/create_profile.py --user xuhui_cs --reps 300 [--profile]

Needs a database with demo data (`manage.py load_demo --force`). Writes the creates (they stay).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PATH = "/api/v1/service-requests/"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", default="xuhui_cs")
    parser.add_argument("--reps", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="cProfile the creates, print the top 45")
    parser.add_argument("--dump", help="also write the profile's raw stats to this file (pstats)")
    parser.add_argument("--sort", default="cumulative", help="profile order: cumulative (default) or tottime")
    parser.add_argument("--sql", action="store_true", help="print the statements of one create")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesservice.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "create-profile-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from salesservice.core.models import User
    from salesservice.customers.models import Customer
    from salesservice.wsgi import application

    user = User.objects.get(username=args.user)
    customers = list(Customer.objects.visible_to(user).filter(is_active=True).values_list("pk", flat=True)[:200])
    token = Token.objects.get_or_create(user=user)[0].key
    rng = random.Random(7)

    def post():
        body = {
            "customer": rng.choice(customers),
            "channel": rng.choice(["hotline", "walk_in", "online"]),
            "category": rng.choice(["repair", "installation", "maintenance"]),
            "description": rng.choice(["血压计无法开机", "制氧机噪音大，流量不稳定", "轮椅刹车失灵"]),
        }
        status, content = _wsgi_post(application, PATH, json.dumps(body).encode(), token)
        if not status.startswith("201"):
            raise RuntimeError(f"create failed: {status} {content[:300]!r}")

    for _ in range(5):
        post()  # warm-up: the day's counter row, per-process caches
    captured = []

    def record(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        post()
    samples, cpu = [], []
    profiler = cProfile.Profile() if args.profile else None
    backend = _backend_cpu(connection)
    backend_start = backend()
    for _ in range(args.reps):
        start, start_cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        post()
        if profiler:
            profiler.disable()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    backend_ms = (backend() - backend_start) * 1000 / args.reps
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"{args.reps} creates as {args.user}: p50 {p50:.2f} ms, p95 {p95:.2f} ms (wall); "
        f"CPU in this process p50 {statistics.median(cpu):.2f} ms, mean {statistics.fmean(cpu):.2f} ms; "
        f"PostgreSQL backend CPU {backend_ms:.2f} ms per create; {len(captured)} SQL per create"
    )
    if args.sql:
        for sql in captured:
            print("  ", sql[:220])
    if profiler:
        if args.dump:
            profiler.dump_stats(args.dump)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(45)
        print(out.getvalue())
    return 0


def _wsgi_post(application, path: str, data: bytes, token: str) -> tuple[str, bytes]:
    """One POST through the WSGI application, as a WSGI server would make it: (status line, body)."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = []
    response = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        content = b"".join(response)
    finally:
        getattr(response, "close", lambda: None)()
    return status[0], content


def _backend_cpu(connection):
    """Seconds of CPU the database backend serving `connection` has used (PostgreSQL on this machine: its
    `/proc/<pid>/stat`); 0 elsewhere."""
    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks

    return read


if __name__ == "__main__":
    sys.exit(main())
