"""Every write of the delivery app: shipping, incidents, acceptance, training, concession and release.

- DEL-1 / TRC-1 / SAL-6 `order_ship` (the sales order's `ship` action): the BUY-1/PRD-1 gate asked again,
  the GSP fields checked BEFORE anything is issued, every open allocation issued (the goods leave), the GSP
  sales record written, the delivery note created with the pick list, packing, carrier and tracking number,
  the contract's obligations copied (DEL-7 protection to the destination, DEL-3 installation, DEL-4
  training), the order marked shipped — one transaction: a refusal changes nothing.
- DEL-2 `delivery_report_incident` / `delivery_inform_incident` / `incidents_remind_uninformed`.
- DEL-3 `delivery_accept`: the joint final check, defective units replaced from stock, the customer's
  signature (or why not).
- DEL-4 `delivery_record_training`.
- DEL-6 `delivery_approve_concession` and `delivery_release` (the release gate); on release the order is
  delivered (receivables, DEL-5) and the feedback app's follow-up and survey are scheduled (FBK-1/FBK-3),
  unless the customer withdrew consent.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections import defaultdict

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.guards import check_version, checked_moment, require_perm, scoped_get
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.policy import policy_value
from salesservice.inventory import services as stock
from salesservice.sales import checks, orders, records
from salesservice.sales.choices import EventType as SalesEventType
from salesservice.sales.common import get_scoped
from salesservice.sales.models import SalesOrder
from salesservice.sales.workflows import ORDER_WORKFLOW

from .choices import CheckItem, CheckResult, EventType, IncidentKind, InformChannel, Requirement
from .choices import DeliveryStatus as D
from .errors import DeliveryErrorCode as E
from .models import AcceptanceCheck, Delivery, DeliveryIncident, DeliveryLine, Replacement, TrainingRecord
from .workflows import DELIVERY_WORKFLOW

MAX_SIGNATURE_BYTES = 1024 * 1024
HANDOVER_ROLES = ("engineer", "cs_rep", "store_manager", "sales_rep")
CONCESSION_ROLES = ("store_manager", "region_manager", "service_manager")


def delivery_url(delivery: Delivery) -> str:
    return reverse("delivery:delivery-detail", args=[delivery.pk])


def _refuse(code, message, *, status: int = 409, **fields) -> DomainError:
    error = DomainError(code, message, fields=fields or None)
    error.status_code = status
    return error


def _get(actor, delivery_id) -> Delivery:
    return scoped_get(Delivery, actor, delivery_id, code=E.NOT_FOUND, message=_("交付单不存在或不在您的范围内"))


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _moment(at, delivery: Delivery | None = None) -> dt.datetime:
    return checked_moment(at, prefix="delivery", not_before=delivery.shipped_at if delivery else None)


def decode_signature(data_url: str) -> ContentFile | None:
    """A signature pad's `data:image/png;base64,…` (static/app/signature.js) as a PNG file (≤ 1 MB)."""
    if not data_url:
        return None
    match = re.fullmatch(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)", data_url.strip())
    raw = b""
    if match:
        try:
            raw = base64.b64decode(match.group(1), validate=False)
        except (binascii.Error, ValueError):
            raw = b""
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > MAX_SIGNATURE_BYTES:
        raise DomainError(
            E.INVALID_SIGNATURE, _("签名必须是不超过 1 MB 的 PNG 图片"), fields={"signature": [_("无效")]}
        )
    return ContentFile(raw, name="signature.png")


# --- DEL-1, TRC-1, SAL-6: shipping ---------------------------------------------------------------


def _pick(order, lines, allocations) -> list[tuple]:
    """Each open allocation split over the order lines of its product: `[(line, allocation, quantity)]`.
    Refuses when the allocations do not cover the lines exactly (the order changed after allocation)."""
    by_product = defaultdict(list)
    for line in lines:
        by_product[line.product_id].append(line)
    remaining = {line.pk: line.allocated_quantity or line.quantity for line in lines}
    picked = []
    for allocation in allocations:
        left = allocation.quantity
        for line in by_product.get(allocation.product_id, []):
            take = min(left, remaining[line.pk])
            if take:
                picked.append((line, allocation, take))
                remaining[line.pk] -= take
                left -= take
        if left:
            break
    if any(remaining.values()) or sum(q for _l, _a, q in picked) != sum(a.quantity for a in allocations):
        raise _refuse(E.ALLOCATION_MISMATCH, _("配货与订单明细不符，请取消后重新配货"))
    return picked


