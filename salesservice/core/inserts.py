"""The lean insert of a new document with its audit entry and timeline event (issue 17 §2).

`Model.save()` on a new row compiles its `INSERT` anew each time (Django has no statement cache: ~0.4 ms of
CPU per insert), then auditlog's `post_save` receiver diffs the instance against nothing and saves a
`LogEntry` the same way, and the service saves an `Event` the same way again. For a create the kernel already
knows the change — every field is new — so `insert_created(instance, event)` writes the three rows with
statements built once per model and process (`insert_one`), the audit entry carrying exactly what auditlog's
receiver would have written (its own diff function, our `fill_log_entry` for who/where/channel). Signals of
the document's model other than auditlog's are still sent (`post_save` with `created=True`, `raw=False`).

On a database that cannot return the new key from an `INSERT` (`can_return_columns_from_insert`), for a model
with multi-table inheritance or one that overrides `save()`, `insert_one` falls back to `save()`.
"""

from __future__ import annotations

from django.db import connections, models, router
from django.db.models.signals import post_save, pre_save

_plans: dict[tuple[type, str], tuple[list, str, models.Field]] = {}


def _passes_through(field) -> type | None:
    """The Python type whose values `field.get_db_prep_save(field.pre_save(instance, True))` hands on unchanged
    (str for a plain char or text field, int for an integer field or a foreign key to an integer key, bool for a
    boolean field), decided once from the field's class — or None when its preparation must run (dates, JSON,
    decimals, `auto_now`, any field with its own `pre_save` or preparation)."""
    from django.db.models import fields as f

    klass = type(field)
    if klass.pre_save is not f.Field.pre_save:
        return None
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        if (
            klass.get_db_prep_save is models.ForeignKey.get_db_prep_save
            and isinstance(target, (f.AutoField, f.BigAutoField, f.SmallAutoField))
            and type(target).get_prep_value is f.IntegerField.get_prep_value
            and type(target).get_db_prep_save is f.Field.get_db_prep_save
        ):
            return int
        return None
    if (
        klass.get_db_prep_save is not f.Field.get_db_prep_save
        or klass.get_db_prep_value is not f.Field.get_db_prep_value
    ):
        return None
    if klass.get_prep_value in (f.CharField.get_prep_value, f.TextField.get_prep_value) and klass.to_python in (
        f.CharField.to_python,
        f.TextField.to_python,
    ):
        return str
    if klass.get_prep_value is f.IntegerField.get_prep_value:
        return int
    if klass.get_prep_value is f.BooleanField.get_prep_value and klass.to_python is f.BooleanField.to_python:
        return bool
    return None


def _plan(model: type, connection) -> tuple[list, str, models.Field]:
    key = (model, connection.alias)
    plan = _plans.get(key)
    if plan is None:
        meta = model._meta
        pk = meta.pk
        fields = [field for field in meta.local_concrete_fields if field is not pk or not pk.db_returning]
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(pk.column)}"
        )
        steps = [(field, field.attname, _passes_through(field)) for field in fields]
        plan = _plans[key] = (steps, sql, pk)
    return plan


def _params(steps, instance, connection) -> list:
    """The INSERT's values, as `field.get_db_prep_save(field.pre_save(instance, True))` gives them — a value of the
    type its field hands on unchanged is taken as it is (issue 17 §2)."""
    params = []
    append = params.append
    for field, attname, passes in steps:
        if passes is None:
            append(field.get_db_prep_save(field.pre_save(instance, True), connection=connection))
            continue
        value = getattr(instance, attname)
        if value is None or type(value) is passes:
            append(value)
        else:
            append(field.get_db_prep_save(value, connection=connection))
    return params


def insert_one(instance, *, send_signals: bool = True, pre_save_sent: bool = False):
    """INSERT `instance` (new, primary key from the database) by a statement built once per model; sets its key.

    `pre_save`/`post_save` are sent unless `send_signals=False` (auditlog's receivers included: callers that
    write their own audit entry use `insert_created`)."""
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    connection = connections[using]
    meta = model._meta
    if (
        not connection.features.can_return_columns_from_insert
        or meta.parents
        or not instance._state.adding
        or model.save is not models.Model.save  # a model's own save() logic must run
    ):
        instance.save(using=using)
        return instance
    if send_signals and not pre_save_sent:
        pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    steps, sql, pk = _plan(model, connection)
    params = _params(steps, instance, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (key,) = cursor.fetchone()
    setattr(instance, pk.attname, pk.to_python(key))
    instance._state.adding = False
    instance._state.db = using
    if send_signals:
        post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)
    return instance


