"""The deadline engine every document's clocks run on (issue 11; SRV-2, CMP-2/CMP-7, RET-2).

- **Terms** (`ClockPolicy`, `TermsBook`): which policy parameters give a document's calendar and durations,
  and their values **in force at a moment** (a document's clocks run on the terms in force when it was
  received; a later policy change never moves them). A `TermsBook` reads the parameters' history once, so
  a sweep over many documents needs no query per document.
- **Pause / resume** (`ClockFields`, `pause`, `resume`, `extend`): a paused document's open deadlines move
  by the paused span in business time, so the time left when the pause began is the time left after it.
- **Batched sweep** (`BatchWriter`, `sweep_batches`): due rows are locked a batch at a time (SKIP LOCKED on
  PostgreSQL), handled in memory, and written with one statement per table — breaches, escalations, the
  documents, events, notifications and audit entries, new rows by `COPY`; a unique-constraint conflict (another
  worker recorded the same fact) redoes the batch a row at a time. The escalation ladder store → region → HQ is
  `core.directory.level_managers`; `ladder_managers` answers it for a batch's stores in one query.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import context
from .business_calendar import (
    CalendarRuntime,
    add_business_time,
    business_time_between,
    get_calendar,
    hours_to_timedelta,
)
from .choices import NotificationLevel

logger = logging.getLogger(__name__)

# a batch's events, by COPY: the columns `core.events.build_event` fills
EVENT_FIELDS = (
    "event_type",
    "actor",
    "target_type",
    "target_id",
    "old",
    "new",
    "message",
    "request_id",
    "remote_addr",
    "via",
    "created_at",
)
NOTIFICATION_FIELDS = ("recipient", "title", "body", "url", "level", "kind", "created_at")  # a batch's, by COPY
CALENDAR_KEY = "service.sla_calendar"  # the SLA calendar every document's clocks use (policy, 24×7 default)


# --- terms -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ClockPolicy:
    """The policy keys of a document's clocks: its calendar, durations in hours and in minutes (by name)."""

    hours: Mapping[str, str]
    minutes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    calendar_key: str = CALENDAR_KEY

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.calendar_key, *self.hours.values(), *self.minutes.values())


@dataclasses.dataclass(frozen=True)
class Terms:
    """The calendar and durations in force at one moment; durations read as attributes (`terms.escalation`)."""

    calendar: CalendarRuntime
    durations: Mapping[str, dt.timedelta]

    def __getattr__(self, name: str) -> dt.timedelta:
        try:
            return self.__dict__["durations"][name]
        except KeyError:
            raise AttributeError(name) from None

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        return add_business_time(self.calendar, start, duration)

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        return business_time_between(self.calendar, start, end)


class TermsBook:
    """A policy's history, loaded once: `terms_at(moment)` without a query per document."""

    def __init__(self, policy: ClockPolicy):
        from .models import PolicyValue
        from .policy import typed

        self.policy = policy
        rows = (
            PolicyValue.objects.select_related("parameter")
            .filter(parameter__key__in=policy.keys)
            .order_by("effective_from", "number")
        )
        self._history: dict[str, list[tuple[dt.datetime, object]]] = {key: [] for key in policy.keys}
        for row in rows:
            self._history[row.parameter.key].append((row.effective_from, typed(row.parameter, row.value)))
        self._calendars: dict[str, CalendarRuntime] = {}
        self._cache: dict[tuple, Terms] = {}

    def value_at(self, key: str, at: dt.datetime):
        found = None
        for effective_from, value in self._history.get(key, []):
            if effective_from <= at:
                found = value
            else:
                break
        if found is None:
            from .policy import policy_value

            return policy_value(key, at)  # raises the standard policy.no_value error
        return found

    def calendar(self, code: str) -> CalendarRuntime:
        if code not in self._calendars:
            self._calendars[code] = CalendarRuntime(get_calendar(code))
        return self._calendars[code]

    def terms_at(self, at: dt.datetime) -> Terms:
        policy = self.policy
        values = tuple(self.value_at(key, at) for key in policy.keys)
        if values not in self._cache:
            named = dict(zip(policy.keys, values, strict=True))
            durations = {name: hours_to_timedelta(named[key]) for name, key in policy.hours.items()}
            durations |= {name: dt.timedelta(minutes=int(named[key])) for name, key in policy.minutes.items()}
            self._cache[values] = Terms(calendar=self.calendar(str(named[policy.calendar_key])), durations=durations)
        return self._cache[values]


