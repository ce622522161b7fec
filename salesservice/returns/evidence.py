"""Compliance evidence of returns (issue 16 §4): RET-2 — eligible returns decided within the handling deadline
(`returns.handling_hours` on the SLA calendar), no stalling."""

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Period, evidence, rate

from .models import ReturnRequest


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
