"""Audit plumbing: every django-auditlog entry carries who, from where, through which channel.

The actor comes from our request context, not from django-auditlog's middleware, because
DRF authenticates a token inside the view (after middleware), and services called from
jobs or commands have no request at all — `service` binds their `actor` argument instead.
"""

import functools

from django.db import transaction

from . import context


def fill_log_entry(sender, instance, **kwargs):
    """pre_save of auditlog's LogEntry: fill actor, IP, request id and channel from the context."""
    ctx = context.current()
    user = ctx.user
    if instance.actor_id is None and user is not None and getattr(user, "is_authenticated", False):
        instance.actor = user
        instance.actor_email = getattr(user, "email", None)
    if not instance.remote_addr and ctx.remote_addr:
        instance.remote_addr = ctx.remote_addr
    if not instance.cid:
        instance.cid = ctx.request_id
    data = dict(instance.additional_data or {})
    data.setdefault("via", ctx.via)
    instance.additional_data = data


def service(func):
    """Decorator for services: one transaction, and the `actor` keyword bound as the audit actor."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        actor = kwargs.get("actor")
        with context.acting(actor), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


def log_entry(instance, action, changes):
    """An unsaved django-auditlog entry for `instance` as auditlog's receivers would build it, with who/where/channel
    from the request context (`fill_log_entry`) — for writers that insert entries themselves."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    log = LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=smart_str(instance),
        serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
        action=action,
        changes=changes,
    )
    fill_log_entry(LogEntry, log)
    return log


def diff(old, new, fields=None):
    """auditlog's diff (masking included) of `old` → `new` (`old=None`: a create), as its receivers compute it."""
    from auditlog.diff import model_instance_diff
    from django.conf import settings

    as_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    return model_instance_diff(old, new, fields_to_check=fields, use_json_for_changes=as_json)


def bulk_audit(*, created=(), updated=()) -> int:
    """django-auditlog entries for rows written by `bulk_create` / `bulk_update`, which send no signals.

    `created`: saved instances; `updated`: `(old copy, new instance, field names)`. The entries carry the
    same diff (masking included) as auditlog's own receivers and the same who/where as `fill_log_entry`;
    they are inserted with one statement (`COPY` on PostgreSQL, `core.bulk.copy_create`). Returns how many
    were written.
    """
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    from .bulk import copy_create

    entries = []
    for instance in created:
        if auditlog.contains(instance.__class__):
            entries.append(log_entry(instance, LogEntry.Action.CREATE, diff(None, instance)))
    for old, new, fields in updated:
        if auditlog.contains(new.__class__):
            changes = diff(old, new, fields)
            if changes:
                entries.append(log_entry(new, LogEntry.Action.UPDATE, changes))
    copy_create(entries)
    return len(entries)
