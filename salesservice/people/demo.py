"""Demo records of the people app for `manage.py load_demo` (idempotent).

Certified and uncertified engineers for the service desk demo (PPL-4): 赵工 of 上海徐汇店 is
certified for household appliances and class II medical devices; 天河 has appliances; 西湖's
certificate has expired; 徐汇's trainee has none yet.
"""

import datetime as dt

from django.utils import timezone

from salesservice.catalog.models import ProductCategory
from salesservice.core.demo import DEMO_PASSWORD
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.core.services import membership_grant, user_create

from . import services
from .models import Certification

# username, display name, store code, phone — engineers beyond core's DEMO_USERS.
DEMO_ENGINEERS = [
    ("tianhe_engineer", "钱工", "gz-tianhe", "13900004003"),
    ("xihu_engineer", "孙工", "hz-xihu", "13900012003"),
    ("xuhui_trainee", "李见习", "sh-xuhui", "13900003009"),
]

# certificate no, username, category code, issued (days ago), valid for (days; None = long-term)
DEMO_CERTIFICATIONS = [
    ("SG-HA-2024-0101", "xuhui_engineer", "appliance", 400, 3 * 365),
    ("SG-MD2-2025-0102", "xuhui_engineer", "medical-2", 200, 2 * 365),
    ("SG-HA-2025-0201", "tianhe_engineer", "appliance", 150, None),
    ("SG-HA-2022-0301", "xihu_engineer", "appliance", 3 * 365, 2 * 365),  # expired about a year ago
]


def load_demo() -> None:
    """Create what is missing; existing users and certificates (by number) are left alone."""
    admin = User.objects.get(username="admin")
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in={code for _u, _n, code, _p in DEMO_ENGINEERS})}
    for username, display_name, unit_code, phone in DEMO_ENGINEERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=admin,
                username=username,
                password=DEMO_PASSWORD,
                display_name=display_name,
                email=f"{username}@demo.example.com",
                phone=phone,
            )
        if not Membership.objects.filter(user=user, org_unit=units[unit_code], role__name="engineer").exists():
            membership_grant(actor=admin, user=user, org_unit=units[unit_code], role_code="engineer")

    hr = User.objects.get(username="hr_trainer")
    today = timezone.localdate()
    existing = set(Certification.objects.values_list("certificate_no", flat=True))
    categories = {c.code: c for c in ProductCategory.objects.all()}
    for number, username, category_code, issued_days_ago, valid_days in DEMO_CERTIFICATIONS:
        if number in existing or category_code not in categories:
            continue
        issued_at = today - dt.timedelta(days=issued_days_ago)
        services.certification_add(
            actor=hr,
            user=User.objects.get(username=username),
            category=categories[category_code],
            certificate_no=number,
            issued_at=issued_at,
            valid_until=issued_at + dt.timedelta(days=valid_days) if valid_days else None,
            issued_by="公司售后培训中心",
            notes="岗前培训考试合格（演示数据）",
        )
