"""The complaint clocks — CMP-2 (reply within 2 h, seed 002 §6.7.1) and CMP-7 (escalate what is unresolved).

They run on the deadline engine (`core.clocks`), like service requests and returns: the SLA calendar named
by policy `service.sla_calendar`, business-time arithmetic of `core.business_calendar`, and the values
**in force at `received_at`** — a later policy change never moves the deadlines of complaints already
received. Hours come from `complaint.first_response_hours` and `complaint.escalation_hours`.
"""

from __future__ import annotations

import datetime as dt

from salesservice.core.clocks import ClockPolicy, Terms, TermsBook

# The parameters of a complaint's clocks (core.clocks): the SLA calendar, first response and escalation.
COMPLAINT_CLOCKS = ClockPolicy(
    hours={"first_response": "complaint.first_response_hours", "escalation": "complaint.escalation_hours"}
)
ComplaintTerms = Terms


class ComplaintTermsBook(TermsBook):
    """The complaint clock policy's history, loaded once (the sweep evaluates many complaints)."""

    def __init__(self):
        super().__init__(COMPLAINT_CLOCKS)


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
