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

A request late on both clocks has both handled in one pass and is written once. A batch's writes go in with
one statement per table, rows by `COPY` (`_Batch`, core.clocks), and the managers to tell are read once per
batch for its new stores and regions, so handling costs a few queries per batch, not per request. Safe to run twice and on two workers at once: due rows are taken in batches with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers instead), every condition
is checked again on the locked row, and unique constraints (breach per request/clock/level, escalation
per request/level) stop a duplicate even if a check were wrong. Each query reads one partial index
on a due column, so the cost follows the number of due requests, never the number open (DESIGN §8).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.choices import NotificationLevel
from salesservice.core.clocks import BatchWriter, ladder_managers, sweep_batches
from salesservice.core.policy import policy_value

from .choices import MAX_ESCALATION_LEVEL, RUNNING_STATUSES, EscalationLevel, EventType, SlaClock
from .models import Escalation, ServiceRequest, SlaBreach
from .services import level_managers, request_url, store_supervisors
from .sla import SlaTermsBook

BATCH_SIZE = 200
WARNING_RELATED = ("store", "assignee", "created_by", "provider")  # who a warning goes to


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


@functools.cache
def _url_pattern() -> str:
    return request_url(ServiceRequest(pk=987654321)).replace("987654321", "{pk}")


def _url(request: ServiceRequest) -> str:
    """The request's page, from a pattern resolved once (`reverse` per row costs ~0.1 ms)."""
    return _url_pattern().format(pk=request.pk)


def _breach_key(request_id: int, clock: str, level: int) -> tuple:
    """A request has one first-contact breach whatever the level, one escalation breach per level."""
    return (request_id, clock, None if clock == SlaClock.FIRST_CONTACT else level)


class _Batch(BatchWriter):
    """The deadline engine's batch writer (core.clocks) with the service desk's breach rows and recipients."""

    def __init__(self, now: dt.datetime, existing: set, recipients: _Recipients, levels: tuple[int, ...] = ()):
        super().__init__(now, existing)
        self.recipients = recipients
        self.levels = levels  # the escalation levels whose managers this batch may tell

    def prepare(self, rows: list) -> None:
        self.recipients.load(rows, self.levels)

    def breach(self, request, clock: str, level: int, due_at: dt.datetime) -> bool:
        """Record the breach fact once; False when it was already recorded."""
        row = SlaBreach(
            request=request,
            clock=clock,
            level=level,
            due_at=due_at,
            breached_at=self.now,
            overdue_seconds=max(int((self.now - due_at).total_seconds()), 0),
        )
        if not self.fact(_breach_key(request.pk, clock, level), row):
            return False
        self.event(
            event_type=EventType.SLA_BREACHED,
            target=request,
            new={"clock": clock, "level": level, "due_at": due_at.isoformat()},
        )
        return True


class _Recipients:
    """Who is told, looked up once per store/region/provider per sweep rather than once per request."""

    def __init__(self):
        self._cache: dict = {}

    def _get(self, key, load):
        if key not in self._cache:
            self._cache[key] = list(load())
        return self._cache[key]

    @staticmethod
    def _key(request, level: int) -> tuple:
        return (
            ("store", request.store_id)
            if level <= 0
            else ("region", request.store.parent_id)
            if level == 1
            else ("hq",)
        )

    def load(self, requests: list, levels) -> None:
        """The managers at `levels` for a batch's stores not seen yet: one query per level, not one per store."""
        for level in levels:
            stores = {self._key(request, level): request.store for request in requests}
            missing = [store for key, store in stores.items() if key not in self._cache]
            if missing:
                found = ladder_managers(missing, level)
                for key, store in stores.items():
                    if key not in self._cache:
                        self._cache[key] = found[store.pk]

    def supervisors(self, request) -> list:
        return self._get(("store", request.store_id), lambda: store_supervisors(request.store_id))

    def level(self, request, level: int) -> list:
        if level <= 0:
            return self.supervisors(request)
        return self._get(self._key(request, level), lambda: level_managers(request.store, level))

    def for_warning(self, request) -> list:
        if request.assignee_id:
            return [request.assignee]
        if request.provider_id:
            return self._get(
                ("provider", request.provider_id), lambda: request.provider.dispatchers.filter(is_active=True)
            )
        return [request.created_by] if request.created_by_id else []


def _existing_breaches(rows) -> set:
    return {
        _breach_key(*fact)
        for fact in SlaBreach.objects.filter(request_id__in=[row.pk for row in rows]).values_list(
            "request_id", "clock", "level"
        )
    }


# --- the handlers (called on the locked row; they re-check everything) ----------------------


def _first_contact_breach(request: ServiceRequest, work: _Batch) -> None:
    now = work.now
    if (
        request.status not in RUNNING_STATUSES
        or request.first_contacted_at is not None
        or request.first_contact_breached_at is not None
        or request.first_contact_due_at > now
    ):
        return
    created = work.breach(request, SlaClock.FIRST_CONTACT, request.escalation_level, request.first_contact_due_at)
    work.change(request, first_contact_breached_at=now)
    if not created:
        return
    work.count("first_contact_breaches")
    work.notify(
        recipients=work.recipients.supervisors(request),
        title=_("首次联系超时：%(number)s") % {"number": request.number},
        body=_("%(store)s 的服务单 %(number)s 已超过首次联系时限（%(due)s），尚未联系客户。")
        % {
            "store": request.store.name,
            "number": request.number,
            "due": timezone.localtime(request.first_contact_due_at).strftime("%m-%d %H:%M"),
        },
        url=_url(request),
        kind="service.first_contact_breach",
        level=NotificationLevel.URGENT,
    )


