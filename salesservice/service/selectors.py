"""Reads of the service desk that need care: scoped (INF-1), prefetched (no N+1), on indexed columns.

The workbench queues (issue 4): my open requests, due within the hour, overdue, unassigned in my
units, escalated to my level. Lists and archive (SRV-9): by time, type and responsible person.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from salesservice.core.choices import OrgUnitKind
from salesservice.core.scoping import visible_unit_ids
from salesservice.customers.models import Customer

from .choices import OPEN_STATUSES, RUNNING_STATUSES, KnowledgeStatus
from .choices import ServiceRequestStatus as S
from .models import (
    Acceptance,
    Escalation,
    KnowledgeArticle,
    ServiceRequest,
    SlaBreach,
    WorkRecord,
    dispatcher_provider_ids,
)


def service_request_list(user) -> QuerySet:
    """Requests `user` may see, with what a list row shows (customer, store, product, people, breaches)."""
    return (
        ServiceRequest.objects.visible_to(user)
        .select_related("customer", "store", "product", "assignee", "provider", "created_by")
        .prefetch_related(Prefetch("sla_breaches", queryset=SlaBreach.objects.order_by("breached_at", "id")))
    )


def service_request_get(user, pk) -> ServiceRequest:
    """One request with its detail relations; `ServiceRequest.DoesNotExist` when out of scope (→ 404)."""
    return (
        service_request_list(user)
        .select_related("product__category")
        .prefetch_related(
            Prefetch("escalations", queryset=Escalation.objects.order_by("to_level")),
            Prefetch(
                "work_records",
                queryset=WorkRecord.objects.select_related("recorded_by").prefetch_related("custody_items"),
            ),
            Prefetch("acceptances", queryset=Acceptance.objects.select_related("recorded_by")),
        )
        .get(pk=pk)
    )


def service_request_search(queryset: QuerySet, text: str) -> QuerySet:
    """`q`: the number (prefix), the description or the customer's name (substring; Chinese works), or the
    exact serial number. The matching customers are looked up first (at most `SEARCH_CUSTOMER_LIMIT`) so
    that, on PostgreSQL, each branch is an index (trigram, migration `service/0003`; the customer and
    serial-number columns) and the OR a bitmap of them, not a scan of every request under the list order."""
    text = (text or "").strip()
    if not text:
        return queryset
    customers = Customer.objects.filter(name__icontains=text).values_list("pk", flat=True)
    customer_ids = list(customers[: SEARCH_CUSTOMER_LIMIT + 1])
    if len(customer_ids) > SEARCH_CUSTOMER_LIMIT:  # a very common word: let the database join instead
        customer_ids = customers
    condition = Q(number__istartswith=text) | Q(description__icontains=text) | Q(serial_number=text)
    if customer_ids:
        condition |= Q(customer_id__in=customer_ids)
    return queryset.filter(condition)


SEARCH_CUSTOMER_LIMIT = 1000


# --- workbench queues ----------------------------------------------------------------------


def my_open(user) -> QuerySet:
    """Requests the user is responsible for and not finished (as engineer, or as a provider's dispatcher)."""
    condition = Q(assignee=user)
    provider_ids = dispatcher_provider_ids(user)
    if provider_ids:
        condition |= Q(provider_id__in=provider_ids)
    return (
        service_request_list(user)
        .filter(condition)
        .filter(status__in=OPEN_STATUSES)
        .order_by("escalation_due_at", "pk")
    )


def due_within(user, minutes: int = 60, now: dt.datetime | None = None) -> QuerySet:
    """Running requests with a deadline (first contact or escalation) in the next `minutes`."""
    now = now or timezone.now()
    until = now + dt.timedelta(minutes=minutes)
    return (
        service_request_list(user)
        .filter(status__in=RUNNING_STATUSES)
        .filter(
            Q(escalation_due_at__gt=now, escalation_due_at__lte=until)
            | Q(first_contacted_at__isnull=True, first_contact_due_at__gt=now, first_contact_due_at__lte=until)
        )
        .order_by("escalation_due_at", "pk")
    )


def overdue(user, now: dt.datetime | None = None) -> QuerySet:
    """Running requests past a deadline: escalation, or first contact not made in time."""
    now = now or timezone.now()
    return (
        service_request_list(user)
        .filter(status__in=RUNNING_STATUSES)
        .filter(Q(escalation_due_at__lte=now) | Q(first_contacted_at__isnull=True, first_contact_due_at__lte=now))
        .order_by("escalation_due_at", "pk")
    )


def unassigned_in_my_units(user) -> QuerySet:
    """Requests waiting for dispatch in the user's units: received or contacted, nobody assigned."""
    return (
        service_request_list(user)
        .filter(status__in=(S.RECEIVED, S.CONTACTED), assignee__isnull=True, provider__isnull=True)
        .order_by("first_contact_due_at", "pk")
    )


def escalated_to_my_level(user) -> QuerySet:
    """Open requests escalated to the level the user manages: HQ staff level 2, a region's staff level 1
    for that region's stores. Store staff have no escalated queue (level 0 is the store's own work)."""
    queryset = service_request_list(user).filter(status__in=OPEN_STATUSES)
    if user.is_superuser or visible_unit_ids(user) is None:
        return queryset.filter(escalation_level=2).order_by("escalation_due_at", "pk")
    region_paths = [
        membership.org_unit.path
        for membership in user.memberships.select_related("org_unit")
        if membership.org_unit.kind == OrgUnitKind.REGION
    ]
    if not region_paths:
        return queryset.none()
    condition = Q()
    for path in region_paths:
        condition |= Q(store__path__startswith=path)
    return queryset.filter(condition, escalation_level__gte=1).order_by("escalation_due_at", "pk")


# --- knowledge base ------------------------------------------------------------------------


def knowledge_article_list(user) -> QuerySet:
    return KnowledgeArticle.objects.visible_to(user).select_related(
        "product", "product_category", "published_by", "created_by", "source_request"
    )


def knowledge_search(queryset: QuerySet, text: str) -> QuerySet:
    """Chinese search: every whitespace-separated term must appear in the title or body (substring)."""
    for term in (text or "").split():
        queryset = queryset.filter(search_text__icontains=term.lower())
    return queryset


def published_articles(user) -> QuerySet:
    return knowledge_article_list(user).filter(status=KnowledgeStatus.PUBLISHED)
