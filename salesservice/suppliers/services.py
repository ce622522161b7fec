"""Every write of the suppliers app, and the checks purchasing asks before it orders (SUP-1, SUP-2, SUP-3).

Writes run in one transaction (`@service`), lock what they change, check the actor's permission and scope
(out of scope → 404, existence never revealed), record a typed timeline event and tell whom it concerns.
The qualified list's status moves only through `QUALIFIED_LIST_WORKFLOW` (workflows.py).

The public API purchasing uses:
- `order_check(supplier, product) -> list[Reason]` — why an order may not be placed ([] = allowed);
- `order_warnings(supplier) -> list[Reason]` — what the purchaser should know but may order anyway.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.choices import OrgUnitKind
from salesservice.core.directory import holders
from salesservice.core.events import record_event
from salesservice.core.exceptions import ConflictError, DomainError, PermissionDeniedError
from salesservice.core.guards import check_version, checked_moment, require_perm, scoped_get
from salesservice.core.models import OrgUnit
from salesservice.core.notifications import notify
from salesservice.core.numbering import next_number
from salesservice.core.reasons import Reason
from salesservice.core.scoping import can_see_unit

from . import metrics
from .choices import Criterion, DocumentKind, EventType, ScoreSource, Standing
from .choices import QualifiedListStatus as QS
from .errors import SuppliersErrorCode as E
from .models import Evaluation, QualifiedList, QualifiedListEntry, Supplier, SupplierDocument
from .policy_defaults import DEFAULT_WEIGHTS
from .workflows import QUALIFIED_LIST_WORKFLOW as WORKFLOW

SUPPLIER_SERIES = dict(name="供应商", prefix="SUP", reset="never")
LIST_SERIES = dict(name="合格供方名单", prefix="QL", reset="yearly", padding=3)
SUPPLIER_FIELDS = ("name", "credit_code", "contact", "phone", "address", "notes", "is_active")
DOCUMENT_FIELDS = ("kind", "number", "scope", "valid_from", "expires_on")
CREDIT_CODE = re.compile(r"^[0-9A-Z]{18}$")
PURCHASING_ROLES = ("purchaser", "purchasing_manager")
DEFAULT_REMINDER_DAYS = 30


# --- helpers ---------------------------------------------------------------------------------


def _supplier(actor, supplier, *, lock: bool = True) -> Supplier:
    return scoped_get(Supplier, actor, supplier, lock=lock, code=E.NOT_FOUND, message=_("供应商不存在或不在您的范围内"))


def _list(actor, qualified_list) -> QualifiedList:
    return scoped_get(
        QualifiedList, actor, qualified_list, code=E.LIST_NOT_FOUND, message=_("合格供方名单不存在或不在您的范围内")
    )


def _text(value, limit: int | None = None) -> str:
    value = (value or "").strip()
    return value[:limit] if limit else value


def _required(value, field: str, code: E, message: str, limit: int | None = None) -> str:
    value = _text(value, limit)
    if not value:
        raise DomainError(code, message, fields={field: [_("必填")]})
    return value


def _default_unit(actor) -> OrgUnit:
    """The purchasing department that owns a new supplier or list: the actor's own unit (the first of its
    memberships), or HQ for the system."""
    if actor is not None:
        membership = actor.memberships.select_related("org_unit").order_by("pk").first()
        if membership is not None:
            return membership.org_unit
    return OrgUnit.objects.get(kind=OrgUnitKind.COMPANY)


def _unit(actor, org_unit) -> OrgUnit:
    unit = org_unit or _default_unit(actor)
    if isinstance(unit, int):
        unit = OrgUnit.objects.filter(pk=unit).first()
    if unit is None or (actor is not None and not can_see_unit(actor, unit.pk)):
        raise PermissionDeniedError(
            E.INVALID_ORG_UNIT, _("所属部门无效或不在您的范围内"), fields={"org_unit": [_("无效")]}
        )
    return unit


def _credit_code(value) -> str:
    value = _text(value).upper()
    if value and not CREDIT_CODE.match(value):
        raise DomainError(
            E.INVALID_CREDIT_CODE,
            _("统一社会信用代码须为 18 位数字或大写字母"),
            fields={"credit_code": [_("统一社会信用代码须为 18 位数字或大写字母")]},
        )
    return value


def _check_unique(name: str, credit_code: str, exclude_pk=None) -> None:
    clash = Supplier.objects.filter(Q(name=name) | (Q(credit_code=credit_code) if credit_code else Q(pk__in=[])))
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    found = clash.first()
    if found is not None:
        field = "name" if found.name == name else "credit_code"
        raise ConflictError(
            E.DUPLICATE,
            _("供应商已存在：%(number)s %(name)s") % {"number": found.number, "name": found.name},
            fields={field: [_("已存在")]},
        )


def supplier_url(supplier) -> str:
    return reverse("suppliers:supplier-detail", args=[supplier.pk])


def list_url(qualified_list) -> str:
    return reverse("suppliers:list-detail", args=[qualified_list.pk])


# --- the dossier --------------------------------------------------------------------------------


@service
def supplier_create(
    *,
    actor,
    name: str,
    credit_code: str = "",
    contact: str = "",
    phone: str = "",
    address: str = "",
    notes: str = "",
    org_unit=None,
) -> Supplier:
    """Register a supplier (SUP-1: its qualification is then documented and evaluated). It starts
    unevaluated and may receive orders only once an approved qualified list names it (SUP-2)."""
    require_perm(actor, "suppliers.add_supplier")
    name = _required(name, "name", E.NAME_REQUIRED, _("请填写供应商名称"), 200)
    credit_code = _credit_code(credit_code)
    unit = _unit(actor, org_unit)
    _check_unique(name, credit_code)
    supplier = Supplier(
        number=next_number("supplier", series=SUPPLIER_SERIES),
        name=name,
        credit_code=credit_code,
        contact=_text(contact, 50),
        phone=_text(phone, 30),
        address=_text(address, 200),
        notes=_text(notes),
        org_unit=unit,
        created_by=actor,
    )
    try:
        supplier.save()
    except IntegrityError as exc:  # a parallel create of the same name won
        raise ConflictError(E.DUPLICATE, _("供应商已存在"), fields={"name": [_("已存在")]}) from exc
    record_event(
        event_type=EventType.SUPPLIER_CREATED,
        target=supplier,
        actor=actor,
        new={"number": supplier.number, "name": name, "credit_code": credit_code},
    )
    return supplier


@service
def supplier_update(*, actor, supplier_id, expected_version: int | None, **changes) -> Supplier:
    """Edit a supplier's identity and contact data; stale `expected_version` → 409. Standing and suspension
    change only through an evaluation and `supplier_suspend` / `supplier_reinstate`."""
    require_perm(actor, "suppliers.change_supplier")
    unknown = set(changes) - set(SUPPLIER_FIELDS)
    if unknown:
        raise DomainError(E.UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    supplier = _supplier(actor, supplier_id)
    check_version(supplier, expected_version)
    if "name" in changes:
        changes["name"] = _required(changes["name"], "name", E.NAME_REQUIRED, _("请填写供应商名称"), 200)
    if "credit_code" in changes:
        changes["credit_code"] = _credit_code(changes["credit_code"])
    for field in ("contact", "phone", "address", "notes"):
        if field in changes:
            changes[field] = _text(changes[field], {"contact": 50, "phone": 30, "address": 200}.get(field))
    _check_unique(changes.get("name", supplier.name), changes.get("credit_code", supplier.credit_code), supplier.pk)
    old, new = {}, {}
    for field, value in changes.items():
        if getattr(supplier, field) != value:
            old[field], new[field] = getattr(supplier, field), value
            setattr(supplier, field, value)
    if not new:
        return supplier
    supplier.version += 1
    supplier.save()
    masked = {"phone": "***"}
    record_event(
        event_type=EventType.SUPPLIER_UPDATED,
        target=supplier,
        actor=actor,
        old={k: masked.get(k, v) for k, v in old.items()},
        new={k: masked.get(k, v) for k, v in new.items()},
    )
    return supplier


@service
def supplier_suspend(*, actor, supplier_id, reason: str, expected_version: int | None = None) -> Supplier:
    """SUP-2: stop ordering from a supplier at once (quality incident, licence problem…) — `order_check`
    refuses every product until it is reinstated."""
    require_perm(actor, "suppliers.suspend_supplier")
    reason = _required(reason, "reason", E.REASON_REQUIRED, _("请填写暂停原因"), 300)
    supplier = _supplier(actor, supplier_id)
    check_version(supplier, expected_version)
    if supplier.is_suspended:
        raise ConflictError(E.ALREADY_SUSPENDED, _("供应商已处于暂停状态"))
    supplier.is_suspended = True
    supplier.suspended_reason = reason
    supplier.suspended_at = timezone.now()
    supplier.version += 1
    supplier.save(update_fields=["is_suspended", "suspended_reason", "suspended_at", "version", "updated_at"])
    record_event(event_type=EventType.SUPPLIER_SUSPENDED, target=supplier, actor=actor, message=reason)
    notify(
        recipients=holders(PURCHASING_ROLES, supplier.org_unit),
        title=_("供应商已暂停采购：%(name)s") % {"name": supplier.name},
        body=reason,
        url=supplier_url(supplier),
        kind="suppliers.suspended",
        level="warning",
    )
    return supplier


@service
def supplier_reinstate(*, actor, supplier_id, note: str = "", expected_version: int | None = None) -> Supplier:
    """Lift a suspension (the qualified list and documents still decide what may be ordered)."""
    require_perm(actor, "suppliers.suspend_supplier")
    supplier = _supplier(actor, supplier_id)
    check_version(supplier, expected_version)
    if not supplier.is_suspended:
        raise ConflictError(E.NOT_SUSPENDED, _("供应商未处于暂停状态"))
    old_reason = supplier.suspended_reason
    supplier.is_suspended = False
    supplier.suspended_reason = ""
    supplier.suspended_at = None
    supplier.version += 1
    supplier.save(update_fields=["is_suspended", "suspended_reason", "suspended_at", "version", "updated_at"])
    record_event(
        event_type=EventType.SUPPLIER_REINSTATED,
        target=supplier,
        actor=actor,
        old={"suspended_reason": old_reason},
        message=_text(note, 300),
    )
    return supplier


# --- qualification documents (SUP-2, SUP-3) ------------------------------------------------------


def _check_document(document: SupplierDocument) -> None:
    if document.kind not in DocumentKind.values:
        raise DomainError(E.INVALID_KIND, _("无效的资质文件类型"), fields={"kind": [_("无效")]})
    if not document.number:
        raise DomainError(E.DOCUMENT_NUMBER_REQUIRED, _("请填写证号或协议编号"), fields={"number": [_("必填")]})
    if document.valid_from is None:
        raise DomainError(E.INVALID_DATES, _("请填写有效期起"), fields={"valid_from": [_("必填")]})
    if document.expires_on is not None and document.expires_on < document.valid_from:
        raise DomainError(E.INVALID_DATES, _("有效期至不能早于有效期起"), fields={"expires_on": [_("早于有效期起")]})


@service
def document_add(
    *,
    actor,
    supplier,
    kind: str,
    number: str,
    valid_from: dt.date,
    expires_on: dt.date | None = None,
    scope: str = "",
    products=(),
    evidence=None,
) -> SupplierDocument:
    """Record a reviewed qualification document or the quality-assurance agreement (SUP-2, SUP-3), with its
    scope, the products it covers (registration certificates, authorisation letters) and its scan."""
    require_perm(actor, "suppliers.add_supplierdocument")
    supplier = _supplier(actor, supplier)
    document = SupplierDocument(
        supplier=supplier,
        kind=kind,
        number=_text(number, 100),
        scope=_text(scope),
        valid_from=valid_from,
        expires_on=expires_on,
        created_by=actor,
    )
    _check_document(document)
    document.save()
    products = list(products or ())
    if products:
        document.products.set(products)
    if evidence is not None and actor is not None:
        from salesservice.core.attachments import attachment_add

        attachment_add(actor=actor, target=document, file=evidence, description=_("资质文件扫描件"))
    record_event(
        event_type=EventType.DOCUMENT_ADDED,
        target=supplier,
        actor=actor,
        new={
            "kind": kind,
            "number": document.number,
            "expires_on": expires_on.isoformat() if expires_on else None,
            "products": [p.pk for p in products],
        },
    )
    return document


@service
def document_update(
    *, actor, document_id, expected_version: int | None, products=None, evidence=None, **changes
) -> SupplierDocument:
    """Edit a document — typically a renewal's new number and validity; stale version → 409."""
    require_perm(actor, "suppliers.change_supplierdocument")
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise DomainError(E.UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    document = scoped_get(
        SupplierDocument,
        actor,
        document_id,
        code=E.DOCUMENT_NOT_FOUND,
        message=_("资质文件不存在或不在您的范围内"),
    )
    check_version(document, expected_version)
    old, new = {}, {}
    for field, value in changes.items():
        if field in ("number", "scope"):
            value = _text(value, 100 if field == "number" else None)
        if getattr(document, field) != value:
            old[field], new[field] = str(getattr(document, field)), str(value)
            setattr(document, field, value)
    _check_document(document)
    if products is not None:
        document.products.set(list(products))
        new["products"] = [p.pk for p in products]
    if not new and evidence is None:
        return document
    if "expires_on" in new:
        document.reminded_for = None  # a renewal is reminded again before its new expiry
    document.version += 1
    document.save()
    if evidence is not None and actor is not None:
        from salesservice.core.attachments import attachment_add

        attachment_add(actor=actor, target=document, file=evidence, description=_("资质文件扫描件"))
    record_event(
        event_type=EventType.DOCUMENT_UPDATED,
        target=document.supplier,
        actor=actor,
        old=old,
        new={**new, "document": document.pk},
    )
    return document


def document_reminder_days(at=None) -> int:
    """SUP-3: days ahead of expiry to remind and warn (policy parameter; 30 when absent)."""
    from salesservice.core.policy import policy_value

    try:
        return int(policy_value("suppliers.document_reminder_days", at))
    except DomainError:
        return DEFAULT_REMINDER_DAYS


@service
def documents_remind_expiring(*, actor=None, today: dt.date | None = None) -> int:
    """SUP-3: tell purchasing about documents (licences, certificates, the quality agreement) of active
    suppliers that expire within the reminder window. Idempotent: each document is claimed with a
    conditional UPDATE of `reminded_for`, so a second run (or a second scheduler) notifies nobody again.
    Returns how many documents were reminded about."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=document_reminder_days())
    not_reminded = Q(reminded_for__isnull=True) | ~Q(reminded_for=F("expires_on"))
    due = list(
        SupplierDocument.objects.filter(
            expires_on__isnull=False, expires_on__gte=today, expires_on__lte=horizon, supplier__is_active=True
        )
        .filter(not_reminded)
        .select_related("supplier__org_unit")
        .order_by("expires_on", "pk")
    )
    sent = 0
    for document in due:
        claimed = (
            SupplierDocument.objects.filter(pk=document.pk)
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=document.expires_on))
            .update(reminded_for=document.expires_on)
        )
        if not claimed:
            continue
        supplier = document.supplier
        recipients = holders(PURCHASING_ROLES, supplier.org_unit)
        days_left = (document.expires_on - today).days
        notify(
            recipients=recipients,
            title=_("供应商资质即将到期：%(name)s") % {"name": supplier.name},
            body=_("%(kind)s（%(number)s）将于 %(date)s 到期（剩余 %(days)s 天），请索取新证并更新供应商档案。")
            % {
                "kind": document.get_kind_display(),
                "number": document.number,
                "date": document.expires_on.isoformat(),
                "days": days_left,
            },
            url=supplier_url(supplier),
            kind="suppliers.document_expiring",
            level="warning",
        )
        record_event(
            event_type=EventType.DOCUMENT_REMINDED,
            target=supplier,
            actor=actor,
            new={
                "document": document.pk,
                "kind": document.kind,
                "expires_on": document.expires_on.isoformat(),
                "recipients": [u.pk for u in recipients],
            },
        )
        sent += 1
    return sent


# --- evaluation (SUP-1, fed by SUP-5) --------------------------------------------------------------


def evaluation_weights(at=None) -> dict[str, Decimal]:
    """The weights in force (policy `suppliers.evaluation_weights`): one per criterion, summing to 100 —
    refused otherwise, so a mistyped policy never produces a silently skewed total."""
    from salesservice.core.policy import policy_value

    try:
        raw = policy_value("suppliers.evaluation_weights", at)
    except DomainError:
        raw = DEFAULT_WEIGHTS
    try:
        weights = {str(key): Decimal(str(value)) for key, value in dict(raw).items()}
    except (TypeError, ValueError, InvalidOperation):
        weights = None
    if (
        weights is None
        or set(weights) != set(Criterion.values)
        or any(not w.is_finite() or w < 0 for w in weights.values())
        or sum(weights.values()) != 100
    ):
        raise DomainError(
            E.WEIGHTS_INVALID,
            _("评价权重须为七项指标各一个非负数，合计 100；当前为：%(raw)s") % {"raw": raw},
        )
    return weights


def _policy_decimal(key: str, default: str) -> Decimal:
    from salesservice.core.policy import policy_value

    try:
        return Decimal(str(policy_value(key)))
    except DomainError:
        return Decimal(default)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def computed_scores(figures: dict | None) -> dict[str, Decimal]:
    """SUP-1 from SUP-5: product quality = receipt pass rate less `suppliers.nc_penalty` per nonconformance;
    capacity = lines complete in quantity ÷ lines due; service = lines on time ÷ lines due (0–100)."""
    if not figures:
        return {}
    scores = {}
    penalty = _policy_decimal("suppliers.nc_penalty", "10") * int(figures.get("nc_count") or 0)
    received = int(figures.get("received_quantity") or 0)
    if received > 0:
        rate = _percent(min(int(figures.get("accepted_quantity") or 0), received), received)
        scores[Criterion.PRODUCT_QUALITY] = max(Decimal("0.0"), rate - penalty)
    elif penalty:
        scores[Criterion.PRODUCT_QUALITY] = max(Decimal("0.0"), Decimal("100.0") - penalty)
    due = int(figures.get("due_lines") or 0)
    if due > 0:
        scores[Criterion.CAPACITY] = _percent(min(int(figures.get("complete_lines") or 0), due), due)
        scores[Criterion.SERVICE] = _percent(min(int(figures.get("on_time_lines") or 0), due), due)
    return scores


def _entered(scores) -> dict[str, Decimal]:
    entered = {}
    for key, value in (scores or {}).items():
        if value is None or value == "":
            continue
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            number = None
        if key not in Criterion.values or number is None or not number.is_finite() or not 0 <= number <= 100:
            raise DomainError(
                E.INVALID_SCORE,
                _("评分须在 0–100 之间：%(key)s = %(value)s") % {"key": key, "value": value},
                fields={f"scores.{key}": [_("无效")]},
            )
        entered[key] = number.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return entered


def standing_for(total: Decimal) -> str:
    """SUP-1: the band of a total (policy thresholds)."""
    if total >= _policy_decimal("suppliers.band_qualified_min", "80"):
        return Standing.QUALIFIED
    if total >= _policy_decimal("suppliers.band_conditional_min", "60"):
        return Standing.CONDITIONAL
    return Standing.DISQUALIFIED


@service
def evaluation_record(
    *,
    actor,
    supplier,
    period_start: dt.date,
    period_end: dt.date,
    scores: dict | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Evaluation:
    """SUP-1: evaluate a supplier over a period on the seven criteria of the seeds.

    Product quality, capacity and service are computed from the execution figures registered with
    `metrics` (SUP-5) when the period had deliveries; the other criteria — and those three when it had
    none — are the evaluator's `scores` {criterion: 0–100}. The weighted total (weights from policy, summing
    to 100; criteria left unscored are left out and the rest re-weighted, which the summary says) gives the
    band: qualified, conditional (purchasing warned) or disqualified (purchasing blocked).

    Unlike a scorecard that scores an empty period zero, a period with no deliveries and nothing entered
    keeps the last standing and says so (`empty`).
    """
    require_perm(actor, "suppliers.add_evaluation")
    supplier = _supplier(actor, supplier)
    moment = checked_moment(at, prefix="suppliers")
    if (
        period_start is None
        or period_end is None
        or period_end < period_start
        or period_start > timezone.localdate(moment)
    ):
        raise DomainError(
            E.INVALID_PERIOD, _("评价期间无效：结束不能早于开始，开始不能在未来"), fields={"period_end": [_("无效")]}
        )
    if Evaluation.objects.filter(supplier=supplier, period_start=period_start, period_end=period_end).exists():
        raise ConflictError(
            E.EVALUATION_EXISTS,
            _("该供应商 %(start)s 至 %(end)s 已评价") % {"start": period_start, "end": period_end},
        )
    weights = evaluation_weights(moment)
    entered = _entered(scores)
    figures = metrics.figures(supplier, period_start, period_end)
    computed = computed_scores(figures)
    table = {}
    for criterion in Criterion.values:
        if criterion in computed:
            table[criterion] = {"score": computed[criterion], "source": ScoreSource.COMPUTED}
        elif criterion in entered:
            table[criterion] = {"score": entered[criterion], "source": ScoreSource.ENTERED}
    before = supplier.standing
    evaluation = Evaluation(
        supplier=supplier,
        period_start=period_start,
        period_end=period_end,
        weights={key: str(value) for key, value in weights.items()},
        figures=figures,
        note=_text(note),
        evaluated_by=actor,
        evaluated_at=moment,
        standing_before=before,
    )
    if not table:
        evaluation.empty = True
        evaluation.standing_after = before
        evaluation.summary = _("本期无交货记录且未录入评分，沿用上期评价结果：%(standing)s") % {
            "standing": Standing(before).label
        }
    else:
        scored_weight = sum(weights[c] for c in table)
        if scored_weight:
            total = sum(Decimal(row["score"]) * weights[c] for c, row in table.items()) / scored_weight
        else:  # every scored criterion weighs 0: nothing to weigh, the plain mean
            total = sum(Decimal(row["score"]) for row in table.values()) / len(table)
        total = total.quantize(Decimal("0.1"), ROUND_HALF_UP)
        band = standing_for(total)
        evaluation.total = total
        evaluation.band = band
        missing = [Criterion(c).label for c in Criterion.values if c not in table]
        evaluation.summary = (
            _("总分 %(total)s，%(band)s") % {"total": total, "band": Standing(band).label}
            + (
                _("（未评分：%(missing)s，按已评分项权重折算）") % {"missing": "、".join(map(str, missing))}
                if missing
                else ""
            )
        )[:300]
        latest = supplier.evaluations.filter(empty=False).order_by("-period_end").first()
        # An older period evaluated late does not overwrite the standing of a newer one.
        evaluation.standing_after = band if latest is None or latest.period_end <= period_end else before
    evaluation.scores = {
        criterion: {"score": str(row["score"]), "source": row["source"], "weight": str(weights[criterion])}
        for criterion, row in table.items()
    }
    evaluation.save()
    if not evaluation.empty and evaluation.standing_after == evaluation.band:
        supplier.standing = evaluation.standing_after
        supplier.standing_note = evaluation.summary
        supplier.evaluated_at = moment
        supplier.version += 1
        supplier.save(update_fields=["standing", "standing_note", "evaluated_at", "version", "updated_at"])
    record_event(
        event_type=EventType.EVALUATED,
        target=supplier,
        actor=actor,
        old={"standing": before},
        new={
            "standing": evaluation.standing_after,
            "total": str(evaluation.total) if evaluation.total is not None else None,
            "period": f"{period_start.isoformat()}/{period_end.isoformat()}",
            "empty": evaluation.empty,
        },
        message=evaluation.summary,
    )
    if evaluation.standing_after != before and evaluation.standing_after in (
        Standing.CONDITIONAL,
        Standing.DISQUALIFIED,
    ):
        notify(
            recipients=holders(PURCHASING_ROLES, supplier.org_unit),
            title=_("供应商评价：%(name)s %(standing)s")
            % {"name": supplier.name, "standing": Standing(evaluation.standing_after).label},
            body=evaluation.summary,
            url=supplier_url(supplier),
            kind="suppliers.evaluated",
            level="warning",
        )
    return evaluation


# --- the qualified-supplier list (SUP-2) ----------------------------------------------------------


def current_list() -> QualifiedList | None:
    """The approved qualified list in force (approving a list supersedes the one before: at most one)."""
    return QualifiedList.objects.filter(status=QS.APPROVED).order_by("-approved_at", "-pk").first()


@service
def qualified_list_create(
    *, actor, title: str, note: str = "", copy_current: bool = True, org_unit=None
) -> QualifiedList:
    """SUP-2: start a new edition of the qualified list, by default a copy of the current one's entries."""
    require_perm(actor, "suppliers.add_qualifiedlist")
    title = _required(title, "title", E.NAME_REQUIRED, _("请填写名单名称"), 200)
    unit = _unit(actor, org_unit)
    now = timezone.now()
    qualified_list = QualifiedList(
        number=next_number("qualified_list", at=now, series=LIST_SERIES),
        title=title,
        org_unit=unit,
        note=_text(note),
        created_by=actor,
    )
    WORKFLOW.initial(qualified_list, QS.DRAFT)
    qualified_list.save()
    copied = 0
    source = current_list() if copy_current else None
    if source is not None:
        for entry in source.entries.prefetch_related("products", "categories"):
            copy = QualifiedListEntry.objects.create(qualified_list=qualified_list, supplier_id=entry.supplier_id,
                                                     note=entry.note)  # fmt: skip
            copy.products.set(entry.products.all())
            copy.categories.set(entry.categories.all())
            copied += 1
    record_event(
        event_type=EventType.LIST_CREATED,
        target=qualified_list,
        actor=actor,
        new={"number": qualified_list.number, "copied_from": source.number if source else None, "entries": copied},
    )
    return qualified_list


