"""What every service-desk service shares: constants, errors, the scoped locked read, the moment an action is
recorded at, the SLA terms, who is told at each escalation level."""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from salesservice.core.directory import STORE_LEVEL_ROLES, holders, level_managers  # noqa: F401 — re-exported
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import checked_moment, scoped_get
from salesservice.core.models import Event

from .. import sla
from ..errors import ServiceErrorCode
from ..models import ServiceRequest
from ..workflows import REQUEST_WORKFLOW

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


def _now(at: dt.datetime | None, request: ServiceRequest | None = None) -> dt.datetime:
    return checked_moment(at, prefix="service_request", not_before=request.received_at if request else None)


def _get_request(actor, request_id, *, lock: bool = True) -> ServiceRequest:
    return scoped_get(
        ServiceRequest,
        actor,
        request_id,
        lock=lock,
        code=ServiceErrorCode.SERVICE_REQUEST_NOT_FOUND,
        message=_("服务单不存在或不在您的范围内"),
    )


def _move(request: ServiceRequest, to_status: str, *, actor, at: dt.datetime, reason: str = "", fields=()) -> None:
    """The one door (the request's workflow) plus the event's time, saving `fields` with the status."""
    REQUEST_WORKFLOW.move(request, to_status, actor=actor, reason=str(reason)[:300], fields=fields, at=at)


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


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# --- who is told ---------------------------------------------------------------------------


def store_supervisors(store_id: int) -> list:
    """Level 0 (门店): the store's CS supervisors and store managers (core.directory)."""
    return holders(STORE_LEVEL_ROLES, store_id, exact=True)
