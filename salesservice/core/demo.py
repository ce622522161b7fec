"""Demo organisation and users (`manage.py load_demo`). Idempotent; its passwords are public."""

from django.db import transaction

from .choices import OrgUnitKind
from .models import Membership, OrgUnit, User
from .roles import ROLES_BY_CODE

DEMO_PASSWORD = "demo-pass-2026"

# code, name, kind, parent code
DEMO_UNITS = [
    ("hq", "总部", OrgUnitKind.COMPANY, None),
    ("east", "华东区", OrgUnitKind.REGION, "hq"),
    ("south", "华南区", OrgUnitKind.REGION, "hq"),
    ("sh-xuhui", "上海徐汇店", OrgUnitKind.STORE, "east"),
    ("hz-xihu", "杭州西湖店", OrgUnitKind.STORE, "east"),
    ("gz-tianhe", "广州天河店", OrgUnitKind.STORE, "south"),
    ("sz-nanshan", "深圳南山店", OrgUnitKind.STORE, "south"),
    ("dept-sales", "销售部", OrgUnitKind.DEPARTMENT, "hq"),
    ("dept-service", "售后服务部", OrgUnitKind.DEPARTMENT, "hq"),
    ("dept-quality", "质量部", OrgUnitKind.DEPARTMENT, "hq"),
    ("dept-warehouse", "仓储部", OrgUnitKind.DEPARTMENT, "hq"),
    ("dept-purchasing", "采购部", OrgUnitKind.DEPARTMENT, "hq"),
    ("dept-hr", "人力资源部", OrgUnitKind.DEPARTMENT, "hq"),
    ("dept-commerce", "商务部", OrgUnitKind.DEPARTMENT, "hq"),
    ("dept-admin", "行政部", OrgUnitKind.DEPARTMENT, "hq"),
]

# username, display name, role code, org unit code, phone
DEMO_USERS = [
    ("admin", "系统管理员", "system_admin", "hq", "13800000000"),
    ("hq_service_manager", "王建国", "service_manager", "dept-service", "13900001001"),
    ("east_manager", "李华东", "region_manager", "east", "13900002001"),
    ("xuhui_manager", "张徐汇", "store_manager", "sh-xuhui", "13900003001"),
    ("xuhui_cs", "陈小客", "cs_rep", "sh-xuhui", "13900003002"),
    ("xuhui_engineer", "赵工", "engineer", "sh-xuhui", "13900003003"),
    ("tianhe_cs", "黄天河", "cs_rep", "gz-tianhe", "13900004001"),
    ("sales_rep", "刘销售", "sales_rep", "dept-sales", "13900005001"),
    ("qa_inspector", "孙质检", "qa_inspector", "dept-quality", "13900006001"),
    ("warehouse_clerk", "周仓管", "warehouse_clerk", "dept-warehouse", "13900007001"),
    ("purchaser", "吴采购", "purchaser", "dept-purchasing", "13900008001"),
    ("purchasing_manager", "韩采购主管", "purchasing_manager", "dept-purchasing", "13900008002"),
    ("gm", "马总经理", "general_manager", "hq", "13900012001"),
    ("hr_trainer", "郑培训", "hr_trainer", "dept-hr", "13900009001"),
    ("auditor", "钱监督", "auditor", "dept-admin", "13900010001"),
    ("provider_dispatcher", "冯网点", "provider_dispatcher", "sh-xuhui", "13900011001"),
]


@transaction.atomic
def load_demo_org() -> dict[str, OrgUnit]:
    """Create (or complete) the demo org tree and users; returns units by code."""
    from django.contrib.auth.models import Group

    from .roles import sync_roles

    sync_roles()
    units: dict[str, OrgUnit] = {}
    for code, name, kind, parent_code in DEMO_UNITS:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            parent = units[parent_code] if parent_code else None
            unit = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent)
            unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
            unit.save(update_fields=["path"])
        units[code] = unit
    for username, display_name, role_code, unit_code, phone in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=display_name,
                email=f"{username}@demo.example.com",
                phone=phone,
                is_staff=username == "admin",
                is_superuser=username == "admin",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        group = Group.objects.get(name=ROLES_BY_CODE[role_code].group_name)
        Membership.objects.get_or_create(user=user, org_unit=units[unit_code], role=group)
    return units
