"""Dispatch (SRV-4, PPL-4, NET-3): to one of our engineers (certified for the product) or to an outsourced
provider (not stopped or removed); start of the work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.exceptions import (
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import check_version, require_perm
from salesservice.core.models import OrgUnit
from salesservice.core.notifications import notify
from salesservice.core.scoping import can_see_unit

from ..choices import (
    DispatchMode,
    EventType,
)
from ..choices import ServiceRequestStatus as S
from ..errors import ServiceErrorCode
from ..models import ServiceRequest
from ..workflows import REQUEST_WORKFLOW
from .common import (
    DispatchRefused,
    _event,
    _get_request,
    _move,
    _now,
    request_url,
)

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
            return [Reason(ServiceErrorCode.DISPATCH_PROVIDER_REQUIRED, _("请选择外协网点"))]
        reasons += provider_dispatch_check(provider)
        store_path_ids = {int(part) for part in request.store.path.strip("/").split("/") if part}
        if provider.org_unit_id not in store_path_ids:
            reasons.append(
                Reason(
                    ServiceErrorCode.DISPATCH_PROVIDER_OUT_OF_SCOPE,
                    _("外协网点 %(name)s 不服务于%(store)s") % {"name": provider.name, "store": request.store.name},
                )
            )
    else:
        if engineer is None:
            return [Reason(ServiceErrorCode.DISPATCH_ENGINEER_REQUIRED, _("请选择工程师"))]
        reasons += certification_check(engineer, product=request.product, at=at)
        if not can_see_unit(engineer, request.store_id):
            reasons.append(
                Reason(
                    ServiceErrorCode.DISPATCH_ENGINEER_OUT_OF_SCOPE,
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
    require_perm(actor, "service.dispatch_servicerequest")
    if mode not in DispatchMode.values:
        raise DomainError(ServiceErrorCode.DISPATCH_INVALID_MODE, _("无效的派工方式"), fields={"mode": [_("无效")]})
    if appointment_at is not None and timezone.is_naive(appointment_at):
        raise DomainError(ServiceErrorCode.SERVICE_REQUEST_NAIVE_DATETIME, _("时间必须带时区"))
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    REQUEST_WORKFLOW.check(request, "dispatch")
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
    require_perm(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    REQUEST_WORKFLOW.check(request, "start")
    now = _now(at, request)
    _move(request, S.IN_PROGRESS, actor=actor, at=now, reason=note)
    _event(request, EventType.REQUEST_STARTED, actor=actor, at=at, message=note)
    return request
