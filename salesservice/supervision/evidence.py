"""Compliance evidence of supervision (issue 16 §4): SUV-2 — findings closed only after someone other than their
owner verified the rectification, and closed by their deadline; SUV-1/SUV-3 — checks performed; COM-1 — the
cross-department issues resolved by their deadline."""

from django.db.models import Count, F, Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Figure, Period, count_only, evidence, rate

from .choices import CheckStatus, FindingStatus
from .models import CoordinationIssue, Finding, SupervisionCheck


@evidence("SUV-1")
@evidence("SUV-3")
def checks_performed(period: Period) -> Evidence:
    """完成的服务质量检查"""
    done = SupervisionCheck.objects.in_unit(period.unit).filter(
        status=CheckStatus.COMPLETED, **period.during("completed_at")
    )
    by_method = dict(done.values_list("method").annotate(n=Count("pk")).values_list("method", "n"))
    labels = dict(SupervisionCheck._meta.get_field("method").choices)
    extra = tuple(Figure(str(labels.get(key, key)), n, "次") for key, n in sorted(by_method.items()))
    return count_only(
        "完成的服务质量检查",
        count=sum(by_method.values()),
        noun="次",
        records_url=reverse("supervision:checks"),
        extra=extra,
    )


@evidence("SUV-2")
def findings_verified_before_closing(period: Period) -> Evidence:
    """整改项经他人验证后关闭且按期整改"""
    closed = Finding.objects.in_unit(period.unit).filter(status=FindingStatus.CLOSED, **period.during("closed_at"))
    bad = closed.filter(
        Q(verified_at__isnull=True) | Q(verified_by=F("owner")) | Q(rectified_at__date__gt=F("deadline"))
    )
    rows = bad.order_by("closed_at").values("pk", "number")[:20]
    return rate(
        "整改项经他人验证后关闭且按期整改",
        good=closed.count() - bad.count(),
        total=closed.count(),
        noun="项",
        good_label="按期整改并经验证",
        shortfalls=[(row["number"], reverse("supervision:finding-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("supervision:findings") + "?status=closed",
    )


@evidence("COM-1")
def issues_resolved_in_time(period: Period) -> Evidence:
    """跨部门协调事项按期解决"""
    issues = CoordinationIssue.objects.in_unit(period.unit).filter(**period.during("created_at"))
    resolved = issues.exclude(resolved_at__isnull=True)
    late = issues.filter(Q(resolved_at__date__gt=F("deadline")) | Q(resolved_at__isnull=True, deadline__lt=period.end))
    rows = late.order_by("deadline").values("pk", "number")[:20]
    return rate(
        "跨部门协调事项按期解决",
        good=issues.count() - late.count(),
        total=issues.count(),
        noun="项",
        good_label="按期解决或未到期",
        shortfalls=[(row["number"], reverse("supervision:issue-detail", args=[row["pk"]])) for row in rows],
        records_url=reverse("supervision:issues"),
        extra=(Figure("已解决", resolved.count(), "项"),),
    )
