"""Every write to customers, contacts, qualifications, customer property and consents.

Each service: `<entity>_<verb>(*, actor, ...)`, one transaction (`@service`), permission and
scope checks, then the write and its typed timeline event. `actor=None` means the system
(jobs, data migrations) and skips the permission checks.

The buyer check (BUY-1) lives in `buyer.py`, data-subject requests (PIPL) in `data_subject.py`;
both are re-exported here so other apps import services from one place.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import OrgUnitKind
from salesservice.core.concurrency import lock_current
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
    PermissionDeniedError,
)
from salesservice.core.guards import require_perm
from salesservice.core.models import OrgUnit, User
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.scoping import can_see_unit

from .choices import (
    ConsentChannel,
    ConsentPurpose,
    CustomerType,
    DeviceClassScope,
    EventType,
    IncidentKind,
    InformChannel,
    PropertyKind,
    PropertyStatus,
    QualificationKind,
)
from .models import Consent, Contact, Customer, CustomerProperty, CustomerTag, PropertyIncident, Qualification
from .pinyin import pinyin_keys
from .workflows import INCIDENT_STEPS, PROPERTY_WORKFLOW

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


# --- qualifications (BUY-1) -------------------------------------------------------------


def _normalise_classes(value) -> str:
    if isinstance(value, str):
        value = value.replace("，", ",").split(",")
    classes = {str(v).strip().upper() for v in value or () if str(v).strip()}
    invalid = classes - set(DeviceClassScope.values)
    if invalid:
        raise DomainError(
            "qualification.invalid_scope",
            _("器械类别只能是 I、II、III"),
            fields={"scope_classes": [_("无效：%s") % "、".join(sorted(invalid))]},
        )
    return ",".join(c for c in DeviceClassScope.values if c in classes)


def _check_validity(qualification: Qualification) -> None:
    if qualification.valid_until is not None and qualification.valid_until < qualification.valid_from:
        raise DomainError(
            "qualification.invalid_dates",
            _("有效期至不能早于有效期起"),
            fields={"valid_until": [_("早于有效期起")]},
        )


@service
def qualification_add(
    *,
    actor,
    customer: Customer,
    kind: str,
    number: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    scope_classes=(),
    issuing_authority: str = "",
    notes: str = "",
    evidence=None,
) -> Qualification:
    """Record a reviewed buyer-qualification document, optionally with its scan (BUY-1).

    The actor is recorded as the reviewer: entering it means the original was checked.
    """
    require_perm(actor, "customers.add_qualification")
    customer = _get_customer(actor, customer)
    _ensure_not_anonymised(customer)
    if kind not in QualificationKind.values:
        raise DomainError("qualification.invalid_kind", _("无效的资格类型"), fields={"kind": [_("无效")]})
    qualification = Qualification(
        customer=customer,
        kind=kind,
        number=(number or "").strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        scope_classes=_normalise_classes(scope_classes),
        issuing_authority=issuing_authority or "",
        notes=notes or "",
        verified_by=actor,
        verified_at=timezone.now() if actor is not None else None,
    )
    _clean(qualification)
    _check_validity(qualification)
    qualification.save()
    if evidence is not None and actor is not None:
        from salesservice.core.attachments import attachment_add

        attachment_add(actor=actor, target=qualification, file=evidence, description=_("资格证明扫描件"))
    record_event(
        event_type=EventType.QUALIFICATION_ADDED,
        target=qualification,
        actor=actor,
        new={
            "customer": customer.code,
            "kind": kind,
            "number": qualification.number,
            "scope_classes": qualification.scope_classes,
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    return qualification


@service
def qualification_update(*, actor, qualification_id: int, expected_version: int, evidence=None, **changes):
    """Edit a qualification (e.g. a renewed licence's new validity); stale version → 409."""
    require_perm(actor, "customers.change_qualification")
    unknown = set(changes) - set(QUALIFICATION_FIELDS)
    if unknown:
        raise DomainError("qualification.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    qualification = lock_current(
        _scoped(Qualification, actor).select_related("customer"), qualification_id, expected_version
    )
    _ensure_not_anonymised(qualification.customer)
    if "scope_classes" in changes:
        changes["scope_classes"] = _normalise_classes(changes["scope_classes"])
    old, new = {}, {}
    for field, value in changes.items():
        if getattr(qualification, field) != value:
            old[field], new[field] = getattr(qualification, field), value
            setattr(qualification, field, value)
    if not new and evidence is None:
        return qualification
    _clean(qualification)
    _check_validity(qualification)
    if new:
        qualification.verified_by = actor
        qualification.verified_at = timezone.now() if actor is not None else None
    qualification.version += 1
    qualification.save()
    if evidence is not None and actor is not None:
        from salesservice.core.attachments import attachment_add

        attachment_add(actor=actor, target=qualification, file=evidence, description=_("资格证明扫描件"))
    record_event(
        event_type=EventType.QUALIFICATION_UPDATED,
        target=qualification,
        actor=actor,
        old=_redacted(old),
        new=_redacted(new) | ({"evidence": True} if evidence is not None else {}),
    )
    return qualification


DEFAULT_REMINDER_DAYS = 30
REMINDER_POLICY_KEY = "customers.qualification_reminder_days"


def qualification_reminder_days(at=None) -> int:
    """Days ahead of expiry to remind (policy parameter, BUY-1; 30 when the parameter is absent)."""
    from salesservice.core.policy import policy_value

    try:
        return int(policy_value(REMINDER_POLICY_KEY, at))
    except DomainError:
        return DEFAULT_REMINDER_DAYS


@service
def qualifications_remind_expiring(*, actor=None, today: dt.date | None = None) -> int:
    """Tell the owning sales rep (else the store's managers) of qualifications expiring soon (BUY-1).

    Idempotent: each qualification is claimed with a conditional UPDATE of `reminded_for`, so
    running twice (or on two schedulers at once) notifies once per expiry date. Returns the count.
    """
    from django.db.models import F, Q

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=qualification_reminder_days())
    due = list(
        Qualification.objects.filter(
            valid_until__isnull=False,
            valid_until__gte=today,
            valid_until__lte=horizon,
            customer__is_anonymised=False,
            customer__is_active=True,
        )
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("valid_until")))
        .select_related("customer__sales_rep", "customer__store")
    )
    managers_by_store: dict[int, list[User]] = {}
    sent = 0
    for qualification in due:
        claimed = (
            Qualification.objects.filter(pk=qualification.pk)
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=qualification.valid_until))
            .update(reminded_for=qualification.valid_until)
        )
        if not claimed:
            continue
        customer = qualification.customer
        if customer.sales_rep_id and customer.sales_rep.is_active:
            recipients = [customer.sales_rep]
        else:
            if customer.store_id not in managers_by_store:
                managers_by_store[customer.store_id] = list(store_managers(customer.store_id))
            recipients = managers_by_store[customer.store_id]
        days_left = (qualification.valid_until - today).days
        from django.urls import reverse

        notify(
            recipients=recipients,
            title=_("客户购货资格即将到期：%(customer)s") % {"customer": customer.name},
            body=_("%(kind)s（%(number)s）将于 %(date)s 到期（剩余 %(days)s 天），请提醒客户及时换证并更新资格记录。")
            % {
                "kind": qualification.get_kind_display(),
                "number": qualification.number,
                "date": qualification.valid_until.isoformat(),
                "days": days_left,
            },
            url=reverse("customers:customer-detail", args=[customer.pk]) + "?tab=qualifications",
            kind="customers.qualification_expiring",
            level="warning",
        )
        record_event(
            event_type=EventType.QUALIFICATION_REMINDED,
            target=qualification,
            actor=actor,
            new={"valid_until": qualification.valid_until.isoformat(), "recipients": [u.pk for u in recipients]},
        )
        sent += 1
    return sent