@service
def order_ship(
    *,
    actor,
    order_id,
    carrier: str = "",
    tracking_no: str = "",
    packing: str = "",
    package_count=None,
    note: str = "",
    expected_version=None,
) -> SalesOrder:
    """DEL-1, TRC-1, SAL-6, DEL-7: ship an allocated sales order and create its delivery note 交付单.

    Refused — and nothing changes — when the buyer's qualification no longer covers a line (BUY-1, 409
    `sales_order.buyer_unqualified`), a product may no longer be sold (PRD-1, `sales_order.unsellable`), or a
    medical-device line lacks a GSP field (TRC-1, `sales_record.incomplete`); all three are asked before a
    single unit is issued. Then every open allocation is issued (a signed ship move), the GSP sales record
    written per lot, the pick list kept on the delivery, and the order marked shipped.
    """
    require_perm(actor, "sales.ship_salesorder")
    order = get_scoped(SalesOrder, actor, order_id)
    check_version(order, expected_version)
    ORDER_WORKFLOW.check(order, "ship")
    carrier, tracking_no, packing = _text(carrier, 100), _text(tracking_no, 60), _text(packing, 200)
    if not carrier or not tracking_no:
        raise _refuse(E.CARRIER_REQUIRED, _("请填写承运方和运单号（DEL-1）"), status=400, carrier=[_("必填")])
    try:
        count = int(package_count)
    except (TypeError, ValueError):
        count = 0
    if not packing or not 1 <= count <= 100_000:
        raise _refuse(E.PACKING_REQUIRED, _("请填写适合运输的包装方式和件数（DEL-1）"), status=400, packing=[_("必填")])
    lines = list(order.lines.select_related("product").order_by("product_id", "id"))
    checks.refuse_if_blocked(order, lines, step=_("发货"))  # BUY-1 / PRD-1 asked again at shipment
    records.refuse_if_incomplete(order, lines)  # TRC-1 before anything leaves the warehouse
    allocations = list(
        stock.allocations_for(order).select_related("lot", "location").order_by("product_id", "lot__expiry_date", "pk")
    )
    if not allocations:
        raise _refuse(E.NOTHING_TO_SHIP, _("订单没有待出库的配货"))
    picked = _pick(order, lines, allocations)
    moment = timezone.now()
    contract = order.contract
    delivery = Delivery(
        number=next_number("delivery", series=dict(name="交付单", prefix="DN", reset="daily")),
        org_unit_id=order.org_unit_id,
        order=order,
        customer_id=order.customer_id,
        warehouse_id=order.warehouse_id,
        shipped_at=moment,
        shipped_by=actor,
        carrier=carrier,
        tracking_no=tracking_no,
        packing=packing,
        package_count=count,
        note=(note or "").strip(),
        protect_to_destination=bool(contract and contract.protect_to_destination),
        installation_required=bool(contract and contract.installation_required),
        training_required=bool(contract and contract.training_required),
        acceptance_terms=contract.acceptance_terms if contract else "",
    )
    DELIVERY_WORKFLOW.initial(delivery, D.SHIPPED)
    delivery.save()
    for allocation in allocations:  # the goods leave: one signed ship move per allocation (TRC-3)
        stock.issue_allocation(actor=None, allocation_id=allocation.pk, signed_by=actor)
    DeliveryLine.objects.bulk_create(
        DeliveryLine(
            delivery=delivery,
            order_line=line,
            product_id=line.product_id,
            lot=allocation.lot,
            location_code=allocation.location.code,
            quantity=quantity,
        )
        for line, allocation, quantity in picked
    )
    records.record_shipment(
        order=order,
        issued=[(line, allocation.lot, quantity) for line, allocation, quantity in picked],
        sale_date=timezone.localdate(moment),
        shipment_id=delivery.pk,
        shipment_number=delivery.number,
    )
    orders.order_mark_shipped(actor=actor, order=order, at=moment)
    record_event(
        event_type=SalesEventType.ORDER_SHIPPED,
        target=order,
        actor=actor,
        new={"delivery": delivery.number, "carrier": carrier, "tracking_no": tracking_no},
    )
    record_event(
        event_type=EventType.SHIPPED,
        target=delivery,
        actor=actor,
        new={"order": order.number, "lines": len(picked), "packages": count, "packing": packing},
    )
    notify(
        recipients=[*holders(HANDOVER_ROLES, order.org_unit_id, exact=True), order.sales_rep or order.created_by],
        title=_("已发货，请安排交付验收：%(n)s（%(c)s，%(t)s %(no)s）")
        % {"n": delivery.number, "c": order.customer.name, "t": carrier, "no": tracking_no},
        url=delivery_url(delivery),
    )
    return order


