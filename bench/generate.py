"""Fill a dedicated bench database with the core foundation data (DESIGN §8).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/generate.py --scale medium

Migrate the database first. Each run starts afresh: it empties the bulk tables (notifications,
audit log, timeline events, access log), removes the generated org units and users (`bench-*`,
`bench_*`), then loads the demo org and writes the new data set. The seed makes it repeatable.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402


@dataclass(frozen=True)
class Scale:
    regions: int
    stores_per_region: int
    users: int
    notifications: int
    audit_rows: int
    events: int
    access_rows: int


# `large` has the 10 M audit rows of the DESIGN §8 data set.
SCALES = {
    "small": Scale(3, 5, 200, 20_000, 100_000, 20_000, 5_000),
    "medium": Scale(6, 10, 1_000, 200_000, 1_000_000, 200_000, 50_000),
    "large": Scale(10, 20, 2_000, 1_000_000, 10_000_000, 1_000_000, 500_000),
}

# Scoped readers of the audit log (service managers hold `auditlog.view_logentry`) that
# query_bench.py uses as its region and store users.
REGION_READER = "bench_region_reader"
STORE_READER = "bench_store_reader"
FIRST_REGION, FIRST_STORE = "bench-r01", "bench-r01-s01"
# The demo admin gets this share of all notifications: a busy inbox.
BUSY_RECIPIENT, BUSY_SHARE = "admin", 0.05

STORE_ROLES = ["cs_rep", "cs_rep", "engineer", "engineer", "sales_rep", "cs_supervisor", "store_manager"]
DEPARTMENT_ROLES = {
    "dept-sales": "sales_rep",
    "dept-service": "service_manager",
    "dept-quality": "qa_inspector",
    "dept-warehouse": "warehouse_clerk",
    "dept-purchasing": "purchaser",
    "dept-hr": "hr_trainer",
}
DAY = 86_400


def reset() -> None:
    """Remove what an earlier run generated (the bulk tables hold nothing else in a bench database)."""
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry

    from bench.fastinsert import truncate
    from salesservice.core.models import Event, Notification, OrgUnit, PersonalDataAccess, User

    truncate(Notification, LogEntry, Event, PersonalDataAccess)
    with disable_auditlog():
        User.objects.filter(username__startswith="bench_").delete()  # memberships and tokens cascade
        OrgUnit.objects.filter(code__startswith="bench-", kind="store").delete()  # children before parents
        OrgUnit.objects.filter(code__startswith="bench-").delete()


def create_org(scale: Scale) -> list[int]:
    """Regions under HQ and stores under each region, with their materialised paths; returns store ids."""
    from salesservice.core.choices import OrgUnitKind
    from salesservice.core.models import OrgUnit

    hq = OrgUnit.objects.get(code="hq")
    # bulk_create returns the new primary keys on PostgreSQL and SQLite, so paths can follow at once.
    regions = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"bench-r{r:02d}", name=f"基准区部{r:02d}", kind=OrgUnitKind.REGION, parent=hq)
        for r in range(1, scale.regions + 1)
    )
    for region in regions:
        region.path = f"{hq.path}{region.pk}/"
    OrgUnit.objects.bulk_update(regions, ["path"])
    stores = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"{region.code}-s{s:02d}",
            name=f"基准门店{region.code[-2:]}-{s:02d}",
            kind=OrgUnitKind.STORE,
            parent=region,
            address=f"基准路{s}号",
            phone=f"021-6{region.pk:03d}{s:04d}",
        )
        for region in regions
        for s in range(1, scale.stores_per_region + 1)
    )
    for store in stores:
        store.path = f"{store.parent.path}{store.pk}/"
    OrgUnit.objects.bulk_update(stores, ["path"])
    return [store.pk for store in stores]


def create_users(scale: Scale, rng: random.Random, store_ids: list[int]) -> list[int]:
    """Staff spread over stores (80 %), regions (5 %) and HQ departments; returns all user ids."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from salesservice.core.demo import DEMO_PASSWORD
    from salesservice.core.models import Membership, OrgUnit, User

    groups = dict(Group.objects.values_list("name", "pk"))
    units = dict(OrgUnit.objects.values_list("code", "pk"))
    region_ids = [pk for code, pk in units.items() if code.startswith("bench-r") and "-s" not in code]
    password = make_password(DEMO_PASSWORD)  # hashed once: every bench user logs in with the demo password
    region_reader, store_reader = User.objects.bulk_create(
        User(username=name, display_name=label, password=password)
        for name, label in [(REGION_READER, "区部售后经理"), (STORE_READER, "门店售后经理")]
    )
    users = User.objects.bulk_create(
        User(
            username=f"bench_u{i:05d}",
            display_name=f"员工{i:05d}",
            email=f"bench_u{i:05d}@bench.example.com",
            phone=f"139{i:08d}",
            employee_no=f"E{i:06d}",
            password=password,
        )
        for i in range(1, scale.users + 1)
    )
    memberships = [
        Membership(user=region_reader, org_unit_id=units[FIRST_REGION], role_id=groups["service_manager"]),
        Membership(user=store_reader, org_unit_id=units[FIRST_STORE], role_id=groups["service_manager"]),
    ]
    for user in users:
        user_id, draw = user.pk, rng.random()
        if draw < 0.80:
            role = rng.choice(STORE_ROLES)
            memberships.append(Membership(user_id=user_id, org_unit_id=rng.choice(store_ids), role_id=groups[role]))
            if rng.random() < 0.1:  # some engineers cover a second store
                store = rng.choice(store_ids)
                memberships.append(Membership(user_id=user_id, org_unit_id=store, role_id=groups["engineer"]))
        elif draw < 0.85:
            region = rng.choice(region_ids)
            memberships.append(Membership(user_id=user_id, org_unit_id=region, role_id=groups["region_manager"]))
        else:
            dept, role = rng.choice(list(DEPARTMENT_ROLES.items()))
            memberships.append(Membership(user_id=user_id, org_unit_id=units[dept], role_id=groups[role]))
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)
    return list(User.objects.order_by("pk").values_list("pk", flat=True))


