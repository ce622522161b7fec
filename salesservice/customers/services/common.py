"""What the customer services share: fields, the scoped read, validation, phone normalising, who answers for
a customer."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from salesservice.core.choices import OrgUnitKind
from salesservice.core.directory import holders
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
    PermissionDeniedError,
)
from salesservice.core.models import OrgUnit, User
from salesservice.core.scoping import can_see_unit

from ..models import Customer, CustomerTag

CUSTOMER_SERIES = "CU"
CUSTOMER_FIELDS = (
    "customer_type",
    "name",
    "store",
    "sales_rep",
    "is_key_account",
    "tags",
    "preferences",
    "special_needs",
    "notes",
    "phone",
    "email",
    "address",
    "id_number",
    "is_active",
)
# Never copied into timeline events: the event says the field changed, not what it held (SRV-10).
PERSONAL_FIELDS = {"name", "phone", "email", "address", "id_number", "notes", "preferences", "special_needs"}
CONTACT_FIELDS = ("name", "phone", "email", "address", "position", "is_primary")
QUALIFICATION_FIELDS = ("kind", "number", "scope_classes", "issuing_authority", "valid_from", "valid_until", "notes")
PROPERTY_FIELDS = ("kind", "description", "identifier", "location", "condition", "holder", "notes")


# --- helpers ----------------------------------------------------------------------------


def _scoped(model, actor):
    manager = model.objects
    return manager.visible_to(actor) if actor is not None else manager.all()


def _get_customer(actor, customer_or_id, *, lock: bool = False) -> Customer:
    pk = customer_or_id.pk if isinstance(customer_or_id, Customer) else customer_or_id
    queryset = _scoped(Customer, actor)
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=pk)
    except Customer.DoesNotExist:
        raise NotFoundError("customer.not_found", _("客户不存在或不在您的范围内")) from None


def _ensure_not_anonymised(customer: Customer) -> None:
    if customer.is_anonymised:
        raise ConflictError("customer.anonymised", _("该客户已匿名化，不能再修改或补充个人信息"))


def _check_store(actor, store) -> OrgUnit:
    if store is None or not isinstance(store, OrgUnit) or store.kind != OrgUnitKind.STORE:
        raise DomainError("customer.invalid_store", _("所属门店必须是一个门店"), fields={"store": [_("请选择门店")]})
    if actor is not None and not can_see_unit(actor, store.pk):
        raise PermissionDeniedError(
            "customer.store_out_of_scope", _("所选门店不在您的管辖范围内"), fields={"store": [_("超出范围")]}
        )
    return store


def _redacted(changes: dict) -> dict:
    out = {}
    for field, value in changes.items():
        if field in PERSONAL_FIELDS:
            out[field] = "***"
        elif isinstance(value, User | OrgUnit):
            out[field] = value.pk
        elif isinstance(value, dt.date | dt.datetime):
            out[field] = value.isoformat()
        elif isinstance(value, list | tuple | set):
            out[field] = sorted(str(v) for v in value)
        else:
            out[field] = value
    return out


def _clean(instance, exclude=()) -> None:
    try:
        instance.full_clean(exclude=[*exclude], validate_unique=False)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        parts = []
        for name, messages in fields.items():
            try:
                label = str(instance._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # "__all__" has no label
                label = ""
            parts.append(f"{label}：{messages[0]}" if label else messages[0])
        raise DomainError("invalid", "；".join(parts) or _("输入有误"), fields=fields) from exc


def _normalise_phone(value: str) -> str:
    return "".join((value or "").split()).replace("-", "") if value else ""


def _set_tags(customer: Customer, names) -> None:
    wanted = []
    for name in names or ():
        name = str(name).strip()[:30]
        if name:
            wanted.append(CustomerTag.objects.get_or_create(name=name)[0])
    customer.tags.set(wanted)


def parse_tags(text: str) -> list[str]:
    """'团购，老客户, VIP' → ['团购', '老客户', 'VIP'] (Chinese and Latin commas, 、 and ;)."""
    for sep in ("，", "、", ";", "；"):
        text = (text or "").replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def owner_recipients(customer: Customer) -> list[User]:
    """Who answers for a customer: its sales rep, or else the managers of its store."""
    if customer.sales_rep_id and customer.sales_rep.is_active:
        return [customer.sales_rep]
    return list(store_managers(customer.store_id))


def store_managers(store_id: int) -> list[User]:
    """The active store managers of the store itself (core.directory)."""
    return holders("store_manager", store_id, exact=True)


def _duplicate_check(store, name: str, phone: str, exclude_pk=None) -> None:
    duplicates = Customer.objects.filter(store=store, name=name, phone=phone, is_anonymised=False)
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    existing = duplicates.only("code").first()
    if existing is not None:
        raise ConflictError(
            "customer.duplicate",
            _("本门店已有同名且电话相同的客户（%(code)s），请勿重复建档") % {"code": existing.code},
            fields={"name": [_("重复")], "phone": [_("重复")]},
        )
