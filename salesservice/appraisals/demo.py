"""Demo data of the appraisals app (idempotent): KPI definitions for cs_rep, engineer and sales_rep (KPI-1, KPI-2,
KPI-6), twelve finalised monthly cycles of history for the demo staff and the current open cycle (KPI-3…KPI-5)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

DEFINITIONS = [
    # post, code, name, metric, weight, target, higher_is_better
    ("cs_rep", "first-contact", "首次联系及时率", "sla_first_contact", 40, "95", True),
    ("cs_rep", "csat", "客户满意度", "csat", 30, "4.5", True),
    ("cs_rep", "complaint-csat", "投诉处理满意度", "complaint_satisfaction", 20, "4", True),
    ("cs_rep", "training", "培训完成率", "training_completion", 10, "100", True),
    ("engineer", "csat", "客户满意度", "csat", 50, "4.5", True),
    ("engineer", "return-success", "退换货处理成功率", "return_success", 20, "90", True),
    ("engineer", "training", "培训完成率", "training_completion", 30, "100", True),
    ("sales_rep", "sales-plan", "销售计划完成率", "sales_vs_plan", 50, "100", True),
    ("sales_rep", "on-time", "订单按时交付率", "order_on_time", 30, "95", True),
    ("sales_rep", "complaint-csat", "投诉处理满意度", "complaint_satisfaction", 20, "4", True),
]


def ensure_definitions() -> None:
    from .models import KpiDefinition

    for post, code, name, metric, weight, target, higher in DEFINITIONS:
        KpiDefinition.objects.get_or_create(
            post=post,
            code=code,
            defaults=dict(name=name, metric=metric, weight=weight, target=Decimal(target), higher_is_better=higher),
        )


def load_demo() -> None:
    """KPI definitions; 12 finalised monthly cycles (evaluated by the unit's manager, finalised by HR) and the current
    open one. Reruns add nothing."""
    from salesservice.core.models import User

    from . import services
    from .choices import AppraisalStatus, CustomerSource, CycleKind
    from .models import Appraisal

    ensure_definitions()
    today = timezone.localdate()
    first = today.replace(day=1)
    months = []
    cursor = first
    for _ in range(13):
        months.append(cursor)
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
    hr = User.objects.filter(username="hr_trainer").first()
    managers = {u.username: u for u in User.objects.filter(username__in=["xuhui_manager", "east_manager", "gm"])}
    for index, month_first in enumerate(reversed(months)):  # oldest first; the last (this month's 1st) stays open
        cycle = services.cycle_open(actor=None, kind=CycleKind.MONTHLY, today=month_first)
        if month_first == first:
            break
        pending = (
            Appraisal.objects.filter(cycle=cycle).exclude(status=AppraisalStatus.FINALISED).select_related("appraisee")
        )
        for number, appraisal in enumerate(pending):
            wobble = Decimal((index * 7 + number * 5) % 17)
            if appraisal.status == AppraisalStatus.PENDING_SELF:
                services.appraisal_self_evaluate(
                    actor=appraisal.appraisee,
                    appraisal_id=appraisal.pk,
                    self_score=Decimal(80) + wobble / 2,
                    self_comment="按时完成本月工作。",
                )
            reviewer = managers.get("xuhui_manager") if appraisal.org_unit.code == "sh-xuhui" else managers.get("gm")
            if reviewer is None or reviewer.pk == appraisal.appraisee_id:
                continue
            services.appraisal_evaluate(
                actor=reviewer,
                appraisal_id=appraisal.pk,
                supervisor_score=Decimal(70) + wobble,
                attitude_score=Decimal(78) + wobble / 2,
                ability_score=Decimal(72) + wobble,
                customer_score=Decimal(85),
                customer_source=CustomerSource.SURVEY,
                supervisor_comment="表现稳定。",
            )
            services.appraisal_finalise(actor=hr, appraisal_id=appraisal.pk, result_note="按制度执行。")
        if (
            cycle.status == "open"
            and not Appraisal.objects.filter(cycle=cycle).exclude(status=AppraisalStatus.FINALISED).exists()
        ):
            services.cycle_close(actor=hr, cycle_id=cycle.pk)