# --- DEL-2: incidents ------------------------------------------------------------------------------


def _informed(customer_informed_at, informed_how, remedy, delivery) -> tuple:
    """Either nothing (not yet told) or the full account: when, how, and the remedy offered."""
    given = [customer_informed_at is not None, bool(informed_how), bool(_text(remedy, 2000))]
    if not any(given):
        return None, "", ""
    if not all(given) or informed_how not in InformChannel.values:
        raise _refuse(
            E.INCIDENT_INFORM_INCOMPLETE,
            _("告知客户须写明时间、方式和补救措施（DEL-2）"),
            status=400,
            customer_informed_at=[_("必填")],
        )
    return _moment(customer_informed_at, delivery), informed_how, _text(remedy, 2000)


@service
def delivery_report_incident(
    *,
    actor,
    delivery_id,
    kind: str = "",
    description: str = "",
    occurred_at: dt.datetime | None = None,
    customer_informed_at: dt.datetime | None = None,
    informed_how: str = "",
    remedy: str = "",
    expected_version=None,
) -> Delivery:
    """DEL-2: a delay or damage on a delivery, and — now or later (`delivery_inform_incident`) — when and how
    the customer was told and the remedy. Not told within `delivery.incident_inform_hours`: reminded."""
    require_perm(actor, "delivery.add_deliveryincident")
    delivery = _get(actor, delivery_id)
    check_version(delivery, expected_version)
    DELIVERY_WORKFLOW.check(delivery, "report-incident")
    description = _text(description, 2000)
    if kind not in IncidentKind.values or not description:
        raise _refuse(E.INCIDENT_INVALID, _("请选择异常类型并填写情况说明"), status=400, description=[_("必填")])
    informed_at, how, remedy = _informed(customer_informed_at, informed_how, remedy, delivery)
    now = timezone.now()
    incident = DeliveryIncident.objects.create(
        delivery=delivery,
        kind=kind,
        description=description,
        occurred_at=_moment(occurred_at, delivery) if occurred_at else now,
        reported_by=actor,
        reported_at=now,
        customer_informed_at=informed_at,
        informed_how=how,
        remedy=remedy,
    )
    delivery.version += 1
    delivery.save(update_fields=["version", "updated_at"])
    record_event(
        event_type=EventType.INCIDENT_REPORTED,
        target=delivery,
        actor=actor,
        new={"incident": incident.pk, "kind": kind, "informed": informed_at is not None},
        message=description[:300],
    )
    order = delivery.order
    notify(
        recipients=[order.sales_rep or order.created_by, *holders("store_manager", delivery.org_unit_id, exact=True)],
        title=_("交付异常：%(n)s %(k)s%(i)s")
        % {
            "n": delivery.number,
            "k": incident.get_kind_display(),
            "i": "" if informed_at else _("，请及时告知客户并提出补救措施"),
        },
        url=delivery_url(delivery),
        level="warning",
    )
    return delivery


@service
def delivery_inform_incident(
    *,
    actor,
    delivery_id,
    incident: int | None = None,
    customer_informed_at: dt.datetime | None = None,
    informed_how: str = "",
    remedy: str = "",
    expected_version=None,
) -> Delivery:
    """DEL-2: the customer was told of an incident — when, how, and the remedy offered."""
    require_perm(actor, "delivery.add_deliveryincident")
    delivery = _get(actor, delivery_id)
    check_version(delivery, expected_version)
    DELIVERY_WORKFLOW.check(delivery, "inform-customer")
    found = DeliveryIncident.objects.select_for_update().filter(delivery=delivery, pk=incident).first()
    if found is None:
        raise _refuse(E.INCIDENT_NOT_FOUND, _("该交付单没有此异常记录"), status=400, incident=[_("无效")])
    if found.customer_informed_at is not None:
        raise _refuse(E.INCIDENT_ALREADY_INFORMED, _("该异常已告知客户"))
    informed_at, how, remedy = _informed(customer_informed_at or timezone.now(), informed_how, remedy, delivery)
    if informed_at is None:
        raise _refuse(E.INCIDENT_INFORM_INCOMPLETE, _("告知客户须写明时间、方式和补救措施（DEL-2）"), status=400)
    found.customer_informed_at, found.informed_how, found.remedy = informed_at, how, remedy
    found.save(update_fields=["customer_informed_at", "informed_how", "remedy"])
    delivery.version += 1
    delivery.save(update_fields=["version", "updated_at"])
    record_event(
        event_type=EventType.INCIDENT_INFORMED,
        target=delivery,
        actor=actor,
        new={"incident": found.pk, "how": how},
        message=remedy[:300],
    )
    return delivery


