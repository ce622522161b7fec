"""Resolution and acceptance (SRV-3, SRV-5, SRV-6): resolve, the customer's acceptance by staff or by a
tokenised link (signature, rating), or their rejection (back to work)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import secrets

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import NotificationLevel
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import check_version, require_perm
from salesservice.core.notifications import notify

from .. import sla
from ..choices import (
    AcceptanceMethod,
    DispatchMode,
    EventType,
    ServiceCategory,
)
from ..choices import ServiceRequestStatus as S
from ..errors import ServiceErrorCode
from ..models import Acceptance, AcceptanceLink, ServiceRequest, WorkRecord
from ..workflows import REQUEST_WORKFLOW
from .common import (
    ACCEPTANCE_LINK_HOURS,
    MAX_SIGNATURE_BYTES,
    AcceptanceLinkError,
    _event,
    _get_request,
    _move,
    _now,
    _terms,
    request_url,
    store_supervisors,
)

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
    require_perm(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    check_version(request, expected_version)
    REQUEST_WORKFLOW.check(request, "resolve")
    if _requires_confirmed_condition(request):
        confirmed = request.work_records.filter(
            before_confirmed_by_customer=True, after_confirmed_by_customer=True
        ).exists()
        if not confirmed:
            raise ConflictError(
                ServiceErrorCode.RESOLVE_CONDITION_UNCONFIRMED,
                _("维修须先登记维修前后经客户确认的产品状况（外观、功能、性能）"),
            )
    now = _now(at, request)
    request.resolved_at = now
    if (root_cause or "").strip():
        request.root_cause = root_cause.strip()
    if (solution or "").strip():
        request.solution = solution.strip()
    _record_remote_handling(request, actor=actor, at=now)
    _move(request, S.RESOLVED, actor=actor, at=now, fields=("resolved_at", "root_cause", "solution", "assignee"))
    _event(request, EventType.REQUEST_RESOLVED, actor=actor, at=at, new={"resolved_at": now.isoformat()})
    return request


def _record_remote_handling(request: ServiceRequest, *, actor, at) -> None:
    """SRV-8 (001 第十四条; issue 12 §13): a request answered without a visit (by phone, remotely) still
    gets its responsible person — who resolved it, unless an engineer was dispatched — and its process
    record, written from the resolution. A visit's own records (SRV-6) are never replaced."""
    if request.assignee_id is None and actor is not None:
        request.assignee = actor
    recorder = actor or request.assignee
    if recorder is None or request.work_records.exists():
        return  # nobody responsible yet: the close is refused until someone is (close_blockers)
    WorkRecord.objects.create(
        request=request,
        visited_at=at,
        place=_("电话/远程"),
        people=getattr(request.assignee, "name", "") or "",
        measures=request.solution or _("远程处理"),
        recorded_by=recorder,
    )


def _decode_signature(data_url: str) -> ContentFile | None:
    """A signature pad's `data:image/png;base64,…` as a PNG file (size-limited)."""
    if not data_url:
        return None
    match = re.fullmatch(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)", data_url.strip())
    if not match:
        raise DomainError(
            ServiceErrorCode.ACCEPTANCE_INVALID_SIGNATURE, _("签名格式无效"), fields={"signature": [_("无效")]}
        )
    try:
        raw = base64.b64decode(match.group(1), validate=False)
    except (binascii.Error, ValueError):
        raise DomainError(
            ServiceErrorCode.ACCEPTANCE_INVALID_SIGNATURE, _("签名格式无效"), fields={"signature": [_("无效")]}
        ) from None
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > MAX_SIGNATURE_BYTES:
        raise DomainError(ServiceErrorCode.ACCEPTANCE_INVALID_SIGNATURE, _("签名必须是不超过 1 MB 的 PNG 图片"))
    return ContentFile(raw, name="signature.png")


