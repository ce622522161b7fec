"""Intake and the SLA-relevant moves of a service request (SRV-1, SRV-2, SRV-11): create, update, first
contact, wait for the customer (the clocks pause) and resume."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import OrgUnitKind
from salesservice.core.events import build_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTransition,
    NotFoundError,  # noqa: F401 — re-exported for callers
    PermissionDeniedError,
)
from salesservice.core.guards import check_version, require_perm
from salesservice.core.inserts import PENDING_NUMBER, insert_created
from salesservice.core.models import OrgUnit
from salesservice.core.numbering import next_number
from salesservice.core.scoping import can_see_unit, in_scope

from .. import sla
from ..choices import (
    Channel,
    EventType,
    ServiceCategory,
)
from ..choices import ServiceRequestStatus as S
from ..errors import ServiceErrorCode
from ..models import ServiceRequest
from ..workflows import REQUEST_WORKFLOW
from .common import (
    PERSONAL_FIELDS,
    SERIES,
    UPDATABLE_FIELDS,
    _event,
    _get_request,
    _move,
    _now,
    _plain,
    _terms,
)

# --- intake (SRV-1, SRV-2, SRV-11) ---------------------------------------------------------


@service
def service_request_create(
    *,
    actor,
    customer,
    channel: str,
    category: str,
    description: str,
    store: OrgUnit | None = None,
    product=None,
    serial_number: str = "",
    batch_number: str = "",
    purchase_date: dt.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    received_at: dt.datetime | None = None,
) -> ServiceRequest:
    """SRV-1: log a request from any channel; SRV-2: start its clocks on the calendar in force at receipt.

    The store defaults to the customer's; it must be a store in the actor's scope, and the customer
    must be visible to the actor. `received_at` (default now) may be in the past for requests
    logged late or imported — the deadlines then run from that moment.
    """
    require_perm(actor, "service.add_servicerequest")
    from salesservice.customers.models import Customer

    if isinstance(customer, Customer):  # read already (the API's scoped field, a form): check, don't re-read
        customer = customer if in_scope(actor, customer) else None
    else:
        customers = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
        customer = customers.select_related("store").filter(pk=customer).first()
    if customer is None:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_CUSTOMER_NOT_FOUND,
            _("客户不存在或不在您的范围内"),
            fields={"customer": [_("无效")]},
        )
    store = store or customer.store
    if store.kind != OrgUnitKind.STORE:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_INVALID_STORE, _("受理门店必须是门店"), fields={"store": [_("请选择门店")]}
        )
    if actor is not None and not can_see_unit(actor, store.pk):
        raise PermissionDeniedError(
            ServiceErrorCode.SERVICE_REQUEST_STORE_OUT_OF_SCOPE,
            _("所选门店不在您的管辖范围内"),
            fields={"store": [_("超出范围")]},
        )
    if channel not in Channel.values:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_INVALID_CHANNEL, _("无效的渠道"), fields={"channel": [_("无效")]}
        )
    if category not in ServiceCategory.values:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_INVALID_CATEGORY, _("无效的服务类别"), fields={"category": [_("无效")]}
        )
    description = (description or "").strip()
    if not description:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_DESCRIPTION_REQUIRED,
            _("请填写问题描述"),
            fields={"description": [_("必填")]},
        )
    received_at = _now(received_at)
    if purchase_date is not None and purchase_date > timezone.localdate(received_at):
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_PURCHASE_IN_FUTURE,
            _("购买日期不能晚于受理日期"),
            fields={"purchase_date": [_("无效")]},
        )
    request = ServiceRequest(
        number=PENDING_NUMBER,
        customer=customer,
        store=store,
        channel=channel,
        category=category,
        description=description,
        product=product,
        serial_number=(serial_number or "").strip(),
        batch_number=(batch_number or "").strip(),
        purchase_date=purchase_date,
        contact_name=(contact_name or customer.name).strip()[:60],
        contact_phone=(contact_phone or customer.phone or "").strip(),
        address=(address or customer.address or "").strip(),
        received_at=received_at,
        created_by=actor,
    )
    sla.start_clocks(request, _terms(request))
    # The request, its audit entry and its event by statements built once (issue 17 §2: the create's change is
    # every field, no diff machinery needed); the number taken just before they are sent.
    insert_created(
        request,
        build_event(
            event_type=EventType.REQUEST_CREATED,
            target=request,
            actor=actor,
            at=received_at,
            new={"number": request.number, "channel": channel, "category": category, "store": store.pk},
        ),
        number=lambda: next_number(SERIES, at=received_at, series=dict(name="售后服务单", prefix="SR", reset="daily")),
    )
    return request


@service
def service_request_update(*, actor, request_id: int, expected_version: int, **changes) -> ServiceRequest:
    """Correct what was logged (description, product, serial/batch, purchase date, contact). Stale → 409."""
    require_perm(actor, "service.change_servicerequest")
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown))
        )
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    if request.status in REQUEST_WORKFLOW.terminal_states:
        raise ConflictError(ServiceErrorCode.SERVICE_REQUEST_FINAL, _("已结案或已取消的服务单不能修改"))
    if "category" in changes and changes["category"] not in ServiceCategory.values:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_INVALID_CATEGORY, _("无效的服务类别"), fields={"category": [_("无效")]}
        )
    if "description" in changes and not (changes["description"] or "").strip():
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_DESCRIPTION_REQUIRED,
            _("请填写问题描述"),
            fields={"description": [_("必填")]},
        )
    old, new = {}, {}
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if value is None and field not in ("product", "purchase_date"):
            value = ""
        current = getattr(request, field)
        if current != value:
            masked = field in PERSONAL_FIELDS
            old[field] = "***" if masked else _plain(current)
            new[field] = "***" if masked else _plain(value)
            setattr(request, field, value)
    if not new:
        return request
    request.version += 1
    request.save()
    _event(request, EventType.REQUEST_UPDATED, actor=actor, old=old, new=new)
    return request


# --- the SLA-relevant moves (SRV-2) ---------------------------------------------------------


@service
def request_contact(
    *, actor, request_id: int, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """SRV-2: record the first contact with the customer — stops the first-contact clock."""
    require_perm(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    REQUEST_WORKFLOW.check(request, "contact")
    now = _now(at, request)
    request.first_contacted_at = now
    _move(request, S.CONTACTED, actor=actor, at=now, reason=note, fields=("first_contacted_at",))
    late = now > request.first_contact_due_at
    _event(
        request,
        EventType.REQUEST_CONTACTED,
        actor=actor,
        at=at,
        new={"first_contacted_at": now.isoformat(), "within_sla": not late},
        message=note,
    )
    return request


@service
def request_wait_customer(
    *, actor, request_id: int, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """SRV-2: the customer asked us to wait (parts on their side, not at home …) — the clocks pause."""
    require_perm(actor, "service.change_servicerequest")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_REASON_REQUIRED, _("请填写等待原因"), fields={"reason": [_("必填")]}
        )
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    REQUEST_WORKFLOW.check(request, "wait-customer")
    now = _now(at, request)
    sla.pause_clocks(request, now)
    _move(request, S.WAITING_CUSTOMER, actor=actor, at=now, reason=reason, fields=("paused_at", "paused_from_status"))
    _event(request, EventType.REQUEST_PAUSED, actor=actor, at=at, new={"paused_at": now.isoformat()}, message=reason)
    return request


@service
def request_resume(
    *, actor, request_id: int, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """SRV-2: back to the status it paused from; open deadlines move by the paused span in business time."""
    require_perm(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    if not REQUEST_WORKFLOW.allows(request, "resume"):
        raise InvalidTransition(
            ServiceErrorCode.STATUS_INVALID_TRANSITION,
            _("服务单当前为“%(status)s”，未在等待客户，无需恢复") % {"status": request.get_status_display()},
            fields={"current": request.status, "target": "resume"},
        )
    back_to = request.paused_from_status or S.RECEIVED
    now = _now(at, request)
    if request.paused_at and now < request.paused_at:
        raise DomainError(ServiceErrorCode.SERVICE_REQUEST_TIME_BEFORE_PAUSE, _("恢复时间不能早于暂停时间"))
    span = sla.resume_clocks(request, now, _terms(request))
    _move(
        request,
        back_to,
        actor=actor,
        at=now,
        reason=note,
        fields=(
            "paused_at",
            "paused_from_status",
            "paused_business_seconds",
            "first_contact_due_at",
            "escalation_due_at",
            "warned_first_contact_at",
            "warned_escalation_at",
        ),
    )
    _event(
        request,
        EventType.REQUEST_RESUMED,
        actor=actor,
        at=at,
        new={
            "status": back_to,
            "paused_business_seconds": int(span.total_seconds()),
            "escalation_due_at": request.escalation_due_at.isoformat(),
        },
        message=note,
    )
    return request