def _draft(actor, list_id, expected_version) -> QualifiedList:
    require_perm(actor, "suppliers.change_qualifiedlist")
    qualified_list = _list(actor, list_id)
    check_version(qualified_list, expected_version)
    if qualified_list.status != QS.DRAFT:
        raise ConflictError(E.LIST_NOT_DRAFT, _("只有草稿状态的名单可以修改；请先退回或新编一版"))
    return qualified_list


@service
def qualified_list_set_entry(
    *,
    actor,
    list_id,
    supplier,
    products=(),
    categories=(),
    note: str = "",
    expected_version: int | None = None,
) -> QualifiedListEntry:
    """SUP-2: put a supplier on a draft list (or change its entry) for the products and/or categories it is
    qualified to supply. A suspended or disqualified supplier cannot be listed."""
    qualified_list = _draft(actor, list_id, expected_version)
    supplier = _supplier(actor, supplier, lock=False)
    products, categories = list(products or ()), list(categories or ())
    if not products and not categories:
        raise DomainError(
            E.ENTRY_SCOPE_REQUIRED,
            _("请至少选择一个商品或商品类别"),
            fields={"products": [_("请至少选择一个商品或商品类别")]},
        )
    if supplier.is_suspended or supplier.standing == Standing.DISQUALIFIED:
        raise DomainError(
            E.SUPPLIER_NOT_ELIGIBLE,
            _("供应商“%(name)s”已暂停或评价不合格，不能列入合格供方名单") % {"name": supplier.name},
            fields={"supplier": [_("不合格")]},
        )
    entry, created = QualifiedListEntry.objects.get_or_create(
        qualified_list=qualified_list, supplier=supplier, defaults={"note": _text(note, 300)}
    )
    if not created:
        entry.note = _text(note, 300)
        entry.save(update_fields=["note"])
    entry.products.set(products)
    entry.categories.set(categories)
    qualified_list.version += 1
    qualified_list.save(update_fields=["version", "updated_at"])
    record_event(
        event_type=EventType.LIST_ENTRY_SET,
        target=qualified_list,
        actor=actor,
        new={
            "supplier": supplier.number,
            "products": [p.pk for p in products],
            "categories": [c.pk for c in categories],
        },
    )
    return entry


