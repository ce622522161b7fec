"""Demo records of the network app for `manage.py load_demo` (idempotent).

Three outsourced service points (NET-*): one active in Shanghai with the demo dispatcher login, one in 华南区
stopped from dispatch after repeated violations (NET-3), each rung with its notice, one in 杭州 at its second
warning (限期整改); technicians with three quarters of training — Shanghai below 80 % last quarter, one technician
stopped after three failed quarters (NET-4); a region evaluation approved and one submitted (NET-5); then the
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

    if "WX-HZ-003" not in existing:  # NET-3: a provider at its second warning — the rectifying rung
        provider = services.provider_create(
            actor=actor,
            code="WX-HZ-003",
            name="杭州西湖家电安装网点",
            org_unit=OrgUnit.objects.get(code="hz-xihu"),
            contact_name="沈经理",
            phone="0571-87001234",
            address="杭州市西湖区文三路 100 号",
            categories=appliance,
        )
        today = timezone.localdate()
        for text in ("安装后未试机即离开，顾客投诉", "上门未穿工服、未出示工牌"):
            services.violation_record(
                actor=actor, provider_id=provider.pk, occurred_on=today, item="conduct", description=text
            )

    _load_training(actor)
    _load_evaluations(actor)

    from .choices import ReportKind
    from .reports import provider_report_generate

    for kind in ReportKind.values:  # once per period: a second load finds them
        provider_report_generate(kind=kind, today=timezone.localdate())


TECHNICIANS = {
    # NET-4: 上海 — last quarter 3 of 5 passed (60 %, flagged); 钱师傅 failed three quarters running → stopped.
    "WX-SH-001": [
        ("钱师傅", "空调安装", (False, False, False)),
        ("孙师傅", "热水器维修", (True, True, True)),
        ("李师傅", "空调维修", (True, False, True)),
        ("周师傅", "电视安装", (True, False, False)),  # two in a row: a third stops him
        ("吴师傅", "洗衣机维修", (True, True, True)),
    ],
    # 杭州 — all passed last quarter (100 %).
    "WX-HZ-003": [
        ("郑师傅", "空调安装", (True, True, True)),
        ("王师傅", "厨电安装", (False, True, True)),
        ("冯师傅", "热水器安装", (True, True, True)),
    ],
}


def _load_training(actor) -> None:
    """Technicians with three quarters of training results, then the close of the last quarter (NET-4)."""
    from .training import (
        previous_quarter,
        quarter_bounds,
        quarter_of,
        technician_add,
        training_quarter_close,
        training_record,
    )

    today = timezone.localdate()
    last = previous_quarter(quarter_of(today))
    quarters = [previous_quarter(previous_quarter(last)), previous_quarter(last), last]
    for code, people in TECHNICIANS.items():
        provider = ServiceProvider.objects.filter(code=code).first()
        if provider is None or provider.technicians.exists():
            continue
        for name, skills, results in people:
            technician = technician_add(
                actor=actor, provider_id=provider.pk, name=name, phone="13700000000", skills=skills
            )
            technician.added_at = timezone.now() - dt.timedelta(days=400)
            technician.save(update_fields=["added_at"])
            for quarter, passed in zip(quarters, results, strict=True):
                start, _end = quarter_bounds(quarter)
                training_record(
                    actor=actor,
                    technician_id=technician.pk,
                    quarter=quarter,
                    trained_on=start + dt.timedelta(days=14),
                    topic="安装服务规范与安全操作（理论 + 实操）",
                    score=88 if passed else 52,
                    passed=passed,
                )
    training_quarter_close(today=today)  # once per provider and quarter


def _load_evaluations(actor) -> None:
    """NET-5: 华东区's manager evaluated 上海 (approved, proposing a new point) and 杭州 (submitted)."""
    from .evaluations import evaluation_approve, evaluation_create, evaluation_submit

    manager = User.objects.get(username="east_manager")
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    plans = [
        (
            "WX-SH-001",
            "keep",
            True,
            dict(
                propose_new_point=True,
                new_point_area="上海闵行区",
                new_point_reason="闵行区顾客上门距离超过 25 公里，平均上门超时",
            ),
        ),
        ("WX-HZ-003", "rectify", False, {}),
    ]
    for code, conclusion, approve, extra in plans:
        provider = ServiceProvider.objects.filter(code=code).first()
        if provider is None or provider.evaluations.exists():
            continue
        evaluation = evaluation_create(
            actor=manager,
            provider_id=provider.pk,
            period_start=start,
            period_end=today,
            scores={"punctuality": 75, "attitude": 85, "workmanship": 70, "cleanliness": 80, "conduct": 65},
            conclusion=conclusion,
            comment="按季度考察：投诉集中在上门及时性和行为规范。",
            **extra,
        )
        evaluation_submit(actor=manager, evaluation_id=evaluation.pk)
        if approve:
            evaluation_approve(actor=actor, evaluation_id=evaluation.pk, note="同意，请区部推进新网点建点考察")