def incidents_remind_uninformed(now: dt.datetime | None = None) -> int:
    """DEL-2 job: an incident the customer has not been told of within `delivery.incident_inform_hours` is
    reminded once to whoever reported it, the order's rep and the store manager."""
    now = now or timezone.now()
    hours = float(policy_value("delivery.incident_inform_hours") or 24)
    due = (
        DeliveryIncident.objects.filter(
            customer_informed_at__isnull=True, reminded_at__isnull=True, reported_at__lt=now - dt.timedelta(hours=hours)
        )
        .select_related("delivery__order__sales_rep", "delivery__order__created_by", "reported_by")
        .order_by("reported_at", "pk")[:500]
    )
    count = 0
    for incident in due:
        delivery = incident.delivery
        with transaction.atomic():
            notify(
                recipients=[
                    incident.reported_by,
                    delivery.order.sales_rep or delivery.order.created_by,
                    *holders("store_manager", delivery.org_unit_id, exact=True),
                ],
                title=_("交付异常超过 %(h)s 小时未告知客户：%(n)s %(k)s")
                % {"h": int(hours), "n": delivery.number, "k": incident.get_kind_display()},
                url=delivery_url(delivery),
                level="warning",
            )
            record_event(
                event_type=EventType.INCIDENT_REMINDED, target=delivery, actor=None, new={"incident": incident.pk}
            )
            DeliveryIncident.objects.filter(pk=incident.pk).update(reminded_at=now)
        count += 1
    return count


# --- DEL-3: acceptance at handover -----------------------------------------------------------------


def _clean_checks(delivery: Delivery, checks_in) -> list[dict]:
    given: dict[str, dict] = {}
    for row in checks_in or []:
        item, result = (row or {}).get("item"), (row or {}).get("result")
        if item in CheckItem.values and result in CheckResult.values:
            given[item] = {"item": item, "result": result, "note": _text(row.get("note"), 300)}
    missing = [str(CheckItem(item).label) for item in CheckItem.values if item not in given]
    if missing:
        raise _refuse(
            E.CHECKLIST_INCOMPLETE,
            _("验收清单缺少结论：%(items)s") % {"items": "、".join(missing)},
            status=400,
            checks=missing,
        )
    if delivery.installation_required and given[CheckItem.INSTALLATION]["result"] == CheckResult.NA:
        raise _refuse(E.INSTALLATION_REQUIRED, _("合同要求安装调试：安装调试项须给出合格或不合格的结论"))
    return [given[item] for item in CheckItem.values]