# --- pause and resume ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ClockFields:
    """Where a document keeps its clocks. `deadlines`: due field → the field that, once set, stops that clock
    (None: runs until the document leaves its running states); `warned`: due field → its warned-at field."""

    deadlines: Mapping[str, str | None]
    warned: Mapping[str, str] = dataclasses.field(default_factory=dict)
    paused_at: str = "paused_at"
    paused_from: str = "paused_from_status"
    paused_seconds: str = "paused_business_seconds"
    status: str = "status"


def pause(obj, fields: ClockFields, now: dt.datetime) -> None:
    """The clocks stop: remember when and from which status (the caller moves the status)."""
    setattr(obj, fields.paused_at, now)
    setattr(obj, fields.paused_from, getattr(obj, fields.status))


def resume(obj, fields: ClockFields, now: dt.datetime, terms: Terms) -> dt.timedelta:
    """The pause ends: extend the open deadlines by the paused span in business time; returns the span."""
    paused_at = getattr(obj, fields.paused_at)
    span = terms.between(paused_at, now) if paused_at else dt.timedelta(0)
    extend(obj, fields, span, terms)
    setattr(obj, fields.paused_at, None)
    setattr(obj, fields.paused_from, "")
    return span


def extend(obj, fields: ClockFields, span: dt.timedelta, terms: Terms, *, only: Iterable[str] | None = None) -> None:
    """Move each still-open deadline (or those in `only`) by `span` of business time; their warnings re-arm."""
    if not span:
        return
    setattr(obj, fields.paused_seconds, getattr(obj, fields.paused_seconds) + int(span.total_seconds()))
    for due_field, stopped_by in fields.deadlines.items():
        if only is not None and due_field not in only:
            continue
        if stopped_by is not None and getattr(obj, stopped_by) is not None:
            continue
        setattr(obj, due_field, terms.add(getattr(obj, due_field), span))
        if due_field in fields.warned:
            setattr(obj, fields.warned[due_field], None)


# --- the batched sweep -------------------------------------------------------------------------------


