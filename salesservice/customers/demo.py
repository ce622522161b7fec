"""Demo records of the customers app for `manage.py load_demo` (idempotent).

About 50 customers across the four demo stores: individuals, enterprises, dealers and hospitals,
some with valid and some with expired medical-device licences, key accounts and tags, contacts,
consents, customer property (a device held for repair at 上海徐汇店) and one incident.
Dates are relative to today so "valid", "expiring" and "expired" stay true whenever it is loaded.
"""

import datetime as dt

from django.utils import timezone

from salesservice.core.models import OrgUnit, User

from .choices import ConsentChannel, ConsentPurpose, CustomerType, IncidentKind, InformChannel, PropertyKind
from .choices import QualificationKind as K
from .models import Customer

INDIVIDUALS = [
    ("张伟", "sh-xuhui"),
    ("王芳", "sh-xuhui"),
    ("李娜", "sh-xuhui"),
    ("刘洋", "sh-xuhui"),
    ("陈静", "sh-xuhui"),
    ("杨磊", "sh-xuhui"),
    ("赵敏", "sh-xuhui"),
    ("黄丽", "hz-xihu"),
    ("周杰", "hz-xihu"),
    ("吴婷", "hz-xihu"),
    ("徐强", "hz-xihu"),
    ("孙悦", "hz-xihu"),
    ("马超", "hz-xihu"),
    ("朱琳", "hz-xihu"),
    ("胡军", "gz-tianhe"),
    ("郭晶", "gz-tianhe"),
    ("何平", "gz-tianhe"),
    ("林峰", "gz-tianhe"),
    ("罗兰", "gz-tianhe"),
    ("梁志强", "gz-tianhe"),
    ("宋佳", "gz-tianhe"),
    ("郑凯", "sz-nanshan"),
    ("谢雨", "sz-nanshan"),
    ("韩冰", "sz-nanshan"),
    ("唐宁", "sz-nanshan"),
    ("冯晓", "sz-nanshan"),
    ("董浩", "sz-nanshan"),
    ("曹雪", "sz-nanshan"),
]