def _replace(actor, delivery: Delivery, replacements, at) -> list[Replacement]:
    """Defective units replaced from the delivery's warehouse, FEFO (inventory allocate + issue), each
    replacement lot recorded against the defective one and written to the GSP record (TRC-1: the customer
    now holds the replacement lot; a recall must reach them)."""
    if not replacements:
        return []
    lines = {line.pk: line for line in delivery.lines.select_for_update().select_related("order_line__product", "lot")}
    done = []
    issued = []
    for row in replacements:
        line = lines.get(_int((row or {}).get("line")))
        quantity = _int((row or {}).get("quantity"))
        if line is None or not 1 <= quantity <= line.quantity - line.replaced_quantity:
            raise _refuse(
                E.REPLACEMENT_INVALID, _("更换明细无效：请选择本交付单的明细，数量不超过未更换数量"), status=400
            )
        try:
            allocations = stock.allocate(
                actor=None,
                product=line.order_line.product,
                quantity=quantity,
                warehouse=delivery.warehouse_id,
                reference=delivery,
            )
        except DomainError as error:
            raise _refuse(
                E.REPLACEMENT_NO_STOCK,
                _("%(p)s 库存不足，不能更换：%(m)s") % {"p": line.order_line.product.name, "m": error.message},
            ) from None
        for allocation in allocations:
            stock.issue_allocation(actor=None, allocation_id=allocation.pk, signed_by=actor)
            done.append(
                Replacement(
                    delivery=delivery,
                    line=line,
                    defective_lot=line.lot,
                    replacement_lot=allocation.lot,
                    quantity=allocation.quantity,
                    note=_text(row.get("note"), 300),
                    replaced_by=actor,
                    replaced_at=at,
                )
            )
            issued.append((line.order_line, allocation.lot, allocation.quantity))
        line.replaced_quantity += quantity
        line.save(update_fields=["replaced_quantity"])
    Replacement.objects.bulk_create(done)
    records.record_shipment(
        order=delivery.order,
        issued=issued,
        sale_date=timezone.localdate(at),
        shipment_id=delivery.pk,
        shipment_number=delivery.number,
    )
    for item in done:
        record_event(
            event_type=EventType.UNIT_REPLACED,
            target=delivery,
            actor=actor,
            new={
                "defective": str(item.defective_lot),
                "replacement": str(item.replacement_lot),
                "quantity": item.quantity,
            },
            message=item.note,
        )
    return done


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0


@service
def delivery_accept(
    *,
    actor,
    delivery_id,
    checks=None,
    replacements=None,
    signer_name: str = "",
    signature_data_url: str = "",
    signature_declined_reason: str = "",
    note: str = "",
    expected_version=None,
) -> Delivery:
    """DEL-3 (002 §6.5.1): the joint final check at handover, by our staff with the customer.

    Every item — packing list 装箱单核对, appearance 外观, installation and commissioning 安装调试 (pass or fail,
    never n.a., when the contract requires installation), function 功能 — gets pass / fail / n.a. A failed
    item passes only with its defective units replaced from stock in the same acceptance (which lot replaced
    which is recorded). The customer signs on the phone (the service app's signature pad), or staff write why
    the customer would not sign (then the release gate still asks for a concession).
    """
    require_perm(actor, "delivery.accept_delivery")
    delivery = _get(actor, delivery_id)
    check_version(delivery, expected_version)
    DELIVERY_WORKFLOW.check(delivery, "accept")
    clean = _clean_checks(delivery, checks)
    signature = decode_signature(signature_data_url)
    declined = _text(signature_declined_reason, 200)
    if signature is None and not declined:
        raise _refuse(
            E.SIGNATURE_REQUIRED,
            _("请客户签名；客户拒绝签字时，请填写未签字原因"),
            status=400,
            signature=[_("请签名")],
            signature_declined_reason=[_("或填写未签字原因")],
        )
    failed = [str(CheckItem(row["item"]).label) for row in clean if row["result"] == CheckResult.FAIL]
    if failed and not replacements:
        raise _refuse(
            E.CHECK_FAILED,
            _("%(items)s 不合格：请以库存更换缺陷品后再验收（DEL-3）") % {"items": "、".join(failed)},
            failed=failed,
        )
    now = timezone.now()
    _replace(actor, delivery, replacements, now)
    AcceptanceCheck.objects.bulk_create(AcceptanceCheck(delivery=delivery, **row) for row in clean)
    delivery.accepted_at, delivery.accepted_by = now, actor
    delivery.acceptance_note = (note or "").strip()
    delivery.signer_name = _text(signer_name, 60)
    delivery.signature_declined_reason = declined if signature is None else ""
    if signature is not None:
        delivery.signature.save(signature.name, signature, save=False)
    fields = ["accepted_at", "accepted_by", "acceptance_note", "signer_name", "signature", "signature_declined_reason"]
    DELIVERY_WORKFLOW.move(delivery, D.ACCEPTED, actor=actor, reason=delivery.acceptance_note, fields=fields)
    record_event(
        event_type=EventType.ACCEPTED,
        target=delivery,
        actor=actor,
        new={row["item"]: row["result"] for row in clean} | {"signed": signature is not None},
        message=declined,
    )
    return delivery


# --- DEL-4: customer training ----------------------------------------------------------------------


