"""Compliance evidence of the follow-ups (issue 16 §4): FBK-2 — every service customer followed up, against the
coverage target in force (`feedback.follow_up_coverage_target`, 100 %)."""

from decimal import Decimal

from django.db.models import Exists, OuterRef
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
    done = Exists(FollowUp.objects.filter(service_request=OuterRef("pk"), completed_at__isnull=False))
    scheduled = Exists(FollowUp.objects.filter(service_request=OuterRef("pk")))
    annotated = closed.annotate(done=done, scheduled=scheduled)
    missing = annotated.filter(done=False).order_by("closed_at").values("pk", "number")[:20]
    return rate(
        "结案服务单的回访覆盖率",
        good=annotated.filter(done=True).count(),
        total=closed.count(),
        target=target,
        noun="单",
        good_label="已回访",
        shortfalls=[(row["number"], reverse("service:request-detail", args=[row["pk"]])) for row in missing],
        records_url=reverse("feedback:coverage") + f"?start={period.start}&end={period.end}",
        extra=(Figure("已安排回访", annotated.filter(scheduled=True).count(), "单"),),
    )