def spread(n: int, days: int, now):
    """`n` timestamps from `days` ago up to now, oldest first (ids grow with time, as in production)."""
    step = days * DAY / max(n, 1)
    for i in range(n):
        yield now - timedelta(seconds=(n - i) * step)


def insert_notifications(n: int, rng: random.Random, user_ids: list[int], now) -> int:
    from bench.fastinsert import insert_rows
    from salesservice.core.models import Notification, User

    busy = User.objects.get(username=BUSY_RECIPIENT).pk
    kinds = [
        ("service.assigned", "info", "服务单 SR-{n:06d} 已分派给您", "/service/requests/{n}/"),
        ("service.sla_warning", "warning", "服务单 SR-{n:06d} 即将超时", "/service/requests/{n}/"),
        ("service.sla_breach", "urgent", "服务单 SR-{n:06d} 已超时", "/service/requests/{n}/"),
        ("quality.batch_hold", "warning", "批次 B{n:06d} 已冻结", "/quality/batches/{n}/"),
        ("policy.changed", "info", "政策参数已更新", "/policies/"),
    ]

    def rows():
        for i, created in enumerate(spread(n, 365, now)):
            recipient = busy if rng.random() < BUSY_SHARE else rng.choice(user_ids)
            kind, level, title, url = rng.choice(kinds)
            number = rng.randrange(1, 1_000_000)
            # The newest 2 % are unread, and 1 in 50 of the older ones (forgotten).
            unread = i >= n * 0.98 or rng.random() < 0.02
            read_at = None if unread else created + timedelta(minutes=rng.randrange(1, 600))
            yield (
                recipient,
                title.format(n=number),
                "请及时处理。",
                url.format(n=number),
                level,
                kind,
                created,
                read_at,
            )

    columns = ["recipient_id", "title", "body", "url", "level", "kind", "created_at", "read_at"]
    return insert_rows(Notification, columns, rows())


