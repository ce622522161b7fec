"""Demo records of the catalog app for `manage.py load_demo` (idempotent: matched by code/name).

A category tree, three acceptance standards and ~30 products: household appliances, medical
devices of classes I–III with registration/filing numbers, consumables tracked by batch with a
shelf life. Exactly two are not sellable: HA-1010 (no certificate of conformity) and MD2-2006
(registration expired) — PRD-1.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from salesservice.core.models import User

from . import services
from .models import InspectionTemplate, Product, ProductCategory

CATEGORIES = [
    # code, name, parent code
    ("appliance", "家用电器", None),
    ("appliance-kitchen", "厨房电器", "appliance"),
    ("appliance-home", "生活电器", "appliance"),
    ("medical", "医疗器械", None),
    ("medical-1", "第一类医疗器械", "medical"),
    ("medical-2", "第二类医疗器械", "medical"),
    ("medical-3", "第三类医疗器械", "medical"),
    ("consumable", "医用耗材", None),
]

TEMPLATES = {
    "家电通用验收标准": (
        "家用电器到货验收（商品验收：外观、性能、规格、数量）",
        [
            ("appearance", "外包装完好，无破损、受潮；机身无划痕、变形"),
            ("performance", "通电试机，各项功能正常，无异响"),
            ("specification", "型号、规格与订单及装箱单一致；铭牌、合格证、说明书齐全"),
            ("quantity", "按装箱单核对主机及附件数量"),
        ],
    ),
    "医疗器械验收标准": (
        "医疗器械进货查验：注册证/备案凭证、合格证明、中文标签",
        [
            ("appearance", "包装完好、标签清晰，无污染、破损"),
            ("specification", "注册证号/备案凭证号、型号规格与随货同行单一致，注册证在有效期内"),
            ("specification", "有中文说明书、中文标签，标明产品名称、生产企业和产地"),
            ("performance", "开机自检通过，关键性能指标抽检符合产品技术要求"),
            ("quantity", "核对数量、批号/序列号与随货单一致"),
        ],
    ),
    "医用耗材验收标准": (
        "按批验收：批号、有效期、灭菌标识",
        [
            ("appearance", "单包装密封完好，灭菌标识清晰"),
            ("specification", "批号、生产日期、失效日期齐全，剩余有效期不少于 6 个月"),
            ("quantity", "按批次清点件数"),
        ],
    ),
}

APPLIANCE = {
    "unit": "台",
    "tracking_mode": "serial",
    "warranty_months": 12,
    "storage_temp_min": Decimal("-10"),
    "storage_temp_max": Decimal("40"),
    "storage_humidity_min": 10,
    "storage_humidity_max": 85,
    "production_licence_required": False,
}

# code, name, specification, category, brand, price, manufacturer, origin, extra attributes
PRODUCTS = [
    (
        "HA-1001",
        "变频空调 1.5匹",
        "KFR-35GW/NhGc1B",
        "appliance-home",
        "格力",
        "3299.00",
        "珠海格力电器股份有限公司",
        "广东珠海",
        {"warranty_months": 72},
    ),
    (
        "HA-1002",
        "滚筒洗衣机 10kg",
        "XQG100-BD14376",
        "appliance-home",
        "海尔",
        "2799.00",
        "青岛海尔洗衣机有限公司",
        "山东青岛",
        {"warranty_months": 36},
    ),
    (
        "HA-1003",
        "双开门冰箱 520L",
        "BCD-520WKPZM(E)",
        "appliance-home",
        "美的",
        "3999.00",
        "合肥美的电冰箱有限公司",
        "安徽合肥",
        {"warranty_months": 36},
    ),
    (
        "HA-1004",
        "55英寸4K电视",
        "55E3K",
        "appliance-home",
        "海信",
        "2499.00",
        "青岛海信电器股份有限公司",
        "山东青岛",
        {},
    ),
    (
        "HA-1005",
        "电热水器 60L",
        "EC6002-MC3",
        "appliance-home",
        "海尔",
        "1599.00",
        "青岛海尔智能电子有限公司",
        "山东青岛",
        {"production_licence_required": True, "production_licence_no": "XK16-204-00089"},
    ),
    (
        "HA-1006",
        "吸油烟机",
        "CXW-260-JQ01TS",
        "appliance-kitchen",
        "方太",
        "4599.00",
        "宁波方太厨具有限公司",
        "浙江宁波",
        {"warranty_months": 60},
    ),
    (
        "HA-1007",
        "燃气灶",
        "JZT-FD23BE",
        "appliance-kitchen",
        "方太",
        "2899.00",
        "宁波方太厨具有限公司",
        "浙江宁波",
        {"production_licence_required": True, "production_licence_no": "XK21-006-00313"},
    ),
    (
        "HA-1008",
        "电饭煲 4L",
        "MB-FB40E511",
        "appliance-kitchen",
        "美的",
        "399.00",
        "广东美的生活电器制造有限公司",
        "广东佛山",
        {"unit": "个"},
    ),
    (
        "HA-1009",
        "微波炉 23L",
        "M1-L213B",
        "appliance-kitchen",
        "美的",
        "499.00",
        "广东美的厨房电器制造有限公司",
        "广东佛山",
        {},
    ),
    # Not sellable: delivered without a certificate of conformity (PRD-1, seed 002 §6.2).
    (
        "HA-1010",
        "空气净化器",
        "KJ500G-A1",
        "appliance-home",
        "小米",
        "1299.00",
        "北京智米科技有限公司",
        "江苏苏州",
        {"has_certificate_of_conformity": False},
    ),
    (
        "HA-1011",
        "扫地机器人",
        "T10 Plus",
        "appliance-home",
        "科沃斯",
        "2999.00",
        "科沃斯机器人股份有限公司",
        "江苏苏州",
        {},
    ),
    (
        "HA-1012",
        "电磁炉",
        "C21-RT2134",
        "appliance-kitchen",
        "美的",
        "299.00",
        "广东美的生活电器制造有限公司",
        "广东佛山",
        {"unit": "个", "tracking_mode": "none"},
    ),
]

DEVICE = {
    "tracking_mode": "serial",
    "warranty_months": 12,
    "storage_temp_min": Decimal("-20"),
    "storage_temp_max": Decimal("55"),
    "storage_humidity_min": 10,
    "storage_humidity_max": 93,
    "has_chinese_label": True,
}

MEDICAL = [
    # class I (filing 备案)
    (
        "MD1-2001",
        "医用冷敷贴",
        "LF-01 10片/盒",
        "medical-1",
        "可孚",
        "39.00",
        "可孚医疗科技股份有限公司",
        "湖南长沙",
        {
            "device_class": "I",
            "registration_no": "湘长械备20200123号",
            "unit": "盒",
            "tracking_mode": "batch",
            "shelf_life_tracked": True,
            "shelf_life_days": 730,
            "warranty_months": 0,
        },
    ),
    (
        "MD1-2002",
        "医用检查手套",
        "M 100只/盒",
        "medical-1",
        "英科",
        "45.00",
        "英科医疗科技股份有限公司",
        "山东淄博",
        {
            "device_class": "I",
            "registration_no": "鲁淄械备20170025号",
            "unit": "盒",
            "tracking_mode": "batch",
            "shelf_life_tracked": True,
            "shelf_life_days": 1095,
            "warranty_months": 0,
        },
    ),
    (
        "MD1-2003",
        "手动轮椅车",
        "H062C",
        "medical-1",
        "鱼跃",
        "899.00",
        "江苏鱼跃医疗设备股份有限公司",
        "江苏丹阳",
        {"device_class": "I", "registration_no": "苏镇械备20150031号", "unit": "辆"},
    ),
    (
        "MD1-2004",
        "医用雾化杯",
        "WH-802",
        "medical-1",
        "欧姆龙",
        "68.00",
        "上海欧姆龙医疗器械有限公司",
        "上海",
        {"device_class": "I", "registration_no": "沪浦械备20200012号", "unit": "个", "tracking_mode": "batch"},
    ),
    # class II (provincial registration 注准)
    (
        "MD2-2001",
        "电子血压计",
        "HEM-7136",
        "medical-2",
        "欧姆龙",
        "399.00",
        "大连欧姆龙医疗器械有限公司",
        "辽宁大连",
        {
            "device_class": "II",
            "registration_no": "辽械注准20192070123",
            "registration_expiry": dt.date(2029, 6, 30),
            "manufacturer_licence_no": "辽食药监械生产许20010023号",
        },
    ),
    (
        "MD2-2002",
        "医用制氧机",
        "8F-5AW",
        "medical-2",
        "鱼跃",
        "3280.00",
        "江苏鱼跃医疗设备股份有限公司",
        "江苏丹阳",
        {
            "device_class": "II",
            "registration_no": "苏械注准20172540567",
            "registration_expiry": dt.date(2027, 12, 31),
            "manufacturer_licence_no": "苏食药监械生产许20010019号",
            "warranty_months": 36,
        },
    ),
    (
        "MD2-2003",
        "血糖仪",
        "580",
        "medical-2",
        "鱼跃",
        "168.00",
        "江苏鱼跃医疗设备股份有限公司",
        "江苏丹阳",
        {
            "device_class": "II",
            "registration_no": "苏械注准20182400321",
            "registration_expiry": dt.date(2028, 9, 14),
            "manufacturer_licence_no": "苏食药监械生产许20010019号",
        },
    ),
    (
        "MD2-2004",
        "压缩式雾化器",
        "NE-C28",
        "medical-2",
        "欧姆龙",
        "459.00",
        "大连欧姆龙医疗器械有限公司",
        "辽宁大连",
        {"device_class": "II", "registration_no": "辽械注准20162080456", "registration_expiry": dt.date(2030, 3, 1)},
    ),
    (
        "MD2-2005",
        "电子体温计",
        "MC-246",
        "medical-2",
        "欧姆龙",
        "59.00",
        "大连欧姆龙医疗器械有限公司",
        "辽宁大连",
        {
            "device_class": "II",
            "registration_no": "辽械注准20172070789",
            "registration_expiry": dt.date(2027, 8, 20),
            "unit": "支",
            "tracking_mode": "batch",
        },
    ),
    # Not sellable: its registration certificate expired (PRD-1).
    (
        "MD2-2006",
        "低频治疗仪",
        "HV-F021",
        "medical-2",
        "欧姆龙",
        "499.00",
        "大连欧姆龙医疗器械有限公司",
        "辽宁大连",
        {"device_class": "II", "registration_no": "辽械注准20162260111", "registration_expiry": dt.date(2026, 3, 31)},
    ),
    (
        "MD2-2007",
        "医用电动病床",
        "DB-3",
        "medical-2",
        "迈瑞",
        "8600.00",
        "深圳迈瑞生物医疗电子股份有限公司",
        "广东深圳",
        {
            "device_class": "II",
            "registration_no": "粤械注准20202140888",
            "registration_expiry": dt.date(2030, 11, 5),
            "unit": "张",
            "warranty_months": 24,
        },
    ),
    # class III (national registration 国械注准 / 进口 国械注进)
    (
        "MD3-3001",
        "除颤监护仪",
        "BeneHeart D6",
        "medical-3",
        "迈瑞",
        "68000.00",
        "深圳迈瑞生物医疗电子股份有限公司",
        "广东深圳",
        {
            "device_class": "III",
            "registration_no": "国械注准20153211234",
            "registration_expiry": dt.date(2030, 4, 27),
            "manufacturer_licence_no": "粤食药监械生产许20010384号",
            "warranty_months": 24,
        },
    ),
    (
        "MD3-3002",
        "心脏起搏器",
        "Adapta ADDR01",
        "medical-3",
        "美敦力",
        "32000.00",
        "Medtronic Inc.",
        "美国",
        {
            "device_class": "III",
            "registration_no": "国械注进20173211567",
            "registration_expiry": dt.date(2027, 5, 18),
            "tracking_mode": "serial",
            "warranty_months": 0,
        },
    ),
    (
        "MD3-3003",
        "医用呼吸机",
        "SV300",
        "medical-3",
        "迈瑞",
        "128000.00",
        "深圳迈瑞生物医疗电子股份有限公司",
        "广东深圳",
        {
            "device_class": "III",
            "registration_no": "国械注准20233140123",
            "registration_expiry": dt.date(2028, 2, 9),
            "warranty_months": 24,
        },
    ),
    (
        "MD3-3004",
        "输液泵",
        "BeneFusion SP5",
        "medical-3",
        "迈瑞",
        "9800.00",
        "深圳迈瑞生物医疗电子股份有限公司",
        "广东深圳",
        {"device_class": "III", "registration_no": "国械注准20163541789", "registration_expiry": dt.date(2029, 1, 15)},
    ),
]

CONSUMABLE = {
    "tracking_mode": "batch",
    "shelf_life_tracked": True,
    "warranty_months": 0,
    "storage_temp_min": Decimal("0"),
    "storage_temp_max": Decimal("30"),
    "storage_humidity_max": 80,
}

CONSUMABLES = [
    (
        "MC-4001",
        "一次性使用无菌注射器",
        "5ml 带针",
        "consumable",
        "康德莱",
        "0.60",
        "上海康德莱企业发展集团股份有限公司",
        "上海",
        {
            "device_class": "III",
            "registration_no": "国械注准20153151234",
            "registration_expiry": dt.date(2030, 8, 1),
            "unit": "支",
            "shelf_life_days": 1095,
        },
    ),
    (
        "MC-4002",
        "医用外科口罩",
        "17.5×9.5cm 50只/盒",
        "consumable",
        "稳健",
        "35.00",
        "稳健医疗用品股份有限公司",
        "湖北嘉鱼",
        {
            "device_class": "II",
            "registration_no": "鄂械注准20202140567",
            "registration_expiry": dt.date(2030, 1, 20),
            "unit": "盒",
            "shelf_life_days": 730,
        },
    ),
    (
        "MC-4003",
        "血糖试纸",
        "580 型 50片/盒",
        "consumable",
        "鱼跃",
        "79.00",
        "江苏鱼跃医疗设备股份有限公司",
        "江苏丹阳",
        {
            "device_class": "II",
            "registration_no": "苏械注准20182400322",
            "registration_expiry": dt.date(2028, 9, 14),
            "unit": "盒",
            "shelf_life_days": 540,
            "storage_temp_min": Decimal("4"),
        },
    ),
    (
        "MC-4004",
        "医用脱脂纱布块",
        "7.5×7.5cm-8P 10片/袋",
        "consumable",
        "振德",
        "6.50",
        "振德医疗用品股份有限公司",
        "浙江绍兴",
        {"device_class": "I", "registration_no": "浙绍械备20150034号", "unit": "袋", "shelf_life_days": 1825},
    ),
    (
        "MC-4005",
        "一次性使用输液器",
        "带针 0.7mm",
        "consumable",
        "威高",
        "1.80",
        "山东威高集团医用高分子制品股份有限公司",
        "山东威海",
        {
            "device_class": "III",
            "registration_no": "国械注准20163140567",
            "registration_expiry": dt.date(2029, 10, 12),
            "unit": "套",
            "shelf_life_days": 1095,
        },
    ),
    (
        "MC-4006",
        "医用棉签",
        "10cm 50支/包",
        "consumable",
        "振德",
        "3.50",
        "振德医疗用品股份有限公司",
        "浙江绍兴",
        {"device_class": "I", "registration_no": "浙绍械备20150035号", "unit": "包", "shelf_life_days": 1095},
    ),
]


# The registration expiries above read as on this day. The loader moves them by the days since, so the demo ages
# with the calendar: the one expired registration (MD2-2006) stays expired, every other one stays valid.
DATES_AS_OF = dt.date(2026, 12, 7)


def _aged(attributes: dict) -> dict:
    expiry = attributes.get("registration_expiry")
    if expiry is None:
        return attributes
    return {**attributes, "registration_expiry": expiry + (timezone.localdate() - DATES_AS_OF)}


def load_demo() -> None:
    """Create what is missing; records that already exist (by code or name) are left alone."""
    actor = User.objects.get(username="qa_inspector")
    categories = {c.code: c for c in ProductCategory.objects.all()}
    for code, name, parent_code in CATEGORIES:
        if code not in categories:
            categories[code] = services.category_create(
                actor=actor, code=code, name=name, parent=categories[parent_code] if parent_code else None
            )
    templates = {t.name: t for t in InspectionTemplate.objects.all()}
    for name, (description, items) in TEMPLATES.items():
        if name not in templates:
            templates[name] = services.inspection_template_create(
                actor=actor,
                name=name,
                description=description,
                items=[{"group": group, "text": text} for group, text in items],
            )
    existing = set(Product.objects.values_list("code", flat=True))
    rows = (
        [(row, APPLIANCE, "家电通用验收标准") for row in PRODUCTS]
        + [(row, DEVICE, "医疗器械验收标准") for row in MEDICAL]
        + [(row, CONSUMABLE, "医用耗材验收标准") for row in CONSUMABLES]
    )
    for (code, name, spec, category, brand, price, manufacturer, origin, extra), base, template in rows:
        if code in existing:
            continue
        attributes = _aged({**base, **extra})
        services.product_create(
            actor=actor,
            code=code,
            name=name,
            specification=spec,
            category=categories[category],
            brand=brand,
            price=Decimal(price),
            manufacturer=manufacturer,
            origin=origin,
            acceptance_template=templates[template],
            **attributes,
        )
