"""RET-2 (seed 000 退換貨處理: eligible returns handled promptly, no stalling) on the deadline engine
(`core.clocks`): a return gets a handling deadline when it is requested — `returns.handling_hours` of business
time on the SLA calendar, with the values in force at `requested_at` — and escalates store → region → HQ every
`returns.escalation_hours` while it stays unhandled. Handled means settled (refunded, exchanged, repaired),
rejected, cancelled or closed: the clock runs in `requested`, `approved`, `goods_received` and `inspected`.

The sweep (`returns.sweep`, every minute) records each missed deadline once per level (`core.DeadlineBreach`),
raises the level, sets the next deadline and tells the new level's managers (`core.directory.level_managers`);
past the HQ deadline it records that breach and goes no further. Batched and safe to run twice like the
service desk's sweep.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.choices import NotificationLevel
from salesservice.core.clocks import BatchWriter, ClockPolicy, TermsBook, sweep_batches
from salesservice.core.directory import level_managers
from salesservice.core.models import DeadlineBreach

from .choices import EventType
from .choices import ReturnStatus as R
from .models import ReturnRequest

RETURN_CLOCKS = ClockPolicy(hours={"handling": "returns.handling_hours", "escalation": "returns.escalation_hours"})
RUNNING = (R.REQUESTED, R.APPROVED, R.GOODS_RECEIVED, R.INSPECTED)
HANDLING = "handling"
MAX_LEVEL = 2
LEVEL_NAMES = {0: _("门店"), 1: _("区部"), 2: _("总部")}
BATCH_SIZE = 200


def start_clock(request: ReturnRequest, book: TermsBook | None = None) -> None:
    """On request: the handling deadline from `requested_at` on the terms then in force."""
    terms = (book or TermsBook(RETURN_CLOCKS)).terms_at(request.requested_at)
    request.handling_due_at = terms.add(request.requested_at, terms.handling)


def handling_due(now: dt.datetime):
    """The sweep's work list (a partial index on `handling_due_at`)."""
    return ReturnRequest.objects.filter(
        status__in=RUNNING, escalation_exhausted_at__isnull=True, handling_due_at__lte=now
    )


class _Writer(BatchWriter):
    def __init__(self, now, existing, content_type, recipients):
        super().__init__(now, existing)
        self.content_type = content_type
        self.recipients = recipients

    def breach(self, request, level: int, due_at: dt.datetime) -> bool:
        row = DeadlineBreach(
            target_type=self.content_type,
            target_id=str(request.pk),
            clock=HANDLING,
            level=level,
            due_at=due_at,
            breached_at=self.now,
            overdue_seconds=max(int((self.now - due_at).total_seconds()), 0),
        )
        if not self.fact((request.pk, level), row):
            return False
        self.event(
            event_type=EventType.HANDLING_BREACHED,
            target=request,
            new={"clock": HANDLING, "level": level, "due_at": due_at.isoformat()},
        )
        self.count("breaches")
        return True

    def managers(self, request, level: int) -> list:
        key = (request.store_id, level)
        if key not in self.recipients:
            self.recipients[key] = level_managers(request.store, level)
        return self.recipients[key]


def _escalate(request: ReturnRequest, work: _Writer, book: TermsBook) -> None:
    from .services import return_url

    now = work.now
    if request.status not in RUNNING or request.escalation_exhausted_at is not None or request.handling_due_at > now:
        return
    terms = book.terms_at(request.requested_at)
    while request.handling_due_at <= now:
        level, due = request.escalation_level, request.handling_due_at
        work.breach(request, level, due)
        if level >= MAX_LEVEL:
            work.change(request, escalation_exhausted_at=now)
            work.notify(
                recipients=work.managers(request, level),
                title=_("退换货总部级仍超时：%(number)s") % {"number": request.number},
                body=_("退换货单 %(number)s 已升级至总部，仍未在时限（%(due)s）内处理。")
                % {"number": request.number, "due": timezone.localtime(due).strftime("%m-%d %H:%M")},
                url=return_url(request),
                kind="returns.escalation_exhausted",
                level=NotificationLevel.URGENT,
            )
            return
        next_due = terms.add(due, terms.escalation)
        work.change(request, escalation_level=level + 1, handling_due_at=next_due)
        work.count("escalations")
        work.event(
            event_type=EventType.ESCALATED,
            target=request,
            old={"escalation_level": level},
            new={"escalation_level": level + 1, "handling_due_at": next_due.isoformat()},
        )
        work.notify(
            recipients=work.managers(request, level + 1),
            title=_("退换货升级至%(level)s：%(number)s") % {"level": LEVEL_NAMES[level + 1], "number": request.number},
            body=_("%(store)s 的退换货单 %(number)s 超过处理时限未处理，已升级到%(level)s，请督办（RET-2）。")
            % {"store": request.store.name, "number": request.number, "level": LEVEL_NAMES[level + 1]},
            url=return_url(request),
            kind="returns.escalated",
            level=NotificationLevel.URGENT,
        )


def returns_sweep(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """RET-2: record missed handling deadlines and escalate stalled returns — as of `now`. Idempotent."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    book = TermsBook(RETURN_CLOCKS)
    content_type = ContentType.objects.get_for_model(ReturnRequest)
    recipients: dict = {}
    totals = {"breaches": 0, "escalations": 0}

    def existing(rows) -> set:
        facts = DeadlineBreach.objects.filter(
            target_type=content_type, clock=HANDLING, target_id__in=[str(row.pk) for row in rows]
        ).values_list("target_id", "level")
        return {(int(target_id), level) for target_id, level in facts}

    sweep_batches(
        handling_due(now).select_related("store"),
        "handling_due_at",
        lambda row, work: _escalate(row, work, book),
        now=now,
        batch_size=batch_size,
        existing=existing,
        totals=totals,
        writer=lambda facts: _Writer(now, facts, content_type, recipients),
    )
    return totals