# name, type, store, key account, tags, qualifications [(kind, classes, valid_until offset days or None)]
ORGANISATIONS = [
    (
        "上海市徐汇区中心医院",
        CustomerType.HOSPITAL,
        "sh-xuhui",
        True,
        ["医院", "医保定点"],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II,III", 900)],
    ),
    (
        "上海瑞金医院",
        CustomerType.HOSPITAL,
        "sh-xuhui",
        True,
        ["医院"],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II,III", None)],
    ),
    (
        "杭州市西湖区人民医院",
        CustomerType.HOSPITAL,
        "hz-xihu",
        True,
        ["医院"],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II,III", -45), (K.DEVICE_OPERATING_LICENCE, "II,III", -45)],
    ),
    (
        "杭州市第一人民医院",
        CustomerType.HOSPITAL,
        "hz-xihu",
        False,
        ["医院"],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II,III", 700)],
    ),
    (
        "广州天河区中医院",
        CustomerType.HOSPITAL,
        "gz-tianhe",
        True,
        ["医院", "中医"],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II,III", 500)],
    ),
    (
        "广州天河社区卫生服务中心",
        CustomerType.HOSPITAL,
        "gz-tianhe",
        False,
        ["社区"],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II", 300)],
    ),
    (
        "深圳市南山区人民医院",
        CustomerType.HOSPITAL,
        "sz-nanshan",
        True,
        ["医院"],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II,III", 20)],
    ),
    (
        "深圳南山蛇口门诊部",
        CustomerType.HOSPITAL,
        "sz-nanshan",
        False,
        [],
        [(K.MEDICAL_INSTITUTION_LICENCE, "I,II", -10)],
    ),
    (
        "上海康健医疗器械有限公司",
        CustomerType.DEALER,
        "sh-xuhui",
        True,
        ["经销商"],
        [(K.BUSINESS_LICENCE, "", None), (K.DEVICE_OPERATING_LICENCE, "II,III", 600)],
    ),
    (
        "杭州仁和医疗器械经销部",
        CustomerType.DEALER,
        "hz-xihu",
        False,
        ["经销商"],
        [(K.BUSINESS_LICENCE, "", None), (K.DEVICE_OPERATING_LICENCE, "III", -30)],
    ),
    (
        "广州南方医疗设备有限公司",
        CustomerType.DEALER,
        "gz-tianhe",
        False,
        ["经销商"],
        [(K.BUSINESS_LICENCE, "", None), (K.DEVICE_FILING, "II", None)],
    ),
    (
        "深圳安康医疗器械有限公司",
        CustomerType.DEALER,
        "sz-nanshan",
        True,
        ["经销商"],
        [(K.BUSINESS_LICENCE, "", None), (K.DEVICE_OPERATING_LICENCE, "II,III", 25)],
    ),
    ("上海百佳电器经销有限公司", CustomerType.DEALER, "sh-xuhui", False, ["家电"], [(K.BUSINESS_LICENCE, "", None)]),
    ("杭州西湖家电批发商行", CustomerType.DEALER, "hz-xihu", False, ["家电"], [(K.BUSINESS_LICENCE, "", None)]),
    ("上海徐汇科技有限公司", CustomerType.ENTERPRISE, "sh-xuhui", False, ["团购"], [(K.BUSINESS_LICENCE, "", None)]),
    ("上海华亭物业管理有限公司", CustomerType.ENTERPRISE, "sh-xuhui", False, [], []),
    ("杭州西湖茶业有限公司", CustomerType.ENTERPRISE, "hz-xihu", False, ["团购"], [(K.BUSINESS_LICENCE, "", 200)]),
    ("杭州钱塘养老服务中心", CustomerType.ENTERPRISE, "hz-xihu", True, ["养老"], [(K.BUSINESS_LICENCE, "", None)]),
    (
        "广州天河酒店管理有限公司",
        CustomerType.ENTERPRISE,
        "gz-tianhe",
        True,
        ["酒店", "团购"],
        [(K.BUSINESS_LICENCE, "", None)],
    ),
    ("广州珠江贸易有限公司", CustomerType.ENTERPRISE, "gz-tianhe", False, [], []),
    ("深圳南山软件有限公司", CustomerType.ENTERPRISE, "sz-nanshan", False, ["团购"], [(K.BUSINESS_LICENCE, "", None)]),
    ("深圳前海物流有限公司", CustomerType.ENTERPRISE, "sz-nanshan", False, [], []),
]


def _phone(index: int) -> str:
    return f"{138 + index % 2}{(index * 7919 + 10001234) % 100000000:08d}"


def load_demo() -> None:
    stores = {u.code: u for u in OrgUnit.objects.filter(code__in=["sh-xuhui", "hz-xihu", "gz-tianhe", "sz-nanshan"])}
    actor = User.objects.filter(username="sales_rep").first()
    if len(stores) < 4 or actor is None:
        return
    from . import services

    today = timezone.localdate()
    engineer = User.objects.filter(username="xuhui_engineer").first() or actor
    created: dict[str, Customer] = {}

    for index, (name, store_code) in enumerate(INDIVIDUALS):
        store = stores[store_code]
        if Customer.objects.filter(store=store, name=name).exists():
            continue
        created[name] = services.customer_create(
            actor=actor,
            name=name,
            customer_type=CustomerType.INDIVIDUAL,
            store=store,
            sales_rep=actor if index % 3 == 0 else None,
            is_key_account=index % 9 == 0,
            tags=["老客户"] if index % 4 == 0 else [],
            phone=_phone(index),
            email=f"customer{index:02d}@example.com" if index % 2 == 0 else "",
            address=f"{store.name[:2]}市某区某路{index + 10}号",
            preferences="偏好周末上门安装" if index % 5 == 0 else "",
            special_needs="家中有老人，需提前电话预约" if index % 7 == 0 else "",
        )

    for index, (name, kind, store_code, key, tags, qualifications) in enumerate(ORGANISATIONS, start=100):
        store = stores[store_code]
        if Customer.objects.filter(store=store, name=name).exists():
            continue
        customer = services.customer_create(
            actor=actor,
            name=name,
            customer_type=kind,
            store=store,
            sales_rep=actor,
            is_key_account=key,
            tags=tags,
            phone=_phone(index),
            email=f"purchase{index}@example.com",
            address=f"{store.name[:2]}市{store.name[2:4]}区示例大道{index}号",
            id_number=f"9131{index:04d}MA1K{index:06d}",
            special_needs="需开具增值税专用发票；到货前一天电话通知设备科" if kind == CustomerType.HOSPITAL else "",
        )
        created[name] = customer
        services.contact_add(
            actor=actor,
            customer=customer,
            name="设备科王主任" if kind == CustomerType.HOSPITAL else "采购部李经理",
            phone=_phone(index + 500),
            email=f"contact{index}@example.com",
            position="设备科主任" if kind == CustomerType.HOSPITAL else "采购经理",
            is_primary=True,
        )
        for number, (q_kind, classes, until) in enumerate(qualifications, start=1):
            valid_until = today + dt.timedelta(days=until) if until is not None else None
            valid_from = (valid_until or today) - dt.timedelta(days=5 * 365)
            services.qualification_add(
                actor=actor,
                customer=customer,
                kind=q_kind,
                number=f"{store_code[:2].upper()}-{q_kind[:3].upper()}-{index}{number:02d}",
                scope_classes=classes,
                valid_from=valid_from,
                valid_until=valid_until,
                issuing_authority=f"{store.name[:2]}市市场监督管理局",
            )

    _demo_consents(actor, created)
    _demo_property(actor, engineer, created)


