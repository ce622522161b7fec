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
    not_yet_due = Exists(
        FollowUp.objects.filter(service_request=OuterRef("pk"), completed_at__isnull=True, due_at__gt=timezone.now())
    )
    # a follow-up still scheduled for later is not a miss yet; it counts once its due time has passed
    annotated = closed.annotate(done=done, scheduled=scheduled, not_yet_due=not_yet_due).exclude(
        done=False, not_yet_due=True
    )
    missing = annotated.filter(done=False).order_by("closed_at").values("pk", "number")[:20]
    return rate(
        "结案服务单的回访覆盖率",
        good=annotated.filter(done=True).count(),
        total=annotated.count(),
        target=target,
        noun="单",
        good_label="已回访",
        shortfalls=[(row["number"], reverse("service:request-detail", args=[row["pk"]])) for row in missing],
        records_url=reverse("feedback:coverage") + f"?start={period.start}&end={period.end}",
        extra=(Figure("已安排回访", annotated.filter(scheduled=True).count(), "单"),),
        note="回访未到期的服务单不计入",
    )
