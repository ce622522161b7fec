"""Data-subject requests (PIPL; INF-1, SRV-10): export everything held about a customer, anonymise it.

Both need a dedicated permission, both are audited (timeline event + access log). Anonymising
is irreversible and keeps the records regulation requires (the customer row, qualification
numbers, property and incidents, consent history) with the identity replaced (TRC-4).
"""

from __future__ import annotations

from io import BytesIO

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core import context
from salesservice.core.audit import service
from salesservice.core.events import events_for, record_event
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.models import Event, PersonalDataAccess

from .choices import EventType
from .models import Consent, Contact, Customer, CustomerProperty, PropertyIncident, Qualification

REDACTED = "[已匿名]"
CUSTOMER_CLEARED = ("phone", "email", "address", "id_number", "notes", "preferences", "special_needs")
CONTACT_CLEARED = ("phone", "email", "address")


def _value(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.isoformat()
    return value


def _row(obj, fields, extra=None) -> dict:
    row = {}
    for field in fields:
        model_field = obj._meta.get_field(field)
        value = getattr(obj, field)
        if getattr(model_field, "choices", None):
            row[field] = value
            row[f"{field}_label"] = str(getattr(obj, f"get_{field}_display")())
        elif model_field.is_relation:
            row[field] = str(value) if value is not None else None
        else:
            row[field] = _value(value)
    row.update(extra or {})
    return row


def _log_access(actor, customer, field: str, purpose: str) -> None:
    ctx = context.current()
    PersonalDataAccess.objects.create(
        user=actor,
        target_type=ContentType.objects.get_for_model(customer),
        target_id=str(customer.pk),
        field=field,
        purpose=purpose[:200],
        remote_addr=ctx.remote_addr,
        via=ctx.via,
    )


@service
def customer_export_data(*, actor, customer: Customer) -> dict:
    """Everything held about `customer`, section by section (PIPL right of access).

    Needs `customers.export_customer_data`; writes a PersonalDataAccess row and a timeline event.
    """
    if actor is None or not actor.has_perm("customers.export_customer_data"):
        raise PermissionDeniedError("privacy.export_forbidden", _("您的角色无权导出客户个人数据"))
    customer = Customer.objects.visible_to(actor).select_related("store", "sales_rep").filter(pk=customer.pk).first()
    if customer is None:
        from .services import NotFoundError

        raise NotFoundError("customer.not_found", _("客户不存在或不在您的范围内"))
    property_items = list(CustomerProperty.objects.filter(customer=customer).select_related("holder"))
    data = {
        "exported_at": _value(timezone.now()),
        "exported_by": actor.username,
        "customer": _row(
            customer,
            (
                "code",
                "customer_type",
                "name",
                "store",
                "sales_rep",
                "is_key_account",
                "preferences",
                "special_needs",
                "notes",
                "phone",
                "email",
                "address",
                "id_number",
                "is_active",
                "is_anonymised",
                "anonymised_at",
                "created_at",
                "updated_at",
            ),
            {"tags": list(customer.tags.values_list("name", flat=True))},
        ),
        "contacts": [
            _row(c, ("name", "phone", "email", "address", "position", "is_primary", "created_at"))
            for c in Contact.objects.filter(customer=customer)
        ],
        "qualifications": [
            _row(
                q,
                (
                    "kind",
                    "number",
                    "scope_classes",
                    "issuing_authority",
                    "valid_from",
                    "valid_until",
                    "verified_by",
                    "verified_at",
                    "notes",
                ),
            )
            for q in Qualification.objects.filter(customer=customer).select_related("verified_by")
        ],
        "property": [
            _row(
                p,
                (
                    "kind",
                    "description",
                    "identifier",
                    "received_at",
                    "location",
                    "condition",
                    "holder",
                    "status",
                    "returned_at",
                    "notes",
                ),
                {"id": p.pk},
            )
            for p in property_items
        ],
        "incidents": [
            _row(
                i,
                ("kind", "description", "reported_by", "reported_at", "customer_informed_at", "informed_how"),
                {"property_id": i.property_id},
            )
            for i in PropertyIncident.objects.filter(property__in=property_items).select_related("reported_by")
        ],
        "consents": [
            _row(c, ("purpose", "channel", "given_at", "withdrawn_at", "recorded_by", "withdrawn_by", "notes"))
            for c in Consent.objects.filter(customer=customer).select_related("recorded_by", "withdrawn_by")
        ],
        "events": [
            {"at": _value(e.created_at), "event": e.label, "actor": str(e.actor or ""), "message": e.message}
            for e in events_for(customer, limit=1000)
        ],
    }
    _log_access(actor, customer, "export", _("数据主体请求：导出全部个人数据"))
    record_event(event_type=EventType.DATA_EXPORTED, target=customer, actor=actor, new={"code": customer.code})
    return data


SHEETS = [
    ("customer", "客户"),
    ("contacts", "联系人"),
    ("qualifications", "购货资格"),
    ("property", "顾客财产"),
    ("incidents", "财产事件"),
    ("consents", "同意记录"),
    ("events", "业务事件"),
]


def customer_export_workbook(data: dict) -> bytes:
    """The export as an Excel workbook: one sheet per section, a header row of field names."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for key, title in SHEETS:
        sheet = workbook.create_sheet(_(title))
        rows = data[key] if isinstance(data[key], list) else [data[key]]
        if key == "customer":
            rows = [{**rows[0], "tags": "、".join(rows[0].get("tags", []))}]
        headers = list(rows[0].keys()) if rows else []
        sheet.append(headers or [_("（无记录）")])
        for row in rows:
            sheet.append([_cell(row.get(h)) for h in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _redact_history(model, pks, fields) -> None:
    """Replace the personal values kept in field-level history and timeline events of these rows."""
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    entries = LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in pks])
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for field in fields:
            if field in changes:
                changes[field] = [REDACTED if v not in (None, "", "None") else v for v in changes[field]]
        entry.changes = changes
        entry.changes_text = ""
        entry.object_repr = REDACTED
        entry.serialized_data = None
        LogEntry.objects.filter(pk=entry.pk).update(
            changes=changes, changes_text="", object_repr=REDACTED, serialized_data=None
        )
    Event.objects.filter(target_type=content_type, target_id__in=[str(pk) for pk in pks]).exclude(
        event_type=EventType.ANONYMISED
    ).update(message="")


@service
def customer_anonymise(*, actor, customer_id: int, reason: str) -> Customer:
    """Irreversibly replace a customer's identity (PIPL deletion request; INF-1).

    Clears name, pinyin, phone, email, address, ID number, notes, preferences and special needs,
    and the contacts' names and contact data; redacts them from the field history too. Keeps
    the customer row, qualification numbers, property and incidents, and consent history,
    which regulation requires (TRC-4). Refused without `customers.anonymise_customer` and when
    already anonymised.
    """
    if actor is None or not actor.has_perm("customers.anonymise_customer"):
        raise PermissionDeniedError("privacy.anonymise_forbidden", _("您的角色无权匿名化客户"))
    if not (reason or "").strip():
        raise DomainError("customer.reason_required", _("请填写匿名化原因"), fields={"reason": [_("必填")]})
    customer = Customer.objects.visible_to(actor).select_for_update().filter(pk=customer_id).first()
    if customer is None:
        from .services import NotFoundError

        raise NotFoundError("customer.not_found", _("客户不存在或不在您的范围内"))
    if customer.is_anonymised:
        raise ConflictError(
            "customer.already_anonymised", _("该客户已于 %(at)s 匿名化") % {"at": customer.anonymised_at}
        )
    customer.name = _("已匿名客户 %(code)s") % {"code": customer.code}
    customer.pinyin_full = ""
    customer.pinyin_initials = ""
    for field in CUSTOMER_CLEARED:
        setattr(customer, field, "")
    customer.is_anonymised = True
    customer.anonymised_at = timezone.now()
    customer.version += 1
    customer.save()
    contacts = list(Contact.objects.filter(customer=customer))
    for contact in contacts:
        contact.name = REDACTED
        for field in CONTACT_CLEARED:
            setattr(contact, field, "")
        contact.version += 1
        contact.save()
    _redact_history(Customer, [customer.pk], ("name", *CUSTOMER_CLEARED, "pinyin_full", "pinyin_initials"))
    _redact_history(Contact, [c.pk for c in contacts], ("name", *CONTACT_CLEARED))
    record_event(
        event_type=EventType.ANONYMISED,
        target=customer,
        actor=actor,
        new={"code": customer.code, "contacts": len(contacts)},
        message=reason.strip(),
    )
    return customer
