"""The clocks of service requests, on the deadline engine (`core.clocks`) — SRV-2 (seed 002 §6.6.2: contact within 2 h, escalate within 24 h).

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
history (`core.status_changed` events written by the request's workflow (`core.workflow`), whose times the services
stamp with the moment they used) and its escalation rows — the stored deadlines must equal it.
Breaches (`SlaBreach`) are facts recorded by the sweep and are never recomputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from salesservice.core import clocks, config_cache
from salesservice.core.choices import EventType as CoreEventType
from salesservice.core.clocks import ClockFields, ClockPolicy, Terms, TermsBook
from salesservice.core.models import BusinessCalendar, Event

from .choices import ServiceRequestStatus as S

# The parameters of a request's clocks (core.clocks): calendar, first contact, escalation, warning.
SERVICE_CLOCKS = ClockPolicy(
    hours={"first_contact": "service.first_contact_hours", "escalation": "service.escalation_hours"},
    minutes={"warning": "service.deadline_warning_minutes"},
)
POLICY_KEYS = SERVICE_CLOCKS.keys
# Where a request keeps them: the first-contact clock stops at the first contact; the escalation clock runs
# while the request is in a running state.
REQUEST_CLOCKS = ClockFields(
    deadlines={"first_contact_due_at": "first_contacted_at", "escalation_due_at": None},
    warned={"first_contact_due_at": "warned_first_contact_at", "escalation_due_at": "warned_escalation_at"},
)

SlaTerms = Terms


class SlaTermsBook(TermsBook):
    """The service desk's SLA policy history, loaded once (core.clocks.TermsBook)."""

    def __init__(self):
        super().__init__(SERVICE_CLOCKS)


def terms_at(at: dt.datetime, book: SlaTermsBook | None = None) -> SlaTerms:
    """SRV-2: the SLA terms in force at `at` — from the process's book (policy history and calendars read once
    per configuration stamp, `core.config_cache`) unless the caller brings its own."""
    return (book or config_cache.cached(("sla-terms",), SlaTermsBook)).terms_at(at)


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
    clocks.pause(request, REQUEST_CLOCKS, now)


def resume_clocks(request, now: dt.datetime, terms: SlaTerms) -> dt.timedelta:
    """The pause ends: extend the open deadlines by the paused span in business time; returns the span."""
    return clocks.resume(request, REQUEST_CLOCKS, now, terms)


def reopen_clocks(request, now: dt.datetime, terms: SlaTerms) -> dt.timedelta:
    """The customer rejected the result: the escalation clock runs again, extended by the time in `resolved`."""
    span = terms.between(request.resolved_at, now) if request.resolved_at else dt.timedelta(0)
    clocks.extend(request, REQUEST_CLOCKS, span, terms, only=("escalation_due_at",))
    return span


def next_escalation_due(request, terms: SlaTerms) -> dt.datetime:
    """The deadline after an escalation: the missed one plus another `escalation_hours`."""
    return terms.add(request.escalation_due_at, terms.escalation)


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
