"""Demo records of the suppliers app for `manage.py load_demo` (idempotent: nothing is added once any
supplier exists).

Six suppliers of the purchasing department with their dossiers, dates relative to today so that "valid",
"expiring" and "expired" stay true whenever it is loaded: one with an expired business licence (refused),
one on probation (conditional standing: warned), one whose quality agreement expires within the reminder
window, one suspended after a quality incident, one not on the list (refused); an approved qualified-supplier list (the current one) and a
draft of next year's edition awaiting submission.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from salesservice.catalog.choices import DeviceClass
from salesservice.catalog.models import Product, ProductCategory
from salesservice.core.models import OrgUnit, User

from .choices import DocumentKind
from .models import Supplier

# name, credit code, contact, phone, address, scenario
SUPPLIERS = [
    ("上海康泰医疗器械有限公司", "91310115MA1H7K2X3A", "周经理", "13801010001", "上海市浦东新区张江路 88 号", "good"),
    ("杭州德瑞家电制造有限公司", "91330106MA2CFB4Y5B", "钱经理", "13801010002", "杭州市西湖区文三路 199 号", "good"),
    (
        "苏州宜康医用耗材有限公司",
        "91320505MA1N8P6Z7C",
        "孙经理",
        "13801010003",
        "苏州市高新区长江路 66 号",
        "expired_licence",
    ),
    ("广州华南电器有限公司", "91440101MA5C9Q8W9D", "李经理", "13801010004", "广州市天河区天河路 300 号", "probation"),
    ("深圳安诺健康科技有限公司", "91440300MA5F0R1V2E", "吴经理", "13801010005", "深圳市南山区科技园 12 栋", "expiring"),
    (
        "南京同创医疗设备有限公司",
        "91320100MA1X2S3T4F",
        "郑经理",
        "13801010006",
        "南京市江宁区将军大道 18 号",
        "unlisted",
    ),
]


def load_demo() -> None:
    if Supplier.objects.exists():
        return
    purchaser = User.objects.filter(username="purchaser").first()
    manager = User.objects.filter(username="purchasing_manager").first()
    unit = OrgUnit.objects.filter(code="dept-purchasing").first()
    if purchaser is None or manager is None or unit is None:
        return
    with transaction.atomic():
        _load(purchaser, manager, unit)


def _load(purchaser, manager, unit) -> None:
    from . import services

    today = timezone.localdate()
    devices = list(Product.objects.filter(is_active=True).exclude(device_class=DeviceClass.NONE).order_by("code")[:6])
    appliance_root = ProductCategory.objects.filter(code="appliance").first()
    created = {}
    for name, credit_code, contact, phone, address, scenario in SUPPLIERS:
        supplier = services.supplier_create(
            actor=purchaser,
            name=name,
            credit_code=credit_code,
            contact=contact,
            phone=phone,
            address=address,
            org_unit=unit,
        )
        created[scenario if scenario not in created else f"{scenario}2"] = supplier
        licence_expiry = today - dt.timedelta(days=12) if scenario == "expired_licence" else None
        services.document_add(
            actor=purchaser,
            supplier=supplier,
            kind=DocumentKind.BUSINESS_LICENCE,
            number=credit_code,
            scope="医疗器械、家用电器的批发与零售",
            valid_from=today - dt.timedelta(days=3 * 365),
            expires_on=licence_expiry,
        )
        services.document_add(
            actor=purchaser,
            supplier=supplier,
            kind=DocumentKind.OPERATION_LICENCE,
            number=f"沪药监械经营许{today.year - 2}{len(created):04d}号",
            scope="第二类、第三类医疗器械",
            valid_from=today - dt.timedelta(days=2 * 365),
            expires_on=today + dt.timedelta(days=3 * 365),
        )
        agreement_expiry = today + dt.timedelta(days=18) if scenario == "expiring" else today + dt.timedelta(days=365)
        services.document_add(
            actor=purchaser,
            supplier=supplier,
            kind=DocumentKind.QUALITY_AGREEMENT,
            number=f"QA-{supplier.number}",
            scope="质量标准、验收方式、退换货条款",
            valid_from=today - dt.timedelta(days=200),
            expires_on=agreement_expiry,
        )
        if devices:
            services.document_add(
                actor=purchaser,
                supplier=supplier,
                kind=DocumentKind.REGISTRATION_CERTIFICATE,
                number=f"国械注准{today.year - 1}3{len(created):06d}",
                valid_from=today - dt.timedelta(days=365),
                expires_on=today + dt.timedelta(days=4 * 365),
                products=devices,
            )
    # SUP-1: last quarter's evaluation — good suppliers qualified, one on probation (conditional).
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = (end - dt.timedelta(days=80)).replace(day=1)
    good = {"qualification": 92, "reputation": 88, "capacity": 90, "product_quality": 94, "certification": 90,
            "brand": 85, "service": 90}  # fmt: skip
    probation = {"qualification": 80, "reputation": 65, "capacity": 70, "product_quality": 62, "certification": 70,
                 "brand": 60, "service": 68}  # fmt: skip
    for key, supplier in created.items():
        if key == "unlisted":
            continue
        services.evaluation_record(
            actor=purchaser,
            supplier=supplier,
            period_start=start,
            period_end=end,
            scores=probation if key == "probation" else good,
            note="季度评价（演示）",
        )
    # SUP-2: the approved list (current), without the unlisted supplier.
    draft = services.qualified_list_create(actor=purchaser, title=f"{today.year} 年度合格供方名单", copy_current=False)
    for key, supplier in created.items():
        listed_products = [] if key == "probation" else devices
        listed_categories = [appliance_root] if appliance_root and key in ("good2", "probation") else []
        if key == "unlisted" or not (listed_products or listed_categories):
            continue
        services.qualified_list_set_entry(
            actor=purchaser,
            list_id=draft.pk,
            supplier=supplier,
            products=listed_products,
            categories=listed_categories,
            note="年度评价合格" if key != "probation" else "观察期：有条件合格",
        )
    services.qualified_list_submit(actor=purchaser, list_id=draft.pk, note="年度评价后更新")
    services.qualified_list_approve(actor=manager, list_id=draft.pk, note="同意")
    # One suspended after a quality incident: it stays on the list, but order_check refuses it.
    services.supplier_suspend(actor=manager, supplier_id=created["good2"].pk, reason="进货检验连续两批不合格，待整改")
    # Next year's edition, in draft (a copy of the current list).
    services.qualified_list_create(actor=purchaser, title=f"{today.year + 1} 年度合格供方名单（草稿）")
