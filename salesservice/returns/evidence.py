"""Compliance evidence of returns (issue 16 §4): RET-1 — every request answered by the published return policy
(the windows in force and the exclusion rules), citing the rule to the customer; RET-2 — eligible returns decided
within the handling deadline (`returns.handling_hours` on the SLA calendar), no stalling."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, evidence, rate

from .models import ReturnRequest, ReturnRule

# RET-1: the published windows (returns/policy_defaults.py), shown with the evidence as they were in force
POLICY_WINDOWS = (
    ("returns.no_reason_days", "无理由退货期（远程销售）"),
    ("returns.quality_return_days", "质量问题退货期"),
    ("returns.quality_exchange_days", "质量问题换货期"),
)


def _list_url(period: Period) -> str:
    query = f"?requested_after={period.start}&requested_before={period.end}"
    if period.unit is not None and period.unit.kind == "store":
        query += f"&store={period.unit.pk}"
    return reverse("returns:returns") + query


@evidence("RET-1")
def answered_by_published_policy(period: Period) -> Evidence:
    """退换货按公布的政策判定并告知客户依据"""
    from salesservice.core.exceptions import DomainError
    from salesservice.core.policy import policy_value

    requests = ReturnRequest.objects.in_unit(period.unit).filter(**period.during("requested_at"))
    uncited = Q(rule_cited="") | Q(eligibility={})
    counts = requests.aggregate(total=Count("pk"), uncited=Count("pk", filter=uncited))
    if not counts["total"]:
        return Evidence.none("退换货申请按公布的退换货政策判定，并向客户说明依据条款")
    _start, until = period.bounds
    extra = []
    for key, label in POLICY_WINDOWS:
        try:
            extra.append(Figure(label, policy_value(key, min(until, timezone.now())), "天"))
        except DomainError:
            extra.append(Figure(label, "未设定", ""))
    extra.append(Figure("生效的排除规则", ReturnRule.objects.filter(is_active=True).count(), "条"))
    rows = requests.filter(uncited).order_by("requested_at").values("pk", "number")[:20] if counts["uncited"] else []
    return rate(
        "退换货申请按公布的退换货政策判定，并向客户说明依据条款",
        good=counts["total"] - counts["uncited"],
        total=counts["total"],
        noun="单",
        good_label="有判定结果与依据条款",
        shortfalls=[(row["number"], reverse("returns:return-detail", args=[row["pk"]])) for row in rows],
        records_url=_list_url(period),
        extra=tuple(extra),
        note="政策在门店、网站等处的公示本系统无记录；此处证明每张申请都按生效的政策判定并引用了条款",
    )


@evidence("RET-2")
def handled_in_time(period: Period) -> Evidence:
    """退换货按时处理"""
    requests = ReturnRequest.objects.in_unit(period.unit).filter(
        handling_due_at__isnull=False, **period.during("requested_at")
    )
    due = requests.filter(Q(decided_at__isnull=False) | Q(handling_due_at__lt=timezone.now()))
    late = due.filter(Q(decided_at__gt=F("handling_due_at")) | Q(decided_at__isnull=True))
    rows = late.order_by("requested_at").values("pk", "number")[:20]
    total = due.count()
    return rate(
        "退换货申请在处理时限内审批",
        good=total - late.count(),
        total=total,
        noun="单",
        good_label="按时处理",
        shortfalls=[(row["number"], reverse("returns:return-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("returns:returns"),
        note="未到期且尚未审批的申请不计入",
    )
