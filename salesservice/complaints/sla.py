"""The complaint clocks — CMP-2 (reply within 2 h, seed 002 §6.7.1) and CMP-7 (escalate what is unresolved).

They run on the same machinery as service requests (`salesservice.service.sla`): the SLA calendar named
by policy `service.sla_calendar`, business-time arithmetic of `core.business_calendar`, and the values
**in force at `received_at`** — a later policy change never moves the deadlines of complaints already
received. Hours come from `complaint.first_response_hours` and `complaint.escalation_hours`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from salesservice.core.business_calendar import CalendarRuntime, add_business_time, hours_to_timedelta
from salesservice.service.sla import SlaTermsBook

KEYS = ("complaint.first_response_hours", "complaint.escalation_hours")


@dataclass(frozen=True)
class ComplaintTerms:
    calendar: CalendarRuntime
    first_response: dt.timedelta
    escalation: dt.timedelta

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        return add_business_time(self.calendar, start, duration)


class ComplaintTermsBook:
    """Terms per moment without a query per complaint (the sweep evaluates many): wraps the service
    desk's `SlaTermsBook` for the calendar and caches the complaint hours per moment's values."""

    def __init__(self):
        self.book = SlaTermsBook()
        self._cache: dict[tuple, ComplaintTerms] = {}
        self._values: dict[tuple[str, dt.datetime], object] = {}

    def _value(self, key: str, at: dt.datetime):
        from salesservice.core.policy import policy_value

        cache_key = (key, at)
        if cache_key not in self._values:
            self._values[cache_key] = policy_value(key, at)
        return self._values[cache_key]

    def terms_at(self, at: dt.datetime) -> ComplaintTerms:
        code = str(self.book.value_at("service.sla_calendar", at))
        values = (code, *(self._value(key, at) for key in KEYS))
        if values not in self._cache:
            self._cache[values] = ComplaintTerms(
                calendar=self.book.calendar(code),
                first_response=hours_to_timedelta(values[1]),
                escalation=hours_to_timedelta(values[2]),
            )
        return self._cache[values]


def terms_at(at: dt.datetime, book: ComplaintTermsBook | None = None) -> ComplaintTerms:
    return (book or ComplaintTermsBook()).terms_at(at)


def start_clocks(complaint, terms: ComplaintTerms) -> None:
    """On receipt: the first-response and escalation deadlines from `received_at` (CMP-2, CMP-7)."""
    complaint.first_response_due_at = terms.add(complaint.received_at, terms.first_response)
    complaint.escalation_due_at = terms.add(complaint.received_at, terms.escalation)


def restart_escalation_clock(complaint, now: dt.datetime, terms: ComplaintTerms) -> dt.datetime:
    """A complaint passed up by hand gets a full window at its new level."""
    return terms.add(now, terms.escalation)


def next_escalation_due(complaint, terms: ComplaintTerms) -> dt.datetime:
    """After an escalation on the SLA: the missed deadline plus another `escalation_hours`."""
    return terms.add(complaint.escalation_due_at, terms.escalation)