class BatchWriter:
    """What a sweep writes for one batch of locked rows, gathered in memory and then written with one
    statement per table (facts such as breaches and escalations, the documents, events, notifications,
    audit entries) — a batch of 200 due documents costs a handful of queries, not dozens per document."""

    def __init__(self, now: dt.datetime, existing: set | None = None):
        self.now = now
        self.existing = existing if existing is not None else set()  # keys of facts already recorded
        self.facts: dict[type, list] = {}  # model → new rows (breaches, escalations …), in creation order
        self.events: list = []
        self.notifications: list = []
        self._content_types: dict[type, int] = {}
        self.changed: dict[tuple, tuple[object, object, set[str]]] = {}
        self.counts: dict[str, int] = {}

    def prepare(self, rows: list) -> None:
        """Read what handling `rows` will need in a few queries for the whole batch (recipients …); by default
        nothing. Called once per batch, before `handle` runs on its rows."""

    def count(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by

    def change(self, obj, **values) -> None:
        """Set fields on the locked row, remembering its state before the first change (for the audit diff)."""
        key = (type(obj), obj.pk)
        if key not in self.changed:
            self.changed[key] = (copy.copy(obj), obj, set())
        for field, value in values.items():
            setattr(obj, field, value)
        self.changed[key][2].update(values)

    def fact(self, key, row) -> bool:
        """Record a fact row once (by `key`); False when it was already recorded."""
        if key in self.existing:
            return False
        self.existing.add(key)
        self.facts.setdefault(type(row), []).append(row)
        return True

    def event(self, *, event_type, target, old=None, new=None, message: str = "", at=None) -> None:
        """A timeline event as `core.events.build_event(actor=None, …)` makes it, kept as column values (`EVENT_FIELDS`):
        a sweep writes thousands, and an `Event` instance for each costs more than writing it (issue 17 §3)."""
        ctx = context.current()
        user = ctx.user
        actor_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
        self.events.append(
            (
                event_type,
                actor_id,
                self._content_type_id(target),
                str(target.pk),
                old,
                new,
                str(message)[:300],
                ctx.request_id,
                ctx.remote_addr,
                ctx.via,
                at or timezone.now(),
            )
        )

    def _content_type_id(self, target) -> int:
        """`build_event`'s `target_type` (the model's own content type, proxies included), once per model."""
        model = type(target)
        if model not in self._content_types:
            from django.contrib.contenttypes.models import ContentType

            self._content_types[model] = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        return self._content_types[model]

    def notify(
        self, *, recipients: Iterable, title: str, body: str = "", url: str = "", level: str = "", kind: str = ""
    ) -> None:
        """One notification per distinct active recipient, as `core.notifications.build_notifications` makes them,
        kept as column values: a sweep writes thousands, and a model instance for each costs as much as writing it."""
        message = (str(title)[:200], str(body), url, str(level or NotificationLevel.INFO), kind)
        for recipient_id in dict.fromkeys(user.pk for user in recipients if user is not None and user.is_active):
            self.notifications.append((recipient_id, *message))

    def write(self) -> None:
        """One statement per table, new rows by `COPY` (`core.bulk.copy_create`: thousands of rows per sweep are
        not compiled and quoted as SQL); a unique-constraint hit (IntegrityError) leaves the caller to retry."""
        from .audit import bulk_audit
        from .bulk import bulk_set, copy_create, copy_insert
        from .models import Notification

        for rows in self.facts.values():
            copy_create(rows)
        by_model: dict[type, list] = {}
        for (model, _pk), entry in self.changed.items():
            by_model.setdefault(model, []).append(entry)
        stamp = timezone.now()
        for model, entries in by_model.items():
            rows = [new for _old, new, _fields in entries]
            fields = set().union(*(fields for _old, _new, fields in entries))
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                for row in rows:
                    row.updated_at = stamp
                fields.add("updated_at")
            bulk_set(rows, sorted(fields))
        _write_events(self.events)
        copy_insert(Notification, NOTIFICATION_FIELDS, [(*row, stamp) for row in self.notifications])
        bulk_audit(
            created=[row for rows in self.facts.values() for row in rows],
            updated=[(old, new, fields) for old, new, fields in self.changed.values()],
        )


def _write_events(rows: list) -> None:
    """The batch's events by `COPY` (`copy_insert`); were `Event` to gain a column `BatchWriter.event` doesn't fill,
    as instances with that column's default (`copy_create`), as `build_event` leaves it."""
    from .bulk import copy_create, copy_insert
    from .models import Event

    if not rows:
        return
    names = [field.name for field in Event._meta.concrete_fields if not field.primary_key]
    if names == list(EVENT_FIELDS):
        copy_insert(Event, EVENT_FIELDS, rows)
        return
    attnames = [Event._meta.get_field(name).attname for name in EVENT_FIELDS]
    copy_create([Event(**dict(zip(attnames, row, strict=True))) for row in rows])


def ladder_managers(stores: Iterable, level: int) -> dict[int, list]:
    """`core.directory.level_managers(store, level)` for many stores at once: store id → the managers, in one
    query for the store (0) or region (1) level — a sweep asks once per batch, not once per store."""
    from .directory import HQ_LEVEL_ROLE, REGION_LEVEL_ROLE, STORE_LEVEL_ROLES, holders
    from .models import Membership

    stores = list(stores)
    if level >= 2:
        at_hq = holders(HQ_LEVEL_ROLE, hq=True)
        return {store.pk: at_hq for store in stores}
    if level <= 0:
        roles, unit_of = STORE_LEVEL_ROLES, (lambda store: store.pk)
    else:
        roles, unit_of = (REGION_LEVEL_ROLE,), (lambda store: store.parent_id)
    by_unit: dict[int, dict[int, object]] = {unit: {} for unit in {unit_of(store) for store in stores} - {None}}
    if by_unit:
        memberships = (
            Membership.objects.filter(role__name__in=roles, org_unit_id__in=list(by_unit), user__is_active=True)
            .select_related("user")
            .order_by("user_id")
        )
        for membership in memberships:  # a user holding both store roles is told once, as `holders` answers
            by_unit[membership.org_unit_id].setdefault(membership.user_id, membership.user)
    return {store.pk: list(by_unit.get(unit_of(store), {}).values()) for store in stores}


def sweep_batches(
    queryset,
    order_field: str,
    handle: Callable | Sequence[Callable],
    *,
    now: dt.datetime,
    batch_size: int,
    existing: Callable[[list], set],
    totals: dict[str, int],
    writer: Callable[[set], BatchWriter] | None = None,
    lanes: int | None = None,
) -> None:
    """Lock and handle the rows of `queryset` a batch per transaction; rows another worker holds are skipped.

    `handle(row, writer)` decides on the locked row and gathers its writes — or a sequence of such steps (each
    document clock that may be due on the row), run in order; `existing(rows)` returns the keys of the facts
    already recorded for them; `writer(existing)` makes the batch's writer (a `BatchWriter` subclass with the
    document's own helpers). The batch's writes go in together; if a unique constraint refuses them, the batch is
    redone a row at a time, each on the row as it now is, and a row still refused has its steps redone one at a
    time (a conflict on one clock does not hold back another). Counts add up in `totals`.

    `lanes` (default `settings.SWEEP_LANES`): how many database connections take batches at once — see
    `sweep_lanes`. A lane is exactly a second worker running the same sweep, which is safe by construction.
    """
    steps = tuple(handle) if isinstance(handle, Sequence) else (handle,)
    work = (queryset, order_field, steps, now, batch_size, existing, writer)
    count = sweep_lanes(lanes)
    with cyclic_gc_paused():
        if count <= 1:
            _sweep_lane(*work, totals)
            return
        _sweep_in_lanes(work, totals, count)


def sweep_lanes(requested: int | None = None) -> int:
    """How many connections a sweep may use here: `requested` or `settings.SWEEP_LANES` (default 2) on PostgreSQL
    outside a transaction, else 1.

    Issue 17 §3: a batch is Python deciding and building rows, then PostgreSQL writing them — one waits while the
    other works. With two lanes one connection writes and commits its batch while the other lane's rows are
    handled, so the two halves overlap (on two cores, the wall time of a 1 000-due sweep falls to about the
    larger half). Rows are shared out by `FOR UPDATE SKIP LOCKED`, exactly as between two workers. One lane
    where that cannot hold: SQLite (no row locks: writers queue) or a caller already in a transaction (the
    other connection could not see its rows — tests, or a sweep run from inside a service).
    """
    from django.conf import settings
    from django.db import connection

    count = requested if requested is not None else int(getattr(settings, "SWEEP_LANES", 2))
    if count <= 1 or connection.in_atomic_block or not connection.features.has_select_for_update_skip_locked:
        return 1
    return count


def _sweep_lane(queryset, order_field, steps, now, batch_size, existing, writer, totals, on_full_batch=None) -> None:
    from .bulk import locked_batches

    for rows in locked_batches(queryset, order_field, batch_size):
        if on_full_batch is not None and len(rows) >= batch_size:  # more may follow: the other lanes start
            on_full_batch()
            on_full_batch = None
        if _handle_together(rows, steps, now, existing, totals, writer):
            continue
        for row in rows:
            row.refresh_from_db()
            if _handle_together([row], steps, now, existing, totals, writer) or len(steps) == 1:
                continue
            for step in steps:
                row.refresh_from_db()
                _handle_together([row], (step,), now, existing, totals, writer)


def _sweep_in_lanes(work: tuple, totals: dict[str, int], count: int) -> None:
    """This thread is one lane; `count - 1` threads are the others, each on its own connection, in a copy of this
    thread's context (actor, request id, via) and under the configuration stamp this thread reads. They start only
    once this lane's first batch comes back full (a sweep with one batch or nothing due, the usual minute, opens no
    other connection). Each lane keeps its own counts; they are added to `totals` once every lane has finished. The
    first error of any lane is raised here after all have stopped."""
    import contextvars
    import threading

    from django.db import connections

    from . import config_cache

    stamp: list[str] = []  # read when the other lanes start
    lane_totals = [{} for _ in range(count)]
    errors: list[BaseException] = []

    def other_lane(index: int) -> None:
        try:
            with config_cache.unit_of_work():
                config_cache.adopt(stamp[0])
                _sweep_lane(*work, lane_totals[index])
        except BaseException as error:  # noqa: BLE001 — handed to the calling thread, which raises it
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connections only

    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(other_lane, index), name=f"sweep-lane-{index}")
        for index in range(1, count)
    ]
    started: list[threading.Thread] = []

    def start_others() -> None:
        stamp.append(config_cache.current_stamp())
        for thread in threads:
            thread.start()
            started.append(thread)

    try:
        _sweep_lane(*work, lane_totals[0], on_full_batch=start_others)
    finally:
        for thread in started:
            thread.join()
    if errors:
        raise errors[0]
    for counts in lane_totals:
        for name, value in counts.items():
            totals[name] = totals.get(name, 0) + value


@contextlib.contextmanager
def cyclic_gc_paused():
    """Python's cyclic garbage collector off for the block (as it was before, after it).

    Issue 17 §3: a batch keeps thousands of rows, events, notifications and audit entries alive at once, and their
    allocations set off the collector's full passes over every object of the process (~170 k in a worker: about
    0.1 s of CPU each, one or two per 1 000 due). What a sweep allocates is freed by reference counting when its
    batch ends (no reference cycles), so the pass finds nothing of it to collect; with the collector off the
    allocation counts fall back as the rows are freed, and no pass is owed afterwards either.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _handle_together(rows, steps, now, existing, totals, make_writer) -> bool:
    writer = (make_writer or (lambda facts: BatchWriter(now, facts)))(existing(rows))
    writer.prepare(rows)
    for row in rows:
        for step in steps:
            step(row, writer)
    try:
        with transaction.atomic():
            writer.write()
    except IntegrityError:
        logger.warning("sweep: a fact of %s rows %s was recorded by another writer", type(rows[0]).__name__,
                       [row.pk for row in rows])  # fmt: skip
        return False
    for name, value in writer.counts.items():
        totals[name] = totals.get(name, 0) + value
    return True