def _escalate(request: ServiceRequest, work: _Batch, book: SlaTermsBook) -> None:
    now = work.now
    if (
        request.status not in RUNNING_STATUSES
        or request.escalation_exhausted_at is not None
        or request.escalation_due_at > now
    ):
        return
    terms = book.terms_at(request.received_at)
    while request.escalation_due_at <= now:
        level, due = request.escalation_level, request.escalation_due_at
        if work.breach(request, SlaClock.ESCALATION, level, due):
            work.count("escalation_breaches")
        if level >= MAX_ESCALATION_LEVEL:
            work.change(request, escalation_exhausted_at=now)
            work.notify(
                recipients=work.recipients.level(request, level),
                title=_("总部级处理仍超时：%(number)s") % {"number": request.number},
                body=_("服务单 %(number)s 已升级至总部，仍未在时限（%(due)s）内解决。")
                % {"number": request.number, "due": timezone.localtime(due).strftime("%m-%d %H:%M")},
                url=_url(request),
                kind="service.escalation_exhausted",
                level=NotificationLevel.URGENT,
            )
            return
        next_due = terms.add(due, terms.escalation)
        work.fact(
            (request.pk, "escalated_to", level + 1),  # not the key of that level's breach (`_breach_key`)
            Escalation(
                request=request,
                from_level=level,
                to_level=level + 1,
                due_at=due,
                at=now,
                next_due_at=next_due,
                reason=_("超过升级时限未解决"),
            ),
        )
        work.change(request, escalation_level=level + 1, escalation_due_at=next_due, warned_escalation_at=None)
        work.count("escalations")
        work.event(
            event_type=EventType.REQUEST_ESCALATED,
            target=request,
            old={"escalation_level": level},
            new={"escalation_level": level + 1, "escalation_due_at": next_due.isoformat()},
        )
        work.notify(
            recipients=work.recipients.level(request, level + 1),
            title=_("服务单升级至%(level)s：%(number)s")
            % {"level": EscalationLevel(level + 1).label, "number": request.number},
            body=_("%(store)s 的服务单 %(number)s 超过时限未解决（%(desc)s），已升级到%(level)s，请跟进。")
            % {
                "store": request.store.name,
                "number": request.number,
                "desc": request.description[:60],
                "level": EscalationLevel(level + 1).label,
            },
            url=_url(request),
            kind="service.escalated",
            level=NotificationLevel.URGENT,
        )


def _warn(request: ServiceRequest, work: _Batch, clock: str, warning) -> None:
    now = work.now
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
    work.change(request, **{field: now})
    minutes = max(int((due - now).total_seconds() // 60), 0)
    work.notify(
        recipients=work.recipients.for_warning(request),
        title=_("%(clock)s即将到期：%(number)s") % {"clock": SlaClock(clock).label, "number": request.number},
        body=_("距%(clock)s时限（%(due)s）还有约 %(minutes)s 分钟。")
        % {
            "clock": SlaClock(clock).label,
            "due": timezone.localtime(due).strftime("%m-%d %H:%M"),
            "minutes": minutes,
        },
        url=_url(request),
        kind="service.deadline_warning",
        level=NotificationLevel.WARNING,
    )
    work.event(event_type=EventType.SLA_WARNED, target=request, new={"clock": clock})
    work.count("warnings")


def sla_sweep(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """SRV-2: record first-contact breaches, escalate overdue requests, warn before deadlines — as of `now`."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    totals: dict[str, int] = {}
    book = SlaTermsBook()
    recipients = _Recipients()

    def run(queryset, order_field, handle, related=("store",), levels=()):
        sweep_batches(
            queryset.select_related(*related),
            order_field,
            handle,
            now=now,
            batch_size=batch_size,
            existing=lambda rows: _existing_breaches(rows),
            totals=totals,
            writer=lambda existing: _Batch(now, existing, recipients, levels),
        )

    def escalate(request, work):
        _escalate(request, work, book)

    ladder = (0, 1)  # stores and their regions; HQ (level 2) is one lookup per sweep
    # A request late on both clocks (no contact within 2 h, nothing resolved within 24 h) has both handled in
    # one pass and is written once; the escalation list then holds only the requests contacted in time.
    run(first_contact_due(now), "first_contact_due_at", (_first_contact_breach, escalate), levels=ladder)
    run(escalation_due(now), "escalation_due_at", escalate, levels=ladder)
    warning = dt.timedelta(minutes=int(policy_value("service.deadline_warning_minutes", now)))
    if warning:
        run(
            first_contact_warnings_due(now, warning),
            "first_contact_due_at",
            lambda row, work: _warn(row, work, SlaClock.FIRST_CONTACT, warning),
            WARNING_RELATED,
        )
        run(
            escalation_warnings_due(now, warning),
            "escalation_due_at",
            lambda row, work: _warn(row, work, SlaClock.ESCALATION, warning),
            WARNING_RELATED,
        )
    return SweepResult(**totals)
