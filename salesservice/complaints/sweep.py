"""The complaint sweep — CMP-2 (reply within 2 h) and CMP-7 (escalate what stays unresolved), run every minute
by Celery (`complaints.sla_sweep`) and on demand by `manage.py complaint_sweep [--at ISO-8601]`.

As of `now` it
  (a) records a first-response breach once for each running complaint past `first_response_due_at` with
      no reply, and alerts the managers of the complaint's current level;
  (b) raises each running complaint past `escalation_due_at` one level (store 0 → region 1 → HQ 2) per
      missed deadline, recording the breach and an automatic `ComplaintEscalation`, setting the next
      deadline (`old deadline + escalation_hours`, business time) and notifying the new level's managers;
      past the HQ deadline it records that breach once and goes no further.

Safe to run twice and on two workers at once — the same design as the service desk's sweep: due rows are
taken in batches with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, every condition is checked again on
the locked row, and unique constraints (breach per complaint/clock/level, escalation per complaint/level)
stop a duplicate. Each work list reads a partial index, so the cost follows the number due.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.bulk import locked_batches
from salesservice.core.choices import NotificationLevel
from salesservice.core.directory import level_managers
from salesservice.core.notifications import notify

from .choices import MAX_LEVEL, RUNNING_STATUSES, ComplaintClock, EventType
from .models import Complaint, ComplaintBreach
from .services import LEVEL_NAMES, complaint_url, escalate_to, event
from .sla import ComplaintTermsBook

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class SweepResult:
    first_response_breaches: int = 0
    escalations: int = 0
    escalation_breaches: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def first_response_due(now: dt.datetime):
    return Complaint.objects.filter(
        status__in=RUNNING_STATUSES,
        first_responded_at__isnull=True,
        first_response_breached_at__isnull=True,
        first_response_due_at__lte=now,
    )


def escalation_due(now: dt.datetime):
    return Complaint.objects.filter(
        status__in=RUNNING_STATUSES, escalation_exhausted_at__isnull=True, escalation_due_at__lte=now
    )


def _in_batches(queryset, order_field: str, handle: Callable, batch_size: int) -> None:
    for rows in locked_batches(queryset.select_related("store"), order_field, batch_size):
        for row in rows:
            handle(row)


def _record_breach(complaint, clock: str, level: int, due_at: dt.datetime, now: dt.datetime) -> bool:
    """Write the breach fact once; False when it was already recorded."""
    if ComplaintBreach.objects.filter(complaint=complaint, clock=clock, level=level).exists():
        return False
    try:
        with transaction.atomic():
            ComplaintBreach.objects.create(
                complaint=complaint, clock=clock, level=level, due_at=due_at, breached_at=now,
                overdue_seconds=max(int((now - due_at).total_seconds()), 0),
            )  # fmt: skip
    except IntegrityError:
        return False
    event(complaint, EventType.SLA_BREACHED, actor=None,
          new={"clock": clock, "level": level, "due_at": due_at.isoformat()})  # fmt: skip
    return True


def _first_response_breach(complaint: Complaint, now: dt.datetime, result: SweepResult) -> None:
    if (
        complaint.status not in RUNNING_STATUSES
        or complaint.first_responded_at is not None
        or complaint.first_response_breached_at is not None
        or complaint.first_response_due_at > now
    ):
        return
    created = _record_breach(complaint, ComplaintClock.FIRST_RESPONSE, complaint.level,
                             complaint.first_response_due_at, now)  # fmt: skip
    complaint.first_response_breached_at = now
    complaint.save(update_fields=["first_response_breached_at", "updated_at"])
    if not created:
        return
    result.first_response_breaches += 1
    notify(
        recipients=[*level_managers(complaint.store, complaint.level), *([complaint.handler] if complaint.handler_id
                                                                          else [])],
        title=_("投诉首次答复超时：%(number)s") % {"number": complaint.number},
        body=_("%(store)s 的投诉 %(number)s 已超过首次答复时限（%(due)s），尚未答复客户。")
        % {
            "store": complaint.store.name,
            "number": complaint.number,
            "due": timezone.localtime(complaint.first_response_due_at).strftime("%m-%d %H:%M"),
        },
        url=complaint_url(complaint),
        kind="complaints.first_response_breach",
        level=NotificationLevel.URGENT,
    )  # fmt: skip


def _escalate(complaint: Complaint, now: dt.datetime, book: ComplaintTermsBook, result: SweepResult) -> None:
    if (
        complaint.status not in RUNNING_STATUSES
        or complaint.escalation_exhausted_at is not None
        or complaint.escalation_due_at > now
    ):
        return
    terms = book.terms_at(complaint.received_at)
    while complaint.escalation_due_at <= now:
        level, due = complaint.level, complaint.escalation_due_at
        if _record_breach(complaint, ComplaintClock.ESCALATION, level, due, now):
            result.escalation_breaches += 1
        if level >= MAX_LEVEL:
            complaint.escalation_exhausted_at = now
            notify(
                recipients=level_managers(complaint.store, level),
                title=_("总部级处理仍超时：%(number)s") % {"number": complaint.number},
                body=_("投诉 %(number)s 已由总部处理，仍未在时限（%(due)s）内解决。")
                % {"number": complaint.number, "due": timezone.localtime(due).strftime("%m-%d %H:%M")},
                url=complaint_url(complaint),
                kind="complaints.escalation_exhausted",
                level=NotificationLevel.URGENT,
            )
            break
        next_due = terms.add(due, terms.escalation)
        try:
            with transaction.atomic():
                escalate_to(
                    complaint,
                    level=level + 1,
                    at=now,
                    next_due=next_due,
                    reason=_("超过升级时限未解决，自动升级到%(level)s") % {"level": LEVEL_NAMES[level + 1]},
                    automatic=True,
                    due_at=due,
                )
        except IntegrityError:  # another worker did it: take the row as it now is
            logger.warning("Escalation of complaint %s to level %s already recorded", complaint.pk, level + 1)
            complaint.refresh_from_db()
            return
        result.escalations += 1
    complaint.save(update_fields=["level", "escalation_due_at", "escalation_exhausted_at", "updated_at"])


def complaints_sweep(now: dt.datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepResult:
    """CMP-2 / CMP-7: record first-response breaches and escalate overdue complaints — as of `now`. Idempotent."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    result = SweepResult()
    book = ComplaintTermsBook()
    _in_batches(first_response_due(now), "first_response_due_at",
                lambda c: _first_response_breach(c, now, result), batch_size)  # fmt: skip
    _in_batches(escalation_due(now), "escalation_due_at", lambda c: _escalate(c, now, book, result), batch_size)
    return result
