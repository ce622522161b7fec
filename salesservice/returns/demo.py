"""Demo records of the returns app for `manage.py load_demo` (idempotent: the rule by name; requests are
skipped once any exists).

The published policy's exclusion (医用耗材拆封后不适用无理由退货, RET-1), and returns at 上海徐汇店 and
广州天河店 — eligible and not — in every status, built through the services with past times so the
numbers, events, handling times and the metrics page are real. One quality return has opened a
nonconformance that QA has dispositioned (SUP-8).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from salesservice.catalog.models import Product, ProductCategory
from salesservice.core.models import OrgUnit, User
from salesservice.customers.models import Customer

from . import services
from .models import ReturnRequest, ReturnRule

RULES = [
    (
        "医用耗材拆封后不予无理由退货",
        ["consumable"],
        ["no_reason", "other"],
        True,
        "医用耗材属卫生用品，拆封后不适用无理由退货（质量问题除外）",
    ),
]

DESK = {"sh-xuhui": ("xuhui_cs", "xuhui_manager"), "gz-tianhe": ("tianhe_cs", "hq_service_manager")}

# store, requested days ago, days since purchase, product group, channel, reason, kind, condition, target, extra
SCENARIOS = [
    ("sh-xuhui", 1, 2, "appliance", "distance", "no_reason", "refund", "unopened", "requested", {}),
    ("sh-xuhui", 2, 12, "appliance", "distance", "no_reason", "refund", "opened_intact", "requested", {}),
    ("sh-xuhui", 3, 1, "consumable", "distance", "no_reason", "refund", "opened_intact", "requested", {}),
    ("sh-xuhui", 5, 3, "appliance", "in_store", "no_reason", "refund", "unopened", "rejected", {}),
    ("sh-xuhui", 4, 4, "medical", "distance", "quality", "refund", "used", "approved", {}),
    ("sh-xuhui", 6, 6, "appliance", "distance", "quality", "exchange", "used", "goods_received", {}),
    ("sh-xuhui", 7, 3, "appliance", "distance", "no_reason", "refund", "unopened", "inspected", {}),
    (
        "sh-xuhui",
        9,
        9,
        "appliance",
        "distance",
        "quality",
        "exchange",
        "used",
        "closed",
        {"quality": True, "remedy": "exchange"},
    ),
    ("sh-xuhui", 12, 5, "medical", "distance", "no_reason", "refund", "unopened", "closed", {"remedy": "refund"}),
    ("sh-xuhui", 15, 60, "appliance", "in_store", "quality", "repair", "used", "repaired", {"quality": True}),
    (
        "sh-xuhui",
        10,
        8,
        "appliance",
        "distance",
        "quality",
        "refund",
        "damaged_by_customer",
        "closed",
        {"damaged": True},
    ),
    ("sh-xuhui", 2, 2, "medical", "distance", "no_reason", "refund", "unopened", "cancelled", {}),
    ("gz-tianhe", 1, 1, "appliance", "distance", "no_reason", "refund", "unopened", "requested", {}),
    ("gz-tianhe", 8, 10, "medical", "distance", "quality", "exchange", "used", "exchanged", {"quality": True}),
    (
        "gz-tianhe",
        14,
        20,
        "appliance",
        "distance",
        "no_reason",
        "refund",
        "opened_intact",
        "closed",
        {"remedy": "refund"},
    ),
    ("gz-tianhe", 5, 5, "appliance", "distance", "quality", "refund", "used", "refunded", {"quality": True}),
]

ORDER = ["requested", "approved", "goods_received", "inspected", "resolved", "closed"]
RESOLVED = {"refunded": "refund", "exchanged": "exchange", "repaired": "repair"}


def load_demo() -> None:
    _load_rules()
    if ReturnRequest.objects.exists():
        return
    users = {user.username: user for user in User.objects.filter(is_active=True)}
    stores = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=DESK)}
    products = _products()
    now = timezone.now()
    for index, scenario in enumerate(SCENARIOS):
        store = stores.get(scenario[0])
        customers = list(Customer.objects.filter(store=store, is_anonymised=False).order_by("pk")[:20]) if store else []
        group = products.get(scenario[3]) or []
        if (
            not customers
            or not group
            or any(name not in users for name in (*DESK[scenario[0]], "warehouse_clerk", "qa_inspector"))
        ):
            continue
        with transaction.atomic():
            _one(scenario, index, now, store, customers[index % len(customers)], group[index % len(group)], users)


def _load_rules() -> None:
    categories = {
        c.code: c for c in ProductCategory.objects.filter(code__in={code for rule in RULES for code in rule[1]})
    }
    for name, codes, reasons, only_when_opened, citation in RULES:
        if ReturnRule.objects.filter(name=name).exists() or not all(code in categories for code in codes):
            continue
        rule = ReturnRule.objects.create(
            name=name, reasons=reasons, only_when_opened=only_when_opened, citation=citation
        )
        rule.excluded_categories.set([categories[code] for code in codes])


def _products() -> dict[str, list[Product]]:
    groups: dict[str, list[Product]] = {"appliance": [], "medical": [], "consumable": []}
    paths = {c.code: c.path for c in ProductCategory.objects.filter(code__in=["appliance", "medical", "consumable"])}
    for product in Product.objects.filter(is_active=True).select_related("category").order_by("code"):
        for key, path in paths.items():
            if path and product.category.path.startswith(path):
                groups[key].append(product)
    return groups


def _one(scenario, index, now, store, customer, product, users) -> None:
    code, requested_ago, purchased_before, _group, channel, reason, kind, condition, target, extra = scenario
    desk_name, approver_name = DESK[code]
    desk, approver = users[desk_name], users[approver_name]
    clerk, qa = users["warehouse_clerk"], users["qa_inspector"]
    requested_at = now - dt.timedelta(days=requested_ago, hours=index % 5)
    step = min(dt.timedelta(hours=5), (now - requested_at) / 8)
    moments = iter(requested_at + step * (n + 1) for n in range(8))
    request = services.return_request_create(
        actor=desk,
        customer=customer,
        product=product,
        purchase_date=timezone.localdate(requested_at) - dt.timedelta(days=purchased_before),
        sale_channel=channel,
        reason=reason,
        requested_kind=kind,
        condition=condition,
        serial_number=f"DEMO-RT-{index + 1:03d}",
        description={"no_reason": "不喜欢/尺寸不合适", "quality": "使用中出现故障", "other": "其他"}[reason],
        at=requested_at,
    )
    pk = request.pk
    if target == "requested":
        return
    if target == "cancelled":
        services.return_cancel(actor=desk, return_id=pk, reason="客户撤回申请", at=next(moments))
        return
    if target == "rejected":
        services.return_reject(
            actor=approver, return_id=pk, reason="门店现场购买不适用无理由退货，已向客户解释", at=next(moments)
        )
        return
    services.return_approve(
        actor=approver,
        return_id=pk,
        override_reason="" if request.eligible else "老客户，店长特批（需检测后确定处理方式）",
        at=next(moments),
    )
    if target == "approved":
        return
    damaged = extra.get("damaged")
    services.return_receive(
        actor=clerk,
        return_id=pk,
        condition="damaged_by_customer" if damaged else ("opened_intact" if condition != "used" else "used"),
        negotiated_outcome="外壳摔裂属人为损坏；协商由客户承担配件费 80 元，我方免费维修" if damaged else "",
        at=next(moments),
    )
    if target == "goods_received":
        return
    quality = bool(extra.get("quality"))
    request = services.return_inspect(
        actor=qa,
        return_id=pk,
        quality_problem=quality,
        findings="压缩机启动不良，属产品质量问题" if quality else "外观完好，功能正常，无质量问题",
        at=next(moments),
    )
    if quality and index == 7:  # one quality return's nonconformance already dispositioned by QA
        from salesservice.inspection.services import nonconformance_dispose

        nc = request.nonconformances.first()
        if nc is not None:
            nonconformance_dispose(
                actor=qa, nonconformance_id=nc.pk, disposition="return_to_supplier", note="整机退回厂家分析"
            )
    if target == "inspected":
        return
    remedy = RESOLVED.get(target) or extra.get("remedy") or ("repair" if damaged else "")
    if remedy == "refund":
        services.return_refund(actor=desk, return_id=pk, amount=product.price or "100", at=next(moments))
    elif remedy == "exchange":
        services.return_exchange(
            actor=desk, return_id=pk, replacement_serial=f"DEMO-NEW-{index + 1:03d}", at=next(moments)
        )
    elif remedy == "repair":
        services.return_repair(actor=desk, return_id=pk, note="更换损坏部件，试机正常", at=next(moments))
    if target != "closed":
        return
    services.return_close(actor=desk, return_id=pk, note="" if remedy else "检测无故障，原物退回客户", at=next(moments))
