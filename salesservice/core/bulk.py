"""Writing many rows at once, for jobs whose cost must follow the number of rows, not the number of
queries per row (the SLA sweep, DESIGN §8)."""

from django.db import connection, transaction
from django.db.models import Q


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
    with connection.wrap_database_errors, connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields])
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias
    return rows
