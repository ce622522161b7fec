"""Buyer qualifications (BUY-1): licences with scope and validity, their checks and expiry reminders."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.concurrency import lock_current
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import require_perm
from salesservice.core.models import User
from salesservice.core.notifications import notify

from ..choices import (
    DeviceClassScope,
    EventType,
    QualificationKind,
)
from ..models import Customer, Qualification
from .common import (
    QUALIFICATION_FIELDS,
    _clean,
    _ensure_not_anonymised,
    _get_customer,
    _redacted,
    _scoped,
    store_managers,
)

# --- qualifications (BUY-1) -------------------------------------------------------------


def _normalise_classes(value) -> str:
    if isinstance(value, str):
        value = value.replace("，", ",").split(",")
    classes = {str(v).strip().upper() for v in value or () if str(v).strip()}
    invalid = classes - set(DeviceClassScope.values)
    if invalid:
        raise DomainError(
            "qualification.invalid_scope",
            _("器械类别只能是 I、II、III"),
            fields={"scope_classes": [_("无效：%s") % "、".join(sorted(invalid))]},
        )
    return ",".join(c for c in DeviceClassScope.values if c in classes)


def _check_validity(qualification: Qualification) -> None:
    if qualification.valid_until is not None and qualification.valid_until < qualification.valid_from:
        raise DomainError(
            "qualification.invalid_dates",
            _("有效期至不能早于有效期起"),
            fields={"valid_until": [_("早于有效期起")]},
        )


@service
def qualification_add(
    *,
    actor,
    customer: Customer,
    kind: str,
    number: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    scope_classes=(),
    issuing_authority: str = "",
    notes: str = "",
    evidence=None,
) -> Qualification:
    """Record a reviewed buyer-qualification document, optionally with its scan (BUY-1).

    The actor is recorded as the reviewer: entering it means the original was checked.
    """
    require_perm(actor, "customers.add_qualification")
    customer = _get_customer(actor, customer)
    _ensure_not_anonymised(customer)
    if kind not in QualificationKind.values:
        raise DomainError("qualification.invalid_kind", _("无效的资格类型"), fields={"kind": [_("无效")]})
    qualification = Qualification(
        customer=customer,
        kind=kind,
        number=(number or "").strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        scope_classes=_normalise_classes(scope_classes),
        issuing_authority=issuing_authority or "",
        notes=notes or "",
        verified_by=actor,
        verified_at=timezone.now() if actor is not None else None,
    )
    _clean(qualification)
    _check_validity(qualification)
    qualification.save()
    if evidence is not None and actor is not None:
        from salesservice.core.attachments import attachment_add

        attachment_add(actor=actor, target=qualification, file=evidence, description=_("资格证明扫描件"))
    record_event(
        event_type=EventType.QUALIFICATION_ADDED,
        target=qualification,
        actor=actor,
        new={
            "customer": customer.code,
            "kind": kind,
            "number": qualification.number,
            "scope_classes": qualification.scope_classes,
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    return qualification


@service
def qualification_update(*, actor, qualification_id: int, expected_version: int, evidence=None, **changes):
    """Edit a qualification (e.g. a renewed licence's new validity); stale version → 409."""
    require_perm(actor, "customers.change_qualification")
    unknown = set(changes) - set(QUALIFICATION_FIELDS)
    if unknown:
        raise DomainError("qualification.unknown_fields", _("不可修改的字段：%s") % ", ".join(sorted(unknown)))
    qualification = lock_current(
        _scoped(Qualification, actor).select_related("customer"), qualification_id, expected_version
    )
    _ensure_not_anonymised(qualification.customer)
    if "scope_classes" in changes:
        changes["scope_classes"] = _normalise_classes(changes["scope_classes"])
    old, new = {}, {}
    for field, value in changes.items():
        if getattr(qualification, field) != value:
            old[field], new[field] = getattr(qualification, field), value
            setattr(qualification, field, value)
    if not new and evidence is None:
        return qualification
    _clean(qualification)
    _check_validity(qualification)
    if new:
        qualification.verified_by = actor
        qualification.verified_at = timezone.now() if actor is not None else None
    qualification.version += 1
    qualification.save()
    if evidence is not None and actor is not None:
        from salesservice.core.attachments import attachment_add

        attachment_add(actor=actor, target=qualification, file=evidence, description=_("资格证明扫描件"))
    record_event(
        event_type=EventType.QUALIFICATION_UPDATED,
        target=qualification,
        actor=actor,
        old=_redacted(old),
        new=_redacted(new) | ({"evidence": True} if evidence is not None else {}),
    )
    return qualification


DEFAULT_REMINDER_DAYS = 30
REMINDER_POLICY_KEY = "customers.qualification_reminder_days"


def qualification_reminder_days(at=None) -> int:
    """Days ahead of expiry to remind (policy parameter, BUY-1; 30 when the parameter is absent)."""
    from salesservice.core.policy import policy_value

    try:
        return int(policy_value(REMINDER_POLICY_KEY, at))
    except DomainError:
        return DEFAULT_REMINDER_DAYS


@service
def qualifications_remind_expiring(*, actor=None, today: dt.date | None = None) -> int:
    """Tell the owning sales rep (else the store's managers) of qualifications expiring soon (BUY-1).

    Idempotent: each qualification is claimed with a conditional UPDATE of `reminded_for`, so
    running twice (or on two schedulers at once) notifies once per expiry date. Returns the count.
    """
    from django.db.models import F, Q

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=qualification_reminder_days())
    due = list(
        Qualification.objects.filter(
            valid_until__isnull=False,
            valid_until__gte=today,
            valid_until__lte=horizon,
            customer__is_anonymised=False,
            customer__is_active=True,
        )
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("valid_until")))
        .select_related("customer__sales_rep", "customer__store")
    )
    managers_by_store: dict[int, list[User]] = {}
    sent = 0
    for qualification in due:
        claimed = (
            Qualification.objects.filter(pk=qualification.pk)
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=qualification.valid_until))
            .update(reminded_for=qualification.valid_until)
        )
        if not claimed:
            continue
        customer = qualification.customer
        if customer.sales_rep_id and customer.sales_rep.is_active:
            recipients = [customer.sales_rep]
        else:
            if customer.store_id not in managers_by_store:
                managers_by_store[customer.store_id] = list(store_managers(customer.store_id))
            recipients = managers_by_store[customer.store_id]
        days_left = (qualification.valid_until - today).days
        from django.urls import reverse

        notify(
            recipients=recipients,
            title=_("客户购货资格即将到期：%(customer)s") % {"customer": customer.name},
            body=_("%(kind)s（%(number)s）将于 %(date)s 到期（剩余 %(days)s 天），请提醒客户及时换证并更新资格记录。")
            % {
                "kind": qualification.get_kind_display(),
                "number": qualification.number,
                "date": qualification.valid_until.isoformat(),
                "days": days_left,
            },
            url=reverse("customers:customer-detail", args=[customer.pk]) + "?tab=qualifications",
            kind="customers.qualification_expiring",
            level="warning",
        )
        record_event(
            event_type=EventType.QUALIFICATION_REMINDED,
            target=qualification,
            actor=actor,
            new={"valid_until": qualification.valid_until.isoformat(), "recipients": [u.pk for u in recipients]},
        )
        sent += 1
    return sent
