"""Compliance evidence of the follow-ups (issue 16 §4): FBK-2 — every service customer followed up, against the
coverage target in force (`feedback.follow_up_coverage_target`, 100 %)."""

from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from salesservice.core.evidence import Evidence, Figure, Period, evidence, rate
from salesservice.core.policy import policy_value

from .models import FollowUp


@evidence("FBK-2")
def service_customers_followed_up(period: Period) -> Evidence:
    """服务客户回访覆盖率"""
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    _start, until = period.bounds
    target = Decimal(str(policy_value("feedback.follow_up_coverage_target", min(until, timezone.now()))))
    closed = ServiceRequest.objects.in_unit(period.unit).filter(
        status=ServiceRequestStatus.CLOSED, **period.during("closed_at")
    )
    # counted from the follow-ups' side (a small table) against the closed requests: a semi-join, not three
    # correlated subqueries per request (3 s → well under 1 s at 1 M requests)
    follow_ups = FollowUp.objects.filter(service_request__in=closed.values("pk"))
    done_requests = follow_ups.filter(completed_at__isnull=False).values("service_request")
    not_yet_due = follow_ups.filter(completed_at__isnull=True, due_at__gt=timezone.now()).exclude(
        service_request__in=done_requests
    )
    distinct = Count("service_request", distinct=True)
    good = follow_ups.filter(completed_at__isnull=False).aggregate(n=distinct)["n"]
    waiting = not_yet_due.aggregate(n=distinct)["n"]
    scheduled_count = follow_ups.aggregate(n=distinct)["n"]
    counts = {"total": closed.count() - waiting, "good": good, "scheduled": scheduled_count}
    missing = (
        closed.exclude(pk__in=done_requests)
        .exclude(pk__in=not_yet_due.values("service_request"))
        .order_by("closed_at")
        .values("pk", "number")[:20]
        if counts["total"] > good
        else []
    )
    return rate(
        "结案服务单的回访覆盖率",
        good=counts["good"],
        total=counts["total"],
        target=target,
        noun="单",
        good_label="已回访",
        shortfalls=[(row["number"], reverse("service:request-detail", args=[row["pk"]])) for row in missing],
        records_url=reverse("feedback:coverage") + f"?start={period.start}&end={period.end}",
        extra=(Figure("已安排回访", counts["scheduled"], "单"),),
        note="回访未到期的服务单不计入",
    )
