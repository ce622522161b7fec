"""Per-process caches of what changes rarely and is read on every request, kept right by one stamp in the
database (issue 17 §1).

What is cached: each user's permissions (`core.auth`) and visible org units (`core.scoping`), policy
histories (`core.policy.policy_value`), SLA terms books with their calendars (`service.sla`) and number
series (`core.numbering`). Every cached value lives in a per-process dictionary tagged with the
**configuration stamp** it was read under: the row `core_configstamp` (`name="config"`), a random value that
`bump()` replaces — in the same transaction — whenever any of those things changes. Signals do it for every
ORM write of the models listed in `WATCHED` (admin, services, imports and tests alike); bulk writers that
send no signals (`bulk_create`, `QuerySet.update`) call `bump()` themselves, and every `migrate` ends with one
(`CoreConfig`'s reference-data seed).

A request (or Celery task) reads the stamp once, at its start — the API's token lookup carries it in the
same query — and uses the process's values only if they were read under that stamp; otherwise the process
drops them all and reads afresh. A change committed by any worker on any node is therefore in force from the
next request everywhere: the stamp lives in the shared database, not in process memory. Outside a request or
task (shell, management commands, tests calling services directly) the stamp is read on each use.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

NAME = "config"
MAX_ENTRIES = 20_000  # a process holding more (users × kinds) starts over rather than grow without bound

T = TypeVar("T")

_local = threading.local()  # .active: inside a request/task; .stamp: the stamp read for it (None: not yet)
_store: tuple[str | None, dict] = (None, {})  # (stamp, values) — replaced as a whole, never mutated across stamps


def _read_stamp() -> str:
    from .models import ConfigStamp

    table = connection.ops.quote_name(ConfigStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {table} WHERE name = %s", [NAME])  # noqa: S608 — a model's table name
        row = cursor.fetchone()
    return row[0] if row else ""


def current_stamp() -> str:
    """The configuration stamp for the current request or task (read once), or read now outside one."""
    if getattr(_local, "active", False):
        stamp = getattr(_local, "stamp", None)
        if stamp is None:
            stamp = _local.stamp = _read_stamp()
        return stamp
    return _read_stamp()


def stamp_subquery():
    """The stamp as an expression, for a query the request makes anyway (the API token lookup)."""
    from django.db.models import Subquery

    from .models import ConfigStamp

    return Subquery(ConfigStamp.objects.filter(name=NAME).values("stamp")[:1])


def adopt(stamp: str | None) -> None:
    """Use `stamp` (read by the caller in its own query) as the current request's stamp."""
    if getattr(_local, "active", False) and getattr(_local, "stamp", None) is None:
        _local.stamp = stamp or ""


def cached(key, load: Callable[[], T]) -> T:
    """The value of `key` read under the current stamp; `load()` reads it when this process has not yet."""
    global _store
    stamp = current_stamp()
    store = _store
    if store[0] != stamp:
        store = _store = (stamp, {})
    values = store[1]
    try:
        return values[key]
    except KeyError:
        pass
    _local.filling = getattr(_local, "filling", 0) + 1  # issue 17: query budgets skip what load() runs
    try:
        value = load()
    finally:
        _local.filling -= 1
    if len(values) >= MAX_ENTRIES:
        values.clear()
    values[key] = value
    return value


def filling() -> bool:
    """Whether this thread is inside a `cached()` `load()` now (issue 17: query budgets do not count it)."""
    return getattr(_local, "filling", 0) > 0


def clear() -> None:
    """Forget every cached value of this process (tests start from nothing)."""
    global _store
    _store = (None, {})
    if getattr(_local, "active", False):
        _local.stamp = None


def bump(**_signal_kwargs) -> None:
    """A new stamp, written in the caller's transaction: every process re-reads what it cached once this
    commits (and this process at once). Also a signal receiver (it ignores the signal's arguments)."""
    from .models import ConfigStamp

    stamp = uuid.uuid4().hex
    now = timezone.now()
    if not ConfigStamp.objects.filter(name=NAME).update(stamp=stamp, changed_at=now):
        try:
            with transaction.atomic():
                ConfigStamp.objects.create(name=NAME, stamp=stamp, changed_at=now)
        except IntegrityError:  # a parallel first bump created it
            ConfigStamp.objects.filter(name=NAME).update(stamp=stamp, changed_at=now)
    clear()
    if getattr(_local, "active", False):
        _local.stamp = stamp


@contextmanager
def unit_of_work():
    """A request or task: the stamp is read at most once inside."""
    begin()
    try:
        yield
    finally:
        end()


def begin(**_signal_kwargs) -> None:
    _local.active = True
    _local.stamp = None


def end(**_signal_kwargs) -> None:
    _local.active = False
    _local.stamp = None


def watched_models():
    """Models whose every saved or deleted row changes what the caches hold."""
    from django.contrib.auth.models import Group, Permission

    from . import models

    return (
        models.Membership,
        models.OrgUnit,
        models.PolicyParameter,
        models.PolicyValue,
        models.BusinessCalendar,
        models.WorkingWindow,
        models.StatutoryDay,
        models.NumberSeries,
        Group,
        Permission,
    )


def watch(*models) -> None:
    """An app's models whose rows the caches depend on (e.g. a provider's dispatchers): every save, delete and
    many-to-many change of them replaces the stamp. Call from the app's `AppConfig.ready()`; for a
    many-to-many relation pass its `through` model."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        label = model._meta.label_lower
        post_save.connect(bump, sender=model, dispatch_uid=f"config_cache.save.{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"config_cache.delete.{label}")
        m2m_changed.connect(bump, sender=model, dispatch_uid=f"config_cache.m2m.{label}")


def connect() -> None:
    """Wire the stamp to the ORM, requests and Celery tasks (`CoreConfig.ready`)."""
    from django.contrib.auth.models import Group
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import User

    for model in watched_models():
        label = model._meta.label_lower
        post_save.connect(bump, sender=model, dispatch_uid=f"config_cache.save.{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"config_cache.delete.{label}")
    for through in (Group.permissions.through, User.user_permissions.through, User.groups.through):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"config_cache.m2m.{through._meta.label_lower}")
    request_started.connect(begin, dispatch_uid="config_cache.request_started")
    request_finished.connect(end, dispatch_uid="config_cache.request_finished")
    try:
        from celery.signals import task_postrun, task_prerun
    except ImportError:  # pragma: no cover - celery is a dependency
        return
    task_prerun.connect(begin, weak=False, dispatch_uid="config_cache.task_prerun")
    task_postrun.connect(end, weak=False, dispatch_uid="config_cache.task_postrun")