def _demo_consents(actor, created) -> None:
    from . import services

    for name in ("张伟", "王芳", "黄丽", "胡军", "郑凯", "上海市徐汇区中心医院"):
        customer = created.get(name)
        if customer is None:
            continue
        services.consent_give(
            actor=actor,
            customer=customer,
            purpose=ConsentPurpose.DATA_PROCESSING,
            channel=ConsentChannel.PAPER,
        )
        services.consent_give(
            actor=actor,
            customer=customer,
            purpose=ConsentPurpose.SERVICE_FOLLOW_UP,
            channel=ConsentChannel.PHONE,
        )
    if "王芳" in created:
        marketing = services.consent_give(
            actor=actor, customer=created["王芳"], purpose=ConsentPurpose.MARKETING, channel=ConsentChannel.SMS
        )
        services.consent_withdraw(actor=actor, consent_id=marketing.pk)


def _demo_property(actor, engineer, created) -> None:
    from . import services

    now = timezone.now()
    if "张伟" in created:
        services.property_register(
            actor=actor,
            customer=created["张伟"],
            kind=PropertyKind.DEVICE,
            description="滚筒洗衣机（送修）",
            identifier="SN-WM-20250311-0042",
            received_at=now - dt.timedelta(days=3),
            location="上海徐汇店维修间 A-03",
            condition="外壳左侧轻微划痕，不脱水",
            holder=engineer,
        )
    if "上海市徐汇区中心医院" in created:
        hospital = created["上海市徐汇区中心医院"]
        services.property_register(
            actor=actor,
            customer=hospital,
            kind=PropertyKind.DOCUMENT,
            description="设备采购技术参数文件（原件）",
            received_at=now - dt.timedelta(days=10),
            location="销售部文件柜 2 层",
            condition="完好",
            holder=actor,
        )
        monitor = services.property_register(
            actor=actor,
            customer=hospital,
            kind=PropertyKind.DEVICE,
            description="多参数监护仪（送修）",
            identifier="SN-PM-8820-1107",
            received_at=now - dt.timedelta(days=6),
            location="上海徐汇店维修间 B-01",
            condition="屏幕闪烁",
            holder=engineer,
        )
        services.property_report_incident(
            actor=engineer,
            property_id=monitor.pk,
            kind=IncidentKind.DAMAGED,
            description="搬运时跌落，屏幕边框开裂",
            customer_informed_at=now - dt.timedelta(days=1),
            informed_how=InformChannel.PHONE,
        )
    if "广州天河区中医院" in created:
        services.property_register(
            actor=actor,
            customer=created["广州天河区中医院"],
            kind=PropertyKind.PERSONAL_INFORMATION,
            description="患者随访名单（纸质，供回访使用）",
            received_at=now - dt.timedelta(days=2),
            location="广州天河店客服部保密柜",
            condition="完好，已密封",
            holder=actor,
        )