def insert_created(instance, event=None, *, number=None, number_field: str = "number"):
    """A new document, its audit entry (as auditlog would write it) and its timeline event (`events.build_event`),
    each by a statement built once — inside the caller's transaction. On PostgreSQL the three rows go in one
    statement (`_insert_chained`) when nothing but the key depends on the document's new key.

    `number`: a function that takes the document's number (`numbering.next_number`), called at the last moment —
    just before the statement that inserts the document is sent. Until then the document's `number_field` and the
    event's values that are the number hold `PENDING_NUMBER`, and they are replaced by the number taken (in the
    audit entry too). The counter's row lock, which queues every other creator of the series
    until this transaction commits, is then held for the insert and the commit only, not for building the rows.
    """
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    from .audit import diff, log_entry

    model = type(instance)
    tracked = auditlog.contains(model)
    with disable_auditlog():
        using = router.db_for_write(model, instance=instance)
        connection = connections[using]
        if (
            tracked
            and connection.vendor == "postgresql"
            and not model._meta.parents
            and instance._state.adding
            and model.save is models.Model.save
            and getattr(instance, model._meta.pk.attname) is None
        ):
            pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
            if _insert_chained(instance, event, connection, using, number, number_field):
                post_save.send(
                    sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using
                )
                return instance
            _take_number(number, number_field, instance, event)
            insert_one(instance, pre_save_sent=True)
        else:
            _take_number(number, number_field, instance, event)
            insert_one(instance)
    if tracked:
        changes = diff(None, instance)
        if changes:
            insert_one(log_entry(instance, LogEntry.Action.CREATE, changes), send_signals=False)
    if event is not None:
        if event.target_id in (None, "", "None"):
            event.target_id = str(instance.pk)
        insert_one(event, send_signals=False)
    return instance


# --- the number taken last ---------------------------------------------------------------------------------------
#
# Numbers are gapless (DESIGN: numbering), so the counter row taken by `next_number` stays locked until the creating
# transaction ends and every other creator of the series waits for it. Taken before the rows are built, the lock
# also covered building them (0.46 ms of Python per service request, `bench/create_profile.py`-style timing) — with
# two workers at c=16 the creates queued on it (bench: 343–374 creates/s with the lock against 391–416 without).

PENDING_NUMBER = "\u2983number\u2984"  # ⦃number⦄: stands for the number until it is taken


def _replace_pending(value, number: str):
    """`value` (JSON-like: dicts and lists) with every item that is `PENDING_NUMBER` replaced by `number`."""
    if isinstance(value, str):
        return number if value == PENDING_NUMBER else value
    if isinstance(value, dict):
        return {key: _replace_pending(item, number) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_replace_pending(item, number) for item in value)
    return value


def _take_number(number, number_field: str, instance, event) -> None:
    """Before the rows are built: the number into the document's number field and the event's values."""
    if number is not None:
        taken = number()
        setattr(instance, number_field, taken)
        if event is not None:
            event.old, event.new = _replace_pending(event.old, taken), _replace_pending(event.new, taken)


def _put_number(params: list, position: int, rows_from: int, taken: str, instance, number_field: str, event, log):
    """After the rows are built: the number in place of `PENDING_NUMBER` in the statement's values — the document's
    number column (`position`), and from `rows_from` on (the audit entry's and the event's values) in text (the
    entry's `object_repr`) and JSON (psycopg's `Jsonb`, dumped when the statement is sent: the entry's changes, the
    event's values) — and on the objects the caller gets back."""
    params[position] = taken
    for i in range(rows_from, len(params)):
        value = params[i]
        if isinstance(value, str):
            if PENDING_NUMBER in value:
                params[i] = value.replace(PENDING_NUMBER, taken)
        elif hasattr(value, "obj") and hasattr(value, "dumps"):
            value.obj = _replace_pending(value.obj, taken)
    setattr(instance, number_field, taken)
    if event is not None:
        event.old, event.new = _replace_pending(event.old, taken), _replace_pending(event.new, taken)
    if log is not None:
        log.object_repr = log.object_repr.replace(PENDING_NUMBER, taken)
        log.changes = _replace_pending(log.changes, taken)