# --- customer property (CPR-1) ----------------------------------------------------------


def _get_property(actor, property_id, *, lock=True) -> CustomerProperty:
    queryset = _scoped(CustomerProperty, actor).select_related("customer__store", "customer__sales_rep")
    if lock:
        # Lock only the property row ("self"): the joined nullable sales rep cannot be locked on PostgreSQL.
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=property_id)
    except CustomerProperty.DoesNotExist:
        raise NotFoundError("property.not_found", _("顾客财产不存在或不在您的范围内")) from None


@service
def property_register(
    *,
    actor,
    customer: Customer,
    kind: str,
    description: str,
    identifier: str = "",
    received_at: dt.datetime | None = None,
    location: str = "",
    condition: str = "",
    holder: User | None = None,
    notes: str = "",
) -> CustomerProperty:
    """Register something a customer entrusted to us: identified, located, held by someone (CPR-1)."""
    require_perm(actor, "customers.add_customerproperty")
    customer = _get_customer(actor, customer)
    _ensure_not_anonymised(customer)
    if kind not in PropertyKind.values:
        raise DomainError("property.invalid_kind", _("无效的财产类别"), fields={"kind": [_("无效")]})
    if received_at is not None and timezone.is_naive(received_at):
        raise DomainError("property.naive_datetime", _("接收时间必须带时区"))
    item = CustomerProperty(
        customer=customer,
        kind=kind,
        description=(description or "").strip(),
        identifier=(identifier or "").strip(),
        received_at=received_at or timezone.now(),
        location=location or "",
        condition=condition or "",
        holder=holder if holder is not None else actor,
        notes=notes or "",
    )
    _clean(item)
    item.save()
    record_event(
        event_type=EventType.PROPERTY_REGISTERED,
        target=item,
        actor=actor,
        new={"customer": customer.code, "kind": kind, "identifier": item.identifier},
    )
    return item


