"""Audit plumbing: every django-auditlog entry carries who, from where, through which channel.

The actor comes from our request context, not from django-auditlog's middleware, because
DRF authenticates a token inside the view (after middleware), and services called from
jobs or commands have no request at all — `service` binds their `actor` argument instead.
"""

import datetime as dt
import functools
import json

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.encoding import smart_str

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
    """auditlog's diff (masking included) of `old` → `new` (`old=None`: a create), as its receivers compute it.

    For a model auditlog tracks it comes from a plan built once per model (`_diff_plan`), which gives exactly what
    `auditlog.diff.model_instance_diff` gives — the same keys in the same order, the same strings, the same
    masking (issue 17 §3); anything else goes to auditlog's own function."""
    if new is not None and (type(old) is type(new) or (old is None and not fields)):
        plan = _diff_plan(type(new))
        if plan is not None:
            return plan.created(new) if old is None else plan.updated(old, new, fields)
    from auditlog.diff import model_instance_diff

    return model_instance_diff(old, new, fields_to_check=fields, use_json_for_changes=_as_json())


def _as_json() -> bool:
    from django.conf import settings

    return getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)


# --- the lean diff (issue 17 §3) ---------------------------------------------------------------------------------
#
# `model_instance_diff` works out, for every instance it diffs, which fields to look at (`_meta.get_fields()`, with a
# registry lookup of the LogEntry model per field), copies the model's registry entry, and for each field walks an
# `isinstance` chain and, for a masked one, imports the masking function again. None of that depends on the
# instance: a `_DiffPlan` does it once per model (and settings), and its per-field getters are auditlog's
# `get_field_value` branches, in the same order of tests, for Django's own field classes. Whatever they do not
# cover (reverse relations, generic keys, custom `to_python`, a value of an unexpected type, the JSON mode) is
# handed to `get_field_value` itself, so the result is auditlog's in every case.

_PLAIN, _DATETIME, _FK, _JSON, _AUDITLOG = range(5)
_plans: dict = {}


def _diff_plan(model):
    """The model's plan under the current registry entry and settings; None for a model auditlog doesn't track."""
    from auditlog.registry import auditlog
    from django.conf import settings

    entry = auditlog._registry.get(model)
    if entry is None:
        return None
    key = (
        model,
        _as_json(),
        settings.USE_TZ,
        settings.AUDITLOG_USE_FK_STRING_REPRESENTATION,
        settings.AUDITLOG_MASK_CALLABLE,
        settings.AUDITLOG_LOGENTRY_MODEL,
        tuple(entry["include_fields"]),
        tuple(entry["exclude_fields"]),
        tuple(entry["mask_fields"]),
        entry["mask_callable"],
        bool(entry["serialize_data"]),
    )
    plan = _plans.get(model)
    if plan is None or plan.key != key:
        plan = _plans[model] = _DiffPlan(model, key)
    return plan


