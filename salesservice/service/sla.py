"""The SLA engine of service requests — SRV-2 (seed 002 §6.6.2: contact within 2 h, escalate within 24 h).

Rules, all on business time of the SLA calendar (policy `service.sla_calendar`, 24×7 by default):

- On receipt: `first_contact_due_at = received_at + first_contact_hours` and
  `escalation_due_at = received_at + escalation_hours`, with the calendar and the hours **in force
  at `received_at`** — a later policy change never moves the deadlines of requests already received.
- `waiting_customer` pauses both clocks. Resuming measures the paused span in business time on that
  calendar (`business_time_between(paused_at, now)`), adds it to `paused_business_seconds`, and
  extends each still-open deadline by that span (`add_business_time(old deadline, span)`), so the
  time left when the pause began is exactly the time left after it.
- Recording the first contact stops the first-contact clock; resolving stops the escalation clock.
  Time spent in `resolved` (待验收, the customer's verdict pending) is not ours to answer for: when
  the customer rejects the result, the escalation deadline is extended by that span too.
- Each escalation sets the next deadline `old deadline + escalation_hours` (business time).

`recompute_deadlines(request)` derives the deadlines again from `received_at`, the request's status
history (`core.status_changed` events written by `core.workflow.transition`, whose times the services
stamp with the moment they used) and its escalation rows — the stored deadlines must equal it.
Breaches (`SlaBreach`) are facts recorded by the sweep and are never recomputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from salesservice.core.business_calendar import (
    CalendarRuntime,
    add_business_time,
    business_time_between,
    get_calendar,
    hours_to_timedelta,
)
from salesservice.core.choices import EventType as CoreEventType
from salesservice.core.models import BusinessCalendar, Event, PolicyValue
from salesservice.core.policy import typed

from .choices import ServiceRequestStatus as S

POLICY_KEYS = (
    "service.sla_calendar",
    "service.first_contact_hours",
    "service.escalation_hours",
    "service.deadline_warning_minutes",
)


@dataclass(frozen=True)
class SlaTerms:
    """The calendar and durations in force at one moment."""

    calendar: CalendarRuntime
    first_contact: dt.timedelta
    escalation: dt.timedelta
    warning: dt.timedelta

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        return add_business_time(self.calendar, start, duration)

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        return business_time_between(self.calendar, start, end)


class SlaTermsBook:
    """The SLA policy history, loaded once: `terms_at(moment)` without a query per request.

    The sweep and bulk loaders evaluate many requests received at different times; each needs the
    terms in force at its own `received_at`. The few value versions of the four parameters are read
    in one query, and one `CalendarRuntime` is built per calendar code.
    """

    def __init__(self):
        rows = (
            PolicyValue.objects.select_related("parameter")
            .filter(parameter__key__in=POLICY_KEYS)
            .order_by("effective_from", "number")
        )
        self._history: dict[str, list[tuple[dt.datetime, object]]] = {key: [] for key in POLICY_KEYS}
        for row in rows:
            self._history[row.parameter.key].append((row.effective_from, typed(row.parameter, row.value)))
        self._calendars: dict[str, CalendarRuntime] = {}
        self._cache: dict[tuple, SlaTerms] = {}

    def value_at(self, key: str, at: dt.datetime):
        found = None
        for effective_from, value in self._history.get(key, []):
            if effective_from <= at:
                found = value
            else:
                break
        if found is None:
            from salesservice.core.policy import policy_value

            return policy_value(key, at)  # raises the standard policy.no_value error
        return found

    def calendar(self, code: str) -> CalendarRuntime:
        if code not in self._calendars:
            self._calendars[code] = CalendarRuntime(get_calendar(code))
        return self._calendars[code]

    def terms_at(self, at: dt.datetime) -> SlaTerms:
        values = tuple(self.value_at(key, at) for key in POLICY_KEYS)
        if values not in self._cache:
            code, first_contact_hours, escalation_hours, warning_minutes = values
            self._cache[values] = SlaTerms(
                calendar=self.calendar(str(code)),
                first_contact=hours_to_timedelta(first_contact_hours),
                escalation=hours_to_timedelta(escalation_hours),
                warning=dt.timedelta(minutes=int(warning_minutes)),
            )
        return self._cache[values]


def terms_at(at: dt.datetime, book: SlaTermsBook | None = None) -> SlaTerms:
    """SRV-2: the SLA terms in force at `at`."""
    return (book or SlaTermsBook()).terms_at(at)


def terms_for(request, book: SlaTermsBook | None = None) -> SlaTerms:
    """The terms a request's clocks run on: those in force when it was received."""
    return terms_at(request.received_at, book)


def calendar_for(request) -> BusinessCalendar:
    return terms_for(request).calendar.calendar


