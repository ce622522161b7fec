"""Consents (INF-1, PIPL): recording and withdrawing a customer's consent to a purpose."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import require_perm

from ..choices import (
    ConsentChannel,
    ConsentPurpose,
    EventType,
)
from ..models import Consent, Customer
from .common import (
    _ensure_not_anonymised,
    _get_customer,
    _scoped,
)

# --- consents (INF-1) -------------------------------------------------------------------


@service
def consent_give(
    *,
    actor,
    customer: Customer,
    purpose: str,
    channel: str,
    given_at: dt.datetime | None = None,
    notes: str = "",
) -> Consent:
    """Record a customer's consent to one purpose (INF-1: no disclosure without consent)."""
    require_perm(actor, "customers.add_consent")
    customer = _get_customer(actor, customer)
    _ensure_not_anonymised(customer)
    if purpose not in ConsentPurpose.values:
        raise DomainError("consent.invalid_purpose", _("无效的用途"), fields={"purpose": [_("无效")]})
    if channel not in ConsentChannel.values:
        raise DomainError("consent.invalid_channel", _("无效的方式"), fields={"channel": [_("无效")]})
    if given_at is not None and timezone.is_naive(given_at):
        raise DomainError("consent.naive_datetime", _("同意时间必须带时区"))
    if Consent.objects.filter(customer=customer, purpose=purpose, withdrawn_at__isnull=True).exists():
        raise ConflictError("consent.already_given", _("该用途已有有效的同意记录"))
    consent = Consent.objects.create(
        customer=customer,
        purpose=purpose,
        channel=channel,
        given_at=given_at or timezone.now(),
        recorded_by=actor,
        notes=(notes or "")[:200],
    )
    record_event(
        event_type=EventType.CONSENT_GIVEN,
        target=customer,
        actor=actor,
        new={"consent": consent.pk, "purpose": purpose, "channel": channel},
    )
    return consent


@service
def consent_withdraw(*, actor, consent_id: int, withdrawn_at: dt.datetime | None = None) -> Consent:
    """Withdraw a consent: the row stays, with when and who recorded the withdrawal."""
    require_perm(actor, "customers.change_consent")
    try:
        consent = _scoped(Consent, actor).select_for_update().get(pk=consent_id)
    except Consent.DoesNotExist:
        raise NotFoundError("consent.not_found", _("同意记录不存在或不在您的范围内")) from None
    if consent.withdrawn_at is not None:
        raise ConflictError("consent.already_withdrawn", _("该同意已于 %(at)s 撤回") % {"at": consent.withdrawn_at})
    withdrawn_at = withdrawn_at or timezone.now()
    if withdrawn_at < consent.given_at or withdrawn_at > timezone.now():
        # issue 12 §6: no withdrawal before the consent was given, none in the future
        raise DomainError(
            "consent.withdrawn_out_of_order",
            _("撤回时间须在同意时间（%(given)s）之后、且不晚于现在")
            % {"given": timezone.localtime(consent.given_at).strftime("%Y-%m-%d %H:%M")},
            fields={"withdrawn_at": [_("时间无效")]},
        )
    consent.withdrawn_at = withdrawn_at
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record_event(
        event_type=EventType.CONSENT_WITHDRAWN,
        target=consent.customer,
        actor=actor,
        new={"consent": consent.pk, "purpose": consent.purpose},
    )
    return consent
