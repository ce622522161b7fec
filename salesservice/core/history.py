"""What a record's 变更记录 shows: django-auditlog's stored diff turned into what a user reads.

auditlog stores every value as text as the database saw it — choice codes, foreign-key ids, UTC
timestamps, JSON with `\\uXXXX` escapes, `True`/`False`. Here each becomes what the page shows elsewhere:
the choice label, the related record's name (looked up once per model for all entries), local time,
readable JSON, 是/否. Bookkeeping fields (id, version, created/updated) are left out.
"""

import datetime as dt
import json
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

EMPTY = {None, "", "None", "[]", "{}"}
HIDDEN = {"id", "version", "created_at", "updated_at", "search_text"}
JSON_LIMIT = 300


def action_label(action: int) -> str:
    from auditlog.models import LogEntry

    return {
        LogEntry.Action.CREATE: _("新建"),
        LogEntry.Action.UPDATE: _("修改"),
        LogEntry.Action.DELETE: _("删除"),
        LogEntry.Action.ACCESS: _("查看"),
    }.get(action, str(action))


def change_rows(model, entries) -> None:
    """Set `entry.change_rows` = [(label, old, new), …] and `entry.action_label` on each entry."""
    fields = {field.name: field for field in model._meta.concrete_fields}
    fields.update({field.name: field for field in model._meta.many_to_many})
    # Reverse relations (a parameter's `values`) are not the record's own fields: auditlog writes them as
    # "core.PolicyValue.None" when a registration forgot to exclude them (issue 12 §20) — never shown.
    reverse = {field.name for field in model._meta.get_fields() if field.auto_created and not field.concrete}
    names = _related_names(fields, entries)
    for entry in entries:
        rows = []
        for name, change in (entry.changes_dict or {}).items():
            if name in HIDDEN or name in reverse:
                continue
            old, new = (list(change) + ["", ""])[:2]
            if old in EMPTY and new in EMPTY:
                continue
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else _("已删除的字段（%(name)s）") % {"name": name}
            rows.append((label, _display(field, old, names), _display(field, new, names)))
        entry.change_rows = rows
        entry.action_label = action_label(entry.action)


def _related_names(fields, entries) -> dict:
    """{(model, pk text): name} for every foreign key the entries mention — one query per related model."""
    wanted = defaultdict(set)
    for entry in entries:
        for name, change in (entry.changes_dict or {}).items():
            field = fields.get(name)
            if field is not None and field.many_to_one:
                wanted[field.related_model].update(value for value in list(change)[:2] if value not in EMPTY)
    names = {}
    for related, values in wanted.items():
        pks = []
        for value in values:
            try:
                pks.append(related._meta.pk.to_python(value))
            except ValidationError:
                continue
        for row in related._default_manager.filter(pk__in=pks):
            names[(related, str(row.pk))] = str(row)
    return names


def _display(field, value, names) -> str:
    if value in EMPTY:
        return ""
    if field is None:
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(_typed(field, value), value))
    if field.many_to_one:
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(field, models.BooleanField):
        return _("是") if value == "True" else _("否") if value == "False" else value
    if isinstance(field, models.DateTimeField):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_naive(moment):  # auditlog stores UTC without an offset
            moment = moment.replace(tzinfo=dt.UTC)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if isinstance(field, models.JSONField):
        try:
            text = json.dumps(json.loads(value), ensure_ascii=False)
        except (TypeError, ValueError):
            text = value
        return text if len(text) <= JSON_LIMIT else text[:JSON_LIMIT] + "…"
    return value


def _typed(field, value):
    try:
        return field.to_python(value)
    except ValidationError:
        return value