# --- the three rows in one statement (issue 17 §2) -------------------------------------------------------------
#
# The audit entry and the event of a new document differ from what could be written before the document only by its
# key: the entry's `object_pk`/`object_id` and the key's own line in `changes`, the event's `target_id`. So they are
# built with a stand-in key (`_STAND_IN`, checked to appear nowhere else), and one statement inserts the document,
# then the two rows with the key the database gave it:
#
#   WITH d AS (INSERT INTO <document> (…) VALUES (…) RETURNING id),
#        a AS (INSERT INTO <audit log> (…) VALUES (…, (SELECT id FROM d)::text, (SELECT id FROM d),
#                                              jsonb_set(%s::jsonb, '{id,1}', to_jsonb((SELECT id FROM d)::text)), …)
#              RETURNING id),
#        e AS (INSERT INTO <event> (…) VALUES (…, (SELECT id FROM d)::text, …) RETURNING id)
#   SELECT (SELECT id FROM d), (SELECT id FROM a), (SELECT id FROM e)
#
# one round trip instead of three. Anything else (the key in the document's text, a masked or JSON-mode diff, data
# serialized into the entry) takes the three statements.

# psycopg converts a statement's `%s` placeholders to `$n` by a regex walk, and caches the result only for
# statements of at most 50 parameters (`psycopg._queries.MAX_CACHED_STATEMENT_PARAMS`: it keeps ORM bulk inserts of
# varying size out of its 128-entry cache). The chained statement has more (65 for a service request), so it was
# converted anew on every create: 91 µs of the worker's CPU. `cache_chained_conversions()` (from `CoreConfig.ready`)
# raises the bound to `CHAINED_PARAMS_CACHED`, which every chained statement stays within.
CHAINED_PARAMS_CACHED = 128


def cache_chained_conversions() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # no psycopg: no PostgreSQL, no chained statements
        return
    bound = getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", None)
    if isinstance(bound, int) and bound < CHAINED_PARAMS_CACHED:
        _queries.MAX_CACHED_STATEMENT_PARAMS = CHAINED_PARAMS_CACHED


_STAND_IN = 2_147_418_113  # fits every integer key; its digits must appear nowhere but where the key goes
_chains: dict[tuple, tuple[str, list[int], list[int]]] = {}


def _chain_plan(model, log_model, event_model, connection, key_name: str | None):
    cache_key = (model, log_model, event_model, connection.alias, key_name)
    plan = _chains.get(cache_key)
    if plan is not None:
        return plan
    quote = connection.ops.quote_name
    _doc_steps, doc_sql, pk = _plan(model, connection)
    new_key = f"(SELECT {quote(pk.column)} FROM d)"
    parts = [f"WITH d AS ({doc_sql})"]
    selects = [new_key]
    dropped_log: list[int] = []
    dropped_event: list[int] = []
    if log_model is not None:
        replaced = {"object_pk": (f"{new_key}::text", True), "object_id": (new_key, True)}
        if key_name is not None:
            replaced["changes"] = (f"jsonb_set(%s::jsonb, '{{{key_name},1}}', to_jsonb({new_key}::text))", False)
        part, dropped_log = _cte("a", log_model, replaced, connection)
        parts.append(part)
        selects.append(f"(SELECT {quote(log_model._meta.pk.column)} FROM a)")
    if event_model is not None:
        part, dropped_event = _cte("e", event_model, {"target_id": (f"{new_key}::text", True)}, connection)
        parts.append(part)
        selects.append(f"(SELECT {quote(event_model._meta.pk.column)} FROM e)")
    sql = ",\n".join(parts) + "\nSELECT " + ", ".join(selects)
    plan = _chains[cache_key] = (sql, dropped_log, dropped_event)
    return plan