@service
def qualified_list_remove_entry(*, actor, list_id, supplier, expected_version: int | None = None) -> QualifiedList:
    """Take a supplier off a draft list."""
    qualified_list = _draft(actor, list_id, expected_version)
    supplier_pk = getattr(supplier, "pk", supplier)
    deleted, _rows = QualifiedListEntry.objects.filter(qualified_list=qualified_list, supplier_id=supplier_pk).delete()
    if not deleted:
        raise DomainError(E.ENTRY_NOT_FOUND, _("名单中没有该供应商"), fields={"supplier": [_("无效")]})
    qualified_list.version += 1
    qualified_list.save(update_fields=["version", "updated_at"])
    record_event(
        event_type=EventType.LIST_ENTRY_REMOVED, target=qualified_list, actor=actor, old={"supplier": supplier_pk}
    )
    return qualified_list


@service
def qualified_list_submit(*, actor, list_id, note: str = "", expected_version: int | None = None) -> QualifiedList:
    """SUP-2: submit a draft list for approval (it must name at least one supplier)."""
    require_perm(actor, "suppliers.change_qualifiedlist")
    qualified_list = _list(actor, list_id)
    check_version(qualified_list, expected_version)
    WORKFLOW.check(qualified_list, "submit")
    if not qualified_list.entries.exists():
        raise ConflictError(E.LIST_EMPTY, _("名单没有任何供应商，不能提交"))
    qualified_list.submitted_at = timezone.now()
    WORKFLOW.move(qualified_list, QS.SUBMITTED, actor=actor, reason=_text(note, 300), fields=("submitted_at",))
    record_event(event_type=EventType.LIST_SUBMITTED, target=qualified_list, actor=actor, message=_text(note, 300))
    notify(
        recipients=holders("purchasing_manager", qualified_list.org_unit),
        title=_("合格供方名单待审批：%(number)s") % {"number": qualified_list.number},
        body=qualified_list.title,
        url=list_url(qualified_list),
        kind="suppliers.list_submitted",
    )
    return qualified_list


