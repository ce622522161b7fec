"""What the bench scripts share: Django start-up for a bench database, percentiles, result files."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"

# Databases other people on this machine use; the generator refuses to write into them.
PROTECTED_DB_NAMES = {"salesservice", "test_salesservice", "lead_ss"}

LIST_BUDGET_MS = 150  # DESIGN §8: any list page or list API, p95
RSS_BUDGET_MB = 200  # DESIGN §8: web worker RSS


def bench_env() -> dict[str, str]:
    """Settings for a bench process (also handed to gunicorn): production-like, but plain HTTP on loopback.

    DEBUG is off (no query log, JSON renderer only), so the figures are what production runs.
    """
    return {
        "DJANGO_SETTINGS_MODULE": "salesservice.settings",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }


def setup(database_url: str | None) -> None:
    """Point Django at the bench database, call `django.setup()` and check the schema is current."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL (or --database-url) to the bench database, e.g. postgres://…/bench_ss")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    for key, value in bench_env().items():
        os.environ.setdefault(key, value)
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise SystemExit("the bench database has unapplied migrations: run `manage.py migrate` on it first")


def database_label() -> str:
    """`postgresql:bench_ss` or `sqlite:/tmp/bench.sqlite3`."""
    from django.db import connection

    return f"{connection.vendor}:{connection.settings_dict['NAME']}"


def refuse_shared_database() -> None:
    """Stop before writing bench data into a database someone else uses (or the dev DB under var/)."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql" and name in PROTECTED_DB_NAMES:
        raise SystemExit(f"refusing to write bench data into database {name!r}; use a dedicated one (bench_ss)")
    if connection.vendor == "sqlite" and Path(name).resolve() == (ROOT / "var" / "salesservice.sqlite3").resolve():
        raise SystemExit("refusing to write bench data into the dev database under var/")


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100); 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def summary(samples_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(samples_ms),
        "p50_ms": round(percentile(samples_ms, 50), 2),
        "p95_ms": round(percentile(samples_ms, 95), 2),
        "p99_ms": round(percentile(samples_ms, 99), 2),
        "max_ms": round(max(samples_ms, default=0.0), 2),
    }


def timed_ms(func) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def markdown_table(headers: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def code_version() -> str:
    """The commit measured, `+dirty` when the working tree has changes."""
    git = ["git", "-C", str(ROOT), "describe", "--always", "--dirty", "--exclude", "*"]
    return subprocess.run(git, capture_output=True, text=True).stdout.strip() or "unknown"


def write_results(kind: str, label: str, data: dict, markdown: str) -> Path:
    """Write `bench/out/<kind>-<label>-<utc stamp>.json` and `.md`; returns the JSON path."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    data = {"measured_at": now.isoformat(timespec="seconds"), "code": code_version(), **data}
    markdown += f"\n\nMeasured {now:%Y-%m-%d %H:%M} UTC on commit {data['code']}."
    base = OUT_DIR / f"{kind}-{label}-{stamp}"
    base.with_suffix(".json").write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    base.with_suffix(".md").write_text(markdown + "\n")
    print(f"wrote {base.relative_to(ROOT)}.json and .md")
    return base.with_suffix(".json")
