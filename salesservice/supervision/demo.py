"""Demo records of the supervision app for `manage.py load_demo` — never fatal, idempotent.

- A mystery-shopping check 神秘顾客 of 上海徐汇店 by the auditor 钱监督, completed with a failed item: an open
  finding owned by the store manager 张徐汇 (SUV-2).
- A completed store-manager spot check 店长抽查 of the same store, all items passed (SUV-3).
- A cross-department issue between 售后服务部 and 仓储部 (COM-1).
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from salesservice.core.models import OrgUnit, User

logger = logging.getLogger(__name__)

MYSTERY_TITLE = "上海徐汇店神秘顾客暗访"
SPOT_TITLE = "店长抽查：售后接待与回访"
ISSUE_TITLE = "售后备件出库时效协调"


def _user(name):
    return User.objects.filter(username=name).first()


def load_demo() -> None:
    try:
        with transaction.atomic():
            _load()
    except Exception:  # a demo story that cannot be told is skipped, never fatal
        logger.warning("supervision demo skipped", exc_info=True)


def _load() -> None:
    from . import services
    from .choices import CheckMethod
    from .models import CoordinationIssue, SupervisionCheck

    auditor, manager = _user("auditor"), _user("xuhui_manager")
    store = OrgUnit.objects.filter(code="sh-xuhui").first()
    if auditor is None or manager is None or store is None:
        return
    today = timezone.localdate()
    if not SupervisionCheck.objects.filter(title=MYSTERY_TITLE).exists():
        check = services.check_plan(
            actor=auditor,
            org_unit=store,
            method=CheckMethod.MYSTERY_SHOPPING,
            title=MYSTERY_TITLE,
            planned_on=today,
            items=["进店 30 秒内有人接待", "准确介绍商品保修政策", "主动留下服务热线并说明回访"],
        )
        services.check_start(actor=auditor, check_id=check.pk)
        items = list(check.items.order_by("position"))
        services.check_complete(
            actor=auditor,
            check_id=check.pk,
            results=[
                {"item": items[0].pk, "result": "pass"},
                {"item": items[1].pk, "result": "fail", "note": "店员未能说明保修期起算日"},
                {"item": items[2].pk, "result": "pass"},
            ],
            summary="接待及时，服务热线告知到位；保修政策讲解不准确。",
            improvements="组织保修政策培训，一周内复查。",
            finding_owner=manager,
            rectification_deadline=today + dt.timedelta(days=5),
        )
    if not SupervisionCheck.objects.filter(title=SPOT_TITLE).exists():
        check = services.check_plan(
            actor=manager,
            org_unit=store,
            method=CheckMethod.SPOT_CHECK,
            title=SPOT_TITLE,
            planned_on=today - dt.timedelta(days=3),
            items=["受理登记完整", "24 小时内首次联系", "完工后回访记录"],
        )
        services.check_start(actor=manager, check_id=check.pk)
        services.check_complete(
            actor=manager,
            check_id=check.pk,
            results=[{"item": item.pk, "result": "pass"} for item in check.items.all()],
            summary="抽查 5 单，均符合要求。",
        )
    service_dept = OrgUnit.objects.filter(code="dept-service").first()
    warehouse = OrgUnit.objects.filter(code="dept-warehouse").first()
    head = _user("hq_service_manager")
    if service_dept and warehouse and head and not CoordinationIssue.objects.filter(title=ISSUE_TITLE).exists():
        services.issue_open(
            actor=auditor,
            title=ISSUE_TITLE,
            description="门店反映维修备件出库平均 3 天，影响维修时限；需售后服务部与仓储部协调出库流程。",
            responsible_department=service_dept,
            responsible_person=head,
            departments=[service_dept, warehouse],
            deadline=today + dt.timedelta(days=10),
        )
