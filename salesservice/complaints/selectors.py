"""Reads of the complaints app that need care: scoped (INF-1), prefetched (no N+1), on indexed columns.

Lists and queues (CMP-2, CMP-5, CMP-7, CMP-8) and the analytics of CMP-6 (complaints by cause, product,
store, provider, month; complaint rate per 100 service requests).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from salesservice.core.choices import OrgUnitKind
from salesservice.core.scoping import visible_unit_ids

from .choices import OPEN_STATUSES, RUNNING_STATUSES, CompensationRequestStatus, ResponsibleParty
from .models import (
    CompensationEntry,
    CompensationRequest,
    Complaint,
    ComplaintBreach,
    ComplaintDecision,
    ComplaintEscalation,
    ImprovementAction,
    Recovery,
)


def complaint_list(user) -> QuerySet:
    """Complaints `user` may see, with what a list row shows."""
    return Complaint.objects.visible_to(user).select_related("customer", "store", "product", "handler")


def complaint_get(user, pk) -> Complaint:
    """One complaint with its detail relations; `Complaint.DoesNotExist` when out of scope (→ 404)."""
    return (
        complaint_list(user)
        .select_related("service_request", "responsible_provider", "responsible_user", "closed_by", "created_by")
        .prefetch_related(
            Prefetch("decisions", queryset=ComplaintDecision.objects.select_related("recorded_by")),
            Prefetch("escalations", queryset=ComplaintEscalation.objects.select_related("escalated_by")),
            Prefetch("breaches", queryset=ComplaintBreach.objects.order_by("breached_at", "id")),
            Prefetch("improvement_actions", queryset=ImprovementAction.objects.select_related("owner", "done_by")),
            Prefetch(
                "compensation_entries",
                queryset=CompensationEntry.objects.select_related("created_by", "approved_by").order_by("created_at"),
            ),
            Prefetch(
                "compensation_requests",
                queryset=CompensationRequest.objects.select_related("requested_by", "decided_by"),
            ),
            Prefetch("recoveries", queryset=Recovery.objects.select_related("provider", "staff", "settled_by")),
        )
        .get(pk=pk)
    )


def complaint_search(queryset: QuerySet, text: str) -> QuerySet:
    """`q`: the number (prefix), the subject or description, or the customer's name (substring)."""
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(number__istartswith=text)
        | Q(subject__icontains=text)
        | Q(description__icontains=text)
        | Q(customer__name__icontains=text)
    )


