"""Every write of the inspection app: open, dispose and close a nonconformance record (SUP-8).

Services run in one transaction (`@service`), lock what they change, check permission and scope (out of
scope → 404), check the step with `NONCONFORMANCE_WORKFLOW.check` and move the status only through
`NONCONFORMANCE_WORKFLOW.move` (workflows.py), and record a timeline event.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import OrgUnitKind
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import DomainError, PermissionDeniedError
from salesservice.core.guards import check_version, require_perm
from salesservice.core.models import OrgUnit
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.scoping import can_see_unit

from .choices import Disposition, EventType, NonconformanceSource
from .choices import NonconformanceStatus as N
from .errors import InspectionErrorCode
from .models import Nonconformance
from .signals import nonconformance_closed
from .workflows import NONCONFORMANCE_WORKFLOW as WORKFLOW

SERIES = "nonconformance"


class NonconformanceNotFound(DomainError):
    status_code = 404
    default_message = "记录不存在或不在您的范围内"


def _get(actor, nonconformance_id) -> Nonconformance:
    pk = nonconformance_id.pk if isinstance(nonconformance_id, Nonconformance) else nonconformance_id
    queryset = Nonconformance.objects.all()
    if actor is not None:
        queryset = queryset.visible_to(actor)
    try:
        return queryset.select_for_update(of=("self",)).get(pk=pk)
    except (Nonconformance.DoesNotExist, ValueError, TypeError):
        raise NonconformanceNotFound(
            InspectionErrorCode.NONCONFORMANCE_NOT_FOUND, _("不合格品记录不存在或不在您的范围内")
        ) from None


def headquarters() -> OrgUnit:
    """The company unit: the scope of records raised centrally (receiving inspection, other)."""
    unit = OrgUnit.objects.filter(kind=OrgUnitKind.COMPANY).order_by("pk").first()
    if unit is None:
        raise DomainError(InspectionErrorCode.NONCONFORMANCE_NO_COMPANY, _("未配置公司（总部）组织单位"))
    return unit


def quality_inspectors() -> list:
    """Who is told of a new record: the quality department's inspectors (role qa_inspector)."""
    return holders("qa_inspector")


def _create(
    *,
    actor,
    source,
    product,
    org_unit,
    description,
    source_return=None,
    batch_number="",
    serial_number="",
    quantity=1,
    at=None,
) -> Nonconformance:
    description = (description or "").strip()
    if not description:
        raise DomainError(
            InspectionErrorCode.NONCONFORMANCE_DESCRIPTION_REQUIRED,
            _("请填写不合格描述"),
            fields={"description": [_("必填")]},
        )
    if product is None:
        raise DomainError(
            InspectionErrorCode.NONCONFORMANCE_PRODUCT_REQUIRED, _("请选择商品"), fields={"product": [_("必填")]}
        )
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity < 1:
        raise DomainError(
            InspectionErrorCode.NONCONFORMANCE_INVALID_QUANTITY, _("数量必须为正整数"), fields={"quantity": [_("无效")]}
        )
    opened_at = at or timezone.now()
    nc = Nonconformance.objects.create(
        number=next_number(SERIES, at=opened_at, series=dict(name="不合格品", prefix="NC", reset="daily")),
        source=source,
        source_return=source_return,
        org_unit=org_unit,
        product=product,
        batch_number=(batch_number or "").strip()[:80],
        serial_number=(serial_number or "").strip()[:80],
        quantity=quantity,
        description=description,
        opened_at=opened_at,
        opened_by=actor,
    )
    record_event(
        event_type=EventType.NC_OPENED,
        target=nc,
        actor=actor,
        new={"number": nc.number, "source": source, "return": source_return.pk if source_return else None},
        message=description[:200],
    )
    notify(
        recipients=quality_inspectors(),
        title=_("新不合格品待处置：%(number)s") % {"number": nc.number},
        body=f"{product.name} · {description[:80]}",
        url=reverse("inspection:nonconformance-detail", args=[nc.pk]),
        kind="inspection.nc_opened",
    )
    return nc


@service
def nonconformance_open(
    *,
    actor,
    source: str,
    product,
    description: str,
    org_unit: OrgUnit | None = None,
    batch_number: str = "",
    serial_number: str = "",
    quantity: int = 1,
) -> Nonconformance:
    """SUP-8: record a nonconforming product found at receiving or elsewhere (default scope: HQ).

    Quality returns open theirs through `nonconformance_open_for_return` (the return's inspection is the
    authority there); this door is for QA's own findings.
    """
    require_perm(actor, "inspection.add_nonconformance")
    if source not in NonconformanceSource.values or source == NonconformanceSource.RETURN:
        raise DomainError(
            InspectionErrorCode.NONCONFORMANCE_INVALID_SOURCE,
            _("来源无效：客户退换货的不合格品由退换货检验自动登记"),
            fields={"source": [_("无效")]},
        )
    org_unit = org_unit or headquarters()
    if actor is not None and not can_see_unit(actor, org_unit.pk):
        raise PermissionDeniedError(
            InspectionErrorCode.NONCONFORMANCE_UNIT_OUT_OF_SCOPE,
            _("所选单位不在您的管辖范围内"),
            fields={"org_unit": [_("超出范围")]},
        )
    return _create(
        actor=actor,
        source=source,
        product=product,
        org_unit=org_unit,
        description=description,
        batch_number=batch_number,
        serial_number=serial_number,
        quantity=quantity,
    )


