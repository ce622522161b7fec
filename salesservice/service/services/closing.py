"""Closing and cancelling (SRV-8, SRV-3 case summary)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.exceptions import (
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import check_version, require_perm

from ..choices import (
    EventType,
)
from ..choices import ServiceRequestStatus as S
from ..errors import ServiceErrorCode
from ..models import ServiceRequest
from ..workflows import REQUEST_WORKFLOW
from .common import (
    _event,
    _get_request,
    _move,
    _now,
)

# --- closing and cancelling (SRV-8, SRV-3 case summary) -------------------------------------


def close_blockers(request: ServiceRequest, *, root_cause: str = "", solution: str = "") -> dict:
    """SRV-8 (001 第十四条): what is missing before the request may close, by field (empty = may close).

    The record names customer, request, process, result, satisfaction and the responsible engineer: so a
    request closes only with a responsible person and at least one process record (work record), besides
    the case summary and the customer's verdict (issue 12 §13)."""
    missing = {}
    if request.assignee_id is None:
        missing["assignee"] = [_("结案须有责任人（负责工程师）")]
    if not request.work_records.exists():
        missing["work_records"] = [_("结案须有服务过程记录")]
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
    require_perm(actor, "service.close_servicerequest")
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    REQUEST_WORKFLOW.check(request, "close")
    missing = close_blockers(request, root_cause=root_cause, solution=solution)
    if missing:
        raise DomainError(ServiceErrorCode.CLOSE_INCOMPLETE, _("服务记录不完整，不能结案"), fields=missing)
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
    require_perm(actor, "service.change_servicerequest")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            ServiceErrorCode.SERVICE_REQUEST_REASON_REQUIRED, _("请填写取消原因"), fields={"reason": [_("必填")]}
        )
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    REQUEST_WORKFLOW.check(request, "cancel")
    now = _now(at, request)
    request.cancelled_at = now
    request.cancel_reason = reason[:300]
    _move(request, S.CANCELLED, actor=actor, at=now, reason=reason, fields=("cancelled_at", "cancel_reason"))
    _event(request, EventType.REQUEST_CANCELLED, actor=actor, at=at, message=reason)
    return request
