"""Demo records of the network app for `manage.py load_demo` (idempotent).

Two outsourced service points (NET-*): one active in Shanghai with the demo dispatcher login,
one in 华南区 stopped from dispatch after repeated violations (NET-3), each rung with its notice; then the
weekly service quality report of last week and the monthly roll-up of last month (NET-1, NET-2), as the
scheduler would have produced them.
"""

import datetime as dt

from django.utils import timezone

from salesservice.catalog.models import ProductCategory
from salesservice.core.models import OrgUnit, User

from . import services
from .choices import ProviderStatus
from .models import ServiceProvider


def load_demo() -> None:
    """Create what is missing; providers that already exist (by code) are left alone."""
    actor = User.objects.get(username="hq_service_manager")
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=["sh-xuhui", "south"])}
    appliance = list(ProductCategory.objects.filter(code="appliance"))
    existing = set(ServiceProvider.objects.values_list("code", flat=True))

    if "WX-SH-001" not in existing:
        services.provider_create(
            actor=actor,
            code="WX-SH-001",
            name="上海家电维修服务中心",
            org_unit=units["sh-xuhui"],
            contact_name="冯经理",
            phone="021-64001234",
            address="上海市徐汇区漕溪北路 88 号",
            categories=appliance,
            dispatchers=list(User.objects.filter(username="provider_dispatcher")),
        )

    if "WX-GZ-002" not in existing:
        provider = services.provider_create(
            actor=actor,
            code="WX-GZ-002",
            name="广州快修外协网点",
            org_unit=units["south"],
            contact_name="何经理",
            phone="020-38881234",
            address="广州市天河区天河北路 233 号",
            categories=appliance,
        )
        today = timezone.localdate()
        for days_ago, item, text in [
            (20, "punctuality", "上门服务迟到 3 小时且未提前告知顾客"),
            (12, "cleanliness", "维修后未清理现场，顾客投诉"),
            (5, "conduct", "未经顾客同意使用顾客设备试机"),
        ]:
            services.violation_record(
                actor=actor,
                provider_id=provider.pk,
                occurred_on=today - dt.timedelta(days=days_ago),
                item=item,
                description=text,
            )
        provider.refresh_from_db()
        if provider.status != ProviderStatus.DISPATCH_STOPPED:  # the three may straddle two months: the manager decides
            services.provider_change_status(
                actor=actor,
                provider_id=provider.pk,
                to_status=ProviderStatus.DISPATCH_STOPPED,
                reason="30 天内违规 3 次（迟到、未清理现场、擅自使用顾客设备），停止派工，待整改验收",
            )

    from .choices import ReportKind
    from .reports import provider_report_generate

    for kind in ReportKind.values:  # once per period: a second load finds them
        provider_report_generate(kind=kind, today=timezone.localdate())
