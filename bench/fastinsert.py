"""Bulk row writer for generated data: PostgreSQL COPY, elsewhere `executemany` in batches.

Rows bypass model `save()`, signals (so django-auditlog writes nothing of its own) and
`auto_now_add`, so generated timestamps spread over the past survive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models, transaction


class Json(str):
    """A JSON value dumped once, to be reused by many rows."""


def dumps(value) -> Json:
    return Json(json.dumps(value, ensure_ascii=False))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (tuples in `columns` order; attnames such as `actor_id`) into `model`'s table.

    JSON columns take `Json` strings or None. Each batch is its own transaction, so memory stays
    flat. Returns the number of rows written.
    """
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_sql = ", ".join(quote(fields[c].column) for c in columns)
    postgres = connection.vendor == "postgresql"
    # SQLite stores datetimes as text: let the backend format them. psycopg adapts them itself.
    datetime_positions = (
        [] if postgres else [i for i, c in enumerate(columns) if isinstance(fields[c], models.DateTimeField)]
    )
    batch_size = 50_000 if postgres else 10_000
    total = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, batch_size)):
        if datetime_positions:
            batch = [_adapt(row, datetime_positions) for row in batch]
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})", batch)
        total += len(batch)
    return total


def _adapt(row: Sequence, positions: list[int]) -> list:
    row = list(row)
    for i in positions:
        row[i] = connection.ops.adapt_datetimefield_value(row[i])
    return row


def truncate(*models_: type[models.Model]) -> None:
    """Empty tables fast (TRUNCATE on PostgreSQL, DELETE elsewhere). Bench databases only."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models_]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def truncate_cascade(*models_: type[models.Model]) -> None:
    """Empty tables and every table that refers to them (TRUNCATE … CASCADE). Bench databases only.

    Elsewhere the referring rows are deleted first, depth first, with plain DELETEs.
    """
    if connection.vendor == "postgresql":
        tables = [connection.ops.quote_name(m._meta.db_table) for m in models_]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        return
    done: set = set()

    def empty(model) -> None:
        if model in done:
            return
        done.add(model)
        for relation in model._meta.related_objects:
            if relation.related_model is not model:
                empty(relation.related_model)
        for field in model._meta.local_many_to_many:
            empty(field.remote_field.through)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")

    for model in models_:
        empty(model)


def analyze(*models_: type[models.Model]) -> None:
    """Refresh planner statistics (and the visibility map on PostgreSQL) after a bulk load."""
    with connection.cursor() as cursor:
        for model in models_:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM (ANALYZE) {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")