# Which models the audit entries are about, by share. `statutoryday` entries are all old
# (seeded once at install): the rare-and-old case that tempts a planner to walk the id index backwards.
AUDIT_MODELS = ["user"] * 35 + ["membership"] * 25 + ["orgunit"] * 15 + ["policyvalue"] * 10
AUDIT_MODELS += ["policyparameter"] * 10 + ["workingwindow"] * 3 + ["numberseries", "businesscalendar"]
OLD_ONLY_MODEL, OLD_ONLY_SHARE = "statutoryday", 0.005


def insert_audit_log(n: int, rng: random.Random, user_ids: list[int], now) -> int:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from bench.fastinsert import dumps, insert_rows
    from salesservice.core.models import OrgUnit, User

    content_types = {ct.model: ct.pk for ct in ContentType.objects.filter(app_label="core")}
    emails = dict(User.objects.values_list("pk", "email"))
    unit_ids = list(OrgUnit.objects.values_list("pk", flat=True))
    vias = [dumps({"via": v}) for v in ("web", "web", "web", "api:token#7", "job", "command")]
    changes = [
        dumps({"name": ["旧名称", "新名称"]}),
        dumps({"is_active": ["True", "False"]}),
        dumps({"phone": ["139****0001", "139****0002"]}),
        dumps({"value": ["2", "4"], "reason": ["", "政策调整"]}),
        dumps({"last_login": ["None", "2026-01-01 09:00:00"]}),
    ]
    actions = [0] * 30 + [1] * 65 + [2] * 5  # create / update / delete
    old_only = int(n * OLD_ONLY_SHARE)

    def rows():
        cid = ""
        for i, timestamp in enumerate(spread(n, 730, now)):
            model = OLD_ONLY_MODEL if i < old_only and i % 2 else rng.choice(AUDIT_MODELS)
            if model == "user":
                object_id = rng.choice(user_ids)
            elif model == "orgunit":
                object_id = rng.choice(unit_ids)
            else:
                object_id = rng.randrange(1, 5_000)
            actor = None if rng.random() < 0.1 else rng.choice(user_ids)
            if i % 3 == 0:  # a request changes about three rows
                cid = f"{rng.getrandbits(64):016x}"
            yield (
                content_types[model],
                str(object_id),
                object_id,
                f"{model} #{object_id}",
                rng.choice(actions),
                "",
                rng.choice(changes),
                actor,
                cid,
                f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                timestamp,
                rng.choice(vias),
                emails.get(actor),
            )

    columns = [
        "content_type_id",
        "object_pk",
        "object_id",
        "object_repr",
        "action",
        "changes_text",
        "changes",
        "actor_id",
        "cid",
        "remote_addr",
        "timestamp",
        "additional_data",
        "actor_email",
    ]
    return insert_rows(LogEntry, columns, rows())


def insert_events(n: int, rng: random.Random, user_ids: list[int], now) -> int:
    from django.contrib.contenttypes.models import ContentType

    from bench.fastinsert import dumps, insert_rows
    from salesservice.core.choices import EventType
    from salesservice.core.models import Event

    user_type = ContentType.objects.get(app_label="core", model="user").pk
    types = [value for value, _label in EventType.choices]
    old_new = [(None, dumps({"name": "新名称"})), (dumps({"is_active": True}), dumps({"is_active": False}))]

    def rows():
        for i, created in enumerate(spread(n, 730, now)):
            old, new = old_new[i % 2]
            target = rng.choice(user_ids)
            request_id = f"{rng.getrandbits(64):016x}"
            yield (
                rng.choice(types),
                rng.choice(user_ids),
                user_type,
                str(target),
                old,
                new,
                "基准数据",
                request_id,
                "web",
                created,
            )

    columns = ["event_type", "actor_id", "target_type_id", "target_id", "old", "new", "message", "request_id"]
    columns += ["via", "created_at"]
    return insert_rows(Event, columns, rows())