def _validate_rating(rating) -> int:
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(
            ServiceErrorCode.ACCEPTANCE_RATING_REQUIRED, _("请给出 1–5 分的评价"), fields={"rating": [_("1–5")]}
        )
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
    signature_declined_reason: str = "",
    link: AcceptanceLink | None = None,
    at: dt.datetime | None = None,
) -> Acceptance:
    if method not in AcceptanceMethod.values:
        raise DomainError(
            ServiceErrorCode.ACCEPTANCE_INVALID_METHOD, _("无效的确认方式"), fields={"method": [_("无效")]}
        )
    if not REQUEST_WORKFLOW.allows(request, "confirm"):
        raise ConflictError(
            ServiceErrorCode.ACCEPTANCE_NOT_AWAITING,
            _("服务单当前为“%(status)s”，不在待验收状态") % {"status": request.get_status_display()},
        )
    now = _now(at, request)
    signature = _decode_signature(signature_data_url)
    signature_declined_reason = (signature_declined_reason or "").strip()[:200]
    if accepted:
        rating = _validate_rating(rating)
        # Issue 12 §11 (SRV-5): given in person or on the customer's own link, an acceptance is signed — or
        # staff say why the customer would not sign (never on the customer's link). By phone the call is the record.
        in_person = method != AcceptanceMethod.PHONE
        if in_person and signature is None and (link is not None or not signature_declined_reason):
            raise DomainError(
                ServiceErrorCode.ACCEPTANCE_SIGNATURE_REQUIRED,
                _("请客户签名；客户拒绝签字时，请填写未签字原因"),
                fields={"signature": [_("请签名")], "signature_declined_reason": [_("或填写未签字原因")]},
            )
    else:
        rejection_reason = (rejection_reason or "").strip()
        if not rejection_reason:
            raise DomainError(
                ServiceErrorCode.ACCEPTANCE_REASON_REQUIRED,
                _("请填写不认可的原因"),
                fields={"rejection_reason": [_("必填")]},
            )
        rating = int(rating) if rating not in (None, "") else None
        if rating is not None and not 1 <= rating <= 5:
            raise DomainError(
                ServiceErrorCode.ACCEPTANCE_RATING_REQUIRED, _("评分须为 1–5"), fields={"rating": [_("1–5")]}
            )
    acceptance = Acceptance(
        request=request,
        method=method,
        accepted=accepted,
        rejection_reason=rejection_reason if not accepted else "",
        rating=rating,
        comment=(comment or "").strip(),
        signer_name=(signer_name or "").strip()[:60],
        signature_declined_reason=signature_declined_reason if accepted and signature is None else "",
        accepted_at=now,
        recorded_by=actor,
        link=link,
    )
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
    signature_declined_reason: str = "",
    at: dt.datetime | None = None,
) -> Acceptance:
    """SRV-5: staff record the customer's acceptance and how it was given (on site, by phone …).

    Issue 12 §11: on site it carries the customer's signature, or `signature_declined_reason`; the rating
    is the customer's (1–5, no default)."""
    require_perm(actor, "service.change_servicerequest")
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
        signature_declined_reason=signature_declined_reason,
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
    require_perm(actor, "service.change_servicerequest")
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
    require_perm(actor, "service.change_servicerequest")
    request = _get_request(actor, request_id)
    if not REQUEST_WORKFLOW.allows(request, "acceptance-link"):
        raise ConflictError(ServiceErrorCode.ACCEPTANCE_NOT_AWAITING, _("只有待验收的服务单才能生成验收链接"))
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
        error = AcceptanceLinkError(ServiceErrorCode.ACCEPTANCE_LINK_INVALID, _("验收链接无效"))
        error.status_code = 404
        raise error
    if link.used_at is not None:
        raise AcceptanceLinkError(ServiceErrorCode.ACCEPTANCE_LINK_USED, _("该验收链接已使用，不能重复提交"))
    if link.expires_at <= timezone.now():
        error = AcceptanceLinkError(ServiceErrorCode.ACCEPTANCE_LINK_EXPIRED, _("验收链接已过期，请联系客服重新获取"))
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

    The link works once and until it expires. Accepting needs a 1–5 rating and the customer's signature
    (issue 12 §11); rejecting needs a reason and sends the request back to `in_progress`.
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
