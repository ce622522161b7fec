"""Data-subject requests across apps (PIPL 第四十五/四十七条; INF-1, SRV-10, TRC-4).

A customer may ask for everything held about them, or for its erasure. Their data is spread over the apps
(a service request copies the contact's name, phone and address; a suggestion holds a name and phone; a
complaint's text may name them …), so each app that stores it declares handlers on its AppConfig:

    personal_data = "salesservice.<app>.personal_data.HANDLERS"

A handler is a plain object, one per model or group of models of its app:

    label: str                                   what it covers ("售后服务单")
    models: tuple                                the models whose personal fields it covers — a test checks that
                                                 every model with a phone / address / contact name / ID number /
                                                 signer / e-mail field is covered by a handler
    restricts: tuple = ()                        the models whose rows it may restrict (see `is_restricted`)
    identity(customer) -> {value: kind}          optional: the values that identify the customer in this app's
                                                 rows (a service request's contact phone …); kind is name /
                                                 phone / email / address / id_number
    export(customer) -> {section label: [row]}   the customer's data held by the app, rows with Chinese labels
    restrict(customer, *, actor) -> [(label, count, retained_until)]
                                                 the rows the law requires to keep (TRC-4): kept, their personal
                                                 values sealed (`seal_rows`), shown masked, never revealed
    erase(customer, *, actor) -> [(label, count)]
                                                 every other row: personal fields blanked, the identity removed
                                                 from its free text and history (`erase_rows`)

`erase_subject` collects the identity first (so every handler can match and scrub on it however the others
have changed their rows already), restricts, then erases; `export_subject` collects the export. The helpers
below do the repetitive part; each handler stays explicit about which fields of which rows it touches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .choices import EventType
from .events import build_event
from .models import (
    Attachment,
    Event,
    IdempotencyRecord,
    Notification,
    OrgUnit,
    PersonalDataAccess,
    User,
)
from .models.audit import PersonalDataRestriction
from .privacy import mask

REDACTED = "[已匿名]"
MIN_LENGTH = 2  # shorter values (a one-character name, an empty field) are not searched for
EMPTY = (None, "", "None")

_identity: ContextVar[tuple[int, dict[str, str]] | None] = ContextVar("personal_data_identity", default=None)


# --- the two requests ----------------------------------------------------------------------------------


@dataclasses.dataclass
class ErasureReport:
    """What an erasure request did: [(label, count)] erased, [(label, count, retained_until)] restricted
    (retained_until None: kept for ever)."""

    erased: list[tuple[str, int]]
    restricted: list[tuple[str, int, dt.date | None]]

    def as_dict(self) -> dict:
        return {
            "erased": [{"label": label, "count": count} for label, count in self.erased],
            "restricted": [
                {
                    "label": label,
                    "count": count,
                    "retained_until": until.isoformat() if until else None,
                    "forever": until is None,
                }
                for label, count, until in self.restricted
            ],
        }

    def message(self) -> str:
        """One line for the page: 已清除：… ；依法保留（限制处理）：… 保存至 …"""
        parts = []
        if self.erased:
            parts.append(
                _("已清除：%(items)s")
                % {
                    "items": "、".join(
                        _("%(label)s %(count)s 条") % {"label": label, "count": count} for label, count in self.erased
                    )
                }
            )
        if self.restricted:
            items = "、".join(
                _("%(label)s %(count)s 条（保存至 %(until)s）")
                % {"label": label, "count": count, "until": until.isoformat() if until else _("永久")}
                for label, count, until in self.restricted
            )
            parts.append(_("依法保留并限制处理：%(items)s") % {"items": items})
        return "；".join(parts)


def handlers() -> list:
    return registry.personal_data_handlers()


def export_subject(customer) -> dict[str, list[dict]]:
    """Everything every app holds about `customer`: {section label: rows}, in registry order."""
    sections: dict[str, list[dict]] = {}
    for handler in handlers():
        for label, rows in handler.export(customer).items():
            sections.setdefault(label, []).extend(rows)
    return sections


def erase_subject(customer, actor) -> ErasureReport:
    """Erase `customer`'s personal data in every app, restricting what the law requires to keep.

    Runs in the caller's transaction. The identity is collected before anything changes; then every handler
    restricts its retained rows (sealing the values while the customer row still holds them), then erases the
    rest. Last, notifications and stored API responses that quote the identity are scrubbed.
    """
    all_handlers = handlers()
    values = _collect_identity(customer, all_handlers)
    token = _identity.set((customer.pk, values))
    try:
        restricted = [row for handler in all_handlers for row in handler.restrict(customer, actor=actor)]
        erased = [row for handler in all_handlers for row in handler.erase(customer, actor=actor)]
    finally:
        _identity.reset(token)
    erased += scrub_messages(values)
    return ErasureReport(erased=erased, restricted=restricted)


def identity(customer) -> dict[str, str]:
    """{value: kind} of every value that identifies `customer` across the apps (names, phones, e-mail
    addresses, postal addresses, ID numbers). During `erase_subject` the values as they were when it started."""
    current = _identity.get()
    if current is not None and current[0] == customer.pk:
        return current[1]
    return _collect_identity(customer, handlers())


def _collect_identity(customer, all_handlers) -> dict[str, str]:
    values: dict[str, str] = {}
    for handler in all_handlers:
        hook = getattr(handler, "identity", None)
        for value, kind in (hook(customer) if hook else {}).items():
            value = str(value or "").strip()
            if len(value) >= MIN_LENGTH and value != REDACTED and "*" not in value:
                values.setdefault(value, kind)
    return values


# --- restriction (records the law requires to keep) ------------------------------------------------------


def restricted_models() -> set:
    return {model for handler in handlers() for model in getattr(handler, "restricts", ())}


def restriction_for(obj) -> PersonalDataRestriction | None:
    """The restriction marker of `obj`, or None (no query for models no handler restricts)."""
    if obj is None or getattr(obj, "pk", None) is None or type(obj) not in restricted_models():
        return None
    content_type = ContentType.objects.get_for_model(obj)
    return PersonalDataRestriction.objects.filter(target_type=content_type, target_id=str(obj.pk)).first()


def is_restricted(obj) -> bool:
    return restriction_for(obj) is not None


def unrestricted(rows: list) -> list:
    """`rows` without those under a restriction marker."""
    if not rows:
        return []
    content_type = ContentType.objects.get_for_model(rows[0])
    held = set(
        PersonalDataRestriction.objects.filter(
            target_type=content_type, target_id__in=[str(row.pk) for row in rows]
        ).values_list("target_id", flat=True)
    )
    return [row for row in rows if str(row.pk) not in held]


def masked_value(kind: str, value: str) -> str:
    """What a restricted record shows instead of a sealed value: masked text, no file."""
    if kind == "file":
        return ""
    if kind == "name":
        value = (value or "").strip()
        return value[:1] + "*" * max(len(value) - 1, 1) if value else ""
    return mask(kind, value)


def seal_rows(
    rows: list[tuple[models.Model, Retention]],
    *,
    label: str,
    actor,
    customer,
    fields: dict[str, str] | None = None,
    scrub: tuple[str, ...] = (),
    subject: dict[str, str] | None = None,
) -> list[tuple[str, int, dt.date | None]]:
    """Keep `rows` under legal retention (each with its `Retention`): restricted, not erased.

    Each row gets a `PersonalDataRestriction` holding, per changed field, the original `value` and what the
    field becomes when the period is over (`erased`), with `subject` (the customer's identity as the row refers
    to it through the customer row, which is anonymised). The row shows masked values instead: `fields`
    ({field: kind — name / phone / email / address / id_number / file}) masked whole (a file: none shown), the
    `scrub` texts with each identifying value masked; the same values are masked in the row's history. Nothing
    else of the row changes. Returns [(label, count, retained_until)].
    """
    fields = fields or {}
    if not rows:
        return []
    model = type(rows[0][0])
    content_type = ContentType.objects.get_for_model(model)
    values = identity(customer)
    masked = {value: masked_value(kind, value) for value, kind in values.items()}
    redacted = dict.fromkeys(values, REDACTED)
    events = []
    counts: dict[dt.date | None, int] = {}
    for row, retention in rows:
        sealed, shown = {}, {}
        for field, kind in fields.items():
            value = getattr(row, field)
            value = value.name if kind == "file" else value
            if value not in EMPTY:
                sealed[field] = {"value": value, "erased": REDACTED if kind == "name" else ""}
                shown[field] = masked_value(kind, value)
        for field in scrub:
            value = getattr(row, field)
            if replace_values(value, masked) != value:
                sealed[field] = {"value": value, "erased": replace_values(value, redacted)}
                shown[field] = replace_values(value, masked)
        PersonalDataRestriction.objects.update_or_create(
            target_type=content_type,
            target_id=str(row.pk),
            defaults={
                "label": label,
                "basis": retention.basis,
                "retained_until": retention.until,
                "sealed": sealed,
                "subject": subject or {},
                "restricted_by": actor,
                "restricted_at": timezone.now(),
            },
        )
        if shown:
            model.objects.filter(pk=row.pk).update(**shown, **_bump(model))
        events.append(
            build_event(
                event_type=EventType.PERSONAL_DATA_RESTRICTED,
                target=row,
                actor=actor,
                new={
                    "retained_until": retention.until.isoformat() if retention.until else None,
                    "fields": sorted(sealed),
                },
                message=retention.basis,
            )
        )
        counts[retention.until] = counts.get(retention.until, 0) + 1
    scrub_history(model, [row.pk for row, _retention in rows], masked)
    Event.objects.bulk_create(events)
    return [(label, count, until) for until, count in sorted(counts.items(), key=lambda item: item[0] or dt.date.max)]


@dataclasses.dataclass(frozen=True)
class Retention:
    """How long a record must be kept: `until` (None: for ever) and the rule that says so."""

    until: dt.date | None
    basis: str

    def running(self, today: dt.date | None = None) -> bool:
        return self.until is None or self.until >= (today or timezone.localdate())


def purge_expired_restrictions(today: dt.date | None = None) -> int:
    """After the retention date the period no longer protects the record: each sealed field takes its erased
    value (names → REDACTED, contact data and signatures gone, texts without the identity), the seal is
    deleted, a timeline event says so. Returns how many records. Meant for a daily job."""
    today = today or timezone.localdate()
    done = 0
    expired = PersonalDataRestriction.objects.filter(retained_until__lt=today).select_related("target_type")
    for restriction in expired:
        model = restriction.target_type.model_class()
        with transaction.atomic():
            if model is not None:
                erased = {field: entry["erased"] for field, entry in restriction.sealed.items()}
                if erased:
                    model._default_manager.filter(pk=restriction.target_id).update(**erased, **_bump(model))
                for field, entry in restriction.sealed.items():
                    model_field = model._meta.get_field(field)
                    if isinstance(model_field, models.FileField):
                        _delete_file(model_field.storage, entry["value"])
                Event.objects.create(
                    event_type=EventType.PERSONAL_DATA_PURGED,
                    target_type=restriction.target_type,
                    target_id=restriction.target_id,
                    new={"retained_until": restriction.retained_until.isoformat(), "fields": sorted(erased)},
                )
            restriction.delete()
        done += 1
    return done


# --- erasure --------------------------------------------------------------------------------------------


def erase_rows(
    rows: list[models.Model],
    *,
    label: str,
    actor,
    customer,
    blank: dict[str, str] | None = None,
    scrub: tuple[str, ...] = (),
    files: tuple[str, ...] = (),
) -> list[tuple[str, int]]:
    """Erase the customer's personal data from `rows` (those under restriction are skipped).

    `blank`: {field: replacement} set on every row; `scrub`: text / JSON fields from which every identifying
    value is replaced by REDACTED; `files`: file fields whose file is deleted. The rows' history (auditlog,
    timeline, admin log, attachments' names) loses the same values, and `blank` fields lose every past value.
    One timeline event per row says which fields were erased (never the values). Returns [(label, count)].
    """
    blank = blank or {}
    rows = unrestricted(rows)
    if not rows:
        return []
    model = type(rows[0])
    replacements = {value: REDACTED for value in identity(customer)}
    events = []
    for row in rows:
        changes = {}
        for field, replacement in blank.items():
            if getattr(row, field) not in ("", None, replacement):
                changes[field] = replacement
        for field in scrub:
            value = getattr(row, field)
            cleaned = replace_values(value, replacements)
            if cleaned != value:
                changes[field] = cleaned
        for field in files:
            file = getattr(row, field)
            if file:
                _delete_file(file.storage, file.name)
                changes[field] = ""
        if changes:
            model.objects.filter(pk=row.pk).update(**changes, **_bump(model))
        events.append(
            build_event(
                event_type=EventType.PERSONAL_DATA_ERASED, target=row, actor=actor, new={"fields": sorted(changes)}
            )
        )
    scrub_history(model, [row.pk for row in rows], replacements, fields=(*blank, *files))
    Event.objects.bulk_create(events)
    return [(label, len(rows))]


def scrub_history(model, pks, replacements: dict[str, str], *, fields: tuple[str, ...] = ()) -> None:
    """Replace the values (`replacements`: {value: what to show instead}) wherever the rows' history keeps them:
    django-auditlog entries, timeline events, the admin log, attachments' names and the access log's purposes.
    `fields`: fields whose every past value is replaced by REDACTED (auditlog keeps them half-masked)."""
    from auditlog.models import LogEntry
    from django.contrib.admin.models import LogEntry as AdminLogEntry

    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    ids = [str(pk) for pk in pks]
    for entry in LogEntry.objects.filter(content_type=content_type, object_pk__in=ids):
        changes = replace_values(entry.changes, replacements)
        if isinstance(changes, dict):
            for field in fields:
                if isinstance(changes.get(field), list):
                    changes[field] = [v if v in EMPTY else REDACTED for v in changes[field]]
        _update(
            entry,
            changes=changes,
            changes_text=replace_values(entry.changes_text, replacements),
            object_repr=replace_values(entry.object_repr, replacements),
            serialized_data=replace_values(entry.serialized_data, replacements),
            additional_data=replace_values(entry.additional_data, replacements),
        )
    for event in Event.objects.filter(target_type=content_type, target_id__in=ids):
        old, new = replace_values(event.old, replacements), replace_values(event.new, replacements)
        for payload in (old, new):
            if isinstance(payload, dict):
                for field in fields:
                    if payload.get(field) not in EMPTY:
                        payload[field] = REDACTED
        _update(event, old=old, new=new, message=replace_values(event.message, replacements))
    for entry in AdminLogEntry.objects.filter(content_type=content_type, object_id__in=ids):
        _update(
            entry,
            object_repr=replace_values(entry.object_repr, replacements),
            change_message=replace_values(entry.change_message, replacements),
        )
    for attachment in Attachment.objects.filter(target_type=content_type, target_id__in=ids):
        _update(
            attachment,
            original_name=replace_values(attachment.original_name, replacements),
            description=replace_values(attachment.description, replacements),
        )
    for access in PersonalDataAccess.objects.filter(target_type=content_type, target_id__in=ids):
        _update(access, purpose=replace_values(access.purpose, replacements))


def scrub_messages(values: dict[str, str]) -> list[tuple[str, int]]:
    """Notifications and stored API responses that quote the identity (their text is not tied to one record,
    so they are searched by value): the values become REDACTED. Searching by value may also redact the same
    name in a message about someone else of that name — a message, never a record, so that errs on the safe
    side. Returns [(label, count)] of what changed."""
    replacements = {value: REDACTED for value in values}
    found = {"notifications": 0, "responses": 0}
    if not replacements:
        return []
    condition = models.Q()
    for value in replacements:
        condition |= models.Q(title__contains=value) | models.Q(body__contains=value)
    for notification in Notification.objects.filter(condition):
        found["notifications"] += _update(
            notification,
            title=replace_values(notification.title, replacements),
            body=replace_values(notification.body, replacements),
        )
    condition = models.Q()
    for value in replacements:
        for form in {value, _escaped(value)}:
            condition |= models.Q(body_text__contains=form)
    stored = IdempotencyRecord.objects.annotate(body_text=Cast("response_body", models.TextField()))
    for record in stored.filter(condition):
        found["responses"] += _update(record, response_body=replace_values(record.response_body, replacements))
    rows = [(_("通知消息"), found["notifications"]), (_("接口重放记录"), found["responses"])]
    return [(label, count) for label, count in rows if count]


# --- small helpers ---------------------------------------------------------------------------------------


def replace_values(value, replacements: dict[str, str]):
    """`value` (text, or JSON: dicts, lists, text) with each key of `replacements` replaced by its value —
    also inside JSON kept as text with \\uXXXX escapes. Longer values first, so a name inside an address goes
    with the address."""
    if not replacements or value in (None, ""):
        return value
    if isinstance(value, str):
        for old in sorted(replacements, key=len, reverse=True):
            new = replacements[old]
            value = value.replace(old, new)
            escaped = _escaped(old)
            if escaped != old:
                value = value.replace(escaped, _escaped(new))
        return value
    if isinstance(value, dict):
        return {key: replace_values(item, replacements) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [replace_values(item, replacements) for item in value]
    return value


def row(obj, fields, extra: dict | None = None) -> dict:
    """An export row: {field's Chinese label: readable value} (choices as labels, related rows by name,
    times in local time, files by name)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if getattr(field, "choices", None):
            value = getattr(obj, f"get_{name}_display")()
        elif isinstance(field, models.FileField):
            value = value.name if value else ""
        elif field.is_relation:
            value = str(value) if value is not None else None
        data[str(field.verbose_name)] = _plain(value)
    data.update(extra or {})
    return data


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | dict | list) or value is None:
        return value
    return str(value)


