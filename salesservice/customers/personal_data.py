"""The customer file's part of data-subject requests (PIPL; INF-1, SRV-10; see `core.personal_data`).

The customer row, its contacts, buyer qualifications, entrusted property and its incidents, and consents.
None of them is a record TRC-4 makes us keep unchanged, so nothing here is restricted: the customer row and
the qualifications, property, incidents and consents stay (BUY-1 / CPR-1 / consent history), with the identity
replaced — the row's name becomes 已匿名客户 <code>, its contact data and notes are cleared, contacts lose name
and contact data, and every identifying value leaves their free text and history. Records of other apps kept
under retention seal the identity they refer to (`retained_identity`) before this row is anonymised.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.personal_data import REDACTED, erase_rows, identity, scrub_history

from .models import Consent, Contact, Customer, CustomerProperty, PropertyIncident, Qualification

CUSTOMER_CLEARED = ("phone", "email", "address", "id_number", "notes", "preferences", "special_needs")
CONTACT_CLEARED = ("phone", "email", "address")

# (payload key of the export, section label): the customer file's sections, in the order they are exported.
SECTIONS = [
    ("customer", "客户"),
    ("contacts", "联系人"),
    ("qualifications", "购货资格"),
    ("property", "顾客财产"),
    ("incidents", "财产事件"),
    ("consents", "同意记录"),
]


def value(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.isoformat()
    return value


def field_row(obj, fields, extra=None) -> dict:
    """A row of the customer file's export: field names as keys (the payload the export has always had),
    choices with a `<field>_label`, related rows by name."""
    row = {}
    for field in fields:
        model_field = obj._meta.get_field(field)
        current = getattr(obj, field)
        if getattr(model_field, "choices", None):
            row[field] = current
            row[f"{field}_label"] = str(getattr(obj, f"get_{field}_display")())
        elif model_field.is_relation:
            row[field] = str(current) if current is not None else None
        else:
            row[field] = value(current)
    row.update(extra or {})
    return row


def retained_identity(customer) -> dict[str, str]:
    """The buyer's identity a record kept under retention refers to through the customer row (TRC-1: buyer,
    contact, phone, address) — sealed with that record when the row itself is anonymised. Not the ID number."""
    contact = Contact.objects.filter(customer=customer).order_by("-is_primary", "id").first()
    values = {
        _("购货者"): customer.name,
        _("联系人"): contact.name if contact else "",
        _("电话"): customer.phone or (contact.phone if contact else ""),
        _("地址"): customer.address,
    }
    return {label: text for label, text in values.items() if text}


class CustomerFile:
    """客户档案: the customer row, contacts, qualifications, property, incidents, consents."""

    label = "客户档案"
    models = (Customer, Contact, Qualification, CustomerProperty, PropertyIncident, Consent)

    def identity(self, customer) -> dict[str, str]:
        values = {customer.name: "name"}
        for field in ("phone", "email", "address", "id_number"):
            values[getattr(customer, field)] = field
        for contact in Contact.objects.filter(customer=customer):
            values.update({contact.name: "name", contact.phone: "phone", contact.email: "email"})
            values[contact.address] = "address"
        return values

    def export(self, customer) -> dict[str, list[dict]]:
        property_items = list(CustomerProperty.objects.filter(customer=customer).select_related("holder"))
        customer_row = field_row(
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
        )
        return {
            "客户": [customer_row],
            "联系人": [
                field_row(c, ("name", "phone", "email", "address", "position", "is_primary", "created_at"))
                for c in Contact.objects.filter(customer=customer)
            ],
            "购货资格": [
                field_row(
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
            "顾客财产": [
                field_row(
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
            "财产事件": [
                field_row(
                    i,
                    ("kind", "description", "reported_by", "reported_at", "customer_informed_at", "informed_how"),
                    {"property_id": i.property_id},
                )
                for i in PropertyIncident.objects.filter(property__in=property_items).select_related("reported_by")
            ],
            "同意记录": [
                field_row(c, ("purpose", "channel", "given_at", "withdrawn_at", "recorded_by", "withdrawn_by", "notes"))
                for c in Consent.objects.filter(customer=customer).select_related("recorded_by", "withdrawn_by")
            ],
        }

    def restrict(self, customer, *, actor) -> list:
        return []  # see the module docstring: nothing in the customer file is kept unchanged

    def erase(self, customer, *, actor) -> list[tuple[str, int]]:
        replacements = {text: REDACTED for text in identity(customer)}
        customer.name = _("已匿名客户 %(code)s") % {"code": customer.code}
        customer.pinyin_full = ""
        customer.pinyin_initials = ""
        for field in CUSTOMER_CLEARED:
            setattr(customer, field, "")
        customer.is_anonymised = True
        customer.anonymised_at = timezone.now()
        customer.version += 1
        customer.save()
        scrub_history(
            Customer,
            [customer.pk],
            replacements,
            fields=("name", *CUSTOMER_CLEARED, "pinyin_full", "pinyin_initials"),
        )
        erased = [(_("客户"), 1)]
        kwargs = {"actor": actor, "customer": customer}
        erased += erase_rows(
            list(Contact.objects.filter(customer=customer)),
            label=_("联系人"),
            blank={"name": REDACTED, **dict.fromkeys(CONTACT_CLEARED, "")},
            scrub=("position",),
            **kwargs,
        )
        erased += erase_rows(
            list(Qualification.objects.filter(customer=customer)), label=_("购货资格"), scrub=("notes",), **kwargs
        )
        items = list(CustomerProperty.objects.filter(customer=customer))
        erased += erase_rows(
            items, label=_("顾客财产"), scrub=("description", "location", "condition", "notes"), **kwargs
        )
        erased += erase_rows(
            list(PropertyIncident.objects.filter(property__in=items)),
            label=_("财产事件"),
            scrub=("description",),
            **kwargs,
        )
        erased += erase_rows(
            list(Consent.objects.filter(customer=customer)), label=_("同意记录"), scrub=("notes",), **kwargs
        )
        return erased


HANDLERS = [CustomerFile()]
