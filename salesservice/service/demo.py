"""Demo records of the service app for `manage.py load_demo` (idempotent: skipped once any request exists).

~200 service requests across the four stores in every status, received over the last 30 days and
built through the services with their past times (so every clock, event and number is real), then the
SLA sweep runs as of now: old open requests are overdue, escalated to region or HQ, with recorded
breaches. Plus a dozen published knowledge-base articles (FBK-5).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from salesservice.catalog.models import Product, ProductCategory
from salesservice.core.models import OrgUnit, User
from salesservice.customers.models import Customer

from . import services
from .choices import AcceptanceMethod, Channel, DispatchMode, ServiceCategory
from .models import KnowledgeArticle, ServiceRequest

# The demo customers' signature: a real (tiny) PNG data URL, as the signature pad sends it.
DEMO_SIGNATURE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

STORES = ["sh-xuhui", "hz-xihu", "gz-tianhe", "sz-nanshan"]
PER_STORE = 50
# who logs and dispatches requests at each store (demo users of core/people)
DESK_USERS = {
    "sh-xuhui": "xuhui_cs",
    "hz-xihu": "east_manager",
    "gz-tianhe": "tianhe_cs",
    "sz-nanshan": "hq_service_manager",
}
ENGINEERS = {"sh-xuhui": "xuhui_engineer", "gz-tianhe": "tianhe_engineer"}
SUPERVISORS = {"sh-xuhui": "xuhui_manager", "hz-xihu": "east_manager"}

FAULTS = {
    "appliance": [
        ("空调不制冷，外机不转", "启动电容老化", "更换启动电容，试机制冷正常"),
        ("空调漏水，室内机滴水", "排水管堵塞", "疏通排水管并调整坡度"),
        ("冰箱异响，夜间尤其明显", "压缩机减震垫老化", "更换减震垫，调整底脚水平"),
        ("冰箱冷藏室结冰", "温控器失灵", "更换温控器"),
        ("洗衣机脱水时剧烈抖动", "衣物不平衡、底脚松动", "调平底脚，指导均匀放置衣物"),
        ("热水器点火失败显示 E1", "点火针积碳", "清理点火针，检查燃气压力"),
        ("油烟机吸力变小", "油网油垢堆积", "清洗油网与风轮"),
        ("电饭煲不加热", "温度保险丝熔断", "更换温度保险丝"),
        ("微波炉转盘不转", "转盘电机损坏", "更换转盘电机"),
        ("空气净化器滤网提示无法复位", "操作方法不当", "远程指导长按复位"),
    ],
    "medical": [
        ("血压计读数不准，比医院测得高", "袖带佩戴位置不当", "指导正确佩戴，复测一致"),
        ("制氧机报警，流量指示偏低", "分子筛吸附性能下降", "更换分子筛，流量恢复"),
        ("雾化器出雾量小", "雾化片结垢", "清洗雾化片，更换药杯"),
        ("血糖仪显示 E-3 错误", "试纸受潮", "更换新批次试纸并指导保存"),
        ("电子体温计显示不稳定", "电池电量低", "更换电池后正常"),
        ("轮椅刹车失灵", "刹车拉杆松动", "紧固并调整刹车"),
    ],
}

ARTICLES = [
    (
        "空调不制冷的常见原因与处理",
        "appliance",
        "外机不转多为启动电容老化；出风不冷常见冷媒不足或滤网脏堵。处理：检测电容、检漏补充冷媒、清洗滤网。",
    ),
    (
        "空调室内机漏水排查",
        "appliance",
        "排水管堵塞或坡度不足、接水盘破损。处理：疏通排水管，调整坡度，必要时更换接水盘。",
    ),
    (
        "冰箱异响的判断方法",
        "appliance",
        "压缩机运行声正常；减震垫老化、风扇结霜刮擦会产生异响。处理：更换减震垫、除霜、调平。",
    ),
    (
        "冰箱冷藏室结冰怎么办",
        "appliance",
        "温控器失灵或门封不严。处理：检测温控器、更换门封条，提醒客户勿将食物贴近后壁。",
    ),
    ("洗衣机脱水抖动处理", "appliance", "底脚不平、衣物缠绕。处理：调平底脚，指导均匀放置衣物，检查吊杆。"),
    ("燃气热水器 E1 点火失败", "appliance", "点火针积碳、燃气压力不足、电池没电。处理：清理点火针、检查燃气阀与压力。"),
    ("油烟机吸力下降", "appliance", "油网、风轮油垢堆积或止回阀卡滞。处理：清洗油网与风轮，检查烟道。"),
    (
        "电子血压计读数偏差",
        "medical",
        "袖带位置、松紧与测量姿势影响读数；电池电量低也会偏差。处理：指导正确佩戴，必要时送检校准。",
    ),
    (
        "家用制氧机报警处理",
        "medical",
        "流量偏低报警多为分子筛老化或进气滤棉堵塞。处理：清洗滤棉、更换分子筛，确认氧浓度。",
    ),
    ("雾化器出雾量小", "medical", "雾化片结垢或药杯破损。处理：按说明书清洗雾化片，更换药杯。"),
    ("血糖仪常见错误代码", "medical", "E-3 多为试纸受潮或过期；E-1 为采血量不足。处理：更换试纸，指导正确采血与保存。"),
    (
        "上门服务现场规范",
        "",
        "维修前后须与客户确认外观、功能、性能并记录；保护现场设备设施，未经允许不得使用客户设备；完工清理恢复现场（002 §6.6.3–6.6.4）。",
    ),
]

# target status → weight (open statuses are mostly recent, see _received_at)
TARGETS = [
    ("closed", 44),
    ("cancelled", 5),
    ("resolved", 8),
    ("in_progress", 10),
    ("dispatched", 8),
    ("waiting_customer", 6),
    ("contacted", 8),
    ("received", 11),
]


def load_demo() -> None:
    """Create the demo requests and articles unless some already exist."""
    if ServiceRequest.objects.exists():
        return
    rng = random.Random(20261122)
    now = timezone.now()
    users = {user.username: user for user in User.objects.filter(is_active=True)}
    _load_articles(users)
    stores = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=STORES)}
    products = _products()
    providers = _providers()
    for code in STORES:
        store = stores.get(code)
        desk = users.get(DESK_USERS[code])
        customers = list(Customer.objects.filter(store=store, is_anonymised=False)[:40]) if store else []
        if store is None or desk is None or not customers:
            continue
        engineer = users.get(ENGINEERS.get(code, ""))
        for index in range(PER_STORE):
            with transaction.atomic():
                _one_request(rng, now, store, desk, engineer, customers, products, providers.get(code), users, index)
    from .sweep import sla_sweep

    sla_sweep(now=now)


def _products() -> dict[str, list[Product]]:
    by_root: dict[str, list[Product]] = {"appliance": [], "medical": []}
    roots = {c.code: c for c in ProductCategory.objects.filter(code__in=["appliance", "medical-2"])}
    for product in Product.objects.select_related("category"):
        for key, code in (("appliance", "appliance"), ("medical", "medical-2")):
            root = roots.get(code)
            if root is not None and product.category.path.startswith(root.path):
                by_root[key].append(product)
    return by_root


def _providers() -> dict:
    try:
        from salesservice.network.models import ServiceProvider
    except ImportError:  # pragma: no cover
        return {}
    provider = ServiceProvider.objects.filter(code="WX-SH-001").first()
    return {"sh-xuhui": provider} if provider else {}


def _received_at(rng: random.Random, now: dt.datetime, target: str) -> dt.datetime:
    if target in ("closed", "cancelled"):
        minutes = rng.randint(2 * 24 * 60, 30 * 24 * 60)  # 2–30 days ago
    elif rng.random() < 0.12:
        minutes = rng.randint(26 * 60, 46 * 60)  # open past 24 h: escalated to the region
    elif rng.random() < 0.1:
        minutes = rng.randint(3 * 24 * 60, 10 * 24 * 60)  # long open: escalated to HQ
    else:
        minutes = rng.randint(20, 20 * 60)  # within the last 20 hours
    moment = now - dt.timedelta(minutes=minutes)
    return moment.replace(second=0, microsecond=0)


def _one_request(rng, now, store, desk, engineer, customers, products, provider, users, index) -> None:
    target = rng.choices([t for t, _w in TARGETS], weights=[w for _t, w in TARGETS])[0]
    received = _received_at(rng, now, target)
    can_dispatch = engineer is not None or provider is not None
    kind = "medical" if (store.code == "sh-xuhui" and rng.random() < 0.3 and products["medical"]) else "appliance"
    if not products[kind]:
        kind = "appliance" if products["appliance"] else "medical"
    pool = products[kind]
    product = rng.choice(pool) if pool else None
    fault, cause, solution = rng.choice(FAULTS[kind])
    category = ServiceCategory.REPAIR
    if not can_dispatch or "指导" in solution:
        category = ServiceCategory.CONSULTATION
    elif rng.random() < 0.15:
        category, fault = ServiceCategory.INSTALLATION, f"新购{product.name if product else '商品'}预约上门安装"
    customer = rng.choice(customers)
    request = services.service_request_create(
        actor=desk,
        customer=customer,
        channel=rng.choice(
            [Channel.HOTLINE, Channel.HOTLINE, Channel.WALK_IN, Channel.STORE, Channel.EMAIL, Channel.ONLINE]
        ),
        category=category,
        description=fault,
        product=product,
        serial_number=f"SN{rng.randint(10**7, 10**8 - 1)}" if product else "",
        purchase_date=(received - dt.timedelta(days=rng.randint(20, 900))).date() if product else None,
        received_at=received,
    )
    clock = received

    def step(minutes_low, minutes_high):
        nonlocal clock
        clock = min(clock + dt.timedelta(minutes=rng.randint(minutes_low, minutes_high)), now - dt.timedelta(minutes=1))
        return clock

    if target == "received":
        return
    if target == "cancelled":
        services.request_cancel(
            actor=desk, request_id=request.pk, reason="客户来电取消：问题已自行解决", at=step(10, 90)
        )
        return
    if target == "waiting_customer" and rng.random() < 0.3:
        services.request_wait_customer(
            actor=desk, request_id=request.pk, reason="客户暂时不在家，约定回电", at=step(10, 60)
        )
        return
    services.request_contact(actor=desk, request_id=request.pk, note="已电话联系客户，确认故障现象", at=step(5, 110))
    if target == "contacted":
        return
    if target == "waiting_customer":
        services.request_wait_customer(
            actor=desk, request_id=request.pk, reason="等待客户提供购买凭证", at=step(10, 120)
        )
        return
    if category == ServiceCategory.CONSULTATION or not can_dispatch:
        if target in ("dispatched", "in_progress"):
            return  # a consultation is answered without a visit
        services.request_resolve(
            actor=desk, request_id=request.pk, root_cause=cause, solution=solution, at=step(10, 120)
        )
    else:
        use_provider = provider is not None and (engineer is None or rng.random() < 0.25)
        worker = provider.dispatchers.first() if use_provider else engineer
        if worker is None:
            return
        services.request_dispatch(
            actor=desk,
            request_id=request.pk,
            mode=DispatchMode.PROVIDER if use_provider else DispatchMode.ONSITE,
            engineer=None if use_provider else engineer,
            provider=provider if use_provider else None,
            appointment_at=clock + dt.timedelta(hours=rng.randint(2, 20)),
            note="预约上门",
            at=step(5, 60),
        )
        if target == "dispatched":
            return
        services.request_start(actor=worker, request_id=request.pk, at=step(60, 600))
        visited = step(10, 120)
        services.work_record_add(
            actor=worker,
            request_id=request.pk,
            visited_at=visited,
            place=customer.address or store.name,
            measures=solution,
            condition_before={"appearance": "外观完好", "function": fault, "performance": "未达标"},
            condition_after={"appearance": "外观完好", "function": "功能正常", "performance": "试机正常"},
            before_confirmed_by_customer=True,
            after_confirmed_by_customer=target != "in_progress",
            protected_equipment=True,
            no_unauthorised_use=True,
            cleaned_up=rng.random() > 0.05,
        )
        if target == "in_progress":
            return
        services.request_resolve(
            actor=worker, request_id=request.pk, root_cause=cause, solution=solution, at=step(20, 180)
        )
    if target == "resolved":
        return
    rating = rng.choices([5, 4, 3, 2], weights=[60, 28, 9, 3])[0]
    method = rng.choice([AcceptanceMethod.ONSITE, AcceptanceMethod.PHONE])
    services.request_confirm(
        actor=desk,
        request_id=request.pk,
        method=method,
        rating=rating,
        comment="服务及时，问题已解决" if rating >= 4 else "处理时间偏长",
        signer_name=customer.name,
        # on site the customer signs (issue 12 §11)
        signature_data_url=DEMO_SIGNATURE if method == AcceptanceMethod.ONSITE else "",
        at=step(30, 600),
    )
    closer = users.get(SUPERVISORS.get(store.code, "hq_service_manager")) or users.get("hq_service_manager")
    services.request_close(actor=closer, request_id=request.pk, at=step(30, 1440))


def _load_articles(users) -> None:
    author = users.get("hq_service_manager")
    if author is None or KnowledgeArticle.objects.exists():
        return
    categories = {c.code: c for c in ProductCategory.objects.filter(code__in=["appliance", "medical"])}
    for title, category_code, body in ARTICLES:
        article = services.knowledge_article_create(
            actor=author,
            title=title,
            body=body,
            service_category=ServiceCategory.REPAIR,
            product_category=categories.get(category_code),
        )
        services.knowledge_article_publish(actor=author, article_id=article.pk)