def insert_access_log(n: int, rng: random.Random, user_ids: list[int], now) -> int:
    from django.contrib.contenttypes.models import ContentType

    from bench.fastinsert import insert_rows
    from salesservice.core.models import PersonalDataAccess

    user_type = ContentType.objects.get(app_label="core", model="user").pk
    readers = user_ids[: max(len(user_ids) // 10, 1)]  # the few who may reveal personal data
    purposes = ["回访客户", "上门服务联系", "投诉处理", ""]

    def rows():
        for created in spread(n, 365, now):
            yield (
                rng.choice(readers),
                user_type,
                str(rng.choice(user_ids)),
                rng.choice(("phone", "phone", "email")),
                rng.choice(purposes),
                "10.0.0.1",
                "web",
                created,
            )

    columns = ["user_id", "target_type_id", "target_id", "field", "purpose", "remote_addr", "via", "created_at"]
    return insert_rows(PersonalDataAccess, columns, rows())


def generated_models() -> list:
    from auditlog.models import LogEntry

    from salesservice.core.models import Event, Membership, Notification, OrgUnit, PersonalDataAccess, User

    return [OrgUnit, User, Membership, Notification, LogEntry, Event, PersonalDataAccess]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    common.setup(args.database_url)
    common.refuse_shared_database()
    from auditlog.context import disable_auditlog
    from django.utils import timezone

    from bench.fastinsert import analyze
    from salesservice.core.demo import load_demo_org

    scale = SCALES[args.scale]
    rng = random.Random(args.seed)
    now = timezone.now()
    print(f"bench data: scale={args.scale} {scale} database={common.database_label()}", flush=True)
    timings: list[dict] = []

    def step(label: str, func):
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
        rows = result if isinstance(result, int) else len(result or ())
        count = f"{rows:>11,} rows" if rows else " " * 16
        rate = f"{rows / seconds:>10,.0f} rows/s" if rows and seconds else ""
        print(f"  {label:<28} {count} {seconds:8.2f} s {rate}", flush=True)
        timings.append({"step": label, "rows": rows, "seconds": round(seconds, 2)})
        return result

    started = time.perf_counter()
    step("reset", reset)
    with disable_auditlog():  # generated rows must not log themselves
        step("demo org (units, demo users)", load_demo_org)
        store_ids = step("bench stores (+ regions)", lambda: create_org(scale))
        user_ids = step("users + memberships", lambda: create_users(scale, rng, store_ids))
    step("notifications", lambda: insert_notifications(scale.notifications, rng, user_ids, now))
    step("audit log (LogEntry)", lambda: insert_audit_log(scale.audit_rows, rng, user_ids, now))
    step("timeline events (Event)", lambda: insert_events(scale.events, rng, user_ids, now))
    step("access log", lambda: insert_access_log(scale.access_rows, rng, user_ids, now))
    step("vacuum analyze", lambda: analyze(*generated_models()))
    total = time.perf_counter() - started
    counts = {model._meta.db_table: model.objects.count() for model in generated_models()}
    print(f"done in {total:.1f} s; rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()), flush=True)

    steps_table = common.markdown_table(
        ["step", "rows", "seconds"], [[t["step"], t["rows"], t["seconds"]] for t in timings]
    )
    counts_table = common.markdown_table(["table", "rows"], [[t, n] for t, n in counts.items()])
    markdown = f"## Generate {args.scale} ({common.database_label()}), {total:.1f} s\n\n{steps_table}\n\n{counts_table}"
    data = {
        "scale": args.scale,
        "sizes": asdict(scale),
        "seed": args.seed,
        "database": common.database_label(),
        "timings": timings,
        "total_seconds": round(total, 1),
        "counts": counts,
    }
    common.write_results("generate", args.scale, data, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
