"""Fill a dedicated bench database with the core foundation and service-desk data (DESIGN §8).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss .venv/bin/python bench/generate.py --scale medium

Migrate the database first. Each run starts afresh: it empties the bulk tables (notifications,
audit log, timeline events, access log), the customers and service-desk tables (and what refers
to them), removes the generated org units and users (`bench-*`, `bench_*`), then loads the demo
org and writes the new data set. The seed makes it repeatable.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
    customers: int
    service_requests: int


# `large` is the DESIGN §8 data set: 10 M audit rows, 1 M service requests, 100 k customers.
SCALES = {
    "small": Scale(3, 5, 200, 20_000, 100_000, 20_000, 5_000, 2_000, 10_000),
    "medium": Scale(6, 10, 1_000, 200_000, 1_000_000, 200_000, 50_000, 20_000, 200_000),
    "large": Scale(10, 20, 2_000, 1_000_000, 10_000_000, 1_000_000, 500_000, 100_000, 1_000_000),
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
# Generated customers and service requests are numbered apart from the numbering series (CU…, SR…).
CUSTOMER_PREFIX, REQUEST_PREFIX = "CUB-", "SRB-"


def reset() -> None:
    """Remove what an earlier run generated (the bulk tables hold nothing else in a bench database)."""
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry

    from bench.fastinsert import truncate
    from salesservice.core.models import Event, Notification, OrgUnit, PersonalDataAccess, User

    truncate(Notification, LogEntry, Event, PersonalDataAccess)
    reset_service_desk()
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
    from salesservice.core import config_cache

    config_cache.bump()  # org units and memberships written in bulk: running processes re-read their caches
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


# --- service desk: customers and service requests (DESIGN §8: 1 M requests, 100 k customers) ---


def reset_service_desk() -> None:
    """Empty the customers and service-desk tables (and what refers to them): they hold only bench data."""
    from bench.fastinsert import truncate_cascade
    from salesservice.customers.models import Customer
    from salesservice.service.models import ServiceRequest

    truncate_cascade(ServiceRequest, Customer)


def full_rows(model, rows):
    """(columns, rows as tuples) for every concrete column of `model` but the id: `rows` are dicts of
    the values that differ from the field defaults (COPY needs every NOT NULL column)."""
    from django.db import models

    from bench.fastinsert import dumps

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = []
    for f in fields:
        value = f.get_default() if f.has_default() else None
        if value is None and not f.null and isinstance(f, models.CharField | models.TextField):
            value = ""
        if isinstance(f, models.JSONField):
            value = dumps(value)
        defaults.append((f.attname, value))
    columns = [name for name, _ in defaults]
    return columns, (tuple(row.get(name, default) for name, default in defaults) for row in rows)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文红玉兰春梅海燕云峰志宏林金晓东"
COMPANY_CITIES = ["上海", "广州", "北京", "杭州", "南京", "苏州", "深圳", "成都", "武汉", "天津"]
COMPANY_WORDS = ["康健", "仁和", "瑞金", "华山", "长安", "恒安", "博爱", "永康", "同济", "安泰", "协和", "顺天"]
COMPANY_KINDS = [
    ("enterprise", "医疗器械有限公司"),
    ("enterprise", "贸易有限公司"),
    ("hospital", "人民医院"),
    ("hospital", "社区卫生服务中心"),
    ("dealer", "医疗器械经销部"),
]
STREETS = ["中山路", "人民路", "解放路", "建国路", "长寿路", "天河路", "淮海中路", "南京西路", "漕溪北路"]


def insert_customers(n: int, rng: random.Random, store_ids: list[int], now) -> int:
    """Customers spread evenly over the bench stores: 85 % people, the rest companies, hospitals, dealers.

    Pinyin keys are built per name part from the app's own `pinyin_keys`, cached (few distinct parts).
    """
    from bench.fastinsert import insert_rows
    from salesservice.customers.models import Customer
    from salesservice.customers.pinyin import pinyin_keys

    keys: dict[str, tuple[str, str]] = {}

    def pinyin(*parts: str) -> tuple[str, str]:
        for part in parts:
            if part not in keys:
                keys[part] = pinyin_keys(part)
        return "".join(keys[p][0] for p in parts)[:400], "".join(keys[p][1] for p in parts)[:100]

    def rows():
        for i, created in enumerate(spread(n, 3 * 365, now), start=1):
            if rng.random() < 0.85:
                parts = (rng.choice(SURNAMES), rng.choice(GIVEN)) + ((rng.choice(GIVEN),) if rng.random() < 0.7 else ())
                kind = "individual"
            else:
                kind, suffix = rng.choice(COMPANY_KINDS)
                parts = (rng.choice(COMPANY_CITIES), rng.choice(COMPANY_WORDS), suffix)
            full, initials = pinyin(*parts)
            yield {
                "code": f"{CUSTOMER_PREFIX}{i:07d}",
                "customer_type": kind,
                "name": "".join(parts),
                "pinyin_full": full,
                "pinyin_initials": initials,
                "store_id": store_ids[i % len(store_ids)],
                "is_key_account": kind != "individual" and rng.random() < 0.2,
                "phone": f"13{rng.randrange(10**9):09d}",
                "email": f"c{i}@example.com" if kind != "individual" else "",
                "address": f"{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
                "created_at": created,
                "updated_at": created,
            }

    columns, tuples = full_rows(Customer, rows())
    return insert_rows(Customer, columns, tuples)


DESCRIPTIONS = [
    "血压计无法开机，更换电池后仍不显示",
    "制氧机噪音大，流量不稳定",
    "轮椅刹车失灵，需要上门检修",
    "雾化器出雾量小",
    "血糖仪读数偏高，怀疑需要校准",
    "护理床升降电机不工作",
    "新购制氧机需要上门安装调试",
    "咨询呼吸机面罩的清洗与保养方法",
    "按摩椅定期保养",
    "助听器有啸叫声",
]
ROOT_CAUSES = ["电池触点氧化", "滤网堵塞", "电机碳刷磨损", "使用方法不当", "传感器漂移", "连接线松动"]
SOLUTIONS = ["清洁触点并更换电池", "更换滤网", "更换电机", "现场指导使用", "校准后复测正常", "重新接线并测试"]
CHANNELS = ["hotline"] * 5 + ["walk_in"] * 2 + ["store"] * 2 + ["online", "email", "api"]
CATEGORIES = ["repair"] * 5 + ["installation"] * 2 + ["maintenance"] * 2 + ["consultation"] * 2 + ["other"]
HOUR = dt.timedelta(hours=1)
FIRST_CONTACT, ESCALATION = 2 * HOUR, 24 * HOUR  # policy defaults on the 24×7 calendar
RECORDED_AFTER = dt.timedelta(seconds=60)  # the sweep runs every minute


def _escalations(received, clock_stopped, now):
    """What the sweep would have recorded by `min(clock_stopped, now)`: escalation breaches and steps.

    Returns (level, escalation_due_at, exhausted_at, breaches, escalations) on the 24×7 calendar:
    every missed deadline escalates one level and sets the next deadline 24 h later; past the HQ
    (level 2) deadline the breach is recorded once and the ladder ends.
    """
    until = min(clock_stopped or now, now)
    level, due, exhausted = 0, received + ESCALATION, None
    breaches, steps = [], []
    while due + RECORDED_AFTER <= until:
        at = due + RECORDED_AFTER
        breaches.append(("escalation", level, due, at))
        if level >= 2:
            exhausted = at
            break
        steps.append((level, level + 1, due, at, due + ESCALATION))
        level, due = level + 1, due + ESCALATION
    return level, due, exhausted, breaches, steps


def plan_request(i: int, received, now, rng: random.Random, customer, engineers: list[int], creators: list[int]):
    """One request's row (a dict) and its SLA facts, from a sampled life: contact, dispatch, start,
    resolve, close — whatever of it lies before `now` decides the status. A few are cancelled early,
    1 % stall waiting for the customer; so old requests are closed and the recent ones are open."""
    customer_id, store_id, name, phone, address = customer
    row = {
        "number": f"{REQUEST_PREFIX}{i:07d}",
        "customer_id": customer_id,
        "store_id": store_id,
        "channel": rng.choice(CHANNELS),
        "category": rng.choice(CATEGORIES),
        "description": rng.choice(DESCRIPTIONS),
        "contact_name": name[:60],
        "contact_phone": phone,
        "address": address,
        "received_at": received,
        "first_contact_due_at": received + FIRST_CONTACT,
        "created_by_id": rng.choice(creators) if creators else None,
        "created_at": received,
    }
    minutes = dt.timedelta(minutes=1)
    # 80 % are contacted within the 2 hours, the rest late (a first-contact breach).
    contact = received + (rng.uniform(5, 110) if rng.random() < 0.8 else rng.uniform(125, 360)) * minutes
    cancel = received + rng.uniform(10, 600) * minutes if rng.random() < 0.04 else None
    stall = rng.random() < 0.01
    remote = rng.random() < 0.1  # consultations resolved on the phone, no dispatch
    dispatch = contact + rng.uniform(30, 240) * minutes
    start = dispatch + rng.uniform(60, 900) * minutes
    resolve = (contact + rng.uniform(10, 120) * minutes) if remote else start + rng.uniform(30, 360) * minutes
    close = resolve + rng.uniform(60, 4320) * minutes
    status, last = "received", received
    timeline = [("contacted", contact)]
    if not remote:
        timeline += [("dispatched", dispatch), ("in_progress", start)]
    timeline += [("resolved", resolve), ("closed", close)]
    pause_at = None
    if stall:  # waiting for the customer since some step, never resumed
        cut = rng.randrange(1, len(timeline))
        pause_at = timeline[cut - 1][1] + rng.uniform(10, 240) * minutes
        timeline = timeline[:cut] + [("waiting_customer", pause_at)]
    for step, at in timeline:
        if at > now or (cancel and at > cancel and step != "waiting_customer" and status in CANCELLABLE):
            break
        status, last = step, at
    if cancel and cancel <= now and status in CANCELLABLE and (not pause_at or cancel < pause_at):
        status, last = "cancelled", cancel
        row |= {"cancelled_at": cancel, "cancel_reason": "客户取消"}
    row["status"] = status
    contacted = contact if contact <= last else None
    row["first_contacted_at"] = contacted
    breaches = []
    if status != "cancelled" or contacted:
        fc_due = received + FIRST_CONTACT
        fc_stop = (
            contacted or (pause_at if status == "waiting_customer" else None) or (now if status in RUNNING else last)
        )
        if fc_due + RECORDED_AFTER <= fc_stop:
            breaches.append(("first_contact", 0, fc_due, fc_due + RECORDED_AFTER))
            row["first_contact_breached_at"] = fc_due + RECORDED_AFTER
    if status in ("dispatched", "in_progress", "resolved", "closed") and not remote and dispatch <= last:
        row |= {"dispatch_mode": rng.choice(("onsite", "onsite", "remote")), "dispatched_at": dispatch}
        row["assignee_id"] = rng.choice(engineers) if engineers else None
    if status == "waiting_customer":
        row |= {"paused_at": pause_at, "paused_from_status": timeline[-2][0] if len(timeline) > 1 else "received"}
    if status in ("resolved", "closed"):
        row |= {"resolved_at": resolve, "root_cause": rng.choice(ROOT_CAUSES), "solution": rng.choice(SOLUTIONS)}
    if status == "closed":
        row |= {"closed_at": close, "satisfaction": rng.choice((5, 5, 5, 4, 4, 3, 2))}
    clock_stop = {"resolved": resolve, "closed": resolve, "waiting_customer": pause_at, "cancelled": cancel}
    level, esc_due, exhausted, esc_breaches, steps = _escalations(received, clock_stop.get(status), now)
    row |= {"escalation_level": level, "escalation_due_at": esc_due, "escalation_exhausted_at": exhausted}
    row["updated_at"] = last
    row["version"] = 1 + len(timeline)
    return row, breaches + esc_breaches, steps


CANCELLABLE = ("received", "contacted", "dispatched")
RUNNING = ("received", "contacted", "dispatched", "in_progress")


def insert_service_requests(n: int, rng: random.Random, now) -> int:
    """Requests received over the last 12 months, each for a customer of its store; SLA breaches and
    escalations as the sweep would have recorded them. Deadlines follow the 24×7 calendar and the
    default policy (first contact +2 h, escalation +24 h, +24 h per level), as `recompute_deadlines` has them."""
    from bench.fastinsert import insert_rows
    from salesservice.core.models import Membership
    from salesservice.customers.models import Customer
    from salesservice.service.models import Escalation, ServiceRequest, SlaBreach

    customers: dict[int, list[tuple]] = {}
    for row in Customer.objects.filter(code__startswith=CUSTOMER_PREFIX).values_list(
        "pk", "store_id", "name", "phone", "address"
    ):
        customers.setdefault(row[1], []).append(row)
    stores = sorted(customers)
    staff: dict[tuple[int, str], list[int]] = {}
    for user_id, unit_id, role in Membership.objects.filter(org_unit_id__in=stores).values_list(
        "user_id", "org_unit_id", "role__name"
    ):
        staff.setdefault((unit_id, "engineer" if role == "engineer" else "desk"), []).append(user_id)
    facts: list[tuple[int, list, list]] = []  # (row index, breaches, escalations)

    def rows():
        for i, received in enumerate(spread(n, 365, now)):
            store = stores[i % len(stores)]
            customer = rng.choice(customers[store])
            row, breaches, steps = plan_request(
                i + 1, received, now, rng, customer, staff.get((store, "engineer"), []), staff.get((store, "desk"), [])
            )
            if breaches or steps:
                facts.append((i, breaches, steps))
            yield row

    columns, tuples = full_rows(ServiceRequest, rows())
    written = insert_rows(ServiceRequest, columns, tuples)
    # Insertion order is id order: the i-th row written has the i-th smallest id.
    ids = list(
        ServiceRequest.objects.filter(number__startswith=REQUEST_PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    breach_rows = (
        (ids[i], clock, level, due, at, int((at - due).total_seconds()))
        for i, breaches, _steps in facts
        for clock, level, due, at in breaches
    )
    breach_columns = ["request_id", "clock", "level", "due_at", "breached_at", "overdue_seconds"]
    breaches = insert_rows(SlaBreach, breach_columns, breach_rows)
    step_rows = (
        (ids[i], from_level, to_level, due, at, next_due, "超过升级时限未解决")
        for i, _breaches, steps in facts
        for from_level, to_level, due, at, next_due in steps
    )
    step_columns = ["request_id", "from_level", "to_level", "due_at", "at", "next_due_at", "reason"]
    escalations = insert_rows(Escalation, step_columns, step_rows)
    print(f"    + {breaches:,} SLA breaches, {escalations:,} escalations", flush=True)
    return written


def generated_models() -> list:
    from auditlog.models import LogEntry

    from salesservice.core.models import Event, Membership, Notification, OrgUnit, PersonalDataAccess, User
    from salesservice.customers.models import Customer
    from salesservice.service.models import Escalation, ServiceRequest, SlaBreach

    core = [OrgUnit, User, Membership, Notification, LogEntry, Event, PersonalDataAccess]
    return [*core, Customer, ServiceRequest, SlaBreach, Escalation]


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
    step("customers", lambda: insert_customers(scale.customers, rng, store_ids, now))
    step("service requests (+ SLA facts)", lambda: insert_service_requests(scale.service_requests, rng, now))
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
