"""Customers and their contacts: create, update with the duplicate check, contacts with one primary (INF-1)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import require_perm
from salesservice.core.models import OrgUnit, User
from salesservice.core.numbering import next_number

from ..choices import (
    CustomerType,
    EventType,
)
from ..models import Contact, Customer
from ..pinyin import pinyin_keys
from .common import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    CUSTOMER_SERIES,
    _check_store,
    _clean,
    _duplicate_check,
    _ensure_not_anonymised,
    _get_customer,
    _normalise_phone,
    _redacted,
    _scoped,
    _set_tags,
)

# --- customers --------------------------------------------------------------------------


@service
def customer_create(
    *,
    actor,
    name: str,
    customer_type: str,
    store: OrgUnit,
    sales_rep: User | None = None,
    is_key_account: bool = False,
    tags=(),
    preferences: str = "",
    special_needs: str = "",
    notes: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    id_number: str = "",
    is_active: bool = True,
) -> Customer:
    """Open a customer file in a store (INF-1: collected accurately; duplicates by name + phone refused)."""
    require_perm(actor, "customers.add_customer")
    _check_store(actor, store)
    name = (name or "").strip()
    phone = _normalise_phone(phone)
    if customer_type not in CustomerType.values:
        raise DomainError("customer.invalid_type", _("无效的客户类型"), fields={"customer_type": [_("无效")]})
    _duplicate_check(store, name, phone)
    full, initials = pinyin_keys(name)
    customer = Customer(
        code=next_number(CUSTOMER_SERIES, series=dict(name="客户", prefix="CU", reset="yearly", padding=5)),
        name=name,
        customer_type=customer_type,
        store=store,
        sales_rep=sales_rep,
        is_key_account=is_key_account,
        preferences=preferences or "",
        special_needs=special_needs or "",
        notes=notes or "",
        phone=phone,
        email=(email or "").strip(),
        address=(address or "").strip(),
        id_number=(id_number or "").strip(),
        is_active=is_active,
        pinyin_full=full,
        pinyin_initials=initials,
    )
    _clean(customer)
    customer.save()
    _set_tags(customer, tags)
    record_event(
        event_type=EventType.CUSTOMER_CREATED,
        target=customer,
        actor=actor,
        new={"code": customer.code, "customer_type": customer_type, "store": store.pk},
    )
    return customer


@service
def customer_update(*, actor, customer_id: int, expected_version: int, **changes) -> Customer:
    """Edit a customer; a stale `expected_version` → 409 `conflict.stale` and nothing is saved."""
    require_perm(actor, "customers.change_customer")
    unknown = set(changes) - set(CUSTOMER_FIELDS)
    if unknown:
        raise DomainError("customer.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    customer = lock_current(_scoped(Customer, actor), customer_id, expected_version)
    _ensure_not_anonymised(customer)
    if "store" in changes and changes["store"].pk != customer.store_id:
        _check_store(actor, changes["store"])
    if "phone" in changes:
        changes["phone"] = _normalise_phone(changes["phone"])
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    if "customer_type" in changes and changes["customer_type"] not in CustomerType.values:
        raise DomainError("customer.invalid_type", _("无效的客户类型"), fields={"customer_type": [_("无效")]})
    tags = changes.pop("tags", None)
    old, new = {}, {}
    for field, value in changes.items():
        current = getattr(customer, field)
        if current != value:
            old[field], new[field] = current, value
            setattr(customer, field, value)
    if tags is not None:
        current_tags = sorted(customer.tags.values_list("name", flat=True))
        wanted = sorted(set(str(t).strip()[:30] for t in tags if str(t).strip()))
        if current_tags != wanted:
            old["tags"], new["tags"] = current_tags, wanted
    if not new:
        return customer
    if {"name", "phone", "store"} & set(new):
        _duplicate_check(customer.store, customer.name, customer.phone, exclude_pk=customer.pk)
    if "name" in new:
        customer.pinyin_full, customer.pinyin_initials = pinyin_keys(customer.name)
    _clean(customer)
    customer.version += 1
    customer.save()
    if "tags" in new:
        _set_tags(customer, new["tags"])
    record_event(
        event_type=EventType.CUSTOMER_UPDATED, target=customer, actor=actor, old=_redacted(old), new=_redacted(new)
    )
    return customer


# --- contacts ---------------------------------------------------------------------------


def _single_primary(contact: Contact) -> None:
    if contact.is_primary:
        Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False
        )


@service
def contact_add(
    *,
    actor,
    customer: Customer,
    name: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    position: str = "",
    is_primary: bool = False,
) -> Contact:
    """Add a contact person to a customer (INF-1)."""
    require_perm(actor, "customers.change_customer")
    customer = _get_customer(actor, customer)
    _ensure_not_anonymised(customer)
    contact = Contact(
        customer=customer,
        name=(name or "").strip(),
        phone=_normalise_phone(phone),
        email=(email or "").strip(),
        address=(address or "").strip(),
        position=(position or "").strip(),
        is_primary=is_primary,
    )
    _clean(contact)
    contact.save()
    _single_primary(contact)
    record_event(event_type=EventType.CONTACT_ADDED, target=customer, actor=actor, new={"contact": contact.pk})
    return contact


@service
def contact_update(*, actor, contact_id: int, expected_version: int, **changes) -> Contact:
    """Edit a contact; stale version → 409."""
    require_perm(actor, "customers.change_customer")
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise DomainError("contact.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    contact = lock_current(_scoped(Contact, actor).select_related("customer"), contact_id, expected_version)
    _ensure_not_anonymised(contact.customer)
    if "phone" in changes:
        changes["phone"] = _normalise_phone(changes["phone"])
    changed = {}
    for field, value in changes.items():
        if getattr(contact, field) != value:
            changed[field] = value
            setattr(contact, field, value)
    if not changed:
        return contact
    _clean(contact)
    contact.version += 1
    contact.save()
    _single_primary(contact)
    record_event(
        event_type=EventType.CONTACT_UPDATED,
        target=contact.customer,
        actor=actor,
        new={"contact": contact.pk, **_redacted(changed)},
    )
    return contact