def _cte(name: str, model, replaced: dict[str, tuple[str, bool]], connection) -> tuple[str, list[int]]:
    """`name AS (INSERT INTO <model> … RETURNING <key>)`, each column a `%s` but those in `replaced`
    (attname → (SQL expression, whether the expression takes the place of the value's parameter)); and the
    positions of the parameters so dropped."""
    quote = connection.ops.quote_name
    steps, _sql, pk = _plan(model, connection)
    columns, values, dropped = [], [], []
    for i, (field, attname, _passes) in enumerate(steps):
        columns.append(quote(field.column))
        expression, drops = replaced.get(attname, ("%s", False))
        values.append(expression)
        if drops:
            dropped.append(i)
    sql = (
        f"{name} AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(values)}) RETURNING {quote(pk.column)})"
    )
    return sql, dropped


def _mentions(value, needle: str) -> bool:
    import json

    return needle in json.dumps(value, default=str, ensure_ascii=False)


def _insert_chained(instance, event, connection, using, number=None, number_field="number") -> bool:
    """The document, its audit entry and its event by one statement; False (nothing written, nothing changed on
    `instance`, no number taken) when the rows depend on the new key anywhere but where the statement puts it, or
    when `PENDING_NUMBER` appears in the document's text anywhere but in its number field."""
    from auditlog.models import LogEntry

    from .audit import diff, log_entry

    model = type(instance)
    pk = model._meta.pk
    needle = str(_STAND_IN)
    doc_steps = _plan(model, connection)[0]
    params = _params(doc_steps, instance, connection)  # first: `pre_save` sets `auto_now_add` stamps the diff shows
    if number is not None:
        position = next(i for i, step in enumerate(doc_steps) if step[1] == number_field)
        if params[position] != PENDING_NUMBER or any(
            isinstance(value, str) and PENDING_NUMBER in value for i, value in enumerate(params) if i != position
        ):
            return False  # the stand-in typed into another field: the rows are built after the number is taken
    setattr(instance, pk.attname, _STAND_IN)
    try:
        changes = diff(None, instance)
        log = log_entry(instance, LogEntry.Action.CREATE, changes) if changes else None
    finally:
        setattr(instance, pk.attname, None)
    key_name = None
    if log is not None:
        if log.serialized_data is not None or log.object_pk != needle or log.object_id != _STAND_IN:
            return False
        others = {name: pair for name, pair in log.changes.items() if name != pk.name}
        if log.changes.get(pk.name) != ("None", needle) and pk.name in log.changes:
            return False
        if pk.name in log.changes:
            key_name = pk.name
        if _mentions([others, log.object_repr, log.additional_data, log.changes_text], needle):
            return False
    if event is not None and (event.target_id not in (None, "", "None") or not event._state.adding):
        return False
    sql, dropped_log, dropped_event = _chain_plan(
        model, type(log) if log is not None else None, type(event) if event is not None else None, connection, key_name
    )
    if log is not None:
        log_steps = _plan(type(log), connection)[0]
        values = _params(log_steps, log, connection)
        params += [value for i, value in enumerate(values) if i not in dropped_log]
    if event is not None:
        event_steps = _plan(type(event), connection)[0]
        values = _params(event_steps, event, connection)
        params += [value for i, value in enumerate(values) if i not in dropped_event]
    if number is not None:
        taken = number()  # the counter's row lock from here until the transaction ends
        _put_number(params, position, len(doc_steps), taken, instance, number_field, event, log)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    key = pk.to_python(row[0])
    setattr(instance, pk.attname, key)
    instance._state.adding, instance._state.db = False, using
    position = 1
    if log is not None:
        log.object_pk, log.object_id = str(key), key
        if key_name is not None:
            log.changes[key_name] = (log.changes[key_name][0], str(key))
        log.pk = type(log)._meta.pk.to_python(row[position])
        log._state.adding, log._state.db = False, using
        position += 1
    if event is not None:
        event.target_id = str(key)
        event.pk = type(event)._meta.pk.to_python(row[position])
        event._state.adding, event._state.db = False, using
    return True
