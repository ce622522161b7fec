"""The SLA sweep — SRV-2 (seed 002 §6.6.2), run every minute by Celery (`service.sla_sweep`) and on demand
by `manage.py sla_sweep [--at ISO-8601]`.

As of `now` it
  (a) records a first-contact breach once for each running request whose `first_contact_due_at` has
      passed with no contact, and alerts the store's CS supervisors and store managers;
  (b) escalates each running request past `escalation_due_at` one level (store 0 → region 1 → HQ 2)
      per missed deadline, recording the breach and an `Escalation` row, setting the next deadline
      (`old deadline + escalation_hours`, business time) and notifying the new level's managers; past
      the HQ deadline it records that breach once and goes no further;
  (c) warns the assignee once when a deadline is within `service.deadline_warning_minutes`.

Safe to run twice and on two workers at once: due rows are taken in batches with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers instead), every condition
is checked again on the locked row, and unique constraints (breach per request/clock/level, escalation
per request/level) stop a duplicate even if a check were wrong. Each query reads one partial index
on a due column, so the cost follows the number of due requests, never the number open (DESIGN §8).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.choices import NotificationLevel
from salesservice.core.events import record_event
from salesservice.core.notifications import notify
from salesservice.core.policy import policy_value

from .choices import MAX_ESCALATION_LEVEL, RUNNING_STATUSES, EscalationLevel, EventType, SlaClock
from .models import Escalation, ServiceRequest, SlaBreach
from .services import level_managers, request_url, store_supervisors
from .sla import SlaTermsBook

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class SweepResult:
    first_contact_breaches: int = 0
    escalations: int = 0
    escalation_breaches: int = 0
    warnings: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


# --- the work lists (each on a partial index) -------------------------------------------------


def first_contact_due(now: dt.datetime):
    return ServiceRequest.objects.filter(
        status__in=RUNNING_STATUSES,
        first_contacted_at__isnull=True,
        first_contact_breached_at__isnull=True,
        first_contact_due_at__lte=now,
    )


def escalation_due(now: dt.datetime):
    return ServiceRequest.objects.filter(
        status__in=RUNNING_STATUSES, escalation_exhausted_at__isnull=True, escalation_due_at__lte=now
    )


def first_contact_warnings_due(now: dt.datetime, warning: dt.timedelta):
    return ServiceRequest.objects.filter(
        status__in=RUNNING_STATUSES,
        first_contacted_at__isnull=True,
        first_contact_breached_at__isnull=True,
        warned_first_contact_at__isnull=True,
        first_contact_due_at__gt=now,
        first_contact_due_at__lte=now + warning,
    )


def escalation_warnings_due(now: dt.datetime, warning: dt.timedelta):
    return ServiceRequest.objects.filter(
        status__in=RUNNING_STATUSES,
        escalation_exhausted_at__isnull=True,
        warned_escalation_at__isnull=True,
        escalation_due_at__gt=now,
        escalation_due_at__lte=now + warning,
    )


def _in_batches(queryset, order_field: str, handle: Callable, batch_size: int) -> None:
    """Lock and handle the rows of `queryset` a batch per transaction; rows another worker holds are skipped."""
    seen: set[int] = set()
    while True:
        with transaction.atomic():
            batch = queryset.exclude(pk__in=seen) if seen else queryset
            batch = batch.select_related("store").order_by(order_field, "pk")
            if connection.features.has_select_for_update_skip_locked:
                batch = batch.select_for_update(skip_locked=True, of=("self",))
            rows = list(batch[:batch_size])
            for row in rows:
                seen.add(row.pk)
                handle(row)
        if len(rows) < batch_size:
            return


def _record_breach(request, clock: str, level: int, due_at: dt.datetime, now: dt.datetime) -> bool:
    """Write the breach fact once; False when it was already recorded."""
    if SlaBreach.objects.filter(request=request, clock=clock, level=level).exists():
        return False
    try:
        with transaction.atomic():
            SlaBreach.objects.create(
                request=request,
                clock=clock,
                level=level,
                due_at=due_at,
                breached_at=now,
                overdue_seconds=max(int((now - due_at).total_seconds()), 0),
            )
    except IntegrityError:
        return False
    record_event(
        event_type=EventType.SLA_BREACHED,
        target=request,
        actor=None,
        new={"clock": clock, "level": level, "due_at": due_at.isoformat()},
    )
    return True


# --- the handlers (called on the locked row; they re-check everything) ----------------------


def _first_contact_breach(request: ServiceRequest, now: dt.datetime, result: SweepResult) -> None:
    if (
        request.status not in RUNNING_STATUSES
        or request.first_contacted_at is not None
        or request.first_contact_breached_at is not None
        or request.first_contact_due_at > now
    ):
        return
    created = _record_breach(
        request, SlaClock.FIRST_CONTACT, request.escalation_level, request.first_contact_due_at, now
    )
    request.first_contact_breached_at = now
    request.save(update_fields=["first_contact_breached_at", "updated_at"])
    if not created:
        return
    result.first_contact_breaches += 1
    notify(
        recipients=store_supervisors(request.store_id),
        title=_("首次联系超时：%(number)s") % {"number": request.number},
        body=_("%(store)s 的服务单 %(number)s 已超过首次联系时限（%(due)s），尚未联系客户。")
        % {
            "store": request.store.name,
            "number": request.number,
            "due": timezone.localtime(request.first_contact_due_at).strftime("%m-%d %H:%M"),
        },
        url=request_url(request),
        kind="service.first_contact_breach",
        level=NotificationLevel.URGENT,
    )


def _escalate(request: ServiceRequest, now: dt.datetime, book: SlaTermsBook, result: SweepResult) -> None:
    if (
        request.status not in RUNNING_STATUSES
        or request.escalation_exhausted_at is not None
        or request.escalation_due_at > now
    ):
        return
    terms = book.terms_at(request.received_at)
    while request.escalation_due_at <= now:
        level, due = request.escalation_level, request.escalation_due_at
        if _record_breach(request, SlaClock.ESCALATION, level, due, now):
            result.escalation_breaches += 1
        if level >= MAX_ESCALATION_LEVEL:
            request.escalation_exhausted_at = now
            notify(
                recipients=level_managers(request.store, level),
                title=_("总部级处理仍超时：%(number)s") % {"number": request.number},
                body=_("服务单 %(number)s 已升级至总部，仍未在时限（%(due)s）内解决。")
                % {"number": request.number, "due": timezone.localtime(due).strftime("%m-%d %H:%M")},
                url=request_url(request),
                kind="service.escalation_exhausted",
                level=NotificationLevel.URGENT,
            )
            break
        next_due = terms.add(due, terms.escalation)
        try:
            with transaction.atomic():
                Escalation.objects.create(
                    request=request,
                    from_level=level,
                    to_level=level + 1,
                    due_at=due,
                    at=now,
                    next_due_at=next_due,
                    reason=_("超过升级时限未解决"),
                )
        except IntegrityError:  # another worker did it: take the row as it now is
            logger.warning("Escalation of %s to level %s already recorded", request.pk, level + 1)
            request.refresh_from_db()
            return
        request.escalation_level = level + 1
        request.escalation_due_at = next_due
        request.warned_escalation_at = None
        result.escalations += 1
        record_event(
            event_type=EventType.REQUEST_ESCALATED,
            target=request,
            actor=None,
            old={"escalation_level": level},
            new={"escalation_level": level + 1, "escalation_due_at": next_due.isoformat()},
        )
        notify(
            recipients=level_managers(request.store, level + 1),
            title=_("服务单升级至%(level)s：%(number)s")
            % {"level": EscalationLevel(level + 1).label, "number": request.number},
            body=_("%(store)s 的服务单 %(number)s 超过时限未解决（%(desc)s），已升级到%(level)s，请跟进。")
            % {
                "store": request.store.name,
                "number": request.number,
                "desc": request.description[:60],
                "level": EscalationLevel(level + 1).label,
            },
            url=request_url(request),
            kind="service.escalated",
            level=NotificationLevel.URGENT,
        )
    request.save(
        update_fields=[
            "escalation_level",
            "escalation_due_at",
            "escalation_exhausted_at",
            "warned_escalation_at",
            "updated_at",
        ]
    )


def _warn_recipients(request: ServiceRequest) -> list:
    if request.assignee_id:
        return [request.assignee]
    if request.provider_id:
        return list(request.provider.dispatchers.filter(is_active=True))
    return [request.created_by] if request.created_by_id else []


def _warn(request: ServiceRequest, now: dt.datetime, clock: str, warning, result: SweepResult) -> None:
    if request.status not in RUNNING_STATUSES:
        return
    if clock == SlaClock.FIRST_CONTACT:
        due, field = request.first_contact_due_at, "warned_first_contact_at"
        if request.first_contacted_at is not None or request.warned_first_contact_at is not None:
            return
    else:
        due, field = request.escalation_due_at, "warned_escalation_at"
        if request.warned_escalation_at is not None or request.escalation_exhausted_at is not None:
            return
    if not now < due <= now + warning:
        return
    setattr(request, field, now)
    request.save(update_fields=[field, "updated_at"])
    minutes = max(int((due - now).total_seconds() // 60), 0)
    notify(
        recipients=_warn_recipients(request),
        title=_("%(clock)s即将到期：%(number)s") % {"clock": SlaClock(clock).label, "number": request.number},
        body=_("距%(clock)s时限（%(due)s）还有约 %(minutes)s 分钟。")
        % {
            "clock": SlaClock(clock).label,
            "due": timezone.localtime(due).strftime("%m-%d %H:%M"),
            "minutes": minutes,
        },
        url=request_url(request),
        kind="service.deadline_warning",
        level=NotificationLevel.WARNING,
    )
    record_event(event_type=EventType.SLA_WARNED, target=request, actor=None, new={"clock": clock})
    result.warnings += 1


def sla_sweep(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """SRV-2: record first-contact breaches, escalate overdue requests, warn before deadlines — as of `now`."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    result = SweepResult()
    book = SlaTermsBook()
    _in_batches(
        first_contact_due(now), "first_contact_due_at", lambda r: _first_contact_breach(r, now, result), batch_size
    )
    _in_batches(escalation_due(now), "escalation_due_at", lambda r: _escalate(r, now, book, result), batch_size)
    warning = dt.timedelta(minutes=int(policy_value("service.deadline_warning_minutes", now)))
    if warning:
        _in_batches(
            first_contact_warnings_due(now, warning),
            "first_contact_due_at",
            lambda r: _warn(r, now, SlaClock.FIRST_CONTACT, warning, result),
            batch_size,
        )
        _in_batches(
            escalation_warnings_due(now, warning),
            "escalation_due_at",
            lambda r: _warn(r, now, SlaClock.ESCALATION, warning, result),
            batch_size,
        )
    return result
