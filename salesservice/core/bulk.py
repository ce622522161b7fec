"""Writing many rows at once, for jobs whose cost must follow the number of rows, not the number of
queries per row (the SLA sweep, DESIGN §8)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from operator import attrgetter
from types import NoneType

from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.fields import AutoFieldMixin


def bulk_set(rows, field_names) -> None:
    """Save `field_names` of `rows` (instances of one model) in one UPDATE.

    A field with the same value on every row is set once (`SET f = %s … WHERE id IN (…)`); on PostgreSQL
    the others are joined from a `VALUES` list. Django's `bulk_update` writes a `CASE` per row and field,
    whose compilation costs about a millisecond per row; it remains the path on other databases.
    Sends no signals and skips `auto_now`: the caller sets such fields and writes any audit entries.
    """
    rows = list(rows)
    if not rows:
        return
    model = type(rows[0])
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(rows, [field.name for field in fields])
        return
    values = {
        field: [field.get_db_prep_save(getattr(row, field.attname), connection) for row in rows] for field in fields
    }
    constant, varying = [], []
    for field in fields:
        try:
            same = len(set(values[field])) == 1
        except TypeError:  # unhashable (JSON): treat as varying
            same = False
        (constant if same else varying).append(field)

    quote = connection.ops.quote_name
    assignments, params = [], []
    for field in constant:
        assignments.append(f"{quote(field.column)} = %s")
        params.append(values[field][0])
    for field in varying:
        assignments.append(f"{quote(field.column)} = v.{quote(field.column)}")
    pk = meta.pk
    if varying:
        row_sql = (
            "("
            + ", ".join(
                [f"%s::{pk.cast_db_type(connection)}", *(f"%s::{field.cast_db_type(connection)}" for field in varying)]
            )
            + ")"
        )
        columns = ", ".join(quote(column) for column in ["id", *(field.column for field in varying)])
        sql = (
            f"UPDATE {quote(meta.db_table)} AS t SET {', '.join(assignments)}"
            f" FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({columns})"
            f" WHERE t.{quote(pk.column)} = v.id"
        )
        for index, row in enumerate(rows):
            params.extend([row.pk, *(values[field][index] for field in varying)])
    else:
        sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {quote(pk.column)} = ANY(%s)"
        params.append([row.pk for row in rows])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def locked_batches(queryset, order_field: str, batch_size: int):
    """Yield the rows of `queryset` a batch at a time, each batch in its own transaction with its rows
    locked (`FOR UPDATE SKIP LOCKED` where the database has it: rows another worker holds are left to it).

    The caller handles a batch inside that transaction (the generator is suspended within it). Pages by
    keyset on `(order_field, pk)`: a job whose handling moves a row out of the list, or past the moment it
    looks at, never sees it again and never re-reads what it already passed — the periodic sweeps.
    """
    after = None
    while True:
        with transaction.atomic():
            batch = queryset
            if after is not None:
                batch = batch.filter(
                    Q(**{f"{order_field}__gt": after[0]}) | Q(**{order_field: after[0], "pk__gt": after[1]})
                )
            batch = batch.order_by(order_field, "pk")
            if connection.features.has_select_for_update_skip_locked:
                batch = batch.select_for_update(skip_locked=True, of=("self",))
            rows = list(batch[:batch_size])
            if rows:
                after = (getattr(rows[-1], order_field), rows[-1].pk)
                yield rows
        if len(rows) < batch_size:
            return


def copy_create(rows) -> list:
    """Insert unsaved `rows` (instances of one model) in one statement and give them their primary keys.

    On PostgreSQL: the keys are drawn from the table's sequence in one query, the rows go in by `COPY` — no SQL
    to compile and no parameters to quote, where Django's `bulk_create` spends most of its time for thousands
    of rows (issue 17 §4). A constraint violation raises Django's `IntegrityError`, as `bulk_create` would. Elsewhere: `bulk_create`. Like
    `bulk_create` it sends no signals; `auto_now`/`auto_now_add` fields are filled. The caller writes the
    audit entries it owes.
    """
    rows = list(rows)
    if not rows:
        return rows
    model = type(rows[0])
    meta = model._meta
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(rows)
    quote = connection.ops.quote_name
    fields = list(meta.concrete_fields)
    plan = [(field, field.attname, _needs_pre_save(field), _plain_types(field), _json_dumps(field)) for field in fields]
    with connection.wrap_database_errors, connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        values = [
            _column(
                field,
                plain,
                dumps,
                [field.pre_save(row, add=True) for row in rows] if pre_save else list(map(attrgetter(attname), rows)),
            )
            for field, attname, pre_save, plain, dumps in plan
        ]
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in zip(*values, strict=True):
                copy.write_row(row)
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def copy_insert(model, names: Sequence[str], values: Iterable[Sequence]) -> None:
    """Insert rows given as values for the fields `names` of `model` (Python values, as on an instance); the
    primary key comes from its sequence, columns not named are NULL.

    For many rows nobody reads back (a sweep's notifications): on PostgreSQL they go in by `COPY` with no model
    instance built per row, which costs about as much as writing it, and the values go in as given; elsewhere
    they become instances for `bulk_create` (which fills `auto_now` fields). No signals, no keys returned.
    """
    values = list(values)
    if not values:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        attnames = [field.attname for field in fields]
        model._default_manager.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in values])
        return
    if set(map(len, values)) != {len(fields)}:
        raise ValueError(f"copy_insert: every row needs {len(fields)} values ({', '.join(names)})")
    quote = connection.ops.quote_name
    by_column = [
        _column(field, _plain_types(field), _json_dumps(field), list(column))
        for field, column in zip(fields, zip(*values, strict=True), strict=True)
    ]
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in zip(*by_column, strict=True):
                copy.write_row(row)


def _needs_pre_save(field) -> bool:
    """False where `pre_save` is only `getattr` (the common case: no `auto_now`, no custom hook)."""
    if type(field).pre_save is models.Field.pre_save:
        return False
    if type(field).pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save):
        return bool(field.auto_now or field.auto_now_add)
    return True


# Django's own field classes whose preparation leaves a value of these exact types as it is (int(), str(), an aware
# datetime returned unchanged on PostgreSQL) — for them `copy_create` skips the per-value `get_db_prep_save`,
# which is most of its cost on thousands of rows. Subclasses that override a preparation step are not plain.
_PLAIN = (
    (models.IntegerField, (int,)),
    (models.CharField, (str,)),
    (models.TextField, (str,)),
    (models.BooleanField, (bool,)),
    (models.DateTimeField, (dt.datetime,)),
)


def _plain_types(field) -> tuple[type, ...]:
    """The exact value types `field` writes unchanged; () when every value goes through `get_db_prep_save`."""
    cls = type(field)
    if isinstance(field, models.ForeignKey):
        if cls.get_db_prep_save is not models.ForeignKey.get_db_prep_save:
            return ()
        return _plain_types(field.target_field)
    for base, types in _PLAIN:
        if (
            isinstance(field, base)
            and cls.get_db_prep_save is models.Field.get_db_prep_save
            and cls.get_db_prep_value
            in (models.Field.get_db_prep_value, AutoFieldMixin.get_db_prep_value, base.get_db_prep_value)
            and cls.get_prep_value is base.get_prep_value
            and cls.to_python is base.to_python
        ):
            return types
    return ()


def _json_dumps(field):
    """For a JSONField of Django's own class on PostgreSQL, the `json.dumps` (with the field's encoder) that Django's
    preparation hands psycopg (`adapt_json_value`: `Jsonb(value, dumps=…)`), whose text `COPY` writes; else None.

    Issue 17 §3: a sweep writes a JSON value or three per row (events' old/new, audit entries' changes, channel and
    data); giving `COPY` that text directly skips Django's preparation and psycopg's wrapper for each."""
    from django.db.backends.postgresql.operations import DatabaseOperations, get_json_dumps

    cls = type(field)
    if (
        isinstance(field, models.JSONField)
        and cls.get_db_prep_save is models.JSONField.get_db_prep_save
        and cls.get_db_prep_value is models.JSONField.get_db_prep_value
        and cls.get_prep_value is models.Field.get_prep_value
        and type(connection.ops).adapt_json_value is DatabaseOperations.adapt_json_value
    ):
        return get_json_dumps(field.encoder)
    return None


def _column(field, plain, dumps, values: list) -> list:
    """The values of one column as the database takes them: `_prepared` of each, done for the whole column at once
    where it can be (issue 17 §3) — a column holding only the field's plain types (and None, and aware datetimes)
    goes in as it is, one of dicts and lists (and None) is dumped in one pass; any other value by value."""
    kinds = set(map(type, values))
    kinds.discard(NoneType)
    if plain and kinds <= set(plain):
        if dt.datetime not in kinds or all(value.tzinfo is not None for value in values if value is not None):
            return values
    elif dumps is not None and kinds <= {dict, list}:
        return [None if value is None else dumps(value) for value in values]
    return [_prepared(field, plain, value, dumps) for value in values]


def _prepared(field, plain, value, dumps=None):
    if plain and (value is None or type(value) in plain):
        if type(value) is not dt.datetime or value.tzinfo is not None:  # a naive one gets Django's warning
            return value
    elif dumps is not None and (type(value) is dict or type(value) is list):  # None stays SQL NULL (Django's)
        return dumps(value)
    return field.get_db_prep_save(value, connection)
