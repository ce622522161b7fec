"""The complaint sweep — CMP-2 (reply within 2 h) and CMP-7 (escalate what stays unresolved), run every minute
by Celery (`complaints.sla_sweep`) and on demand by `manage.py complaint_sweep [--at ISO-8601]`.

As of `now` it
  (0) warns the handler and the store's managers once when the reply deadline is within
      `complaint.first_response_warning_minutes` (CMP-2 remind, like the service desk's warning);
  (a) records a first-response breach once for each running complaint past `first_response_due_at` with
      no reply, and alerts the managers of the complaint's current level;
  (b) raises each running complaint past `escalation_due_at` one level (store 0 → region 1 → HQ 2) per
      missed deadline, recording the breach and an automatic `ComplaintEscalation`, setting the next
      deadline (`old deadline + escalation_hours`, business time) and notifying the new level's managers;
      past the HQ deadline it records that breach once and goes no further.

On the deadline engine (`core.clocks`), like the service desk's sweep: due rows are taken in batches with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, every condition is checked again on the locked row, a batch's
writes go in with one statement per table, and unique constraints (breach per complaint/clock/level,
escalation per complaint/level) stop a duplicate — the batch is then redone a row at a time. Each work list
reads a partial index, so the cost follows the number due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.choices import NotificationLevel
from salesservice.core.clocks import BatchWriter, sweep_batches
from salesservice.core.directory import level_managers
from salesservice.core.policy import policy_value

from .choices import MAX_LEVEL, RUNNING_STATUSES, ComplaintClock, EventType
from .models import Complaint, ComplaintBreach, ComplaintEscalation
from .services import LEVEL_NAMES, complaint_url
from .sla import ComplaintTermsBook

BATCH_SIZE = 200


@dataclass
class SweepResult:
    first_response_warnings: int = 0
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


def first_response_warnings_due(now: dt.datetime, warning: dt.timedelta):
    """CMP-2 remind: running complaints without a reply whose deadline falls within `warning` (not yet warned)."""
    return Complaint.objects.filter(
        status__in=RUNNING_STATUSES,
        first_responded_at__isnull=True,
        first_response_breached_at__isnull=True,
        first_response_warned_at__isnull=True,
        first_response_due_at__gt=now,
        first_response_due_at__lte=now + warning,
    )


def escalation_due(now: dt.datetime):
    return Complaint.objects.filter(
        status__in=RUNNING_STATUSES, escalation_exhausted_at__isnull=True, escalation_due_at__lte=now
    )


def _breach_key(complaint_id: int, clock: str, level: int) -> tuple:
    """One first-response breach whatever the level, one escalation breach per level."""
    return (complaint_id, clock, None if clock == ComplaintClock.FIRST_RESPONSE else level)


def _existing_breaches(rows) -> set:
    facts = ComplaintBreach.objects.filter(complaint_id__in=[row.pk for row in rows]).values_list(
        "complaint_id", "clock", "level"
    )
    return {_breach_key(*fact) for fact in facts}


class _Writer(BatchWriter):
    """The deadline engine's batch writer (core.clocks) with the complaint's breach rows and recipients."""

    def __init__(self, now, existing, recipients: dict):
        super().__init__(now, existing)
        self.recipients = recipients

    def managers(self, complaint, level: int) -> list:
        key = (complaint.store_id, level)
        if key not in self.recipients:
            self.recipients[key] = level_managers(complaint.store, level)
        return self.recipients[key]

    def breach(self, complaint, clock: str, level: int, due_at: dt.datetime) -> bool:
        row = ComplaintBreach(
            complaint=complaint,
            clock=clock,
            level=level,
            due_at=due_at,
            breached_at=self.now,
            overdue_seconds=max(int((self.now - due_at).total_seconds()), 0),
        )
        if not self.fact(_breach_key(complaint.pk, clock, level), row):
            return False
        self.event(
            event_type=EventType.SLA_BREACHED,
            target=complaint,
            new={"clock": clock, "level": level, "due_at": due_at.isoformat()},
        )
        return True


def _first_response_breach(complaint: Complaint, work: _Writer) -> None:
    now = work.now
    if (
        complaint.status not in RUNNING_STATUSES
        or complaint.first_responded_at is not None
        or complaint.first_response_breached_at is not None
        or complaint.first_response_due_at > now
    ):
        return
    created = work.breach(complaint, ComplaintClock.FIRST_RESPONSE, complaint.level, complaint.first_response_due_at)
    work.change(complaint, first_response_breached_at=now)
    if not created:
        return
    work.count("first_response_breaches")
    work.notify(
        recipients=[*work.managers(complaint, complaint.level), *([complaint.handler] if complaint.handler_id else [])],
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
    )


def _first_response_warning(complaint: Complaint, work: _Writer, warning: dt.timedelta) -> None:
    """Tell the handler (and the store's managers) once that the reply is due soon — as the service desk does."""
    now = work.now
    if (
        complaint.status not in RUNNING_STATUSES
        or complaint.first_responded_at is not None
        or complaint.first_response_warned_at is not None
        or not now < complaint.first_response_due_at <= now + warning
    ):
        return
    work.change(complaint, first_response_warned_at=now)
    work.count("first_response_warnings")
    left = int((complaint.first_response_due_at - now).total_seconds() // 60)
    work.notify(
        recipients=[*([complaint.handler] if complaint.handler_id else []), *work.managers(complaint, complaint.level)],
        title=_("投诉即将超过首次答复时限：%(number)s") % {"number": complaint.number},
        body=_("%(store)s 的投诉 %(number)s 须在 %(due)s 前答复客户（还剩约 %(left)s 分钟）。")
        % {
            "store": complaint.store.name,
            "number": complaint.number,
            "due": timezone.localtime(complaint.first_response_due_at).strftime("%m-%d %H:%M"),
            "left": left,
        },
        url=complaint_url(complaint),
        kind="complaints.first_response_warning",
        level=NotificationLevel.WARNING,
    )


def _escalate(complaint: Complaint, work: _Writer, book: ComplaintTermsBook) -> None:
    now = work.now
    if (
        complaint.status not in RUNNING_STATUSES
        or complaint.escalation_exhausted_at is not None
        or complaint.escalation_due_at > now
    ):
        return
    terms = book.terms_at(complaint.received_at)
    while complaint.escalation_due_at <= now:
        level, due = complaint.level, complaint.escalation_due_at
        if work.breach(complaint, ComplaintClock.ESCALATION, level, due):
            work.count("escalation_breaches")
        if level >= MAX_LEVEL:
            work.change(complaint, escalation_exhausted_at=now)
            work.notify(
                recipients=work.managers(complaint, level),
                title=_("总部级处理仍超时：%(number)s") % {"number": complaint.number},
                body=_("投诉 %(number)s 已由总部处理，仍未在时限（%(due)s）内解决。")
                % {"number": complaint.number, "due": timezone.localtime(due).strftime("%m-%d %H:%M")},
                url=complaint_url(complaint),
                kind="complaints.escalation_exhausted",
                level=NotificationLevel.URGENT,
            )
            return
        next_due = terms.add(due, terms.escalation)
        reason = _("超过升级时限未解决，自动升级到%(level)s") % {"level": LEVEL_NAMES[level + 1]}
        work.fact(
            (complaint.pk, "escalated_to", level + 1),  # not the key of that level's breach (`_breach_key`)
            ComplaintEscalation(
                complaint=complaint, from_level=level, to_level=level + 1, at=now, automatic=True, due_at=due,
                next_due_at=next_due, reason=str(reason)[:300],
            ),
        )  # fmt: skip
        work.change(complaint, level=level + 1, escalation_due_at=next_due, escalation_exhausted_at=None)
        work.count("escalations")
        work.event(
            event_type=EventType.ESCALATED,
            target=complaint,
            old={"level": level},
            new={"level": level + 1, "escalation_due_at": next_due.isoformat(), "automatic": True},
            message=reason,
        )
        work.notify(
            recipients=work.managers(complaint, level + 1),
            title=_("投诉升级至%(level)s：%(number)s") % {"level": LEVEL_NAMES[level + 1], "number": complaint.number},
            body=_("%(store)s 的投诉 %(number)s（%(subject)s）已升级到%(level)s：%(reason)s")
            % {
                "store": complaint.store.name,
                "number": complaint.number,
                "subject": complaint.subject[:60],
                "level": LEVEL_NAMES[level + 1],
                "reason": reason,
            },
            url=complaint_url(complaint),
            kind="complaints.escalated",
            level=NotificationLevel.URGENT,
        )


def complaints_sweep(now: dt.datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepResult:
    """CMP-2 / CMP-7: record first-response breaches and escalate overdue complaints — as of `now`. Idempotent."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    totals: dict[str, int] = {}
    book = ComplaintTermsBook()
    recipients: dict = {}

    def run(queryset, order_field, handle):
        sweep_batches(
            queryset.select_related("store", "handler"),
            order_field,
            handle,
            now=now,
            batch_size=batch_size,
            existing=_existing_breaches,
            totals=totals,
            writer=lambda facts: _Writer(now, facts, recipients),
        )

    warning = dt.timedelta(minutes=int(policy_value("complaint.first_response_warning_minutes", now)))
    if warning:
        run(
            first_response_warnings_due(now, warning),
            "first_response_due_at",
            lambda row, work: _first_response_warning(row, work, warning),
        )
    run(first_response_due(now), "first_response_due_at", _first_response_breach)
    run(escalation_due(now), "escalation_due_at", lambda row, work: _escalate(row, work, book))
    return SweepResult(**totals)
