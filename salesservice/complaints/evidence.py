"""Compliance evidence of complaint handling (issue 16 §4): CMP-2 (reply within 2 h), CMP-5 (closing with root cause
and improvement), CMP-6 (handled to satisfaction) from the complaints' own records."""

from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.urls import reverse

from salesservice.core.evidence import Evidence, Figure, Period, evidence, rate

from .choices import ComplaintStatus as C
from .models import Complaint, ImprovementAction


def _list_url(period: Period, **extra) -> str:
    query = f"received_after={period.start}&received_before={period.end}"
    for key, value in extra.items():
        query += f"&{key}={value}"
    return reverse("complaints:complaints") + "?" + query


def _links(queryset):
    rows = queryset.order_by("received_at").values("pk", "number")[:20]
    return [(row["number"], reverse("complaints:complaint-detail", args=[row["pk"]])) for row in rows]


@evidence("CMP-2")
def first_reply_in_time(period: Period) -> Evidence:
    """2 小时内首次答复"""
    complaints = Complaint.objects.in_unit(period.unit).filter(**period.during("received_at"))
    due = complaints.filter(Q(first_responded_at__isnull=False) | Q(first_response_breached_at__isnull=False))
    late = due.filter(Q(first_responded_at__gt=F("first_response_due_at")) | Q(first_responded_at__isnull=True))
    late_count = late.count()
    total = due.count()
    return rate(
        "2 小时内首次答复",
        good=total - late_count,
        total=total,
        noun="件",
        good_label="按时答复",
        shortfalls=_links(late),
        records_url=_list_url(period),
        note="未到期且尚未答复的投诉不计入",
    )


@evidence("CMP-5")
def closed_with_root_cause(period: Period) -> Evidence:
    """结案有根本原因与改进措施"""
    closed = Complaint.objects.in_unit(period.unit).filter(status=C.CLOSED, **period.during("closed_at"))
    has_action = Exists(ImprovementAction.objects.filter(complaint=OuterRef("pk")))
    incomplete = closed.annotate(has_action=has_action).filter(Q(root_cause="") | Q(has_action=False))
    total = closed.count()
    missing = incomplete.count()
    return rate(
        "结案有根本原因与改进措施",
        good=total - missing,
        total=total,
        noun="件",
        good_label="原因与措施齐全",
        shortfalls=_links(incomplete),
        records_url=_list_url(period, status=C.CLOSED),
    )


@evidence("CMP-6")
def handled_to_satisfaction(period: Period) -> Evidence:
    """结案投诉跟踪到客户满意度"""
    closed = Complaint.objects.in_unit(period.unit).filter(status=C.CLOSED, **period.during("closed_at"))
    rated = closed.filter(satisfaction__isnull=False)
    figures = rated.aggregate(avg=Avg("satisfaction"), satisfied=Count("pk", filter=Q(satisfaction__gte=4)))
    extra = (Figure("满意（4–5 分）", figures["satisfied"], "件"),)
    if figures["avg"] is not None:
        extra += (Figure("平均满意度", round(figures["avg"], 2), "/5"),)
    return rate(
        "结案投诉跟踪到客户满意度",
        good=rated.count(),
        total=closed.count(),
        noun="件",
        good_label="有满意度记录",
        shortfalls=_links(closed.filter(satisfaction__isnull=True)),
        records_url=_list_url(period, status=C.CLOSED),
        extra=extra,
    )


@evidence("CMP-1")
def handling_deadline_promised(period: Period) -> Evidence:
    """受理投诉承诺处理时限"""
    complaints = Complaint.objects.in_unit(period.unit).filter(**period.during("received_at"))
    unpromised = complaints.filter(promised_by__isnull=True).exclude(status__in=[C.CANCELLED, C.WITHDRAWN])
    return rate(
        "受理的投诉已向客户承诺处理时限",
        good=complaints.count() - unpromised.count(),
        total=complaints.count(),
        noun="件",
        good_label="已承诺时限",
        shortfalls=_links(unpromised),
        records_url=_list_url(period),
    )
