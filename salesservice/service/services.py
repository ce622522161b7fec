"""Every write of the service desk (SRV-1 … SRV-11, FBK-5, PPL-4, NET-3).

Each service runs in one transaction (`@service`), locks the request it changes, checks the
actor's permission and scope (out of scope → 404, never revealing existence), moves the status only
through `core.workflow.transition` with `choices.TRANSITIONS`, records a typed timeline event and
notifies whom it concerns. Keyword-only arguments; `actor` is the user acting (None = the system or
the customer through a tokenised link).

State-changing services take an optional `at` (default now) so demo data and imports can replay a
past request; it may not lie in the future nor before the request was received. The moment used is
stamped on the status-change event too, so `sla.recompute_deadlines` replays exactly what was done.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import secrets

from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.attachments import attachment_add
from salesservice.core.audit import service
from salesservice.core.choices import NotificationLevel, OrgUnitKind
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTransition,
    NotFoundError,  # noqa: F401 — re-exported for callers
    PermissionDeniedError,
)
from salesservice.core.guards import check_version, checked_moment, require_perm, scoped_get
from salesservice.core.models import Event, OrgUnit, User
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.scoping import can_see_unit
from salesservice.core.workflow import can_transition, transition

from . import sla
from .choices import (
    FINAL_STATUSES,
    KNOWLEDGE_TRANSITIONS,
    TRANSITIONS,
    AcceptanceMethod,
    Channel,
    DispatchMode,
    EventType,
    KnowledgeStatus,
    ServiceCategory,
)
from .choices import ServiceRequestStatus as S
from .models import Acceptance, AcceptanceLink, KnowledgeArticle, ServiceRequest, WorkRecord

SERIES = "service_request"
ACCEPTANCE_LINK_HOURS = 72
MAX_SIGNATURE_BYTES = 1024 * 1024
CONDITION_KEYS = ("appearance", "function", "performance")
UPDATABLE_FIELDS = (
    "category",
    "description",
    "product",
    "serial_number",
    "batch_number",
    "purchase_date",
    "contact_name",
    "contact_phone",
    "address",
)
PERSONAL_FIELDS = {"contact_phone", "address", "contact_name"}
KNOWLEDGE_FIELDS = ("title", "body", "service_category", "product_category", "product")


class DispatchRefused(ConflictError):
    """PPL-4 / NET-3: the engineer or provider may not take this request (409 with the reason's code)."""

    default_message = "不能派工"


class AcceptanceLinkError(DomainError):
    """A tokenised acceptance link that is unknown (404), used or expired (409/410)."""

    status_code = 409


# --- helpers ---------------------------------------------------------------------------------


_require = require_perm


def _now(at: dt.datetime | None, request: ServiceRequest | None = None) -> dt.datetime:
    return checked_moment(at, prefix="service_request", not_before=request.received_at if request else None)


def _get_request(actor, request_id, *, lock: bool = True) -> ServiceRequest:
    return scoped_get(
        ServiceRequest,
        actor,
        request_id,
        lock=lock,
        code="service_request.not_found",
        message=_("服务单不存在或不在您的范围内"),
    )


_check_version = check_version


def _ensure_transition(request: ServiceRequest, to_status: str) -> None:
    """Raise the standard 409 `status.invalid_transition` before any other check runs."""
    if not can_transition(TRANSITIONS, request.status, to_status):
        transition(request, to_status, transitions=TRANSITIONS, save=False)  # raises InvalidTransition


def _move(request: ServiceRequest, to_status: str, *, actor, at: dt.datetime, reason: str = "", fields=()) -> None:
    """The one door (core.workflow.transition) plus the event's time, saving `fields` with the status."""
    transition(
        request,
        to_status,
        transitions=TRANSITIONS,
        actor=actor,
        reason=str(reason)[:300],
        extra_update_fields=tuple(fields),
        at=at,
    )


def _event(request, event_type, *, actor, at=None, old=None, new=None, message="") -> Event:
    return record_event(event_type=event_type, target=request, actor=actor, old=old, new=new, message=message, at=at)


def request_url(request: ServiceRequest) -> str:
    """The request's page (the lead's `service:request-detail`), or its API URL until that exists."""
    try:
        return reverse("service:request-detail", args=[request.pk])
    except NoReverseMatch:
        return f"/api/v1/service-requests/{request.pk}/"


def _terms(request: ServiceRequest) -> sla.SlaTerms:
    return sla.terms_for(request)


# --- who is told ---------------------------------------------------------------------------


def store_supervisors(store_id: int):
    """Level 0 (门店): the store's CS supervisors and store managers."""
    return User.objects.filter(
        is_active=True,
        memberships__org_unit_id=store_id,
        memberships__role__name__in=("cs_supervisor", "store_manager"),
    ).distinct()


def region_managers(store: OrgUnit):
    """Level 1 (区部): the region managers of the region above the store."""
    if not store.parent_id:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, memberships__org_unit_id=store.parent_id, memberships__role__name="region_manager"
    ).distinct()