def _escaped(value: str) -> str:
    return json.dumps(value)[1:-1]


def _bump(model) -> dict:
    """Grow `version` (optimistic concurrency) on models that have one, so a stale form cannot write back."""
    return {"version": F("version") + 1} if any(f.name == "version" for f in model._meta.concrete_fields) else {}


def _update(obj, **values) -> int:
    """Write the changed `values` of `obj` with one UPDATE (no signals: the history is not re-written)."""
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        type(obj)._default_manager.filter(pk=obj.pk).update(**changed)
    return 1 if changed else 0


def _delete_file(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- the core app's own handler ----------------------------------------------------------------------------


class NotCustomerData:
    """Declares models whose contact fields are not a customer's personal data (staff, org units, service
    providers): they are covered on purpose — nothing to export, restrict or erase for a customer."""

    def __init__(self, label: str, models: tuple, reason: str):
        self.label, self.models, self.reason = label, models, reason

    def export(self, customer) -> dict[str, list[dict]]:
        return {}

    def restrict(self, customer, *, actor) -> list:
        return []

    def erase(self, customer, *, actor) -> list:
        return []


HANDLERS = [
    NotCustomerData(
        "组织单元与员工",
        (OrgUnit, User),
        "门店的地址电话与员工的联系方式，不是客户的个人数据（员工的个人信息按人事制度处理）",
    )
]