@service
def delivery_record_training(
    *,
    actor,
    delivery_id,
    trained_on: dt.date | None = None,
    trainer_name: str = "",
    trainees: str = "",
    content: str = "",
    customer_signer_name: str = "",
    signature_data_url: str = "",
    expected_version=None,
) -> Delivery:
    """DEL-4 (002 §6.5.1 必要时为客户提供培训，并填写培训记录): date, trainer, trainees, content, and the customer's
    confirmation — a signature drawn on the phone or the name of the customer's person who confirms."""
    require_perm(actor, "delivery.add_trainingrecord")
    delivery = _get(actor, delivery_id)
    check_version(delivery, expected_version)
    DELIVERY_WORKFLOW.check(delivery, "record-training")
    trainer_name = _text(trainer_name, 60) or (getattr(actor, "name", "") or "")[:60]
    trainees, content, signer = _text(trainees, 300), (content or "").strip(), _text(customer_signer_name, 60)
    signature = decode_signature(signature_data_url)
    if trained_on is None or not trainer_name or not trainees or not content or (signature is None and not signer):
        raise _refuse(
            E.TRAINING_INCOMPLETE,
            _("培训记录须写明日期、培训人、受训人员、内容，并由客户签字或写明客户确认人"),
            status=400,
            trainees=[_("必填")],
        )
    if trained_on > timezone.localdate() or trained_on < timezone.localdate(delivery.shipped_at):
        raise _refuse(
            E.TRAINING_DATE_INVALID, _("培训日期不能晚于今天或早于发货日期"), status=400, trained_on=[_("无效")]
        )
    record = TrainingRecord(
        delivery=delivery,
        trained_on=trained_on,
        trainer=actor,
        trainer_name=trainer_name,
        trainees=trainees,
        content=content,
        customer_signer_name=signer,
        recorded_by=actor,
    )
    if signature is not None:
        record.signature.save(signature.name, signature, save=False)
    record.save()
    delivery.version += 1
    delivery.save(update_fields=["version", "updated_at"])
    record_event(
        event_type=EventType.TRAINING_RECORDED,
        target=delivery,
        actor=actor,
        new={"training": record.pk, "trained_on": trained_on.isoformat(), "signed": signature is not None},
    )
    return delivery


# --- DEL-6: concession and release -----------------------------------------------------------------


def release_missing(delivery: Delivery) -> list[str]:
    """DEL-6: what the release gate still asks for (see `Delivery.release_missing`)."""
    return delivery.release_missing


def _labels(missing: list[str]) -> str:
    return "、".join(str(Requirement(value).label) for value in missing)


@service
def delivery_approve_concession(
    *,
    actor,
    delivery_id,
    customer_representative: str = "",
    reason: str = "",
    lawful: bool = False,
    recallable: bool = False,
    expected_version=None,
) -> Delivery:
    """DEL-6 (004 §4.6.2): the customer approves releasing the goods before every required activity is done.

    Recorded: who at the customer approved, why, and the statements that the release is lawful (a) and that
    the product stays traceable and recallable (b) — both must be true. Approved by a manager who did not
    ship the goods. The activities missing at approval are kept; a release later needs nothing beyond them.
    """
    require_perm(actor, "delivery.approve_concession")
    delivery = _get(actor, delivery_id)
    check_version(delivery, expected_version)
    DELIVERY_WORKFLOW.check(delivery, "approve-concession")
    if actor is not None and delivery.shipped_by_id == actor.pk:
        raise PermissionDeniedError(E.CONCESSION_SELF_APPROVAL, _("发货人不能批准自己发出货物的让步放行"))
    missing = release_missing(delivery)
    if not missing:
        raise _refuse(E.CONCESSION_NOT_NEEDED, _("规定活动均已完成，无需让步放行"))
    representative, reason = _text(customer_representative, 60), _text(reason, 300)
    if not representative or not reason or lawful is not True or recallable is not True:
        raise _refuse(
            E.CONCESSION_INCOMPLETE,
            _("让步放行须写明批准的客户代表与理由，并确认放行合法、产品可追溯并可立即追回"),
            status=400,
            lawful=[_("须确认")],
            recallable=[_("须确认")],
        )
    delivery.concession_representative, delivery.concession_reason = representative, reason
    delivery.concession_lawful = delivery.concession_recallable = True
    delivery.concession_missing = missing
    delivery.concession_approved_by, delivery.concession_approved_at = actor, timezone.now()
    delivery.version += 1
    delivery.save(
        update_fields=[
            "concession_representative",
            "concession_reason",
            "concession_lawful",
            "concession_recallable",
            "concession_missing",
            "concession_approved_by",
            "concession_approved_at",
            "version",
            "updated_at",
        ]
    )
    record_event(
        event_type=EventType.CONCESSION_APPROVED,
        target=delivery,
        actor=actor,
        new={"representative": representative, "missing": missing},
        message=reason,
    )
    return delivery


