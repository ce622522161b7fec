"""Gapless document numbers per type: `SR-20261122-0001` (DESIGN §4).

The counter row of the period is locked (`UPDATE … RETURNING`) for the rest of the caller's
transaction, so two creators queue and neither sees the other's number; if the caller's
transaction rolls back, the number is given back with it — no gaps, no duplicates. The lock is held
to the commit, so a hot document takes its number as late as it can (`core.inserts.insert_created(number=…)`). The series itself (prefix,
reset, padding) is read once per process and configuration stamp (`core.config_cache`).
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import config_cache
from .choices import ResetPeriod
from .exceptions import DomainError
from .models import NumberCounter, NumberSeries


def _period_key(series: NumberSeries, at: datetime) -> str:
    local = timezone.localtime(at)
    if series.reset == ResetPeriod.DAILY:
        return local.strftime("%Y%m%d")
    if series.reset == ResetPeriod.YEARLY:
        return local.strftime("%Y")
    return ""


def format_number(series: NumberSeries, period_key: str, value: int) -> str:
    parts = [series.prefix]
    if period_key:
        parts.append(period_key)
    parts.append(str(value).zfill(series.padding))
    return "-".join(parts)


def next_number(doc_type: str, *, at: datetime | None = None, series: dict | None = None) -> str:
    """Take the next number of `doc_type`. Must run inside the transaction that saves the document.

    `series`: how to create the series if it does not exist yet (`name`, `prefix`, `reset`, `padding`).
    One statement takes the number (`UPDATE … SET last_value = last_value + 1 RETURNING`): its row lock
    queues parallel creators until the caller's transaction ends.
    """
    return next_numbers(doc_type, 1, at=at, series=series)[0]


def next_numbers(doc_type: str, count: int, *, at: datetime | None = None, series: dict | None = None) -> list[str]:
    """Take `count` consecutive numbers of `doc_type` in one statement — for jobs that create documents in
    batches (issue 17 §4). Same rules as `next_number`: inside the saving transaction, given back on rollback."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must be called inside transaction.atomic()")
    if count < 1:
        return []
    found = config_cache.cached(("series", doc_type), lambda: NumberSeries.objects.filter(doc_type=doc_type).first())
    if found is None:
        if series is None:
            raise DomainError("numbering.unknown_series", f"未配置编号规则：{doc_type}")
        found = ensure_series(doc_type, **series)
    period_key = _period_key(found, at or timezone.now())
    last = _increment(found, period_key, count)
    if last is None:
        try:
            with transaction.atomic():  # savepoint: a parallel first-of-period insert may win
                NumberCounter.objects.create(series=found, period_key=period_key, last_value=count)
            last = count
        except IntegrityError:
            last = _increment(found, period_key, count)
    return [format_number(found, period_key, value) for value in range(last - count + 1, last + 1)]


def _increment(series: NumberSeries, period_key: str, count: int = 1) -> int | None:
    """Add `count` to the period's counter and return the new value (None: no counter for the period yet)."""
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + %s WHERE series_id = %s AND period_key = %s"
            " RETURNING last_value",
            [count, series.pk, period_key],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def ensure_series(doc_type: str, *, name: str, prefix: str, reset: str = ResetPeriod.DAILY, padding: int = 4):
    """Create a series if missing (apps call this from their data migrations or demo loader)."""
    series, _created = NumberSeries.objects.get_or_create(
        doc_type=doc_type, defaults={"name": name, "prefix": prefix, "reset": reset, "padding": padding}
    )
    return series
