"""Visits (SRV-6, SRV-7, CPR-1): the work record of a visit, the product's condition before and after, the
on-site checklist, photos and what was taken into custody."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.attachments import attachment_add
from salesservice.core.audit import service
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import require_perm

from ..choices import (
    EventType,
)
from ..errors import ServiceErrorCode
from ..models import WorkRecord
from ..workflows import REQUEST_WORKFLOW
from .common import (
    CONDITION_KEYS,
    _event,
    _get_request,
    _now,
)

# --- visits (SRV-6, SRV-7, CPR-1) -----------------------------------------------------------


def _condition(value, name: str) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        return {"appearance": value}
    if not isinstance(value, dict) or set(value) - set(CONDITION_KEYS):
        raise DomainError(
            ServiceErrorCode.WORK_RECORD_INVALID_CONDITION,
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
    require_perm(actor, "service.add_workrecord")
    request = _get_request(actor, request_id)
    if not REQUEST_WORKFLOW.allows(request, "work-record"):
        raise ConflictError(
            ServiceErrorCode.WORK_RECORD_INVALID_STATUS,
            _("当前状态“%(status)s”不能登记服务记录（须已派工）") % {"status": request.get_status_display()},
        )
    measures = (measures or "").strip()
    if not measures:
        raise DomainError(
            ServiceErrorCode.WORK_RECORD_MEASURES_REQUIRED, _("请填写处理措施"), fields={"measures": [_("必填")]}
        )
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