@service
def qualified_list_return(*, actor, list_id, reason: str, expected_version: int | None = None) -> QualifiedList:
    """Send a submitted list back to draft with the reason."""
    require_perm(actor, "suppliers.approve_qualifiedlist")
    reason = _required(reason, "reason", E.REASON_REQUIRED, _("请填写退回原因"), 300)
    qualified_list = _list(actor, list_id)
    check_version(qualified_list, expected_version)
    WORKFLOW.check(qualified_list, "return")
    qualified_list.return_reason = reason
    WORKFLOW.move(qualified_list, QS.DRAFT, actor=actor, reason=reason, fields=("return_reason",))
    record_event(event_type=EventType.LIST_RETURNED, target=qualified_list, actor=actor, message=reason)
    if qualified_list.created_by_id:
        notify(
            recipients=[qualified_list.created_by],
            title=_("合格供方名单被退回：%(number)s") % {"number": qualified_list.number},
            body=reason,
            url=list_url(qualified_list),
            kind="suppliers.list_returned",
        )
    return qualified_list


@service
def qualified_list_approve(*, actor, list_id, note: str = "", expected_version: int | None = None) -> QualifiedList:
    """SUP-2: approve a submitted list. It becomes the current list; the list approved before it is
    superseded in the same transaction, so purchasing always checks against exactly one list."""
    require_perm(actor, "suppliers.approve_qualifiedlist")
    qualified_list = _list(actor, list_id)
    check_version(qualified_list, expected_version)
    WORKFLOW.check(qualified_list, "approve")
    now = timezone.now()
    previous = list(QualifiedList.objects.select_for_update().filter(status=QS.APPROVED).exclude(pk=qualified_list.pk))
    qualified_list.approved_by = actor
    qualified_list.approved_at = now
    qualified_list.approval_note = _text(note, 300)
    WORKFLOW.move(
        qualified_list,
        QS.APPROVED,
        actor=actor,
        reason=qualified_list.approval_note,
        fields=("approved_by", "approved_at", "approval_note"),
    )
    for old in previous:
        old.superseded_at = now
        old.superseded_by = qualified_list
        WORKFLOW.move(old, QS.SUPERSEDED, actor=actor, reason=qualified_list.number,
                      fields=("superseded_at", "superseded_by"))  # fmt: skip
        record_event(
            event_type=EventType.LIST_SUPERSEDED, target=old, actor=actor, new={"superseded_by": qualified_list.number}
        )
    record_event(
        event_type=EventType.LIST_APPROVED,
        target=qualified_list,
        actor=actor,
        new={"supersedes": [old.number for old in previous]},
        message=qualified_list.approval_note,
    )
    notify(
        recipients=holders(PURCHASING_ROLES, qualified_list.org_unit),
        title=_("合格供方名单已批准：%(number)s") % {"number": qualified_list.number},
        body=qualified_list.title,
        url=list_url(qualified_list),
        kind="suppliers.list_approved",
    )
    return qualified_list