def hq_service_managers():
    """Level 2 (总部): the after-sales managers at HQ (the company or one of its departments)."""
    return User.objects.filter(
        Q(memberships__org_unit__kind=OrgUnitKind.COMPANY) | Q(memberships__org_unit__parent__kind=OrgUnitKind.COMPANY),
        is_active=True,
        memberships__role__name="service_manager",
    ).distinct()


def level_managers(store: OrgUnit, level: int):
    """The managers of an escalation level for a request of `store` (SRV-2: store 0 → region 1 → HQ 2)."""
    if level <= 0:
        return store_supervisors(store.pk)
    if level == 1:
        return region_managers(store)
    return hq_service_managers()


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
    _require(actor, "service.add_servicerequest")
    from salesservice.customers.models import Customer

    customers = Customer.objects.all() if actor is None else Customer.objects.visible_to(actor)
    customer_pk = customer.pk if isinstance(customer, Customer) else customer
    customer = customers.select_related("store").filter(pk=customer_pk).first()
    if customer is None:
        raise DomainError(
            "service_request.customer_not_found", _("客户不存在或不在您的范围内"), fields={"customer": [_("无效")]}
        )
    store = store or customer.store
    if store.kind != OrgUnitKind.STORE:
        raise DomainError("service_request.invalid_store", _("受理门店必须是门店"), fields={"store": [_("请选择门店")]})
    if actor is not None and not can_see_unit(actor, store.pk):
        raise PermissionDeniedError(
            "service_request.store_out_of_scope", _("所选门店不在您的管辖范围内"), fields={"store": [_("超出范围")]}
        )
    if channel not in Channel.values:
        raise DomainError("service_request.invalid_channel", _("无效的渠道"), fields={"channel": [_("无效")]})
    if category not in ServiceCategory.values:
        raise DomainError("service_request.invalid_category", _("无效的服务类别"), fields={"category": [_("无效")]})
    description = (description or "").strip()
    if not description:
        raise DomainError(
            "service_request.description_required", _("请填写问题描述"), fields={"description": [_("必填")]}
        )
    received_at = _now(received_at)
    if purchase_date is not None and purchase_date > timezone.localdate(received_at):
        raise DomainError(
            "service_request.purchase_in_future", _("购买日期不能晚于受理日期"), fields={"purchase_date": [_("无效")]}
        )
    request = ServiceRequest(
        number=next_number(SERIES, at=received_at, series=dict(name="售后服务单", prefix="SR", reset="daily")),
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
    request.save()
    _event(
        request,
        EventType.REQUEST_CREATED,
        actor=actor,
        at=received_at,
        new={"number": request.number, "channel": channel, "category": category, "store": store.pk},
    )
    return request


@service
def service_request_update(*, actor, request_id: int, expected_version: int, **changes) -> ServiceRequest:
    """Correct what was logged (description, product, serial/batch, purchase date, contact). Stale → 409."""
    _require(actor, "service.change_servicerequest")
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise DomainError("service_request.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    if request.status in FINAL_STATUSES:
        raise ConflictError("service_request.final", _("已结案或已取消的服务单不能修改"))
    if "category" in changes and changes["category"] not in ServiceCategory.values:
        raise DomainError("service_request.invalid_category", _("无效的服务类别"), fields={"category": [_("无效")]})
    if "description" in changes and not (changes["description"] or "").strip():
        raise DomainError(
            "service_request.description_required", _("请填写问题描述"), fields={"description": [_("必填")]}
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


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# --- the SLA-relevant moves (SRV-2) ---------------------------------------------------------


@service
def request_contact(
    *, actor, request_id: int, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """SRV-2: record the first contact with the customer — stops the first-contact clock."""
    _require(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    _ensure_transition(request, S.CONTACTED)
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
    _require(actor, "service.change_servicerequest")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("service_request.reason_required", _("请填写等待原因"), fields={"reason": [_("必填")]})
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    _ensure_transition(request, S.WAITING_CUSTOMER)
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
    _require(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    if request.status != S.WAITING_CUSTOMER:
        raise InvalidTransition(
            "status.invalid_transition",
            _("服务单当前为“%(status)s”，未在等待客户，无需恢复") % {"status": request.get_status_display()},
            fields={"current": request.status, "target": "resume"},
        )
    back_to = request.paused_from_status or S.RECEIVED
    now = _now(at, request)
    if request.paused_at and now < request.paused_at:
        raise DomainError("service_request.time_before_pause", _("恢复时间不能早于暂停时间"))
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


# --- dispatch (SRV-4, PPL-4, NET-3) ---------------------------------------------------------


def dispatch_refusals(request: ServiceRequest, *, mode: str, engineer=None, provider=None, at=None) -> list:
    """Why `request` may not go to this engineer or provider (empty = allowed). For pages and the service.

    PPL-4: an engineer needs a valid certification for the product's category; NET-3: a provider in
    `dispatch_stopped` or `removed` is refused. Both must serve the request's store.
    """
    from salesservice.core.reasons import Reason
    from salesservice.network.services import provider_dispatch_check
    from salesservice.people.services import certification_check

    reasons: list[Reason] = []
    if mode == DispatchMode.PROVIDER:
        if provider is None:
            return [Reason("dispatch.provider_required", _("请选择外协网点"))]
        reasons += provider_dispatch_check(provider)
        store_path_ids = {int(part) for part in request.store.path.strip("/").split("/") if part}
        if provider.org_unit_id not in store_path_ids:
            reasons.append(
                Reason(
                    "dispatch.provider_out_of_scope",
                    _("外协网点 %(name)s 不服务于%(store)s") % {"name": provider.name, "store": request.store.name},
                )
            )
    else:
        if engineer is None:
            return [Reason("dispatch.engineer_required", _("请选择工程师"))]
        reasons += certification_check(engineer, product=request.product, at=at)
        if not can_see_unit(engineer, request.store_id):
            reasons.append(
                Reason(
                    "dispatch.engineer_out_of_scope",
                    _("工程师 %(name)s 不属于%(store)s的服务范围")
                    % {"name": engineer.name, "store": request.store.name},
                )
            )
    return reasons


@service
def request_dispatch(
    *,
    actor,
    request_id: int,
    mode: str,
    engineer=None,
    provider=None,
    appointment_at: dt.datetime | None = None,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ServiceRequest:
    """SRV-4: send the request to one of our engineers (on site or remote) or to an outsourced provider.

    Refused with 409 and the reason's code (`dispatch.uncertified`, `dispatch.provider_stopped`,
    `dispatch.provider_removed`, `dispatch.*_out_of_scope`) when the gate says no (PPL-4, NET-3).
    Dispatching again (re-dispatch) replaces the engineer/provider.
    """
    _require(actor, "service.dispatch_servicerequest")
    if mode not in DispatchMode.values:
        raise DomainError("dispatch.invalid_mode", _("无效的派工方式"), fields={"mode": [_("无效")]})
    if appointment_at is not None and timezone.is_naive(appointment_at):
        raise DomainError("service_request.naive_datetime", _("时间必须带时区"))
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    _ensure_transition(request, S.DISPATCHED)
    now = _now(at, request)
    request.store = OrgUnit.objects.get(pk=request.store_id)
    reasons = dispatch_refusals(request, mode=mode, engineer=engineer, provider=provider, at=now)
    if reasons:
        raise DispatchRefused(reasons[0].code, reasons[0].message, fields={"reasons": [r.as_dict() for r in reasons]})
    old = {"assignee": request.assignee_id, "provider": request.provider_id, "mode": request.dispatch_mode}
    request.dispatch_mode = mode
    request.assignee = engineer if mode != DispatchMode.PROVIDER else None
    request.provider = provider if mode == DispatchMode.PROVIDER else None
    request.appointment_at = appointment_at
    request.dispatched_at = now
    _move(
        request,
        S.DISPATCHED,
        actor=actor,
        at=now,
        reason=note,
        fields=("dispatch_mode", "assignee", "provider", "appointment_at", "dispatched_at"),
    )
    _event(
        request,
        EventType.REQUEST_DISPATCHED,
        actor=actor,
        at=at,
        old=old,
        new={"assignee": request.assignee_id, "provider": request.provider_id, "mode": mode},
        message=note,
    )
    recipients = [engineer] if engineer is not None and mode != DispatchMode.PROVIDER else []
    if mode == DispatchMode.PROVIDER:
        recipients = list(provider.dispatchers.filter(is_active=True))
    when = timezone.localtime(appointment_at).strftime("%m-%d %H:%M") if appointment_at else _("待预约")
    notify(
        recipients=recipients,
        title=_("新派工：%(number)s") % {"number": request.number},
        body=_("%(mode)s · %(desc)s · 预约 %(when)s")
        % {"mode": DispatchMode(mode).label, "desc": request.description[:80], "when": when},
        url=request_url(request),
        kind="service.dispatched",
    )
    return request


@service
def request_start(
    *, actor, request_id: int, note: str = "", expected_version: int | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """SRV-3 step 4: the engineer (or provider) starts the work."""
    _require(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    _ensure_transition(request, S.IN_PROGRESS)
    now = _now(at, request)
    _move(request, S.IN_PROGRESS, actor=actor, at=now, reason=note)
    _event(request, EventType.REQUEST_STARTED, actor=actor, at=at, message=note)
    return request


# --- visits (SRV-6, SRV-7, CPR-1) -----------------------------------------------------------


def _condition(value, name: str) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        return {"appearance": value}
    if not isinstance(value, dict) or set(value) - set(CONDITION_KEYS):
        raise DomainError(
            "work_record.invalid_condition",
            _("状况须包含外观、功能、性能（appearance / function / performance）"),
            fields={name: [_("无效")]},
        )
    return {key: str(value.get(key) or "").strip() for key in CONDITION_KEYS if value.get(key)}


@service
def work_record_add(
    *,
    actor,
    request_id: int,
    visited_at: dt.datetime | None = None,
    measures: str,
    place: str = "",
    people: str = "",
    condition_before=None,
    condition_after=None,
    before_confirmed_by_customer: bool = False,
    after_confirmed_by_customer: bool = False,
    parts_used: str = "",
    protected_equipment: bool = False,
    no_unauthorised_use: bool = False,
    cleaned_up: bool = False,
    photos=(),
    custody_items=(),
) -> WorkRecord:
    """Record a visit / work session (seed 001 第十四条 服务过程: time, place, people, measures).

    SRV-6: the product's condition before and after (appearance / function / performance) and
    whether the customer confirmed each; SRV-7: the on-site checklist; photos become attachments;
    `custody_items` (dicts with description, identifier, kind, location, condition) are registered
    in the customer property register (CPR-1) and linked to the record.
    """
    _require(actor, "service.add_workrecord")
    request = _get_request(actor, request_id)
    if request.status not in (S.DISPATCHED, S.IN_PROGRESS, S.WAITING_CUSTOMER):
        raise ConflictError(
            "work_record.invalid_status",
            _("当前状态“%(status)s”不能登记服务记录（须已派工）") % {"status": request.get_status_display()},
        )
    measures = (measures or "").strip()
    if not measures:
        raise DomainError("work_record.measures_required", _("请填写处理措施"), fields={"measures": [_("必填")]})
    visited_at = _now(visited_at, request) if visited_at is not None else timezone.now()
    record = WorkRecord.objects.create(
        request=request,
        visited_at=visited_at,
        place=(place or "").strip()[:200],
        people=(people or "").strip()[:200] or (actor.name if actor is not None else ""),
        measures=measures,
        condition_before=_condition(condition_before, "condition_before"),
        condition_after=_condition(condition_after, "condition_after"),
        before_confirmed_by_customer=bool(before_confirmed_by_customer),
        after_confirmed_by_customer=bool(after_confirmed_by_customer),
        parts_used=(parts_used or "").strip(),
        protected_equipment=bool(protected_equipment),
        no_unauthorised_use=bool(no_unauthorised_use),
        cleaned_up=bool(cleaned_up),
        recorded_by=actor,
    )
    if custody_items:
        from salesservice.customers.choices import PropertyKind
        from salesservice.customers.services import property_register

        registered = []
        for item in custody_items:
            # On the work record's authority (checked above): a provider's dispatcher sees the request
            # but not our customer register, and must still be able to log what its engineer took away.
            registered.append(
                property_register(
                    actor=None,
                    holder=actor,
                    customer=request.customer,
                    kind=item.get("kind") or PropertyKind.DEVICE,
                    description=item.get("description") or "",
                    identifier=item.get("identifier") or request.serial_number,
                    received_at=visited_at,
                    location=item.get("location") or "",
                    condition=item.get("condition") or "",
                    notes=_("服务单 %(number)s 带回保管") % {"number": request.number},
                )
            )
        record.custody_items.set(registered)
    for photo in photos or ():
        attachment_add(actor=actor, target=record, file=photo, description=_("服务现场照片"))
    _event(
        request,
        EventType.WORK_RECORDED,
        actor=actor,
        new={
            "work_record": record.pk,
            "visited_at": visited_at.isoformat(),
            "checklist_complete": record.checklist_complete,
            "custody_items": len(custody_items or ()),
        },
        message=measures[:200],
    )
    return record


# --- resolution and acceptance (SRV-3, SRV-5, SRV-6) -----------------------------------------


def _requires_confirmed_condition(request: ServiceRequest) -> bool:
    return request.category == ServiceCategory.REPAIR and request.dispatch_mode in (
        DispatchMode.ONSITE,
        DispatchMode.PROVIDER,
    )


@service
def request_resolve(
    *,
    actor,
    request_id: int,
    root_cause: str = "",
    solution: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ServiceRequest:
    """SRV-3: the problem is solved (cause analysed, solution implemented); the escalation clock stops.

    From `in_progress`, or from `contacted` when a consultation was answered without a visit.
    SRV-6 (enforced): a repair done on site needs a work record whose condition before and after
    the customer confirmed.
    """
    _require(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    _ensure_transition(request, S.RESOLVED)
    if _requires_confirmed_condition(request):
        confirmed = request.work_records.filter(
            before_confirmed_by_customer=True, after_confirmed_by_customer=True
        ).exists()
        if not confirmed:
            raise ConflictError(
                "resolve.condition_unconfirmed",
                _("维修须先登记维修前后经客户确认的产品状况（外观、功能、性能）"),
            )
    now = _now(at, request)
    request.resolved_at = now
    if (root_cause or "").strip():
        request.root_cause = root_cause.strip()
    if (solution or "").strip():
        request.solution = solution.strip()
    _move(request, S.RESOLVED, actor=actor, at=now, fields=("resolved_at", "root_cause", "solution"))
    _event(request, EventType.REQUEST_RESOLVED, actor=actor, at=at, new={"resolved_at": now.isoformat()})
    return request


def _decode_signature(data_url: str) -> ContentFile | None:
    """A signature pad's `data:image/png;base64,…` as a PNG file (size-limited)."""
    if not data_url:
        return None
    match = re.fullmatch(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)", data_url.strip())
    if not match:
        raise DomainError("acceptance.invalid_signature", _("签名格式无效"), fields={"signature": [_("无效")]})
    try:
        raw = base64.b64decode(match.group(1), validate=False)
    except (binascii.Error, ValueError):
        raise DomainError(
            "acceptance.invalid_signature", _("签名格式无效"), fields={"signature": [_("无效")]}
        ) from None
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > MAX_SIGNATURE_BYTES:
        raise DomainError("acceptance.invalid_signature", _("签名必须是不超过 1 MB 的 PNG 图片"))
    return ContentFile(raw, name="signature.png")


def _validate_rating(rating) -> int:
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError("acceptance.rating_required", _("请给出 1–5 分的评价"), fields={"rating": [_("1–5")]})
    return rating


def _record_acceptance(
    request: ServiceRequest,
    *,
    actor,
    method: str,
    accepted: bool,
    rating=None,
    comment: str = "",
    signer_name: str = "",
    signature_data_url: str = "",
    rejection_reason: str = "",
    link: AcceptanceLink | None = None,
    at: dt.datetime | None = None,
) -> Acceptance:
    if method not in AcceptanceMethod.values:
        raise DomainError("acceptance.invalid_method", _("无效的确认方式"), fields={"method": [_("无效")]})
    if request.status != S.RESOLVED:
        raise ConflictError(
            "acceptance.not_awaiting",
            _("服务单当前为“%(status)s”，不在待验收状态") % {"status": request.get_status_display()},
        )
    now = _now(at, request)
    if accepted:
        rating = _validate_rating(rating)
    else:
        rejection_reason = (rejection_reason or "").strip()
        if not rejection_reason:
            raise DomainError(
                "acceptance.reason_required", _("请填写不认可的原因"), fields={"rejection_reason": [_("必填")]}
            )
        rating = int(rating) if rating not in (None, "") else None
        if rating is not None and not 1 <= rating <= 5:
            raise DomainError("acceptance.rating_required", _("评分须为 1–5"), fields={"rating": [_("1–5")]})
    acceptance = Acceptance(
        request=request,
        method=method,
        accepted=accepted,
        rejection_reason=rejection_reason if not accepted else "",
        rating=rating,
        comment=(comment or "").strip(),
        signer_name=(signer_name or "").strip()[:60],
        accepted_at=now,
        recorded_by=actor,
        link=link,
    )
    signature = _decode_signature(signature_data_url)
    if signature is not None:
        acceptance.signature.save(signature.name, signature, save=False)
    acceptance.save()
    if accepted:
        request.satisfaction = rating
        request.version += 1
        request.save(update_fields=["satisfaction", "version", "updated_at"])
        _event(
            request,
            EventType.REQUEST_ACCEPTED,
            actor=actor,
            at=at,
            new={"method": method, "rating": rating, "acceptance": acceptance.pk},
            message=acceptance.comment[:200],
        )
    else:
        _reopen(request, actor=actor, at=now, explicit_at=at, reason=rejection_reason, acceptance=acceptance)
    return acceptance


def _reopen(request: ServiceRequest, *, actor, at, explicit_at, reason: str, acceptance: Acceptance) -> None:
    """The customer does not accept: back to `in_progress`, the escalation clock runs again (SRV-5)."""
    sla.reopen_clocks(request, at, _terms(request))
    request.resolved_at = None
    _move(
        request,
        S.IN_PROGRESS,
        actor=actor,
        at=at,
        reason=reason,
        fields=("resolved_at", "paused_business_seconds", "escalation_due_at", "warned_escalation_at"),
    )
    _event(
        request,
        EventType.REQUEST_REJECTED,
        actor=actor,
        at=explicit_at,
        new={"acceptance": acceptance.pk, "method": acceptance.method},
        message=reason[:300],
    )
    recipients = [request.assignee] if request.assignee_id else []
    if request.provider_id:
        recipients += list(request.provider.dispatchers.filter(is_active=True))
    recipients += list(store_supervisors(request.store_id))
    notify(
        recipients=recipients,
        title=_("客户不认可处理结果：%(number)s") % {"number": request.number},
        body=reason[:300],
        url=request_url(request),
        kind="service.rejected",
        level=NotificationLevel.WARNING,
    )


@service
def request_confirm(
    *,
    actor,
    request_id: int,
    method: str,
    rating: int,
    comment: str = "",
    signer_name: str = "",
    signature_data_url: str = "",
    at: dt.datetime | None = None,
) -> Acceptance:
    """SRV-5: staff record the customer's acceptance and how it was given (on site, by phone …)."""
    _require(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    return _record_acceptance(
        request,
        actor=actor,
        method=method,
        accepted=True,
        rating=rating,
        comment=comment,
        signer_name=signer_name,
        signature_data_url=signature_data_url,
        at=at,
    )


@service
def request_reject(
    *,
    actor,
    request_id: int,
    reason: str,
    method: str = AcceptanceMethod.PHONE,
    rating: int | None = None,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Acceptance:
    """SRV-5: the customer does not accept the result → back to `in_progress` with the reason."""
    _require(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    return _record_acceptance(
        request,
        actor=actor,
        method=method,
        accepted=False,
        rating=rating,
        comment=comment,
        rejection_reason=reason,
        at=at,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


@service
def acceptance_link_create(*, actor, request_id: int, valid_hours: int = ACCEPTANCE_LINK_HOURS) -> str:
    """SRV-5: a one-time link for the customer to sign off the result; returns the raw token (shown once).

    Only the token's sha256 is stored. Earlier unused links of the request stop working.
    """
    _require(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    if request.status != S.RESOLVED:
        raise ConflictError("acceptance.not_awaiting", _("只有待验收的服务单才能生成验收链接"))
    now = timezone.now()
    AcceptanceLink.objects.filter(request=request, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    link = AcceptanceLink.objects.create(
        request=request,
        token_hash=_token_hash(token),
        expires_at=now + dt.timedelta(hours=valid_hours),
        created_by=actor,
    )
    _event(request, EventType.ACCEPTANCE_LINK_CREATED, actor=actor, new={"expires_at": link.expires_at.isoformat()})
    return token


def acceptance_link_lookup(token: str, *, lock: bool = False) -> AcceptanceLink:
    """The link behind `token`, if it may still be used: unknown → 404, used or expired → 409.

    For the public acceptance page (GET) and `acceptance_by_token`.
    """
    queryset = AcceptanceLink.objects.select_related("request", "request__customer", "request__store")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    link = queryset.filter(token_hash=_token_hash(token)).first() if token else None
    if link is None:
        error = AcceptanceLinkError("acceptance.link_invalid", _("验收链接无效"))
        error.status_code = 404
        raise error
    if link.used_at is not None:
        raise AcceptanceLinkError("acceptance.link_used", _("该验收链接已使用，不能重复提交"))
    if link.expires_at <= timezone.now():
        error = AcceptanceLinkError("acceptance.link_expired", _("验收链接已过期，请联系客服重新获取"))
        error.status_code = 410
        raise error
    return link


@service
def acceptance_by_token(
    token: str,
    *,
    accepted: bool,
    rating: int | None = None,
    comment: str = "",
    signer_name: str = "",
    signature_data_url: str = "",
    rejection_reason: str = "",
    actor=None,
) -> Acceptance:
    """SRV-5/SRV-6: the customer, through the tokenised link (no login), signs off or rejects the result.

    The link works once and until it expires. Accepting needs a 1–5 rating (a signature is kept when
    given); rejecting needs a reason and sends the request back to `in_progress`.
    """
    link = acceptance_link_lookup(token, lock=True)
    request = _get_request(None, link.request_id)
    acceptance = _record_acceptance(
        request,
        actor=None,
        method=AcceptanceMethod.LINK,
        accepted=bool(accepted),
        rating=rating,
        comment=comment,
        signer_name=signer_name,
        signature_data_url=signature_data_url,
        rejection_reason=rejection_reason,
        link=link,
    )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return acceptance


# --- closing and cancelling (SRV-8, SRV-3 case summary) -------------------------------------


def close_blockers(request: ServiceRequest, *, root_cause: str = "", solution: str = "") -> dict:
    """SRV-8: what is missing before the request may close, by field (empty = may close)."""
    missing = {}
    if not ((root_cause or "").strip() or request.root_cause):
        missing["root_cause"] = [_("结案须填写原因分析")]
    if not ((solution or "").strip() or request.solution):
        missing["solution"] = [_("结案须填写解决方案")]
    if request.satisfaction is None:
        missing["satisfaction"] = [_("结案须有客户验收及满意度评价")]
    return missing


@service
def request_close(
    *,
    actor,
    request_id: int,
    root_cause: str = "",
    solution: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ServiceRequest:
    """SRV-3/SRV-8: close an accepted request with its case summary (root cause and solution).

    Needs `close_servicerequest`; refused (`close.incomplete`) without root cause, solution or the
    customer's accepted verdict with a rating.
    """
    _require(actor, "service.close_servicerequest")
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    _ensure_transition(request, S.CLOSED)
    missing = close_blockers(request, root_cause=root_cause, solution=solution)
    if missing:
        raise DomainError("close.incomplete", _("服务记录不完整，不能结案"), fields=missing)
    now = _now(at, request)
    if (root_cause or "").strip():
        request.root_cause = root_cause.strip()
    if (solution or "").strip():
        request.solution = solution.strip()
    request.closed_at = now
    _move(request, S.CLOSED, actor=actor, at=now, fields=("closed_at", "root_cause", "solution"))
    _event(request, EventType.REQUEST_CLOSED, actor=actor, at=at, new={"closed_at": now.isoformat()})
    return request


@service
def request_cancel(
    *, actor, request_id: int, reason: str, expected_version: int | None = None, at: dt.datetime | None = None
) -> ServiceRequest:
    """Cancel a request before work started (duplicate, customer withdrew); the reason is kept."""
    _require(actor, "service.change_servicerequest")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("service_request.reason_required", _("请填写取消原因"), fields={"reason": [_("必填")]})
    request = _get_request(actor, request_id)
    _check_version(request, expected_version)
    _ensure_transition(request, S.CANCELLED)
    now = _now(at, request)
    request.cancelled_at = now
    request.cancel_reason = reason[:300]
    _move(request, S.CANCELLED, actor=actor, at=now, reason=reason, fields=("cancelled_at", "cancel_reason"))
    _event(request, EventType.REQUEST_CANCELLED, actor=actor, at=at, message=reason)
    return request


# --- knowledge base (SRV-3 step 7, FBK-5) ---------------------------------------------------


def _search_text(article: KnowledgeArticle) -> str:
    return f"{article.title}\n{article.body}".lower()


def _get_article(actor, article_id, *, lock: bool = True) -> KnowledgeArticle:
    queryset = KnowledgeArticle.objects.all() if actor is None else KnowledgeArticle.objects.visible_to(actor)
    if lock:
        queryset = queryset.select_for_update()
    article = queryset.filter(pk=article_id).first()
    if article is None:
        raise NotFoundError("knowledge.not_found", _("知识库文章不存在"))
    return article


def _validate_article(article: KnowledgeArticle) -> None:
    if not article.title.strip():
        raise DomainError("knowledge.title_required", _("请填写标题"), fields={"title": [_("必填")]})
    if not article.body.strip():
        raise DomainError("knowledge.body_required", _("请填写正文"), fields={"body": [_("必填")]})
    if article.service_category and article.service_category not in ServiceCategory.values:
        raise DomainError("knowledge.invalid_category", _("无效的服务类别"), fields={"service_category": [_("无效")]})
    if article.product_id and article.product_category_id is None:
        article.product_category_id = article.product.category_id


@service
def knowledge_article_create(
    *,
    actor,
    title: str,
    body: str,
    service_category: str = "",
    product_category=None,
    product=None,
    source_request: ServiceRequest | None = None,
) -> KnowledgeArticle:
    """FBK-5: draft a knowledge-base article (published separately by a supervisor)."""
    _require(actor, "service.add_knowledgearticle")
    article = KnowledgeArticle(
        title=(title or "").strip()[:200],
        body=(body or "").strip(),
        service_category=service_category or "",
        product_category=product_category,
        product=product,
        source_request=source_request,
        created_by=actor,
    )
    _validate_article(article)
    article.search_text = _search_text(article)
    article.save()
    record_event(event_type=EventType.KNOWLEDGE_CREATED, target=article, actor=actor, new={"title": article.title})
    return article


@service
def knowledge_article_update(*, actor, article_id: int, expected_version: int, **changes) -> KnowledgeArticle:
    """Edit an article (title, body, categories, product); stale version → 409."""
    _require(actor, "service.change_knowledgearticle")
    unknown = set(changes) - set(KNOWLEDGE_FIELDS)
    if unknown:
        raise DomainError("knowledge.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    article = _get_article(actor, article_id)
    check_version(article, expected_version)
    changed = {}
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if value is None and field in ("title", "body", "service_category"):
            value = ""
        if getattr(article, field) != value:
            setattr(article, field, value)
            changed[field] = _plain(value) if field not in ("body",) else "…"
    if not changed:
        return article
    _validate_article(article)
    article.search_text = _search_text(article)
    article.version += 1
    article.save()
    record_event(event_type=EventType.KNOWLEDGE_UPDATED, target=article, actor=actor, new=changed)
    return article


@service
def knowledge_article_publish(*, actor, article_id: int, expected_version: int | None = None) -> KnowledgeArticle:
    """FBK-5: make a draft visible to every service desk. Needs `publish_knowledgearticle`."""
    _require(actor, "service.publish_knowledgearticle")
    article = _get_article(actor, article_id)
    check_version(article, expected_version)
    article.published_by = actor
    article.published_at = timezone.now()
    transition(
        article,
        KnowledgeStatus.PUBLISHED,
        transitions=KNOWLEDGE_TRANSITIONS,
        actor=actor,
        extra_update_fields=("published_by", "published_at"),
    )
    record_event(event_type=EventType.KNOWLEDGE_PUBLISHED, target=article, actor=actor)
    return article


@service
def knowledge_article_withdraw(*, actor, article_id: int, reason: str = "") -> KnowledgeArticle:
    """Take a published article back to draft (outdated or wrong). Needs `publish_knowledgearticle`."""
    _require(actor, "service.publish_knowledgearticle")
    article = _get_article(actor, article_id)
    transition(article, KnowledgeStatus.DRAFT, transitions=KNOWLEDGE_TRANSITIONS, actor=actor, reason=reason)
    record_event(event_type=EventType.KNOWLEDGE_WITHDRAWN, target=article, actor=actor, message=reason)
    return article


def knowledge_draft_text(request: ServiceRequest) -> tuple[str, str]:
    """The title and body a case summary gives (SRV-3 step 7): symptom, cause, solution."""
    subject = request.product.name if request.product_id else request.get_category_display()
    symptom = request.description.strip().splitlines()[0][:60] if request.description.strip() else ""
    title = f"{subject}：{symptom}"[:200]
    body = "\n\n".join(
        [
            f"【故障现象】\n{request.description.strip()}",
            f"【原因分析】\n{request.root_cause.strip() or '—'}",
            f"【解决方案】\n{request.solution.strip() or '—'}",
            f"【来源】服务单 {request.number}（{request.get_category_display()}）",
        ]
    )
    return title, body


@service
def knowledge_from_request(*, actor, request_id: int) -> KnowledgeArticle:
    """FBK-5: draft an article from a closed request's case summary (root cause and solution)."""
    _require(actor, "service.add_knowledgearticle")
    request = _get_request(actor, request_id, lock=False)
    if request.status != S.CLOSED:
        raise ConflictError("knowledge.request_not_closed", _("只有已结案的服务单才能总结为知识库文章"))
    title, body = knowledge_draft_text(request)
    return knowledge_article_create(
        actor=actor,
        title=title,
        body=body,
        service_category=request.category,
        product_category=request.product.category if request.product_id else None,
        product=request.product,
        source_request=request,
    )


_SPLIT = re.compile(
    r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65,.;:!?()\[\]{}\"'/\\|<>@#$%^&*+=~`-]+"
)
_STOP_SHINGLES = {"客户", "问题", "需要", "进行", "一个", "没有", "可以", "我们", "已经", "情况"}


def shingles(text: str, limit: int = 40) -> list[str]:
    """Keywords of Chinese text without a segmenter: 2-character shingles of each run between
    punctuation, plus whole Latin/digit words (model numbers). Order kept, duplicates dropped."""
    seen: dict[str, None] = {}
    for part in _SPLIT.split((text or "").lower()):
        if not part:
            continue
        for word in re.findall(r"[a-z0-9]{2,}", part):
            seen.setdefault(word, None)
        han = re.sub(r"[a-z0-9]+", " ", part)
        for run in han.split():
            if len(run) == 1:
                continue
            for index in range(len(run) - 1):
                gram = run[index : index + 2]
                if gram not in _STOP_SHINGLES:
                    seen.setdefault(gram, None)
        if len(seen) >= limit:
            break
    return list(seen)[:limit]


def similar_articles(text: str, product=None, category=None, limit: int = 5) -> list[KnowledgeArticle]:
    """Published articles that look like `text` (suggested while a request is typed; FBK-5).

    Cheap: candidates are the published articles containing any of the text's shingles (one query),
    scored by how many shingles they contain (a title hit counts double), plus a bonus for the same
    product or service category. `category` is a service category value (or a ProductCategory).
    """
    keys = shingles(text)
    if not keys:
        return []
    condition = Q()
    for key in keys:
        condition |= Q(search_text__contains=key)
    candidates = KnowledgeArticle.objects.published().filter(condition).select_related("product", "product_category")
    product_id = getattr(product, "pk", product)
    scored = []
    for article in candidates[:200]:
        title = article.title.lower()
        score = sum(2 if key in title else 1 for key in keys if key in article.search_text)
        if product_id and article.product_id == product_id:
            score += 3
        if isinstance(category, str) and category and article.service_category == category:
            score += 1
        elif category is not None and getattr(category, "pk", None) and article.product_category_id == category.pk:
            score += 2
        scored.append((score, article.pk, article))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [article for score, _pk, article in scored if score >= 2][:limit]
