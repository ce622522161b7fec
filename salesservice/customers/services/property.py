"""Customer property (CPR-1): registering, returning and reporting loss or damage of what we hold."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import require_perm
from salesservice.core.models import User
from salesservice.core.notifications import notify

from ..choices import (
    EventType,
    IncidentKind,
    InformChannel,
    PropertyKind,
    PropertyStatus,
)
from ..models import Customer, CustomerProperty, PropertyIncident
from ..workflows import INCIDENT_STEPS, PROPERTY_WORKFLOW
from .common import (
    PROPERTY_FIELDS,
    _clean,
    _ensure_not_anonymised,
    _get_customer,
    _scoped,
    owner_recipients,
)

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