class _DiffPlan:
    """What `model_instance_diff` decides per call for one model, decided once (issue 17 §3)."""

    def __init__(self, model, key):
        from auditlog.diff import get_field_value, get_mask_function, track_field
        from auditlog.registry import auditlog
        from django.conf import settings

        self.model, self.key = model, key
        self.as_json = key[1]
        self.use_tz = settings.USE_TZ
        self.fk_as_string = settings.AUDITLOG_USE_FK_STRING_REPRESENTATION
        self.model_fields = auditlog.get_model_fields(model)
        self.serialize = auditlog.get_serialize_options(model)["serialize_data"]
        mask_fields = self.model_fields["mask_fields"]
        self.mask = get_mask_function(self.model_fields.get("mask_callable")) if mask_fields else None
        self.masked = frozenset(mask_fields)
        self.concrete = frozenset(model._meta.concrete_fields)
        # a create: the fields `get_fields_in_model` gives, as the same set (so iterated in the same order)
        fields = self._filtered(set([f for f in model._meta.get_fields() if track_field(f)]))  # noqa: C403
        # the value of a field of "no instance", which a create compares against (auditlog's default: None)
        self.created_fields = []
        for field in fields:
            before = get_field_value(None, field, self.as_json)
            self.created_fields.append((*self._getter(field), before, smart_str(before)))
        self.update_all = set(model._meta.fields + model._meta.fields)
        self.updates: dict = {}

    def _filtered(self, fields):
        """auditlog's include/exclude filter, step for step (it keeps the order of the set it filters)."""
        model_fields = self.model_fields
        if (model_fields["include_fields"] or model_fields["exclude_fields"]) and fields:
            if model_fields["include_fields"]:
                filtered = [f for f in fields if f.name in model_fields["include_fields"]]
            else:
                filtered = fields
            if model_fields["exclude_fields"]:
                filtered = [f for f in filtered if f.name not in model_fields["exclude_fields"]]
            fields = filtered
        return list(fields)

    def _getter(self, field):
        """(name, kind, attribute, field, masked): which branch of auditlog's `get_field_value` the field takes."""
        from django.db.models import DateTimeField, JSONField

        masked = field.name in self.masked
        if self.as_json or field not in self.concrete:
            return field.name, _AUDITLOG, field.name, field, masked
        if isinstance(field, DateTimeField):
            plain = type(field).to_python is DateTimeField.to_python
            return field.name, _DATETIME if plain else _AUDITLOG, field.name, field, masked
        if isinstance(field, JSONField):
            return field.name, _JSON, field.name, field, masked
        if (field.one_to_one or field.many_to_one) and hasattr(field, "rel_class"):
            return field.name, _AUDITLOG if self.fk_as_string else _FK, field.get_attname(), field, masked
        if field.is_relation:
            return field.name, _AUDITLOG, field.name, field, masked
        return field.name, _PLAIN, field.name, field, masked

    def value(self, kind, attribute, field, obj):
        """auditlog's `get_field_value(obj, field)` for a field of the kind `_getter` found."""
        try:
            if kind == _PLAIN:
                value = getattr(obj, attribute)
                if type(value) is str:
                    return value
                value = smart_str(value)
                if type(value).__name__ == "__proxy__":
                    value = str(value)
                return value
            if kind == _FK:
                return smart_str(getattr(obj, attribute), strings_only=True)
            if kind == _DATETIME:
                value = getattr(obj, attribute)
                if value is None:
                    return None
                if type(value) is dt.datetime:  # `to_python` returns it as it is
                    if self.use_tz and value.utcoffset() is not None:
                        value = value.astimezone(dt.UTC).replace(tzinfo=None)
                    return value
            elif kind == _JSON:
                value = field.to_python(getattr(obj, attribute))
                try:
                    value = json.dumps(value, sort_keys=True, cls=field.encoder)
                except TypeError:
                    pass
                return value
        except (ObjectDoesNotExist, AttributeError):
            pass  # auditlog's function takes the same path and answers the field's default
        from auditlog.diff import get_field_value

        return get_field_value(obj, field, self.as_json)

    def _pair(self, masked, old, new):
        if masked:
            return self.mask(smart_str(old)), self.mask(smart_str(new))
        if not self.as_json:
            return _text(old), _text(new)
        from auditlog.diff import is_primitive

        return (old if is_primitive(old) else smart_str(old)), (new if is_primitive(new) else smart_str(new))

    def created(self, instance):
        """`model_instance_diff(None, instance)`."""
        changes = {}
        value = self.value
        plain = self.mask is None and not self.as_json  # then the pair is (text of before, text of after)
        for name, kind, attribute, field, masked, before, before_text in self.created_fields:
            after = value(kind, attribute, field, instance)
            if before != after:
                changes[name] = (before_text, _text(after)) if plain else self._pair(masked, before, after)
        return changes or None

    def updated(self, old, new, fields_to_check=None):
        """`model_instance_diff(old, new, fields_to_check)` for two instances of the plan's model."""
        key = frozenset(fields_to_check) if fields_to_check else None
        getters = self.updates.get(key)
        if getters is None:
            from django.db.models import ForeignKey

            fields = self.update_all
            if key:
                fields = {f for f in fields if (isinstance(f, ForeignKey) and f.attname in key) or (f.name in key)}
            getters = self.updates[key] = [self._getter(f) for f in self._filtered(fields)]
        changes = {}
        value = self.value
        for name, kind, attribute, field, masked in getters:
            before = value(kind, attribute, field, old)
            after = value(kind, attribute, field, new)
            if before != after:
                changes[name] = self._pair(masked, before, after)
        return changes or None