# --- what purchasing asks (SUP-1, SUP-2, SUP-3) ----------------------------------------------------


def _documents(supplier) -> list[SupplierDocument]:
    cached = getattr(supplier, "_prefetched_objects_cache", {}).get("documents")
    if cached is not None:
        return list(cached)
    return list(SupplierDocument.objects.filter(supplier=supplier).prefetch_related("products"))


def _require_document(documents, kinds, day, supplier, label, *, product=None) -> Reason | None:
    """None when a document of one of `kinds` (covering `product`, if given) is valid on `day`; else why."""
    matching = [
        d
        for d in documents
        if d.kind in kinds and (product is None or any(p.pk == product.pk for p in d.products.all()))
    ]
    if any(d.is_valid_on(day) for d in matching):
        return None
    expired = [d for d in matching if d.expired_on(day)]
    if expired:
        latest = max(expired, key=lambda d: d.expires_on)
        return Reason(
            E.DOCUMENT_EXPIRED,
            _("供应商“%(name)s”的%(label)s（%(number)s）已于 %(date)s 过期")
            % {"name": supplier.name, "label": label, "number": latest.number, "date": latest.expires_on.isoformat()},
        )
    return Reason(
        E.DOCUMENT_MISSING,
        _("供应商“%(name)s”缺少有效的%(label)s") % {"name": supplier.name, "label": label},
    )