def nonconformance_raise(
    *,
    actor,
    source: str,
    product,
    org_unit: OrgUnit,
    description: str,
    batch_number: str = "",
    serial_number: str = "",
    quantity: int = 1,
    at=None,
) -> Nonconformance:
    """SUP-7/SUP-8, INV-1: another app's service records a nonconformance inside its own transaction.

    For receiving inspection (`source="receiving"`) and storage excursions (`source="storage"`): the
    calling service has checked its own permission and scope; QA is notified and decides the disposition.
    Apps that hold the nonconforming stock listen to `signals.nonconformance_closed` to carry it out.
    """
    return _create(
        actor=actor,
        source=source,
        product=product,
        org_unit=org_unit,
        description=description,
        batch_number=batch_number,
        serial_number=serial_number,
        quantity=quantity,
        at=at,
    )


def nonconformance_open_for_return(*, actor, return_request, description: str, at=None) -> Nonconformance:
    """RET-2 → SUP-8: a return whose inspection found a quality problem opens a nonconformance record.

    Called inside the return's inspection service (its transaction and permission check): whoever may
    inspect the return records the finding; QA decides the disposition.
    """
    return _create(
        actor=actor,
        source=NonconformanceSource.RETURN,
        source_return=return_request,
        product=return_request.product,
        org_unit=return_request.store,
        description=description,
        batch_number=return_request.batch_number,
        serial_number=return_request.serial_number,
        quantity=1,
        at=at,
    )


@service
def nonconformance_dispose(
    *,
    actor,
    nonconformance_id,
    disposition: str,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Nonconformance:
    """SUP-8: decide the disposition — 退供方 / 返工 / 报废 / 让步接收. A concession needs a written justification."""
    require_perm(actor, "inspection.change_nonconformance")
    if disposition not in Disposition.values:
        raise DomainError(
            InspectionErrorCode.NONCONFORMANCE_INVALID_DISPOSITION,
            _("请选择处置方式"),
            fields={"disposition": [_("无效")]},
        )
    note = (note or "").strip()
    if disposition == Disposition.CONCESSION and not note:
        raise DomainError(
            InspectionErrorCode.NONCONFORMANCE_CONCESSION_REASON_REQUIRED,
            _("让步接收须写明理由及批准依据"),
            fields={"note": [_("必填")]},
        )
    nc = _get(actor, nonconformance_id)
    check_version(nc, expected_version)
    WORKFLOW.check(nc, "dispose")
    old = {"disposition": nc.disposition}
    nc.disposition = disposition
    nc.disposition_note = note
    nc.decided_by = actor
    nc.decided_at = at or timezone.now()
    WORKFLOW.move(
        nc,
        N.DISPOSITIONED,
        actor=actor,
        reason=note[:300],
        fields=("disposition", "disposition_note", "decided_by", "decided_at"),
    )
    record_event(
        event_type=EventType.NC_DISPOSITIONED,
        target=nc,
        actor=actor,
        old=old,
        new={"disposition": disposition},
        message=note[:200],
    )
    return nc


@service
def nonconformance_close(
    *, actor, nonconformance_id, note: str = "", expected_version: int | None = None
) -> Nonconformance:
    """SUP-8: the disposition has been carried out — close the record (only once disposed)."""
    require_perm(actor, "inspection.change_nonconformance")
    nc = _get(actor, nonconformance_id)
    check_version(nc, expected_version)
    WORKFLOW.check(nc, "close")
    nc.closed_at = timezone.now()
    nc.closing_note = (note or "").strip()[:300]
    WORKFLOW.move(
        nc,
        N.CLOSED,
        actor=actor,
        reason=nc.closing_note,
        fields=("closed_at", "closing_note"),
    )
    record_event(event_type=EventType.NC_CLOSED, target=nc, actor=actor, message=nc.closing_note)
    # The disposition is carried out now: apps holding the nonconforming stock move it (inventory) in this
    # same transaction; a refusal there (DomainError) rolls the close back.
    nonconformance_closed.send(sender=Nonconformance, nonconformance=nc, actor=actor)
    return nc


CAPA_FIELDS = ("root_cause", "corrective_action", "preventive_action", "verification")


@service
def nonconformance_capa(
    *,
    actor,
    nonconformance_id,
    root_cause: str = "",
    corrective_action: str = "",
    preventive_action: str = "",
    verification: str = "",
    expected_version: int | None = None,
) -> Nonconformance:
    """SUP-8 CAPA 纠正预防措施: record (or revise) the root cause 原因分析, the corrective action 纠正措施, the
    preventive action 预防措施 and their verification 验证 — in any state, also after closing (verification
    often comes later). The cause and the correction are required; the status does not change."""
    require_perm(actor, "inspection.change_nonconformance")
    values = {
        "root_cause": (root_cause or "").strip(),
        "corrective_action": (corrective_action or "").strip(),
        "preventive_action": (preventive_action or "").strip(),
        "verification": (verification or "").strip(),
    }
    if not values["root_cause"] or not values["corrective_action"]:
        raise DomainError(
            InspectionErrorCode.NONCONFORMANCE_CAPA_REQUIRED,
            _("请至少填写原因分析和纠正措施"),
            fields={name: [_("必填")] for name in ("root_cause", "corrective_action") if not values[name]},
        )
    nc = _get(actor, nonconformance_id)
    check_version(nc, expected_version)
    WORKFLOW.check(nc, "capa")
    old = {name: getattr(nc, name) for name in CAPA_FIELDS}
    for name, value in values.items():
        setattr(nc, name, value)
    nc.capa_by = actor
    nc.capa_at = timezone.now()
    nc.version += 1
    nc.save(update_fields=[*CAPA_FIELDS, "capa_by", "capa_at", "version", "updated_at"])
    record_event(
        event_type=EventType.NC_CAPA,
        target=nc,
        actor=actor,
        old=old,
        new=values,
        message=values["corrective_action"][:200],
    )
    return nc
