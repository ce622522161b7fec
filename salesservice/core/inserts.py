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
        plan = _plans[key] = (fields, sql, pk)
    return plan


def insert_one(instance, *, send_signals: bool = True):
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
    if send_signals:
        pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    fields, sql, pk = _plan(model, connection)
    params = [field.get_db_prep_save(field.pre_save(instance, True), connection=connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (key,) = cursor.fetchone()
    setattr(instance, pk.attname, pk.to_python(key))
    instance._state.adding = False
    instance._state.db = using
    if send_signals:
        post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)
    return instance


def insert_created(instance, event=None):
    """A new document, its audit entry (as auditlog would write it) and its timeline event (`events.build_event`),
    each by a statement built once — inside the caller's transaction."""
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    from .audit import diff, log_entry

    with disable_auditlog():
        insert_one(instance)
    if auditlog.contains(type(instance)):
        changes = diff(None, instance)
        if changes:
            insert_one(log_entry(instance, LogEntry.Action.CREATE, changes), send_signals=False)
    if event is not None:
        if event.target_id in (None, "", "None"):
            event.target_id = str(instance.pk)
        insert_one(event, send_signals=False)
    return instance