@service
def delivery_release(*, actor, delivery_id, note: str = "", expected_version=None) -> Delivery:
    """DEL-6 release gate: the goods are released — the order becomes delivered (receivables per the contract,
    sales told: DEL-5) — only when every required activity is done (`release_missing`), or an approved
    concession covers what is missing. Refused otherwise (409 `delivery.release_blocked`, `fields.missing`).
    Then the after-delivery follow-up and satisfaction survey are scheduled in the feedback app (FBK-1, FBK-3),
    unless the customer withdrew consent to them."""
    require_perm(actor, "delivery.release_delivery")
    delivery = _get(actor, delivery_id)
    check_version(delivery, expected_version)
    DELIVERY_WORKFLOW.check(delivery, "release")
    missing = release_missing(delivery)
    uncovered = [m for m in missing if not delivery.concession_approved or m not in delivery.concession_missing]
    if uncovered:
        raise _refuse(
            E.RELEASE_BLOCKED,
            _("不得放行：%(items)s 未完成，且无客户批准的让步（DEL-6）") % {"items": _labels(uncovered)},
            missing=uncovered,
        )
    now = timezone.now()
    order = get_scoped(SalesOrder, None, delivery.order_id)
    delivery.released_at, delivery.released_by = now, actor
    DELIVERY_WORKFLOW.move(delivery, D.RELEASED, actor=actor, reason=note, fields=["released_at", "released_by"])
    orders.order_mark_delivered(actor=actor, order=order, at=now)
    record_event(
        event_type=EventType.RELEASED,
        target=delivery,
        actor=actor,
        new={"concession": bool(missing), "missing": missing},
        message=(note or "")[:300],
    )
    schedule_after_delivery(delivery, at=now)
    return delivery


def schedule_after_delivery(delivery: Delivery, *, at: dt.datetime) -> None:
    """FBK-1 / FBK-3 after a delivery: a follow-up call (kind after_delivery, source the delivery) and a
    satisfaction survey link, through the feedback app's services — none when the customer withdrew consent
    to follow-ups and surveys (INF-1). Idempotent: a second call finds them (`*.duplicate`) and does nothing."""
    from salesservice.core.clocks import TermsBook
    from salesservice.customers.choices import ConsentPurpose
    from salesservice.customers.selectors import consent_withdrawn
    from salesservice.feedback.choices import FollowUpKind, SourceKind
    from salesservice.feedback.scheduling import FOLLOW_UP_CLOCKS, FOLLOW_UP_DELAY
    from salesservice.feedback.services import follow_up_create
    from salesservice.feedback.survey_services import deliver, survey_link_create

    if consent_withdrawn(delivery.customer_id, ConsentPurpose.SERVICE_FOLLOW_UP):
        record_event(event_type=EventType.FOLLOW_UP_SKIPPED, target=delivery, actor=None)
        return
    customer = delivery.customer
    due = TermsBook(FOLLOW_UP_CLOCKS).terms_at(at).add(at, FOLLOW_UP_DELAY)
    try:
        with transaction.atomic():
            follow_up_create(
                actor=None,
                customer=customer,
                kind=FollowUpKind.AFTER_DELIVERY,
                due_at=due,
                source_id=delivery.pk,
                source_number=delivery.number,
                store=delivery.org_unit if delivery.org_unit.kind == "store" else None,
            )
    except ConflictError:
        pass  # already scheduled
    first_line = delivery.lines.select_related("product").first()
    try:
        with transaction.atomic():
            invitation = survey_link_create(
                actor=None,
                customer=customer,
                store=delivery.org_unit if delivery.org_unit.kind == "store" else None,
                source_kind=SourceKind.DELIVERY,
                source_id=delivery.pk,
                source_number=delivery.number,
                product=first_line.product if first_line else None,
                sent_at=at,
            )
            deliver(invitation)
    except ConflictError:
        pass
