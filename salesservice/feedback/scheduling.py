"""The feedback jobs (FBK-1, FBK-2, FBK-3): schedule follow-ups, remind the assignees, send surveys.

All idempotent and safe to run twice or in parallel: a follow-up and a survey link are unique per
source (database constraints), the work lists select only what has none, and each row is created
in its own savepoint so a parallel run's insert is skipped, not fatal.

- Every closed service request gets a follow-up due `FOLLOW_UP_DELAY` after closing (on the SLA
  calendar in force then — `core.clocks`), towards the coverage target
  `feedback.follow_up_coverage_target` (100 %, seed 004 通程).
- Every closed complaint, when the complaints app provides `Complaint` with a `closed` status.
- Every key account (`Customer.is_key_account`) once per window of `feedback.key_account_cadence_days`.
- Follow-ups that fell due are reminded to their assignee once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.bulk import copy_create
from salesservice.core.clocks import ClockPolicy, TermsBook
from salesservice.core.events import build_event, record_event
from salesservice.core.exceptions import ConflictError
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_numbers
from salesservice.core.policy import policy_value

from .choices import EventType, FollowUpKind, FollowUpStatus, SourceKind
from .models import FollowUp, SurveyLink
from .services import FOLLOW_UP_SERIES, FOLLOW_UP_SERIES_SPEC, _insert_follow_up, default_assignee, follow_up_url

logger = logging.getLogger(__name__)

FOLLOW_UP_DELAY = dt.timedelta(days=2)  # due = closed_at + 2 days
KEY_ACCOUNT_LEAD = dt.timedelta(days=7)  # a key-account call is due within a week of its window opening
CADENCE_EPOCH = dt.date(2020, 1, 6)  # a Monday: windows are counted from here
BATCH = 500


@dataclass
class ScheduleResult:
    service_requests: int = 0
    complaints: int = 0
    key_accounts: int = 0
    reminders: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _batches(queryset):
    """Rows of a work list in batches, re-querying after each: what was handled drops out of the list.

    (Not a server-side cursor: SQLite would see our own inserts while iterating.) Stops when a batch
    brings nothing new, so a row that cannot be handled never loops forever.
    """
    seen: set = set()
    while True:
        batch = [row for row in queryset[:BATCH] if row.pk not in seen]
        if not batch:
            return
        seen.update(row.pk for row in batch)
        yield from batch


def _create(follow_up: FollowUp) -> bool:
    try:
        _insert_follow_up(follow_up, actor=None)
    except ConflictError:  # a parallel run created it first
        return False
    return True


# A follow-up's due date runs on the deadline engine (core.clocks): the SLA calendar in force at the closing.
FOLLOW_UP_CLOCKS = ClockPolicy(hours={})


def _due_after(book: TermsBook, closed_at: dt.datetime) -> dt.datetime:
    """`closed_at + FOLLOW_UP_DELAY` on the SLA calendar in force at `closed_at` (core.clocks)."""
    return book.terms_at(closed_at).add(closed_at, FOLLOW_UP_DELAY)


def _no_follow_up_consent():
    """INF-1: customers who withdrew consent to follow-up calls and surveys are not scheduled."""
    from salesservice.customers.choices import ConsentPurpose
    from salesservice.customers.selectors import consent_withdrawn_customers

    return consent_withdrawn_customers(ConsentPurpose.SERVICE_FOLLOW_UP)


def schedule_service_requests(now: dt.datetime, assignees: dict) -> int:
    """FBK-2: a follow-up for every closed service request that has none — set-based (issue 17 §4).

    The work list (closed, no follow-up, consent not withdrawn) is read once; then a chunk of `BATCH` requests is
    locked and re-checked (`FOR UPDATE SKIP LOCKED`: a parallel run takes other rows), its numbers are taken in
    one statement, the follow-ups and their timeline events written by `COPY` (`core.bulk.copy_create`) — a
    handful of queries per chunk instead of five per request, so the first deployment over years of closed
    requests takes a minute, not an hour. Should a follow-up for one of them appear meanwhile
    (someone scheduled it by hand), the batch's savepoint rolls back, numbers included, and that batch goes
    row by row.
    """
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    book = TermsBook(FOLLOW_UP_CLOCKS)
    has_follow_up = FollowUp.objects.filter(service_request=OuterRef("pk"))
    pending = (
        ServiceRequest.objects.filter(status=ServiceRequestStatus.CLOSED, closed_at__lte=now)
        .exclude(Exists(has_follow_up))
        .exclude(customer_id__in=_no_follow_up_consent())
        .only("pk", "number", "customer_id", "store_id", "closed_at")
    )
    # The work list is read once (one anti-join over the closed requests), then handled a chunk at a time, each
    # chunk locked and re-checked in its own transaction — not re-selected from the whole table per batch.
    ids = list(pending.order_by("closed_at", "pk").values_list("pk", flat=True))
    created = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            chunk = pending.filter(pk__in=ids[start : start + BATCH]).order_by("closed_at", "pk")
            if connection.features.has_select_for_update_skip_locked:
                chunk = chunk.select_for_update(skip_locked=True, of=("self",))
            requests = list(chunk)
            created += _schedule_chunk(requests, book, assignees, now)
    return created


def _schedule_chunk(requests, book, assignees: dict, now: dt.datetime) -> int:
    follow_ups = [
        FollowUp(
            customer_id=request.customer_id,
            store_id=request.store_id,
            kind=FollowUpKind.AFTER_SERVICE,
            service_request_id=request.pk,
            source_kind=SourceKind.SERVICE_REQUEST,
            source_id=request.pk,
            source_number=request.number,
            due_at=_due_after(book, request.closed_at),
            assignee=default_assignee(request.store_id, assignees),
        )
        for request in requests
    ]
    return _insert_batch(follow_ups, now)


def _insert_batch(follow_ups: list[FollowUp], now: dt.datetime) -> int:
    """Number and insert `follow_ups` with their FOLLOW_UP_SCHEDULED events in a few statements (in the
    caller's transaction); on a duplicate source fall back to one savepoint per row."""
    try:
        with transaction.atomic():
            numbers = next_numbers(FOLLOW_UP_SERIES, len(follow_ups), at=now, series=FOLLOW_UP_SERIES_SPEC)
            for follow_up, number in zip(follow_ups, numbers, strict=True):
                follow_up.number = number
            copy_create(follow_ups)
    except IntegrityError:
        for follow_up in follow_ups:
            follow_up.pk = None
        return sum(_create(follow_up) for follow_up in follow_ups)
    copy_create(
        [
            build_event(
                event_type=EventType.FOLLOW_UP_SCHEDULED,
                target=follow_up,
                new={
                    "number": follow_up.number,
                    "kind": follow_up.kind,
                    "source": follow_up.source_number,
                    "due_at": follow_up.due_at.isoformat(),
                },
            )
            for follow_up in follow_ups
        ]
    )
    return len(follow_ups)


def complaint_model():
    """`complaints.Complaint` if that app is installed and defines it with a `closed` status, else None."""
    from django.apps import apps

    if not apps.is_installed("salesservice.complaints"):
        return None
    try:
        model = apps.get_model("complaints", "Complaint")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    if not {"status", "customer", "store"} <= names:
        return None
    choices = dict(model._meta.get_field("status").choices or [])
    return model if "closed" in choices else None


def schedule_complaints(now: dt.datetime, assignees: dict) -> int:
    """FBK-1: a follow-up for every closed complaint (when the complaints app provides them)."""
    from django.db import transaction

    model = complaint_model()
    if model is None:
        return 0
    names = {f.name for f in model._meta.get_fields()}
    has_follow_up = FollowUp.objects.filter(source_kind=SourceKind.COMPLAINT, source_id=OuterRef("pk"), period_key="")
    pending = (
        model._default_manager.filter(status="closed")
        .exclude(Exists(has_follow_up))
        .exclude(customer_id__in=_no_follow_up_consent())
        .order_by("pk")
    )
    created = 0
    for complaint in _batches(pending):
        closed_at = getattr(complaint, "closed_at", None) if "closed_at" in names else None
        with transaction.atomic():
            created += _create(
                FollowUp(
                    customer_id=complaint.customer_id,
                    store_id=complaint.store_id,
                    kind=FollowUpKind.AFTER_COMPLAINT,
                    source_kind=SourceKind.COMPLAINT,
                    source_id=complaint.pk,
                    source_number=str(getattr(complaint, "number", complaint.pk))[:40],
                    due_at=(closed_at or now) + FOLLOW_UP_DELAY,
                    assignee=default_assignee(complaint.store_id, assignees),
                )
            )
    return created


def cadence_window(now: dt.datetime) -> tuple[str, dt.datetime]:
    """The key-account window `now` falls in: its key (e.g. "ka90-0027": cadence and index, so a changed
    cadence starts windows of its own) and its start (local midnight). The cadence is the policy
    parameter `feedback.key_account_cadence_days` in force at `now`."""
    cadence = int(policy_value("feedback.key_account_cadence_days", now))
    today = timezone.localdate(now)
    index = (today - CADENCE_EPOCH).days // cadence
    start = CADENCE_EPOCH + dt.timedelta(days=index * cadence)
    start_at = timezone.make_aware(dt.datetime.combine(start, dt.time()), timezone.get_current_timezone())
    return f"ka{cadence}-{index:04d}", start_at


def schedule_key_accounts(now: dt.datetime, assignees: dict) -> int:
    """FBK-1: each active key account is followed up once per cadence window (policy, 90 days by default)."""
    from django.db import transaction

    from salesservice.customers.models import Customer

    period_key, start_at = cadence_window(now)
    has_follow_up = FollowUp.objects.filter(
        source_kind=SourceKind.CUSTOMER, source_id=OuterRef("pk"), period_key=period_key
    )
    pending = (
        Customer.objects.filter(is_key_account=True, is_active=True, is_anonymised=False, store__kind="store")
        .exclude(Exists(has_follow_up))
        .exclude(pk__in=_no_follow_up_consent())
        .only("pk", "code", "store_id")
        .order_by("pk")
    )
    created = 0
    for customer in _batches(pending):
        with transaction.atomic():
            created += _create(
                FollowUp(
                    customer_id=customer.pk,
                    store_id=customer.store_id,
                    kind=FollowUpKind.KEY_ACCOUNT_PERIODIC,
                    source_kind=SourceKind.CUSTOMER,
                    source_id=customer.pk,
                    source_number=customer.code[:40],
                    period_key=period_key,
                    due_at=max(start_at + KEY_ACCOUNT_LEAD, now),
                    assignee=default_assignee(customer.store_id, assignees),
                )
            )
    return created


def follow_up_send_reminders(now: dt.datetime | None = None) -> int:
    """FBK-1 remind: tell each assignee once about a follow-up that fell due (partial-index work list)."""
    from django.db import connection, transaction

    now = now or timezone.now()
    sent = 0
    due = FollowUp.objects.filter(
        status=FollowUpStatus.SCHEDULED, reminded_at__isnull=True, due_at__lte=now, assignee__isnull=False
    ).order_by("due_at", "pk")
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    for pk in ids:
        with transaction.atomic():
            rows = FollowUp.objects.filter(pk=pk, status=FollowUpStatus.SCHEDULED, reminded_at__isnull=True)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            follow_up = rows.select_related("customer", "assignee").first()
            if follow_up is None:  # done meanwhile, or another worker has it
                continue
            follow_up.reminded_at = now
            follow_up.save(update_fields=["reminded_at"])
            notify(
                recipients=[follow_up.assignee],
                title=_("回访到期：%(number)s · %(customer)s")
                % {"number": follow_up.number, "customer": follow_up.customer.name},
                body=_("应回访时间 %(due)s，请尽快联系客户。")
                % {"due": timezone.localtime(follow_up.due_at).strftime("%Y-%m-%d %H:%M")},
                url=follow_up_url(follow_up),
                level="warning",
                kind="feedback.follow_up_due",
            )
            record_event(
                event_type=EventType.FOLLOW_UP_REMINDED, target=follow_up, new={"assignee": follow_up.assignee_id}
            )
            sent += 1
    return sent


def follow_up_schedule_for_closed_requests(now: dt.datetime | None = None) -> ScheduleResult:
    """FBK-2 (+FBK-1): schedule follow-ups for closed service requests, closed complaints and key accounts,
    then remind assignees of those that fell due. Idempotent."""
    now = now or timezone.now()
    assignees: dict = {}
    result = ScheduleResult(
        service_requests=schedule_service_requests(now, assignees),
        complaints=schedule_complaints(now, assignees),
        key_accounts=schedule_key_accounts(now, assignees),
    )
    result.reminders = follow_up_send_reminders(now)
    return result


def surveys_send_for_closed_requests(now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """FBK-3: send the satisfaction survey for closed service requests that have none (idempotent)."""
    from salesservice.service.choices import ServiceRequestStatus
    from salesservice.service.models import ServiceRequest

    from .survey_services import survey_send_for_request

    now = now or timezone.now()
    has_link = SurveyLink.objects.filter(source_kind=SourceKind.SERVICE_REQUEST, source_id=OuterRef("pk"))
    pending = (
        ServiceRequest.objects.filter(status=ServiceRequestStatus.CLOSED, closed_at__lte=now)
        .exclude(Exists(has_link))
        .select_related("customer", "store", "product", "assignee")
        .order_by("closed_at", "pk")[:limit]
    )
    sent = 0
    for request in pending:
        if survey_send_for_request(request, now=now) is not None:
            sent += 1
    return sent


def surveys_send_for_closed_complaints(now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """FBK-3: send the satisfaction survey for closed complaints that have none (idempotent)."""
    from salesservice.complaints.models import Complaint

    from .survey_services import survey_send_for_complaint

    now = now or timezone.now()
    has_link = SurveyLink.objects.filter(source_kind=SourceKind.COMPLAINT, source_id=OuterRef("pk"))
    pending = (
        Complaint.objects.filter(status="closed", closed_at__lte=now)
        .exclude(Exists(has_link))
        .select_related("customer", "store", "product", "handler")
        .order_by("closed_at", "pk")[:limit]
    )
    return sum(1 for complaint in pending if survey_send_for_complaint(complaint, now=now) is not None)