def order_check(supplier, product, *, on: dt.date | None = None) -> list[Reason]:
    """Why a purchase order of `product` may not go to `supplier` — [] when it may (SUP-1, SUP-2).

    Blocking: the supplier is inactive or suspended; its standing is disqualified; there is no approved
    qualified list, it is not on the current one, or its entry does not cover the product; its business
    licence is missing or expired; for a medical device, its operation or production licence, or the
    product's registration certificate, is missing or expired. Every reason is returned (a page shows them
    all; a refusal quotes the first).
    """
    day = on or timezone.localdate()
    reasons: list[Reason] = []
    name = supplier.name
    if not supplier.is_active:
        reasons.append(Reason(E.INACTIVE, _("供应商“%(name)s”已停用") % {"name": name}))
    if supplier.is_suspended:
        reasons.append(
            Reason(
                E.SUSPENDED,
                _("供应商“%(name)s”已暂停采购：%(reason)s") % {"name": name, "reason": supplier.suspended_reason},
            )
        )
    if supplier.standing == Standing.DISQUALIFIED:
        reasons.append(
            Reason(
                E.DISQUALIFIED,
                _("供应商“%(name)s”评价不合格，禁止采购（%(note)s）") % {"name": name, "note": supplier.standing_note},
            )  # fmt: skip
        )
    current = current_list()
    if current is None:
        reasons.append(Reason(E.NO_APPROVED_LIST, _("尚无已批准的合格供方名单，不能向任何供应商下单")))
    else:
        entry = (
            current.entries.filter(supplier_id=supplier.pk)
            .prefetch_related("products", Prefetch("categories"))
            .select_related("qualified_list")
            .first()
        )
        if entry is None:
            reasons.append(
                Reason(
                    E.NOT_LISTED,
                    _("供应商“%(name)s”不在现行合格供方名单（%(number)s）上")
                    % {"name": name, "number": current.number},
                )
            )
        elif not entry.covers(product):
            reasons.append(
                Reason(
                    E.PRODUCT_NOT_QUALIFIED,
                    _("供应商“%(name)s”在合格供方名单（%(number)s）上，但未获准供应“%(product)s”")
                    % {"name": name, "number": current.number, "product": product.name},
                )
            )
    documents = _documents(supplier)
    required = [((DocumentKind.BUSINESS_LICENCE,), DocumentKind.BUSINESS_LICENCE.label, None)]
    if product.is_medical_device:
        required.append(
            (
                (DocumentKind.OPERATION_LICENCE, DocumentKind.PRODUCTION_LICENCE),
                _("医疗器械经营许可证或生产许可证"),
                None,
            )
        )
        required.append(
            (
                (DocumentKind.REGISTRATION_CERTIFICATE,),
                _("“%(product)s”的注册证") % {"product": product.name},
                product,
            )
        )
    for kinds, label, for_product in required:
        reason = _require_document(documents, kinds, day, supplier, label, product=for_product)
        if reason is not None:
            reasons.append(reason)
    return reasons