@service
def property_update(*, actor, property_id: int, expected_version: int, **changes) -> CustomerProperty:
    """Move, re-describe or hand over an item (location, condition, holder); stale version → 409."""
    require_perm(actor, "customers.change_customerproperty")
    unknown = set(changes) - set(PROPERTY_FIELDS)
    if unknown:
        raise DomainError("property.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    item = lock_current(_scoped(CustomerProperty, actor), property_id, expected_version)
    old, new = {}, {}
    for field, value in changes.items():
        if getattr(item, field) != value:
            old[field], new[field] = getattr(item, field), value
            setattr(item, field, value)
    if not new:
        return item
    _clean(item)
    item.version += 1
    item.save()
    record_event(
        event_type=EventType.PROPERTY_UPDATED,
        target=item,
        actor=actor,
        old={k: (v.pk if isinstance(v, User) else v) for k, v in old.items()},
        new={k: (v.pk if isinstance(v, User) else v) for k, v in new.items()},
    )
    return item


@service
def property_return(*, actor, property_id: int, returned_at: dt.datetime | None = None, note: str = ""):
    """Hand an item back to the customer (CPR-1)."""
    require_perm(actor, "customers.change_customerproperty")
    item = _get_property(actor, property_id)
    PROPERTY_WORKFLOW.check(item, "return")
    item.returned_at = returned_at or timezone.now()
    PROPERTY_WORKFLOW.move(item, PropertyStatus.RETURNED, actor=actor, reason=note, fields=("returned_at",))
    record_event(
        event_type=EventType.PROPERTY_RETURNED,
        target=item,
        actor=actor,
        new={"returned_at": item.returned_at.isoformat()},
        message=note,
    )
    return item


@service
def property_report_incident(
    *,
    actor,
    property_id: int,
    kind: str,
    description: str,
    customer_informed_at: dt.datetime | None = None,
    informed_how: str = "",
) -> PropertyIncident:
    """Report a loss, damage or unfitness of customer property (CPR-1: report to the customer, keep a record).

    The report is kept; the item's status follows (lost / damaged); the customer's owner —
    its sales rep, else the store's managers — is notified at once.
    """
    require_perm(actor, "customers.report_property_incident")
    if kind not in IncidentKind.values:
        raise DomainError("incident.invalid_kind", _("无效的事件类型"), fields={"kind": [_("无效")]})
    if informed_how and informed_how not in InformChannel.values:
        raise DomainError("incident.invalid_channel", _("无效的告知方式"), fields={"informed_how": [_("无效")]})
    if not (description or "").strip():
        raise DomainError("incident.description_required", _("请说明经过"), fields={"description": [_("必填")]})
    if customer_informed_at is not None and not informed_how:
        raise DomainError(
            "incident.channel_required", _("已告知客户时请填写告知方式"), fields={"informed_how": [_("必填")]}
        )
    item = _get_property(actor, property_id)
    if not PROPERTY_WORKFLOW.allows(item, "report-incident"):
        raise ConflictError("property.already_returned", _("该财产已归还客户，不能再报告丢失或损坏"))
    incident = PropertyIncident.objects.create(
        property=item,
        kind=kind,
        description=description.strip(),
        reported_by=actor,
        customer_informed_at=customer_informed_at,
        informed_how=informed_how or "",
    )
    step = INCIDENT_STEPS.get(kind)
    target_status = PROPERTY_WORKFLOW.actions[step].target if step else None
    if target_status and item.status != target_status:
        PROPERTY_WORKFLOW.check(item, step)
        PROPERTY_WORKFLOW.move(item, target_status, actor=actor, reason=description[:200])
    record_event(
        event_type=EventType.PROPERTY_INCIDENT,
        target=item,
        actor=actor,
        new={"incident": incident.pk, "kind": kind, "customer_informed": customer_informed_at is not None},
        message=description,
    )
    from django.urls import reverse

    customer = item.customer
    notify(
        recipients=owner_recipients(customer),
        title=_("顾客财产%(kind)s：%(item)s") % {"kind": incident.get_kind_display(), "item": item.description},
        body=_("客户 %(customer)s 的财产“%(item)s”（%(identifier)s）报告%(kind)s：%(text)s。%(informed)s")
        % {
            "customer": customer.name,
            "item": item.description,
            "identifier": item.identifier or "—",
            "kind": incident.get_kind_display(),
            "text": description.strip()[:300],
            "informed": _("已告知客户。") if customer_informed_at else _("尚未告知客户，请尽快告知并登记。"),
        },
        url=reverse("customers:customer-detail", args=[customer.pk]) + "?tab=property",
        kind="customers.property_incident",
        level="urgent",
    )
    return incident


# --- consents (INF-1) -------------------------------------------------------------------


@service
def consent_give(
    *,
    actor,
    customer: Customer,
    purpose: str,
    channel: str,
    given_at: dt.datetime | None = None,
    notes: str = "",
) -> Consent:
    """Record a customer's consent to one purpose (INF-1: no disclosure without consent)."""
    require_perm(actor, "customers.add_consent")
    customer = _get_customer(actor, customer)
    _ensure_not_anonymised(customer)
    if purpose not in ConsentPurpose.values:
        raise DomainError("consent.invalid_purpose", _("无效的用途"), fields={"purpose": [_("无效")]})
    if channel not in ConsentChannel.values:
        raise DomainError("consent.invalid_channel", _("无效的方式"), fields={"channel": [_("无效")]})
    if given_at is not None and timezone.is_naive(given_at):
        raise DomainError("consent.naive_datetime", _("同意时间必须带时区"))
    if Consent.objects.filter(customer=customer, purpose=purpose, withdrawn_at__isnull=True).exists():
        raise ConflictError("consent.already_given", _("该用途已有有效的同意记录"))
    consent = Consent.objects.create(
        customer=customer,
        purpose=purpose,
        channel=channel,
        given_at=given_at or timezone.now(),
        recorded_by=actor,
        notes=(notes or "")[:200],
    )
    record_event(
        event_type=EventType.CONSENT_GIVEN,
        target=customer,
        actor=actor,
        new={"consent": consent.pk, "purpose": purpose, "channel": channel},
    )
    return consent


@service
def consent_withdraw(*, actor, consent_id: int, withdrawn_at: dt.datetime | None = None) -> Consent:
    """Withdraw a consent: the row stays, with when and who recorded the withdrawal."""
    require_perm(actor, "customers.change_consent")
    try:
        consent = _scoped(Consent, actor).select_for_update().get(pk=consent_id)
    except Consent.DoesNotExist:
        raise NotFoundError("consent.not_found", _("同意记录不存在或不在您的范围内")) from None
    if consent.withdrawn_at is not None:
        raise ConflictError("consent.already_withdrawn", _("该同意已于 %(at)s 撤回") % {"at": consent.withdrawn_at})
    consent.withdrawn_at = withdrawn_at or timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record_event(
        event_type=EventType.CONSENT_WITHDRAWN,
        target=consent.customer,
        actor=actor,
        new={"consent": consent.pk, "purpose": consent.purpose},
    )
    return consent


from .buyer import Reason, buyer_check, may_buy  # noqa: E402
from .data_subject import customer_anonymise, customer_export_data, customer_export_workbook  # noqa: E402

__all__ = [
    "Reason",
    "buyer_check",
    "may_buy",
    "customer_anonymise",
    "customer_export_data",
    "customer_export_workbook",
]