# --- the clock operations the services call ---------------------------------------------------


def start_clocks(request, terms: SlaTerms) -> None:
    """On receipt: both deadlines from `received_at`."""
    request.first_contact_due_at = terms.add(request.received_at, terms.first_contact)
    request.escalation_due_at = terms.add(request.received_at, terms.escalation)
    request.paused_business_seconds = 0


def pause_clocks(request, now: dt.datetime) -> None:
    """`waiting_customer` begins: remember when and from which status (the status is moved by the caller)."""
    request.paused_at = now
    request.paused_from_status = request.status


def resume_clocks(request, now: dt.datetime, terms: SlaTerms) -> dt.timedelta:
    """The pause ends: extend the open deadlines by the paused span in business time; returns the span."""
    span = terms.between(request.paused_at, now) if request.paused_at else dt.timedelta(0)
    _extend(request, span, terms, first_contact_open=request.first_contacted_at is None)
    request.paused_at = None
    request.paused_from_status = ""
    return span


def reopen_clocks(request, now: dt.datetime, terms: SlaTerms) -> dt.timedelta:
    """The customer rejected the result: the escalation clock runs again, extended by the time in `resolved`."""
    span = terms.between(request.resolved_at, now) if request.resolved_at else dt.timedelta(0)
    _extend(request, span, terms, first_contact_open=False)
    return span


def next_escalation_due(request, terms: SlaTerms) -> dt.datetime:
    """The deadline after an escalation: the missed one plus another `escalation_hours`."""
    return terms.add(request.escalation_due_at, terms.escalation)


def _extend(request, span: dt.timedelta, terms: SlaTerms, *, first_contact_open: bool) -> None:
    if not span:
        return
    request.paused_business_seconds += int(span.total_seconds())
    if first_contact_open:
        request.first_contact_due_at = terms.add(request.first_contact_due_at, span)
        request.warned_first_contact_at = None
    request.escalation_due_at = terms.add(request.escalation_due_at, span)
    request.warned_escalation_at = None


# --- recomputation from history -------------------------------------------------------------


@dataclass
class Deadlines:
    first_contact_due_at: dt.datetime
    escalation_due_at: dt.datetime
    paused_business_seconds: int


def status_history(request) -> list[tuple[dt.datetime, str, str]]:
    """(time, old, new) of every status change of the request, oldest first."""
    content_type = ContentType.objects.get_for_model(request, for_concrete_model=False)
    rows = Event.objects.filter(
        target_type=content_type, target_id=str(request.pk), event_type=CoreEventType.STATUS_CHANGED
    ).order_by("created_at", "id")
    return [
        (row.created_at, (row.old or {}).get("status", ""), (row.new or {}).get("status", ""))
        for row in rows.only("created_at", "old", "new")
    ]


def recompute_deadlines(request, book: SlaTermsBook | None = None) -> Deadlines:
    """SRV-2: the deadlines the request should have, derived only from its history.

    Replays, in time order, the status changes (pauses, resumptions, first contact, resolution and
    rejection) and the escalations on the terms in force at `received_at`. Does not save anything.
    """
    terms = terms_for(request, book)
    first_contact_due = terms.add(request.received_at, terms.first_contact)
    escalation_due = terms.add(request.received_at, terms.escalation)
    paused_seconds = 0
    contacted = False
    paused_since: dt.datetime | None = None
    resolved_since: dt.datetime | None = None

    timeline: list[tuple[dt.datetime, int, tuple]] = [
        (at, 0, ("status", old, new)) for at, old, new in status_history(request)
    ]
    timeline += [(row.at, 1, ("escalation",)) for row in request.escalations.order_by("to_level")]
    timeline.sort(key=lambda item: (item[0], item[1]))

    for at, _order, entry in timeline:
        if entry[0] == "escalation":
            escalation_due = terms.add(escalation_due, terms.escalation)
            continue
        _kind, old, new = entry
        if old == S.WAITING_CUSTOMER and paused_since is not None:
            span = terms.between(paused_since, at)
            if span:
                paused_seconds += int(span.total_seconds())
                if not contacted:
                    first_contact_due = terms.add(first_contact_due, span)
                escalation_due = terms.add(escalation_due, span)
            paused_since = None
        if old == S.RESOLVED and new == S.IN_PROGRESS and resolved_since is not None:
            span = terms.between(resolved_since, at)
            if span:
                paused_seconds += int(span.total_seconds())
                escalation_due = terms.add(escalation_due, span)
        if new == S.WAITING_CUSTOMER:
            paused_since = at
        if new == S.RESOLVED:
            resolved_since = at
        if new == S.CONTACTED and old == S.RECEIVED:
            contacted = True
    return Deadlines(first_contact_due, escalation_due, paused_seconds)