def order_warnings(supplier, *, on: dt.date | None = None) -> list[Reason]:
    """What the purchaser should know before ordering, without being stopped: a conditional standing (under
    observation, SUP-1), documents expiring within the reminder window, no valid quality-assurance
    agreement (SUP-3)."""
    day = on or timezone.localdate()
    warnings: list[Reason] = []
    if supplier.standing == Standing.CONDITIONAL:
        warnings.append(
            Reason(
                E.CONDITIONAL,
                _("供应商“%(name)s”评价为有条件合格（观察）：%(note)s")
                % {"name": supplier.name, "note": supplier.standing_note},
            )
        )
    documents = _documents(supplier)
    horizon = day + dt.timedelta(days=document_reminder_days())
    for document in sorted(documents, key=lambda d: (d.expires_on or dt.date.max, d.pk)):
        if document.is_valid_on(day) and document.expires_on is not None and document.expires_on <= horizon:
            warnings.append(
                Reason(
                    E.DOCUMENT_EXPIRING,
                    _("%(kind)s（%(number)s）将于 %(date)s 到期")
                    % {
                        "kind": document.get_kind_display(),
                        "number": document.number,
                        "date": document.expires_on.isoformat(),
                    },
                )
            )
    if not any(d.kind == DocumentKind.QUALITY_AGREEMENT and d.is_valid_on(day) for d in documents):
        warnings.append(
            Reason(
                E.QUALITY_AGREEMENT_MISSING,
                _("供应商“%(name)s”没有有效的质量保证协议（SUP-3）") % {"name": supplier.name},
            )
        )
    return warnings