def bulk_audit(*, created=(), updated=()) -> int:
    """django-auditlog entries for rows written by `bulk_create` / `bulk_update`, which send no signals.

    `created`: saved instances; `updated`: `(old copy, new instance, field names)`. The entries carry the
    same diff (masking included) as auditlog's own receivers and the same who/where as `fill_log_entry`;
    they are inserted with one statement (`COPY` on PostgreSQL, `core.bulk.copy_insert`). Returns how many
    were written.

    Issue 17 §3: the diffs come from `_DiffPlan` (built once per model), and each entry goes in as the column
    values `log_entry` + `fill_log_entry` give a `LogEntry` — the request context read once per call, the content
    type once per model, every other column the field's default as `LogEntry()` would take it (the timestamp
    `now()` per entry) — with no model instance built per entry.
    """
    from auditlog.models import LogEntry

    from .bulk import _needs_pre_save, copy_create, copy_insert

    if any(_needs_pre_save(field) for field in LogEntry._meta.concrete_fields):  # columns only `save` would fill
        return _bulk_audit_by_instances(LogEntry, created, updated, copy_create)
    rows = _EntryRows(LogEntry)
    for instance in created:
        found = rows.plan(type(instance))
        if found is not None:
            rows.add(found, instance, LogEntry.Action.CREATE, found[0].created(instance))
    for old, new, fields in updated:
        found = rows.plan(type(new))
        if found is not None:
            changes = found[0].updated(old, new, fields) if type(old) is type(new) else diff(old, new, fields)
            if changes:
                rows.add(found, new, LogEntry.Action.UPDATE, changes)
    copy_insert(LogEntry, rows.names, rows.values)
    return len(rows.values)


def _bulk_audit_by_instances(log_model, created, updated, copy_create) -> int:
    """`bulk_audit` by `LogEntry` instances (`log_entry`), for an entry model with columns computed on save."""
    from auditlog.registry import auditlog

    entries = []
    for instance in created:
        if auditlog.contains(instance.__class__):
            entries.append(log_entry(instance, log_model.Action.CREATE, diff(None, instance)))
    for old, new, fields in updated:
        if auditlog.contains(new.__class__):
            changes = diff(old, new, fields)
            if changes:
                entries.append(log_entry(new, log_model.Action.UPDATE, changes))
    copy_create(entries)
    return len(entries)


def _text(value):
    """`smart_str(value)`, without its calls for the types a diff mostly holds."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int or kind is dt.datetime:
        return str(value)
    return smart_str(value)


class _EntryRows:
    """Column values of the `LogEntry` rows `log_entry` would build, for one call of `bulk_audit` (issue 17 §3)."""

    KNOWN = (
        "content_type",
        "object_pk",
        "object_id",
        "object_repr",
        "serialized_data",
        "action",
        "changes",
        "actor",
        "actor_email",
        "remote_addr",
        "cid",
    )

    def __init__(self, log_model):
        self.log_model = log_model
        fields = [field for field in log_model._meta.concrete_fields if not field.primary_key]
        # the other columns take the field's default, as `LogEntry()` gives it: a callable one (the timestamp's
        # `now`) called for each entry, any other the same value for all
        defaults = [field for field in fields if field.name not in (*self.KNOWN, "additional_data")]
        self.names = (*self.KNOWN, "additional_data", *(field.name for field in defaults))
        self.tail = [field.get_default() for field in defaults]
        self.calls = [(i, f.get_default) for i, f in enumerate(defaults) if f.has_default() and callable(f.default)]
        self.values: list[tuple] = []
        self._plans: dict = {}
        # `fill_log_entry`, once: the context does not change during the call
        ctx = context.current()
        user = ctx.user
        if user is not None and getattr(user, "is_authenticated", False):
            self.actor_id, self.actor_email = user.pk, getattr(user, "email", None)
        else:
            self.actor_id, self.actor_email = None, None
        self.remote_addr = ctx.remote_addr or None
        self.cid = ctx.request_id
        self.via = ctx.via

    def plan(self, model):
        """(diff plan, content type id) of a model auditlog tracks, looked up once per call; None otherwise."""
        found = self._plans.get(model, False)
        if found is False:
            from django.contrib.contenttypes.models import ContentType

            plan = _diff_plan(model)
            found = self._plans[model] = None if plan is None else (plan, ContentType.objects.get_for_model(model).pk)
        return found

    def add(self, found, instance, action, changes) -> None:
        plan, content_type_id = found
        pk = instance.pk
        serialized = self.log_model.objects._get_serialized_data_or_none(instance) if plan.serialize else None
        self.values.append(
            (
                content_type_id,
                str(pk),
                pk if isinstance(pk, int) else None,
                smart_str(instance),
                serialized,
                action,
                changes,
                self.actor_id,
                self.actor_email,
                self.remote_addr,
                self.cid,
                {"via": self.via},
                *self._tail(),
            )
        )

    def _tail(self):
        tail = self.tail
        if self.calls:
            tail = list(tail)
            for index, get_default in self.calls:
                tail[index] = get_default()
        return tail
