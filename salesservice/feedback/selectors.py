"""Reads of the feedback app that need care: scoped (INF-1), prefetched (no N+1), aggregated in the DB.

- Lists: follow-ups, survey responses (with answers), suggestions.
- FBK-2 coverage report: closed service requests vs followed up, per store and per ISO week, against
  the policy target `feedback.follow_up_coverage_target`.
- FBK-4 satisfaction metrics (CSAT, NPS) by store, staff, product and month (`metrics.py`).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from salesservice.core.policy import policy_value
from salesservice.core.scoping import visible_unit_ids

from . import metrics
from .choices import OPEN_FOLLOW_UP_STATUSES
from .models import FollowUp, Suggestion, SurveyAnswer, SurveyResponse, SurveyTemplate


def follow_up_list(user) -> QuerySet:
    """Follow-ups `user` may see, with what a list row shows."""
    return FollowUp.objects.visible_to(user).select_related(
        "customer", "store", "assignee", "service_request", "opened_service_request"
    )


def my_due_follow_ups(user, now: dt.datetime | None = None) -> QuerySet:
    """The workbench queue: open follow-ups assigned to the user, due by the end of today (FBK-1 remind)."""
    now = now or timezone.now()
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    return (
        follow_up_list(user)
        .filter(assignee=user, status__in=OPEN_FOLLOW_UP_STATUSES, due_at__lte=end_of_day)
        .order_by("due_at", "pk")
    )


def survey_response_list(user) -> QuerySet:
    """Responses `user` may see (their stores' results), with their answers and questions prefetched."""
    return (
        SurveyResponse.objects.visible_to(user)
        .select_related("customer", "store", "staff", "product", "template", "service_request")
        .prefetch_related(
            Prefetch("answers", queryset=SurveyAnswer.objects.select_related("question").order_by("question__order"))
        )
    )


def suggestion_list(user) -> QuerySet:
    return Suggestion.objects.visible_to(user).select_related("store", "triaged_by")


def survey_template_list(user) -> QuerySet:
    return (
        SurveyTemplate.objects.visible_to(user)
        .prefetch_related("questions")
        .annotate(response_count=Count("responses", distinct=True))
    )


def answers_visible_to(user) -> QuerySet:
    """Survey answers of the responses `user` may see."""
    if user is None or not user.is_authenticated:
        return SurveyAnswer.objects.none()
    units = None if user.is_superuser else visible_unit_ids(user)
    queryset = SurveyAnswer.objects.all()
    return queryset if units is None else queryset.filter(response__store_id__in=units)


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time()), zone),
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()), zone),
    )


def coverage_report(user, *, start: dt.date, end: dt.date) -> dict:
    """FBK-2: service requests closed between `start` and `end` (local dates, inclusive) in the user's
    scope; how many have a follow-up scheduled and how many were followed up (done), per store and per
    ISO week, against the coverage target in force at the end of the period. Three queries."""
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    since, until = _local_bounds(start, end)
    target = Decimal(str(policy_value("feedback.follow_up_coverage_target", min(until, timezone.now()))))
    closed = (
        ServiceRequest.objects.visible_to(user)
        .filter(status=ServiceRequestStatus.CLOSED, closed_at__gte=since, closed_at__lt=until)
        .annotate(
            has_follow_up=Exists(FollowUp.objects.filter(service_request=OuterRef("pk"))),
            followed_up=Exists(FollowUp.objects.filter(service_request=OuterRef("pk"), completed_at__isnull=False)),
        )
    )
    counts = {
        "closed": Count("pk"),
        "scheduled": Count("pk", filter=Q(has_follow_up=True)),
        "done": Count("pk", filter=Q(followed_up=True)),
    }

    def row(values: dict, **extra) -> dict:
        coverage = _pct(values["done"], values["closed"])
        return {
            **extra,
            "closed": values["closed"],
            "scheduled": values["scheduled"],
            "done": values["done"],
            "coverage": coverage,
            "meets_target": coverage is not None and coverage >= target,
        }

    stores = [
        row(values, store_id=values["store_id"], store=values["store__name"])
        for values in closed.values("store_id", "store__name").annotate(**counts).order_by("store__name")
    ]
    weeks = []
    for values in (
        closed.annotate(week=TruncWeek("closed_at", tzinfo=timezone.get_current_timezone()))
        .values("week")
        .annotate(**counts)
        .order_by("week")
    ):
        year, week, _day = values["week"].isocalendar()
        weeks.append(row(values, week=f"{year}-W{week:02d}", week_start=values["week"].date()))
    total = closed.aggregate(**counts)
    return {
        "start": start,
        "end": end,
        "target": target,
        "total": row(total),
        "stores": stores,
        "weeks": weeks,
    }


def metrics_report(user, *, start: dt.date, end: dt.date, store_id: int | None = None) -> dict:
    """FBK-4: CSAT and NPS overall and by store, staff, product and month within the user's scope."""
    since, until = _local_bounds(start, end)
    answers = answers_visible_to(user).filter(response__submitted_at__gte=since, response__submitted_at__lt=until)
    if store_id:
        answers = answers.filter(response__store_id=store_id)
    return {
        "start": start,
        "end": end,
        "overall": metrics.summarise(answers),
        "by_month": metrics.metrics_by(answers, "month"),
        "by_store": metrics.metrics_by(answers, "store"),
        "by_staff": metrics.metrics_by(answers, "staff"),
        "by_product": metrics.metrics_by(answers, "product"),
    }