def overdue_condition(now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(status__in=RUNNING_STATUSES) & (
        Q(escalation_due_at__lte=now) | Q(first_responded_at__isnull=True, first_response_due_at__lte=now)
    )


def complaints_for_request(request) -> QuerySet:
    """The complaints escalated from a service request (shown on the request's page; the request is
    already scoped, and its complaints belong to the same store)."""
    return request.complaints.select_related("store", "handler").order_by("-received_at", "-id")


# --- workbench queues ----------------------------------------------------------------------


def my_open(user) -> QuerySet:
    return complaint_list(user).filter(handler=user, status__in=OPEN_STATUSES).order_by("escalation_due_at", "pk")


def first_response_overdue(user, now: dt.datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return (
        complaint_list(user)
        .filter(status__in=RUNNING_STATUSES, first_responded_at__isnull=True, first_response_due_at__lte=now)
        .order_by("first_response_due_at", "pk")
    )


def at_my_level(user) -> QuerySet:
    """Open complaints at the level the user manages: HQ staff level 2, a region's staff level ≥ 1 of its stores."""
    queryset = complaint_list(user).filter(status__in=OPEN_STATUSES)
    if user.is_superuser or visible_unit_ids(user) is None:
        return queryset.filter(level=2).order_by("escalation_due_at", "pk")
    region_paths = [
        m.org_unit.path for m in user.memberships.select_related("org_unit") if m.org_unit.kind == OrgUnitKind.REGION
    ]
    if not region_paths:
        return queryset.none()
    condition = Q()
    for path in region_paths:
        condition |= Q(store__path__startswith=path)
    return queryset.filter(condition, level__gte=1).order_by("escalation_due_at", "pk")


def pending_approvals(user) -> QuerySet:
    """Over-limit payouts `user` may decide: visible, pending, needing a level the user reaches (a request's
    `required_level` is the lowest level whose limit covered the amount when it was made)."""
    from .compensation import authority_level

    if not user.has_perm("complaints.approve_compensation"):
        return CompensationRequest.objects.none()
    level = authority_level(user)
    return (
        CompensationRequest.objects.visible_to(user)
        .filter(status=CompensationRequestStatus.PENDING, required_level__lte=level, requested_level__lt=level)
        .select_related("complaint", "complaint__store", "requested_by")
        .order_by("requested_at", "pk")
    )


def improvement_action_list(user) -> QuerySet:
    """Actions on the complaints the user sees, plus those the user owns."""
    visible = ImprovementAction.objects.visible_to(user)
    return ImprovementAction.objects.filter(Q(pk__in=visible.values("pk")) | Q(owner=user)).select_related(
        "complaint", "complaint__store", "owner", "done_by"
    )


def recovery_list(user) -> QuerySet:
    return Recovery.objects.visible_to(user).select_related("complaint", "complaint__store", "provider", "staff",
                                                             "settled_by")  # fmt: skip


def ledger(user) -> QuerySet:
    return CompensationEntry.objects.visible_to(user).select_related("complaint", "created_by", "approved_by", "fund")


# --- analytics (CMP-6) ---------------------------------------------------------------------

GROUPS = {
    "responsible_party": "responsible_party",
    "product": "product__name",
    "store": "store__name",
    "provider": "responsible_provider__name",
    "month": "month",
}


def _month_key(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m") if timezone.is_aware(value) else value.strftime("%Y-%m")
    return value.strftime("%Y-%m")


def complaints_by(queryset: QuerySet, group: str) -> list[dict]:
    """Complaints of `queryset` grouped by cause (responsible party), product, store, provider or month:
    total, closed, major, with a recorded breach, average satisfaction."""
    key = GROUPS.get(group, "month")
    queryset = queryset.annotate(month=TruncMonth("received_at"))
    rows = (
        queryset.values(key)
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status="closed")),
            major=Count("pk", filter=Q(is_major=True)),
        )
        .order_by(key)
    )
    labels = dict(ResponsibleParty.choices)
    result = []
    for row in rows:
        value = row[key]
        if group == "month":
            label = _month_key(value)
        elif group == "responsible_party":
            label = str(labels.get(value, "")) or "未认定"
        else:
            label = value or "（未指定）"
        result.append({"group": label, "total": row["total"], "closed": row["closed"], "major": row["major"]})
    return result


def complaint_rate(user, *, since: dt.datetime | None = None) -> list[dict]:
    """CMP-6: complaints per 100 service requests, per store and month (both counted by receipt time)."""
    from salesservice.service.models import ServiceRequest

    complaints = Complaint.objects.visible_to(user)
    requests = ServiceRequest.objects.visible_to(user)
    if since is not None:
        complaints = complaints.filter(received_at__gte=since)
        requests = requests.filter(received_at__gte=since)
    counts: dict[tuple[str, str], dict] = defaultdict(lambda: {"complaints": 0, "requests": 0})
    for row in (
        complaints.annotate(month=TruncMonth("received_at")).values("store__name", "month").annotate(n=Count("pk"))
    ):
        counts[(row["store__name"], _month_key(row["month"]))]["complaints"] += row["n"]
    for row in (
        requests.annotate(month=TruncMonth("received_at")).values("store__name", "month").annotate(n=Count("pk"))
    ):
        counts[(row["store__name"], _month_key(row["month"]))]["requests"] += row["n"]
    result = []
    for (store, month), value in sorted(counts.items(), key=lambda item: (item[0][1], item[0][0])):
        rate = round(value["complaints"] * 100 / value["requests"], 2) if value["requests"] else None
        result.append({"store": store, "month": month, **value, "rate": rate})
    return result
